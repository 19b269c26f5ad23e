import crypto from 'node:crypto'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type LimitedKey, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { setActiveOrg } from '../accounts/sessions.server.js'
import { recordAudit, recordRepeatedAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { actingOrgId } from './acting-org.js'
import { INVITE_CODE_ALPHABET, INVITE_CODE_LENGTH } from './schema.js'
import type { InviteItem, InvitePreview, NewInvite } from './views.js'

/*
 * Invitations: an owner hands out a link (a 256-bit token) or a short code (60 bits),
 * a signed-in person redeems it and becomes a member. Only hashes are stored, so the
 * secrets are shown once, when the invitation is made. Every redemption reserves an
 * attempt against the person and their address and gives it back when it succeeds, so
 * only wrong codes count; past the limit they get 429. Wrong codes are logged counted
 * per person and window (recordRepeatedAudit), never a row per guess. Joining an
 * agency makes a pending member, with no rights until the agency's owner confirms
 * them and their role.
 */

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
/** Failed redemptions per person, and per address (an office shares one), per window. */
export const JOIN_FAILURES_PER_USER: RateLimitRule = { limit: 10, windowMs: 15 * 60_000 }
export const JOIN_FAILURES_PER_IP: RateLimitRule = { limit: 30, windowMs: 15 * 60_000 }

/** SHA-256 (hex) of a link token or a normalised short code: what the table stores. */
export function hashInviteSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex')
}

export function newInviteToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

/** 12 characters of a 32-letter alphabet: 60 bits (32 divides 256, so no bias). */
export function newInviteCode(): string {
  return [...crypto.randomBytes(INVITE_CODE_LENGTH)].map((b) => INVITE_CODE_ALPHABET[b % INVITE_CODE_ALPHABET.length]).join('')
}

/** XXXX-XXXX-XXXX, easier to read out; typed either way. */
export function formatInviteCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code
}

/** What the person brought: the link's token, or the code they typed (normalised). */
export type InviteSecret = { token: string } | { code: string }

function secretHash(secret: InviteSecret) {
  return 'token' in secret
    ? { column: 'token_hash' as const, hash: hashInviteSecret(secret.token) }
    : { column: 'code_hash' as const, hash: hashInviteSecret(secret.code) }
}

/** The organisation's invitations that still work, for those who manage its members. */
export async function listActiveInvites(db: Database, actor: Actor, orgId: number): Promise<InviteItem[]> {
  authorize(actor, await getReferenceData(db), 'manage:members:own', { orgId })
  const rows = await db
    .selectFrom('invitations as i')
    .innerJoin('users as u', 'u.id', 'i.created_by')
    .select(['i.id', 'i.created_at', 'i.expires_at', 'i.uses', 'u.name'])
    .where('i.org_id', '=', orgId)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date().toISOString())
    .orderBy('i.id', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, expiresAt: r.expires_at, uses: r.uses, createdBy: r.name }))
}

/**
 * An owner creates an invitation to the organisation they act for, valid for a week.
 * The link's token and the code are returned this once: only their hashes are kept.
 */
export async function createInvite(db: Database, actor: Actor): Promise<NewInvite> {
  const orgId = actingOrgId(actor, 'manage:members:own')
  const ref = await getReferenceData(db)
  const now = new Date()
  const token = newInviteToken()
  const code = newInviteCode()
  return withTransaction(db, async (trx) => {
    const org = await trx.selectFrom('organisations').select(['id', 'region_code']).where('id', '=', orgId).executeTakeFirst()
    if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'manage:members:own', { orgId: org.id })
    const row = await trx
      .insertInto('invitations')
      .values({
        org_id: org.id,
        token_hash: hashInviteSecret(token),
        code_hash: hashInviteSecret(code),
        created_by: actor.userId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
      })
      .returning(['id', 'created_at', 'expires_at', 'uses'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'org.invite_created',
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: org.region_code,
      objectType: 'invitation',
      objectId: row.id,
    })
    return { id: row.id, token, code: formatInviteCode(code), expiresAt: row.expires_at }
  })
}

