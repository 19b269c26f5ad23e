import crypto from 'node:crypto'
import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'

/*
 * The per-account half of sign-in throttling (the per-address half is the generic
 * limiter, reserved first). Each account — or, for a browser that signed in to the
 * account before, each such device — has a guard row counting consecutive failures.
 * The first FREE_FAILURES are free; from then on every attempt locks the key for a
 * back-off that doubles (30 s, 1 min, 2 min … up to 15 min). The attempt is counted
 * BEFORE the password is hashed, in one statement that also refuses a locked key, so
 * a burst of parallel guesses gets FREE_FAILURES through, not more. A success or a
 * password reset deletes the row.
 *
 * A stranger can keep an account's guard locked, but not its owner out: a browser the
 * owner signed in with before carries a device cookie and is guarded under its own
 * key, and the reset path (a code sent to the account's phone or e-mail) signs the
 * owner in and clears the guard.
 */

export const FREE_FAILURES = 5
const BACKOFF_BASE_MS = 30_000
const BACKOFF_MAX_MS = 15 * 60_000
/** Rows untouched for this long are forgotten. */
const GUARD_TTL_MS = 24 * 60 * 60 * 1000

/** How long the key is locked once it holds `failures` (counting the attempt under way). */
export function lockFor(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - FREE_FAILURES, 10), BACKOFF_MAX_MS)
}

/** When a key holding `failures` (counting the attempt under way) is unlocked again: 0 when it is not locked. */
function lockedUntil(failures: number, now: number): number {
  const ms = lockFor(failures)
  return ms === 0 ? 0 : now + ms
}

/**
 * lockedUntil in SQL, for a count only the row knows: a `case` over the few counts
 * whose lock differs (lockFor is the one rule; its values are written out, from
 * FREE_FAILURES until the lock reaches its maximum). Portable: SQLite's scalar min()
 * and `<<` are not PostgreSQL's, and a bound value needs a type there (bigint).
 */
function lockedUntilSql(failures: RawBuilder<unknown>, now: number): RawBuilder<number> {
  const steps: RawBuilder<unknown>[] = []
  let n = FREE_FAILURES
  for (; lockFor(n) < BACKOFF_MAX_MS; n++)
    steps.push(sql`when ${failures} = ${sql.lit(n)} then cast(${lockedUntil(n, now)} as bigint)`)
  return sql<number>`case when ${failures} < ${sql.lit(FREE_FAILURES)} then 0 ${sql.join(steps, sql` `)} else cast(${now + BACKOFF_MAX_MS} as bigint) end`
}

/**
 * Counts one attempt against the guard key, or throws RATE_LIMITED (Retry-After: the
 * rest of the lock) when the key is locked. Returns the failures counted so far.
 */
export async function reserveSignInAttempt(db: Database, key: string, now = Date.now()): Promise<number> {
  const result = await sql<{ failures: number }>`
    insert into sign_in_guards (key, failures, locked_until, updated_at)
    values (${key}, 1, ${lockedUntil(1, now)}, ${now})
    on conflict (key) do update set
      failures = sign_in_guards.failures + 1,
      locked_until = ${lockedUntilSql(sql`sign_in_guards.failures + 1`, now)},
      updated_at = ${now}
    where sign_in_guards.locked_until <= ${now}
    returning failures`.execute(db)
  const row = result.rows[0]
  if (row) return row.failures
  const guard = await db.selectFrom('sign_in_guards').select('locked_until').where('key', '=', key).executeTakeFirst()
  const retryAfter = Math.max(1, Math.ceil(((guard?.locked_until ?? now) - now) / 1000))
  throw new AppError('RATE_LIMITED', 'accounts.signIn.locked', { retryAfter })
}

/** The attempt succeeded (or the password was reset): the key starts afresh. */
export async function clearSignInGuard(db: Database | Transaction<DB>, keys: readonly string[]) {
  if (keys.length)
    await db
      .deleteFrom('sign_in_guards')
      .where('key', 'in', [...keys])
      .execute()
}

/** Forgets guards nobody touched for a day and no longer locked (the scheduled sweep, app/web/jobs.server.ts). Returns how many. */
export async function sweepSignInGuards(db: Database | Transaction<DB>, now = Date.now()): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_guards')
    .where('updated_at', '<', now - GUARD_TTL_MS)
    .where('locked_until', '<', now)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export function accountGuardKey(userId: number): string {
  return `user:${userId}`
}

function deviceGuardKey(tokenHash: string): string {
  return `device:${tokenHash}`
}

function hashDeviceToken(token: string): string {
  return crypto.createHash('sha256').update(`device:${token}`).digest('base64url')
}

/**
 * The guard key for this attempt: the device's own, when the browser carries a device
 * token the account signed in with before; otherwise the account's.
 */
export async function guardKeyFor(db: Database, userId: number, deviceToken: string | null): Promise<string> {
  if (deviceToken && /^[A-Za-z0-9_-]{43}$/.test(deviceToken)) {
    const tokenHash = hashDeviceToken(deviceToken)
    const known = await db.selectFrom('known_devices').select('user_id').where('token_hash', '=', tokenHash).executeTakeFirst()
    if (known?.user_id === userId) return deviceGuardKey(tokenHash)
  }
  return accountGuardKey(userId)
}

/**
 * After a successful sign-in: the browser's device token is remembered for the
 * account (a new one when it carried none, or one of another account). Returns the
 * token to set in the device cookie.
 */
export async function rememberDevice(
  db: Database | Transaction<DB>,
  userId: number,
  deviceToken: string | null,
  now = new Date(),
): Promise<{ token: string; guardKey: string }> {
  const reuse = deviceToken && /^[A-Za-z0-9_-]{43}$/.test(deviceToken) ? deviceToken : null
  if (reuse) {
    const tokenHash = hashDeviceToken(reuse)
    const row = await db.selectFrom('known_devices').select('user_id').where('token_hash', '=', tokenHash).executeTakeFirst()
    if (row?.user_id === userId) {
      await db.updateTable('known_devices').set({ last_used_at: now.toISOString() }).where('token_hash', '=', tokenHash).execute()
      return { token: reuse, guardKey: deviceGuardKey(tokenHash) }
    }
  }
  // Now and then, forget devices unused for a year (the cookie lives that long).
  if (Math.random() < 0.01) {
    await db
      .deleteFrom('known_devices')
      .where('last_used_at', '<', new Date(now.getTime() - 365 * 24 * 60 * 60 * 1000).toISOString())
      .execute()
  }
  const token = crypto.randomBytes(32).toString('base64url')
  const tokenHash = hashDeviceToken(token)
  await db
    .insertInto('known_devices')
    .values({ token_hash: tokenHash, user_id: userId, created_at: now.toISOString(), last_used_at: now.toISOString() })
    .execute()
  return { token, guardKey: deviceGuardKey(tokenHash) }
}

/** A password reset forgets every device of the account (and their guards). */
export async function forgetDevices(db: Database | Transaction<DB>, userId: number): Promise<void> {
  const rows = await db.selectFrom('known_devices').select('token_hash').where('user_id', '=', userId).execute()
  await clearSignInGuard(db, [accountGuardKey(userId), ...rows.map((r) => deviceGuardKey(r.token_hash))])
  await db.deleteFrom('known_devices').where('user_id', '=', userId).execute()
}
