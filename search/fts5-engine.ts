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
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './engine.js'
import { segmentForIndex, segmentQuery } from './tokenizer.js'

/**
 * The embedded engine: FTS5 over text segmented by jieba before it reaches SQLite,
 * plus an attribute side table for filters, facets and sorting
 * (docs/decisions/001-search.md).
 *
 * Tables are named `search_*`: search_indexes (settings, generation, count),
 * search_docs and search_attrs shared by all indexes, one FTS5 table per index.
 * They are not in the app's migrations: the engine owns them, creates them in
 * ensureIndex, and `npm run search:reindex` rebuilds their content.
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
 * doubled), implicitly ANDed. Nothing the user typed is ever read as FTS5 syntax.
 * Null when the text has no words, which callers treat as no text at all.
 */
export function toMatchExpression(text: string | undefined): string | null {
  const tokens = segmentQuery(text ?? '')
  if (tokens.length === 0) return null
  return tokens.map((token) => `"${token.replaceAll('"', '""')}"`).join(' ')
}

interface AttrRow {
  field: string
  text: string | null
  num: number | null
}

interface PreparedDoc {
  id: string
  title: string
  body: string
  display: string
  attrs: AttrRow[]
}

function prepareDoc(doc: SearchDocument): PreparedDoc {
  if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > 511) {
    throw new SearchQueryError(`invalid document id: ${JSON.stringify(doc.id)}`)
  }
  const attrs: AttrRow[] = []
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
    title: segmentForIndex(doc.title).join(' '),
    body: segmentForIndex(doc.body).join(' '),
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

type Params = (string | number)[]

interface Fragment {
  sql: string
  params: Params
}

/** One filter or range, as a condition on an attribute row aliased `x`. */
interface Constraint {
  field: string
  kind: 'text' | 'num'
  /** e.g. `x.text IN (?, ?)` or `x.num >= ?` */
  test: string
  params: Params
  /** More than one value: a driver over it needs DISTINCT (a document can hold several). */
  multi: boolean
}

function constraintsOf(query: SearchQuery): Constraint[] {
  const out: Constraint[] = []
  for (const [field, values] of activeFilters(query)) {
    const unique = [...new Set(values)]
    out.push({
      field,
      kind: 'text',
      test: unique.length === 1 ? 'x.text = ?' : `x.text IN (${unique.map(() => '?').join(', ')})`,
      params: unique,
      multi: unique.length > 1,
    })
  }
  for (const [field, { min, max }] of activeRanges(query)) {
    const tests: string[] = []
    const params: Params = []
    if (min !== undefined) {
      tests.push('x.num >= ?')
      params.push(min)
    }
    if (max !== undefined) {
      tests.push('x.num <= ?')
      params.push(max)
    }
    out.push({ field, kind: 'num', test: tests.join(' AND '), params, multi: false })
  }
  return out
}

/** `ref` (a document rowid) has an attribute row passing the constraint: one index probe. */
function exists(c: Constraint, ref: string): Fragment {
  return {
    sql: `EXISTS (SELECT 1 FROM search_attrs x WHERE x.doc = ${ref} AND x.field = ? AND ${c.test})`,
    params: [c.field, ...c.params],
  }
}

function and(base: string, parts: readonly Fragment[]): string {
  return parts.length === 0 ? base : `${base} AND ${parts.map((p) => p.sql).join(' AND ')}`
}

function paramsOf(parts: readonly Fragment[]): Params {
  return parts.flatMap((p) => p.params)
}

const STATEMENT_CACHE_SIZE = 256
const FACET_CACHE_SIZE = 200
/** A driving constraint is chosen by counting at most this many rows of each. */
const ESTIMATE_CAP = 2000

/** Where the engine switches query strategies; the defaults suit 10³–10⁶ documents. */
export interface Fts5EngineOptions {
  /** Up to this share of the index, facets are counted per hit; above it, per attribute row (default 0.15). */
  perHitFacetShare?: number
  /** Up to this many hits, a sorted page is sorted in full; above it, the sort index is walked (default 5000). */
  sortInFullMax?: number
}

interface Facets {
  total: number
  facets: SearchResult['facets']
}

