/**
 * The PostgreSQL column of `npm run bench` (tests/bench/run.ts): the same needs,
 * indexed from the same SQLite database into the PostgreSQL engine on a throwaway
 * server (or TEST_DATABASE_URL's), timed on the same queries, and checked against
 * the FTS5 engine's answers: totals, facets, and the page wherever the order is
 * defined by attributes (relevance orders differ by design: bm25 vs ts_rank_cd).
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/connection.js'
import { createPostgresDb } from '../../db/postgres.js'
import type { DB } from '../../db/types.js'
import type { IndexSettings, SearchEngine, SearchQuery, SearchResult } from '../../search/engine.js'
import { createIndexer, type IndexedType } from '../../search/indexer.js'
import { createPgEngine, PG_RANK_NORMALIZATION, PG_RANK_WEIGHTS, pgDocsTable, toTsqueryInput } from '../../search/pg-engine.js'
import { createTestDatabase, pgServerFromEnv, pgUnavailableReason, type PgServer } from '../support/pg-server.js'

export interface PgBench {
  engine: SearchEngine
  db: Database
  reindexSeconds: number
  /** Bytes of the index's table with its indexes and TOAST. */
  bytes: number
  /** A bare tsquery (count + top 20 by ts_rank_cd, through the GIN index): the floor of a text query. */
  rawText(word: string): Promise<void>
  close(): Promise<void>
}

/** Null (with the reason printed) when PostgreSQL is unavailable or the bench was asked not to use it. */
export async function openPgBench(
  source: Kysely<DB>,
  type: IndexedType,
  onProgress: (done: number, total: number) => void,
): Promise<PgBench | null> {
  if (process.env.BENCH_PG === '0') return null
  const reason = pgUnavailableReason()
  if (reason) {
    console.log(`${reason.replace('PostgreSQL tests skipped', 'PostgreSQL column skipped')}\n`)
    return null
  }
  let server: PgServer | null = null
  let drop: (() => Promise<void>) | null = null
  try {
    server = await pgServerFromEnv()
    const database = await createTestDatabase(server.adminUrl, 'bench')
    drop = database.drop
    const { db } = createPostgresDb(database.url)
    const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]?.v ?? '?'
    const engine = createPgEngine(db)
    // Documents are read from the SQLite database (the needs are there), written to PostgreSQL.
    const t = performance.now()
    await createIndexer(source, engine, [type]).reindexAll({ onProgress })
    const reindexSeconds = (performance.now() - t) / 1000
    await sql`VACUUM ANALYZE`.execute(db)
    const { rows } = await sql<{ id: number }>`SELECT id FROM search_pg_indexes WHERE name = ${type.index}`.execute(db)
    const table = pgDocsTable(Number(rows[0]?.id))
    const size = await sql<{ n: number }>`SELECT pg_total_relation_size(${table}::regclass) AS n`.execute(db)
    console.log(`PostgreSQL ${version} on ${server.dataDir ? 'a throwaway server' : 'TEST_DATABASE_URL'}`)
    return {
      engine,
      db,
      reindexSeconds,
      bytes: Number(size.rows[0]?.n ?? 0),
      async rawText(word) {
        const q = toTsqueryInput(word) ?? "''"
        // With the planner setting the engine uses for text (see search/pg-engine.ts).
        await db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('enable_seqscan', 'off', true)`.execute(trx)
          await sql`SELECT count(*) FROM ${sql.table(table)} WHERE words @@ ${q}::tsquery`.execute(trx)
          await sql`SELECT rowid FROM ${sql.table(table)} WHERE words @@ ${q}::tsquery
                     ORDER BY ts_rank_cd(${PG_RANK_WEIGHTS}::float4[], words, ${q}::tsquery, ${PG_RANK_NORMALIZATION}) DESC, rowid LIMIT 20`.execute(
            trx,
          )
        })
      },
      async close() {
        await db.destroy()
        await drop?.()
        await server?.stop()
      },
    }
  } catch (error) {
    await drop?.().catch(() => undefined)
    await server?.stop()
    throw error
  }
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

/** Where two engines' answers to one query differ, or null when they agree. */
export function compareAnswers(query: SearchQuery, settings: IndexSettings, a: SearchResult, b: SearchResult): string | null {
  if (a.total !== b.total) return `total ${a.total} vs ${b.total}`
  if (sortedJson(a.facets) !== sortedJson(b.facets)) return 'facets differ'
  const relevance = (query.sort === undefined || query.sort === 'relevance') && toTsqueryInput(query.text) !== null
  if (!relevance) {
    const ids = (r: SearchResult) => r.hits.map((h) => h.id).join(',')
    if (ids(a) !== ids(b)) return `pages differ (${settings.sortable.join('/')})`
  } else if (a.hits.length !== b.hits.length) {
    return `page sizes ${a.hits.length} vs ${b.hits.length}`
  }
  return null
}

/** mulberry32, so a difference can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Random queries over the index's real attribute values (read from a facet query),
 * words, ranges, sorts and deep pages, each asked of both engines.
 */
export async function compareRandomQueries(
  reference: SearchEngine,
  candidate: SearchEngine,
  index: string,
  settings: IndexSettings,
  words: readonly string[],
  count: number,
  seed: number,
): Promise<{ compared: number; differences: string[] }> {
  const next = random(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
  const numeric = new Set(['budgetMin', 'budgetMax', 'publishedAt'])
  const textFields = settings.filterable.filter((f) => !numeric.has(f))
  const all = await reference.search(index, { facets: textFields, pageSize: 1 })
  const values = Object.fromEntries(textFields.map((f) => [f, Object.keys(all.facets[f] ?? {})]))
  const differences: string[] = []
  for (let i = 0; i < count; i++) {
    const query: SearchQuery = { pageSize: pick([1, 20, 100]), page: next() < 0.7 ? 1 + int(3) : 1 + int(60) }
    if (next() < 0.5) query.text = [pick(words), next() < 0.3 ? pick(words) : ''].join(' ').trim()
    const filters: Record<string, string[]> = {}
    for (const field of textFields) {
      const choices = values[field] ?? []
      if (choices.length > 0 && next() < 0.25) filters[field] = Array.from({ length: 1 + int(3) }, () => pick(choices))
    }
    query.filters = filters
    if (next() < 0.3)
      query.ranges = { budgetMax: { min: int(10) * 50 }, ...(next() < 0.5 ? { budgetMin: { max: 100 + int(10) * 100 } } : {}) }
    if (next() < 0.8) query.facets = textFields.filter(() => next() < 0.5)
    if (next() < 0.6 && settings.sortable.length > 0) {
      query.sort = { by: pick(settings.sortable), direction: next() < 0.5 ? 'asc' : 'desc' }
    }
    const [a, b] = await Promise.all([reference.search(index, query), candidate.search(index, query)])
    const difference = compareAnswers(query, settings, a, b)
    if (difference) differences.push(`${difference}: ${JSON.stringify(query)}`)
  }
  return { compared: count, differences }
}
