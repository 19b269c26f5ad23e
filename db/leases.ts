import crypto from 'node:crypto'
import os from 'node:os'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from './types.js'

/**
 * Leases on named jobs (`job_leases`), so that among several app instances on one
 * database one runs each scheduled job at a time (issue 10). A lease is a row
 * (name, holder, held_until); it is taken with ONE upsert that succeeds only when the
 * row is absent or its time has passed, so of two instances asking at once exactly
 * one gets it, on SQLite (one writer) and on PostgreSQL (the upsert locks the row and
 * re-checks the condition on the version it locked). A holder that dies simply stops
 * renewing: its lease runs out and the next instance to ask takes the job over.
 *
 * Chosen over `pg_try_advisory_lock`: the same code and table on both dialects, no
 * session (a pooled connection) to keep open while the job runs, and a lease that can
 * outlive the run on purpose (`release(…, { keepForMs })`: "done; nobody runs this
 * again for a minute"), which turns N instances' timers into one run per interval.
 */

type Db = Kysely<DB> | Transaction<DB>

/** Who this process is, for leases and claims: host, pid and a random part (a restarted pid differs). */
export const PROCESS_HOLDER = `${os.hostname().slice(0, 100)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`

/**
 * Takes the lease `name` for `holder` until `now + ttlMs`, if nobody holds it (its
 * time has passed). Returns whether this call got it. A holder asking again while it
 * holds the lease does not get it again: use `renewLease` to extend one's own.
 */
export async function takeLease(db: Db, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const row = await db
    .insertInto('job_leases')
    .values({ name, holder, held_until: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), held_until: eb.ref('excluded.held_until') }))
        .where('job_leases.held_until', '<=', now),
    )
    .returning('holder')
    .executeTakeFirst()
  return row?.holder === holder
}

/** Extends `holder`'s lease to `now + ttlMs`; false when it no longer holds it (it ran out and was taken). */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable('job_leases')
    .set({ held_until: now + ttlMs })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .where('held_until', '>', now)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Gives the lease back: free at once, or kept for `keepForMs` more (the job is done
 * and should not run again before then, on any instance). Does nothing when `holder`
 * no longer holds it.
 */
export async function releaseLease(
  db: Db,
  name: string,
  holder: string,
  options: { keepForMs?: number; now?: number } = {},
): Promise<void> {
  const now = options.now ?? Date.now()
  await db
    .updateTable('job_leases')
    .set({ held_until: now + Math.max(0, options.keepForMs ?? 0) })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .execute()
}

/** Who holds the lease now, or null. */
export async function leaseHolder(db: Db, name: string, now = Date.now()): Promise<string | null> {
  const row = await db
    .selectFrom('job_leases')
    .select('holder')
    .where('name', '=', name)
    .where('held_until', '>', now)
    .executeTakeFirst()
  return row?.holder ?? null
}
