import { sql, type ExpressionBuilder } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { ContractStatus, TargetMetric } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import type { SearchEngine } from '../../../search/engine.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { capabilityGridFromIndex } from '../providers/capability-map.server.js'
import { districtCompletion } from '../targets/actuals.server.js'
import { isInJurisdiction, jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, refName, regionLabel, regionPath, type ReferenceData } from '../reference/reference.server.js'
import { chinaYearBounds, percent, yearOptions, type TDashboardQuery } from './schema.js'

/*
 * 数据看板 (issue 15 §6): what an agency's jurisdiction looks like in numbers, for one
 * year and one region within the jurisdiction (default: the current year, the agency's
 * own region). Any verified agency member reads it (read:dashboard:role); every query
 * is narrowed to the region's codes (app/domain/reference/jurisdiction.ts) and is an
 * aggregate (GROUP BY), so a page costs the same few queries however many needs there
 * are (measured at 100 000 needs: see README, 数据看板).
 *
 * What each number counts (the page says it too):
 * - needs: needs of the region first published in the year (drafts never count), by
 *   their status now, by industry and by scenario (a need with two scenarios counts in
 *   each);
 * - diagnosis coverage: verified above-scale (规上) enterprises of the region, and of
 *   those the ones with a diagnosis completed before the year's end, per district (the
 *   regions one level below the selected one);
 * - contracts: contracts of the region created in the year, by status and per
 *   district, with their amounts (hundredths of 万元);
 * - supply against demand: per scenario, the needs open now (published or in 比选) of
 *   the region against the verified providers covering the region and the scenario (the
 *   capability map's rule, app/domain/providers/capability-map.server.ts); a scenario
 *   whose open needs outnumber its providers is flagged;
 * - target completion: per district of the agency's own plan of the year (slice T's
 *   districtCompletion: targets, actuals counted from records plus those entered, rates).
 */

/** The statuses a published need can have (drafts are the enterprise's own). */
export const DASHBOARD_NEED_STATUSES = [
  'published',
  'shortlisting',
  'awarded',
  'contracted',
  'closed',
  'withdrawn',
  'expired',
] as const
export type DashboardNeedStatus = (typeof DASHBOARD_NEED_STATUSES)[number]
const OPEN_STATUSES = ['published', 'shortlisting'] as const
const CONTRACT_STATUSES: readonly ContractStatus[] = ['draft', 'active', 'completed', 'terminated']

export interface CodeCount {
  code: string
  name: string
  count: number
}

export interface DistrictCoverage {
  code: string
  name: string
  aboveScale: number
  diagnosed: number
  /** diagnosed / aboveScale as a percentage with one decimal. */
  rate: number
}

export interface DistrictContracts {
  code: string
  name: string
  count: number
  amountWanX100: number
}

export interface ScenarioSupply {
  code: string
  name: string
  openNeeds: number
  providers: number
  /** Open needs outnumber the providers covering the scenario. */
  short: boolean
}

export interface RegionOption {
  code: string
  name: string
  depth: number
}

export interface Dashboard {
  year: number
  years: number[]
  region: { code: string; name: string }
  regionOptions: RegionOption[]
  needs: {
    total: number
    byStatus: Array<{ status: DashboardNeedStatus; count: number }>
    byIndustry: CodeCount[]
    byScenario: CodeCount[]
  }
  coverage: { aboveScale: number; diagnosed: number; rate: number; byDistrict: DistrictCoverage[] }
  contracts: {
    count: number
    amountWanX100: number
    byStatus: Array<{ status: ContractStatus; count: number; amountWanX100: number }>
    byDistrict: DistrictContracts[]
  }
  supply: ScenarioSupply[]
  /**
   * 目标完成 by district: the agency's own plan of the year (app/domain/targets, slice T),
   * its districts within the selected region; null when it has no plan that year.
   */
  targets: DistrictTargets[] | null
}

export interface DistrictTargets {
  code: string
  name: string
  metrics: Array<{ metric: TargetMetric; target: number; actual: number; ratePct: number }>
}

/** The agency's region, or FORBIDDEN: any verified agency member reads its dashboard. */
export function dashboardRegion(actor: Actor, ref: ReferenceData): string {
  const org = authorize(actor, ref, 'read:dashboard:role')
  return org.regionCode
}

/**
 * The region a page shows: `asked` when it lies within the agency's jurisdiction, the
 * agency's own region when none is asked; FORBIDDEN 'dashboard.e.outsideJurisdiction'
 * for a region elsewhere (or one that does not exist).
 */
export function regionWithin(ref: ReferenceData, agencyRegion: string, asked: string | undefined): string {
  if (!asked) return agencyRegion
  if (!ref.regionsByCode.has(asked) || !isInJurisdiction(ref, agencyRegion, asked)) {
    throw new AppError('FORBIDDEN', 'dashboard.e.outsideJurisdiction', { detail: { region: asked } })
  }
  return asked
}

