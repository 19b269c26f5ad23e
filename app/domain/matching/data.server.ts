/**
 * Matching's loaders (issue 13): the plain data of types.ts read from the database, for
 * the pure ranking of rank.ts. Both dialects (Kysely only, no dialect-specific SQL).
 * Bounded: providers load in a fixed number of queries per chunk of ids (≤ 300 ids: one
 * chunk), needs likewise; region paths come from the regions table through the cached
 * reference data (no query per request).
 *
 * Agency tier (issue 15): from the published, final evaluation results and active 移出
 * sanctions (app/domain/evaluation/tiers.server.ts; docs/decisions/012-evaluation.md);
 * 'normal' for a provider without any.
 *
 * Ratings: the diagnosis surveys of the provider's diagnoses and the enterprises' ratings
 * of its completed contracts (contract_ratings side 'enterprise', issue 14: the same
 * seed 002 form adapted to delivery). Either one's value on 0–1 is the mean of its
 * overall verdict (满意 1, 比较满意 0.5, 不满意 0) and of its five items (each 很好 1, 较好
 * 2/3, 一般 1/3, 较差 0, averaged) — one mapping, gradedFormValue in
 * app/domain/contracts/ratings.ts —, dated when it was filled (factors.ts decays it by
 * age). The supervisor's scores and the providers' ratings of enterprises do not count.
 *
 * Delivery record (issue 14), from the provider's contracts (it is the contract's
 * provider_org_id: a consortium's lead): milestones accepted on time (accepted_at's
 * China date ≤ due_date), late (accepted after it, or flagged late by the job and not
 * accepted), disputes lost (resolved with fault 'provider'), contracts completed; and
 * contracts in progress (status active) for capacity. One grouped query per fact over
 * the chunk's ids, through contracts_provider_idx (provider_org_id, status, id).
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../../../db/dialect.js'
import type { SurveyGrade, SurveyOverall } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { gradedFormValue } from '../contracts/ratings.js'
import { loadTiers } from '../evaluation/tiers.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import type {
  CaseForMatching,
  DeliveryForMatching,
  NeedForMatching,
  ProviderForMatching,
  ProviderTier,
  RatingForMatching,
  RegionPath,
} from './types.js'

/** Ids per IN list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 300

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** A timestamp column as ISO text (PostgreSQL gives Date objects, SQLite text). */
const iso = (value: string | Date | null | undefined): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : value

/** A date column as YYYY-MM-DD. */
const isoDate = (value: string | Date | null | undefined): string | null => iso(value)?.slice(0, 10) ?? null

// ---------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------

/** A region code with its county, city and province (a development zone counts as a county). */
export function regionPathOf(ref: ReferenceData, code: string): RegionPath {
  const path: RegionPath = { code, countyCode: null, cityCode: null, provinceCode: null }
  let current = ref.regionsByCode.get(code)
  const seen = new Set<string>()
  while (current && !seen.has(current.code)) {
    seen.add(current.code)
    if (current.level === 'province') path.provinceCode ??= current.code
    else if (current.level === 'city') path.cityCode ??= current.code
    else path.countyCode ??= current.code
    current = current.parent_code ? ref.regionsByCode.get(current.parent_code) : undefined
  }
  return path
}

// ---------------------------------------------------------------------------------------
// Needs
// ---------------------------------------------------------------------------------------

/** One need's matching data, or null when there is no such need (any status: callers check access). */
export async function loadNeedForMatching(db: Kysely<DB>, needId: number): Promise<NeedForMatching | null> {
  const [need] = await loadNeedsForMatching(db, [needId])
  return need ?? null
}

/** The matching data of the needs named (any status), in the order of `needIds`; unknown ids are left out. */
export async function loadNeedsForMatching(db: Kysely<DB>, needIds: readonly number[]): Promise<NeedForMatching[]> {
  const ids = [...new Set(needIds.filter((id) => Number.isSafeInteger(id) && id > 0))]
  if (ids.length === 0) return []
  const ref = await getReferenceData(db)
  const byId = new Map<number, NeedForMatching>()
  for (const part of chunks(ids)) {
    const [rows, scenarios] = await Promise.all([
      db
        .selectFrom('needs')
        .select([
          'id',
          'title',
          'industry_code',
          'region_code',
          'budget_min_wan',
          'budget_max_wan',
          'target_level',
          'deadline',
          'published_at',
        ])
        .where('id', 'in', part)
        .execute(),
      db
        .selectFrom('need_scenarios')
        .select(['need_id', 'scenario_code'])
        .where('need_id', 'in', part)
        .orderBy('need_id')
        .orderBy('scenario_code')
        .execute(),
    ])
    const scenariosOf = new Map<number, string[]>()
    for (const s of scenarios) push(scenariosOf, Number(s.need_id), s.scenario_code)
    for (const r of rows) {
      const id = Number(r.id)
      byId.set(id, {
        id,
        title: r.title,
        industryCode: r.industry_code,
        scenarioCodes: scenariosOf.get(id) ?? [],
        region: regionPathOf(ref, r.region_code),
        budgetMinWan: Number(r.budget_min_wan),
        budgetMaxWan: Number(r.budget_max_wan),
        targetLevel: r.target_level,
        deadline: isoDate(r.deadline),
        publishedAt: iso(r.published_at),
      })
    }
  }
  return ids.map((id) => byId.get(id)).filter((n): n is NeedForMatching => n !== undefined)
}

