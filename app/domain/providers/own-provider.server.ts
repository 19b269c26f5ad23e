import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import type { ReferenceData } from '../reference/reference.server.js'

/*
 * The gate of every write to a provider's profile, qualifications and cases (and of
 * the workspace pages that prepare them): the organisation the object belongs to,
 * loaded, and the actor allowed 'edit:provider-profile:own' on it (a verified
 * provider, any active member). Shared by profile.server.ts, qualifications.server.ts
 * and cases.server.ts.
 */

export interface ProviderOrg {
  id: number
  name: string
  kind: string
  status: string
  region_code: string
  provider_kinds: string
  contact_name: string
  contact_phone: string
  description: string
  revision: number
}

/** The organisation columns a ProviderOrg holds. */
export const PROVIDER_ORG_COLUMNS = [
  'id',
  'name',
  'kind',
  'status',
  'region_code',
  'provider_kinds',
  'contact_name',
  'contact_phone',
  'description',
  'revision',
] as const

/** The provider `orgId`, once the actor may edit its profile; NOT_FOUND for no such organisation, else FORBIDDEN. */
export async function ownProvider(db: Kysely<DB>, actor: Actor, ref: ReferenceData, orgId: number): Promise<ProviderOrg> {
  const org = await db.selectFrom('organisations').select(PROVIDER_ORG_COLUMNS).where('id', '=', orgId).executeTakeFirst()
  if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
  authorize(actor, ref, 'edit:provider-profile:own', { orgId: org.id })
  // The session's view of the organisation is the permission's input; the row is the last word.
  if (org.kind !== 'provider' || org.status !== 'verified') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:provider-profile:own' } })
  }
  return org
}

/** The organisation the workspace pages (/provider/…) are about: the one the actor acts for. */
export function actingProviderId(actor: Actor): number {
  if (!actor.org) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:provider-profile:own' } })
  }
  return actor.org.orgId
}

/** The audit log's "who and where" for a write to the provider's own things: filed under its region. */
export function auditFor(actor: Actor, org: Pick<ProviderOrg, 'id' | 'region_code'>) {
  return { ...auditActor(actor), actorOrgId: org.id, regionCode: org.region_code }
}

/** One side of a change as the log keeps it: one line, bounded, — when empty. */
export function auditText(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  const clean = text.replace(/\s+/g, ' ').trim()
  if (!clean) return '—'
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean
}

/** `before → after`, for the fields that changed. */
export function changeText(
  before: string | number | boolean | null | undefined,
  after: string | number | boolean | null | undefined,
) {
  return `${auditText(before)} → ${auditText(after)}`
}