/** The region filter's options: the agency's region and everything two levels below it, depth-first. */
export function jurisdictionOptions(ref: ReferenceData, agencyRegion: string, locale: Locale): RegionOption[] {
  const out: RegionOption[] = []
  const walk = (code: string, depth: number) => {
    const region = ref.regionsByCode.get(code)
    if (!region) return
    out.push({ code, name: refName(region, locale), depth })
    if (depth >= 2) return
    for (const child of ref.childrenByCode.get(code) ?? []) walk(child.code, depth + 1)
  }
  walk(agencyRegion, 0)
  return out
}

/**
 * The district of `code` seen from `selected`: the region one level below `selected` on
 * `code`'s path (itself when `code` is `selected` or directly below it is none).
 */
export function districtOf(ref: ReferenceData, selected: string, code: string): string {
  const path = regionPath(ref, code).map((r) => r.code)
  const at = path.indexOf(selected)
  return at >= 0 && at + 1 < path.length ? path[at + 1]! : selected
}

/** The districts of `selected` in the reference's order (itself first: rows recorded on the region itself). */
function districtNames(ref: ReferenceData, selected: string, locale: Locale): Map<string, string> {
  const names = new Map<string, string>()
  names.set(selected, regionLabel(ref, selected, locale))
  for (const child of ref.childrenByCode.get(selected) ?? []) names.set(child.code, refName(child, locale))
  return names
}

