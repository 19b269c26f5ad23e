import crypto from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Viewer } from '../../utils/permissions.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import type { AgencyLevel, OrgKind, OrgStatus, ProviderKind, TOrgInput } from './schema.js'

export interface OrgDetail {
  id: number
  kind: OrgKind
  name: string
  uscc: string | null
  status: OrgStatus
  rejectionReason: string | null
  regionCode: string
  regionName: string
  industryCode: string | null
  industryName: string | null
  providerKinds: ProviderKind[]
  agencyLevel: AgencyLevel | null
  contactName: string
  contactPhone: string
  description: string
  createdAt: string
  submittedAt: string | null
  reviewedAt: string | null
}

export async function getOrgDetail(db: Database, orgId: number): Promise<OrgDetail | null> {
  const row = await db
    .selectFrom('organisations as o')
    .leftJoin('industries as i', 'i.code', 'o.industry_code')
    .selectAll('o')
    .select('i.name as industry_name')
    .where('o.id', '=', orgId)
    .executeTakeFirst()
  if (!row) return null
  const ref = await getReferenceData(db)
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    uscc: row.uscc,
    status: row.status,
    rejectionReason: row.rejection_reason,
    regionCode: row.region_code,
    regionName: regionLabel(ref, row.region_code),
    industryCode: row.industry_code,
    industryName: row.industry_name,
    providerKinds: JSON.parse(row.provider_kinds) as ProviderKind[],
    agencyLevel: row.agency_level,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    description: row.description,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
  }
}

/** Checks what zod cannot: the region and industry exist, the USCC is not taken. */
async function assertOrgInputRefs(db: Database, input: TOrgInput, exceptOrgId?: number) {
  const ref = await getReferenceData(db)
  const region = ref.regionsByCode.get(input.region)
  if (!region || region.level === 'province') {
    throw new AppError('VALIDATION', '请检查标记的字段', { fieldErrors: { region: '请选择到市或区县一级' } })
  }
  if (input.kind === 'enterprise' && !ref.industries.some((i) => i.code === input.industry)) {
    throw new AppError('VALIDATION', '请检查标记的字段', { fieldErrors: { industry: '请选择所属行业' } })
  }
  let q = db.selectFrom('organisations').select('id').where('uscc', '=', input.uscc)
  if (exceptOrgId !== undefined) q = q.where('id', '!=', exceptOrgId)
  if (await q.executeTakeFirst()) {
    throw new AppError('CONFLICT', '该统一社会信用代码已被注册', {
      fieldErrors: { uscc: '该统一社会信用代码已被注册；如属本单位，请联系本单位管理员邀请您加入' },
    })
  }
}

function orgColumns(input: TOrgInput) {
  return {
    kind: input.kind,
    name: input.name,
    uscc: input.uscc,
    region_code: input.region,
    industry_code: input.kind === 'enterprise' ? (input.industry ?? null) : null,
    provider_kinds: JSON.stringify(input.kind === 'provider' ? input.providerKinds : []),
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
    description: input.description,
  }
}

/** A person registers an enterprise or provider: it starts pending, they own it. */
export async function createOrganisation(
  db: Database,
  viewer: Viewer,
  input: TOrgInput,
  ip: string,
): Promise<{ orgId: number }> {
  await assertOrgInputRefs(db, input)
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .insertInto('organisations')
      .values({ ...orgColumns(input), status: 'pending', created_at: now, submitted_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('memberships').values({ user_id: viewer.user.id, org_id: org.id, role: 'owner', created_at: now }).execute()
    await trx.updateTable('sessions').set({ active_org_id: org.id }).where('id_hash', '=', viewer.session.idHash).execute()
    await recordAudit(trx, {
      action: 'org.created',
      actorUserId: viewer.user.id,
      actorOrgId: org.id,
      objectType: 'organisation',
      objectId: org.id,
      regionCode: input.region,
      ip,
      detail: { kind: input.kind, name: input.name },
    })
    return { orgId: org.id }
  })
}

