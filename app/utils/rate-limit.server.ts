import crypto from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/connection.js'
import { dialectOf } from '../../db/dialect.js'
import type { DB } from '../../db/types.js'
import { AppError } from './errors.js'

export interface RateLimitRule {
  /** Attempts allowed per window. */
  limit: number
  windowMs: number
}

/** Failed sign-ins per address (a success gives its attempt back). */
export const SIGN_IN_LIMIT: RateLimitRule = { limit: 10, windowMs: 60_000 }
export const SIGN_UP_LIMIT: RateLimitRule = { limit: 10, windowMs: 60_000 }

/** One key counted under its rule, e.g. `signin:ip:1.2.3.4` at 10 a minute. */
export interface LimitedKey {
  key: string
  rule: RateLimitRule
}

/** The attempts a reservation counted, so a caller can give some back (a sign-in that succeeded). */
export interface Reservation {
  /** Gives back the attempt counted against these keys (all when none are named). */
  release(db: Database, keys?: readonly string[]): Promise<void>
}

/** No window is longer than this: events older than it are swept. */
const LONGEST_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * PostgreSQL advisory locks of the limiter: (LOCK_SPACE, a 32-bit hash of the key).
 * The two-integer form keeps them apart from the one-bigint locks other code takes.
 */
const LOCK_SPACE = 0x52_4c // 'RL'

/*
 * How the limit holds across instances. The log keeps one row per attempt that was let
 * through (id, key, at); refused attempts write nothing, so a key has at most `limit`
 * rows per window. A reservation is one statement that inserts a row for every key
 * only if no key already has `limit` rows inside its window.
 *
 * - SQLite: that statement is atomic by itself (one writer; the insert takes the write
 *   lock before it counts), whatever the number of connections or processes.
 * - PostgreSQL: under READ COMMITTED two such statements could both count from
 *   snapshots without the other's row and both insert. So the statement runs in a
 *   transaction that first takes a transaction-scoped advisory lock per key (in one
 *   global order, so two multi-key reservations cannot deadlock): reservations of one
 *   key are serialised across every instance and pool connection, and each counts
 *   what the previous one committed. Reservations of different keys do not wait for
 *   each other (a hash collision only serialises two keys, harmlessly).
 *
 * A sliding log rather than a per-window counter (`insert … on conflict … count + 1`):
 * a fixed window lets 2 × limit through around its boundary, and the log lets a
 * caller give back exactly its own attempt (`release`) by the rows' ids.
 */

/**
 * Reserves one attempt against every key, or none: throws RATE_LIMITED (with the
 * seconds until the fullest key frees a slot) when any key already holds `limit`
 * attempts inside its sliding window. Whatever the concurrency, in one process or in
 * several instances on one database, at most `limit` attempts per window get through.
 * Call it BEFORE the expensive or dangerous work (hashing a password).
 */
export async function reserve(db: Database, keys: readonly LimitedKey[], now = Date.now()): Promise<Reservation> {
  if (keys.length === 0) return { release: async () => {} }
  await sweep(db, keys, now)
  const rows =
    dialectOf(db) === 'postgres'
      ? await db.transaction().execute(async (trx) => {
          for (const lock of lockIds(keys)) {
            await sql`select pg_advisory_xact_lock(cast(${LOCK_SPACE} as integer), cast(${lock} as integer))`.execute(trx)
          }
          return insertUnlessFull(trx, keys, now)
        })
      : await insertUnlessFull(db, keys, now)
  if (rows.length === keys.length) {
    return {
      async release(db2, only) {
        const ids = rows.filter((r) => !only || only.includes(r.key)).map((r) => Number(r.id))
        if (ids.length) await db2.deleteFrom('rate_limit_events').where('id', 'in', ids).execute()
      },
    }
  }
  throw new AppError('RATE_LIMITED', 'errors.rateLimited', { retryAfter: await retryAfterSeconds(db, keys, now) })
}

/** The count-and-insert: a row per key, or none when any key is full. Casts give PostgreSQL the parameters' types. */
async function insertUnlessFull(db: Kysely<DB>, keys: readonly LimitedKey[], now: number) {
  const wanted = sql.join(
    keys.map((k) => sql`(cast(${k.key} as text), cast(${k.rule.limit} as integer), cast(${now - k.rule.windowMs} as bigint))`),
  )
  const inserted = await sql<{ id: number; key: string }>`
    with wanted(key, lim, since) as (values ${wanted})
    insert into rate_limit_events (key, at)
    select key, cast(${now} as bigint) from wanted
    where not exists (
      select 1 from wanted w
      where (select count(*) from rate_limit_events e where e.key = w.key and e.at > w.since) >= w.lim
    )
    returning id, key`.execute(db)
  return inserted.rows
}

/** The advisory lock ids of the keys: distinct, in ascending order. */
function lockIds(keys: readonly LimitedKey[]): number[] {
  const ids = new Set(keys.map((k) => crypto.createHash('sha256').update(k.key).digest().readInt32BE(0)))
  return [...ids].sort((a, b) => a - b)
}

/** The key that is full (the first, in the order given), or null: for logging which limit tripped. */
export async function fullKey(db: Database, keys: readonly LimitedKey[], now = Date.now()): Promise<string | null> {
  for (const k of keys) if ((await countIn(db, k, now)).n >= k.rule.limit) return k.key
  return null
}

async function countIn(db: Database, k: LimitedKey, now: number) {
  return db
    .selectFrom('rate_limit_events')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<number>('at').as('oldest')])
    .where('key', '=', k.key)
    .where('at', '>', now - k.rule.windowMs)
    .executeTakeFirstOrThrow()
}

async function retryAfterSeconds(db: Database, keys: readonly LimitedKey[], now: number): Promise<number> {
  let ms = 0
  for (const k of keys) {
    const recent = await countIn(db, k, now)
    if (recent.n >= k.rule.limit) ms = Math.max(ms, (recent.oldest ?? now) + k.rule.windowMs - now)
  }
  return Math.max(1, Math.ceil(ms / 1000))
}

/**
 * Forgets the named keys' attempts older than their windows. Everyone else's stale
 * attempts go in the scheduled sweep (app/web/jobs.server.ts), not on a request.
 */
async function sweep(db: Database, keys: readonly LimitedKey[], now: number) {
  for (const k of keys) {
    await db
      .deleteFrom('rate_limit_events')
      .where('key', '=', k.key)
      .where('at', '<=', now - k.rule.windowMs)
      .execute()
  }
}

/** Forgets every attempt older than the longest window (the scheduled sweep). Returns how many. */
export async function sweepRateLimitEvents(db: Database, now = Date.now()): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_events')
    .where('at', '<=', now - LONGEST_WINDOW_MS)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Every attempt counts against every key, under one rule: reserve, and keep the reservation. */
export async function hitRateLimit(db: Database, keys: readonly string[], rule: RateLimitRule, now = Date.now()): Promise<void> {
  await reserve(
    db,
    keys.map((key) => ({ key, rule })),
    now,
  )
}
