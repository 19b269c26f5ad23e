import { sql } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { TargetMetric } from '../../../db/enums.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { rateOf, TARGET_METRICS, type MetricInput } from './scoring.js'

/*
 * Actuals of a plan's districts (decision 013): what the platform counts in the plan's year
 * (a China calendar year) plus what agencies entered with evidence.
 * - smart_retrofit 智能化改造: contracts of the district's needs that came into force in the year
 *   (active or completed; terminated ones do not count).
 * - diagnosis 数字画像诊断: diagnoses of the district's enterprises completed in the year.
 * - benchmark 数字标杆: 智能工厂梯度 titles (incl. 优秀场景) of the district's enterprises
 *   awarded in the year, not revoked.
 * - cloud 上云用数: the platform cannot know it (星级上云认定): entered only.
 * - coverage 覆盖率: the district's verified above-scale (规上) enterprises with a diagnosis
 *   (active or completed) or a contract in force, started by the end of the year, over all
 *   its verified above-scale enterprises — cumulative, never entered.
 */

export const COUNTED_METRICS = ['smart_retrofit', 'diagnosis', 'benchmark', 'coverage'] as const

/** [from, to) of a China calendar year as UTC instants (ISO). */
export function chinaYearWindow(year: number): { from: string; to: string } {
  return { from: `${year - 1}-12-31T16:00:00.000Z`, to: `${year}-12-31T16:00:00.000Z` }
}

export interface DistrictActuals {
  /** Platform counts (coverage: covered enterprises). */
  counted: Record<TargetMetric, number>
  /** Entered with evidence (struck-out entries left out). */
  entered: Record<TargetMetric, number>
  /** Coverage: the district's verified above-scale enterprises. */
  aboveScale: number
}

const zeros = (): Record<TargetMetric, number> => ({
  smart_retrofit: 0,
  cloud: 0,
  diagnosis: 0,
  benchmark: 0,
  coverage: 0,
})

/** Region code → the plan district it lies in (the district itself and every region below it). */
export function districtLookup(ref: ReferenceData, districts: readonly string[]): Map<string, string> {
  const lookup = new Map<string, string>()
  for (const district of districts) for (const code of jurisdictionCodes(ref, district)) lookup.set(code, district)
  return lookup
}

