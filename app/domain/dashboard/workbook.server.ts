import type { Database } from '../../../db/connection.js'
import { TARGET_METRICS } from '../../../db/enums.js'
import type { SearchEngine } from '../../../search/engine.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import type { Actor } from '../accounts/actor.js'
import { listWorkbook, xlsxDownload, type SheetSpec } from '../spreadsheets/workbook.server.js'
import { agencyDashboard, type Dashboard } from './dashboard.server.js'
import type { TDashboardQuery } from './schema.js'
import { wanText } from '../../utils/format.js'

/** Exports per person: a workbook is the dashboard's queries plus tens of milliseconds of building. */
export const DASHBOARD_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

/** The dashboard's tables, one sheet each, headed in the reader's language (Chinese first). */
export function dashboardSheets(d: Dashboard, locale: Locale = DEFAULT_LOCALE): SheetSpec[] {
  const t = translator(locale)
  const scope = t('dashboard.scope', { region: d.region.name, year: d.year })
  const wan = (x100: number) => Number(wanText(x100))
  return [
    {
      name: t('dashboard.needs.status.title'),
      title: `${scope} ${t('dashboard.needs.status.title')}`,
      columns: [{ header: t('dashboard.col.status'), width: 16 }, { header: t('dashboard.col.needs') }],
      rows: d.needs.byStatus.map((r) => [t(`needStatus.${r.status}`), r.count]),
      notes: [t('dashboard.needs.rule')],
    },
    {
      name: t('dashboard.needs.industry.title'),
      title: `${scope} ${t('dashboard.needs.industry.title')}`,
      columns: [{ header: t('dashboard.col.industry'), width: 40 }, { header: t('dashboard.col.needs') }],
      rows: d.needs.byIndustry.map((r) => [r.name, r.count]),
    },
    {
      name: t('dashboard.needs.scenario.title'),
      title: `${scope} ${t('dashboard.needs.scenario.title')}`,
      columns: [{ header: t('dashboard.col.scenario'), width: 24 }, { header: t('dashboard.col.needs') }],
      rows: d.needs.byScenario.map((r) => [r.name, r.count]),
    },
    {
      name: t('dashboard.coverage.title'),
      title: `${scope} ${t('dashboard.coverage.title')}`,
      columns: [
        { header: t('dashboard.col.district'), width: 20 },
        { header: t('dashboard.col.aboveScale') },
        { header: t('dashboard.col.diagnosed') },
        { header: t('dashboard.col.rate') },
      ],
      rows: d.coverage.byDistrict.map((r) => [r.name, r.aboveScale, r.diagnosed, r.rate]),
      notes: [t('dashboard.coverage.rule')],
    },
    {
      name: t('dashboard.contracts.title'),
      title: `${scope} ${t('dashboard.contracts.title')}`,
      columns: [
        { header: t('dashboard.col.district'), width: 20 },
        { header: t('dashboard.col.contracts') },
        { header: t('dashboard.col.amountWan') },
      ],
      rows: d.contracts.byDistrict.map((r) => [r.name, r.count, wan(r.amountWanX100)]),
      notes: [t('dashboard.contracts.rule')],
    },
    {
      name: t('dashboard.supply.title'),
      title: `${d.region.name} ${t('dashboard.supply.title')}`,
      columns: [
        { header: t('dashboard.col.scenario'), width: 24 },
        { header: t('dashboard.col.openNeeds') },
        { header: t('dashboard.col.providers') },
        { header: t('dashboard.col.short') },
      ],
      rows: d.supply.map((r) => [r.name, r.openNeeds, r.providers, r.short ? t('dashboard.supply.shortYes') : '']),
      notes: [t('dashboard.supply.rule')],
    },
    ...(d.targets && d.targets.length
      ? [
          {
            name: t('dashboard.targets.title'),
            title: `${scope} ${t('dashboard.targets.title')}`,
            columns: [
              { header: t('dashboard.col.district'), width: 20 },
              ...TARGET_METRICS.flatMap((metric) => [
                { header: `${t(`targets.metric.${metric}`)} ${t('dashboard.col.target')}`, width: 16 },
                { header: `${t(`targets.metric.${metric}`)} ${t('dashboard.col.actual')}`, width: 16 },
                { header: `${t(`targets.metric.${metric}`)} ${t('dashboard.col.ratePct')}`, width: 16 },
              ]),
            ],
            rows: d.targets.map((r) => [
              r.name,
              ...TARGET_METRICS.flatMap((metric) => {
                const m = r.metrics.find((x) => x.metric === metric)
                return m ? [m.target, m.actual, m.ratePct] : [null, null, null]
              }),
            ]),
            notes: [t('dashboard.targets.rule')],
          },
        ]
      : []),
  ]
}

/** /agency/dashboard.xlsx: the tables the same query shows; 429 past DASHBOARD_EXPORT_LIMIT. */
export async function exportDashboard(
  db: Database,
  engine: SearchEngine,
  actor: Actor,
  query: TDashboardQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<Response> {
  const dashboard = await agencyDashboard(db, engine, actor, query, locale)
  await reserve(db, [{ key: `dashboard-export:user:${actor.userId}`, rule: DASHBOARD_EXPORT_LIMIT }])
  const t = translator(locale)
  const body = await listWorkbook(dashboardSheets(dashboard, locale), { creator: t('dashboard.title') })
  return xlsxDownload(
    body,
    `${t('dashboard.title')}-${dashboard.region.name}-${dashboard.year}`,
    `dashboard-${dashboard.region.code}-${dashboard.year}`,
  )
}
