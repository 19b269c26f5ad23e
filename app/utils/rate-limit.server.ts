import { sql } from 'kysely'
import type { Database } from '../../db/connection.js'
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
const SWEEP_EVERY_MS = 60_000
let lastSweep = 0

/**
 * Reserves one attempt against every key, or none: throws RATE_LIMITED (with the
 * seconds until the fullest key frees a slot) when any key already holds `limit`
 * attempts inside its sliding window. The count and the insert are one SQL statement,
 * so parallel requests cannot all read "under the limit" and then all go ahead:
 * whatever the concurrency, at most `limit` attempts per window get through. Call it
 * BEFORE the expensive or dangerous work (hashing a password).
 */
export async function reserve(db: Database, keys: readonly LimitedKey[], now = Date.now()): Promise<Reservation> {
  if (keys.length === 0) return { release: async () => {} }
  await sweep(db, keys, now)
  const wanted = sql.join(keys.map((k) => sql`(${k.key}, ${k.rule.limit}, ${now - k.rule.windowMs})`))
  const inserted = await sql<{ rid: number; key: string }>`
    with wanted(key, lim, since) as (values ${wanted})
    insert into rate_limit_events (key, at)
    select key, ${now} from wanted
    where not exists (
      select 1 from wanted w
      where (select count(*) from rate_limit_events e where e.key = w.key and e.at > w.since) >= w.lim
    )
    returning rowid as rid, key`.execute(db)
  if (inserted.rows.length === keys.length) {
    const rows = inserted.rows
    return {
      async release(db2, only) {
        const ids = rows.filter((r) => !only || only.includes(r.key)).map((r) => r.rid)
        if (ids.length) await sql`delete from rate_limit_events where rowid in (${sql.join(ids)})`.execute(db2)
      },
    }
  }
  throw new AppError('RATE_LIMITED', 'errors.rateLimited', { retryAfter: await retryAfterSeconds(db, keys, now) })
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

/** Forgets the named keys' attempts older than their windows, and now and then everyone's stale ones. */
async function sweep(db: Database, keys: readonly LimitedKey[], now: number) {
  for (const k of keys) {
    await db
      .deleteFrom('rate_limit_events')
      .where('key', '=', k.key)
      .where('at', '<=', now - k.rule.windowMs)
      .execute()
  }
  if (now - lastSweep > SWEEP_EVERY_MS) {
    lastSweep = now
    await db
      .deleteFrom('rate_limit_events')
      .where('at', '<=', now - LONGEST_WINDOW_MS)
      .execute()
  }
}

/** Every attempt counts against every key, under one rule: reserve, and keep the reservation. */
export async function hitRateLimit(db: Database, keys: readonly string[], rule: RateLimitRule, now = Date.now()): Promise<void> {
  await reserve(
    db,
    keys.map((key) => ({ key, rule })),
    now,
  )
}
