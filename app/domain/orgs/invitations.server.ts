import crypto from 'node:crypto'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { setActiveOrg } from '../accounts/sessions.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { actingOrgId } from './acting-org.js'
import type { InviteItem, InvitePreview } from './views.js'

/*
 * Invitations: an owner hands out a code (or a /join/:code link), a signed-in person
 * redeems it and becomes a member.
 */

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function newInviteCode(): string {
  const bytes = crypto.randomBytes(8)
  return [...bytes].map((b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('')
}

/** The organisation's invitations that still work, for those who manage its members. */
export async function listActiveInvites(db: Database, actor: Actor, orgId: number): Promise<InviteItem[]> {
  authorize(actor, await getReferenceData(db), 'manage:members:own', { orgId })
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'code', 'created_at', 'expires_at', 'uses'])
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
    .orderBy('id', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, code: r.code, createdAt: r.created_at, expiresAt: r.expires_at, uses: r.uses }))
}

/** An owner creates an invitation to the organisation they act for, valid for a week. */
export async function createInvite(db: Database, actor: Actor): Promise<InviteItem> {
  const orgId = actingOrgId(actor, 'manage:members:own')
  const ref = await getReferenceData(db)
  const now = new Date()
  return withTransaction(db, async (trx) => {
    const org = await trx.selectFrom('organisations').select(['id', 'region_code']).where('id', '=', orgId).executeTakeFirst()
    if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'manage:members:own', { orgId: org.id })
    const row = await trx
      .insertInto('invitations')
      .values({
        org_id: org.id,
        code: newInviteCode(),
        created_by: actor.userId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
      })
      .returning(['id', 'code', 'created_at', 'expires_at', 'uses'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'org.invite_created',
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: org.region_code,
      objectType: 'invitation',
      objectId: row.id,
    })
    return { id: row.id, code: row.code, createdAt: row.created_at, expiresAt: row.expires_at, uses: row.uses }
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

/** What an invite code leads to, if it is still good. */
export async function previewInvite(db: Database, code: string): Promise<InvitePreview | null> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .select(['i.code', 'o.name', 'o.kind'])
    .where('i.code', '=', code)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date().toISOString())
    .executeTakeFirst()
  return row ? { code: row.code, orgName: row.name, orgKind: row.kind } : null
}

/**
 * A signed-in person redeems a code: they become a member (once; redeeming again
 * only switches to it) and the session they used acts for the organisation.
 */
export async function acceptInvite(db: Database, actor: Actor, sessionIdHash: string, code: string): Promise<{ orgId: number }> {
  return withTransaction(db, async (trx) => {
    const invite = await trx
      .selectFrom('invitations as i')
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'o.region_code'])
      .where('i.code', '=', code)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', new Date().toISOString())
      .executeTakeFirst()
    if (!invite) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { code: 'join.v.invalid' } })
    const existing = await trx
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', actor.userId)
      .where('org_id', '=', invite.org_id)
      .executeTakeFirst()
    if (!existing) {
      await trx
        .insertInto('memberships')
        .values({ user_id: actor.userId, org_id: invite.org_id, role: 'member', created_at: new Date().toISOString() })
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
        detail: { invitation: invite.id },
      })
    }
    await setActiveOrg(trx, sessionIdHash, invite.org_id)
    return { orgId: invite.org_id }
  })
}
