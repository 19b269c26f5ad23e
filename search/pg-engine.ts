import crypto from 'node:crypto'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import {
  activeFilters,
  activeRanges,
  assertAttributeName,
  assertIndexName,
  assertQueryAllowed,
  assertSettings,
  normalizePaging,
  resolveSort,
  SearchQueryError,
  type IndexSettings,
  type MatchMode,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './engine.js'
import {
  ANY_PRUNING,
  anyPruningApplies,
  planOfWords,
  pruneAnyTerms,
  segmentForIndex,
  segmentQuery,
  termsOfPlan,
  type AnyPruning,
  type QueryPlan,
} from './tokenizer.js'

/**
 * The PostgreSQL engine (docs/decisions/006-postgresql.md): full-text search over
 * text segmented by jieba before PostgreSQL sees it, as the FTS5 engine does, with
 * attributes beside the words in the same row.
 *
 * Tables are named `search_pg_*` and owned by the engine (created by ensureIndex,
 * not by the migrations; `npm run search:reindex` rebuilds their content):
 * `search_pg_indexes` (one row per index: settings, generation, document count) and,
 * per index, `search_pg_docs_<id>`:
 *
 * - `words tsvector`: the jieba words, title at weight A, body at weight B, with
 *   positions; GIN index. It is built from the words themselves (tsvector input),
 *   not by to_tsvector: PostgreSQL's parser would cut jieba's words again (c++ → c,
 *   e-mail → e, mail …). What it holds is what the `simple` configuration makes of
 *   one word: the word, lower-cased, no stemming, no stop words.
 * - `attrs text[]`: every text attribute value as `field:value` (a list gives several);
 *   GIN index. A filter is `attrs && '{industry:C34,industry:C35}'`, one per attribute.
 * - `nums jsonb`: the numeric attributes, for ranges and sorts; a B-tree index per
 *   sortable attribute on `(nums->>'name')::float8 DESC NULLS LAST, rowid DESC`.
 * - `display text`: the display fields as JSON text (exact round trip, NUL-safe).
 *
 * A query is one snapshot (a read-only repeatable-read transaction): the index row
 * (settings, generation), then counts and facets (one scan: each hit's attrs plus a
 * marker for the total, grouped), then the page. Counts and facets are cached per
 * index generation, which every write bumps in the same transaction, from any
 * process: a cache entry is valid until the next write anywhere.
 */

/** Title above body: ts_rank_cd's weights {D, C, B, A}, so A (title) counts five times B (body). */
export const PG_RANK_WEIGHTS = '{0, 0, 0.2, 1}'
/** ts_rank_cd normalisation 1: divided by 1 + log(document length), as bm25 damps long documents. */
export const PG_RANK_NORMALIZATION = 1

/** Serialises DDL across processes (two instances starting together). */
const SCHEMA_LOCK = 'duijie.search_pg.schema'

/** PostgreSQL's limits on a tsvector: lexeme bytes, positions per lexeme, position value, total size. */
const MAX_LEXEME_BYTES = 2046
const MAX_POSITIONS = 255
const MAX_POSITION = 16383
const MAX_TSVECTOR_BYTES = 900_000

/**
 * A hit's score: ts_rank_cd, which is 0 for a match whose words have no positions left
 * (past the tsvector's position limits), so floored to stay positive.
 */
function positive(rank: unknown): number {
  const n = Number(rank)
  return Number.isFinite(n) && n > 0 ? n : Number.MIN_VALUE
}

const FACET_CACHE_SIZE = 200
/** How long a word's document count serves 'any' queries after later writes (anyWords). */
const FREQUENCY_TTL_MS = 10 * 60_000
/**
 * Ranking reads every match's tsvector (~0.2 s for a word in 27 000 documents), so the
 * first RANKED_DEPTH of a relevance order are kept per index generation: the next
 * pages and a reload then cost a primary-key lookup.
 */
const RANKED_DEPTH = 200
const RANKED_CACHE_SIZE = 100

/** The table holding an index's documents, from the index's registry id. */
export function pgDocsTable(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`invalid search index id ${id}`)
  return `search_pg_docs_${id}`
}

/** An index or constraint name within PostgreSQL's 63 bytes. */
function objectName(table: string, suffix: string): string {
  const name = `${table}_${suffix}`
  return name.length <= 63 ? name : `${table}_${crypto.createHash('sha1').update(suffix).digest('hex').slice(0, 16)}`
}

