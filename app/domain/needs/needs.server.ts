import { sql } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { SearchEngine, SearchHit, SearchQuery, SearchResult } from '../../../search/engine.js'
import { can, type Viewer } from '../../utils/permissions.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import {
  NEEDS_PAGE_SIZE,
  type NeedStatus,
  type NeedVisibility,
  type TargetLevel,
  type TNeedSearchParams,
} from './schema.js'
import { ensureNeedsIndex, NEEDS_INDEX, parseNeedDocumentId } from './search-index.server.js'
import { isVisibleNeed } from './visibility.js'

export const NEED_FACETS = ['industry', 'province', 'city', 'scenarios', 'level', 'status'] as const

export interface NeedListItem {
  id: number
  title: string
  orgName: string
  industryName: string
  regionName: string
  level: TargetLevel
  status: NeedStatus
  budgetMinWan: number
  budgetMaxWan: number
  publishedAt: string
  scenarioNames: string
  excerpt: string
}

export interface NeedSearchPage {
  items: NeedListItem[]
  total: number
  page: number
  pageCount: number
  facets: SearchResult['facets']
}

/**
 * Which visibilities a viewer may see: everyone sees public needs; verified providers
 * and agencies also see needs published to verified providers only.
 */
export async function visibleNeedVisibilities(db: Database, viewer: Viewer | null): Promise<NeedVisibility[]> {
  const mayReadRestricted = viewer !== null && can(viewer, 'read:need:restricted', await getReferenceData(db))
  return mayReadRestricted ? ['public', 'verified_providers'] : ['public']
}

/** What the URL asks for, in the engine's terms. */
export function toNeedSearchQuery(params: TNeedSearchParams, visibilities: readonly NeedVisibility[] = ['public']): SearchQuery {
  const filters: Record<string, string[]> = { visibility: [...visibilities] }
  if (params.industry) filters.industry = [params.industry]
  if (params.region) filters.regions = [params.region]
  if (params.scenario) filters.scenarios = [params.scenario]
  if (params.level) filters.level = [params.level]
  if (params.status) filters.status = [params.status]
  // Budgets overlap the asked range: a need of 100–300 万 suits someone offering 200–500.
  const ranges: SearchQuery['ranges'] = {}
  if (params.budgetMin !== undefined) ranges.budgetMax = { min: params.budgetMin }
  if (params.budgetMax !== undefined) ranges.budgetMin = { max: params.budgetMax }
  const sort: SearchQuery['sort'] =
    params.sort === 'newest'
      ? { by: 'publishedAt', direction: 'desc' }
      : params.sort === 'budget_desc'
        ? { by: 'budgetMax', direction: 'desc' }
        : params.sort === 'budget_asc'
          ? { by: 'budgetMax', direction: 'asc' }
          : params.q
            ? 'relevance'
            : { by: 'publishedAt', direction: 'desc' }
  return {
    text: params.q,
    filters,
    ranges,
    facets: NEED_FACETS,
    sort,
    page: params.page,
    pageSize: NEEDS_PAGE_SIZE,
  }
}

export async function searchNeeds(
  engine: SearchEngine,
  params: TNeedSearchParams,
  visibilities: readonly NeedVisibility[] = ['public'],
): Promise<NeedSearchPage> {
  // Cheap after the first call; a fresh database has no index until something ensures it.
  await ensureNeedsIndex(engine)
  const result = await engine.search(NEEDS_INDEX, toNeedSearchQuery(params, visibilities))
  return {
    items: result.hits.map(toListItem),
    total: result.total,
    page: result.page,
    pageCount: Math.max(1, Math.ceil(result.total / result.pageSize)),
    facets: result.facets,
  }
}

function toListItem({ id, display: d }: SearchHit): NeedListItem {
  const text = (k: string) => (d[k] == null ? '' : String(d[k]))
  return {
    id: parseNeedDocumentId(id) ?? 0,
    title: text('title'),
    orgName: text('orgName'),
    industryName: text('industryName'),
    regionName: text('regionName'),
    level: text('level') as TargetLevel,
    status: text('status') as NeedStatus,
    budgetMinWan: Number(d.budgetMinWan ?? 0),
    budgetMaxWan: Number(d.budgetMaxWan ?? 0),
    publishedAt: text('publishedAt'),
    scenarioNames: text('scenarioNames'),
    excerpt: text('excerpt'),
  }
}

