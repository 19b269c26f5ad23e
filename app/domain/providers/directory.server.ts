import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import type { SearchEngine, SearchHit, SearchQuery, SearchResult } from '../../../search/engine.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { searchBudget, type SearchBudget } from '../needs/search-budget.server.js'
import { excerptsAroundTerms, hitIds, suggestQuery, type QuerySuggestion } from '../needs/search-suggest.server.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  regionFilterOptions,
  regionLabel,
  regionPath,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
  type RegionFilterOption,
} from '../reference/reference.server.js'
import { zPageParam } from '../shared/schema.js'
import {
  DIRECTORY_PAGE_SIZE,
  DIRECTORY_SORTS,
  MAX_DIRECTORY_PAGE,
  PROVIDER_KINDS,
  type DirectorySort,
  type ProviderKind,
} from './enums.js'
import {
  ensureProvidersIndex,
  NATIONWIDE,
  normaliseQualification,
  parseProviderDocumentId,
  PROVIDERS_INDEX,
  regionFilterValues,
} from './search-index.server.js'

/*
 * The provider directory (/providers): verified providers found by the words of their
 * profiles and cases through the search engine, filtered by kind, industry, scenario,
 * region served and qualification, with counts beside every option. The URL holds the
 * whole query. A provider's industries and scenarios are those it declares plus those
 * of its cases; the region rule is the capability map's (search-index.server.ts,
 * coveredRegionValues): serving a region, a part of it or a region containing it.
 */

export const DIRECTORY_FACETS = ['kinds', 'industries', 'scenarios', 'regions', 'qualifications', 'proven'] as const

/** Qualification options offered at most (the most frequent among the results, plus the chosen one). */
const QUALIFICATION_OPTIONS = 30

const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.trim().slice(0, max) : undefined))
    .transform((v) => (v ? v : undefined))

const optionalCode = (pattern: RegExp) =>
  z
    .string()
    .optional()
    .transform((v) => (v && pattern.test(v) ? v : undefined))

function oneOf<T extends string>(values: readonly T[]) {
  return z
    .string()
    .optional()
    .transform((v) => ((values as readonly string[]).includes(v ?? '') ? (v as T) : undefined))
}

/**
 * The /providers query string. Invalid values are dropped rather than rejected: a
 * shared link with a stale filter still shows results (a repeated key is a 400, parseQuery).
 */
export const ZProviderSearchParams = z.object({
  q: optionalText(200),
  kind: oneOf<ProviderKind>(PROVIDER_KINDS),
  industry: optionalCode(/^C\d{2}$/),
  scenario: optionalCode(/^S\d{3}$/),
  region: optionalCode(/^[0-9A-Z]{6}$/),
  qualification: optionalText(60).transform((v) => (v ? normaliseQualification(v) || undefined : undefined)),
  proven: z
    .string()
    .optional()
    .transform((v) => (v === '1' ? true : undefined)),
  sort: oneOf<DirectorySort>(DIRECTORY_SORTS),
  page: zPageParam(MAX_DIRECTORY_PAGE),
})
export type TProviderSearchParams = z.infer<typeof ZProviderSearchParams>

export interface ProviderListItem {
  id: number
  name: string
  regionName: string
  kinds: ProviderKind[]
  industryNames: string[]
  scenarioNames: string[]
  /** Serves the whole country; else servedRegions names (the first few). */
  nationwide: boolean
  servedRegions: string[]
  qualifications: string
  caseCount: number
  verifiedCaseCount: number
  teamSize: number | null
  foundedYear: number | null
  excerpt: string
}

export interface ProviderSearchPage {
  items: ProviderListItem[]
  total: number
  page: number
  pageCount: number
  facets: SearchResult['facets']
  /** The words the query matched (synonyms included, lower-cased): what names and excerpts highlight. */
  terms: string[]
}

export interface ProviderDirectory {
  result: ProviderSearchPage
  kinds: { value: ProviderKind; count: number }[]
  industries: { code: string; name: string; count: number }[]
  scenarios: { code: string; name: string; link: string; count: number }[]
  regionOptions: RegionFilterOption[]
  qualifications: { name: string; count: number }[]
  provenCount: number
  /** 您是不是要找: a corrected query that finds something, when the words found nothing. */
  suggestion: QuerySuggestion | null
}

const SORTS: Record<Exclude<DirectorySort, 'relevance'>, { by: string; direction: 'desc' }> = {
  verified: { by: 'verifiedCaseCount', direction: 'desc' },
  cases: { by: 'caseCount', direction: 'desc' },
  updated: { by: 'updatedAt', direction: 'desc' },
}

/** The order a query runs in: relevance only with words (asked or by default), else the most verified cases first. */
export function effectiveSort(params: Pick<TProviderSearchParams, 'q' | 'sort'>): DirectorySort {
  if (params.sort && (params.sort !== 'relevance' || params.q)) return params.sort
  return params.q ? 'relevance' : 'verified'
}

/** What the URL asks for, in the engine's terms. */
export function toProviderSearchQuery(ref: ReferenceData, params: TProviderSearchParams): SearchQuery {
  const filters: Record<string, string[]> = {}
  if (params.kind) filters.kinds = [params.kind]
  if (params.industry) filters.industries = [params.industry]
  if (params.scenario) filters.scenarios = [params.scenario]
  if (params.region) {
    const path = regionPath(ref, params.region).map((r) => r.code)
    // An unknown region finds nobody, as a stale link to a region that no longer exists should.
    filters.regions = path.length > 0 ? regionFilterValues(path) : [params.region]
  }
  if (params.qualification) filters.qualifications = [params.qualification]
  if (params.proven) filters.proven = ['yes']
  const sort = effectiveSort(params)
  return {
    text: params.q,
    filters,
    facets: DIRECTORY_FACETS,
    sort: sort === 'relevance' ? 'relevance' : SORTS[sort],
    page: params.page,
    pageSize: DIRECTORY_PAGE_SIZE,
  }
}

