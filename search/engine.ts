/**
 * The search contract every engine implements (SQLite FTS5 by default,
 * Meilisearch when configured). Nothing here may assume SQLite.
 */

/** A value an attribute can hold: one string/number, or a list of strings. */
export type AttributeValue = string | number | readonly string[]

export interface SearchDocument {
  /** Stable id, prefixed by type: `need-42`. */
  id: string
  /** Texts searched by words, most important first (title, then body). */
  title: string
  body: string
  /** Filterable / facetable / sortable attributes. */
  attributes: Record<string, AttributeValue>
  /** Fields handed back with a hit so a list can be drawn without the database. */
  display: Record<string, string | number | null>
}

export interface IndexSettings {
  /** Attributes that may appear in `filters`/`ranges` (and facets). */
  filterable: readonly string[]
  /** Numeric attributes results may be sorted by. */
  sortable: readonly string[]
}

export type SortDirection = 'asc' | 'desc'

/**
 * How the words of `text` combine. 'all' (the default): every word — or one of its
 * synonyms (search/lexicon.json) — must occur. 'any': at least one must, and
 * documents holding more (and rarer) words rank higher: matching asks with the whole
 * text of a need or a profile this way.
 */
export type MatchMode = 'all' | 'any'

export interface SearchQuery {
  /** Free text from a user; engines must treat it as plain words, never syntax. */
  text?: string
  /** How the words of `text` combine; default 'all'. */
  match?: MatchMode
  /**
   * Attribute equals one of the values (OR within an attribute, AND across). For a
   * list-valued attribute, any of its values may match. An empty list is ignored.
   */
  filters?: Record<string, readonly string[]>
  /** Numeric ranges, inclusive, on filterable numeric attributes; missing bounds are open. */
  ranges?: Record<string, { min?: number; max?: number }>
  /** Facet counts wanted for these attributes, computed with all filters applied. */
  facets?: readonly string[]
  /**
   * Default: relevance when there is text, else the first sortable attribute desc.
   * Documents without the sort attribute come last.
   */
  sort?: { by: string; direction: SortDirection } | 'relevance'
  /** 1-based page. */
  page?: number
  pageSize?: number
}

export interface SearchHit {
  id: string
  display: Record<string, string | number | null>
  /**
   * With text, ordered by relevance: the engine's relevance of this hit, > 0, higher is
   * better. Comparable only with the scores of the same result (engines measure
   * differently); matching divides by the best one.
   */
  score?: number
}

export interface SearchResult {
  hits: SearchHit[]
  total: number
  page: number
  pageSize: number
  /** attribute → value → count */
  facets: Record<string, Record<string, number>>
  /**
   * The words the text was matched by, synonyms included, lower-cased (empty without
   * text): what a result list highlights (search/highlight.ts).
   */
  terms: string[]
}

export interface SearchEngine {
  readonly name: string
  /** Create the index and apply settings; safe to call repeatedly. */
  ensureIndex(index: string, settings: IndexSettings): Promise<void>
  /** Insert or replace documents. */
  upsert(index: string, docs: readonly SearchDocument[]): Promise<void>
  delete(index: string, ids: readonly string[]): Promise<void>
  /** Remove every document of the index (settings stay). */
  clear(index: string): Promise<void>
  /** Throws SearchQueryError for attributes not in the settings; the index must exist. */
  search(index: string, query: SearchQuery): Promise<SearchResult>
  count(index: string): Promise<number>
}

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20

/**
 * Attribute names both engines accept: plain identifiers, so they are safe in a
 * Meilisearch filter expression, and never one of the document's own fields.
 */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
const RESERVED_NAMES: ReadonlySet<string> = new Set(['id', 'title', 'body', 'display'])
const INDEX_NAME = /^[a-z][a-z0-9_]{0,63}$/

/** A caller asked for something the index was not set up for: a programming error. */
export class SearchQueryError extends Error {
  override name = 'SearchQueryError'
}

export function assertIndexName(index: string): void {
  if (!INDEX_NAME.test(index)) throw new SearchQueryError(`invalid index name: ${JSON.stringify(index)}`)
}

export function assertAttributeName(name: string): void {
  if (!ATTRIBUTE_NAME.test(name) || RESERVED_NAMES.has(name)) {
    throw new SearchQueryError(`invalid attribute name: ${JSON.stringify(name)}`)
  }
}

export function assertSettings(settings: IndexSettings): void {
  for (const name of [...settings.filterable, ...settings.sortable]) assertAttributeName(name)
}

/** Paging every engine applies the same way: 1-based, pageSize clamped to 1..MAX_PAGE_SIZE. */
export function normalizePaging(query: SearchQuery): { page: number; pageSize: number } {
  const size = Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE)
  const page = Math.floor(query.page ?? 1)
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    pageSize: Number.isFinite(size) ? Math.min(MAX_PAGE_SIZE, Math.max(1, size)) : DEFAULT_PAGE_SIZE,
  }
}

export type ResolvedSort = { by: string; direction: SortDirection } | 'relevance' | 'none'

/**
 * The order a query asks for once defaults are applied: relevance needs words to
 * rank by, so without any it falls back to the first sortable attribute, newest
 * first (or no particular order when the index has no sortable attribute).
 */
export function resolveSort(query: SearchQuery, settings: IndexSettings, hasText: boolean): ResolvedSort {
  if (query.sort && query.sort !== 'relevance') return query.sort
  if (hasText) return 'relevance'
  const first = settings.sortable[0]
  return first ? { by: first, direction: 'desc' } : 'none'
}

/** Rejects attributes the index was not configured for, as Meilisearch does. */
export function assertQueryAllowed(query: SearchQuery, settings: IndexSettings): void {
  const filterable = new Set(settings.filterable)
  const names = [...Object.keys(query.filters ?? {}), ...Object.keys(query.ranges ?? {}), ...(query.facets ?? [])]
  for (const name of names) {
    if (!filterable.has(name)) throw new SearchQueryError(`attribute is not filterable: ${JSON.stringify(name)}`)
  }
  const sort = query.sort
  if (sort && sort !== 'relevance' && !settings.sortable.includes(sort.by)) {
    throw new SearchQueryError(`attribute is not sortable: ${JSON.stringify(sort.by)}`)
  }
}

/** Filter values actually constraining the result: an empty list means "any". */
export function activeFilters(query: SearchQuery): [string, readonly string[]][] {
  return Object.entries(query.filters ?? {}).filter(([, values]) => values.length > 0)
}

/** Ranges with at least one finite bound. */
export function activeRanges(query: SearchQuery): [string, { min?: number; max?: number }][] {
  const out: [string, { min?: number; max?: number }][] = []
  for (const [name, range] of Object.entries(query.ranges ?? {})) {
    const min = range.min !== undefined && Number.isFinite(range.min) ? range.min : undefined
    const max = range.max !== undefined && Number.isFinite(range.max) ? range.max : undefined
    if (min !== undefined || max !== undefined) out.push([name, { min, max }])
  }
  return out
}