export interface NeedDetail {
  id: number
  title: string
  description: string
  expectedResults: string
  industryCode: string
  industryName: string
  regionCode: string
  regionName: string
  level: TargetLevel
  budgetMinWan: number
  budgetMaxWan: number
  expectedStart: string
  durationMonths: number
  acceptsMatching: boolean
  status: NeedStatus
  publishedAt: string
  orgName: string
  scenarios: { code: string; name: string }[]
}

/**
 * A need a viewer may open: published at some point, of a visibility they may see,
 * not withdrawn or expired, from an organisation that passed its onboarding audit.
 */
export async function getPublicNeed(
  db: Database,
  id: number,
  visibilities: readonly NeedVisibility[] = ['public'],
): Promise<NeedDetail | null> {
  const row = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .innerJoin('industries as i', 'i.code', 'n.industry_code')
    .select([
      'n.id',
      'n.title',
      'n.description',
      'n.expected_results',
      'n.industry_code',
      'i.name as industry_name',
      'n.region_code',
      'n.target_level',
      'n.budget_min_wan',
      'n.budget_max_wan',
      'n.expected_start',
      'n.duration_months',
      'n.accepts_matching',
      'n.status',
      'n.published_at',
      'o.name as org_name',
    ])
    .where('n.id', '=', id)
    .where(isVisibleNeed(visibilities))
    .executeTakeFirst()
  if (!row) return null
  const [scenarios, ref] = await Promise.all([
    db
      .selectFrom('need_scenarios as ns')
      .innerJoin('scenarios as s', 's.code', 'ns.scenario_code')
      .select(['s.code', 's.name'])
      .where('ns.need_id', '=', id)
      .orderBy('s.sort_order')
      .execute(),
    getReferenceData(db),
  ])
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    expectedResults: row.expected_results,
    industryCode: row.industry_code,
    industryName: row.industry_name,
    regionCode: row.region_code,
    regionName: regionLabel(ref, row.region_code),
    level: row.target_level,
    budgetMinWan: row.budget_min_wan,
    budgetMaxWan: row.budget_max_wan,
    expectedStart: row.expected_start,
    durationMonths: row.duration_months,
    acceptsMatching: row.accepts_matching === 1,
    status: row.status,
    publishedAt: row.published_at ?? '',
    orgName: row.org_name,
    scenarios,
  }
}

export interface PlatformStats {
  openNeeds: number
  publicNeeds: number
  enterprises: number
  providers: number
  openBudgetWan: number
}

export async function getPlatformStats(db: Database): Promise<PlatformStats> {
  const needs = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      sql<number>`count(*) filter (where n.status = 'published')`.as('open'),
      sql<number>`count(*)`.as('public'),
      sql<number>`coalesce(sum(n.budget_max_wan) filter (where n.status = 'published'), 0)`.as('budget'),
    ])
    .where(isVisibleNeed(['public']))
    .executeTakeFirstOrThrow()
  const orgs = await db
    .selectFrom('organisations')
    .select([
      sql<number>`count(*) filter (where kind = 'enterprise')`.as('enterprises'),
      sql<number>`count(*) filter (where kind = 'provider')`.as('providers'),
    ])
    .where('status', '=', 'verified')
    .executeTakeFirstOrThrow()
  return {
    openNeeds: needs.open,
    publicNeeds: needs.public,
    openBudgetWan: needs.budget,
    enterprises: orgs.enterprises,
    providers: orgs.providers,
  }
}

/** Newest open public needs for the home page, drawn like the list: from the index. */
export async function listLatestNeeds(engine: SearchEngine, limit: number): Promise<NeedListItem[]> {
  await ensureNeedsIndex(engine)
  const result = await engine.search(NEEDS_INDEX, {
    filters: { visibility: ['public'], status: ['published'] },
    sort: { by: 'publishedAt', direction: 'desc' },
    pageSize: limit,
  })
  return result.hits.map(toListItem)
}
