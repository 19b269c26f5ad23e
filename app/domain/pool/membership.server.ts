import type { Kysely, Transaction } from 'kysely'
import type { PoolCategory, PoolMembershipStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'

/**
 * Pool membership (入库): admitted providers of an agency's 服务商资源池, valid for one
 * year from admission. Other contexts read memberships through poolMembershipsOf and
 * end them through removeFromPool (the evaluation's 移出 sanction); nothing else
 * writes pool_memberships.
 */

/** How long an admission lasts: one year (the day before the same date next year). */
export function validUntilFor(admittedOn: string): string {
  const [y, m, d] = admittedOn.split('-').map(Number) as [number, number, number]
  // 29 February: Date rolls the next year's 29 February over to 1 March, so the day before is 28 February.
  return addDays(new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10), -1)
}

export interface PoolMembershipView {
  id: number
  agencyOrgId: number
  agencyName: string
  agencyRegionCode: string
  category: PoolCategory
  industryCode: string
  admittedOn: string
  validUntil: string
  status: PoolMembershipStatus
  /** Active and not expired today (China). */
  current: boolean
  removedReason: string
}

/**
 * The provider's memberships of every agency's pool that were not removed, newest
 * first, each saying whether it is current (valid today) — the provider's public
 * page shows the current ones as 入库 badges.
 */
export async function poolMembershipsOf(
  db: Kysely<DB> | Transaction<DB>,
  providerOrgId: number,
  today: string = chinaDate(),
): Promise<PoolMembershipView[]> {
  const rows = await db
    .selectFrom('pool_memberships as m')
    .innerJoin('organisations as a', 'a.id', 'm.agency_org_id')
    .select([
      'm.id',
      'm.agency_org_id',
      'a.name as agency_name',
      'a.region_code as agency_region_code',
      'm.category',
      'm.industry_code',
      'm.admitted_on',
      'm.valid_until',
      'm.status',
      'm.removed_reason',
    ])
    .where('m.provider_org_id', '=', providerOrgId)
    .where('m.status', '=', 'active')
    .orderBy('m.admitted_on', 'desc')
    .orderBy('m.id', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    agencyOrgId: r.agency_org_id,
    agencyName: r.agency_name,
    agencyRegionCode: r.agency_region_code,
    category: r.category,
    industryCode: r.industry_code,
    admittedOn: String(r.admitted_on),
    validUntil: String(r.valid_until),
    status: r.status,
    current: r.status === 'active' && String(r.valid_until) >= today,
    removedReason: r.removed_reason,
  }))
}

export interface RemoveFromPool {
  agencyOrgId: number
  providerOrgId: number
  /** Who decided it (audited). */
  userId: number
  reason: string
}

/**
 * Ends the provider's active memberships of the agency's pool (移出): status removed,
 * with who, when and why; audited as pool.removed. Runs inside the caller's
 * transaction (the caller has checked its permission: manage:pool:own or the
 * evaluation's sanction). Returns how many memberships it ended (0: none was active).
 * A removal does not give the round's quota back: a quota counts admissions.
 */
export async function removeFromPool(trx: Transaction<DB>, input: RemoveFromPool): Promise<number> {
  const now = new Date().toISOString()
  const reason = input.reason.trim().slice(0, 500)
  const ended = await trx
    .updateTable('pool_memberships')
    .set({ status: 'removed', removed_at: now, removed_by: input.userId, removed_reason: reason })
    .where('agency_org_id', '=', input.agencyOrgId)
    .where('provider_org_id', '=', input.providerOrgId)
    .where('status', '=', 'active')
    .returning(['id'])
    .execute()
  if (ended.length > 0) {
    const agency = await trx
      .selectFrom('organisations')
      .select('region_code')
      .where('id', '=', input.agencyOrgId)
      .executeTakeFirst()
    await recordAudit(trx, {
      action: 'pool.removed',
      actorUserId: input.userId,
      actorOrgId: input.agencyOrgId,
      objectType: 'organisation',
      objectId: input.providerOrgId,
      regionCode: agency?.region_code ?? null,
      detail: { memberships: ended.length, reason },
    })
  }
  return ended.length
}
