import { AppError } from '../../utils/errors.js'
import { isInJurisdiction } from '../reference/jurisdiction.js'
import type { ReferenceData } from '../reference/reference.server.js'
import type { ActingOrg, Actor } from './actor.js'

/**
 * Every permission the platform grants, `action:object:scope`, with its scope:
 * - `own`: the object belongs to the actor's organisation — checked against the
 *   object's organisation id, so "owner of the active org" can never stand in for
 *   "owner of this object";
 * - `jurisdiction`: the object lies in the actor's agency region or below — checked
 *   against the object's region;
 * - `role`: decided by who the actor is alone (kind, status, role of its organisation);
 *   lists that follow from such a permission are narrowed by the query itself.
 * The types make the object mandatory for `own` and `jurisdiction`.
 */
export const PERMISSION_SCOPES = {
  'read:org:own': 'own',
  'update:org:own': 'own',
  'manage:members:own': 'own',
  'review:orgs:role': 'role',
  'audit:org:jurisdiction': 'jurisdiction',
  'read:auditlog:role': 'role',
  'publish:need:own': 'own',
  'bid:need:role': 'role',
  'read:need-restricted:role': 'role',
  'edit:provider-profile:own': 'own',
  'manage:templates:own': 'own',
  'manage:consortium:own': 'own',
  'read:org-files:jurisdiction': 'jurisdiction',
  'edit:enterprise-archive:own': 'own',
  'read:enterprise-archive:jurisdiction': 'jurisdiction',
  'engage:diagnoser:own': 'own',
  'assign:diagnoser:jurisdiction': 'jurisdiction',
  'diagnose:enterprise:own': 'own',
  'confirm:diagnosis-report:own': 'own',
  'rate:diagnosis:own': 'own',
  'review:diagnosis-survey:jurisdiction': 'jurisdiction',
  'read:need-matches:own': 'own',
  'read:need-matches:jurisdiction': 'jurisdiction',
  'invite:provider:own': 'own',
  'recommend:provider:jurisdiction': 'jurisdiction',
  'tune:matching:jurisdiction': 'jurisdiction',
  'read:recommended-needs:own': 'own',
  'manage:bid:own': 'own',
  'read:bids:own': 'own',
  'read:bids:jurisdiction': 'jurisdiction',
  'award:bid:own': 'own',
  'read:contract:own': 'own',
  'confirm:contract:own': 'own',
  'supervise:contract:own': 'own',
  'read:contract:jurisdiction': 'jurisdiction',
  'appoint:supervisor:jurisdiction': 'jurisdiction',
  'resolve:dispute:jurisdiction': 'jurisdiction',
  'manage:event:own': 'own',
  'read:event:jurisdiction': 'jurisdiction',
  'join:event:role': 'role',
  'manage:experts:own': 'own',
  'manage:pool:own': 'own',
  'apply:pool:own': 'own',
  'manage:evaluation:own': 'own',
  'appeal:evaluation:own': 'own',
  'read:evaluation:own': 'own',
  'manage:targets:own': 'own',
  'report:target-actuals:jurisdiction': 'jurisdiction',
  'read:targets:jurisdiction': 'jurisdiction',
  'read:dashboard:role': 'role',
  'export:agency-lists:role': 'role',
  'import:agency-lists:role': 'role',
  'read:policy-tools:role': 'role',
  'review:title:jurisdiction': 'jurisdiction',
  'manage:voucher:jurisdiction': 'jurisdiction',
  'read:voucher:jurisdiction': 'jurisdiction',
  'confirm:voucher:own': 'own',
  'claim:voucher:own': 'own',
  'signoff:voucher:own': 'own',
} as const

export type Permission = keyof typeof PERMISSION_SCOPES
type Scope<P extends Permission> = (typeof PERMISSION_SCOPES)[P]

export interface OwnTarget {
  orgId: number
}
export interface JurisdictionTarget {
  regionCode: string
}
export type TargetOf<P extends Permission> =
  Scope<P> extends 'own' ? OwnTarget : Scope<P> extends 'jurisdiction' ? JurisdictionTarget : never
/** The object argument: required for `own` and `jurisdiction`, absent for `role`. */
export type TargetArgs<P extends Permission> = Scope<P> extends 'role' ? [] : [target: TargetOf<P>]

/**
 * Approval rights: deciding who may list on the platform. They need, beyond the role,
 * an account whose phone and e-mail (whichever it has) were verified by a code sent to
 * them (Actor.contactVerified), so nobody who merely registered someone else's number
 * or address can approve or reject.
 */
export const APPROVAL_RIGHTS: ReadonlySet<Permission> = new Set<Permission>(['review:orgs:role', 'audit:org:jurisdiction'])

function isVerifiedAgency(org: ActingOrg): boolean {
  return org.kind === 'agency' && org.status === 'verified'
}

/** Agency roles: owners and reviewers decide applications; viewers only read. */
function reviews(org: ActingOrg): boolean {
  return isVerifiedAgency(org) && (org.role === 'owner' || org.role === 'reviewer')
}

