import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'
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
  IndexColumns,
  ORDER_UPDATE_MAX,
  rowidMembership,
  type AttrValue,
  type ColumnsSnapshot,
  type Selection,
} from './fts5-columns.js'
import type { LoadRequest, MatchRequest, RankRequest, SegmentRequest, WorkerAnswer } from './fts5-load-worker.js'
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
 * The embedded engine: FTS5 over text segmented by jieba before it reaches SQLite,
 * plus an attribute side table, of which each engine object keeps a columnar copy
 * in memory for filters, counts, facets and sorting (fts5-columns.ts,
 * docs/decisions/001-search.md).
 *
 * Tables are named `search_*`: search_indexes (settings, generation, count),
 * search_docs and search_attrs shared by all indexes, one FTS5 table per index.
 * They are not in the app's migrations: the engine owns them, creates them in
 * ensureIndex, and `npm run search:reindex` rebuilds their content.
 *
 * Work that grows with the index or with a text's matches (reading the copy, FTS5
 * matching and bm25 ranking, cutting texts into words) runs on a worker thread
 * (fts5-load-worker.ts) with its own read-only connection, so the server's event
 * loop keeps serving while a search waits for it (issue 8).
 */

const TITLE_WEIGHT = 5
const BODY_WEIGHT = 1

/**
 * Each index has its own FTS5 table, so bm25 statistics are per index and a MATCH
 * never returns another index's rows. The trailing underscore keeps every such
 * name distinct from every FTS5 shadow table (those end in data, idx, config …).
 */
export function fts5TableName(index: string): string {
  assertIndexName(index)
  return `search_fts_${index}_`
}

/** The ranking expression for an index's FTS5 table: bm25 with the title weighted above the body. */
export function fts5Rank(index: string): string {
  return `bm25(${fts5TableName(index)}, ${TITLE_WEIGHT}, ${BODY_WEIGHT})`
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_indexes (
  name TEXT PRIMARY KEY,
  settings TEXT NOT NULL,
  -- Bumped by every write: cached counts and facets of an older generation are stale.
  generation INTEGER NOT NULL DEFAULT 0,
  doc_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS search_docs (
  rowid INTEGER PRIMARY KEY,
  idx TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  display TEXT NOT NULL,
  UNIQUE (idx, doc_id)
);
CREATE TABLE IF NOT EXISTS search_attrs (
  doc INTEGER NOT NULL,
  idx TEXT NOT NULL,
  field TEXT NOT NULL,
  text TEXT,
  num REAL,
  CHECK ((text IS NULL) <> (num IS NULL))
);
CREATE INDEX IF NOT EXISTS search_attrs_doc ON search_attrs (doc, field, text, num);
CREATE INDEX IF NOT EXISTS search_attrs_text ON search_attrs (idx, field, text, doc) WHERE text IS NOT NULL;
CREATE INDEX IF NOT EXISTS search_attrs_num ON search_attrs (idx, field, num, doc) WHERE num IS NOT NULL;
`

function ftsSchema(index: string): string {
  return `CREATE VIRTUAL TABLE IF NOT EXISTS ${fts5TableName(index)} USING fts5(
  title, body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
)`
}

/**
 * The FTS5 query for a user's text: each word a double-quoted string (quotes
 * doubled), a word with synonyms `("a" OR "b")`; 'all' ANDs the words, 'any' ORs
 * them. Nothing the user typed is ever read as FTS5 syntax. Null when the text has no
 * words, which callers treat as no text at all.
 */
export function toMatchExpression(text: string | undefined, match: MatchMode = 'all'): string | null {
  return matchOfPlan(planOfWords(segmentQuery(text ?? '', match)), match)
}

function quoted(token: string): string {
  return `"${token.replaceAll('"', '""')}"`
}

/** The FTS5 query for a query plan (tokenizer.ts): groups of alternative words. */
export function matchOfPlan(plan: QueryPlan, match: MatchMode = 'all'): string | null {
  if (plan.length === 0) return null
  if (match === 'any') return plan.flat().map(quoted).join(' OR ')
  return plan.map((group) => (group.length === 1 ? quoted(group[0]!) : `(${group.map(quoted).join(' OR ')})`)).join(' AND ')
}

interface PreparedDoc {
  id: string
  title: string
  body: string
  display: string
  attrs: AttrValue[]
}

/** `words`: the title's and the body's words (segmentForIndex), when segmented elsewhere. */
function prepareDoc(doc: SearchDocument, words?: readonly [string[], string[]]): PreparedDoc {
  if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > 511) {
    throw new SearchQueryError(`invalid document id: ${JSON.stringify(doc.id)}`)
  }
  const attrs: AttrValue[] = []
  for (const [field, value] of Object.entries(doc.attributes)) {
    assertAttributeName(field)
    if (typeof value === 'number') {
      if (Number.isFinite(value)) attrs.push({ field, text: null, num: value })
    } else if (typeof value === 'string') {
      attrs.push({ field, text: value, num: null })
    } else {
      for (const item of new Set(value)) attrs.push({ field, text: item, num: null })
    }
  }
  return {
    id: doc.id,
    title: (words?.[0] ?? segmentForIndex(doc.title)).join(' '),
    body: (words?.[1] ?? segmentForIndex(doc.body)).join(' '),
    display: JSON.stringify(doc.display),
    attrs,
  }
}

