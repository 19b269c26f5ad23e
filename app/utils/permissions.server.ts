import type { AppLoadContext } from '@remix-run/node'
import type { Database } from '../../db/connection.js'
import { getReferenceData, regionPath, type ReferenceData } from '../domain/reference/reference.server.js'
import { AppError } from './errors.js'
import { getCurrentSession, redirectToLogin, type CurrentSession } from './session.server.js'

export type OrgKind = 'enterprise' | 'provider' | 'agency'
export type OrgStatus = 'pending' | 'verified' | 'rejected'
export type MemberRole = 'owner' | 'member'

export interface MembershipView {
  orgId: number
  orgName: string
  kind: OrgKind
  status: OrgStatus
  role: MemberRole
  regionCode: string
  agencyLevel: 'province' | 'city' | 'county' | null
}

export interface Viewer {
  user: { id: number; name: string; phone: string | null; email: string | null }
  session: CurrentSession
  memberships: MembershipView[]
  /** The organisation the user acts for now; null when they belong to none. */
  activeOrg: MembershipView | null
}

export async function getViewer(db: Database, request: Request): Promise<Viewer | null> {
  const session = await getCurrentSession(db, request)
  if (!session) return null
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'phone', 'email'])
    .where('id', '=', session.userId)
    .executeTakeFirst()
  if (!user) return null
  const memberships = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select([
      'o.id as orgId',
      'o.name as orgName',
      'o.kind',
      'o.status',
      'm.role',
      'o.region_code as regionCode',
      'o.agency_level as agencyLevel',
    ])
    .where('m.user_id', '=', user.id)
    .orderBy('m.created_at')
    .execute()
  const activeOrg = memberships.find((m) => m.orgId === session.activeOrgId) ?? memberships[0] ?? null
  return { user, session, memberships, activeOrg }
}

/** Who acted, for which organisation, filed under its region: the audit log's "who". */
export function actorOf(viewer: Viewer, ip: string) {
  return {
    actorUserId: viewer.user.id,
    actorOrgId: viewer.activeOrg?.orgId ?? null,
    regionCode: viewer.activeOrg?.regionCode ?? null,
    ip,
  }
}

/** The signed-in viewer, or a redirect to the sign-in page that comes back here. */
export async function requireViewer(db: Database, request: Request): Promise<Viewer> {
  const viewer = await getViewer(db, request)
  if (!viewer) throw redirectToLogin(request)
  return viewer
}

/**
 * Every permission the platform grants, by name: `action:object:scope`. `own` means
 * the object belongs to the viewer's active organisation; `jurisdiction` means it
 * lies in the active agency's region or below.
 */
export type Permission =
  | 'read:org:own'
  | 'update:org:own'
  | 'manage:members:own'
  | 'audit:org:jurisdiction'
  | 'read:auditlog:jurisdiction'
  | 'publish:need:own'
  | 'bid:need:any'
  | 'read:need:restricted'

export interface PermissionTarget {
  orgId?: number
  regionCode?: string
}

/** Is `regionCode` the agency's region or inside it? */
export function isInJurisdiction(ref: ReferenceData, agencyRegion: string, regionCode: string): boolean {
  return regionPath(ref, regionCode).some((r) => r.code === agencyRegion)
}

/** All region codes an agency of `agencyRegion` oversees (itself and everything below). */
export function jurisdictionCodes(ref: ReferenceData, agencyRegion: string): string[] {
  const codes: string[] = []
  const stack = [agencyRegion]
  while (stack.length) {
    const code = stack.pop()!
    codes.push(code)
    for (const child of ref.childrenByCode.get(code) ?? []) stack.push(child.code)
  }
  return codes
}

export function can(viewer: Viewer, permission: Permission, ref: ReferenceData, target: PermissionTarget = {}): boolean {
  const org = viewer.activeOrg
  if (!org) return false
  const own = target.orgId === undefined || target.orgId === org.orgId
  const isAgency = org.kind === 'agency' && org.status === 'verified'
  switch (permission) {
    case 'read:org:own':
      return own
    case 'update:org:own':
    case 'manage:members:own':
      return own && org.role === 'owner'
    case 'audit:org:jurisdiction':
    case 'read:auditlog:jurisdiction':
      return isAgency && (target.regionCode === undefined || isInJurisdiction(ref, org.regionCode, target.regionCode))
    case 'publish:need:own':
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'bid:need:any':
      return org.kind === 'provider' && org.status === 'verified'
    case 'read:need:restricted':
      return (org.kind === 'provider' || org.kind === 'agency') && org.status === 'verified'
  }
}

/** Throws FORBIDDEN (recorded by the route wrapper) unless the viewer may. */
export async function requirePermission(
  db: Database,
  viewer: Viewer,
  permission: Permission,
  target: PermissionTarget = {},
): Promise<MembershipView> {
  const ref = await getReferenceData(db)
  if (!can(viewer, permission, ref, target) || !viewer.activeOrg) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission } })
  }
  return viewer.activeOrg
}

export type { AppLoadContext }
