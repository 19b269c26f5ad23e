import type { AgencyLevel, MemberRole, OrgKind, OrgStatus, ProviderKind } from './schema.js'

/*
 * What the organisation use cases hand to screens: plain data, no server code, so
 * components (rendered in the browser too) can name these types.
 */

/** An organisation as its members and its reviewing agency see it. */
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

export interface MemberItem {
  userId: number
  name: string
  /** Phone or e-mail, half hidden. */
  contact: string
  role: MemberRole
  joinedAt: string
  /** The actor may remove this member (an owner, and not themselves). */
  removable: boolean
}

export interface InviteItem {
  id: number
  code: string
  createdAt: string
  expiresAt: string
  uses: number
}

/** What a still-good invite code leads to. */
export interface InvitePreview {
  code: string
  orgName: string
  orgKind: OrgKind
}