// ---------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------

/** A survey on 0–1: the mean of its overall verdict and of its five items' mean (module comment). */
export function surveyValue(s: {
  overall: SurveyOverall
  process: SurveyGrade
  analysis: SurveyGrade
  proposal: SurveyGrade
  competence: SurveyGrade
  result: SurveyGrade
}): number {
  return gradedFormValue(s.overall, [s.process, s.analysis, s.proposal, s.competence, s.result])
}

/** At most this many ratings per provider (the newest): older ones weigh little after decay anyway. */
const MAX_RATINGS = 500

function parseKinds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : []
  } catch {
    return []
  }
}

/**
 * The ratings matching weighs, per provider org id (newest first, at most MAX_RATINGS
 * each): its diagnoses' surveys and the enterprises' ratings of its contracts. Two
 * queries for any number of ids (≤ CHUNK). The provider's public page shows the same
 * score (ratingFactor over these).
 */
export async function loadProviderRatings(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, RatingForMatching[]>> {
  const out = new Map<number, RatingForMatching[]>()
  if (ids.length === 0) return out
  const [surveys, rated] = await Promise.all([
    db
      .selectFrom('diagnosis_surveys as s')
      .innerJoin('diagnoses as d', 'd.id', 's.diagnosis_id')
      .select([
        'd.provider_org_id',
        's.overall',
        's.process',
        's.analysis',
        's.proposal',
        's.competence',
        's.result',
        's.filled_at',
      ])
      .where('d.provider_org_id', 'in', ids)
      .execute(),
    // contract_ratings_rated_idx (rated_org_id, side, id).
    db
      .selectFrom('contract_ratings')
      .select(['rated_org_id', 'overall', 'item_1', 'item_2', 'item_3', 'item_4', 'item_5', 'created_at'])
      .where('rated_org_id', 'in', ids)
      .where('side', '=', 'enterprise')
      .execute(),
  ])
  for (const s of surveys) push(out, Number(s.provider_org_id), { value: surveyValue(s), at: iso(s.filled_at) ?? '' })
  for (const r of rated) {
    const value = gradedFormValue(r.overall, [r.item_1, r.item_2, r.item_3, r.item_4, r.item_5])
    push(out, Number(r.rated_org_id), { value, at: iso(r.created_at) ?? '' })
  }
  for (const [org, list] of out) {
    list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    if (list.length > MAX_RATINGS) out.set(org, list.slice(0, MAX_RATINGS))
  }
  return out
}

const NO_DELIVERY: DeliveryForMatching = Object.freeze({
  milestonesOnTime: 0,
  milestonesLate: 0,
  disputesLost: 0,
  contractsCompleted: 0,
})

/** accepted_at's day in China (UTC+8, no daylight saving) is on or before due_date. */
function acceptedOnTime(db: Kysely<DB>) {
  return isPostgres(db)
    ? sql<boolean>`(m.accepted_at at time zone 'Asia/Shanghai')::date <= m.due_date`
    : sql<boolean>`date(m.accepted_at, '+8 hours') <= m.due_date`
}

/**
 * The delivery record and the contracts in progress of the providers named (module
 * comment): three grouped queries over contracts_provider_idx, whatever the number of
 * ids (≤ CHUNK). Providers without contracts are absent (neutral).
 */
export async function loadContractFacts(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, { delivery: DeliveryForMatching; activeContracts: number }>> {
  const out = new Map<number, { delivery: DeliveryForMatching; activeContracts: number }>()
  if (ids.length === 0) return out
  const count = (condition: ReturnType<typeof sql>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`
  const onTime = acceptedOnTime(db)
  const [contracts, milestones, disputes] = await Promise.all([
    db
      .selectFrom('contracts as c')
      .select([
        'c.provider_org_id',
        count(sql`c.status = 'completed'`).as('completed'),
        count(sql`c.status = 'active'`).as('active'),
      ])
      .where('c.provider_org_id', 'in', ids)
      .groupBy('c.provider_org_id')
      .execute(),
    db
      .selectFrom('contract_milestones as m')
      .innerJoin('contracts as c', 'c.id', 'm.contract_id')
      .select([
        'c.provider_org_id',
        count(sql`m.status = 'accepted' and ${onTime}`).as('on_time'),
        count(sql`(m.status = 'accepted' and not (${onTime})) or (m.status <> 'accepted' and m.late_flagged_at is not null)`).as(
          'late',
        ),
      ])
      .where('c.provider_org_id', 'in', ids)
      .where('c.status', 'in', ['active', 'completed', 'terminated'])
      .groupBy('c.provider_org_id')
      .execute(),
    db
      .selectFrom('disputes as d')
      .innerJoin('contracts as c', 'c.id', 'd.contract_id')
      .select((eb) => ['c.provider_org_id', eb.fn.countAll<number>().as('lost')])
      .where('c.provider_org_id', 'in', ids)
      .where('d.status', '=', 'resolved')
      .where('d.fault', '=', 'provider')
      .groupBy('c.provider_org_id')
      .execute(),
  ])
  const entry = (org: number) => {
    let e = out.get(org)
    if (!e) {
      e = { delivery: { ...NO_DELIVERY }, activeContracts: 0 }
      out.set(org, e)
    }
    return e
  }
  for (const r of contracts) {
    const e = entry(Number(r.provider_org_id))
    e.delivery.contractsCompleted = Number(r.completed ?? 0)
    e.activeContracts = Number(r.active ?? 0)
  }
  for (const r of milestones) {
    const e = entry(Number(r.provider_org_id))
    e.delivery.milestonesOnTime = Number(r.on_time ?? 0)
    e.delivery.milestonesLate = Number(r.late ?? 0)
  }
  for (const r of disputes) entry(Number(r.provider_org_id)).delivery.disputesLost = Number(r.lost ?? 0)
  return out
}

/**
 * The matching data of the providers whose org ids are the keys of `relevance` (their text
 * relevance the values), in the map's order. Ids that are not provider organisations are
 * left out; unverified ones are returned (rank.ts filters them, and says why).
 */
export async function loadProvidersForMatching(
  db: Kysely<DB>,
  relevance: ReadonlyMap<number, number>,
): Promise<ProviderForMatching[]> {
  const ids = [...relevance.keys()].filter((id) => Number.isSafeInteger(id) && id > 0)
  if (ids.length === 0) return []
  const ref = await getReferenceData(db)
  const byId = new Map<number, ProviderForMatching>()
  for (const part of chunks(ids)) {
    for (const p of await loadProviderChunk(db, ref, part)) {
      byId.set(p.orgId, { ...p, textRelevance: clampRelevance(relevance.get(p.orgId)) })
    }
  }
  return ids.map((id) => byId.get(id)).filter((p): p is ProviderForMatching => p !== undefined)
}

/** One provider's matching data (no text relevance: provider → needs), or null when it is no provider. */
export async function loadProviderForMatching(
  db: Kysely<DB>,
  orgId: number,
): Promise<Omit<ProviderForMatching, 'textRelevance'> | null> {
  if (!Number.isSafeInteger(orgId) || orgId <= 0) return null
  const ref = await getReferenceData(db)
  const [p] = await loadProviderChunk(db, ref, [orgId])
  return p ?? null
}

function clampRelevance(x: number | undefined): number {
  return x === undefined || !Number.isFinite(x) ? 0 : Math.min(1, Math.max(0, x))
}

/** Fourteen queries for a chunk of org ids, whatever its size (≤ CHUNK). */
async function loadProviderChunk(
  db: Kysely<DB>,
  ref: ReferenceData,
  ids: readonly number[],
): Promise<Omit<ProviderForMatching, 'textRelevance'>[]> {
  const orgs = await db
    .selectFrom('organisations as o')
    .leftJoin('provider_profiles as p', 'p.org_id', 'o.id')
    .select(['o.id', 'o.name', 'o.status', 'o.provider_kinds', 'o.region_code', 'p.team_size', 'p.nationwide'])
    .where('o.kind', '=', 'provider')
    .where('o.id', 'in', ids)
    .execute()
  if (orgs.length === 0) return []
  const found = orgs.map((o) => Number(o.id))
  const [industries, scenarios, regions, cases, caseScenarios, ratingsOf, contractFacts, prices, tiers] = await Promise.all([
    db
      .selectFrom('provider_industries')
      .select(['org_id', 'industry_code'])
      .where('org_id', 'in', found)
      .orderBy('industry_code')
      .execute(),
    db
      .selectFrom('provider_scenarios')
      .select(['org_id', 'scenario_code'])
      .where('org_id', 'in', found)
      .orderBy('scenario_code')
      .execute(),
    db
      .selectFrom('provider_regions')
      .select(['org_id', 'region_code'])
      .where('org_id', 'in', found)
      .orderBy('region_code')
      .execute(),
    db
      .selectFrom('provider_cases')
      .select(['id', 'org_id', 'industry_code', 'year', 'verified_contract_id', 'verified_at'])
      .where('org_id', 'in', found)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('case_scenarios as cs')
      .innerJoin('provider_cases as c', 'c.id', 'cs.case_id')
      .select(['cs.case_id', 'cs.scenario_code'])
      .where('c.org_id', 'in', found)
      .orderBy('cs.case_id')
      .orderBy('cs.scenario_code')
      .execute(),
    loadProviderRatings(db, found),
    loadContractFacts(db, found),
    // The price range of the provider's active own templates, each at its current version.
    db
      .selectFrom('contract_templates as t')
      .innerJoin('contract_template_versions as v', (j) =>
        j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .select((eb) => [
        't.org_id',
        eb.fn.min(eb.fn.coalesce('v.price_min_wan', 'v.price_max_wan')).as('min_wan'),
        eb.fn.max(eb.fn.coalesce('v.price_max_wan', 'v.price_min_wan')).as('max_wan'),
      ])
      .where('t.org_id', 'in', found)
      .where('t.status', '=', 'active')
      .where('t.is_official', '=', 0)
      .groupBy('t.org_id')
      .execute(),
    // The agency evaluation's tier (issue 15; docs/decisions/012-evaluation.md).
    loadTiers(db, found),
  ])

  const industriesOf = new Map<number, string[]>()
  for (const r of industries) push(industriesOf, Number(r.org_id), r.industry_code)
  const scenariosOf = new Map<number, string[]>()
  for (const r of scenarios) push(scenariosOf, Number(r.org_id), r.scenario_code)
  const regionsOf = new Map<number, string[]>()
  for (const r of regions) push(regionsOf, Number(r.org_id), r.region_code)
  const scenariosOfCase = new Map<number, string[]>()
  for (const r of caseScenarios) push(scenariosOfCase, Number(r.case_id), r.scenario_code)
  const casesOf = new Map<number, CaseForMatching[]>()
  for (const c of cases) {
    push(casesOf, Number(c.org_id), {
      industryCode: c.industry_code,
      scenarioCodes: scenariosOfCase.get(Number(c.id)) ?? [],
      verified: c.verified_contract_id !== null || c.verified_at !== null,
      year: Number(c.year),
    })
  }
  const priceOf = new Map<number, { min: number | null; max: number | null }>()
  for (const p of prices) {
    const min = p.min_wan === null || p.min_wan === undefined ? null : Number(p.min_wan)
    const max = p.max_wan === null || p.max_wan === undefined ? null : Number(p.max_wan)
    priceOf.set(Number(p.org_id), { min, max })
  }

  return orgs.map((o) => {
    const orgId = Number(o.id)
    const served = regionsOf.get(orgId) ?? []
    const price = priceOf.get(orgId)
    const teamSize = o.team_size === null || o.team_size === undefined ? null : Number(o.team_size)
    // The latest published, final evaluation results and active removals (loadTiers); 'normal' without any.
    const tier: ProviderTier = tiers.get(orgId) ?? 'normal'
    return {
      orgId,
      name: o.name,
      kinds: parseKinds(o.provider_kinds),
      verified: o.status === 'verified',
      industryCodes: industriesOf.get(orgId) ?? [],
      scenarioCodes: scenariosOf.get(orgId) ?? [],
      cases: casesOf.get(orgId) ?? [],
      ratings: ratingsOf.get(orgId) ?? [],
      delivery: contractFacts.get(orgId)?.delivery ?? { ...NO_DELIVERY },
      seat: regionPathOf(ref, o.region_code),
      servedRegionCodes: served,
      servedRegions: served.map((code) => regionPathOf(ref, code)),
      nationwide: Number(o.nationwide ?? 0) === 1,
      activeContracts: contractFacts.get(orgId)?.activeContracts ?? 0,
      teamSize: teamSize !== null && Number.isFinite(teamSize) && teamSize > 0 ? teamSize : null,
      priceMinWan: price?.min ?? null,
      priceMaxWan: price?.max ?? null,
      tier,
    }
  })
}
