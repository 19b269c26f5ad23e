import type { Kysely } from 'kysely'
import { PUBLIC_NEED_STATUSES } from '../app/domain/needs/schema.js'
import type { DB } from '../db/types.js'
import type { SearchDocument, SearchEngine } from './engine.js'
import { loadNeedDocuments, needDocumentId, NEEDS_INDEX, NEEDS_INDEX_SETTINGS } from './need-document.js'

/**
 * Outbox → engine. A write records "need 42 changed" in search_outbox inside its
 * own transaction; after commit, processOutbox reads the need as it now is and
 * upserts or deletes its document. The index therefore only sees committed
 * state, and a crash between commit and indexing loses nothing: the row waits.
 */

/** Call inside the transaction that changes the need (or its scenarios, org name …). */
export async function enqueueNeedChange(trx: Kysely<DB>, needId: number): Promise<void> {
  await trx
    .insertInto('search_outbox')
    .values({ entity_type: 'need', entity_id: needId, created_at: new Date().toISOString() })
    .execute()
}

// One indexing run at a time per engine: two overlapping runs could load a need
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

const ensured = new WeakMap<SearchEngine, Promise<void>>()

/** Applies the needs index settings once per engine object. */
export function ensureNeedsIndex(engine: SearchEngine): Promise<void> {
  let pending = ensured.get(engine)
  if (!pending) {
    pending = engine.ensureIndex(NEEDS_INDEX, NEEDS_INDEX_SETTINGS)
    ensured.set(engine, pending)
    pending.catch(() => ensured.delete(engine))
  }
  return pending
}

async function applyNeeds(db: Kysely<DB>, engine: SearchEngine, needIds: readonly number[]): Promise<number> {
  const docs = await loadNeedDocuments(db, needIds)
  const upserts: SearchDocument[] = []
  const deletes: string[] = []
  for (const [id, doc] of docs) {
    if (doc) upserts.push(doc)
    else deletes.push(needDocumentId(id))
  }
  if (upserts.length > 0) await engine.upsert(NEEDS_INDEX, upserts)
  if (deletes.length > 0) await engine.delete(NEEDS_INDEX, deletes)
  return upserts.length
}

export interface ProcessOutboxOptions {
  /** Outbox rows read per round (default 500). */
  batchSize?: number
}

/**
 * Applies the outbox rows present when it starts, oldest first, and deletes exactly
 * those rows; rows written meanwhile wait for the next run. Returns how many rows
 * it processed. If the engine fails, the unprocessed rows stay for a retry.
 * The index settings are applied first (once per engine object), so the index
 * exists even when there is nothing to apply.
 */
export function processOutbox(db: Kysely<DB>, engine: SearchEngine, options: ProcessOutboxOptions = {}): Promise<number> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500))
  return exclusive(engine, async () => {
    await ensureNeedsIndex(engine)
    const last = await db.selectFrom('search_outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
    const lastId = last?.id ?? null
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
      await applyNeeds(
        db,
        engine,
        rows.filter((r) => r.entity_type === 'need').map((r) => r.entity_id),
      )
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

export interface ReindexOptions {
  /** Needs per batch (default 1000). */
  batchSize?: number
  /** Called after each batch with needs scanned so far and the total to scan. */
  onProgress?: (done: number, total: number) => void
}

/**
 * Rebuilds the needs index from the database: settings first, then an empty
 * index, then every visible need in id order. Outbox rows that existed at the
 * start are covered by the rebuild and removed; later ones stay for processOutbox.
 * Returns the number of documents indexed.
 */
export function reindexAll(db: Kysely<DB>, engine: SearchEngine, options: ReindexOptions = {}): Promise<number> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))
  return exclusive(engine, async () => {
    const last = await db.selectFrom('search_outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
    const coveredOutboxId = last?.id ?? null

    ensured.delete(engine)
    await ensureNeedsIndex(engine)
    await engine.clear(NEEDS_INDEX)

    const visible = db.selectFrom('needs').where('status', 'in', PUBLIC_NEED_STATUSES)
    const counted = await visible.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    const total = Number(counted?.n ?? 0)
    options.onProgress?.(0, total)

    let indexed = 0
    let done = 0
    let afterId = 0
    for (;;) {
      const ids = await visible
        .select('id')
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      const lastRow = ids.at(-1)
      if (!lastRow) break
      indexed += await applyNeeds(
        db,
        engine,
        ids.map((r) => r.id),
      )
      done += ids.length
      afterId = lastRow.id
      options.onProgress?.(done, Math.max(total, done))
    }

    if (coveredOutboxId !== null) {
      await db.deleteFrom('search_outbox').where('id', '<=', coveredOutboxId).execute()
    }
    return indexed
  })
}

/**
 * For start-up: rebuilds the index when it is empty but visible needs exist (a new
 * engine, a wiped index), otherwise applies the outbox.
 */
export async function syncNeedsIndex(
  db: Kysely<DB>,
  engine: SearchEngine,
  options: ReindexOptions = {},
): Promise<{ mode: 'reindex' | 'outbox'; count: number }> {
  await ensureNeedsIndex(engine)
  if ((await engine.count(NEEDS_INDEX)) === 0) {
    const visible = await db
      .selectFrom('needs')
      .select('id')
      .where('status', 'in', PUBLIC_NEED_STATUSES)
      .limit(1)
      .executeTakeFirst()
    if (visible) return { mode: 'reindex', count: await reindexAll(db, engine, options) }
  }
  return { mode: 'outbox', count: await processOutbox(db, engine) }
}
