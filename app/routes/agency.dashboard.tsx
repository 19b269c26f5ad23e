import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { TARGET_METRICS } from '../../db/enums.js'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DashboardChart, type ChartOption } from '~/components/dashboard-chart.js'
import { DataTable } from '~/components/data-table.js'
import { agencyDashboard } from '~/domain/dashboard/dashboard.server.js'
import { ZDashboardQuery } from '~/domain/dashboard/schema.js'
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
 * 数据看板 (issue 15 §6): the jurisdiction in numbers for a year and a region within it —
 * needs by status, industry and scenario; diagnosis coverage of 规上 enterprises; contracts
 * and amounts; supply against demand per scenario. Each chart is drawn by ECharts (a
 * chunk loaded after the page shows) and followed by a table with the same numbers, the
 * one screen readers and scriptless browsers read. What each number counts:
 * app/domain/dashboard/dashboard.server.ts.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.title')
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: dashboardStyles }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZDashboardQuery, args.request)
    return json(await agencyDashboard(db, search, actor, query, await getLocale(args.request)))
  })
}

const PALETTE = ['#1554b8', '#36a3eb', '#23a06b', '#f0a020', '#d4380d', '#8c5cd6', '#8a94a6']

function bars(categories: string[], series: Array<{ name: string; data: number[] }>, horizontal = false): ChartOption {
  const category = { type: 'category', data: categories, axisLabel: { interval: 0, width: 120, overflow: 'truncate' } }
  const value = { type: 'value', minInterval: 1 }
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : { ...category, axisLabel: { ...category.axisLabel, rotate: 30 } },
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data })),
  }
}