/** Bounded aggregate queries: one per metric, grouped by region code. */
export async function countActuals(
  db: Database,
  ref: ReferenceData,
  planId: number,
  year: number,
  districts: readonly string[],
): Promise<Map<string, DistrictActuals>> {
  const result = new Map<string, DistrictActuals>()
  for (const d of districts) result.set(d, { counted: zeros(), entered: zeros(), aboveScale: 0 })
  if (districts.length === 0) return result
  const lookup = districtLookup(ref, districts)
  const codes = [...lookup.keys()]
  const { from, to } = chinaYearWindow(year)
  const add = (rows: { region_code: string; n: unknown }[], apply: (a: DistrictActuals, n: number) => void) => {
    for (const row of rows) {
      const district = lookup.get(row.region_code)
      if (district) apply(result.get(district)!, Number(row.n))
    }
  }

  const contracts = await db
    .selectFrom('contracts')
    .select(['region_code', (eb) => eb.fn.countAll().as('n')])
    .where('region_code', 'in', codes)
    .where('status', 'in', ['active', 'completed'])
    .where('activated_at', '>=', from)
    .where('activated_at', '<', to)
    .groupBy('region_code')
    .execute()
  add(contracts, (a, n) => (a.counted.smart_retrofit += n))

  const diagnoses = await db
    .selectFrom('diagnoses as d')
    .innerJoin('organisations as o', 'o.id', 'd.enterprise_org_id')
    .select(['o.region_code', (eb) => eb.fn.countAll().as('n')])
    .where('o.region_code', 'in', codes)
    .where('d.status', '=', 'completed')
    .where('d.completed_at', '>=', from)
    .where('d.completed_at', '<', to)
    .groupBy('o.region_code')
    .execute()
  add(diagnoses, (a, n) => (a.counted.diagnosis += n))

  const titles = await db
    .selectFrom('enterprise_titles as t')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .select(['o.region_code', (eb) => eb.fn.countAll().as('n')])
    .where('o.region_code', 'in', codes)
    .where('t.status', '<>', 'revoked')
    .where('t.awarded_on', '>=', `${year}-01-01`)
    .where('t.awarded_on', '<', `${year + 1}-01-01`)
    .groupBy('o.region_code')
    .execute()
  add(titles, (a, n) => (a.counted.benchmark += n))

  const coverage = await aboveScale(db, codes)
    .select((eb) => [
      'o.region_code',
      eb.fn.countAll().as('n'),
      eb.fn.sum<number>(eb.case().when(coveredBy(to)).then(sql.lit(1)).else(sql.lit(0)).end()).as('covered'),
    ])
    .groupBy('o.region_code')
    .execute()
  for (const row of coverage) {
    const district = lookup.get(row.region_code)
    if (!district) continue
    const a = result.get(district)!
    a.aboveScale += Number(row.n)
    a.counted.coverage += Number(row.covered ?? 0)
  }

  const entries = await db
    .selectFrom('target_actual_entries')
    .select(['region_code', 'metric', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('plan_id', '=', planId)
    .where('withdrawn_at', 'is', null)
    .groupBy(['region_code', 'metric'])
    .execute()
  for (const row of entries) {
    const a = result.get(row.region_code)
    if (a) a.entered[row.metric] += Number(row.n)
  }
  return result
}

/** The verified above-scale enterprises of `codes`. */
export function aboveScale(db: Database, codes: string[]) {
  return db
    .selectFrom('enterprise_profiles as p')
    .innerJoin('organisations as o', 'o.id', 'p.org_id')
    .where('p.above_scale', '=', 1)
    .where('o.kind', '=', 'enterprise')
    .where('o.status', '=', 'verified')
    .where('o.region_code', 'in', codes)
}

/** Whether enterprise `o` had a diagnosis or a contract in force started before `to`. */
export function coveredBy(to: string) {
  return sql<boolean>`(exists (select 1 from diagnoses d where d.enterprise_org_id = o.id and d.status in ('active', 'completed') and d.created_at < ${to}) or exists (select 1 from contracts c where c.enterprise_org_id = o.id and c.status in ('active', 'completed') and c.activated_at < ${to}))`
}

/** Counted plus entered: the actual the scoring uses (coverage: counted only). */
export function metricInput(metric: TargetMetric, target: number, a: DistrictActuals): MetricInput {
  if (metric === 'coverage') return { target, actual: a.counted.coverage, base: a.aboveScale }
  return { target, actual: a.counted[metric] + a.entered[metric] }
}

export interface DistrictCompletion {
  regionCode: string
  regionName: string
  metrics: {
    metric: TargetMetric
    target: number
    /** Counts; coverage: the actual percentage (one decimal). */
    actual: number
    /** Completion rate in % (one decimal). */
    ratePct: number
  }[]
}

/**
 * For the dashboard (slice D): the completion of each district of `agencyOrgId`'s plan of
 * `year`, per metric; [] when the agency has no plan that year. The caller checks that the
 * reader may see the agency's districts (read:targets:jurisdiction).
 */
export async function districtCompletion(db: Database, agencyOrgId: number, year: number): Promise<DistrictCompletion[]> {
  const plan = await db
    .selectFrom('target_plans')
    .select(['id', 'year'])
    .where('agency_org_id', '=', agencyOrgId)
    .where('year', '=', year)
    .executeTakeFirst()
  if (!plan) return []
  const ref = await getReferenceData(db)
  const targets = await db
    .selectFrom('district_targets')
    .select(['region_code', 'metric', 'target'])
    .where('plan_id', '=', plan.id)
    .execute()
  const districts = [...new Set(targets.map((t) => t.region_code))].sort()
  const actuals = await countActuals(db, ref, plan.id, plan.year, districts)
  return districts.map((code) => {
    const a = actuals.get(code)!
    return {
      regionCode: code,
      regionName: ref.regionsByCode.get(code)?.name ?? code,
      metrics: TARGET_METRICS.map((metric) => {
        const target = targets.find((t) => t.region_code === code && t.metric === metric)?.target ?? 0
        const input = metricInput(metric, target, a)
        const rate = rateOf(metric, input)
        const actual =
          metric === 'coverage' ? (input.base ? Math.round((input.actual * 1000) / input.base) / 10 : 0) : input.actual
        return { metric, target, actual, ratePct: Math.round((rate.n * 1000) / rate.d) / 10 }
      }),
    }
  })
}