/**
 * The directory: the verified providers matching the query (for anyone, visitors
 * too), with the facet counts and the filter choices, reference names in `locale`.
 * New combinations of words and filters are charged to the client's search budget
 * (shared with the needs hall, search-budget.server.ts): 429 past it.
 */
export async function browseProviders(
  db: Database,
  engine: SearchEngine,
  actor: Actor | null,
  params: TProviderSearchParams,
  ip: string,
  locale: Locale = DEFAULT_LOCALE,
  budget: SearchBudget = searchBudget,
): Promise<ProviderDirectory> {
  const ref = await getReferenceData(db)
  await ensureProvidersIndex(engine)
  const query = toProviderSearchQuery(ref, params)
  const wait = budget.charge(actor ? `user:${actor.userId}` : `ip:${ip}`, `${PROVIDERS_INDEX}:${JSON.stringify(query)}`)
  if (wait > 0) throw new AppError('RATE_LIMITED', 'errors.rateLimited', { retryAfter: wait })
  const found = await engine.search(PROVIDERS_INDEX, query)
  const [suggestion, excerpts] = await Promise.all([
    suggestQuery(engine, PROVIDERS_INDEX, query, found, ref),
    excerptsAroundTerms(db, 'organisations', hitIds(found.hits, parseProviderDocumentId), found.terms),
  ])
  const facets = found.facets
  const count = (facet: string, value: string) => facets[facet]?.[value] ?? 0

  // A region's count: providers covering it by their regions, plus those serving the whole country.
  const nationwide = count('regions', NATIONWIDE)
  const regionCounts: Record<string, number> = {}
  const lineage = params.region ? regionPath(ref, params.region).map((r) => r.code) : []
  for (const p of ref.provinces) regionCounts[p.code] = count('regions', p.code) + nationwide
  for (const c of lineage[0] ? (ref.childrenByCode.get(lineage[0]) ?? []) : []) {
    regionCounts[c.code] = count('regions', c.code) + nationwide
  }

  const qualifications = Object.entries(facets.qualifications ?? {})
    .map(([name, n]) => ({ name, count: n }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, QUALIFICATION_OPTIONS)
  if (params.qualification && !qualifications.some((q) => q.name === params.qualification)) {
    qualifications.unshift({ name: params.qualification, count: count('qualifications', params.qualification) })
  }

  return {
    result: {
      items: found.hits.map((hit) => {
        const item = toListItem(hit, ref, locale)
        return { ...item, excerpt: excerpts.get(item.id) ?? item.excerpt }
      }),
      total: found.total,
      page: found.page,
      pageCount: Math.min(MAX_DIRECTORY_PAGE, Math.max(1, Math.ceil(found.total / found.pageSize))),
      facets,
      terms: found.terms,
    },
    kinds: PROVIDER_KINDS.map((value) => ({ value, count: count('kinds', value) })),
    industries: industryOptions(ref, locale).map((i) => ({ ...i, count: count('industries', i.code) })),
    scenarios: scenarioOptions(ref, locale).map((s) => ({ ...s, count: count('scenarios', s.code) })),
    regionOptions: regionFilterOptions(ref, params.region, { province: regionCounts, city: regionCounts }, locale),
    qualifications,
    provenCount: count('proven', 'yes'),
    suggestion,
  }
}

const codesOf = (value: string | number | null | undefined): string[] =>
  value == null || value === '' ? [] : String(value).split(',')

/** A hit as a list card; reference names in `locale` from the codes the document holds. */
function toListItem({ id, display: d }: SearchHit, ref: ReferenceData, locale: Locale): ProviderListItem {
  const text = (k: string) => (d[k] == null ? '' : String(d[k]))
  const num = (k: string) => (d[k] == null ? null : Number(d[k]))
  const localised = locale !== DEFAULT_LOCALE
  const kinds = codesOf(d.kinds).filter((k): k is ProviderKind => (PROVIDER_KINDS as readonly string[]).includes(k))
  const scenarioCodes = codesOf(d.scenarioCodes)
  return {
    id: parseProviderDocumentId(id) ?? 0,
    name: text('name'),
    regionName: (localised && text('regionCode') && regionLabel(ref, text('regionCode'), locale)) || text('regionName'),
    kinds,
    industryNames: codesOf(d.industryCodes).map((code) => industryName(ref, code, locale) ?? code),
    scenarioNames:
      localised || !text('scenarioNames')
        ? scenarioCodes.map((code) => scenarioName(ref, code, locale) ?? code)
        : text('scenarioNames').split('、'),
    nationwide: Number(d.nationwide ?? 0) === 1,
    servedRegions: codesOf(d.servedRegionCodes).map((code) => regionLabel(ref, code, locale) || code),
    qualifications: text('qualifications'),
    caseCount: num('caseCount') ?? 0,
    verifiedCaseCount: num('verifiedCaseCount') ?? 0,
    teamSize: num('teamSize'),
    foundedYear: num('foundedYear'),
    excerpt: text('excerpt'),
  }
}