function parseSettings(json: string): IndexSettings {
  const value: unknown = JSON.parse(json)
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  if (typeof value !== 'object' || value === null) return { filterable: [], sortable: [] }
  const record = value as Record<string, unknown>
  return { filterable: list(record.filterable), sortable: list(record.sortable) }
}

function parseDisplay(json: string): SearchHit['display'] {
  return JSON.parse(json) as SearchHit['display']
}

const IDLE_TIMEOUT_MS = 10_000

/**
 * The app shares one connection between Kysely and this engine, and a Kysely
 * transaction stays open across awaits while other requests run. Writing then
 * would put index rows inside someone else's transaction, so writes wait for
 * the connection to be outside any transaction, then run synchronously.
 */
async function whenIdle(sqlite: BetterSqlite3.Database): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS
  while (sqlite.inTransaction) {
    if (Date.now() > deadline) {
      throw new Error('search index write waited 10 s for an open transaction; call the engine after commit')
    }
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** The SQL function through which a ranked query keeps to hits chosen in memory (withMembers). */
const MEMBER_FUNCTION = 'search_fts5_member'

/** Rowids of a text query's matches (`MATCH ?`), in FTS5's order (by rowid). */
export function textMatchesSql(index: string): string {
  const fts = fts5TableName(index)
  return `SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?`
}

/**
 * Rowids and bm25 (`[rowid, rank]`, raw rows) of the first `LIMIT ?` text matches
 * (`MATCH ?`) that `search_fts5_member` accepts, best first: bm25 (title weighted,
 * lower is better), ties by rowid. Run through withMembers.
 */
export function rankedSql(index: string): string {
  const fts = fts5TableName(index)
  return `SELECT rowid, ${fts5Rank(index)} AS rank FROM ${fts} WHERE ${fts} MATCH ? AND ${MEMBER_FUNCTION}(rowid) ORDER BY rank, rowid LIMIT ?`
}

/** rankedSql's rows as rowids and scores (-bm25: positive, higher is better). */
export function rankedRows(
  statement: BetterSqlite3.Statement,
  match: string,
  limit: number,
): { rowids: Float64Array; scores: Float64Array } {
  const rows = statement.raw().all(match, limit) as [number, number][]
  const rowids = new Float64Array(rows.length)
  const scores = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    rowids[i] = rows[i]![0]
    // FTS5 keeps every term's IDF above zero, so a match's bm25 is below zero; a
    // floor keeps the score positive whatever a future SQLite does.
    scores[i] = Math.max(-rows[i]![1], Number.MIN_VALUE)
  }
  return { rowids, scores }
}

/**
 * SQL cannot see the hit set computed in memory, so a bm25-ordered page keeps to
 * it through this function: bm25 is then computed only for the hits, not for every
 * text match. better-sqlite3 runs a statement synchronously, and `member` is set
 * only for the duration of one (withMembers); outside it, no row is a member.
 */
let member: ((rowid: number) => boolean) | null = null
const withMemberFunction = new WeakSet<BetterSqlite3.Database>()

function registerMemberFunction(sqlite: BetterSqlite3.Database): void {
  if (withMemberFunction.has(sqlite)) return
  sqlite.function(MEMBER_FUNCTION, { directOnly: true }, (rowid: unknown) => (member?.(Number(rowid)) ? 1 : 0))
  withMemberFunction.add(sqlite)
}

/** Runs `read` (synchronous SQL on `sqlite`) with `search_fts5_member(rowid)` answering `keep`. */
export function withMembers<T>(sqlite: BetterSqlite3.Database, keep: (rowid: number) => boolean, read: () => T): T {
  registerMemberFunction(sqlite)
  member = keep
  try {
    return read()
  } finally {
    member = null
  }
}

/**
 * The engine's worker thread (fts5-load-worker.ts: memory copies, text matches, bm25
 * ranking, cutting texts), one per process, started on first use and keeping the
 * process alive only while it owes an answer. Null when it cannot run (no worker
 * script beside this module or the bundle, or it failed): the work is then done on
 * the calling thread, as it always can be.
 */
