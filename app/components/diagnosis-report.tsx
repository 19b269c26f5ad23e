import type { ReactNode } from 'react'
import { Link } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { FileList } from '~/components/file-list.js'
import type { ServiceProgress } from '~/domain/diagnosis/minimums.js'
import type { ReportVersionView, WeaknessView } from '~/domain/diagnosis/views.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'

/*
 * A diagnosis report version as read on the project page and printed on its own page
 * (Jiangsu 2022 §二: basics, weaknesses, solution, recommended providers, benchmark,
 * maturity), and the service-progress lines ("现场诊断 3/8 次").
 */

function Text({ value }: { value: string }) {
  const t = useT()
  return value ? (
    <p className="report-text" data-i18n-data>
      {value}
    </p>
  ) : (
    <p className="muted">{t('diagnosis.report.empty')}</p>
  )
}

export function ReportBody({
  version,
  weaknessAction,
  headingLevel = 2,
}: {
  version: ReportVersionView
  /** A cell per weakness (the enterprise's 转为需求 on a confirmed version). */
  weaknessAction?: (w: WeaknessView) => ReactNode
  headingLevel?: 2 | 3
}) {
  const t = useT()
  const H = headingLevel === 2 ? 'h2' : 'h3'
  const columns: Column<WeaknessView>[] = [
    { id: 'seq', header: t('diagnosis.report.col.seq'), cell: (w) => w.seq },
    {
      id: 'weakness',
      header: t('diagnosis.report.col.weakness'),
      role: 'primary',
      cell: (w) => (
        <>
          <strong data-i18n-data>{w.title}</strong>
          <span className="report-text weakness-description" data-i18n-data>
            {w.description}
          </span>
        </>
      ),
    },
    {
      id: 'scenario',
      header: t('diagnosis.report.col.scenario'),
      cell: (w) => (
        <>
          {w.scenarioName}
          {w.link ? <span className="muted"> · {t(`diagnosis.link.${w.link as 'production'}`)}</span> : null}
        </>
      ),
    },
    {
      id: 'severity',
      header: t('diagnosis.report.col.severity'),
      cell: (w) => <span className={`badge badge-severity-${w.severity}`}>{t(`diagnosis.severity.${w.severity}`)}</span>,
    },
    {
      id: 'indicator',
      header: t('diagnosis.report.col.indicator'),
      cell: (w) =>
        w.indicator || w.currentValue || w.targetValue ? (
          <span data-i18n-data>
            {w.indicator ? `${w.indicator}：` : ''}
            {w.currentValue || '—'} → {w.targetValue || '—'}
          </span>
        ) : (
          '—'
        ),
    },
  ]
  if (weaknessAction) {
    columns.push({ id: 'action', header: t('diagnosis.report.col.action'), role: 'action', cell: weaknessAction })
  }
  return (
    <div className="report-body">
      <section className="report-section">
        <H>{t('diagnosis.report.basics')}</H>
        <Text value={version.basics} />
      </section>
      <section className="report-section">
        <H>{t('diagnosis.report.weaknesses')}</H>
        <DataTable
          caption={t('diagnosis.report.weaknessCaption')}
          columns={columns}
          rows={version.weaknesses}
          rowKey={(w) => w.id}
          empty={<p className="muted">{t('diagnosis.report.noWeaknesses')}</p>}
        />
      </section>
      <section className="report-section">
        <H>{t('diagnosis.report.solution')}</H>
        <Text value={version.solution} />
      </section>
      <section className="report-section">
        <H>{t('diagnosis.report.recommendations')}</H>
        {version.recommendations.length === 0 ? (
          <p className="muted">{t('diagnosis.report.noRecommendations')}</p>
        ) : (
          <ul className="report-recommendations">
            {version.recommendations.map((r) => (
              <li key={r.providerOrgId}>
                {r.verified ? (
                  <Link to={`/providers/${r.providerOrgId}`} data-i18n-data>
                    {r.name}
                  </Link>
                ) : (
                  <>
                    <span data-i18n-data>{r.name}</span>{' '}
                    <span className="badge badge-declined">{t('diagnosis.report.notVerified')}</span>
                  </>
                )}
                {r.note ? (
                  <span data-i18n-data>
                    {' — '}
                    {r.note}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="report-section">
        <H>{t('diagnosis.report.benchmark')}</H>
        <Text value={version.benchmarkPeer} />
        {version.benchmarkNotes ? (
          <>
            <p className="muted">{t('diagnosis.report.benchmarkNotes')}</p>
            <Text value={version.benchmarkNotes} />
          </>
        ) : null}
      </section>
      <section className="report-section">
        <H>{t('diagnosis.report.maturity')}</H>
        <p>
          {version.maturityLevel === null
            ? t('diagnosis.report.notAssessed')
            : t('diagnosis.report.maturityLevel', { level: version.maturityLevel })}
        </p>
      </section>
      {version.attachments.length ? (
        <section className="report-section">
          <H>{t('diagnosis.report.attachments')}</H>
          <FileList files={version.attachments} />
        </section>
      ) : null}
    </div>
  )
}

/** 签字盖章 block: who confirmed and when, or that the version is not valid yet. */
export function SignatureBlock({ version }: { version: ReportVersionView }) {
  const t = useT()
  return (
    <section className="report-signature" aria-label={t('diagnosis.report.signature')}>
      <h2>{t('diagnosis.report.signature')}</h2>
      {version.confirmedAt ? (
        <dl>
          <div>
            <dt>{t('diagnosis.report.confirmedBy', { name: '' })}</dt>
            <dd data-i18n-data>{version.confirmedByName ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('diagnosis.report.confirmedAt', { at: '' })}</dt>
            <dd>{formatDateTime(version.confirmedAt)}</dd>
          </div>
        </dl>
      ) : (
        <p className="notice notice-warn">{t('diagnosis.report.unconfirmed')}</p>
      )}
    </section>
  )
}

/** "现场诊断 3/8 次 · 培训 1/2 次 · 汇报 0/2 次", met lines marked, with the flagged count. */
export function ProgressLines({ progress, compact = false }: { progress: ServiceProgress; compact?: boolean }) {
  const t = useT()
  return (
    <ul className={compact ? 'progress-lines progress-compact' : 'progress-lines'}>
      {progress.lines.map((line) => (
        <li key={line.kind} className={line.met ? 'progress-met' : 'progress-open'}>
          {t(`diagnosis.progress.${line.kind}`, { counted: line.counted, required: line.required })}
          {line.met ? ' ✓' : ''}
        </li>
      ))}
      {progress.flagged > 0 ? (
        <li>
          <span className="badge badge-pending">{t('diagnosis.progress.flagged', { count: progress.flagged })}</span>
        </li>
      ) : null}
    </ul>
  )
}
