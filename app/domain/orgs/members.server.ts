import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { detachSessionsFromOrg } from '../accounts/sessions.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { actingOrgId } from './acting-org.js'
import { rolesFor, type MemberRole } from './schema.js'
import type { MemberItem } from './views.js'

/** Phone and e-mail are half hidden: members see who, not how to reach them. */
function maskContact(phone: string | null, email: string | null): string {
  if (phone) return `${phone.slice(0, 3)}****${phone.slice(7)}`
  if (email) {
    const [local = '', domain = ''] = email.split('@')
    return `${local.slice(0, 2)}***@${domain}`
  }
  return ''
}

/**
 * The members of an organisation, for its own members; owners may remove anyone but
 * themselves, and confirm or change the role of anyone but themselves.
 */
export async function listMembers(db: Database, actor: Actor, orgId: number): Promise<MemberItem[]> {
  const ref = await getReferenceData(db)
  const acting = authorize(actor, ref, 'read:org:own', { orgId })
  const canManage = can(actor, ref, 'manage:members:own', { orgId })
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.phone', 'u.email', 'm.role', 'm.status', 'm.created_at'])
    .where('m.org_id', '=', orgId)
    .orderBy('m.created_at')
    .execute()
  const roles = rolesFor(acting.kind)
  return rows.map((r) => {
    const manageable = canManage && r.id !== actor.userId
    return {
      userId: r.id,
      name: r.name,
      contact: maskContact(r.phone, r.email),
      role: r.role,
      status: r.status,
      joinedAt: r.created_at,
      removable: manageable,
      // Agencies' roles decide what a member may do there; companies' members are set on joining.
      roleOptions: manageable && acting.kind === 'agency' ? [...roles] : [],
    }
  })
}

/**
 * An owner confirms a pending member with a role, or changes a member's role, in the
 * organisation they act for. Roles follow the organisation's kind (an agency's owner,
 * reviewer, viewer); nobody changes their own role, so an owner always remains.
 */
export async function setMemberRole(db: Database, actor: Actor, userId: number, role: MemberRole): Promise<void> {
  const orgId = actingOrgId(actor, 'manage:members:own')
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const target = await trx
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['m.user_id', 'm.org_id', 'm.role', 'm.status', 'o.kind', 'o.region_code'])
      .where('m.org_id', '=', orgId)
      .where('m.user_id', '=', userId)
      .executeTakeFirst()
    if (!target) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'manage:members:own', { orgId: target.org_id })
    if (target.user_id === actor.userId) throw new AppError('INVALID_STATE', 'org.error.ownRole')
    if (!rolesFor(target.kind).includes(role)) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { role: 'org.v.role' } })
    }
    if (target.status === 'active' && target.role === role) return
    await trx
      .updateTable('memberships')
      .set({ role, status: 'active' })
      .where('org_id', '=', target.org_id)
      .where('user_id', '=', target.user_id)
      .execute()
    await recordAudit(trx, {
      action: target.status === 'pending' ? 'org.member_confirmed' : 'org.member_role_changed',
      ...auditActor(actor),
      actorOrgId: target.org_id,
      regionCode: target.region_code,
      objectType: 'user',
      objectId: target.user_id,
      detail: target.status === 'pending' ? { role } : { from: target.role, to: role },
    })
  })
}

/**
 * An owner removes a member of the organisation they act for. The membership is
 * loaded first and the permission checked against its organisation; the last owner
 * stays. The removed person's sessions stop acting for the organisation at once.
 */
export async function removeMember(db: Database, actor: Actor, userId: number): Promise<void> {
  const orgId = actingOrgId(actor, 'manage:members:own')
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const target = await trx
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['m.user_id', 'm.org_id', 'm.role', 'o.region_code'])
      .where('m.org_id', '=', orgId)
      .where('m.user_id', '=', userId)
      .executeTakeFirst()
    if (!target) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'manage:members:own', { orgId: target.org_id })
    if (target.role === 'owner') {
      const owners = await trx
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', target.org_id)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow()
      if (Number(owners.n) <= 1) throw new AppError('INVALID_STATE', 'org.error.lastOwner')
    }
    await trx.deleteFrom('memberships').where('org_id', '=', target.org_id).where('user_id', '=', target.user_id).execute()
    await detachSessionsFromOrg(trx, target.user_id, target.org_id)
    await recordAudit(trx, {
      action: 'org.member_removed',
      ...auditActor(actor),
      actorOrgId: target.org_id,
      regionCode: target.region_code,
      objectType: 'user',
      objectId: target.user_id,
    })
  })
}
