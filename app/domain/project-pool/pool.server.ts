import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { dialectOf } from '../../../db/dialect.js'
import type { ContractStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { chinaYearBounds, yearOptions } from '../dashboard/schema.js'
import { TARGET_LEVELS, type TargetLevel } from '../needs/enums.js'
import { rulesForRegion } from '../policy/region-rules.server.js'
import type { RuleSet } from '../policy/rule-set.js'
import { narrowedJurisdiction } from '../reference/jurisdiction.js'
import { getReferenceData, refName, regionLabel } from '../reference/reference.server.js'
import { enterpriseFactsBatch } from './facts-batch.server.js'
import { gradientReadiness, type Readiness } from './readiness.js'
import { POOL_NEED_STATUSES, type PoolNeedStatus, type TProjectPoolQuery } from './schema.js'

/*
 * 项目培育库 (issue 16 §6): the projects of an agency's jurisdiction — its enterprises'
 * needs (published or later; drafts and withdrawn needs are not projects) with the
 * contract signed for each — grouped by the level they aim at (智能生产线 … 未来工厂):
 * counts and investment per level, then one page of projects with the enterprise's
 * gradient readiness (readiness.ts) under its region's rule set.
 *
 * What a request costs stays bounded at 100 000 needs: the counts per level are one
 * grouped read of the jurisdiction's needs through needs_region_level_idx (region,
 * status, level, published_at, budgets) and one of its contracts through contracts_region_idx joined to
 * their needs by key; the page is 20 ids from that index alone, then those 20 rows with
 * their enterprise; the page's contracts and facts are four reads over its ids
 * (facts-batch.server.ts). README, 项目培育库: the numbers.
 */

export const POOL_PAGE_SIZE = 20

/** Contracts that count as investment: signed and not terminated. */
export const POOL_CONTRACT_STATUSES = ['active', 'completed'] as const satisfies readonly ContractStatus[]

export interface PoolLevelSummary {
  level: TargetLevel
  needs: number
  /** Sum of the needs' budget ranges (万元). */
  budgetMinWan: number
  budgetMaxWan: number
  contracts: number
  contractAmountWanX100: number
}

export interface PoolProject {
  needId: number
  title: string
  level: TargetLevel
  status: PoolNeedStatus
  publishedAt: string | null
  region: string
  enterpriseId: number
  enterprise: string
  budgetMinWan: number
  budgetMaxWan: number
  contract: { id: number; status: ContractStatus; amountWanX100: number } | null
  readiness: Readiness
}

export interface ProjectPool {
  levels: PoolLevelSummary[]
  total: number
  items: PoolProject[]
  page: number
  pageCount: number
  regionOptions: { code: string; name: string }[]
  yearOptions: number[]
}

type NeedsQuery<O> = SelectQueryBuilder<DB & { n: DB['needs'] }, 'n', O>

/** The agency actor's region, or FORBIDDEN: verified agency members (viewers too) read the pool. */
export function poolRegion(actor: Actor, ref: Awaited<ReturnType<typeof getReferenceData>>): string {
  const agency = actor.org
  if (
    !agency ||
    agency.kind !== 'agency' ||
    !can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: agency.regionCode })
  ) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:enterprise-archive:jurisdiction' } })
  }
  return agency.regionCode
}

/**
 * The jurisdiction's needs as `n`, read through needs_region_level_idx (region, status,
 * level, published, budgets, and the id): it holds all the counts and the page's ids need.
 * Named on SQLite, which has no statistics and, given a year, would otherwise guess the
 * (status, published) index and read every need of the year in every region (江苏's
 * projects of 2026 at 100 000 needs: ~160 ms instead of ~10 ms); left to the planner on
 * PostgreSQL.
 */
function jurisdictionNeeds(db: Database): NeedsQuery<object> {
  const hint = dialectOf(db) === 'sqlite' ? sql` indexed by needs_region_level_idx` : sql``
  return db.selectFrom(sql<DB['needs']>`needs`.as<'n'>(sql`n${hint}`))
}

/** The where-clauses the filters make, shared by the counts, the page and the export. */
function filterNeeds(regions: string[], params: TProjectPoolQuery) {
  const inRegions = regions.length ? regions : ['']
  const statuses = params.status ? [params.status] : [...POOL_NEED_STATUSES]
  const bounds = params.year ? chinaYearBounds(params.year) : null
  return <Q extends NeedsQuery<unknown>>(qb: Q): Q =>
    qb
      .where('n.region_code', 'in', inRegions)
      .where('n.status', 'in', statuses)
      .$if(bounds !== null, (q) => q.where('n.published_at', '>=', bounds!.from).where('n.published_at', '<', bounds!.to))
      .$if(params.level !== undefined, (q) => q.where('n.target_level', '=', params.level!)) as Q
}

