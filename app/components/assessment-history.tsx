import { Link } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { useLocale, useT } from '~/i18n/use-t.js'

/*
 * The history of an enterprise's self-assessments (自评估): progress per kind (a small bar
 * chart per dimension, latest assessments oldest first, each bar labelled with its date and
 * score so it reads without the picture) and the paginated table of every assessment.
 */

type Kind = 'sme_digital' | 'maturity'

export interface HistoryRow {
  id: number
  kind: Kind
  score: number
  level: number
  reached: number
  date: string
  dimensions: Record<string, number>
}

export interface DimensionLabel {
  id: string
  title: { zh: string; en: string }
}

export function levelLabelKey(kind: Kind, level: number, reached: number) {
  return kind === 'maturity'
    ? (`assessment.levelName.maturity.${reached}` as `assessment.levelName.maturity.${0 | 1 | 2 | 3 | 4 | 5}`)
    : (`assessment.levelName.sme_digital.${level}` as `assessment.levelName.sme_digital.${1 | 2 | 3 | 4}`)
}

export function AssessmentHistory({
  rows,
  page,
  pageCount,
  progress,
  dimensionLabels,
}: {
  rows: HistoryRow[]
  page: number
  pageCount: number
  progress: Record<Kind, HistoryRow[]>
  dimensionLabels: Record<Kind, DimensionLabel[]>
}) {
  const t = useT()
  const locale = useLocale()
  const columns: Column<HistoryRow>[] = [
    { id: 'date', header: t('assessment.col.date'), cell: (r) => r.date },
    { id: 'kind', header: t('assessment.col.kind'), role: 'primary', cell: (r) => t(`assessment.kind.${r.kind}`) },
    { id: 'score', header: t('assessment.col.score'), cell: (r) => t('assessment.score', { score: r.score }) },
    { id: 'level', header: t('assessment.col.level'), cell: (r) => t(levelLabelKey(r.kind, r.level, r.reached)) },
    {
      id: 'open',
      header: t('assessment.col.open'),
      role: 'action',
      cell: (r) => (
        <Link
          to={`/enterprise/assessments/${r.id}`}
          aria-label={`${t('assessment.openResult')} ${r.date} ${t(`assessment.kind.${r.kind}`)}`}
        >
          {t('assessment.openResult')}
        </Link>
      ),
    },
  ]
  const charted = (['sme_digital', 'maturity'] as const).filter((k) => progress[k].length >= 2)
  return (
    <>
      <section className="section" aria-labelledby="assessment-progress">
        <h2 id="assessment-progress">{t('assessment.index.progress')}</h2>
        {charted.length === 0 ? <p className="empty-state">{t('assessment.index.progressEmpty')}</p> : null}
        {charted.map((kind) => (
          <figure key={kind} className="card assessment-chart">
            <figcaption>
              <strong>
                {t('assessment.chart.caption', { kind: t(`assessment.kind.${kind}`), count: progress[kind].length })}
              </strong>
            </figcaption>
            {dimensionLabels[kind].map((d) => (
              <div key={d.id} className="assessment-chart-dim">
                <h3 className="small">{locale === 'en' ? d.title.en : d.title.zh}</h3>
                <ul className="plain" style={{ listStyle: 'none', paddingLeft: 0, margin: 0 }}>
                  {progress[kind].map((p) => {
                    const value = p.dimensions[d.id] ?? 0
                    return (
                      <li key={p.id} style={{ display: 'flex', alignItems: 'center', gap: '0.5rem' }}>
                        <span
                          aria-hidden="true"
                          style={{
                            display: 'inline-block',
                            height: '0.75rem',
                            width: `${Math.max(1, value) * 0.6}%`,
                            maxWidth: '60%',
                            background: 'var(--accent, #1d4ed8)',
                            borderRadius: '2px',
                          }}
                        />
                        <span className="small">{t('assessment.chart.point', { date: p.date, score: value })}</span>
                      </li>
                    )
                  })}
                </ul>
              </div>
            ))}
          </figure>
        ))}
      </section>
      <section className="section" aria-labelledby="assessment-history">
        <h2 id="assessment-history">{t('assessment.index.history')}</h2>
        <DataTable
          caption={t('assessment.index.history')}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          empty={<p className="empty-state">{t('assessment.index.empty')}</p>}
        />
        <Pagination page={page} pageCount={pageCount} />
      </section>
    </>
  )
}
