/*
 * The enumerations the schema's CHECK constraints hold, defined once: the row types
 * below (db/types.ts) and the domain's zod schemas and labels (app/domain/orgs/schema.ts
 * re-exports them) are derived from these lists. Migrations are frozen and spell their
 * CHECKs out; tests/integration compares them with these lists.
 */
export const ORG_KINDS = ['enterprise', 'provider', 'agency'] as const
export type OrgKind = (typeof ORG_KINDS)[number]

export const ORG_STATUSES = ['pending', 'verified', 'rejected'] as const
export type OrgStatus = (typeof ORG_STATUSES)[number]

export const AGENCY_LEVELS = ['province', 'city', 'county'] as const
export type AgencyLevel = (typeof AGENCY_LEVELS)[number]

/**
 * Roles of a membership. Enterprises and providers have owners and members; agencies
 * have owners, reviewers (decide applications) and viewers (read only).
 */
export const MEMBER_ROLES = ['owner', 'member', 'reviewer', 'viewer'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]
export const AGENCY_ROLES = ['owner', 'reviewer', 'viewer'] as const satisfies readonly MemberRole[]
export const COMPANY_ROLES = ['owner', 'member'] as const satisfies readonly MemberRole[]

/** A membership is pending until an owner confirms it (joining an agency), then active. */
export const MEMBERSHIP_STATUSES = ['pending', 'active'] as const
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number]
