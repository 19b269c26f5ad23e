import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import type { ReferenceData } from '../reference/reference.server.js'

/*
 * The gate of every write to an enterprise's archive (一企一档) and its titles, and of
 * the edit page that prepares them: the acting organisation loaded, and the actor
 * allowed 'edit:enterprise-archive:own' on it (an enterprise, any active member, not
 * rejected).
 */

export interface EnterpriseOrg {
  id: number
  name: string
  kind: string
  status: string
  region_code: string
  uscc: string | null
  industry_code: string | null
}

export const ENTERPRISE_ORG_COLUMNS = ['id', 'name', 'kind', 'status', 'region_code', 'uscc', 'industry_code'] as const

function forbidden(): AppError {
  return new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:enterprise-archive:own' } })
}

/** The enterprise the actor acts for, once it may edit its archive; FORBIDDEN otherwise. */
export async function ownEnterprise(db: Kysely<DB>, actor: Actor, ref: ReferenceData): Promise<EnterpriseOrg> {
  if (!actor.org) throw forbidden()
  authorize(actor, ref, 'edit:enterprise-archive:own', { orgId: actor.org.orgId })
  const org = await db
    .selectFrom('organisations')
    .select(ENTERPRISE_ORG_COLUMNS)
    .where('id', '=', actor.org.orgId)
    .executeTakeFirst()
  // The session's view of the organisation is the permission's input; the row is the last word.
  if (!org || org.kind !== 'enterprise' || org.status === 'rejected') throw forbidden()
  return org
}

/** The audit log's "who and where" for a write to the enterprise's archive: filed under its region. */
export function auditFor(actor: Actor, org: Pick<EnterpriseOrg, 'id' | 'region_code'>) {
  return { ...auditActor(actor), actorOrgId: org.id, regionCode: org.region_code }
}
