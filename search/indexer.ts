import type { Kysely } from 'kysely'
import { PROCESS_HOLDER } from '../db/leases.js'
import type { DB } from '../db/types.js'
import type { IndexSettings, SearchDocument, SearchEngine } from './engine.js'
import { LEXICON_VERSION } from './lexicon.js'
import {
  claimSearchOutbox,
  completeSearchClaims,
  othersLatestClaim,
  releaseSearchClaims,
  renewSearchClaims,
  type OutboxEntry,
} from './outbox.js'

/**
 * Outbox → engine, for any number of indexed types. A write records "need 42
 * changed" in search_outbox inside its own transaction (search/outbox.ts); after
 * commit, processOutbox reads each entity as it now is, through the type its row
 * names, and upserts or deletes its document. The index therefore only sees
 * committed state, and a crash between commit and indexing loses nothing: the row
 * waits. Rows are claimed before they are applied (search/outbox.ts, "claims"), so
 * several app instances can flush one outbox: each row is applied by one of them, one
 * entity by one at a time, and a crashed instance's rows are retried once its lease
 * has run out. This module knows engines, documents and the outbox, nothing about needs:
 * each context describes its own type (app/domain/needs/search-index.server.ts).
 */

/** One kind of entity kept in one index. */
export interface IndexedType {
  /** The `search_outbox.entity_type` its changes are queued under ('need'). */
  entityType: string
  /** The engine index its documents live in; one type per index. */
  index: string
  settings: IndexSettings
  /**
   * The shape of the documents loadDocuments builds. Bump it when they change (a
   * field added, one computed differently): start-up (`sync`) rebuilds an index whose
   * documents were built with another version. The lexicon's version is folded in
   * (storedDocumentVersion): a changed search/lexicon.json rebuilds every index.
   */
  documentVersion: number
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

export interface IndexerOptions {
  /** Who this indexer is in outbox claims (default: the process, db/leases.ts). */
  holder?: string
  /** How long a claim holds without renewal (default 60 s; every instance must use the same). */
  leaseMs?: number
  /**
   * How long a flush waits for rows another instance holds (it is applying them, or
   * another row of the same entity) before leaving them to that instance or to a
   * later flush (default 2 s). So a use case that returns after its flush finds its
   * change applied even when another instance was busy with the same need. A claim
   * older than this (a crashed instance's, until its lease runs out) is not waited for.
   */
  waitForOthersMs?: number
  /** The clock (tests). */
  now?: () => number
  /** The lexicon version documents are built with (default search/lexicon.json's; tests). */
  lexiconVersion?: number
}

/**
 * The version recorded for an index in search_index_versions: its type's document
 * version and the lexicon's (1–999), since documents carry the lexicon's terms as
 * words. Either changing makes start-up rebuild the index.
 */
export function storedDocumentVersion(documentVersion: number, lexiconVersion: number = LEXICON_VERSION): number {
  return documentVersion * 1000 + lexiconVersion
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
  /** Types whose index was empty or of another document version and rebuilt, with the documents indexed. */
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
   * it processed. Rows another instance holds are its to apply (waited for a little,
   * IndexerOptions.waitForOthersMs). If the engine fails, the unprocessed rows are given
   * back for a retry. Rows of
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
   * (a new engine, a wiped index) or whose documents are of another version than its
   * type's `documentVersion` or another lexicon's (storedDocumentVersion), then applies
   * the outbox.
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

interface Changes {
  type: IndexedType
  upserts: SearchDocument[]
  deletes: string[]
}

/** The entities as committed now: documents to upsert, and ids to delete. */
async function loadChanges(db: Kysely<DB>, type: IndexedType, ids: readonly number[]): Promise<Changes> {
  const changes: Changes = { type, upserts: [], deletes: [] }
  if (ids.length === 0) return changes
  const docs = await type.loadDocuments(db, ids)
  for (const [id, doc] of docs) {
    if (doc) changes.upserts.push(doc)
    else changes.deletes.push(type.documentId(id))
  }
  return changes
}

async function writeChanges(engine: SearchEngine, { type, upserts, deletes }: Changes): Promise<number> {
  if (upserts.length > 0) await engine.upsert(type.index, upserts)
  if (deletes.length > 0) await engine.delete(type.index, deletes)
  return upserts.length
}

async function applyDocuments(db: Kysely<DB>, engine: SearchEngine, type: IndexedType, ids: readonly number[]): Promise<number> {
  return writeChanges(engine, await loadChanges(db, type, ids))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The document version an index was last rebuilt with; null when never recorded. */
async function builtVersion(db: Kysely<DB>, index: string): Promise<number | null> {
  const row = await db
    .selectFrom('search_index_versions')
    .select('document_version')
    .where('index_name', '=', index)
    .executeTakeFirst()
  return row?.document_version ?? null
}

async function recordBuiltVersion(db: Kysely<DB>, type: IndexedType, lexiconVersion: number): Promise<void> {
  const row = {
    index_name: type.index,
    document_version: storedDocumentVersion(type.documentVersion, lexiconVersion),
    rebuilt_at: new Date().toISOString(),
  }
  await db
    .insertInto('search_index_versions')
    .values(row)
    .onConflict((oc) =>
      oc.column('index_name').doUpdateSet({ document_version: row.document_version, rebuilt_at: row.rebuilt_at }),
    )
    .execute()
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

export function createIndexer(
  db: Kysely<DB>,
  engine: SearchEngine,
  types: readonly IndexedType[],
  options: IndexerOptions = {},
): Indexer {
  const byType = registry(types)
  const all = [...byType.values()]
  const holder = options.holder ?? PROCESS_HOLDER
  const leaseMs = options.leaseMs ?? 60_000
  const waitForOthersMs = options.waitForOthersMs ?? 2_000
  const now = options.now ?? Date.now
  const lexiconVersion = options.lexiconVersion ?? LEXICON_VERSION

  const ensureIndexes = async (): Promise<void> => {
    for (const type of all) await ensureIndex(engine, type)
  }

  /**
   * Applies one claimed batch: loads the entities, renews the claim (skips the batch
   * when it was lost), writes to the engine, deletes the rows. Returns the rows done.
   * On a failure the rows are given back and the error propagates.
   */
  const applyClaimed = async (rows: readonly OutboxEntry[]): Promise<number> => {
    const ids = rows.map((r) => r.id)
    try {
      const idsByType = new Map<string, number[]>()
      for (const row of rows) {
        const list = idsByType.get(row.entity_type) ?? []
        list.push(row.entity_id)
        idsByType.set(row.entity_type, list)
      }
      const changes: Changes[] = []
      for (const [entityType, entityIds] of idsByType) {
        const type = byType.get(entityType)
        if (type) changes.push(await loadChanges(db, type, entityIds))
        else
          console.error(`search outbox: dropping ${entityIds.length} row(s) of unknown entity type ${JSON.stringify(entityType)}`)
      }
      if (!(await renewSearchClaims(db, holder, ids, leaseMs, now()))) {
        // Held too long (this instance stalled): another instance has them now.
        console.error(`search outbox: lost the claim on ${ids.length} row(s); another instance applies them`)
        return 0
      }
      for (const change of changes) await writeChanges(engine, change)
    } catch (error) {
      await releaseSearchClaims(db, holder, ids).catch(() => undefined)
      throw error
    }
    return completeSearchClaims(db, holder, ids)
  }

  const processOutbox = (processOptions: ProcessOutboxOptions = {}): Promise<number> => {
    const batchSize = Math.max(1, Math.floor(processOptions.batchSize ?? 500))
    return exclusive(engine, async () => {
      await ensureIndexes()
      const lastId = await lastOutboxId(db)
      if (lastId === null) return 0
      let processed = 0
      const started = performance.now()
      let pause = 10
      for (;;) {
        const rows = await claimSearchOutbox(db, { holder, upToId: lastId, limit: batchSize, leaseMs, now: now() })
        if (rows.length > 0) {
          processed += await applyClaimed(rows)
          continue
        }
        // Nothing this indexer may claim. Rows another instance keeps waiting (it is
        // applying them, or the same entity) are waited for a little, if its claim is fresh.
        const t = now()
        const latest = await othersLatestClaim(db, holder, lastId, leaseMs, t)
        if (latest === null || t - latest >= waitForOthersMs || performance.now() - started >= waitForOthersMs) break
        await sleep(pause)
        pause = Math.min(pause * 2, 200)
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
        await recordBuiltVersion(db, type, lexiconVersion)
      }

      if (coveredOutboxId !== null && selected.length > 0) {
        // Rows another instance holds are its to finish (it applies them and deletes them).
        const t = now()
        await db
          .deleteFrom('search_outbox')
          .where('id', '<=', coveredOutboxId)
          .where(
            'entity_type',
            'in',
            selected.map((t) => t.entityType),
          )
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', t), eb('claimed_by', '=', holder)]))
          .execute()
      }
      return indexed
    })
  }

  const sync = async (options: Omit<ReindexOptions, 'types'> = {}): Promise<SyncResult> => {
    await ensureIndexes()
    const reindexed: SyncResult['reindexed'] = []
    for (const type of all) {
      const current =
        (await engine.count(type.index)) > 0 &&
        (await builtVersion(db, type.index)) === storedDocumentVersion(type.documentVersion, lexiconVersion)
      if (current) continue
      if ((await type.listIds(db, 0, 1)).length === 0) continue
      reindexed.push({ entityType: type.entityType, count: await reindexAll({ ...options, types: [type.entityType] }) })
    }
    return { reindexed, outbox: await processOutbox() }
  }

  return { types: all, ensureIndexes, processOutbox, reindexAll, sync }
}