export async function agencyDashboard(
  db: Database,
  engine: SearchEngine,
  actor: Actor,
  query: TDashboardQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<Dashboard> {
  const ref = await getReferenceData(db)
  const agencyRegion = dashboardRegion(actor, ref)
  const regionCode = regionWithin(ref, agencyRegion, query.region)
  const currentYear = Number(chinaDate().slice(0, 4))
  const year = query.year ?? currentYear
  const codes = jurisdictionCodes(ref, regionCode)
  const { from, to } = chinaYearBounds(year)

  // The year's needs by status and industry in one pass over needs_region_status_idx
  // (2026-12-03T0570); per scenario the year's and the open ones from the kept counts
  // (need_scenario_counts, 2026-12-04T0100: the China year of first publication, the
  // status), a few rows per region and scenario instead of every need and its scenarios.
  const inYear = (eb: ExpressionBuilder<DB & { n: DB['needs'] }, 'n'>) =>
    eb.and([eb('n.published_at', '>=', from), eb('n.published_at', '<', to)])
  const [statusIndustryRows, scenarioRows, coverageRows, contractRows, grid, plan] = await Promise.all([
    db
      .selectFrom('needs as n')
      .where('n.region_code', 'in', codes)
      .where('n.status', '!=', 'draft')
      .where((eb) => inYear(eb))
      .select(['n.status', 'n.industry_code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['n.status', 'n.industry_code'])
      .execute(),
    db
      .selectFrom('need_scenario_counts as k')
      .where('k.region_code', 'in', codes)
      .where('k.status', '!=', 'draft')
      .select((eb) => [
        'k.scenario_code',
        eb.fn.sum<number>(eb.case().when('k.year', '=', year).then(eb.ref('k.n')).else(0).end()).as('year'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('k.status', 'in', [...OPEN_STATUSES])
              .then(eb.ref('k.n'))
              .else(0)
              .end(),
          )
          .as('open'),
      ])
      .groupBy('k.scenario_code')
      .execute(),
    db
      .selectFrom('organisations as o')
      .innerJoin('enterprise_profiles as p', 'p.org_id', 'o.id')
      .where('o.kind', '=', 'enterprise')
      .where('o.status', '=', 'verified')
      .where('o.region_code', 'in', codes)
      .where('p.above_scale', '=', 1)
      .select([
        'o.region_code',
        (eb) => eb.fn.countAll<number>().as('above'),
        (eb) =>
          eb.fn
            .count<number>(
              eb
                .case()
                .when(
                  eb.exists(
                    eb
                      .selectFrom('diagnoses as d')
                      .select(sql`1`.as('one'))
                      .whereRef('d.enterprise_org_id', '=', 'o.id')
                      .where('d.status', '=', 'completed')
                      .where('d.completed_at', '<', to),
                  ),
                )
                .then(1)
                .end(),
            )
            .as('diagnosed'),
      ])
      .groupBy('o.region_code')
      .execute(),
    db
      .selectFrom('contracts as c')
      .where('c.region_code', 'in', codes)
      .where('c.created_at', '>=', from)
      .where('c.created_at', '<', to)
      .select([
        'c.region_code',
        'c.status',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>('c.amount_wan_x100').as('amount'),
      ])
      .groupBy(['c.region_code', 'c.status'])
      .execute(),
    capabilityGridFromIndex(engine, ref, regionCode),
    districtCompletion(db, actor.org!.orgId, year),
  ])

  const statusCounts = new Map<string, number>()
  const industryCounts = new Map<string, number>()
  for (const r of statusIndustryRows) {
    statusCounts.set(r.status, (statusCounts.get(r.status) ?? 0) + Number(r.n))
    industryCounts.set(r.industry_code, (industryCounts.get(r.industry_code) ?? 0) + Number(r.n))
  }
  const byStatus = DASHBOARD_NEED_STATUSES.map((status) => ({ status, count: statusCounts.get(status) ?? 0 }))
  const byIndustry = [...industryCounts]
    .map(([code, count]) => {
      const industry = ref.industriesByCode.get(code)
      return { code, name: industry ? refName(industry, locale) : code, count }
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
  const scenarioCounts = new Map(scenarioRows.map((r) => [r.scenario_code, Number(r.year)]))
  const byScenario = ref.scenarios
    .map((s) => ({ code: s.code, name: refName(s, locale), count: scenarioCounts.get(s.code) ?? 0 }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count)

  const districts = districtNames(ref, regionCode, locale)
  const coverage = new Map<string, { aboveScale: number; diagnosed: number }>()
  for (const row of coverageRows) {
    const district = districtOf(ref, regionCode, row.region_code)
    const entry = coverage.get(district) ?? { aboveScale: 0, diagnosed: 0 }
    entry.aboveScale += Number(row.above)
    entry.diagnosed += Number(row.diagnosed)
    coverage.set(district, entry)
  }
  const coverageByDistrict = [...districts]
    .filter(([code]) => code !== regionCode || coverage.has(code))
    .map(([code, name]) => {
      const c = coverage.get(code) ?? { aboveScale: 0, diagnosed: 0 }
      return { code, name, ...c, rate: percent(c.diagnosed, c.aboveScale) }
    })
  const aboveScale = coverageByDistrict.reduce((s, d) => s + d.aboveScale, 0)
  const diagnosed = coverageByDistrict.reduce((s, d) => s + d.diagnosed, 0)

  const contractStatus = new Map<string, { count: number; amountWanX100: number }>()
  const contractDistrict = new Map<string, { count: number; amountWanX100: number }>()
  for (const row of contractRows) {
    const n = Number(row.n)
    const amount = Number(row.amount ?? 0)
    const s = contractStatus.get(row.status) ?? { count: 0, amountWanX100: 0 }
    s.count += n
    s.amountWanX100 += amount
    contractStatus.set(row.status, s)
    const district = districtOf(ref, regionCode, row.region_code)
    const d = contractDistrict.get(district) ?? { count: 0, amountWanX100: 0 }
    d.count += n
    d.amountWanX100 += amount
    contractDistrict.set(district, d)
  }
  const contractsByStatus = CONTRACT_STATUSES.map((status) => ({
    status,
    ...(contractStatus.get(status) ?? { count: 0, amountWanX100: 0 }),
  }))
  const contractsByDistrict = [...districts]
    .filter(([code]) => code !== regionCode || contractDistrict.has(code))
    .map(([code, name]) => ({ code, name, ...(contractDistrict.get(code) ?? { count: 0, amountWanX100: 0 }) }))

  const openCounts = new Map(scenarioRows.map((r) => [r.scenario_code, Number(r.open)]))
  const supply = ref.scenarios
    .map((s) => {
      const openNeeds = openCounts.get(s.code) ?? 0
      const providers = grid.byScenario.get(s.code) ?? 0
      return { code: s.code, name: refName(s, locale), openNeeds, providers, short: openNeeds > providers }
    })
    .filter((s) => s.openNeeds > 0 || s.providers > 0)

  const targets =
    plan.length === 0
      ? null
      : plan
          .filter(
            (d) =>
              isInJurisdiction(ref, regionCode, d.regionCode) &&
              can(actor, ref, 'read:targets:jurisdiction', { regionCode: d.regionCode }),
          )
          .map((d) => {
            const region = ref.regionsByCode.get(d.regionCode)
            return { code: d.regionCode, name: region ? refName(region, locale) : d.regionName, metrics: d.metrics }
          })

  return {
    year,
    years: yearOptions(currentYear),
    region: { code: regionCode, name: regionLabel(ref, regionCode, locale) },
    regionOptions: jurisdictionOptions(ref, agencyRegion, locale),
    needs: { total: byStatus.reduce((s, r) => s + r.count, 0), byStatus, byIndustry, byScenario },
    coverage: { aboveScale, diagnosed, rate: percent(diagnosed, aboveScale), byDistrict: coverageByDistrict },
    contracts: {
      count: contractsByStatus.reduce((s, r) => s + r.count, 0),
      amountWanX100: contractsByStatus.reduce((s, r) => s + r.amountWanX100, 0),
      byStatus: contractsByStatus,
      byDistrict: contractsByDistrict,
    },
    supply,
    targets,
  }
}
