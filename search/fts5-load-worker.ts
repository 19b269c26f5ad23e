import { parentPort } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { IndexColumns, rowidMembership, type ColumnsSnapshot } from './fts5-columns.js'
import type { MatchMode } from './engine.js'
import { rankedRows, rankedSql, textMatchesSql, withMembers } from './fts5-engine.js'
import { segmentForIndex, segmentQuery } from './tokenizer.js'

/**
 * The FTS5 engine's worker thread (fts5-engine.ts): it cuts texts into words, so the
 * server's thread never loads jieba's dictionary (~100–200 ms); it runs the FTS5
 * queries whose cost grows with the matches (a text's matches, bm25 over a query's
 * hits: ~40 ms for a common word at 100 000 needs, ~400 ms at 1 000 000) at the
 * generation the engine names; and it reads the memory copy of an index
 * (fts5-columns.ts). All through a read-only connection of its own. At
 * 100 000 documents reading every attribute costs ~300 ms of CPU, ~3 s at 1 000 000:
 * on the server's thread that would stall every request for as long, once per process
 * and again after each write from another process (a reindex from the command line).
 * The read is one transaction, so the copy is exactly the index at the generation it
 * reports; the engine installs it only if that is still the current one.
 */

export interface LoadRequest {
  type: 'load'
  id: number
  file: string
  index: string
  /** Attributes whose columns to read. */
  fields: string[]
  /** Attributes whose sort orders to build. */
  sortable: string[]
}

/** The rowids matching a text query (FTS5 expression), read at `generation`. */
export interface MatchRequest {
  type: 'match'
  id: number
  file: string
  index: string
  match: string
  generation: number
}

/** The first `limit` of `keep`'s rowids by bm25 for a text query, read at `generation`. */
export interface RankRequest {
  type: 'rank'
  id: number
  file: string
  index: string
  match: string
  generation: number
  keep: Float64Array
  limit: number
}

/** Texts to cut into words as a query (segmentQuery, in `match` mode) or a document (segmentForIndex) is. */
export interface SegmentRequest {
  type: 'segment'
  id: number
  mode: 'query' | 'index'
  texts: string[]
  match?: MatchMode
}

export type WorkerRequest = LoadRequest | MatchRequest | RankRequest | SegmentRequest

export type WorkerAnswer =
  | { id: number; snapshot: ColumnsSnapshot }
  | { id: number; words: string[][] }
  /** Null: the index is no longer at the generation asked for. A ranking has scores (-bm25) too. */
  | { id: number; rowids: Float64Array | null; scores?: Float64Array }
  | { id: number; error: string }

const MAX_CONNECTIONS = 4
const connections = new Map<string, Database.Database>()

function connection(file: string): Database.Database {
  let db = connections.get(file)
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true })
    for (const [other, old] of connections) {
      if (connections.size < MAX_CONNECTIONS) break
      old.close()
      connections.delete(other)
    }
    connections.set(file, db)
  }
  return db
}

function load(request: LoadRequest): { snapshot: ColumnsSnapshot; transfer: ArrayBuffer[] } {
  const db = connection(request.file)
  return db.transaction(() => {
    const generation = db.prepare('SELECT generation FROM search_indexes WHERE name = ?').pluck().get(request.index)
    if (typeof generation !== 'number') throw new Error(`search index "${request.index}" does not exist`)
    const columns = IndexColumns.load(db, request.index, generation)
    columns.loadAll(request.fields, request.sortable)
    return columns.snapshot()
  })()
}

/** Runs `read` in one read transaction if the index is still at `generation`; null if not. */
function atGeneration<T>(db: Database.Database, index: string, generation: number, read: () => T): T | null {
  return db.transaction(() => {
    const current = db.prepare('SELECT generation FROM search_indexes WHERE name = ?').pluck().get(index)
    return current === generation ? read() : null
  })()
}

function matchRowids(request: MatchRequest): { rowids: Float64Array } | null {
  const db = connection(request.file)
  return atGeneration(db, request.index, request.generation, () => ({
    rowids: Float64Array.from(db.prepare(textMatchesSql(request.index)).pluck().all(request.match) as number[]),
  }))
}

/** As the engine's ranking (fts5-engine.ts, `ranked`): bm25 computed for the kept rowids only. */
function rankRowids(request: RankRequest): { rowids: Float64Array; scores: Float64Array } | null {
  const db = connection(request.file)
  return atGeneration(db, request.index, request.generation, () =>
    withMembers(db, rowidMembership(request.keep), () =>
      rankedRows(db.prepare(rankedSql(request.index)), request.match, request.limit),
    ),
  )
}

const port = parentPort
if (port) {
  port.on('message', (request: WorkerRequest) => {
    try {
      if (request.type === 'segment') {
        const cut = request.mode === 'query' ? (text: string) => segmentQuery(text, request.match) : segmentForIndex
        port.postMessage({ id: request.id, words: request.texts.map((text) => cut(text)) } satisfies WorkerAnswer)
      } else if (request.type === 'match') {
        const found = matchRowids(request)
        port.postMessage(
          { id: request.id, rowids: found?.rowids ?? null } satisfies WorkerAnswer,
          found ? [found.rowids.buffer as ArrayBuffer] : [],
        )
      } else if (request.type === 'rank') {
        const found = rankRowids(request)
        port.postMessage(
          { id: request.id, rowids: found?.rowids ?? null, ...(found ? { scores: found.scores } : {}) } satisfies WorkerAnswer,
          found ? [found.rowids.buffer as ArrayBuffer, found.scores.buffer as ArrayBuffer] : [],
        )
      } else {
        const { snapshot, transfer } = load(request)
        port.postMessage({ id: request.id, snapshot } satisfies WorkerAnswer, transfer)
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerAnswer)
    }
  })
}
