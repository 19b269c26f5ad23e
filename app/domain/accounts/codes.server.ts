import crypto from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { keyedDigest } from './secrets.server.js'

/*
 * One-time codes (6 digits, sent by SMS or e-mail) and reset links (256-bit tokens an
 * operator hands over). Stored as keyed hashes only; a code lives CODE_TTL_MS, a link
 * LINK_TTL_MS; each is used once; a new code replaces the account's earlier ones of
 * the same purpose; a code dies after MAX_CODE_ATTEMPTS guesses, each counted before
 * the comparison (so parallel guesses cannot slip past the count).
 */

export const CODE_TTL_MS = 10 * 60_000
export const LINK_TTL_MS = 24 * 60 * 60_000
export const MAX_CODE_ATTEMPTS = 5
export const CODE_PATTERN = /^\d{6}$/
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export type CodePurpose = 'reset' | 'verify'
export type CodeChannel = 'sms' | 'email'

function codeDigest(db: Database, userId: number, purpose: CodePurpose, code: string): Promise<string> {
  return keyedDigest(db, 'one-time-code', `${userId}:${purpose}:${code}`)
}

function linkDigest(db: Database, token: string): Promise<string> {
  return keyedDigest(db, 'reset-link', token)
}

/** Earlier unused codes (and links) of this purpose stop working. */
async function supersede(trx: Transaction<DB>, userId: number, purpose: CodePurpose, now: Date) {
  await trx
    .updateTable('one_time_codes')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute()
}

/** Issues a fresh code for the user, replacing their earlier ones of this purpose. Returns the code (to send, never to store). */
export async function issueCode(
  trx: Transaction<DB>,
  input: { userId: number; purpose: CodePurpose; channel: CodeChannel; destination: string },
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  await supersede(trx, input.userId, input.purpose, now)
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS)
  await trx
    .insertInto('one_time_codes')
    .values({
      user_id: input.userId,
      purpose: input.purpose,
      channel: input.channel,
      destination: input.destination,
      // The transaction's own connection: SQLite has one, and the transaction holds it.
      code_hash: await codeDigest(trx, input.userId, input.purpose, code),
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute()
  return { code, expiresAt }
}

/**
 * Checks a code the user typed and, when right, uses it up. The guess is counted on
 * the code first (in one statement that also refuses a code out of guesses), then
 * compared, then consumed only if still unused. Returns the code's channel and
 * destination, or null for a wrong, expired, used-up or missing code (one answer for all).
 */
export async function consumeCode(
  db: Database,
  input: { userId: number; purpose: CodePurpose; code: string },
  now = new Date(),
): Promise<{ channel: CodeChannel; destination: string } | null> {
  if (!CODE_PATTERN.test(input.code)) return null
  const latest = await db
    .selectFrom('one_time_codes')
    .select(['id', 'channel', 'destination'])
    .where('user_id', '=', input.userId)
    .where('purpose', '=', input.purpose)
    .where('channel', '<>', 'link')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!latest) return null
  const counted = await db
    .updateTable('one_time_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', latest.id)
    .where('attempts', '<', MAX_CODE_ATTEMPTS)
    .where('used_at', 'is', null)
    .returning('code_hash')
    .executeTakeFirst()
  if (!counted) return null
  const given = Buffer.from(await codeDigest(db, input.userId, input.purpose, input.code))
  const stored = Buffer.from(counted.code_hash)
  if (given.length !== stored.length || !crypto.timingSafeEqual(given, stored)) return null
  const used = await db
    .updateTable('one_time_codes')
    .set({ used_at: now.toISOString() })
    .where('id', '=', latest.id)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  if (used.numUpdatedRows !== 1n) return null
  return { channel: latest.channel as CodeChannel, destination: latest.destination }
}

/** Issues a reset link token for the user (an operator's command), replacing earlier reset codes and links. */
export async function issueLinkToken(
  trx: Transaction<DB>,
  input: { userId: number; destination: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  await supersede(trx, input.userId, 'reset', now)
  const token = crypto.randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS)
  await trx
    .insertInto('one_time_codes')
    .values({
      user_id: input.userId,
      purpose: 'reset',
      channel: 'link',
      destination: input.destination,
      code_hash: await linkDigest(trx, token),
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute()
  return { token, expiresAt }
}

/** Whether a link token is live (the reset page's first look); uses nothing. */
export async function linkTokenIsLive(db: Database, token: string, now = new Date()): Promise<boolean> {
  if (!LINK_TOKEN_PATTERN.test(token)) return false
  const row = await db
    .selectFrom('one_time_codes')
    .select('id')
    .where('code_hash', '=', await linkDigest(db, token))
    .where('channel', '=', 'link')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst()
  return Boolean(row)
}

/** Uses up a live link token; returns its user, or null. */
export async function consumeLinkToken(db: Database, token: string, now = new Date()): Promise<number | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null
  const row = await db
    .updateTable('one_time_codes')
    .set({ used_at: now.toISOString() })
    .where('code_hash', '=', await linkDigest(db, token))
    .where('channel', '=', 'link')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id ?? null
}

/** After a password reset, no other reset code or link of the account works. */
export async function supersedeResets(trx: Transaction<DB>, userId: number, now = new Date()): Promise<void> {
  await supersede(trx, userId, 'reset', now)
}