/** Rule sets by region code, each looked up once per request. */
function rulesCache(ref: Awaited<ReturnType<typeof getReferenceData>>, today: string) {
  const cache = new Map<string, RuleSet | null>()
  return (regionCode: string): RuleSet | null => {
    if (!cache.has(regionCode)) cache.set(regionCode, rulesForRegion(ref, regionCode, today).gradient)
    return cache.get(regionCode)!
  }
}

/** Rows of needs (with their enterprise's name and region) → projects, with contracts and readiness in batched reads. */
async function toProjects(
  db: Database,
  ref: Awaited<ReturnType<typeof getReferenceData>>,
  rows: {
    id: number
    title: string
    target_level: TargetLevel
    status: string
    published_at: string | null
    region_code: string
    org_id: number
    org_name: string
    org_region: string
    budget_min_wan: number
    budget_max_wan: number
  }[],
  today: string,
  locale: Locale,
): Promise<PoolProject[]> {
  if (!rows.length) return []
  const needIds = rows.map((r) => r.id)
  const [contracts, facts] = await Promise.all([
    chunked(needIds, (part) =>
      db
        .selectFrom('contracts')
        .select(['id', 'need_id', 'status', 'amount_wan_x100'])
        .where('need_id', 'in', part)
        .where('status', '!=', 'draft')
        .execute(),
    ),
    enterpriseFactsBatch(
      db,
      rows.map((r) => r.org_id),
    ),
  ])
  // A need's contract: its live one (active, completed) before a terminated one; the newest first.
  const rank = (s: ContractStatus) => (s === 'terminated' ? 0 : 1)
  const contractOf = new Map<number, (typeof contracts)[number]>()
  for (const c of contracts) {
    const had = contractOf.get(c.need_id)
    if (!had || rank(c.status) > rank(had.status) || (rank(c.status) === rank(had.status) && c.id > had.id)) {
      contractOf.set(c.need_id, c)
    }
  }
  const rulesOf = rulesCache(ref, today)
  return rows.map((r) => {
    const c = contractOf.get(r.id)
    return {
      needId: r.id,
      title: r.title,
      level: r.target_level,
      status: r.status as PoolNeedStatus,
      publishedAt: r.published_at === null ? null : String(r.published_at),
      region: regionLabel(ref, r.region_code, locale),
      enterpriseId: r.org_id,
      enterprise: r.org_name,
      budgetMinWan: Number(r.budget_min_wan),
      budgetMaxWan: Number(r.budget_max_wan),
      contract: c ? { id: c.id, status: c.status, amountWanX100: Number(c.amount_wan_x100) } : null,
      readiness: gradientReadiness(rulesOf(r.org_region), facts.get(r.org_id) ?? {}),
    }
  })
}

async function chunked<T>(ids: number[], read: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += 1000) out.push(...(await read(ids.slice(i, i + 1000))))
  return out
}

/**
 * A page of the filter's projects, newest first: the page's ids first, from the needs'
 * index alone (needs_region_level_idx holds region, status, level and date, and the id),
 * then those rows with their enterprise. Joining the enterprise before the sort would
 * read an organisation for every project of the jurisdiction (50 687 for 江苏 at 100 000
 * needs: ~170 ms, against ~25 ms for the ids).
 */
function projectRows(db: Database, where: <Q extends NeedsQuery<unknown>>(qb: Q) => Q, limit: number, offset: number) {
  const ids = where(jurisdictionNeeds(db)).select('n.id').orderBy('n.id', 'desc').limit(limit).offset(offset)
  return db
    .selectFrom('needs as p')
    .innerJoin('organisations as o', 'o.id', 'p.org_id')
    .where('p.id', 'in', ids)
    .select([
      'p.id',
      'p.title',
      'p.target_level',
      'p.status',
      'p.published_at',
      'p.region_code',
      'p.org_id',
      'o.name as org_name',
      'o.region_code as org_region',
      'p.budget_min_wan',
      'p.budget_max_wan',
    ])
    .orderBy('p.id', 'desc')
    .execute()
}

