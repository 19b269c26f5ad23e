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
 * Counts this attempt against each key (e.g. `signin:ip:1.2.3.4`, `signin:acct:phone`)
 * over a sliding window; throws RATE_LIMITED once any key is over its limit.
 */
export async function hitRateLimit(
  db: Database,
  keys: readonly string[],
  rule: RateLimitRule,
  now = Date.now(),
): Promise<void> {
  const since = now - rule.windowMs
  let retryAfterMs = 0
  await db.transaction().execute(async (trx) => {
    for (const key of keys) {
      await trx.deleteFrom('rate_limit_events').where('key', '=', key).where('at', '<=', since).execute()
      const recent = await trx
        .selectFrom('rate_limit_events')
        .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<number>('at').as('oldest')])
        .where('key', '=', key)
        .executeTakeFirstOrThrow()
      await trx.insertInto('rate_limit_events').values({ key, at: now }).execute()
      if (recent.n >= rule.limit) retryAfterMs = Math.max(retryAfterMs, (recent.oldest ?? now) + rule.windowMs - now)
    }
  })
  if (retryAfterMs > 0) {
    throw new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试', { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) })
  }
}