/** An owner of the invitation's organisation revokes it; revoking twice changes nothing. */
export async function revokeInvite(db: Database, actor: Actor, inviteId: number): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const invite = await trx
      .selectFrom('invitations as i')
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'i.revoked_at', 'o.region_code'])
      .where('i.id', '=', inviteId)
      .executeTakeFirst()
    if (!invite) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'manage:members:own', { orgId: invite.org_id })
    if (invite.revoked_at) return
    await trx
      .updateTable('invitations')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', invite.id)
      .where('revoked_at', 'is', null)
      .execute()
    await recordAudit(trx, {
      action: 'org.invite_revoked',
      ...auditActor(actor),
      actorOrgId: invite.org_id,
      regionCode: invite.region_code,
      objectType: 'invitation',
      objectId: invite.id,
    })
  })
}

function liveInvite(db: Database, secret: InviteSecret) {
  const { column, hash } = secretHash(secret)
  return db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .select(['i.id', 'i.org_id', 'o.name', 'o.kind', 'o.region_code'])
    .where(`i.${column}`, '=', hash)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date().toISOString())
    .executeTakeFirst()
}

/** What an invite link leads to, if it is still good. */
export async function previewInvite(db: Database, token: string): Promise<InvitePreview | null> {
  const row = await liveInvite(db, { token })
  return row ? { orgName: row.name, orgKind: row.kind } : null
}

function guessKeys(actor: Actor): LimitedKey[] {
  return [
    { key: `join-fail:user:${actor.userId}`, rule: JOIN_FAILURES_PER_USER },
    { key: `join-fail:ip:${actor.ip}`, rule: JOIN_FAILURES_PER_IP },
  ]
}

/** A wrong code or link: counted per person and window in the log, not a row per guess. */
async function recordFailedGuess(db: Database, actor: Actor, via: 'code' | 'link'): Promise<void> {
  await recordRepeatedAudit(db, `user:${actor.userId}`, {
    action: 'org.invite_guess_failed',
    ...auditActor(actor),
    objectType: 'invitation',
    detail: { via },
  })
}

/**
 * A signed-in person redeems a link or a code: they become a member (once; redeeming
 * again only switches to it) and the session they used acts for the organisation.
 * Joining an agency makes a pending viewer: no rights until its owner confirms.
 */
export async function acceptInvite(
  db: Database,
  actor: Actor,
  sessionIdHash: string,
  secret: InviteSecret,
): Promise<{ orgId: number; pending: boolean }> {
  // Reserved before looking anything up (atomic: a burst cannot all get through), given
  // back when the secret was good.
  const reservation = await reserve(db, guessKeys(actor))
  const found = await liveInvite(db, secret)
  if (!found) {
    await recordFailedGuess(db, actor, 'token' in secret ? 'link' : 'code')
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { code: 'join.v.invalid' } })
  }
  await reservation.release(db)
  return withTransaction(db, async (trx) => {
    // Looked up again inside the transaction: revoked or expired meanwhile is invalid too.
    const invite = await trx
      .selectFrom('invitations as i')
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'o.kind', 'o.region_code'])
      .where('i.id', '=', found.id)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', new Date().toISOString())
      .executeTakeFirst()
    if (!invite) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { code: 'join.v.invalid' } })
    const existing = await trx
      .selectFrom('memberships')
      .select('status')
      .where('user_id', '=', actor.userId)
      .where('org_id', '=', invite.org_id)
      .executeTakeFirst()
    let pending = existing?.status === 'pending'
    if (!existing) {
      pending = invite.kind === 'agency'
      await trx
        .insertInto('memberships')
        .values({
          user_id: actor.userId,
          org_id: invite.org_id,
          role: pending ? 'viewer' : 'member',
          status: pending ? 'pending' : 'active',
          created_at: new Date().toISOString(),
        })
        .execute()
      await trx
        .updateTable('invitations')
        .set((eb) => ({ uses: eb('uses', '+', 1) }))
        .where('id', '=', invite.id)
        .execute()
      await recordAudit(trx, {
        action: 'org.member_joined',
        ...auditActor(actor),
        actorOrgId: invite.org_id,
        regionCode: invite.region_code,
        objectType: 'organisation',
        objectId: invite.org_id,
        detail: { invitation: invite.id, membership: pending ? 'pending' : 'active' },
      })
    }
    await setActiveOrg(trx, sessionIdHash, invite.org_id)
    return { orgId: invite.org_id, pending }
  })
}