interface Loader {
  load(request: Omit<LoadRequest, 'id' | 'type'>): Promise<ColumnsSnapshot>
  /** Rowids from FTS5 at a generation (null: no longer at it); a ranking also has their scores. */
  rowids(
    request: Omit<MatchRequest, 'id'> | Omit<RankRequest, 'id'>,
  ): Promise<{ rowids: Float64Array; scores: Float64Array | null } | null>
  /** Words of each text: segmentQuery's (in a match mode) or segmentForIndex's, as on this thread. */
  segment(mode: SegmentRequest['mode'], texts: string[], match?: MatchMode): Promise<string[][]>
}
let loader: Loader | null | undefined

/** This module runs from search/ (tsx, tests) or bundled into build/index.js (the server build). */
function workerScript(): URL | null {
  for (const candidate of ['./fts5-load-worker.mjs', '../search/fts5-load-worker.mjs']) {
    const url = new URL(candidate, import.meta.url)
    if (url.protocol === 'file:' && fs.existsSync(fileURLToPath(url))) return url
  }
  return null
}

function sharedLoader(): Loader | null {
  if (loader !== undefined) return loader
  const script = workerScript()
  if (!script) return (loader = null)
  const worker = new Worker(script)
  let nextId = 1
  const waiting = new Map<number, { resolve: (answer: WorkerAnswer) => void; reject: (e: Error) => void }>()
  const fail = (error: Error) => {
    loader = null
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }
  worker.on('message', (answer: WorkerAnswer) => {
    const w = waiting.get(answer.id)
    waiting.delete(answer.id)
    if (!w) return
    if (waiting.size === 0) worker.unref()
    if ('error' in answer) w.reject(new Error(answer.error))
    else w.resolve(answer)
  })
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`search index loader exited (${code})`)))
  // Kept alive only while it owes an answer (after the listeners: a 'message' listener
  // takes a reference again), so a command-line run ends when its work does.
  worker.unref()
  const ask = (
    request: Omit<LoadRequest, 'id'> | Omit<MatchRequest, 'id'> | Omit<RankRequest, 'id'> | Omit<SegmentRequest, 'id'>,
    transfer: ArrayBuffer[] = [],
  ) =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      const id = nextId++
      if (waiting.size === 0) worker.ref()
      waiting.set(id, { resolve, reject })
      worker.postMessage({ ...request, id }, transfer)
    })
  loader = {
    async load(request) {
      const answer = await ask({ ...request, type: 'load' })
      if (!('snapshot' in answer)) throw new Error('search index loader answered without a copy')
      return answer.snapshot
    },
    async rowids(request) {
      const answer = await ask(request, request.type === 'rank' ? [request.keep.buffer as ArrayBuffer] : [])
      if (!('rowids' in answer)) throw new Error('search index loader answered without rowids')
      return answer.rowids ? { rowids: answer.rowids, scores: answer.scores ?? null } : null
    },
    async segment(mode, texts, match) {
      const answer = await ask({ type: 'segment', mode, texts, match })
      if (!('words' in answer)) throw new Error('search index loader answered without words')
      return answer.words
    },
  }
  return loader
}

/**
 * What a search found missing, to be had from the worker before it is run again: the
 * memory copy, a text's matches, or the bm25 order of a query's hits (at least `limit`).
 */
type Need =
  | { kind: 'copy' }
  | { kind: 'matches'; match: string; generation: number }
  | { kind: 'ranked'; key: string; match: string; generation: number; keep: Float64Array; limit: number }
const WORKER_ATTEMPTS = 10
/** How long words' document counts serve 'any' queries across writes (anyWords). */
const FREQUENCY_TTL_MS = 60_000
/** Query texts whose words an engine remembers. */
const WORDS_CACHE_SIZE = 1000

type Filters = [string, string[]][]
type Ranges = [string, { min?: number; max?: number }][]

const STATEMENT_CACHE_SIZE = 256
const FACET_CACHE_SIZE = 200
/** Hit lists up to this long are kept with their counts, so their pages skip filtering. */
const SMALL_HITS = 4096
/** A text query's hits are ranked at least this far, and twice as far as the page asked for. */
const RANKED_MIN = 200

interface Counted {
  total: number
  facets: SearchResult['facets']
  generation: number
  /** The copy the hits are slots of. */
  columns: IndexColumns
  /** The hits, when there are at most SMALL_HITS (in no particular order). */
  hits: Int32Array | null
  /** With text: the first hits by bm25 (ties by rowid), as far as a page has needed. */
  ranked: Int32Array | null
  /** Their scores (-bm25), position by position. */
  rankedScores: Float64Array | null
  /** The first hits in an attribute's order ("by direction", or "none"), picked by a heap, as far as a page has needed. */
  sorted: Map<string, Int32Array>
}

