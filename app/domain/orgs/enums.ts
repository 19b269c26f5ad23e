/*
 * The organisations context's plain enumerations: safe to import from components and
 * route components, which run in the browser (schema.ts holds the zod schemas and
 * stays on the server side; it re-exports these for the modules that import it).
 */
import { AGENCY_ROLES, COMPANY_ROLES, type MemberRole, type OrgKind } from '../../../db/enums.js'

// The enumerations the database constrains are defined once, in db/enums.ts.
export {
  AGENCY_LEVELS,
  AGENCY_ROLES,
  COMPANY_ROLES,
  MEMBER_ROLES,
  MEMBERSHIP_STATUSES,
  ORG_KINDS,
  ORG_STATUSES,
} from '../../../db/enums.js'
export type { AgencyLevel, MemberRole, MembershipStatus, OrgKind, OrgStatus } from '../../../db/enums.js'

/** The roles an organisation of this kind hands out: agencies review, companies don't. */
export function rolesFor(kind: OrgKind): readonly MemberRole[] {
  return kind === 'agency' ? AGENCY_ROLES : COMPANY_ROLES
}

/** Kinds a person may register themselves; agencies are created by an administrator. */
export const SELF_SERVICE_ORG_KINDS = ['enterprise', 'provider'] as const

export const PROVIDER_KINDS = ['equipment', 'it_engineering', 'integrator', 'consultancy', 'supervisor'] as const
export type ProviderKind = (typeof PROVIDER_KINDS)[number]
