import type { AgencyLevel, MemberRole, MembershipStatus, OrgKind, OrgStatus } from '../orgs/schema.js'

/** One organisation a person belongs to, as seen when they act for it. */
export interface ActingOrg {
  orgId: number
  orgName: string
  kind: OrgKind
  status: OrgStatus
  role: MemberRole
  /** 'pending' until an owner confirms the person (joining an agency): no rights but reading it. */
  membership: MembershipStatus
  regionCode: string
  agencyLevel: AgencyLevel | null
}

/**
 * Who is doing something: the person, the organisation they act for (none for a
 * person who belongs to none), the region that organisation is filed under (the
 * audit log's "where") and the address the request came from. Every use case that
 * writes or reads private data takes one and decides for itself what it may do.
 */
export interface Actor {
  userId: number
  org: ActingOrg | null
  regionCode: string | null
  ip: string
  /**
   * Every contact of the account (phone, e-mail) was verified by a code sent to it.
   * Approval rights need it (authorization.ts).
   */
  contactVerified: boolean
}

export function actorFor(userId: number, org: ActingOrg | null, ip: string, contactVerified: boolean): Actor {
  return { userId, org, regionCode: org?.regionCode ?? null, ip, contactVerified }
}

/** The audit log's "who": person, organisation, region, address. */
export function auditActor(actor: Actor) {
  return { actorUserId: actor.userId, actorOrgId: actor.org?.orgId ?? null, regionCode: actor.regionCode, ip: actor.ip }
}
