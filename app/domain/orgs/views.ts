import type { AgencyLevel, MemberRole, MembershipStatus, OrgKind, OrgStatus, ProviderKind } from './schema.js'

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
  /** The application's revision: 1, and one more with every resubmission. */
  revision: number
}

export interface MemberItem {
  userId: number
  name: string
  /** Phone or e-mail, half hidden. */
  contact: string
  role: MemberRole
  /** Pending until an owner confirms them (joining an agency). */
  status: MembershipStatus
  joinedAt: string
  /** The actor may remove this member (an owner, and not themselves). */
  removable: boolean
  /** Roles the actor may confirm or set this member to; empty when they may not. */
  roleOptions: MemberRole[]
}

/** An invitation as listed: its secrets were shown once, when it was made, and are not kept. */
export interface InviteItem {
  id: number
  createdAt: string
  expiresAt: string
  uses: number
  createdBy: string
}

/** A new invitation, with the link's token and the short code: shown this once. */
export interface NewInvite {
  id: number
  token: string
  /** XXXX-XXXX-XXXX. */
  code: string
  expiresAt: string
}

/** What a still-good invite link leads to. */
export interface InvitePreview {
  orgName: string
  orgKind: OrgKind
}
