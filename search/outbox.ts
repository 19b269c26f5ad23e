import type { Kysely } from 'kysely'
import type { AfterCommit } from '../db/transaction.js'
import type { DB } from '../db/types.js'

/**
 * The write side of the outbox. A use case records "need 42 changed" in
 * search_outbox inside its own transaction and, through `afterCommit`, asks for a
 * flush once that transaction has committed. The indexer (search/indexer.ts) then
 * reads the entity as committed and updates the engine; a crash or an engine outage
 * in between loses nothing, since the row waits for the next flush.
 */

type Listener = () => unknown

// Process-wide on purpose: the outbox is a table, not a message bus, so whoever
// flushes it applies every committed row, not only the ones its own request wrote.
// Each app instance subscribes its indexer here and flushes the outbox it can see;
// a write committed by another process is picked up by that process's flush or by
// the next one here (or by `sync` at start-up).
const listeners = new Set<Listener>()

// One notification per transaction however many rows it enqueues. Keyed by the
// transaction's afterCommit function, which withTransaction makes afresh per call.
const notified = new WeakSet<AfterCommit>()

/** Call inside the transaction that changes the entity (or anything its document shows). */
export async function enqueueSearchChange(
  trx: Kysely<DB>,
  afterCommit: AfterCommit,
  entityType: string,
  entityId: number,
): Promise<void> {
  await trx
    .insertInto('search_outbox')
    .values({ entity_type: entityType, entity_id: entityId, created_at: new Date().toISOString() })
    .execute()
  if (!notified.has(afterCommit)) {
    notified.add(afterCommit)
    afterCommit(notifySearchOutboxCommitted)
  }
}

/**
 * Subscribes to "rows were committed to the outbox". Returns the unsubscribe
 * function. Listeners run one after another and are awaited, so the committing use
 * case returns only once the index is up to date; a failing listener is logged and
 * does not stop the others.
 */
export function onSearchOutboxCommitted(listener: Listener): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

async function notifySearchOutboxCommitted(): Promise<void> {
  for (const listener of [...listeners]) {
    try {
      await listener()
    } catch (error) {
      console.error('search outbox listener failed; the outbox keeps the changes', error)
    }
  }
}
