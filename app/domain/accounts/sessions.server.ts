import crypto from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { auditActor, type Actor } from './actor.js'
import type { TEndSessionsInput } from './schema.js'

/** Idle: a session unused this long ends. Absolute: no session lives longer. */
export const SESSION_IDLE_MS = 3 * 24 * 60 * 60 * 1000
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000
/** last_seen_at is written at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 60 * 1000

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url')
}

/** 256 random bits, base64url. */
export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export interface SessionInfo {
  idHash: string
  userId: number
  activeOrgId: number | null
  createdAt: string
  lastSeenAt: string
  expiresAt: string
}

export async function createSession(
  db: Database,
  input: { userId: number; activeOrgId: number | null; ip: string; userAgent: string; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date()
  const token = newSessionToken()
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS)
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: input.userId,
      active_org_id: input.activeOrgId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      ip: input.ip.slice(0, 64),
      user_agent: input.userAgent.slice(0, 300),
    })
    .execute()
  return { token, expiresAt }
}

/** The live session for a token, or null (unknown, idle too long, or past its end). */
export async function findSession(db: Database, token: string, now = new Date()): Promise<SessionInfo | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const idHash = hashToken(token)
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
  if (!row) return null
  const idleLimit = new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS
  if (now.getTime() >= new Date(row.expires_at).getTime() || now.getTime() >= idleLimit) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    return null
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute()
  }
  return {
    idHash,
    userId: row.user_id,
    activeOrgId: row.active_org_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  }
}

export async function deleteSessionByToken(db: Database, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute()
}

/** The organisation a session acts for from now on (after creating, joining or switching). */
export async function setActiveOrg(db: Database | Transaction<DB>, idHash: string, orgId: number | null): Promise<void> {
  await db.updateTable('sessions').set({ active_org_id: orgId }).where('id_hash', '=', idHash).execute()
}

/** A member who left or was removed stops acting for the organisation in every session, at once. */
export async function detachSessionsFromOrg(db: Database | Transaction<DB>, userId: number, orgId: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_org_id: null })
    .where('user_id', '=', userId)
    .where('active_org_id', '=', orgId)
    .execute()
}

export interface SessionListItem {
  /** A short public handle: never the hash itself. */
  handle: string
  createdAt: string
  lastSeenAt: string
  ip: string
  userAgent: string
  current: boolean
}

export function sessionHandle(idHash: string): string {
  return crypto.createHash('sha256').update(`handle:${idHash}`).digest('base64url').slice(0, 16)
}

export async function listUserSessions(db: Database, userId: number, currentIdHash: string): Promise<SessionListItem[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date().toISOString())
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    handle: sessionHandle(r.id_hash),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id_hash === currentIdHash,
  }))
}

/** Ends one of the user's own sessions by handle; returns whether one was ended. */
export async function revokeUserSession(db: Database | Transaction<DB>, userId: number, handle: string): Promise<boolean> {
  const rows = await db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute()
  const match = rows.find((r) => sessionHandle(r.id_hash) === handle)
  if (!match) return false
  await db.deleteFrom('sessions').where('id_hash', '=', match.id_hash).execute()
  return true
}

export async function revokeOtherSessions(db: Database | Transaction<DB>, userId: number, keepIdHash: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id_hash', '!=', keepIdHash)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Every session of the user ends (a password reset). Returns how many ended. */
export async function revokeAllSessions(db: Database | Transaction<DB>, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * A user ends one of their other sessions (by handle) or all of them; the current
 * one stays. Recorded in the audit log when anything ended. Returns how many ended.
 */
export async function endOwnSessions(
  db: Database,
  actor: Actor,
  current: { idHash: string },
  input: TEndSessionsInput,
): Promise<number> {
  return withTransaction(db, async (trx) => {
    const ended =
      input.intent === 'endOthers'
        ? await revokeOtherSessions(trx, actor.userId, current.idHash)
        : Number(await revokeUserSession(trx, actor.userId, input.handle))
    // One session by its handle: a handle that names none of the person's live sessions
    // (ended meanwhile, on another device, or never theirs) is said so on the page.
    if (input.intent === 'endSession' && ended === 0) throw new AppError('INVALID_STATE', 'account.e.sessionGone')
    if (ended > 0) {
      await recordAudit(trx, {
        action: 'auth.session_revoked',
        ...auditActor(actor),
        objectType: 'user',
        objectId: actor.userId,
        detail: { count: ended },
      })
    }
    return ended
  })
}
