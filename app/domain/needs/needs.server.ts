import type { Database } from '../../../db/connection.js'
import type { SearchEngine, SearchHit, SearchQuery, SearchResult } from '../../../search/engine.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  regionFilterOptions,
  regionLabel,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
  type RegionFilterOption,
} from '../reference/reference.server.js'
import {
  MAX_NEEDS_PAGE,
  NEEDS_PAGE_SIZE,
  type NeedStatus,
  type NeedVisibility,
  type TargetLevel,
  type TNeedSearchParams,
} from './schema.js'
import { needHistory, needSourceLink } from './history.server.js'
import { ensureNeedsIndex, NEEDS_INDEX, parseNeedDocumentId } from './search-index.server.js'
import { searchBudget, type SearchBudget } from './search-budget.server.js'
import { excerptsAroundTerms, hitIds, suggestQuery, type QuerySuggestion } from './search-suggest.server.js'
import { restrictedNeedRefusal } from './restricted.server.js'
import { getPlatformStats, type PlatformStats } from './stats.server.js'
import type { NeedDetail, NeedListItem } from './views.js'
import { isVisibleNeed } from './visibility.js'

export type { NeedDetail, NeedListItem } from './views.js'
/** The hall's query schema, for its loader: through this .server module, zod stays out of the browser bundle. */
export { ZNeedSearchParams } from './schema.js'

export const NEED_FACETS = ['industry', 'province', 'city', 'scenarios', 'level', 'status'] as const

export interface NeedSearchPage {
  items: NeedListItem[]
  total: number
  page: number
  pageCount: number
  facets: SearchResult['facets']
  /** The words the query matched (synonyms included, lower-cased): what titles and excerpts highlight. */
  terms: string[]
}

/**
 * Which visibilities an actor may see: everyone (visitors too) sees public needs;
 * those granted `read:need-restricted:role` (verified providers and agencies) also
 * see needs published to verified providers only.
 */
function visibleNeedVisibilities(ref: ReferenceData, actor: Actor | null): NeedVisibility[] {
  return can(actor, ref, 'read:need-restricted:role') ? ['public', 'verified_providers'] : ['public']
}