/** Knobs the tests turn to reach every path with few documents. */
export interface Fts5EngineOptions {
  /**
   * Read the memory copy on a worker thread (default true for a database file): the
   * search that needs it waits, other requests go on. False reads it in the search.
   */
  loadInWorker?: boolean
  /** Told each time a memory copy is read: on the worker thread, or in a search. */
  onCopyRead?: (index: string, where: 'worker' | 'search') => void
  /** Hit lists up to this long are cached with the counts (default 4 096). */
  smallHits?: number
  /** Writes of more documents than this re-sort the sort orders when next needed (default 100). */
  orderUpdateMax?: number
  /** A text query's hits are ranked at least this far (default 200). */
  rankedMin?: number
  /**
   * 'any' mode over an index of at least `minDocs` documents leaves out the words held
   * by more than `maxShare` of them (keeping at least the `keep` rarest): see anyWords.
   * Default 1 000 documents, 0.2, 8.
   */
  anyPruning?: AnyPruning
}

export function createFts5Engine(sqlite: BetterSqlite3.Database, options: Fts5EngineOptions = {}): SearchEngine {
  const smallHits = options.smallHits ?? SMALL_HITS
  const orderUpdateMax = options.orderUpdateMax ?? ORDER_UPDATE_MAX
  const rankedMin = options.rankedMin ?? RANKED_MIN
  const anyPruning: AnyPruning = options.anyPruning ?? ANY_PRUNING
  // Documents holding each word, per index at one generation (anyWords).
  const frequencies = new Map<string, { generation: number; at: number; docs: Map<string, number> }>()
  const databaseFile = sqlite.memory ? null : sqlite.name
  const inWorker = (options.loadInWorker ?? true) && databaseFile !== null
  // Reads in progress on the worker, per index: concurrent searches wait for the same one.
  const loading = new Map<string, Promise<void>>()
  // Words of recent query texts (per match mode), cut on the worker (see queryWords).
  const wordsOfText = new Map<string, string[]>()
  registerMemberFunction(sqlite)
  const statements = new Map<string, BetterSqlite3.Statement>()
  // Counts and facets of recent queries, valid while the index generation (bumped
  // by every write, from any connection) is unchanged: browsing and paging the same
  // filters then skip counting.
  const facetCache = new Map<string, Counted>()
  // The attributes of each index in memory, at the generation they were read or
  // last written at by this engine (see fts5-columns.ts). A write from another
  // connection shows as a generation they do not match, and they are read again.
  const memory = new Map<string, IndexColumns>()
  let schemaReady = false

  function stmt(sql: string): BetterSqlite3.Statement {
    let s = statements.get(sql)
    if (!s) {
      s = sqlite.prepare(sql)
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = statements.keys().next().value
        if (oldest !== undefined) statements.delete(oldest)
      }
      statements.set(sql, s)
    }
    return s
  }

  function hasSchema(): boolean {
    if (!schemaReady) {
      const found = sqlite
        .prepare(
          `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('search_indexes', 'search_docs', 'search_attrs')`,
        )
        .pluck()
        .get() as number
      schemaReady = found === 3
    }
    return schemaReady
  }

  interface IndexState {
    settings: IndexSettings
    generation: number
    docCount: number
  }

  function requireIndex(index: string): IndexState {
    assertIndexName(index)
    const row = hasSchema()
      ? (stmt('SELECT settings, generation, doc_count FROM search_indexes WHERE name = ?').get(index) as
          { settings: string; generation: number; doc_count: number } | undefined)
      : undefined
    if (!row) throw new SearchQueryError(`search index "${index}" does not exist; call ensureIndex first`)
    return { settings: parseSettings(row.settings), generation: row.generation, docCount: row.doc_count }
  }

  /**
   * Records a write: a new generation, and the change in the number of documents
   * (null: recount). Returns the new generation.
   */
  function bump(index: string, added: number | null): number {
    const generation =
      added === null
        ? stmt(
            `UPDATE search_indexes SET generation = generation + 1,
               doc_count = (SELECT count(*) FROM search_docs WHERE idx = ?) WHERE name = ? RETURNING generation`,
          )
            .pluck()
            .get(index, index)
        : stmt(
            'UPDATE search_indexes SET generation = generation + 1, doc_count = doc_count + ? WHERE name = ? RETURNING generation',
          )
            .pluck()
            .get(added, index)
    return generation as number
  }

  /**
   * After a write committed as `generation`: the memory copy takes the same change
   * if it was current just before it, and is dropped otherwise (another connection
   * wrote in between), to be read again by the next search.
   */
  function applyToMemory(index: string, generation: number, apply: (columns: IndexColumns) => void): void {
    const columns = memory.get(index)
    if (!columns) return
    if (columns.generation !== generation - 1) {
      dropMemory(index)
      return
    }
    apply(columns)
    columns.generation = generation
  }

  function writeDocs(index: string, docs: readonly PreparedDoc[]): void {
    const fts = fts5TableName(index)
    const findDoc = stmt('SELECT rowid FROM search_docs WHERE idx = ? AND doc_id = ?').pluck()
    const insertDoc = stmt('INSERT INTO search_docs (idx, doc_id, display) VALUES (?, ?, ?)')
    const updateDoc = stmt('UPDATE search_docs SET display = ? WHERE rowid = ?')
    const deleteText = stmt(`DELETE FROM ${fts} WHERE rowid = ?`)
    const insertText = stmt(`INSERT INTO ${fts} (rowid, title, body) VALUES (?, ?, ?)`)
    const deleteAttrs = stmt('DELETE FROM search_attrs WHERE doc = ?')
    const insertAttr = stmt('INSERT INTO search_attrs (doc, idx, field, text, num) VALUES (?, ?, ?, ?, ?)')
    const written: [number, AttrValue[]][] = []
    const generation = sqlite.transaction(() => {
      let added = 0
      for (const doc of docs) {
        let rowid = findDoc.get(index, doc.id) as number | bigint | undefined
        if (rowid === undefined) {
          rowid = insertDoc.run(index, doc.id, doc.display).lastInsertRowid
          added++
        } else {
          updateDoc.run(doc.display, rowid)
          deleteText.run(rowid)
          deleteAttrs.run(rowid)
        }
        insertText.run(rowid, doc.title, doc.body)
        for (const a of doc.attrs) insertAttr.run(rowid, index, a.field, a.text, a.num)
        written.push([Number(rowid), doc.attrs])
      }
      return bump(index, added)
    })()
    applyToMemory(index, generation, (columns) => columns.upsertMany(written))
  }

  function deleteDocs(index: string, ids: readonly string[]): void {
    const findDoc = stmt('SELECT rowid FROM search_docs WHERE idx = ? AND doc_id = ?').pluck()
    const deleteText = stmt(`DELETE FROM ${fts5TableName(index)} WHERE rowid = ?`)
    const deleteAttrs = stmt('DELETE FROM search_attrs WHERE doc = ?')
    const deleteDoc = stmt('DELETE FROM search_docs WHERE rowid = ?')
    const removed: number[] = []
    const generation = sqlite.transaction(() => {
      for (const id of new Set(ids)) {
        const rowid = findDoc.get(index, id) as number | undefined
        if (rowid === undefined) continue
        deleteText.run(rowid)
        deleteAttrs.run(rowid)
        deleteDoc.run(rowid)
        removed.push(rowid)
      }
      return bump(index, -removed.length)
    })()
    applyToMemory(index, generation, (columns) => columns.removeMany(removed))
  }

  function clearIndex(index: string): void {
    const fts = fts5TableName(index)
    sqlite.transaction(() => {
      stmt(`INSERT INTO ${fts} (${fts}) VALUES ('delete-all')`).run()
      stmt('DELETE FROM search_attrs WHERE idx = ?').run(index)
      stmt('DELETE FROM search_docs WHERE idx = ?').run(index)
      bump(index, null)
    })()
    // An empty index is cheap to read again, and a rebuild (clear, then upserts in
    // batches) then does not keep a copy up to date that no search is looking at.
    dropMemory(index)
  }

  /** Forgets the memory copy of an index, and the cached hits that are slots of it. */
  function dropMemory(index: string): void {
    const columns = memory.get(index)
    if (!columns) return
    memory.delete(index)
    for (const [key, counted] of facetCache) if (counted.columns === columns) facetCache.delete(key)
  }

  /** The memory copy of the index's attributes at `generation`, read if it is missing or stale. */
  function columnsAt(index: string, generation: number): IndexColumns {
    let columns = memory.get(index)
    if (!columns || columns.generation !== generation) {
      columns = install(index, IndexColumns.load(sqlite, index, generation), 'search')
    }
    return columns
  }

  /** Makes `columns` the memory copy of `index`, in place of any other. */
  function install(index: string, columns: IndexColumns, where: 'worker' | 'search'): IndexColumns {
    dropMemory(index)
    columns.orderUpdateMax = orderUpdateMax
    memory.set(index, columns)
    options.onCopyRead?.(index, where)
    return columns
  }

  function toHits(rows: unknown[]): SearchHit[] {
    return (rows as { doc_id: string; display: string }[]).map((r) => ({ id: r.doc_id, display: parseDisplay(r.display) }))
  }

  /** Hits for rowids, in their order. */
  function hitsOf(rowids: readonly number[]): SearchHit[] {
    return toHits(
      stmt(`SELECT d.doc_id, d.display FROM json_each(?) r CROSS JOIN search_docs d ON d.rowid = r.value ORDER BY r.key`).all(
        JSON.stringify(rowids),
      ),
    )
  }

  /** Rowids of the text matches, in FTS5's order (by rowid). */
  function textMatches(index: string, match: string): number[] {
    return stmt(textMatchesSql(index)).pluck().all(match) as number[]
  }

  /**
   * Rowids of the first `limit` text matches `keep` accepts, best first (rankedSql).
   * bm25 is the costly part and is computed only for them.
   */
  function ranked(
    index: string,
    match: string,
    keep: (rowid: number) => boolean,
    limit: number,
  ): { rowids: Float64Array; scores: Float64Array } {
    const query = stmt(rankedSql(index))
    return withMembers(sqlite, keep, () => rankedRows(query, match, limit))
  }

  /** A ranking's rowids as slots of the copy, with their scores (rowids of no document left out). */
  function rankedSlots(columns: IndexColumns, rowids: Float64Array, scores: Float64Array): [Int32Array, Float64Array] {
    const slots = new Int32Array(rowids.length)
    const kept = new Float64Array(rowids.length)
    let n = 0
    for (let i = 0; i < rowids.length; i++) {
      const slot = columns.slotOfRowid(rowids[i]!)
      if (slot === -1) continue
      slots[n] = slot
      kept[n++] = scores[i]!
    }
    return [slots.subarray(0, n), kept.subarray(0, n)]
  }

  /**
   * The words an 'any' query over a large index keeps: those held by at most
   * maxShare of the documents, or the `keep` rarest if fewer. A word most documents
   * hold adds little to bm25 (its IDF is near zero; above half the documents FTS5
   * floors it at 1e-6) but makes FTS5 score nearly every document: a need's 40 words
   * over 10 000 providers matched ~8 700 of them and cost ~15–45 ms to rank, ~3–8 ms
   * without its words held by more than 20 % (docs/decisions/001-search.md). Counts
   * are read from FTS5 (one count per word, its document list, ~0.1 ms for a common
   * one) and kept for the generation and for FREQUENCY_TTL_MS after.
   */
  function anyWords(index: string, generation: number, docCount: number, terms: readonly string[]): string[] {
    // A few writes barely move a count: counts serve later generations for a minute,
    // so writes (each a new generation) do not make every 'any' query count again.
    let known = frequencies.get(index)
    const now = Date.now()
    if (!known || (known.generation !== generation && now - known.at >= FREQUENCY_TTL_MS)) {
      known = { generation, at: now, docs: new Map() }
      frequencies.set(index, known)
    }
    const count = stmt(`SELECT count(*) FROM ${fts5TableName(index)} WHERE ${fts5TableName(index)} MATCH ?`).pluck()
    const docs = terms.map((term) => {
      let n = known.docs.get(term)
      if (n === undefined) {
        n = count.get(quoted(term)) as number
        if (known.docs.size >= 10_000) known.docs.clear()
        known.docs.set(term, n)
      }
      return n
    })
    return pruneAnyTerms(terms, docs, docCount, anyPruning)
  }

  /**
   * Reads the memory copy of `index` on the worker and installs it if it is still
   * current when it arrives (otherwise the search asks again). A failure is logged and
   * leaves the read to the search itself.
   */
  function loadOffThread(index: string, settings: IndexSettings): Promise<void> {
    let pending = loading.get(index)
    if (pending) return pending
    const worker = sharedLoader()
    if (!worker || databaseFile === null) return Promise.resolve()
    pending = worker
      .load({
        file: databaseFile,
        index,
        fields: [...new Set([...settings.filterable, ...settings.sortable])],
        sortable: [...settings.sortable],
      })
      .then(
        (snapshot) => {
          const current = requireIndex(index).generation
          const installed = memory.get(index)
          if (snapshot.generation !== current || installed?.generation === current) return
          install(index, IndexColumns.fromSnapshot(sqlite, snapshot), 'worker')
        },
        (error: unknown) => {
          console.error('search: reading the index copy on a worker thread failed; reading it in the search', error)
          loader = null
        },
      )
      .finally(() => loading.delete(index))
    loading.set(index, pending)
    return pending
  }

  /**
   * A query's words. Cutting text needs jieba's dictionary, ~100–200 ms to load on
   * the thread that first cuts: with a worker, texts are cut there (and remembered
   * here), so the server's thread never loads it. Without one, here.
   */
  async function queryWords(text: string | undefined, match: MatchMode): Promise<string[]> {
    if (!text?.trim()) return []
    const key = `${match}\u0000${text}`
    const known = wordsOfText.get(key)
    if (known) return known
    const worker = inWorker ? sharedLoader() : null
    let words: string[]
    try {
      words = worker ? ((await worker.segment('query', [text], match))[0] ?? []) : segmentQuery(text, match)
    } catch {
      words = segmentQuery(text, match)
    }
    if (wordsOfText.size >= WORDS_CACHE_SIZE) {
      const oldest = wordsOfText.keys().next().value
      if (oldest !== undefined) wordsOfText.delete(oldest)
    }
    wordsOfText.set(key, words)
    return words
  }

  /** Documents ready to write, their texts cut on the worker when there is one (see queryWords). */
  async function prepareDocs(docs: readonly SearchDocument[]): Promise<PreparedDoc[]> {
    const worker = inWorker ? sharedLoader() : null
    if (!worker) return docs.map((doc) => prepareDoc(doc))
    let words: string[][]
    try {
      words = await worker.segment(
        'index',
        docs.flatMap((doc) => [doc.title, doc.body]),
      )
    } catch {
      return docs.map((doc) => prepareDoc(doc))
    }
    return docs.map((doc, i) => prepareDoc(doc, [words[2 * i] ?? [], words[2 * i + 1] ?? []]))
  }

  /**
   * Gets from the worker what a search found missing, and keeps it if the index is
   * still where the search saw it. False when the worker failed (the search then does
   * the work itself).
   */
  async function fulfil(index: string, need: Need): Promise<boolean> {
    const worker = sharedLoader()
    if (!worker || databaseFile === null) return false
    if (need.kind === 'copy') {
      await loadOffThread(index, requireIndex(index).settings)
      return true
    }
    let answer: { rowids: Float64Array; scores: Float64Array | null } | null
    try {
      answer =
        need.kind === 'matches'
          ? await worker.rowids({ type: 'match', file: databaseFile, index, match: need.match, generation: need.generation })
          : await worker.rowids({
              type: 'rank',
              file: databaseFile,
              index,
              match: need.match,
              generation: need.generation,
              keep: need.keep,
              limit: need.limit,
            })
    } catch (error) {
      console.error('search: a query on the worker thread failed; running it in the search', error)
      return false
    }
    const columns = memory.get(index)
    if (!answer || !columns || columns.generation !== need.generation) return true
    if (need.kind === 'matches') columns.putMatch(need.match, answer.rowids)
    else {
      const counted = facetCache.get(need.key)
      if (counted && counted.generation === need.generation && counted.columns === columns) {
        ;[counted.ranked, counted.rankedScores] = rankedSlots(
          columns,
          answer.rowids,
          answer.scores ?? new Float64Array(answer.rowids.length),
        )
      }
    }
    return true
  }

  /**
   * A search reads the memory copy, apart from FTS5 (the text matches once per text,
   * the bm25 order of a query's hits once per query) and the page's display fields,
   * until the next write. Counts, facets, few hits, the bm25 order and heap-picked
   * prefixes are cached per generation; an attribute-sorted page is the first
   * documents of the attribute's order that pass the filters, so it costs what it
   * shows. `offThread`: instead of running FTS5 queries that grow with the matches (or
   * reading a missing copy), say what is needed, for the worker to get (fulfil).
   */
  function runSearch(
    index: string,
    query: SearchQuery,
    words: readonly string[],
    offThread: boolean,
  ): { result: SearchResult } | { need: Need } {
    const mode: MatchMode = query.match === 'any' ? 'any' : 'all'
    const { settings, generation, docCount } = requireIndex(index)
    assertQueryAllowed(query, settings)
    if (offThread && memory.get(index)?.generation !== generation) return { need: { kind: 'copy' } }
    const { page: pageNo, pageSize } = normalizePaging(query)
    const offset = (pageNo - 1) * pageSize
    const plan = planOfWords(words)
    const terms = termsOfPlan(plan)
    const match =
      mode === 'any' && anyPruningApplies(terms, docCount, anyPruning)
        ? matchOfPlan(
            anyWords(index, generation, docCount, terms).map((t) => [t]),
            'any',
          )
        : matchOfPlan(plan, mode)
    const sort = resolveSort(query, settings, match !== null)
    const filters: Filters = activeFilters(query).map(([field, values]) => [field, [...new Set(values)].sort()])
    const ranges: Ranges = activeRanges(query)
    const facetNames = [...new Set(query.facets ?? [])].sort()

    const columns = columnsAt(index, generation)
    // Resolved only when filtering is to be done: a warm page is read from its cached prefix.
    let selected: Selection | null = null
    const selection = (): Selection => (selected ??= columns.selection(filters, ranges))
    // The text matches, as slots of the copy.
    let matched: Int32Array | null = null
    if (match !== null) {
      const known = columns.cachedMatch(match)
      if (!known && offThread) return { need: { kind: 'matches', match, generation } }
      matched = known ?? columns.putMatch(match, textMatches(index, match))
    }
    let hits: Int32Array | null = null
    const allHits = (): Int32Array => (hits ??= columns.matching(matched, selection()))

    const key = JSON.stringify([index, mode, match, filters, ranges, facetNames])
    let counted = facetCache.get(key)
    if (!counted || counted.generation !== generation || counted.columns !== columns) {
      const all = allHits()
      counted = {
        total: all.length,
        facets: columns.facets(all, facetNames),
        generation,
        columns,
        hits: all.length <= smallHits ? all : null,
        ranked: null,
        rankedScores: null,
        sorted: new Map(),
      }
      facetCache.delete(key)
      if (facetCache.size >= FACET_CACHE_SIZE) {
        const oldest = facetCache.keys().next().value
        if (oldest !== undefined) facetCache.delete(oldest)
      }
      facetCache.set(key, counted)
    }
    const { total } = counted
    const facets: SearchResult['facets'] = {}
    for (const f of query.facets ?? []) facets[f] = { ...counted.facets[f] }
    if (offset >= total) return { result: { hits: [], total, page: pageNo, pageSize, facets, terms } }

    const end = offset + pageSize
    // A prefix of an order, computed once per query and generation for at least twice
    // the page's end (and 200), extended when a later page goes past it.
    const short = (prefix: Int32Array | null) => !prefix || (prefix.length < end && prefix.length < total)
    const limit = Math.max(rankedMin, 2 * end)
    // Few hits are at hand; more are filtered again from the text matches or walked to.
    const few = counted.hits
    let slots: ArrayLike<number>
    let scores: Float64Array | null = null
    if (sort === 'relevance' && match !== null) {
      if (short(counted.ranked)) {
        const keep = columns.rowidArray(few ?? allHits())
        if (offThread) return { need: { kind: 'ranked', key, match, generation, keep, limit } }
        const answer = ranked(index, match, rowidMembership(keep), limit)
        ;[counted.ranked, counted.rankedScores] = rankedSlots(columns, answer.rowids, answer.scores)
      }
      slots = counted.ranked!.subarray(offset, end)
      scores = counted.rankedScores?.subarray(offset, end) ?? null
    } else if (sort === 'relevance' || sort === 'none' || few || matched !== null) {
      // Text sorted by an attribute (or few hits, or no order): a heap over the hits, as
      // many as the text matched at most.
      const order = sort === 'relevance' || sort === 'none' ? null : sort
      const name = order ? `${order.by} ${order.direction}` : 'none'
      let prefix = counted.sorted.get(name) ?? null
      if (short(prefix)) {
        prefix = Int32Array.from(columns.firstSlots(few ?? allHits(), limit, order))
        counted.sorted.set(name, prefix)
      }
      slots = prefix!.subarray(offset, end)
    } else {
      slots = columns.firstInOrder(sort, selection(), end).subarray(offset)
    }
    const page = hitsOf(columns.rowidsOf(slots))
    if (scores) for (let i = 0; i < page.length; i++) page[i]!.score = scores[i]!
    return { result: { hits: page, total, page: pageNo, pageSize, facets, terms } }
  }

  return {
    name: 'sqlite-fts5',

    async ensureIndex(index, settings) {
      assertIndexName(index)
      assertSettings(settings)
      await whenIdle(sqlite)
      sqlite.transaction(() => {
        sqlite.exec(SCHEMA)
        sqlite.exec(ftsSchema(index))
        const json = JSON.stringify({ filterable: [...settings.filterable], sortable: [...settings.sortable] })
        stmt(
          `INSERT INTO search_indexes (name, settings) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, generation = generation + 1`,
        ).run(index, json)
      })()
      schemaReady = true
    },

    async upsert(index, docs) {
      requireIndex(index)
      if (docs.length === 0) return
      // Segmenting is the slow part; do it before taking the write lock.
      const prepared = await prepareDocs(docs)
      await whenIdle(sqlite)
      writeDocs(index, prepared)
    },

    async delete(index, ids) {
      requireIndex(index)
      if (ids.length === 0) return
      await whenIdle(sqlite)
      deleteDocs(index, ids)
    },

    async clear(index) {
      requireIndex(index)
      await whenIdle(sqlite)
      clearIndex(index)
    },

    async count(index) {
      return requireIndex(index).docCount
    },

    async search(index, query) {
      // What costs more than the page (a missing or stale copy, a text's matches, the
      // bm25 order of the hits) is had from the worker first, the search run again with
      // it; if writes from elsewhere keep overtaking the worker (a reindex from the
      // command line writes in batches), after a few tries, here.
      const words = await queryWords(query.text, query.match === 'any' ? 'any' : 'all')
      let offThread = inWorker && sharedLoader() !== null
      for (let attempt = 1; ; attempt++) {
        // One read transaction: counts, facets and the page see the same snapshot.
        const outcome = sqlite.transaction(() => runSearch(index, query, words, offThread))()
        if ('result' in outcome) return outcome.result
        if (!(await fulfil(index, outcome.need)) || attempt >= WORKER_ATTEMPTS) offThread = false
      }
    },
  }
}
