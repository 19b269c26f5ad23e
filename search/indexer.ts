import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import type { IndexSettings, SearchDocument, SearchEngine } from './engine.js'

/**
 * Outbox → engine, for any number of indexed types. A write records "need 42
 * changed" in search_outbox inside its own transaction (search/outbox.ts); after
 * commit, processOutbox reads each entity as it now is, through the type its row
 * names, and upserts or deletes its document. The index therefore only sees
 * committed state, and a crash between commit and indexing loses nothing: the row
 * waits. This module knows engines, documents and the outbox, nothing about needs:
 * each context describes its own type (app/domain/needs/search-index.server.ts).
 */

/** One kind of entity kept in one index. */
export interface IndexedType {
  /** The `search_outbox.entity_type` its changes are queued under ('need'). */
  entityType: string
  /** The engine index its documents live in; one type per index. */
  index: string
  settings: IndexSettings
  /** The document id for an entity id: `need-42`. */
  documentId(id: number): string
  /**
   * The documents for these ids as committed now; an id maps to null when it must
   * not be in the index (gone, draft, hidden …), and the indexer deletes it.
   */
  loadDocuments(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, SearchDocument | null>>
  /** For a rebuild: ids after `afterId` in ascending order that may have a document, at most `limit`. */
  listIds(db: Kysely<DB>, afterId: number, limit: number): Promise<number[]>
  /** How many ids listIds would walk in total (for progress). */
  countIds(db: Kysely<DB>): Promise<number>
}

export interface ProcessOutboxOptions {
  /** Outbox rows read per round (default 500). */
  batchSize?: number
}

export interface ReindexOptions {
  /** Entity types to rebuild (default all of the registry). */
  types?: readonly string[]
  /** Ids per batch (default 1000). */
  batchSize?: number
  /**
   * Called at the start and after each batch with ids scanned so far and the total
   * to scan, over all the types being rebuilt, and the type of the current batch.
   */
  onProgress?: (done: number, total: number, entityType: string) => void
}

export interface SyncResult {
  /** Types whose index was empty and rebuilt, with the documents indexed. */
  reindexed: { entityType: string; count: number }[]
  /** Outbox rows applied afterwards. */
  outbox: number
}

export interface Indexer {
  readonly types: readonly IndexedType[]
  /** Applies every type's index settings (once per engine object). */
  ensureIndexes(): Promise<void>
  /**
   * Applies the outbox rows present when it starts, oldest first, and deletes exactly
   * those rows; rows written meanwhile wait for the next run. Returns how many rows
   * it processed. If the engine fails, the unprocessed rows stay for a retry. Rows of
   * a type the registry does not know are logged and deleted, so they cannot block
   * the queue. The index settings are applied first, so the indexes exist even when
   * there is nothing to apply.
   */
  processOutbox(options?: ProcessOutboxOptions): Promise<number>
  /**
   * Rebuilds indexes from the database: settings first, then an empty index, then
   * every candidate id in order. Outbox rows of the rebuilt types that existed at the
   * start are covered by the rebuild and removed; later ones stay for processOutbox.
   * Returns the number of documents indexed.
   */
  reindexAll(options?: ReindexOptions): Promise<number>
  /**
   * For start-up: rebuilds each index that is empty while its type has candidates
   * (a new engine, a wiped index), then applies the outbox.
   */
  sync(options?: Omit<ReindexOptions, 'types'>): Promise<SyncResult>
}

// One indexing run at a time per engine: two overlapping runs could load an entity
// in different states and apply them in the wrong order.
const queues = new WeakMap<SearchEngine, Promise<unknown>>()

function exclusive<T>(engine: SearchEngine, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(engine) ?? Promise.resolve()
  const next = previous.then(run, run)
  queues.set(
    engine,
    next.catch(() => undefined),
  )
  return next
}

const ensured = new WeakMap<SearchEngine, Map<string, Promise<void>>>()

/**
 * Applies an index's settings once per engine object. Readers call it before
 * searching: cheap after the first call, and a fresh database has no index until
 * something ensures it.
 */
export function ensureIndex(engine: SearchEngine, type: Pick<IndexedType, 'index' | 'settings'>): Promise<void> {
  let perEngine = ensured.get(engine)
  if (!perEngine) {
    perEngine = new Map()
    ensured.set(engine, perEngine)
  }
  let pending = perEngine.get(type.index)
  if (!pending) {
    const map = perEngine
    pending = engine.ensureIndex(type.index, type.settings)
    map.set(type.index, pending)
    pending.catch(() => map.delete(type.index))
  }
  return pending
}

function forgetEnsured(engine: SearchEngine, index: string): void {
  ensured.get(engine)?.delete(index)
}

async function applyDocuments(db: Kysely<DB>, engine: SearchEngine, type: IndexedType, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0
  const docs = await type.loadDocuments(db, ids)
  const upserts: SearchDocument[] = []
  const deletes: string[] = []
  for (const [id, doc] of docs) {
    if (doc) upserts.push(doc)
    else deletes.push(type.documentId(id))
  }
  if (upserts.length > 0) await engine.upsert(type.index, upserts)
  if (deletes.length > 0) await engine.delete(type.index, deletes)
  return upserts.length
}

async function lastOutboxId(db: Kysely<DB>): Promise<number | null> {
  const last = await db
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return last?.id ?? null
}

/** The registry, checked: one type per entity type and per index. */
function registry(types: readonly IndexedType[]): Map<string, IndexedType> {
  const byType = new Map<string, IndexedType>()
  const indexes = new Set<string>()
  for (const type of types) {
    if (byType.has(type.entityType)) throw new Error(`indexed type registered twice: ${type.entityType}`)
    // A rebuild clears the whole index, so two types cannot share one.
    if (indexes.has(type.index)) throw new Error(`index used by two indexed types: ${type.index}`)
    byType.set(type.entityType, type)
    indexes.add(type.index)
  }
  return byType
}

export function createIndexer(db: Kysely<DB>, engine: SearchEngine, types: readonly IndexedType[]): Indexer {
  const byType = registry(types)
  const all = [...byType.values()]

  const ensureIndexes = async (): Promise<void> => {
    for (const type of all) await ensureIndex(engine, type)
  }

  const processOutbox = (options: ProcessOutboxOptions = {}): Promise<number> => {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500))
    return exclusive(engine, async () => {
      await ensureIndexes()
      const lastId = await lastOutboxId(db)
      if (lastId === null) return 0
      let processed = 0
      let afterId = 0
      for (;;) {
        const rows = await db
          .selectFrom('search_outbox')
          .select(['id', 'entity_type', 'entity_id'])
          .where('id', '>', afterId)
          .where('id', '<=', lastId)
          .orderBy('id')
          .limit(batchSize)
          .execute()
        const lastRow = rows.at(-1)
        if (!lastRow) break
        const idsByType = new Map<string, number[]>()
        for (const row of rows) {
          const ids = idsByType.get(row.entity_type) ?? []
          ids.push(row.entity_id)
          idsByType.set(row.entity_type, ids)
        }
        for (const [entityType, ids] of idsByType) {
          const type = byType.get(entityType)
          if (type) await applyDocuments(db, engine, type, ids)
          else console.error(`search outbox: dropping ${ids.length} row(s) of unknown entity type ${JSON.stringify(entityType)}`)
        }
        await db
          .deleteFrom('search_outbox')
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute()
        processed += rows.length
        afterId = lastRow.id
      }
      return processed
    })
  }

  const reindexAll = (options: ReindexOptions = {}): Promise<number> => {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))
    const unknown = (options.types ?? []).filter((name) => !byType.has(name))
    if (unknown.length > 0) return Promise.reject(new Error(`unknown indexed type: ${unknown.join(', ')}`))
    const selected = options.types ? all.filter((t) => options.types?.includes(t.entityType)) : all
    return exclusive(engine, async () => {
      const coveredOutboxId = await lastOutboxId(db)

      // Settings first, then an empty index, for every type before any document.
      for (const type of selected) {
        forgetEnsured(engine, type.index)
        await ensureIndex(engine, type)
        await engine.clear(type.index)
      }

      let total = 0
      for (const type of selected) total += await type.countIds(db)
      let indexed = 0
      let done = 0
      for (const type of selected) {
        options.onProgress?.(done, total, type.entityType)
        let afterId = 0
        for (;;) {
          const ids = await type.listIds(db, afterId, batchSize)
          const last = ids.at(-1)
          if (last === undefined) break
          indexed += await applyDocuments(db, engine, type, ids)
          done += ids.length
          afterId = last
          options.onProgress?.(done, Math.max(total, done), type.entityType)
        }
      }

      if (coveredOutboxId !== null && selected.length > 0) {
        await db
          .deleteFrom('search_outbox')
          .where('id', '<=', coveredOutboxId)
          .where(
            'entity_type',
            'in',
            selected.map((t) => t.entityType),
          )
          .execute()
      }
      return indexed
    })
  }

  const sync = async (options: Omit<ReindexOptions, 'types'> = {}): Promise<SyncResult> => {
    await ensureIndexes()
    const reindexed: SyncResult['reindexed'] = []
    for (const type of all) {
      if ((await engine.count(type.index)) > 0) continue
      if ((await type.listIds(db, 0, 1)).length === 0) continue
      reindexed.push({ entityType: type.entityType, count: await reindexAll({ ...options, types: [type.entityType] }) })
    }
    return { reindexed, outbox: await processOutbox() }
  }

  return { types: all, ensureIndexes, processOutbox, reindexAll, sync }
}