/** What the URL asks for, in the engine's terms (the bench asks as the hall does, tests/bench/engine-pages.ts). */
export function toNeedSearchQuery(params: TNeedSearchParams, visibilities: readonly NeedVisibility[]): SearchQuery {
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

export interface NeedsHall {
  result: NeedSearchPage
  regionOptions: RegionFilterOption[]
  industries: { code: string; name: string }[]
  scenarios: { code: string; name: string; link: string }[]
  /** 您是不是要找: a corrected query that finds something, when the words found nothing. */
  suggestion: QuerySuggestion | null
  /** A verified provider may save the hall's query (保存搜索, /provider/saved-searches). */
  canSaveSearch: boolean
}

/**
 * The needs hall: the needs the actor (or a visitor, `null`) may see that match the
 * query, with the facet counts and the filter choices, reference names in `locale`.
 */
export async function browseNeeds(
  db: Database,
  engine: SearchEngine,
  actor: Actor | null,
  params: TNeedSearchParams,
  ip: string,
  locale: Locale = DEFAULT_LOCALE,
  budget: SearchBudget = searchBudget,
): Promise<NeedsHall> {
  const ref = await getReferenceData(db)
  // Cheap after the first call; a fresh database has no index until something ensures it.
  await ensureNeedsIndex(engine)
  const query = toNeedSearchQuery(params, visibleNeedVisibilities(ref, actor))
  const wait = budget.charge(actor ? `user:${actor.userId}` : `ip:${ip}`, JSON.stringify(query))
  if (wait > 0) throw new AppError('RATE_LIMITED', 'errors.rateLimited', { retryAfter: wait })
  const found = await engine.search(NEEDS_INDEX, query)
  const [suggestion, excerpts] = await Promise.all([
    suggestQuery(engine, NEEDS_INDEX, query, found, ref),
    excerptsAroundTerms(db, 'needs', hitIds(found.hits, parseNeedDocumentId), found.terms),
  ])
  const result: NeedSearchPage = {
    items: found.hits.map((hit) => {
      const item = toListItem(hit, ref, locale)
      return { ...item, excerpt: excerpts.get(item.id) ?? item.excerpt }
    }),
    total: found.total,
    page: found.page,
    // Deep pages of a search are refused; narrowing the query is the way further.
    pageCount: Math.min(MAX_NEEDS_PAGE, Math.max(1, Math.ceil(found.total / found.pageSize))),
    facets: found.facets,
    terms: found.terms,
  }
  return {
    result,
    regionOptions: regionFilterOptions(ref, params.region, found.facets, locale),
    industries: industryOptions(ref, locale),
    scenarios: scenarioOptions(ref, locale),
    suggestion,
    canSaveSearch: actor?.org ? can(actor, ref, 'read:recommended-needs:own', { orgId: actor.org.orgId }) : false,
  }
}

/**
 * A hit as a list item. The document holds the reference names in Chinese and their
 * codes (document version 2; start-up rebuilds older indexes): other languages name
 * them from the codes, falling back to the Chinese names for a code reference data
 * no longer has.
 */
function toListItem({ id, display: d }: SearchHit, ref: ReferenceData, locale: Locale): NeedListItem {
  const text = (k: string) => (d[k] == null ? '' : String(d[k]))
  const localised = locale !== DEFAULT_LOCALE
  const scenarioCodes = text('scenarioCodes')
  return {
    id: parseNeedDocumentId(id) ?? 0,
    title: text('title'),
    orgName: text('orgName'),
    industryName: (localised && industryName(ref, text('industryCode'), locale)) || text('industryName'),
    regionName: (localised && text('regionCode') && regionLabel(ref, text('regionCode'), locale)) || text('regionName'),
    level: text('level') as TargetLevel,
    status: text('status') as NeedStatus,
    budgetMinWan: Number(d.budgetMinWan ?? 0),
    budgetMaxWan: Number(d.budgetMaxWan ?? 0),
    publishedAt: text('publishedAt'),
    scenarioNames:
      localised && scenarioCodes
        ? scenarioCodes
            .split(',')
            .map((code) => scenarioName(ref, code, locale) ?? code)
            .join(translator(locale)('list.separator'))
        : text('scenarioNames'),
    excerpt: text('excerpt'),
  }
}

/**
 * A need's page, if the actor (or a visitor, `null`) may open it: published at some
 * point, not withdrawn or expired, from an organisation that passed its onboarding
 * audit, and public or restricted to those granted `read:need-restricted:role`.
 * A need for verified providers only is FORBIDDEN to others, with the reason and
 * nothing of the need (restricted.server.ts); anything else is NOT_FOUND, so nobody
 * learns that a hidden need exists.
 */
export async function getNeed(
  db: Database,
  actor: Actor | null,
  id: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<NeedDetail> {
  const ref = await getReferenceData(db)
  const visibilities = visibleNeedVisibilities(ref, actor)
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
      'n.source_report_id',
      'n.source_weakness_id',
      'o.name as org_name',
    ])
    .where('n.id', '=', id)
    .where(isVisibleNeed(visibilities))
    .executeTakeFirst()
  // One published to verified providers only is refused with the reason (403), revealing nothing else.
  if (!row) throw (await restrictedNeedRefusal(db, ref, actor, id)) ?? new AppError('NOT_FOUND', 'need.e.notFound')
  const scenarios = await db
    .selectFrom('need_scenarios as ns')
    .innerJoin('scenarios as s', 's.code', 'ns.scenario_code')
    .select(['s.code', 's.name'])
    .where('ns.need_id', '=', id)
    .orderBy('s.sort_order')
    .execute()
  const [history, source] = await Promise.all([
    needHistory(db, ref, id, { publicOnly: true, locale }),
    needSourceLink(db, actor, ref, row.source_report_id, row.source_weakness_id),
  ])
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    expectedResults: row.expected_results,
    industryCode: row.industry_code,
    industryName: industryName(ref, row.industry_code, locale) ?? row.industry_name,
    regionCode: row.region_code,
    regionName: regionLabel(ref, row.region_code, locale),
    level: row.target_level,
    budgetMinWan: row.budget_min_wan,
    budgetMaxWan: row.budget_max_wan,
    expectedStart: row.expected_start,
    durationMonths: row.duration_months,
    acceptsMatching: row.accepts_matching === 1,
    status: row.status,
    publishedAt: row.published_at ?? '',
    orgName: row.org_name,
    scenarios: scenarios.map((s) => ({ code: s.code, name: scenarioName(ref, s.code, locale) ?? s.name })),
    history,
    source,
  }
}

export const HOME_LATEST_NEEDS = 6

/**
 * The home page: the platform's figures (kept current by the writes, stats.server.ts)
 * and the newest open public needs. The same for everyone: visitors see it.
 */
export async function getHomePage(
  db: Database,
  engine: SearchEngine,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ stats: PlatformStats; latest: NeedListItem[] }> {
  const [stats, ref] = await Promise.all([getPlatformStats(db), getReferenceData(db)])
  return { stats, latest: await listLatestNeeds(engine, HOME_LATEST_NEEDS, ref, locale) }
}

/** Newest open public needs, drawn like the list: from the index. */
async function listLatestNeeds(engine: SearchEngine, limit: number, ref: ReferenceData, locale: Locale): Promise<NeedListItem[]> {
  await ensureNeedsIndex(engine)
  const result = await engine.search(NEEDS_INDEX, {
    filters: { visibility: ['public'], status: ['published'] },
    sort: { by: 'publishedAt', direction: 'desc' },
    pageSize: limit,
  })
  return result.hits.map((hit) => toListItem(hit, ref, locale))
}
