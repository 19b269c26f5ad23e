import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DashboardChart } from '~/components/dashboard-chart.js'
import { DataTable } from '~/components/data-table.js'
import { OUTCOME_COLUMNS, OutcomeEventsTable } from '~/components/outcome-table.js'
import { Pagination } from '~/components/pagination.js'
import { outcomesOverTime } from '~/domain/dashboard/outcomes.server.js'
import { ZOutcomesQuery } from '~/domain/dashboard/schema.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import dashboardStyles from '~/styles/dashboard.css'
import { formatNumber, wanText } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 对接成效 over time (issue 15 §3): the matchmaking events of the agency's jurisdiction,
 * per year (a chart and its table) and a page of events with each one's outcome — needs,
 * providers, meetings, intents, contracts within 180 days of the event's end and their
 * amounts (app/domain/dashboard/outcomes.server.ts says what counts).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.outcomes.title')
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: dashboardStyles }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZOutcomesQuery, args.request)
    return json(await outcomesOverTime(db, actor, query, await getLocale(args.request)))
  })
}

export default function OutcomesPage() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const option = useMemo(
    () => ({
      color: ['#1554b8', '#23a06b', '#f0a020', '#d4380d'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.perYear.map((y) => String(y.year)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['needs', 'meetings', 'intents', 'contracts'] as const).map((key) => ({
        type: 'bar',
        name: t(`dashboard.outcome.${key}`),
        data: d.perYear.map((y) => y[key]),
      })),
    }),
    [d, t],
  )
  const caption = d.year === null ? t('dashboard.outcomes.allYears') : t('dashboard.yearOption', { year: d.year })

  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('dashboard.outcomes.title')}</h1>
        <p className="muted">{t('dashboard.outcomes.lead')}</p>
        <p>
          <Link to="/agency/dashboard">{t('dashboard.toDashboard')}</Link>
        </p>
      </header>
      <p className="muted">{t('dashboard.outcomes.rule')}</p>

      {d.perYear.length === 0 ? (
        <div className="empty-state">
          <p>{t('dashboard.outcomes.empty')}</p>
          <p className="empty-actions">
            <Link to="/agency/events/new">{t('dashboard.outcomes.emptyAction')}</Link>
          </p>
        </div>
      ) : (
        <>
          <section className="dash-section" aria-labelledby="out-years">
            <h2 id="out-years">{t('dashboard.outcomes.perYear')}</h2>
            <DashboardChart option={option} label={t('dashboard.outcomes.chartLabel')} />
            <DataTable
              caption={t('dashboard.outcomes.perYear')}
              rows={d.perYear}
              rowKey={(r) => r.year}
              columns={[
                { id: 'year', header: t('dashboard.filter.year'), role: 'primary', cell: (r) => String(r.year) },
                { id: 'events', header: t('dashboard.outcome.events'), cell: (r) => formatNumber(r.events) },
                ...OUTCOME_COLUMNS.map((c) => ({
                  id: c.id,
                  header: t(c.header),
                  cell: (r: (typeof d.perYear)[number]) => (c.money ? wanText(r[c.id]) : formatNumber(r[c.id])),
                })),
              ]}
            />
          </section>

          <section className="dash-section" aria-labelledby="out-events">
            <h2 id="out-events">{t('dashboard.outcomes.events')}</h2>
            <Form method="get" className="dash-filters" role="search" aria-label={t('dashboard.filters')}>
              <div className="field">
                <label htmlFor="o-year">{t('dashboard.filter.year')}</label>
                <select id="o-year" name="year" defaultValue={d.year === null ? '' : String(d.year)}>
                  <option value="">{t('dashboard.outcomes.allYears')}</option>
                  {d.years.map((y) => (
                    <option key={y} value={y}>
                      {t('dashboard.yearOption', { year: y })}
                    </option>
                  ))}
                </select>
              </div>
              <div className="actions">
                <button type="submit">{t('dashboard.filter.apply')}</button>
              </div>
            </Form>
            <p role="status" data-testid="outcomes-total">
              {t('dashboard.outcomes.total', {
                scope: caption,
                events: formatNumber(d.total.events),
                intents: formatNumber(d.total.intents),
                contracts: formatNumber(d.total.contracts),
                amount: wanText(d.total.contractAmountWanX100),
              })}
            </p>
            <OutcomeEventsTable
              caption={t('dashboard.outcomes.events')}
              rows={d.events}
              empty={
                <div className="empty-state">
                  <p>{t('dashboard.outcomes.emptyYear')}</p>
                </div>
              }
            />
            <Pagination page={d.page} pageCount={d.pageCount} />
          </section>
        </>
      )}
    </>
  )
}