export default function AgencyDashboardPage() {
  const d = useLoaderData<typeof loader>()
  const t = useT()
  const query = new URLSearchParams({ year: String(d.year), region: d.region.code }).toString()
  const scope = t('dashboard.scope', { region: d.region.name, year: d.year })
  const topIndustries = d.needs.byIndustry.slice(0, 10)
  const shortCount = d.supply.filter((s) => s.short).length

  const charts = useMemo(
    () => ({
      status: {
        color: PALETTE,
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, type: 'scroll' },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            top: 0,
            bottom: 32,
            data: d.needs.byStatus.filter((r) => r.count > 0).map((r) => ({ name: t(`needStatus.${r.status}`), value: r.count })),
          },
        ],
      },
      industry: bars(
        topIndustries.map((r) => r.name),
        [{ name: t('dashboard.col.needs'), data: topIndustries.map((r) => r.count) }],
        true,
      ),
      scenario: bars(
        d.needs.byScenario.map((r) => r.name),
        [{ name: t('dashboard.col.needs'), data: d.needs.byScenario.map((r) => r.count) }],
      ),
      coverage: bars(
        d.coverage.byDistrict.map((r) => r.name),
        [
          { name: t('dashboard.col.aboveScale'), data: d.coverage.byDistrict.map((r) => r.aboveScale) },
          { name: t('dashboard.col.diagnosed'), data: d.coverage.byDistrict.map((r) => r.diagnosed) },
        ],
      ),
      contracts: bars(
        d.contracts.byDistrict.map((r) => r.name),
        [
          { name: t('dashboard.col.contracts'), data: d.contracts.byDistrict.map((r) => r.count) },
          {
            name: t('dashboard.col.amountWan'),
            data: d.contracts.byDistrict.map((r) => Number(wanText(r.amountWanX100))),
          },
        ],
      ),
      targets: d.targets
        ? {
            ...bars(
              d.targets.map((r) => r.name),
              TARGET_METRICS.map((metric) => ({
                name: t(`targets.metric.${metric}`),
                data: d.targets!.map((r) => r.metrics.find((m) => m.metric === metric)?.ratePct ?? 0),
              })),
            ),
            yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
          }
        : null,
      supply: bars(
        d.supply.map((r) => r.name),
        [
          { name: t('dashboard.col.openNeeds'), data: d.supply.map((r) => r.openNeeds) },
          { name: t('dashboard.col.providers'), data: d.supply.map((r) => r.providers) },
        ],
      ),
    }),
    [d, t, topIndustries],
  )

  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('dashboard.title')}</h1>
        <p className="muted">{t('dashboard.lead')}</p>
        <p>
          <Link to="/agency/outcomes">{t('dashboard.toOutcomes')}</Link>
        </p>
      </header>

      <Form method="get" className="dash-filters" role="search" aria-label={t('dashboard.filters')} key={query}>
        <div className="field">
          <label htmlFor="d-year">{t('dashboard.filter.year')}</label>
          <select id="d-year" name="year" defaultValue={String(d.year)}>
            {d.years.map((y) => (
              <option key={y} value={y}>
                {t('dashboard.yearOption', { year: y })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="d-region">{t('dashboard.filter.region')}</label>
          <select id="d-region" name="region" defaultValue={d.region.code}>
            {d.regionOptions.map((r) => (
              <option key={r.code} value={r.code} data-i18n-data>
                {'\u00a0\u00a0'.repeat(r.depth) + r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">{t('dashboard.filter.apply')}</button>
          <a href={`/agency/dashboard.xlsx?${query}`} download className="button button-secondary">
            {t('dashboard.export')}
          </a>
        </div>
      </Form>

      <p role="status" data-i18n-data>
        {scope}
      </p>
      <dl className="dash-summary" data-testid="dashboard-summary">
        <div>
          <dt>{t('dashboard.summary.needs')}</dt>
          <dd data-testid="summary-needs">{formatNumber(d.needs.total)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.summary.coverage')}</dt>
          <dd data-testid="summary-coverage">{t('dashboard.percent', { value: d.coverage.rate })}</dd>
        </div>
        <div>
          <dt>{t('dashboard.summary.contracts')}</dt>
          <dd data-testid="summary-contracts">{formatNumber(d.contracts.count)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.summary.amount')}</dt>
          <dd data-testid="summary-amount">{t('dashboard.wan', { amount: wanText(d.contracts.amountWanX100) })}</dd>
        </div>
        <div>
          <dt>{t('dashboard.summary.short')}</dt>
          <dd data-testid="summary-short">{formatNumber(shortCount)}</dd>
        </div>
      </dl>

      <section className="dash-section" aria-labelledby="dash-status">
        <h2 id="dash-status">{t('dashboard.needs.status.title')}</h2>
        <p className="muted">{t('dashboard.needs.rule')}</p>
        {d.needs.total === 0 ? (
          <div className="empty-state">
            <p>{t('dashboard.needs.empty')}</p>
            <p className="empty-actions">
              <Link to="/agency/events/new">{t('dashboard.needs.emptyAction')}</Link>
            </p>
          </div>
        ) : (
          <>
            <DashboardChart
              option={charts.status}
              label={t('dashboard.chart.label', { title: t('dashboard.needs.status.title'), scope })}
            />
            <DataTable
              caption={t('dashboard.needs.status.title')}
              columns={[
                { id: 'status', header: t('dashboard.col.status'), role: 'primary', cell: (r) => t(`needStatus.${r.status}`) },
                { id: 'count', header: t('dashboard.col.needs'), cell: (r) => formatNumber(r.count) },
              ]}
              rows={d.needs.byStatus}
              rowKey={(r) => r.status}
            />
          </>
        )}
      </section>

      {d.needs.total > 0 ? (
        <>
          <section className="dash-section" aria-labelledby="dash-industry">
            <h2 id="dash-industry">{t('dashboard.needs.industry.title')}</h2>
            <DashboardChart
              option={charts.industry}
              label={t('dashboard.chart.label', { title: t('dashboard.needs.industry.title'), scope })}
              height={Math.max(200, topIndustries.length * 28 + 40)}
            />
            <DataTable
              caption={t('dashboard.needs.industry.title')}
              columns={[
                { id: 'industry', header: t('dashboard.col.industry'), role: 'primary', cell: (r) => r.name },
                { id: 'count', header: t('dashboard.col.needs'), cell: (r) => formatNumber(r.count) },
              ]}
              rows={d.needs.byIndustry}
              rowKey={(r) => r.code}
            />
          </section>

          <section className="dash-section" aria-labelledby="dash-scenario">
            <h2 id="dash-scenario">{t('dashboard.needs.scenario.title')}</h2>
            <DashboardChart
              option={charts.scenario}
              label={t('dashboard.chart.label', { title: t('dashboard.needs.scenario.title'), scope })}
            />
            <DataTable
              caption={t('dashboard.needs.scenario.title')}
              columns={[
                { id: 'scenario', header: t('dashboard.col.scenario'), role: 'primary', cell: (r) => r.name },
                { id: 'count', header: t('dashboard.col.needs'), cell: (r) => formatNumber(r.count) },
              ]}
              rows={d.needs.byScenario}
              rowKey={(r) => r.code}
            />
          </section>
        </>
      ) : null}

      <section className="dash-section" aria-labelledby="dash-coverage">
        <h2 id="dash-coverage">{t('dashboard.coverage.title')}</h2>
        <p className="muted">{t('dashboard.coverage.rule')}</p>
        <p data-testid="coverage-lead">
          {t('dashboard.coverage.lead', {
            total: formatNumber(d.coverage.aboveScale),
            diagnosed: formatNumber(d.coverage.diagnosed),
            rate: d.coverage.rate,
          })}
        </p>
        {d.coverage.aboveScale === 0 ? (
          <div className="empty-state">
            <p>{t('dashboard.coverage.empty')}</p>
            <p className="empty-actions">
              <Link to="/agency/enterprises">{t('dashboard.coverage.emptyAction')}</Link>
            </p>
          </div>
        ) : (
          <>
            <DashboardChart
              option={charts.coverage}
              label={t('dashboard.chart.label', { title: t('dashboard.coverage.title'), scope })}
            />
            <DataTable
              caption={t('dashboard.coverage.title')}
              columns={[
                { id: 'district', header: t('dashboard.col.district'), role: 'primary', cell: (r) => r.name },
                { id: 'above', header: t('dashboard.col.aboveScale'), cell: (r) => formatNumber(r.aboveScale) },
                { id: 'diagnosed', header: t('dashboard.col.diagnosed'), cell: (r) => formatNumber(r.diagnosed) },
                { id: 'rate', header: t('dashboard.col.rate'), cell: (r) => t('dashboard.percent', { value: r.rate }) },
              ]}
              rows={d.coverage.byDistrict}
              rowKey={(r) => r.code}
            />
          </>
        )}
      </section>

      <section className="dash-section" aria-labelledby="dash-contracts">
        <h2 id="dash-contracts">{t('dashboard.contracts.title')}</h2>
        <p className="muted">{t('dashboard.contracts.rule')}</p>
        {d.contracts.count === 0 ? (
          <div className="empty-state">
            <p>{t('dashboard.contracts.empty')}</p>
            <p className="empty-actions">
              <Link to="/agency/contracts">{t('dashboard.contracts.emptyAction')}</Link>
            </p>
          </div>
        ) : (
          <>
            <DashboardChart
              option={charts.contracts}
              label={t('dashboard.chart.label', { title: t('dashboard.contracts.title'), scope })}
            />
            <DataTable
              caption={t('dashboard.contracts.byStatus')}
              columns={[
                {
                  id: 'status',
                  header: t('dashboard.col.status'),
                  role: 'primary',
                  cell: (r) => t(`contracts.status.${r.status}`),
                },
                { id: 'count', header: t('dashboard.col.contracts'), cell: (r) => formatNumber(r.count) },
                { id: 'amount', header: t('dashboard.col.amountWan'), cell: (r) => wanText(r.amountWanX100) },
              ]}
              rows={d.contracts.byStatus}
              rowKey={(r) => r.status}
            />
            <DataTable
              caption={t('dashboard.contracts.byDistrict')}
              columns={[
                { id: 'district', header: t('dashboard.col.district'), role: 'primary', cell: (r) => r.name },
                { id: 'count', header: t('dashboard.col.contracts'), cell: (r) => formatNumber(r.count) },
                { id: 'amount', header: t('dashboard.col.amountWan'), cell: (r) => wanText(r.amountWanX100) },
              ]}
              rows={d.contracts.byDistrict}
              rowKey={(r) => r.code}
            />
          </>
        )}
      </section>

      <section className="dash-section" aria-labelledby="dash-targets">
        <h2 id="dash-targets">{t('dashboard.targets.title')}</h2>
        <p className="muted">{t('dashboard.targets.rule')}</p>
        {d.targets === null || d.targets.length === 0 || !charts.targets ? (
          <div className="empty-state">
            <p>{t('dashboard.targets.empty', { year: d.year })}</p>
            <p className="empty-actions">
              <Link to="/agency/targets">{t('dashboard.targets.emptyAction')}</Link>
            </p>
          </div>
        ) : (
          <>
            <DashboardChart
              option={charts.targets}
              label={t('dashboard.chart.label', { title: t('dashboard.targets.title'), scope })}
              height={340}
            />
            <DataTable
              caption={t('dashboard.targets.title')}
              columns={[
                { id: 'district', header: t('dashboard.col.district'), role: 'primary', cell: (r) => r.name },
                ...TARGET_METRICS.map((metric) => ({
                  id: metric,
                  header: t(`targets.metric.${metric}`),
                  cell: (r: (typeof d.targets)[number]) => {
                    const m = r.metrics.find((x) => x.metric === metric)
                    return m
                      ? t(metric === 'coverage' ? 'dashboard.targets.cellPct' : 'dashboard.targets.cell', {
                          actual: m.actual,
                          target: m.target,
                          rate: m.ratePct,
                        })
                      : '—'
                  },
                })),
                {
                  id: 'link',
                  header: t('dashboard.targets.details'),
                  role: 'action',
                  cell: () => <Link to={`/agency/targets/${d.year}`}>{t('dashboard.targets.detailsLink')}</Link>,
                },
              ]}
              rows={d.targets}
              rowKey={(r) => r.code}
            />
          </>
        )}
      </section>

      <section className="dash-section" aria-labelledby="dash-supply">
        <h2 id="dash-supply">{t('dashboard.supply.title')}</h2>
        <p className="muted">{t('dashboard.supply.rule')}</p>
        {d.supply.length === 0 ? (
          <div className="empty-state">
            <p>{t('dashboard.supply.empty')}</p>
            <p className="empty-actions">
              <Link to={`/providers/map?region=${d.region.code}`}>{t('dashboard.supply.emptyAction')}</Link>
            </p>
          </div>
        ) : (
          <>
            <DashboardChart
              option={charts.supply}
              label={t('dashboard.chart.label', { title: t('dashboard.supply.title'), scope: d.region.name })}
              height={320}
            />
            <DataTable
              caption={t('dashboard.supply.title')}
              columns={[
                { id: 'scenario', header: t('dashboard.col.scenario'), role: 'primary', cell: (r) => r.name },
                { id: 'needs', header: t('dashboard.col.openNeeds'), cell: (r) => formatNumber(r.openNeeds) },
                {
                  id: 'providers',
                  header: t('dashboard.col.providers'),
                  cell: (r) => (
                    <Link to={`/providers?scenario=${r.code}&region=${d.region.code}`}>{formatNumber(r.providers)}</Link>
                  ),
                },
                {
                  id: 'short',
                  header: t('dashboard.col.short'),
                  cell: (r) =>
                    r.short ? (
                      <span className="dash-short">{t('dashboard.supply.shortYes')}</span>
                    ) : (
                      t('dashboard.supply.shortNo')
                    ),
                },
              ]}
              rows={d.supply}
              rowKey={(r) => r.code}
            />
          </>
        )}
      </section>
    </>
  )
}