/** The owner corrects a rejected (or still pending) application and sends it back to the queue. */
export async function resubmitOrganisation(
  db: Database,
  viewer: Viewer,
  orgId: number,
  input: TOrgInput,
  ip: string,
): Promise<void> {
  const org = await db.selectFrom('organisations').select(['status', 'kind']).where('id', '=', orgId).executeTakeFirst()
  if (!org) throw new AppError('NOT_FOUND', '组织不存在')
  if (org.status === 'verified') throw new AppError('INVALID_STATE', '已通过审核的组织无需重新提交')
  if (org.kind !== input.kind) throw new AppError('VALIDATION', '组织类型不能更改', { fieldErrors: { kind: '组织类型不能更改' } })
  await assertOrgInputRefs(db, input, orgId)
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('organisations')
      .set({ ...orgColumns(input), status: 'pending', rejection_reason: null, submitted_at: now, updated_at: now })
      .where('id', '=', orgId)
      .execute()
    await recordAudit(trx, {
      action: 'org.resubmitted',
      actorUserId: viewer.user.id,
      actorOrgId: orgId,
      objectType: 'organisation',
      objectId: orgId,
      regionCode: input.region,
      ip,
      detail: { previousStatus: org.status },
    })
  })
}

export interface MemberItem {
  userId: number
  name: string
  contact: string
  role: 'owner' | 'member'
  joinedAt: string
}

/** Phone and e-mail are half hidden: members see who, not how to reach them. */
function maskContact(phone: string | null, email: string | null): string {
  if (phone) return `${phone.slice(0, 3)}****${phone.slice(7)}`
  if (email) {
    const [local = '', domain = ''] = email.split('@')
    return `${local.slice(0, 2)}***@${domain}`
  }
  return ''
}

export async function listMembers(db: Database, orgId: number): Promise<MemberItem[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.phone', 'u.email', 'm.role', 'm.created_at'])
    .where('m.org_id', '=', orgId)
    .orderBy('m.created_at')
    .execute()
  return rows.map((r) => ({
    userId: r.id,
    name: r.name,
    contact: maskContact(r.phone, r.email),
    role: r.role,
    joinedAt: r.created_at,
  }))
}

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function newInviteCode(): string {
  const bytes = crypto.randomBytes(8)
  return [...bytes].map((b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('')
}

export interface InviteItem {
  id: number
  code: string
  createdAt: string
  expiresAt: string
  uses: number
}

export async function listActiveInvites(db: Database, orgId: number): Promise<InviteItem[]> {
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

export async function createInvite(db: Database, viewer: Viewer, orgId: number, ip: string): Promise<InviteItem> {
  const now = new Date()
  const code = newInviteCode()
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('invitations')
      .values({
        org_id: orgId,
        code,
        created_by: viewer.user.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
      })
      .returning(['id', 'code', 'created_at', 'expires_at', 'uses'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'org.invite_created',
      actorUserId: viewer.user.id,
      actorOrgId: orgId,
      objectType: 'invitation',
      objectId: row.id,
      regionCode: await orgRegion(trx, orgId),
      ip,
    })
    return { id: row.id, code: row.code, createdAt: row.created_at, expiresAt: row.expires_at, uses: row.uses }
  })
}

export async function revokeInvite(db: Database, viewer: Viewer, orgId: number, inviteId: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    const invite = await trx
      .selectFrom('invitations')
      .select(['id', 'org_id', 'revoked_at'])
      .where('id', '=', inviteId)
      .executeTakeFirst()
    if (!invite) throw new AppError('NOT_FOUND', '邀请不存在')
    if (invite.org_id !== orgId) throw new AppError('FORBIDDEN', '您没有权限执行此操作')
    if (invite.revoked_at) return
    await trx.updateTable('invitations').set({ revoked_at: new Date().toISOString() }).where('id', '=', inviteId).execute()
    await recordAudit(trx, {
      action: 'org.invite_revoked',
      actorUserId: viewer.user.id,
      actorOrgId: orgId,
      objectType: 'invitation',
      objectId: inviteId,
      regionCode: await orgRegion(trx, orgId),
      ip,
    })
  })
}

