import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { metricRecords, type CountedRecord } from '~/domain/targets/records.server.js'
import { ZMetricParams, ZPlanQuery, type EntryView } from '~/domain/targets/targets.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseParams, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * The records behind one count of a year's 目标考核 (issue 15 §5): what the platform counted
 * for the district and metric (contracts, diagnoses, titles, above-scale enterprises), each
 * linking to its page, and what agencies entered with evidence.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'targets.records.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const params = parseParams(ZMetricParams, args.params)
    const query = parseQuery(ZPlanQuery, args.request)
    return json(await metricRecords(db, actor, params, query, await getLocale(args.request)))
  })
}

const TITLES = ['excellent_scenario', 'basic', 'advanced', 'excellence', 'leading'] as const

export default function TargetRecordsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const metricName = t(`targets.metric.${data.metric}`)
  const planQuery = `?plan=${data.planId}`
  const detail = (r: CountedRecord) => {
    if (data.metric !== 'benchmark') return r.detail
    const [title, scene] = r.detail.split('|')
    const label = (TITLES as readonly string[]).includes(title ?? '')
      ? t(`targets.title.${title as (typeof TITLES)[number]}`)
      : (title ?? '')
    return scene ? `${label} · ${scene}` : label
  }
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/targets/${data.year}${planQuery}`}>{t('targets.records.back', { year: data.year })}</Link>
      </p>
      <header className="page-head">
        <h1 data-i18n-data>{t('targets.records.heading', { region: data.regionName, metric: metricName })}</h1>
        <p>
          {data.metric === 'coverage'
            ? t('targets.records.coverageSummary', {
                target: data.target,
                actual: data.actual,
                covered: data.counted,
                total: data.aboveScale,
              })
            : t('targets.records.summary', {
                target: data.target,
                actual: data.actual,
                counted: data.counted,
                entered: data.entered,
              })}
          {' · '}
          {t('targets.col.rate')} {data.ratePct}%
        </p>
      </header>

      <section className="section" aria-labelledby="counted-title">
        <h2 id="counted-title">{t('targets.records.counted')}</h2>
        {data.metric === 'cloud' ? (
          <p className="notice">{t('targets.records.notCounted')}</p>
        ) : (
          <>
            <DataTable<CountedRecord>
              caption={t('targets.records.countedCaption', { n: data.total })}
              rows={data.records}
              rowKey={(r) => r.id}
              empty={<p className="empty-state">{t('targets.records.none')}</p>}
              columns={[
                {
                  id: 'name',
                  header: data.metric === 'smart_retrofit' ? t('targets.col.title') : t('targets.col.enterprise'),
                  role: 'primary',
                  cell: (r) => (
                    <Link to={r.href} data-i18n-data>
                      {r.name}
                    </Link>
                  ),
                },
                ...(data.metric === 'coverage'
                  ? [
                      {
                        id: 'covered',
                        header: t('targets.col.covered'),
                        cell: (r: CountedRecord) => t(r.extra === 'yes' ? 'targets.covered.yes' : 'targets.covered.no'),
                      },
                    ]
                  : [
                      {
                        id: 'detail',
                        header: data.metric === 'benchmark' ? t('targets.col.title') : t('targets.col.provider'),
                        cell: (r: CountedRecord) => <span data-i18n-data>{detail(r)}</span>,
                      },
                      { id: 'date', header: t('targets.col.date'), cell: (r: CountedRecord) => r.date },
                    ]),
                ...(data.metric === 'smart_retrofit'
                  ? [
                      {
                        id: 'amount',
                        header: t('targets.col.amount'),
                        cell: (r: CountedRecord) => t('targets.unit.wan', { n: r.extra }),
                      },
                    ]
                  : []),
              ]}
            />
            <Pagination page={data.page} pageCount={data.pageCount} />
          </>
        )}
      </section>

      {data.metric !== 'coverage' ? (
        <section className="section" aria-labelledby="entered-title">
          <h2 id="entered-title">{t('targets.records.entered')}</h2>
          <DataTable<EntryView>
            caption={t('targets.entries.caption')}
            rows={data.entries}
            rowKey={(e) => e.id}
            empty={<p className="empty-state">{t('targets.records.enteredEmpty')}</p>}
            columns={[
              {
                id: 'evidence',
                header: t('targets.col.evidence'),
                role: 'primary',
                cell: (e) => <span data-i18n-data>{e.evidence}</span>,
              },
              {
                id: 'quantity',
                header: t('targets.col.quantity'),
                cell: (e) => (e.withdrawn ? <s>{e.quantity}</s> : e.quantity),
              },
              { id: 'by', header: t('targets.col.enteredBy'), cell: (e) => <span data-i18n-data>{e.enteredBy}</span> },
              { id: 'date', header: t('targets.col.date'), cell: (e) => e.createdAt.slice(0, 10) },
              {
                id: 'status',
                header: t('targets.col.status'),
                cell: (e) => (e.withdrawn ? t('targets.withdrawnMark') : ''),
              },
            ]}
          />
        </section>
      ) : null}
    </>
  )
}
