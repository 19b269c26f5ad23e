import type { Database } from '../../db/connection.js'
import { AppError } from './errors.js'

export interface RateLimitRule {
  /** Attempts allowed per window. */
  limit: number
  windowMs: number
}

export const SIGN_IN_LIMIT: RateLimitRule = { limit: 10, windowMs: 60_000 }
export const SIGN_UP_LIMIT: RateLimitRule = { limit: 10, windowMs: 60_000 }

/**
 * Throws RATE_LIMITED when any key (e.g. `signin:ip:1.2.3.4`, `signin:acct:phone:…`)
 * already has `limit` attempts inside the sliding window. Checking and recording are
 * separate so a caller can count only what should count (failed sign-ins per IP, so
 * an office behind one address is not locked out by its own colleagues).
 */
export async function assertUnderLimit(
  db: Database,
  keys: readonly string[],
  rule: RateLimitRule,
  now = Date.now(),
): Promise<void> {
  const since = now - rule.windowMs
  let retryAfterMs = 0
  for (const key of keys) {
    const recent = await db
      .selectFrom('rate_limit_events')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<number>('at').as('oldest')])
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirstOrThrow()
    if (recent.n >= rule.limit) retryAfterMs = Math.max(retryAfterMs, (recent.oldest ?? now) + rule.windowMs - now)
  }
  if (retryAfterMs > 0) {
    throw new AppError('RATE_LIMITED', 'errors.rateLimited', { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) })
  }
}

/** Counts one attempt against each key, and forgets attempts older than the window. */
export async function recordAttempt(db: Database, keys: readonly string[], rule: RateLimitRule, now = Date.now()) {
  await db.transaction().execute(async (trx) => {
    for (const key of keys) {
      await trx
        .deleteFrom('rate_limit_events')
        .where('key', '=', key)
        .where('at', '<=', now - rule.windowMs)
        .execute()
      await trx.insertInto('rate_limit_events').values({ key, at: now }).execute()
    }
  })
}

/** Check, then count: every attempt counts. */
export async function hitRateLimit(db: Database, keys: readonly string[], rule: RateLimitRule, now = Date.now()) {
  await assertUnderLimit(db, keys, rule, now)
  await recordAttempt(db, keys, rule, now)
}