/** Counts and investment per level for the filter (two grouped reads). */
async function poolLevels(db: Database, regions: string[], params: TProjectPoolQuery): Promise<PoolLevelSummary[]> {
  const where = filterNeeds(regions, params)
  const bounds = params.year ? chinaYearBounds(params.year) : null
  const [needRows, contractRows] = await Promise.all([
    where(jurisdictionNeeds(db))
      .select((eb) => [
        'n.target_level',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('n.budget_min_wan').as('min'),
        eb.fn.sum<number>('n.budget_max_wan').as('max'),
      ])
      .groupBy('n.target_level')
      .execute(),
    // The contracts of the same needs: found by the contracts' own region index, each
    // joined to its need by key, the need's filters applied to it. A CROSS JOIN keeps
    // SQLite to that order (its planner otherwise starts from the needs of a level, every
    // region's: ~320 ms instead of ~20 ms for 江苏's 智能工厂 at 100 000 needs); to
    // PostgreSQL it is the inner join its WHERE makes it.
    db
      .selectFrom('contracts as c')
      .crossJoin('needs as n')
      .whereRef('n.id', '=', 'c.need_id')
      .where('c.region_code', 'in', regions.length ? regions : [''])
      .where('c.status', 'in', POOL_CONTRACT_STATUSES)
      .where('n.status', 'in', params.status ? [params.status] : [...POOL_NEED_STATUSES])
      .$if(bounds !== null, (q) => q.where('n.published_at', '>=', bounds!.from).where('n.published_at', '<', bounds!.to))
      .$if(params.level !== undefined, (q) => q.where('n.target_level', '=', params.level!))
      .select((eb) => ['n.target_level', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('c.amount_wan_x100').as('amount')])
      .groupBy('n.target_level')
      .execute(),
  ])
  return TARGET_LEVELS.map((level): PoolLevelSummary => {
    const nr = needRows.find((r) => r.target_level === level)
    const cr = contractRows.find((r) => r.target_level === level)
    return {
      level,
      needs: Number(nr?.n ?? 0),
      budgetMinWan: Number(nr?.min ?? 0),
      budgetMaxWan: Number(nr?.max ?? 0),
      contracts: Number(cr?.n ?? 0),
      contractAmountWanX100: Number(cr?.amount ?? 0),
    }
  })
}

export async function projectPool(
  db: Database,
  actor: Actor,
  params: TProjectPoolQuery,
  today: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ProjectPool> {
  const ref = await getReferenceData(db)
  const agencyRegion = poolRegion(actor, ref)
  const regions = narrowedJurisdiction(ref, agencyRegion, params.region)
  const where = filterNeeds(regions, params)
  const levels = await poolLevels(db, regions, params)

  const shown = params.level ? levels.filter((l) => l.level === params.level) : levels
  const total = shown.reduce((s, l) => s + l.needs, 0)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(params.page, pageCount)
  const rows = total === 0 ? [] : await projectRows(db, where, POOL_PAGE_SIZE, (page - 1) * POOL_PAGE_SIZE)
  const items = await toProjects(db, ref, rows, today, locale)
  const regionOptions = [ref.regionsByCode.get(agencyRegion), ...(ref.childrenByCode.get(agencyRegion) ?? [])]
    .filter((r) => r !== undefined)
    .map((r) => ({ code: r.code, name: refName(r, locale) }))
  return { levels, total, items, page, pageCount, regionOptions, yearOptions: yearOptions(Number(today.slice(0, 4))) }
}

/** The most projects one export carries; beyond it the workbook says so. */
export const POOL_EXPORT_CAP = 2000

/** Every project of the filter (up to the cap) for the Excel export, and how many there are. */
export async function projectPoolForExport(
  db: Database,
  actor: Actor,
  params: TProjectPoolQuery,
  today: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ levels: PoolLevelSummary[]; items: PoolProject[]; total: number; regionName: string }> {
  const ref = await getReferenceData(db)
  const agencyRegion = poolRegion(actor, ref)
  const regions = narrowedJurisdiction(ref, agencyRegion, params.region)
  const levels = await poolLevels(db, regions, params)
  const total = levels.filter((l) => !params.level || l.level === params.level).reduce((s, l) => s + l.needs, 0)
  const rows = total === 0 ? [] : await projectRows(db, filterNeeds(regions, params), POOL_EXPORT_CAP, 0)
  const items = await toProjects(db, ref, rows, today, locale)
  const regionCode = params.region && regions.length ? params.region : agencyRegion
  return { levels, items, total, regionName: regionLabel(ref, regionCode, locale) }
}
