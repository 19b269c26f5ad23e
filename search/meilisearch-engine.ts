import { Meilisearch, type EnqueuedTaskPromise, type Index, type SearchParams, type Settings } from 'meilisearch'
import {
  activeFilters,
  activeRanges,
  assertAttributeName,
  assertIndexName,
  assertQueryAllowed,
  assertSettings,
  normalizePaging,
  resolveSort,
  type IndexSettings,
  type MatchMode,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './engine.js'
import { LEXICON, type Lexicon } from './lexicon.js'
import { planOfWords, segmentQuery, termsOfPlan } from './tokenizer.js'

export interface MeilisearchEngineConfig {
  url: string
  apiKey?: string
  /** Prepended to every index name, so several apps or test runs can share a server. */
  indexPrefix: string
}

/** Writes are awaited until Meilisearch has applied them, so a search right after sees them. */
const WRITE_TIMEOUT_MS = 60_000
/** Changing settings re-indexes every document; on a large index that takes a while. */
const SETTINGS_TIMEOUT_MS = 10 * 60_000
/** Facet values returned per attribute; regions hold every county, so well above the default 100. */
const MAX_VALUES_PER_FACET = 5000
/** Exact totals and deep pages up to this many hits (the default of 1 000 would cap `total`). */
const MAX_TOTAL_HITS = 1_000_000

type StoredDocument = Record<string, unknown> & { id: string; display: SearchHit['display'] }

/** A string literal for a Meilisearch filter: double-quoted, with `\` and `"` escaped (v1.4+ rules). */
export function quoteFilterValue(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`)
  return String(n)
}

/**
 * The filter for a query, as a list of expressions Meilisearch ANDs together.
 * Attribute names are checked to be plain identifiers; values are always quoted.
 */
export function buildMeilisearchFilter(query: SearchQuery): string[] {
  const parts: string[] = []
  for (const [field, values] of activeFilters(query)) {
    assertAttributeName(field)
    parts.push(`${field} IN [${[...new Set(values)].map(quoteFilterValue).join(', ')}]`)
  }
  for (const [field, { min, max }] of activeRanges(query)) {
    assertAttributeName(field)
    if (min !== undefined) parts.push(`${field} >= ${formatNumber(min)}`)
    if (max !== undefined) parts.push(`${field} <= ${formatNumber(max)}`)
  }
  return parts
}

/**
 * Same words as the FTS5 engine sees, separated by spaces: Meilisearch segments
 * Chinese itself, and nothing is left that its query syntax could read
 * (`"phrase"`, `-negation`).
 */
export function toMeilisearchQuery(text: string | undefined, match: MatchMode = 'all'): string | null {
  const words = segmentQuery(text ?? '', match)
    .map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ' ').trim())
    .filter((w) => w.length > 0)
  return words.length > 0 ? words.join(' ') : null
}

/**
 * The lexicon's synonym groups as Meilisearch's `synonyms` setting: every member maps
 * to every other member of its group (mutual synonyms), so a query word finds them all,
 * as in the FTS5 and PostgreSQL engines.
 */
export function meilisearchSynonyms(lexicon: Lexicon = LEXICON): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [term, group] of lexicon.groupOf) out[term] = group.filter((m) => m !== term)
  return out
}

function toStored(doc: SearchDocument): StoredDocument {
  const stored: StoredDocument = { id: doc.id, title: doc.title, body: doc.body, display: doc.display }
  for (const [name, value] of Object.entries(doc.attributes)) {
    assertAttributeName(name)
    stored[name] = typeof value === 'string' || typeof value === 'number' ? value : [...new Set(value)]
  }
  return stored
}

async function settle(pending: EnqueuedTaskPromise, timeout: number, allowedErrorCode?: string): Promise<void> {
  const task = await pending.waitTask({ timeout })
  if (task.status === 'succeeded') return
  if (task.status === 'failed' && allowedErrorCode && task.error?.code === allowedErrorCode) return
  throw new Error(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no error message'}`)
}

function settingsFromServer(settings: Settings): IndexSettings {
  const filterable: string[] = []
  for (const entry of settings.filterableAttributes ?? []) {
    if (typeof entry === 'string') filterable.push(entry)
    else filterable.push(...entry.attributePatterns)
  }
  return { filterable, sortable: [...(settings.sortableAttributes ?? [])] }
}