function isJurisdictionTarget(target: unknown): target is JurisdictionTarget {
  return typeof (target as JurisdictionTarget | undefined)?.regionCode === 'string'
}

// The types demand the object; a caller that casts its way past them still gets "no".
function decide(org: ActingOrg, permission: Permission, target: unknown, ref: ReferenceData): boolean {
  const own = (target as OwnTarget | undefined)?.orgId === org.orgId
  // An unconfirmed member (joined an agency, its owner has not confirmed them yet) may
  // see the organisation and nothing more.
  if (org.membership !== 'active') return permission === 'read:org:own' && own
  switch (permission) {
    case 'read:org:own':
      return own
    case 'update:org:own':
    case 'manage:members:own':
      return own && org.role === 'owner'
    case 'review:orgs:role':
      return reviews(org)
    case 'read:auditlog:role':
      return isVerifiedAgency(org)
    case 'audit:org:jurisdiction':
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'publish:need:own':
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'bid:need:role':
      return org.kind === 'provider' && org.status === 'verified'
    case 'read:need-restricted:role':
      return (org.kind === 'provider' || org.kind === 'agency') && org.status === 'verified'
    case 'edit:provider-profile:own':
      // Profile, qualifications and cases of a verified provider: any active member.
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'manage:templates:own':
      // A provider's own templates (any active member); an agency's official ones (owners and reviewers).
      return own && org.status === 'verified' && (org.kind === 'provider' || reviews(org))
    case 'manage:consortium:own':
      // Forming a consortium, or answering an invitation to one, commits the organisation: owners only.
      return own && org.kind === 'provider' && org.status === 'verified' && org.role === 'owner'
    case 'read:org-files:jurisdiction':
      // Private files (qualification scans …) of an organisation in the agency's region or below.
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'edit:enterprise-archive:own':
      // 一企一档: any active member of the enterprise, verified or still waiting for its audit.
      return own && org.kind === 'enterprise' && org.status !== 'rejected'
    case 'read:enterprise-archive:jurisdiction':
      // An enterprise's archive, diagnoses and drafts: agencies over its region (viewers too).
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'engage:diagnoser:own':
      // Choosing, accepting or dismissing a diagnoser commits the enterprise: its owners.
      return own && org.kind === 'enterprise' && org.status === 'verified' && org.role === 'owner'
    case 'assign:diagnoser:jurisdiction':
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'diagnose:enterprise:own':
      // The diagnosing provider's side of a project (the use case also requires the 诊断咨询机构 kind).
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'confirm:diagnosis-report:own':
      // 签字盖章: the enterprise's owner confirms (or returns) a report.
      return own && org.kind === 'enterprise' && org.status === 'verified' && org.role === 'owner'
    case 'rate:diagnosis:own':
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'review:diagnosis-survey:jurisdiction':
      // 主管部门审核意见 on a satisfaction survey.
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'read:need-matches:own':
      // The match list of a need: members of the enterprise that owns it (drafts included).
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'read:need-matches:jurisdiction':
      // …and the agencies over the need's region (viewers too).
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'invite:provider:own':
      // 邀请投标: any active member of the verified enterprise that owns the need.
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'recommend:provider:jurisdiction':
      // 推荐对接: owners and reviewers of an agency over the need's region.
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'tune:matching:jurisdiction':
      // The matching weights of the agency's own region (target: the agency's region).
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'read:recommended-needs:own':
      // 推荐需求, invitations and saved searches of a verified provider: any active member.
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'manage:bid:own':
      // A bid (方案) of the provider: read, revise, withdraw; 我的投标 — any active member of the verified bidder.
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'read:bids:own':
      // The bids on a need (收到的方案): any active member of the verified enterprise that owns it.
      return own && org.kind === 'enterprise' && org.status === 'verified'
    case 'read:bids:jurisdiction':
      // …and the agencies over the need's region (viewers too).
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'award:bid:own':
      // Awarding a need commits the enterprise: the owners of the verified enterprise that owns it.
      return own && org.kind === 'enterprise' && org.status === 'verified' && org.role === 'owner'
    case 'read:contract:own':
      // A party to a contract (the enterprise or the provider, target: that party's org):
      // any active member reads it, edits the draft, submits milestones, opens disputes, rates.
      return own && (org.kind === 'enterprise' || org.kind === 'provider') && org.status === 'verified'
    case 'confirm:contract:own':
      // 电子确认 commits the party: its owners.
      return own && (org.kind === 'enterprise' || org.kind === 'provider') && org.status === 'verified' && org.role === 'owner'
    case 'supervise:contract:own':
      // The appointed 监理机构 (target: the contract's supervisor org): any active member.
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'read:contract:jurisdiction':
      // Contracts of needs in the agency's region or below (viewers too).
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'appoint:supervisor:jurisdiction':
    case 'resolve:dispute:jurisdiction':
      // Appointing a supervisor, resolving a dispute: owners and reviewers of an agency over the contract's region.
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'manage:event:own':
      // A matchmaking event (供需对接会) is run by the agency that organises it (target: the
      // organiser): its owners and reviewers; every stage, the batch, experts, intents.
      return own && reviews(org)
    case 'read:event:jurisdiction':
      // Events of the agency's region or below (the organiser's viewers, the province over a city's event).
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'join:event:role':
      // Taking part in an event: a verified enterprise (puts its needs forward, meets providers)
      // or provider (registers, books site visits, meets enterprises): any active member. The
      // use case checks the object (its own need, its own registration, the event's stage).
      return (org.kind === 'enterprise' || org.kind === 'provider') && org.status === 'verified'
    case 'manage:experts:own':
    case 'manage:pool:own':
    case 'manage:evaluation:own':
    case 'manage:targets:own':
      // The agency's own 专家库, 服务商资源池, evaluation scheme and results, district targets
      // (target: the agency itself): its owners and reviewers.
      return own && reviews(org)
    case 'apply:pool:own':
    case 'appeal:evaluation:own':
      // Applying to an agency's provider pool, appealing an evaluation commit the provider
      // (target: the provider itself): its owners.
      return own && org.kind === 'provider' && org.status === 'verified' && org.role === 'owner'
    case 'read:evaluation:own':
      // Reading evaluations (target: the agency, or the provider evaluated): any active member of
      // the verified agency (viewers too: schemes, results, appeals, sanctions) or of the provider
      // (its own published results and sanctions).
      return own && org.status === 'verified' && (org.kind === 'agency' || org.kind === 'provider')
    case 'report:target-actuals:jurisdiction':
      // Actual counts with evidence for a district's targets (target: the district): owners and
      // reviewers of an agency over it (the district's own agency, the city above it).
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'read:targets:jurisdiction':
      // A district's targets, actuals and points (target: the district): any verified member of an
      // agency over it (viewers too) — the city that set them, the district's own agency, the province.
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'read:dashboard:role':
    case 'export:agency-lists:role':
      // The dashboard and Excel exports of an agency's lists: any verified agency member
      // (viewers too); the query narrows to the jurisdiction.
      return isVerifiedAgency(org)
    case 'import:agency-lists:role':
      // Importing enterprises and diagnosis records writes: owners and reviewers; each row must
      // lie in the jurisdiction (checked per row).
      return reviews(org)
    case 'read:policy-tools:role':
      // The 项目培育库 and the titles view (issue 16): any verified agency member (viewers too);
      // the queries narrow to the jurisdiction.
      return isVerifiedAgency(org)
    case 'review:title:jurisdiction':
      // 复核 of a title (passed / downgraded / revoked), target: the enterprise's region: owners
      // and reviewers of an agency over it.
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'manage:voucher:jurisdiction':
      // 服务券: issuing, cancelling and releasing the subsidy (target: the enterprise's region):
      // owners and reviewers of an agency over it.
      return isJurisdictionTarget(target) && reviews(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'read:voucher:jurisdiction':
      return isJurisdictionTarget(target) && isVerifiedAgency(org) && isInJurisdiction(ref, org.regionCode, target.regionCode)
    case 'confirm:voucher:own':
      // The enterprise confirms the service was completed (target: the voucher's enterprise): its owners.
      return own && org.kind === 'enterprise' && org.status === 'verified' && org.role === 'owner'
    case 'claim:voucher:own':
      // The provider attaches its stage evidence (target: the voucher's provider): any active member.
      return own && org.kind === 'provider' && org.status === 'verified'
    case 'signoff:voucher:own':
      // The supervisor (监理) signs the service off (target: the supervisor's org): any active member.
      return own && org.kind === 'provider' && org.status === 'verified'
  }
}

/** May the actor do this (to this object)? Pure: the caller supplies the reference data. */
export function can<P extends Permission>(
  actor: Actor | null,
  ref: ReferenceData,
  permission: P,
  ...target: TargetArgs<P>
): boolean {
  if (!actor?.org) return false
  if (APPROVAL_RIGHTS.has(permission) && !actor.contactVerified) return false
  return decide(actor.org, permission, target[0], ref)
}

/**
 * The use case's gate: returns the organisation the actor acts for, or throws
 * FORBIDDEN (the route wrapper answers 403 and records the denial with the
 * permission's name).
 */
export function authorize<P extends Permission>(
  actor: Actor,
  ref: ReferenceData,
  permission: P,
  ...target: TargetArgs<P>
): ActingOrg {
  if (!actor.org || !decide(actor.org, permission, target[0], ref)) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission } })
  }
  if (APPROVAL_RIGHTS.has(permission) && !actor.contactVerified) {
    throw new AppError('FORBIDDEN', 'accounts.verify.requiredForApproval', {
      detail: { permission, reason: 'contact-unverified' },
    })
  }
  return actor.org
}