export interface InvitePreview {
  code: string
  orgName: string
  orgKind: OrgKind
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

export async function acceptInvite(db: Database, viewer: Viewer, code: string, ip: string): Promise<{ orgId: number }> {
  return db.transaction().execute(async (trx) => {
    const invite = await trx
      .selectFrom('invitations as i')
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'o.region_code'])
      .where('i.code', '=', code)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', new Date().toISOString())
      .executeTakeFirst()
    if (!invite) {
      throw new AppError('VALIDATION', '邀请码无效或已过期', { fieldErrors: { code: '邀请码无效或已过期，请向组织管理员索取新的邀请码' } })
    }
    const existing = await trx
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', viewer.user.id)
      .where('org_id', '=', invite.org_id)
      .executeTakeFirst()
    if (!existing) {
      await trx
        .insertInto('memberships')
        .values({ user_id: viewer.user.id, org_id: invite.org_id, role: 'member', created_at: new Date().toISOString() })
        .execute()
      await trx.updateTable('invitations').set((eb) => ({ uses: eb('uses', '+', 1) })).where('id', '=', invite.id).execute()
      await recordAudit(trx, {
        action: 'org.member_joined',
        actorUserId: viewer.user.id,
        actorOrgId: invite.org_id,
        objectType: 'organisation',
        objectId: invite.org_id,
        regionCode: invite.region_code,
        ip,
        detail: { invitation: invite.id },
      })
    }
    await trx.updateTable('sessions').set({ active_org_id: invite.org_id }).where('id_hash', '=', viewer.session.idHash).execute()
    return { orgId: invite.org_id }
  })
}

export async function removeMember(db: Database, viewer: Viewer, orgId: number, userId: number, ip: string) {
  await db.transaction().execute(async (trx) => {
    const members = await trx.selectFrom('memberships').select(['user_id', 'role']).where('org_id', '=', orgId).execute()
    const target = members.find((m) => m.user_id === userId)
    if (!target) throw new AppError('NOT_FOUND', '该成员不在本组织')
    const owners = members.filter((m) => m.role === 'owner')
    if (target.role === 'owner' && owners.length <= 1) {
      throw new AppError('INVALID_STATE', '组织至少需要一位管理员，不能移除唯一的管理员')
    }
    await trx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute()
    // Their sessions stop acting for this organisation at once.
    await trx
      .updateTable('sessions')
      .set({ active_org_id: null })
      .where('user_id', '=', userId)
      .where('active_org_id', '=', orgId)
      .execute()
    await recordAudit(trx, {
      action: 'org.member_removed',
      actorUserId: viewer.user.id,
      actorOrgId: orgId,
      objectType: 'user',
      objectId: userId,
      regionCode: await orgRegion(trx, orgId),
      ip,
    })
  })
}

export async function switchActiveOrg(db: Database, viewer: Viewer, orgId: number, ip: string) {
  const membership = viewer.memberships.find((m) => m.orgId === orgId)
  if (!membership) throw new AppError('FORBIDDEN', '您不是该组织的成员')
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ active_org_id: orgId }).where('id_hash', '=', viewer.session.idHash).execute()
    await recordAudit(trx, {
      action: 'org.switched',
      actorUserId: viewer.user.id,
      actorOrgId: orgId,
      objectType: 'organisation',
      objectId: orgId,
      regionCode: membership.regionCode,
      ip,
    })
  })
}

/** The region an organisation's events are filed under in the audit log. */
async function orgRegion(db: Database | Transaction<DB>, orgId: number): Promise<string> {
  const org = await db.selectFrom('organisations').select('region_code').where('id', '=', orgId).executeTakeFirstOrThrow()
  return org.region_code
}