export function createFts5Engine(sqlite: BetterSqlite3.Database, options: Fts5EngineOptions = {}): SearchEngine {
  const perHitFacetShare = options.perHitFacetShare ?? 0.15
  const sortInFullMax = options.sortInFullMax ?? 5000
  const statements = new Map<string, BetterSqlite3.Statement>()
  // Counts and facets of recent queries, valid while the index generation (bumped
  // by every write, from any connection) is unchanged: browsing and paging the same
  // filters then costs one page query.
  const facetCache = new Map<string, Facets & { generation: number }>()
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
        .prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('search_indexes', 'search_docs', 'search_attrs')`)
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
          | { settings: string; generation: number; doc_count: number }
          | undefined)
      : undefined
    if (!row) throw new SearchQueryError(`search index "${index}" does not exist; call ensureIndex first`)
    return { settings: parseSettings(row.settings), generation: row.generation, docCount: row.doc_count }
  }

  /** Records a write: a new generation, and the change in the number of documents (null: recount). */
  function bump(index: string, added: number | null): void {
    if (added === null) {
      stmt(
        `UPDATE search_indexes SET generation = generation + 1,
           doc_count = (SELECT count(*) FROM search_docs WHERE idx = ?) WHERE name = ?`,
      ).run(index, index)
    } else {
      stmt('UPDATE search_indexes SET generation = generation + 1, doc_count = doc_count + ? WHERE name = ?').run(added, index)
    }
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
    sqlite.transaction(() => {
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
      }
      bump(index, added)
    })()
  }

  function deleteDocs(index: string, ids: readonly string[]): void {
    const findDoc = stmt('SELECT rowid FROM search_docs WHERE idx = ? AND doc_id = ?').pluck()
    const deleteText = stmt(`DELETE FROM ${fts5TableName(index)} WHERE rowid = ?`)
    const deleteAttrs = stmt('DELETE FROM search_attrs WHERE doc = ?')
    const deleteDoc = stmt('DELETE FROM search_docs WHERE rowid = ?')
    sqlite.transaction(() => {
      let removed = 0
      for (const id of new Set(ids)) {
        const rowid = findDoc.get(index, id) as number | undefined
        if (rowid === undefined) continue
        deleteText.run(rowid)
        deleteAttrs.run(rowid)
        deleteDoc.run(rowid)
        removed++
      }
      bump(index, -removed)
    })()
  }

  function clearIndex(index: string): void {
    const fts = fts5TableName(index)
    sqlite.transaction(() => {
      stmt(`INSERT INTO ${fts} (${fts}) VALUES ('delete-all')`).run()
      stmt('DELETE FROM search_attrs WHERE idx = ?').run(index)
      stmt('DELETE FROM search_docs WHERE idx = ?').run(index)
      bump(index, null)
    })()
  }

  /** How many rows a constraint selects, counting no further than ESTIMATE_CAP. */
  function estimate(index: string, c: Constraint): number {
    const notNull = c.kind === 'text' ? 'x.text IS NOT NULL' : 'x.num IS NOT NULL'
    return stmt(
      `SELECT count(*) FROM (SELECT 1 FROM search_attrs x WHERE x.idx = ? AND x.field = ? AND ${notNull} AND ${c.test} LIMIT ${ESTIMATE_CAP})`,
    )
      .pluck()
      .get(index, c.field, ...c.params) as number
  }

  /**
   * The matching documents as `SELECT … AS doc`, and an upper bound on how many
   * there are (Infinity when unknown; computed only when counts are not cached). It is driven by the text match when there
   * is one, else by the most selective constraint; every other constraint is an
   * index probe per candidate.
   */
  function plan(
    index: string,
    state: IndexState,
    match: string | null,
    constraints: readonly Constraint[],
  ): { src: Fragment; bound: () => number } {
    if (match) {
      const fts = fts5TableName(index)
      const rest = constraints.map((c) => exists(c, `${fts}.rowid`))
      // Counting bare matches skips bm25 and the constraints: cheap, and often enough
      // to know the result is small.
      return {
        src: { sql: and(`SELECT rowid AS doc FROM ${fts} WHERE ${fts} MATCH ?`, rest), params: [match, ...paramsOf(rest)] },
        bound: () => stmt(`SELECT count(*) FROM ${fts} WHERE ${fts} MATCH ?`).pluck().get(match) as number,
      }
    }
    if (constraints.length === 0) {
      return { src: { sql: 'SELECT rowid AS doc FROM search_docs WHERE idx = ?', params: [index] }, bound: () => state.docCount }
    }
    let driver = constraints[0] as Constraint
    let best = Number.POSITIVE_INFINITY
    for (const c of constraints) {
      const n = estimate(index, c)
      if (n < best) {
        best = n
        driver = c
      }
    }
    const rest = constraints.filter((c) => c !== driver).map((c) => exists(c, 'drv.doc'))
    const notNull = driver.kind === 'text' ? 'drv.text IS NOT NULL' : 'drv.num IS NOT NULL'
    const test = driver.test.replaceAll('x.', 'drv.')
    return {
      src: {
        sql: and(
          `SELECT ${driver.multi ? 'DISTINCT ' : ''}drv.doc AS doc FROM search_attrs drv WHERE drv.idx = ? AND drv.field = ? AND ${notNull} AND ${test}`,
          rest,
        ),
        params: [index, driver.field, ...driver.params, ...paramsOf(rest)],
      },
      bound: () => (best < ESTIMATE_CAP ? best : Number.POSITIVE_INFINITY),
    }
  }

  type FacetRow = { field: string | null; text: string | null; num: number | null; n: number }

  function countAndFacets(
    index: string,
    state: IndexState,
    src: Fragment,
    bound: () => number,
    narrowed: boolean,
    facetNames: readonly string[],
  ): Facets {
    const fields = [...new Set(facetNames)]
    const facets: SearchResult['facets'] = {}
    for (const f of fields) facets[f] = {}
    const collect = (rows: FacetRow[]): void => {
      for (const r of rows) {
        const bucket = r.field === null ? undefined : facets[r.field]
        if (bucket) bucket[r.text ?? String(r.num)] = r.n
      }
    }
    const marks = fields.map(() => '?').join(', ')
    const perHitLimit = perHitFacetShare * state.docCount
    const perHit = (withTotal: boolean) =>
      stmt(
        `WITH hits (doc) AS MATERIALIZED (${src.sql})
         ${withTotal ? 'SELECT NULL AS field, NULL AS text, NULL AS num, count(*) AS n FROM hits UNION ALL' : ''}
         SELECT a.field, a.text, a.num, count(*) AS n
           FROM hits CROSS JOIN search_attrs a ON a.doc = hits.doc
          WHERE a.field IN (${marks})
          GROUP BY a.field, a.text, a.num`,
      ).all(...src.params, ...fields) as FacetRow[]

    // Few hits for sure: count them and their values in one statement.
    if (fields.length > 0 && narrowed && bound() <= perHitLimit) {
      const rows = perHit(true)
      collect(rows)
      return { total: rows.find((r) => r.field === null)?.n ?? 0, facets }
    }
    const total = stmt(`SELECT count(*) FROM (${src.sql})`).pluck().get(...src.params) as number
    if (fields.length === 0 || total === 0) return { total, facets }
    if (!narrowed) {
      collect(
        stmt(
          `SELECT field, text, NULL AS num, count(*) AS n FROM search_attrs
            WHERE idx = ? AND field IN (${marks}) AND text IS NOT NULL GROUP BY field, text
           UNION ALL
           SELECT field, NULL, num, count(*) FROM search_attrs
            WHERE idx = ? AND field IN (${marks}) AND num IS NOT NULL GROUP BY field, num`,
        ).all(index, ...fields, index, ...fields) as FacetRow[],
      )
    } else if (total <= perHitLimit) {
      collect(perHit(false))
    } else {
      // Many hits: scan the facet attributes in index order, keeping the hits.
      collect(
        stmt(
          `WITH hits (doc) AS MATERIALIZED (${src.sql})
           SELECT field, text, NULL AS num, count(*) AS n FROM search_attrs
            WHERE idx = ? AND field IN (${marks}) AND text IS NOT NULL AND doc IN hits GROUP BY field, text
           UNION ALL
           SELECT field, NULL, num, count(*) FROM search_attrs
            WHERE idx = ? AND field IN (${marks}) AND num IS NOT NULL AND doc IN hits GROUP BY field, num`,
        ).all(...src.params, index, ...fields, index, ...fields) as FacetRow[],
      )
    }
    return { total, facets }
  }

  function toHits(rows: unknown[]): SearchHit[] {
    return (rows as { doc_id: string; display: string }[]).map((r) => ({ id: r.doc_id, display: parseDisplay(r.display) }))
  }

  /** Display rows for an ordered page of rowids (the inner query), keeping its order. */
  function page(inner: Fragment, order: string): SearchHit[] {
    return toHits(
      stmt(`SELECT d.doc_id, d.display FROM (${inner.sql}) r CROSS JOIN search_docs d ON d.rowid = r.doc ORDER BY ${order}`).all(
        ...inner.params,
      ),
    )
  }

  function sortedPage(
    index: string,
    src: Fragment,
    match: string | null,
    constraints: readonly Constraint[],
    sort: { by: string; direction: 'asc' | 'desc' },
    total: number,
    offset: number,
    limit: number,
  ): SearchHit[] {
    const dir = sort.direction === 'asc' ? 'ASC' : 'DESC'
    const value = `(SELECT x.num FROM search_attrs x WHERE x.doc = h.doc AND x.field = ? AND x.num IS NOT NULL)`
    if (total <= sortInFullMax) {
      return page(
        {
          sql: `SELECT h.doc, ${value} AS v FROM (${src.sql}) h ORDER BY v IS NULL, v ${dir}, h.doc ${dir} LIMIT ? OFFSET ?`,
          params: [sort.by, ...src.params, limit, offset],
        },
        `r.v IS NULL, r.v ${dir}, r.doc ${dir}`,
      )
    }
    // Many hits: walk the attribute's index in order and stop after the page, so the
    // cost is the page's depth, not the size of the result.
    const members: Fragment[] = constraints.map((c) => exists(c, 's.doc'))
    if (match) members.push({ sql: `s.doc IN (SELECT rowid FROM ${fts5TableName(index)} WHERE ${fts5TableName(index)} MATCH ?)`, params: [match] })
    const walk = and('s.idx = ? AND s.field = ? AND s.num IS NOT NULL', members)
    const walkParams = [index, sort.by, ...paramsOf(members)]
    let hits = page(
      {
        sql: `SELECT s.doc AS doc, s.num AS v FROM search_attrs s WHERE ${walk} ORDER BY s.num ${dir}, s.doc ${dir} LIMIT ? OFFSET ?`,
        params: [...walkParams, limit, offset],
      },
      `r.v ${dir}, r.doc ${dir}`,
    )
    // Documents without the attribute come after all the others.
    if (hits.length < limit && offset + hits.length < total) {
      const withValue =
        hits.length > 0
          ? offset + hits.length
          : (stmt(`SELECT count(*) FROM search_attrs s WHERE ${walk}`).pluck().get(...walkParams) as number)
      hits = hits.concat(
        page(
          {
            sql: `SELECT h.doc FROM (${src.sql}) h
                   WHERE NOT EXISTS (SELECT 1 FROM search_attrs x WHERE x.doc = h.doc AND x.field = ? AND x.num IS NOT NULL)
                   ORDER BY h.doc ${dir} LIMIT ? OFFSET ?`,
            params: [...src.params, sort.by, limit - hits.length, Math.max(0, offset - withValue)],
          },
          `r.doc ${dir}`,
        ),
      )
    }
    return hits
  }

  function runSearch(index: string, query: SearchQuery): SearchResult {
    const state = requireIndex(index)
    const { settings, generation } = state
    assertQueryAllowed(query, settings)
    const { page: pageNo, pageSize } = normalizePaging(query)
    const offset = (pageNo - 1) * pageSize
    const match = toMatchExpression(query.text)
    const sort = resolveSort(query, settings, match !== null)
    const constraints = constraintsOf(query)
    const { src, bound } = plan(index, state, match, constraints)

    const facetNames = [...new Set(query.facets ?? [])].sort()
    const key = JSON.stringify([index, match, constraints.map((c) => [c.field, c.test, c.params]), facetNames])
    let counted = facetCache.get(key)
    if (!counted || counted.generation !== generation) {
      const narrowed = match !== null || constraints.length > 0
      counted = { ...countAndFacets(index, state, src, bound, narrowed, facetNames), generation }
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
    if (offset >= total) return { hits: [], total, page: pageNo, pageSize, facets }

    let hits: SearchHit[]
    if (sort === 'relevance' && match) {
      const fts = fts5TableName(index)
      const rest = constraints.map((c) => exists(c, `${fts}.rowid`))
      hits = page(
        {
          sql: and(`SELECT rowid AS doc, ${fts5Rank(index)} AS score FROM ${fts} WHERE ${fts} MATCH ?`, rest).concat(
            ' ORDER BY score, doc LIMIT ? OFFSET ?',
          ),
          params: [match, ...paramsOf(rest), pageSize, offset],
        },
        'r.score, r.doc',
      )
    } else if (sort === 'relevance' || sort === 'none') {
      hits = page({ sql: `SELECT doc FROM (${src.sql}) ORDER BY doc DESC LIMIT ? OFFSET ?`, params: [...src.params, pageSize, offset] }, 'r.doc DESC')
    } else {
      hits = sortedPage(index, src, match, constraints, sort, total, offset, pageSize)
    }
    return { hits, total, page: pageNo, pageSize, facets }
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
      const prepared = docs.map(prepareDoc)
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
      // One read transaction: counts, facets and the page see the same snapshot.
      return sqlite.transaction(() => runSearch(index, query))()
    },
  }
}