/** `(nums->>'name')::float8`; names are identifiers (assertAttributeName), so quoting them inline is safe. */
function numExpr(field: string): RawBuilder<number> {
  assertAttributeName(field)
  return sql.raw(`((nums->>'${field}')::float8)`)
}

/** PostgreSQL text cannot hold NUL; everything else passes unchanged. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
}

/**
 * `field:value`, the element of `attrs` for a text value. Backslash and NUL are
 * escaped (`\\`, `\0`), so every value, NUL included, has its own key.
 */
export function attrKey(field: string, value: string): string {
  const escaped =
    value.includes('\\') || value.includes('\u0000') ? value.replaceAll('\\', '\\\\').replaceAll('\u0000', '\\0') : value
  return `${field}:${escaped}`
}

function parseAttrKey(key: string): [string, string] {
  const colon = key.indexOf(':')
  const raw = key.slice(colon + 1)
  const value = raw.includes('\\') ? raw.replace(/\\(.)/g, (_, c: string) => (c === '0' ? '\u0000' : c)) : raw
  return [key.slice(0, colon), value]
}

const encoder = new TextEncoder()

/** A word as a lexeme: no NUL, at most MAX_LEXEME_BYTES of UTF-8 (cut at a character). */
function lexeme(word: string): string {
  const clean = withoutNul(word)
  if (clean.length * 3 <= MAX_LEXEME_BYTES || encoder.encode(clean).length <= MAX_LEXEME_BYTES) return clean
  let out = ''
  let bytes = 0
  for (const ch of clean) {
    const size = encoder.encode(ch).length
    if (bytes + size > MAX_LEXEME_BYTES) break
    out += ch
    bytes += size
  }
  return out
}

/** A lexeme quoted for tsvector/tsquery input: inside quotes, `'` doubles and `\` escapes. */
function quoteLexeme(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

/**
 * The tsvector input for a document: each word with its positions, title words at
 * weight A, body words at weight B. PostgreSQL keeps the lexemes as given.
 */
export function toTsvectorInput(title: readonly string[], body: readonly string[]): string {
  const positions = new Map<string, string[]>()
  let position = 0
  let bytes = 0
  const add = (word: string, weight: 'A' | 'B') => {
    position = Math.min(position + 1, MAX_POSITION)
    const lex = lexeme(word)
    if (!lex) return
    let list = positions.get(lex)
    if (!list) {
      bytes += encoder.encode(lex).length + 8
      if (bytes > MAX_TSVECTOR_BYTES) return
      list = []
      positions.set(lex, list)
    }
    if (list.length < MAX_POSITIONS && position < MAX_POSITION) {
      list.push(`${position}${weight}`)
      bytes += 2
    }
  }
  for (const word of title) add(word, 'A')
  for (const word of body) add(word, 'B')
  const parts: string[] = []
  for (const [lex, list] of positions) parts.push(list.length > 0 ? `${quoteLexeme(lex)}:${list.join(',')}` : quoteLexeme(lex))
  return parts.join(' ')
}

/**
 * The tsquery for a user's text: every word a quoted lexeme, a word with synonyms
 * `('a' | 'b')`; 'all' ANDs the words, 'any' ORs them. Nothing the user typed is read
 * as tsquery syntax (operators, prefixes, weights, phrases). Null when the text has no
 * words, which callers treat as no text at all.
 */
export function toTsqueryInput(text: string | undefined, match: MatchMode = 'all'): string | null {
  return tsqueryOfPlan(planOfWords(segmentQuery(text ?? '', match)), match)
}

/** The tsquery for a query plan (tokenizer.ts): groups of alternative words. */
export function tsqueryOfPlan(plan: QueryPlan, match: MatchMode = 'all'): string | null {
  const groups = plan
    .map((group) => [...new Set(group.map(lexeme).filter((w) => w.length > 0))])
    .filter((group) => group.length > 0)
  if (groups.length === 0) return null
  if (match === 'any') return [...new Set(groups.flat())].map(quoteLexeme).join(' | ')
  return groups
    .map((group) => (group.length === 1 ? quoteLexeme(group[0]!) : `(${group.map(quoteLexeme).join(' | ')})`))
    .join(' & ')
}

interface PreparedDoc {
  doc_id: string
  display: string
  words: string
  attrs: string[]
  nums: Record<string, number>
}

function prepareDoc(doc: SearchDocument): PreparedDoc {
  if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > 511 || doc.id.includes('\u0000')) {
    throw new SearchQueryError(`invalid document id: ${JSON.stringify(doc.id)}`)
  }
  const attrs = new Set<string>()
  const nums: Record<string, number> = {}
  for (const [field, value] of Object.entries(doc.attributes)) {
    assertAttributeName(field)
    if (typeof value === 'number') {
      if (Number.isFinite(value)) nums[field] = value
    } else if (typeof value === 'string') {
      attrs.add(attrKey(field, value))
    } else {
      for (const item of value) attrs.add(attrKey(field, item))
    }
  }
  return {
    doc_id: doc.id,
    // JSON.stringify escapes NUL, so the text never holds one.
    display: JSON.stringify(doc.display),
    words: toTsvectorInput(segmentForIndex(withoutNul(doc.title)), segmentForIndex(withoutNul(doc.body))),
    attrs: [...attrs],
    nums,
  }
}

