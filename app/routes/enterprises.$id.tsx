import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { TitleFlag, useArchiveFieldLabel, useArchiveValue } from '~/components/enterprise-fields.js'
import { Fact } from '~/components/org-summary.js'
import { Pagination } from '~/components/pagination.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { getEnterpriseArchive } from '~/domain/enterprises/archive-page.server.js'
import { INDICATOR_FIELDS } from '~/domain/enterprises/enums.js'
import { ZArchivePageQuery } from '~/domain/enterprises/schema.js'
import { hasMessage } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate, formatDateTime } from '~/utils/format.js'
import { parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'enterprises.page.title', { name: data.basics.name }) : pageTitle(matches, 'error.404.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZArchivePageQuery, args.request)
    // Signing in comes first (for every id alike); then anything the actor may not read is 404.
    const { actor } = await requireActor(args)
    return json(await getEnterpriseArchive(db, actor, id, { page, locale: await getLocale(args.request) }))
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function EnterpriseArchivePage() {
  const p = useLoaderData<typeof loader>()
  const t = useT()
  const value = useArchiveValue()
  const label = useArchiveFieldLabel()
  const a = p.archive

  const diagnosisColumns: Column<Data['diagnoses'][number]>[] = [
    {
      id: 'kind',
      header: t('enterprises.page.diagnosis.kind'),
      role: 'primary',
      cell: (d) => t(`enterprises.diagnosisKind.${d.kind}`),
    },
    {
      id: 'provider',
      header: t('enterprises.page.diagnosis.provider'),
      cell: (d) => <span data-i18n-data>{d.providerName}</span>,
    },
    { id: 'status', header: t('enterprises.page.diagnosis.status'), cell: (d) => t(`enterprises.diagnosisStatus.${d.status}`) },
    {
      id: 'report',
      header: t('enterprises.page.diagnosis.report'),
      cell: (d) =>
        d.confirmedVersion !== null
          ? t('enterprises.page.diagnosis.version', { version: d.confirmedVersion, date: formatDate(d.confirmedAt ?? '') })
          : t('enterprises.page.diagnosis.noReport'),
    },
    {
      id: 'open',
      header: t('enterprises.page.diagnosis.open'),
      role: 'action',
      cell: (d) => (
        <Link to={`/diagnoses/${d.id}`}>
          {t('enterprises.page.diagnosis.open')}
          <span className="visually-hidden"> {t(`enterprises.diagnosisKind.${d.kind}`)}</span>
        </Link>
      ),
    },
  ]
  const needColumns: Column<Data['needs'][number]>[] = [
    {
      id: 'title',
      header: t('enterprises.page.need.title'),
      role: 'primary',
      cell: (n) =>
        n.href ? (
          <Link to={n.href} data-i18n-data>
            {n.title}
          </Link>
        ) : (
          <span data-i18n-data>{n.title}</span>
        ),
    },
    { id: 'status', header: t('enterprises.page.need.status'), cell: (n) => t(`needStatus.${n.status}`) },
    { id: 'updatedAt', header: t('enterprises.page.need.updatedAt'), cell: (n) => formatDate(n.updatedAt) },
  ]

  return (
    <article aria-labelledby="enterprise-title">
      {p.reader === 'member' ? <EnterpriseWorkspaceNav /> : null}
      <header className="page-head">
        <h1 id="enterprise-title" data-i18n-data>
          {p.basics.name}
        </h1>
        {p.canEdit ? (
          <Link className="button button-secondary" to="/enterprise/archive">
            {t('enterprises.page.edit')}
          </Link>
        ) : null}
      </header>
      <p className="muted">
        {t('enterprises.nav')}
        {p.reader === 'agency' ? ` · ${t('enterprises.page.readerAgency')}` : null}
        {p.reader === 'diagnoser' ? ` · ${t('enterprises.page.readerDiagnoser')}` : null}
      </p>
      <p>
        <Link to={p.reader === 'member' ? '/enterprise/assessments' : 'assessments'} relative="path">
          {t('assessment.org.link')}
        </Link>
      </p>

      <section className="card section" aria-labelledby="basics-title">
        <h2 id="basics-title">{t('enterprises.archive.basics')}</h2>
        <dl className="facts">
          <Fact label={t('enterprises.field.uscc')}>
            <span className="code">{p.basics.uscc ?? '—'}</span>
          </Fact>
          <Fact label={t('enterprises.field.industry')} data>
            {p.basics.industry ?? t('enterprises.unset')}
          </Fact>
          <Fact label={t('enterprises.field.region')} data>
            {p.basics.region}
          </Fact>
          <Fact label={t('enterprises.completeness.title')}>
            {t('enterprises.completeness.percent', { percent: p.completeness.percent })}
          </Fact>
        </dl>
      </section>

      <section className="card section" aria-labelledby="scale-title">
        <h2 id="scale-title">{t('enterprises.page.scale')}</h2>
        {a.revision === 0 ? <p className="muted">{t('enterprises.page.neverSaved')}</p> : null}
        <dl className="facts">
          <Fact label={t('enterprises.field.sizeBand')}>{value('sizeBand', a.sizeBand)}</Fact>
          <Fact label={t('enterprises.field.aboveScale')}>{value('aboveScale', a.aboveScale)}</Fact>
          <Fact label={t('enterprises.field.revenueBand')}>{value('revenueBand', a.revenueBand)}</Fact>
          <Fact label={t('enterprises.field.staffBand')}>{value('staffBand', a.staffBand)}</Fact>
          <Fact label={t('enterprises.field.mainProducts')} data={!!a.mainProducts}>
            {value('mainProducts', a.mainProducts)}
          </Fact>
        </dl>
      </section>

      <section className="card section" aria-labelledby="indicators-title">
        <h2 id="indicators-title">
          {t('enterprises.page.indicators')}{' '}
          {a.indicatorsYear !== null ? (
            <span className="muted">{t('enterprises.page.indicatorsYear', { year: a.indicatorsYear })}</span>
          ) : null}
        </h2>
        <dl className="facts">
          {INDICATOR_FIELDS.map((f) => (
            <Fact key={f} label={t(`enterprises.field.${f}`)}>
              {value(f, a[f])}
            </Fact>
          ))}
          <Fact label={t('enterprises.field.maturityLevel')}>{value('maturityLevel', a.maturityLevel)}</Fact>
        </dl>
        {a.updatedAt ? (
          <p className="field-hint">{t('enterprises.page.updatedAt', { date: formatDateTime(a.updatedAt) })}</p>
        ) : null}
      </section>

      <section className="section" aria-labelledby="titles-title">
        <h2 id="titles-title">{t('enterprises.titles.title')}</h2>
        {p.titles.length ? (
          <ul className="plain-list">
            {p.titles.map((x) => (
              <li key={x.id}>
                <strong>
                  {x.scene
                    ? fillTemplate(t('enterprises.titles.withScene'), {
                        title: t(`enterprises.gradientTitle.${x.title}`),
                        scene: <span data-i18n-data>{x.scene}</span>,
                      })
                    : t(`enterprises.gradientTitle.${x.title}`)}
                </strong>{' '}
                <span className="muted">
                  {x.issuer ? <span data-i18n-data>{x.issuer} · </span> : null}
                  {x.awardedOn} {x.expiresOn ? t('enterprises.titles.until', { date: x.expiresOn }) : null} ·{' '}
                  {t(`enterprises.titleStatus.${x.status}`)}
                  {x.decision ? (
                    <span data-i18n-data>
                      {' · '}
                      {t(`enterprises.titles.decided.${x.decision.outcome}`, {
                        agency: x.decision.agency,
                        date: x.decision.decidedOn,
                      })}
                    </span>
                  ) : null}
                </span>{' '}
                <TitleFlag flag={x.flag} />
                {p.reader === 'agency' ? (
                  <>
                    {' '}
                    <Link to={`/agency/titles/${x.id}`}>
                      {t('enterprises.titles.openReview')}
                      <span className="visually-hidden"> {t(`enterprises.gradientTitle.${x.title}`)}</span>
                    </Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty-state">{t('enterprises.titles.none')}</p>
        )}
      </section>

      <section className="section" aria-labelledby="diagnoses-title">
        <h2 id="diagnoses-title">{t('enterprises.page.diagnoses')}</h2>
        <DataTable
          caption={t('enterprises.page.diagnoses')}
          columns={diagnosisColumns}
          rows={p.diagnoses}
          rowKey={(d) => d.id}
          empty={<p className="empty-state">{t('enterprises.page.diagnosesNone')}</p>}
        />
      </section>

      <section className="section" aria-labelledby="needs-title">
        <h2 id="needs-title">{t('enterprises.page.needs')}</h2>
        <DataTable
          caption={t('enterprises.page.needs')}
          columns={needColumns}
          rows={p.needs}
          rowKey={(n) => n.id}
          empty={<p className="empty-state">{t('enterprises.page.needsNone')}</p>}
        />
        {p.needsTotal > p.needs.length ? (
          <p className="field-hint">{t('enterprises.page.needsMore', { shown: p.needs.length, total: p.needsTotal })}</p>
        ) : null}
      </section>

      <section className="section" aria-labelledby="contracts-title">
        <h2 id="contracts-title">{t('enterprises.page.contracts')}</h2>
        <p className="empty-state">{t('enterprises.page.contractsEmpty')}</p>
      </section>

      <section className="section" aria-labelledby="history-title" id="history">
        <h2 id="history-title">{t('enterprises.page.history')}</h2>
        {p.history.entries.length ? (
          <ol className="plain-list history">
            {p.history.entries.map((e) => {
              const actionKey = `auditAction.${e.action}`
              return (
                <li key={e.id}>
                  <p>
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time> ·{' '}
                    <span data-i18n-data>{e.actorName ?? t('enterprises.page.history.someone')}</span> ·{' '}
                    <strong>{hasMessage(actionKey) ? t(actionKey) : e.action}</strong>
                    {e.title ? ` · ${value('title', e.title)}` : null}
                  </p>
                  {e.changes.length ? (
                    <ul>
                      {e.changes.map((c) => (
                        <li key={c.field}>
                          {t('enterprises.page.history.change', {
                            field: label(c.field),
                            before: value(c.field, c.before),
                            after: value(c.field, c.after),
                          })}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              )
            })}
          </ol>
        ) : (
          <p className="empty-state">{t('enterprises.page.historyNone')}</p>
        )}
        <Pagination page={p.history.page} pageCount={p.history.pageCount} />
      </section>
    </article>
  )
}
