import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../db/dialect.js'
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

/*
 * The read side: claims. Several app instances may flush one outbox (issue 10). An
 * instance CLAIMS the rows it will apply (claimed_by = itself, claimed_until = now +
 * lease) before it loads the entities, and deletes them, as their holder, once the
 * engine has them. So:
 *
 * - an entry is applied by one instance: a claim takes only rows that nobody holds (or
 *   whose lease has run out), in one statement; on PostgreSQL the candidate rows are
 *   read `FOR UPDATE SKIP LOCKED` and the claims of all instances are serialised by a
 *   transaction-scoped advisory lock (claiming is one short statement), so each claim
 *   sees every claim committed before it. SQLite has one writer: the UPDATE is atomic;
 * - an entity is in the hands of one instance at a time: a row is not claimed while
 *   another instance holds a live claim on a row of the same entity. Otherwise an
 *   instance that loaded an older state could write it to the engine after another
 *   wrote the newer one;
 * - a crashed instance's claims are retried: its lease runs out, and the next flush
 *   (any instance's, or the scheduled one) claims the rows again. The holder renews its
 *   lease just before writing to the engine and skips the batch if it has lost it, so a
 *   stalled instance does not overwrite what took its place; an engine call that outlasts
 *   the whole lease could still, which is why the lease is long next to an engine call.
 *
 * Why not delete-returning in the same transaction as the index write: the engine is
 * outside the database for Meilisearch (and FTS5 may live on another connection), so
 * no transaction covers both; holding a PostgreSQL transaction (and its row locks) open
 * across an HTTP call to Meilisearch would also pin a pool connection per flush. A lease
 * works for every engine, and a re-applied entry is harmless (the entity is read afresh).
 */

/** One outbox row, as claimed. */
export interface OutboxEntry {
  id: number
  entity_type: string
  entity_id: number
}

export interface ClaimOptions {
  /** Who claims: one per indexer (an instance), e.g. db/leases.ts PROCESS_HOLDER. */
  holder: string
  /** Only rows up to this id (the rows present when the flush started). */
  upToId: number
  /** At most this many rows, oldest first. */
  limit: number
  /** How long the claim holds without renewal. */
  leaseMs: number
  now: number
}

/** PostgreSQL advisory lock (two-integer form) serialising claims. */
const CLAIM_LOCK = [0x53_4f, 1] as const // 'SO'

/**
 * Claims up to `limit` rows (id ≤ upToId, oldest first) that nobody holds and whose
 * entity nobody else holds. Returns them in id order.
 */
export async function claimSearchOutbox(db: Kysely<DB>, options: ClaimOptions): Promise<OutboxEntry[]> {
  const { holder, upToId, limit, leaseMs, now } = options
  const postgres = isPostgres(db)
  const claim = async (trx: Kysely<DB>) => {
    const candidates = trx
      .selectFrom('search_outbox as e')
      .select('e.id')
      .where('e.id', '<=', upToId)
      .where((eb) => eb.or([eb('e.claimed_until', 'is', null), eb('e.claimed_until', '<=', now)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('search_outbox as o')
              .select('o.id')
              .whereRef('o.entity_type', '=', 'e.entity_type')
              .whereRef('o.entity_id', '=', 'e.entity_id')
              .where('o.claimed_until', '>', now)
              .where('o.claimed_by', '<>', holder),
          ),
        ),
      )
      .orderBy('e.id')
      .limit(limit)
      .$if(postgres, (q) => q.forUpdate().skipLocked())
    return trx
      .updateTable('search_outbox')
      .set({ claimed_by: holder, claimed_until: now + leaseMs })
      .where('id', 'in', candidates)
      .returning(['id', 'entity_type', 'entity_id'])
      .execute()
  }
  const rows = postgres
    ? await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(cast(${CLAIM_LOCK[0]} as integer), cast(${CLAIM_LOCK[1]} as integer))`.execute(trx)
        return claim(trx)
      })
    : await claim(db)
  return rows.sort((a, b) => a.id - b.id)
}

/**
 * Extends `holder`'s claim on these rows to now + leaseMs. False when it no longer
 * holds all of them (its lease ran out and another instance took some, or a rebuild
 * removed them): the caller must then not write its batch to the engine.
 */
export async function renewSearchClaims(
  db: Kysely<DB>,
  holder: string,
  ids: readonly number[],
  leaseMs: number,
  now: number,
): Promise<boolean> {
  if (ids.length === 0) return true
  const result = await db
    .updateTable('search_outbox')
    .set({ claimed_until: now + leaseMs })
    .where('id', 'in', [...ids])
    .where('claimed_by', '=', holder)
    .where('claimed_until', '>', now)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === new Set(ids).size
}

/** The rows are applied: deletes those `holder` still holds. Returns how many. */
export async function completeSearchClaims(db: Kysely<DB>, holder: string, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0
  const result = await db
    .deleteFrom('search_outbox')
    .where('id', 'in', [...ids])
    .where('claimed_by', '=', holder)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The rows could not be applied (the engine failed): gives them back for the next flush. */
export async function releaseSearchClaims(db: Kysely<DB>, holder: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('search_outbox')
    .set({ claimed_by: null, claimed_until: null })
    .where('id', 'in', [...ids])
    .where('claimed_by', '=', holder)
    .execute()
}

/**
 * When another holder last made or renewed a live claim that keeps rows ≤ upToId
 * waiting (a claim on such a row, or on a row of the same entity), as its
 * claimed_until less `leaseMs` (every instance uses the same lease); null when no
 * such claim is live.
 */
export async function othersLatestClaim(
  db: Kysely<DB>,
  holder: string,
  upToId: number,
  leaseMs: number,
  now: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('search_outbox as o')
    .select((eb) => eb.fn.max('o.claimed_until').as('until'))
    .where('o.claimed_until', '>', now)
    .where('o.claimed_by', '<>', holder)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('search_outbox as e')
          .select('e.id')
          .where('e.id', '<=', upToId)
          .whereRef('e.entity_type', '=', 'o.entity_type')
          .whereRef('e.entity_id', '=', 'o.entity_id'),
      ),
    )
    .executeTakeFirst()
  return row?.until == null ? null : Number(row.until) - leaseMs
}