export function createMeilisearchEngine(config: MeilisearchEngineConfig): SearchEngine {
  const client = new Meilisearch({
    host: config.url,
    apiKey: config.apiKey,
    defaultWaitOptions: { timeout: WRITE_TIMEOUT_MS, interval: 50 },
  })
  // ensureIndex knows the settings in their given order (the server returns them
  // sorted); other processes fetch them once.
  const known = new Map<string, IndexSettings>()

  function uid(index: string): string {
    assertIndexName(index)
    return `${config.indexPrefix}${index}`
  }

  function indexOf(index: string): Index<StoredDocument> {
    return client.index<StoredDocument>(uid(index))
  }

  async function settingsOf(index: string): Promise<IndexSettings> {
    let settings = known.get(index)
    if (!settings) {
      settings = settingsFromServer(await indexOf(index).getSettings())
      known.set(index, settings)
    }
    return settings
  }

  return {
    name: 'meilisearch',

    async ensureIndex(index, settings) {
      assertSettings(settings)
      await settle(client.createIndex(uid(index), { primaryKey: 'id' }), WRITE_TIMEOUT_MS, 'index_already_exists')
      const target = indexOf(index)
      // Sort first: an explicit sort must win over text relevance, as in the FTS5
      // engine; without a sort parameter the rule does nothing.
      const rules = (await target.getRankingRules()).filter((r) => r !== 'sort')
      await settle(
        target.updateSettings({
          searchableAttributes: ['title', 'body'],
          filterableAttributes: [...settings.filterable],
          sortableAttributes: [...settings.sortable],
          rankingRules: ['sort', ...rules],
          localizedAttributes: [{ attributePatterns: ['title', 'body'], locales: ['cmn'] }],
          synonyms: meilisearchSynonyms(),
          faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET },
          pagination: { maxTotalHits: MAX_TOTAL_HITS },
        }),
        SETTINGS_TIMEOUT_MS,
      )
      known.set(index, { filterable: [...settings.filterable], sortable: [...settings.sortable] })
    },

    async upsert(index, docs) {
      if (docs.length === 0) return
      await settle(indexOf(index).addDocuments(docs.map(toStored), { primaryKey: 'id' }), WRITE_TIMEOUT_MS)
    },

    async delete(index, ids) {
      if (ids.length === 0) return
      await settle(indexOf(index).deleteDocuments([...ids]), WRITE_TIMEOUT_MS)
    },

    async clear(index) {
      await settle(indexOf(index).deleteAllDocuments(), WRITE_TIMEOUT_MS)
    },

    async count(index) {
      return (await indexOf(index).getStats()).numberOfDocuments
    },

    async search(index, query) {
      const settings = await settingsOf(index)
      assertQueryAllowed(query, settings)
      const { page, pageSize } = normalizePaging(query)
      const mode: MatchMode = query.match === 'any' ? 'any' : 'all'
      const q = toMeilisearchQuery(query.text, mode)
      const sort = resolveSort(query, settings, q !== null)
      const ranked = sort === 'relevance' && q !== null
      const facets = [...new Set(query.facets ?? [])]
      const filter = buildMeilisearchFilter(query)

      const params: SearchParams & { page: number; hitsPerPage: number } = {
        page,
        hitsPerPage: pageSize,
        attributesToRetrieve: ['id', 'display'],
        // 'any': Meilisearch has no plain OR; 'frequency' drops the most frequent words
        // first, so a document needs the query's rarest word at least.
        matchingStrategy: mode === 'any' ? 'frequency' : 'all',
        locales: ['cmn'],
      }
      if (ranked) params.showRankingScore = true
      if (filter.length > 0) params.filter = filter
      if (facets.length > 0) params.facets = facets
      if (sort !== 'relevance' && sort !== 'none') params.sort = [`${sort.by}:${sort.direction}`]

      const response = await indexOf(index).search<StoredDocument, typeof params>(q, params)
      const distribution = response.facetDistribution ?? {}
      const outFacets: SearchResult['facets'] = {}
      for (const f of facets) outFacets[f] = { ...(distribution[f] ?? {}) }
      return {
        hits: response.hits.map((hit) => {
          const out: SearchHit = { id: hit.id, display: hit.display }
          if (ranked) out.score = hit._rankingScore && hit._rankingScore > 0 ? hit._rankingScore : Number.MIN_VALUE
          return out
        }),
        total: response.totalHits,
        page,
        pageSize,
        facets: outFacets,
        terms: q === null ? [] : termsOfPlan(planOfWords(segmentQuery(query.text ?? '', mode))),
      }
    },
  }
}