function parseSettings(value: unknown): IndexSettings {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  if (typeof parsed !== 'object' || parsed === null) return { filterable: [], sortable: [] }
  const record = parsed as Record<string, unknown>
  return { filterable: list(record.filterable), sortable: list(record.sortable) }
}

interface IndexRow {
  id: number
  settings: IndexSettings
  generation: number
  docCount: number
  numFields: string[]
}

interface Counted {
  generation: number
  total: number
  facets: SearchResult['facets']
}

type Db = Kysely<unknown>

/** 42P01: undefined_table (the registry does not exist yet). */
function isUndefinedTable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42P01'
}

function missingIndex(index: string): SearchQueryError {
  return new SearchQueryError(`search index "${index}" does not exist; call ensureIndex first`)
}

/**
 * A SearchEngine on the PostgreSQL database behind `db` (Kysely with the Postgres
 * dialect; a pool of its own or the app's). Writes and searches run in their own
 * transactions on that pool.
 */
export function createPgEngine<T>(database: Kysely<T>, options: { anyPruning?: AnyPruning } = {}): SearchEngine {
  const db = database as unknown as Db
  const anyPruning = options.anyPruning ?? ANY_PRUNING
  // Documents holding a word (`<index id> <word>`), for 'any' queries (anyWords).
  const frequencies = new Map<string, { generation: number; at: number; docs: number }>()
  // ANALYZE's most common words of each index table, with the share of rows holding each.
  const elementStats = new Map<string, { at: number; shares: Map<string, number> | null }>()
  // Counts and facets of recent queries at the index generation they were counted at.
  const facetCache = new Map<string, Counted>()
  // The first RANKED_DEPTH rowids of recent relevance orders, at their generation.
  const rankedCache = new Map<string, { generation: number; rowids: number[]; scores: number[] }>()

  function remember<V>(cache: Map<string, V>, key: string, value: V, size: number): void {
    cache.delete(key)
    if (cache.size >= size) {
      const oldest = cache.keys().next().value
      if (oldest !== undefined) cache.delete(oldest)
    }
    cache.set(key, value)
  }

  async function readIndex(trx: Db, index: string, lock = false): Promise<IndexRow> {
    assertIndexName(index)
    let rows: { id: number; settings: unknown; generation: unknown; doc_count: unknown; num_fields: string[] }[]
    try {
      const result = await sql<(typeof rows)[number]>`
        SELECT id, settings, generation, doc_count, num_fields FROM search_pg_indexes WHERE name = ${index}
        ${sql.raw(lock ? 'FOR UPDATE' : '')}`.execute(trx)
      rows = result.rows
    } catch (error) {
      if (isUndefinedTable(error)) throw missingIndex(index)
      throw error
    }
    const row = rows[0]
    if (!row) throw missingIndex(index)
    return {
      id: Number(row.id),
      settings: parseSettings(row.settings),
      generation: Number(row.generation),
      docCount: Number(row.doc_count),
      numFields: row.num_fields,
    }
  }

  /** Runs `fn` in a write transaction holding the index row, then bumps its generation. */
  async function write(
    index: string,
    fn: (trx: Db, table: string) => Promise<{ added: number | null; numFields?: readonly string[] }>,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const { id } = await readIndex(trx, index, true)
      const { added, numFields } = await fn(trx, pgDocsTable(id))
      const fields = numFields && numFields.length > 0 ? [...numFields] : null
      if (added === null) {
        await sql`UPDATE search_pg_indexes SET generation = generation + 1, doc_count = 0, num_fields = '{}' WHERE id = ${id}`.execute(
          trx,
        )
      } else {
        await sql`
          UPDATE search_pg_indexes SET generation = generation + 1, doc_count = doc_count + ${added}::int8
            ${fields ? sql`, num_fields = ARRAY(SELECT DISTINCT f FROM unnest(num_fields || ${fields}::text[]) f ORDER BY f)` : sql``}
           WHERE id = ${id}`.execute(trx)
      }
    })
  }

  /** The conditions a query puts on an index's rows: words, then filters, then ranges. */
  function conditions(
    tsquery: string | null,
    filters: readonly (readonly [string, readonly string[]])[],
    ranges: readonly (readonly [string, { min?: number; max?: number }])[],
  ): RawBuilder<unknown>[] {
    const where: RawBuilder<unknown>[] = []
    if (tsquery !== null) where.push(sql`words @@ ${tsquery}::tsquery`)
    for (const [field, values] of filters) where.push(sql`attrs && ${values.map((v) => attrKey(field, v))}::text[]`)
    for (const [field, { min, max }] of ranges) {
      if (min !== undefined) where.push(sql`${numExpr(field)} >= ${min}::float8`)
      if (max !== undefined) where.push(sql`${numExpr(field)} <= ${max}::float8`)
    }
    return where
  }

  function whereOf(where: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
    return where.length > 0 ? sql`WHERE ${sql.join([...where], sql` AND `)}` : sql``
  }

  /**
   * The total and the facet counts. With facets, one scan of the hits: each hit
   * contributes its attrs and one '' (never a key: keys start with a field name),
   * grouped, so the count of '' is the total. Numeric values are counted only for
   * facets on fields that ever held a number in this index (num_fields).
   */
  async function countHits(
    trx: Db,
    table: string,
    where: readonly RawBuilder<unknown>[],
    facetNames: readonly string[],
    numFields: readonly string[],
  ): Promise<Omit<Counted, 'generation'>> {
    const facets: SearchResult['facets'] = {}
    if (facetNames.length === 0) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} ${whereOf(where)}`.execute(trx)
      return { total: Number(rows[0]?.n ?? 0), facets }
    }
    const { rows } = await sql<{ k: string; n: number }>`
      SELECT k, count(*)::int AS n
        FROM ${sql.table(table)} CROSS JOIN LATERAL unnest(array_prepend(''::text, attrs)) k
        ${whereOf(where)}
       GROUP BY k`.execute(trx)
    const wanted = new Set(facetNames)
    const counts = new Map<string, Map<string, number>>(facetNames.map((f) => [f, new Map<string, number>()]))
    let total = 0
    for (const { k, n } of rows) {
      if (k === '') {
        total = Number(n)
        continue
      }
      const [field, value] = parseAttrKey(k)
      if (wanted.has(field)) counts.get(field)?.set(value, Number(n))
    }
    const numeric = facetNames.filter((f) => numFields.includes(f))
    const numbers = new Map<string, [number, number][]>()
    if (numeric.length > 0 && total > 0) {
      const { rows: numRows } = await sql<{ f: string; v: number; n: number }>`
        SELECT f, (nums->>f)::float8 AS v, count(*)::int AS n
          FROM ${sql.table(table)} CROSS JOIN unnest(${numeric}::text[]) f
          ${whereOf([...where, sql`nums ? f`])}
         GROUP BY f, v`.execute(trx)
      for (const { f, v, n } of numRows) {
        const list = numbers.get(f) ?? []
        list.push([Number(v), Number(n)])
        numbers.set(f, list)
      }
    }
    // Text values in code-unit order, then numbers ascending; a number and a text
    // value that print alike ("5" and 5) share one key, their counts summed (as FTS5).
    for (const field of facetNames) {
      const out: Record<string, number> = {}
      const text = [...(counts.get(field) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      for (const [value, n] of text) out[value] = n
      for (const [v, n] of (numbers.get(field) ?? []).sort((a, b) => a[0] - b[0])) {
        const key = String(v)
        out[key] = (out[key] ?? 0) + n
      }
      facets[field] = out
    }
    return { total, facets }
  }

  async function page(
    trx: Db,
    table: string,
    where: readonly RawBuilder<unknown>[],
    order: RawBuilder<unknown>,
    offset: number,
    limit: number,
    rank: RawBuilder<number> | null,
  ): Promise<SearchHit[]> {
    const { rows } = await sql<{ doc_id: string; display: string; score: number | null }>`
      SELECT doc_id, display, ${rank ?? sql`NULL::float8`} AS score FROM ${sql.table(table)} ${whereOf(where)}
       ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(trx)
    return rows.map((r) => {
      const hit: SearchHit = { id: r.doc_id, display: JSON.parse(r.display) as SearchHit['display'] }
      if (rank) hit.score = positive(r.score)
      return hit
    })
  }

  /** The hits for these rowids, in their order, with their scores. */
  async function hitsByRowid(trx: Db, table: string, rowids: readonly number[], scores: readonly number[]): Promise<SearchHit[]> {
    if (rowids.length === 0) return []
    const { rows } = await sql<{ rowid: number; doc_id: string; display: string }>`
      SELECT rowid, doc_id, display FROM ${sql.table(table)} WHERE rowid = ANY(${rowids}::int8[])`.execute(trx)
    const byRowid = new Map(rows.map((r) => [Number(r.rowid), r]))
    const hits: SearchHit[] = []
    rowids.forEach((rowid, i) => {
      const row = byRowid.get(rowid)
      if (row) hits.push({ id: row.doc_id, display: JSON.parse(row.display) as SearchHit['display'], score: scores[i] })
    })
    return hits
  }

  /**
   * The share of documents holding each common word, from the statistics ANALYZE
   * keeps on `words` (pg_stats.most_common_elems: for a tsvector column, its most
   * frequent lexemes and the fraction of rows holding each, ~1 000 of them, so every
   * word above the pruning share is among them). Read once per FREQUENCY_TTL_MS; null
   * before the table was first analysed.
   */
  async function commonWords(trx: Db, table: string): Promise<Map<string, number> | null> {
    const now = Date.now()
    const known = elementStats.get(table)
    if (known && now - known.at < FREQUENCY_TTL_MS) return known.shares
    const { rows } = await sql<{ elems: string[] | null; freqs: number[] | null }>`
      SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
        FROM pg_stats WHERE schemaname = current_schema() AND tablename = ${table} AND attname = 'words'`.execute(trx)
    const row = rows[0]
    let shares: Map<string, number> | null = null
    if (row?.elems && row.freqs) {
      shares = new Map()
      for (let i = 0; i < row.elems.length; i++) shares.set(row.elems[i]!, Number(row.freqs[i]))
    }
    elementStats.set(table, { at: now, shares })
    return shares
  }

  /**
   * The words an 'any' query over a large index keeps (tokenizer.ts, pruneAnyTerms).
   * How many documents hold a word: from ANALYZE's statistics (commonWords: one
   * catalogue read, ~0 ms) when the table has them, else counted through the GIN index
   * (a heap visit per document, unlike FTS5's doclists: tens of ms for a need's words),
   * kept per index generation and for FREQUENCY_TTL_MS across later ones.
   */
  async function anyWords(trx: Db, table: string, state: IndexRow, terms: readonly string[]): Promise<string[]> {
    const shares = await commonWords(trx, table)
    if (shares) {
      const docs = terms.map((t) => (shares.get(lexeme(t)) ?? 0) * state.docCount)
      return pruneAnyTerms(terms, docs, state.docCount, anyPruning)
    }
    const now = Date.now()
    const key = (term: string) => `${state.id} ${term}`
    const fresh = (f: { generation: number; at: number } | undefined) =>
      f !== undefined && (f.generation === state.generation || now - f.at < FREQUENCY_TTL_MS)
    const missing = terms.filter((t) => !fresh(frequencies.get(key(t))))
    if (missing.length > 0) {
      const queries = missing.map((t) => quoteLexeme(lexeme(t)))
      const { rows } = await sql<{ i: number; n: number }>`
        SELECT q.i::int AS i, (SELECT count(*)::int FROM ${sql.table(table)} WHERE words @@ q.t::tsquery) AS n
          FROM unnest(${queries}::text[]) WITH ORDINALITY AS q(t, i)`.execute(trx)
      if (frequencies.size >= 10_000) frequencies.clear()
      for (const { i, n } of rows) {
        frequencies.set(key(missing[Number(i) - 1]!), { generation: state.generation, at: now, docs: Number(n) })
      }
    }
    const docs = terms.map((t) => frequencies.get(key(t))?.docs ?? 0)
    return pruneAnyTerms(terms, docs, state.docCount, anyPruning)
  }

  async function runSearch(trx: Db, index: string, query: SearchQuery): Promise<SearchResult> {
    const state = await readIndex(trx, index)
    const { settings, generation } = state
    assertQueryAllowed(query, settings)
    const table = pgDocsTable(state.id)
    const { page: pageNo, pageSize } = normalizePaging(query)
    const offset = (pageNo - 1) * pageSize
    const mode: MatchMode = query.match === 'any' ? 'any' : 'all'
    const plan = planOfWords(segmentQuery(query.text ?? '', mode))
    let tsquery = tsqueryOfPlan(plan, mode)
    const terms = tsquery === null ? [] : termsOfPlan(plan)
    const sort = resolveSort(query, settings, tsquery !== null)
    const filters = activeFilters(query).map(([field, values]) => [field, [...new Set(values)].sort()] as const)
    const ranges = activeRanges(query)
    const facetNames = [...new Set(query.facets ?? [])].sort()
    if (tsquery !== null) {
      // The planner costs `words @@ q` as cheap, so for a common word it picks a
      // sequential scan that decompresses every document's tsvector; through the GIN
      // index only the matches are read (docs/decisions/006-postgresql.md).
      await sql`SELECT set_config('enable_seqscan', 'off', true)`.execute(trx)
      if (mode === 'any' && anyPruningApplies(terms, state.docCount, anyPruning)) {
        tsquery = tsqueryOfPlan(
          (await anyWords(trx, table, state, terms)).map((t) => [t]),
          'any',
        )
      }
    }
    const where = conditions(tsquery, filters, ranges)

    const key = JSON.stringify([index, state.id, mode, tsquery, filters, ranges, facetNames])
    let counted = facetCache.get(key)
    if (!counted || counted.generation !== generation) {
      counted = { ...(await countHits(trx, table, where, facetNames, state.numFields)), generation }
      remember(facetCache, key, counted, FACET_CACHE_SIZE)
    }
    const { total } = counted
    const facets: SearchResult['facets'] = {}
    for (const f of query.facets ?? []) facets[f] = { ...counted.facets[f] }
    if (offset >= total) return { hits: [], total, page: pageNo, pageSize, facets, terms }

    let order: RawBuilder<unknown>
    let rank: RawBuilder<number> | null = null
    if (sort === 'relevance' && tsquery !== null) {
      // 'any' ranks by ts_rank: ts_rank_cd's cover density over an OR of ~40 words costs
      // ~5× more (~370 ms against ~70 ms to rank 8 700 providers, before pruning), and
      // for an OR, ts_rank sums what each matched word brings anyway.
      const rankFunction = sql.raw(mode === 'any' ? 'ts_rank' : 'ts_rank_cd')
      rank = sql<number>`${rankFunction}(${sql.lit(PG_RANK_WEIGHTS)}::float4[], words, ${tsquery}::tsquery, ${sql.lit(PG_RANK_NORMALIZATION)})`
      order = sql`${rank} DESC, rowid`
      if (offset + pageSize <= RANKED_DEPTH) {
        const rankedKey = JSON.stringify([index, state.id, mode, tsquery, filters, ranges])
        let ranked = rankedCache.get(rankedKey)
        if (!ranked || ranked.generation !== generation) {
          const { rows } = await sql<{ rowid: number; score: number }>`
            SELECT rowid, ${rank} AS score FROM ${sql.table(table)} ${whereOf(where)} ORDER BY ${order} LIMIT ${RANKED_DEPTH}`.execute(
            trx,
          )
          ranked = { generation, rowids: rows.map((r) => Number(r.rowid)), scores: rows.map((r) => positive(r.score)) }
          remember(rankedCache, rankedKey, ranked, RANKED_CACHE_SIZE)
        }
        const hits = await hitsByRowid(
          trx,
          table,
          ranked.rowids.slice(offset, offset + pageSize),
          ranked.scores.slice(offset, offset + pageSize),
        )
        return { hits, total, page: pageNo, pageSize, facets, terms }
      }
    } else if (sort === 'relevance' || sort === 'none') {
      order = sql`rowid DESC`
    } else {
      const dir = sql.raw(sort.direction === 'asc' ? 'ASC' : 'DESC')
      order = sql`${numExpr(sort.by)} ${dir} NULLS LAST, rowid ${dir}`
    }
    const hits = await page(trx, table, where, order, offset, pageSize, rank)
    return { hits, total, page: pageNo, pageSize, facets, terms }
  }

  return {
    name: 'postgresql',

    async ensureIndex(index, settings) {
      assertIndexName(index)
      assertSettings(settings)
      const json = JSON.stringify({ filterable: [...settings.filterable], sortable: [...settings.sortable] })
      await db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${SCHEMA_LOCK}))`.execute(trx)
        await sql`
          CREATE TABLE IF NOT EXISTS search_pg_indexes (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            settings jsonb NOT NULL,
            -- Bumped by every write: cached counts and facets of an older generation are stale.
            generation bigint NOT NULL DEFAULT 0,
            doc_count bigint NOT NULL DEFAULT 0,
            -- Attributes that have held a number: only their facets count numbers.
            num_fields text[] NOT NULL DEFAULT '{}'
          )`.execute(trx)
        const { rows } = await sql<{ id: number }>`
          INSERT INTO search_pg_indexes (name, settings) VALUES (${index}, ${json}::jsonb)
          ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, generation = search_pg_indexes.generation + 1
          RETURNING id`.execute(trx)
        const table = pgDocsTable(Number(rows[0]?.id))
        const t = sql.table(table)
        await sql`
          CREATE TABLE IF NOT EXISTS ${t} (
            rowid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            doc_id text NOT NULL UNIQUE,
            display text NOT NULL,
            words tsvector NOT NULL,
            attrs text[] NOT NULL,
            nums jsonb NOT NULL
          )`.execute(trx)
        await sql`CREATE INDEX IF NOT EXISTS ${sql.id(objectName(table, 'words'))} ON ${t} USING gin (words)`.execute(trx)
        await sql`CREATE INDEX IF NOT EXISTS ${sql.id(objectName(table, 'attrs'))} ON ${t} USING gin (attrs)`.execute(trx)
        for (const field of settings.sortable) {
          await sql`CREATE INDEX IF NOT EXISTS ${sql.id(objectName(table, `by_${field}`))}
                      ON ${t} (${numExpr(field)} DESC NULLS LAST, rowid DESC)`.execute(trx)
        }
      })
    },

    async upsert(index, docs) {
      await readIndex(db, index)
      if (docs.length === 0) return
      // Segmenting is the slow part; do it before opening the transaction. A batch
      // naming one id twice keeps the last, as writing them one by one would.
      const byId = new Map<string, PreparedDoc>()
      for (const doc of docs) {
        const prepared = prepareDoc(doc)
        byId.delete(prepared.doc_id)
        byId.set(prepared.doc_id, prepared)
      }
      const prepared = [...byId.values()]
      const numFields = [...new Set(prepared.flatMap((d) => Object.keys(d.nums)))]
      await write(index, async (trx, table) => {
        const { rows } = await sql<{ inserted: boolean }>`
          INSERT INTO ${sql.table(table)} (doc_id, display, words, attrs, nums)
          SELECT x.doc_id, x.display, x.words::tsvector, x.attrs, x.nums
            FROM json_to_recordset(${JSON.stringify(prepared)}::json)
                 AS x(doc_id text, display text, words text, attrs text[], nums jsonb)
          ON CONFLICT (doc_id) DO UPDATE
            SET display = excluded.display, words = excluded.words, attrs = excluded.attrs, nums = excluded.nums
          RETURNING (xmax = 0) AS inserted`.execute(trx)
        return { added: rows.filter((r) => r.inserted).length, numFields }
      })
    },

    async delete(index, ids) {
      await readIndex(db, index)
      if (ids.length === 0) return
      // An id holding NUL was never accepted, so it cannot be there to delete.
      const wanted = [...new Set(ids)].filter((id) => !id.includes('\u0000'))
      await write(index, async (trx, table) => {
        const result = await sql`DELETE FROM ${sql.table(table)} WHERE doc_id = ANY(${wanted}::text[])`.execute(trx)
        return { added: -Number(result.numAffectedRows ?? 0) }
      })
    },

    async clear(index) {
      await readIndex(db, index)
      await write(index, async (trx, table) => {
        await sql`DELETE FROM ${sql.table(table)}`.execute(trx)
        return { added: null }
      })
    },

    async count(index) {
      return (await readIndex(db, index)).docCount
    },

    async search(index, query) {
      // One snapshot: the generation, counts, facets and the page agree.
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) => runSearch(trx, index, query))
    },
  }
}
