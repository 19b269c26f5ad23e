import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { setActiveOrg } from '../accounts/sessions.server.js'
import { recordAudit, sanitizeAuditText } from '../audit/audit-log.server.js'
import { enqueueNeedsOfOrg } from '../needs/search-index.server.js'
import { enqueueProviderChange } from '../providers/search-index.server.js'
import { overseeingRegions } from '../reference/jurisdiction.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  regionLabel,
  regionPickerData,
  type ReferenceData,
  type RegionPickerData,
} from '../reference/reference.server.js'
import { actingOrgId } from './acting-org.js'
import { listActiveInvites } from './invitations.server.js'
import { listMembers } from './members.server.js'
import type { ProviderKind, TOrgContactInput, TOrgInput, TOrgRegistrationInput } from './schema.js'
import type { MembershipStatus } from './schema.js'
import type { InviteItem, MemberItem, OrgDetail } from './views.js'

export type { OrgDetail } from './views.js'

/*
 * An organisation's profile: what it registered with, applying (创建组织), correcting
 * and resubmitting after a rejection, a verified organisation's own edits, and the
 * overview its members see on /org. Deciding an application is onboarding.server.ts;
 * members and invitations have their own modules.
 *
 * A verified enterprise or provider edits its profile on /org/edit in two parts, its
 * owners only ('update:org:own'):
 * - its contact person, contact phone and description are its own words, which no
 *   agency vouches for: saved at once (updateOrgContact), recorded before → after as
 *   org.profile_updated; the revision stays, as there is no application under review.
 * - its registration is what the agency's approval vouches for: name, credit code
 *   (USCC), region (which also chooses the reviewing agency) and what it does (an
 *   enterprise's industry, a provider's kinds). A change sends the organisation back to
 *   review (changeOrgRegistration): status 'pending', revision + 1 (a decision made on
 *   the earlier revision is refused as stale), submitted again, recorded before → after
 *   as org.registration_changed under the new region. Until it is approved again it is
 *   out of public lists and search, its needs are hidden from the hall and their pages,
 *   and a provider loses what verification gave it (needs for verified providers only,
 *   bidding): the form asks first and says so.
 * Why not a change request pending while the organisation stays verified: the proposed
 * values would need a place of their own (a schema change) and a second review flow;
 * going back to review reuses the one that exists, and nothing unreviewed is ever shown
 * as verified. Its cost: while pending the organisation no longer holds its credit code
 * (the unique index covers verified organisations only), so another claim on the same
 * code could be approved meanwhile; the reviewing agency sees such claims side by side,
 * and approving this one again is then refused (audits.e.usccVerifiedElsewhere).
 * A pending or rejected application is corrected whole and resubmitted
 * (resubmitOrganisation): its contact is part of what the agency is about to decide on,
 * so it is not edited apart from the rest.
 */

/** An organisation's profile, with its region and industry named in `locale`. */
export async function getOrgDetail(db: Database, orgId: number, locale: Locale = DEFAULT_LOCALE): Promise<OrgDetail | null> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirst()
  if (!row) return null
  const ref = await getReferenceData(db)
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    uscc: row.uscc,
    status: row.status,
    rejectionReason: row.rejection_reason,
    regionCode: row.region_code,
    regionName: regionLabel(ref, row.region_code, locale),
    industryCode: row.industry_code,
    industryName: row.industry_code ? industryName(ref, row.industry_code, locale) : null,
    providerKinds: JSON.parse(row.provider_kinds) as ProviderKind[],
    agencyLevel: row.agency_level,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    description: row.description,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
    revision: row.revision,
  }
}

/** The choices the organisation form offers: regions (opened at `regionCode`) and industries. */
export interface OrgFormChoices {
  regions: RegionPickerData
  industries: { code: string; name: string }[]
}

export async function getOrgFormChoices(
  db: Database,
  regionCode?: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<OrgFormChoices> {
  const ref = await getReferenceData(db)
  return { regions: regionPickerData(ref, regionCode, locale), industries: industryOptions(ref, locale) }
}

/** What zod cannot check: the region exists below province level, the industry exists. */
function assertOrgInputRefs(ref: ReferenceData, input: Pick<TOrgInput, 'kind' | 'region' | 'industry'>): void {
  const region = ref.regionsByCode.get(input.region)
  if (!region || region.level === 'province') {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { region: 'org.v.regionLevel' } })
  }
  if (input.kind === 'enterprise' && !ref.industries.some((i) => i.code === input.industry)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { industry: 'org.v.industry' } })
  }
}

/**
 * A USCC is unique among verified organisations only (index
 * organisations_uscc_verified_uq): a pending or rejected claim must not lock the real
 * company out, so several applications may name one code and the agency sees them side
 * by side. A code a verified organisation holds is refused here, on its field.
 */
function usccTaken(): AppError {
  return new AppError('CONFLICT', 'errors.validationOne', { fieldErrors: { uscc: 'org.v.usccTaken' } })
}

async function assertUsccFree(trx: Transaction<DB>, uscc: string, exceptOrgId?: number): Promise<void> {
  const holder = await trx
    .selectFrom('organisations')
    .select('id')
    .where('uscc', '=', uscc)
    .where('status', '=', 'verified')
    .$if(exceptOrgId !== undefined, (q) => q.where('id', '<>', exceptOrgId!))
    .executeTakeFirst()
  if (holder) throw usccTaken()
}

/** The partial unique index is the last word when an approval races the check above. */
function usccTakenOr(error: unknown): unknown {
  const violation = uniqueViolation(error)
  const onUscc =
    violation !== null &&
    ((violation.table === 'organisations' && violation.columns.includes('uscc')) ||
      violation.constraint === 'organisations_uscc_verified_uq')
  return onUscc ? usccTaken() : error
}

/** Applications per person and per address: claiming codes in bulk is not free. */
export const APPLICATIONS_PER_USER: RateLimitRule = { limit: 5, windowMs: 24 * 60 * 60_000 }
export const APPLICATIONS_PER_IP: RateLimitRule = { limit: 20, windowMs: 60 * 60_000 }

const applicationKeys = (actor: Actor) => [
  { key: `org-apply:user:${actor.userId}`, rule: APPLICATIONS_PER_USER },
  { key: `org-apply:ip:${actor.ip}`, rule: APPLICATIONS_PER_IP },
]

/** The reviewed columns: who the organisation is and what it does. */
function registrationColumns(input: TOrgRegistrationInput) {
  return {
    name: input.name,
    uscc: input.uscc,
    region_code: input.region,
    industry_code: input.kind === 'enterprise' ? (input.industry ?? null) : null,
    provider_kinds: JSON.stringify(input.kind === 'provider' ? input.providerKinds : []),
  }
}

/** The organisation's own words: how to reach it, what it says of itself. */
function contactColumns(input: TOrgContactInput) {
  return { contact_name: input.contactName, contact_phone: input.contactPhone, description: input.description }
}

function orgColumns(input: TOrgInput) {
  return { kind: input.kind, ...registrationColumns(input), ...contactColumns(input) }
}

/**
 * A person applies for an enterprise or provider: it starts pending, they own it,
 * and the session they applied from acts for it from now on.
 */
export async function createOrganisation(
  db: Database,
  actor: Actor,
  sessionIdHash: string,
  input: TOrgInput,
): Promise<{ orgId: number }> {
  assertOrgInputRefs(await getReferenceData(db), input)
  // Reserved atomically before anything is written; given back when nothing was made.
  const reservation = await reserve(db, applicationKeys(actor))
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      await assertUsccFree(trx, input.uscc)
      const org = await trx
        .insertInto('organisations')
        .values({ ...orgColumns(input), status: 'pending', created_at: now, submitted_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('memberships')
        .values({ user_id: actor.userId, org_id: org.id, role: 'owner', created_at: now })
        .execute()
      await setActiveOrg(trx, sessionIdHash, org.id)
      await recordAudit(trx, {
        action: 'org.created',
        ...auditActor(actor),
        // Filed under the new organisation and its region: that region's agency reviews it.
        actorOrgId: org.id,
        regionCode: input.region,
        objectType: 'organisation',
        objectId: org.id,
        detail: { kind: input.kind, name: input.name, uscc: input.uscc },
      })
      return { orgId: org.id }
    })
  } catch (error) {
    await reservation.release(db)
    throw error
  }
}

/** Agencies are not audited, and a verified organisation has nothing to resubmit. */
function isResubmittable(org: Pick<OrgDetail, 'kind' | 'status'>): boolean {
  return org.kind !== 'agency' && org.status !== 'verified'
}

/** A verified enterprise or provider edits its contact at once and its registration through review. */
function isProfileEditable(org: Pick<OrgDetail, 'kind' | 'status'>): boolean {
  return org.kind !== 'agency' && org.status === 'verified'
}

/** The application's fields as the audit log names them, for a before → after record. */
const AUDITED_FIELDS = {
  name: 'name',
  uscc: 'uscc',
  region: 'region_code',
  industry: 'industry_code',
  providerKinds: 'provider_kinds',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
  description: 'description',
} as const

type AuditedColumn = (typeof AUDITED_FIELDS)[keyof typeof AUDITED_FIELDS]

/** One side of a change as the log keeps it: one line, bounded, — when empty; lists read as a, b. */
function auditValue(column: AuditedColumn, value: string | null): string {
  const text = column === 'provider_kinds' ? (JSON.parse(value ?? '[]') as string[]).join(', ') : (value ?? '')
  const clean = sanitizeAuditText(text, 1000).replace(/\s+/g, ' ').trim()
  if (!clean) return '—'
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean
}

/**
 * A value as compared: a list of provider kinds by its members (PostgreSQL's jsonb gives
 * back `["a", "b"]`, spaced, where JSON.stringify wrote `["a","b"]`; the order is no change).
 */
function comparable(column: AuditedColumn, value: string | null): string | null {
  if (column !== 'provider_kinds') return value
  return JSON.stringify(((JSON.parse(value ?? '[]') as string[]) ?? []).slice().sort())
}

/** What an edit changed, field by field: `{ name: 'before → after', … }`, of the columns `after` names. */
function changesOf(
  before: Record<AuditedColumn, string | null>,
  after: Partial<Record<AuditedColumn, string | null>>,
): Record<string, string> {
  const changes: Record<string, string> = {}
  for (const [field, column] of Object.entries(AUDITED_FIELDS)) {
    if (!(column in after) || comparable(column, before[column]) === comparable(column, after[column] ?? null)) continue
    changes[field] = `${auditValue(column, before[column])} → ${auditValue(column, after[column] ?? null)}`
  }
  return changes
}

/**
 * The owner of the organisation the actor acts for corrects its rejected (or still
 * pending) application and sends it back to the queue. The revision goes up, so a
 * decision made on what the agency saw before is refused as stale; the audit entry
 * records what changed, before → after.
 */
export async function resubmitOrganisation(db: Database, actor: Actor, input: TOrgInput): Promise<void> {
  const orgId = actingOrgId(actor, 'update:org:own')
  const ref = await getReferenceData(db)
  try {
    await withTransaction(db, async (trx, afterCommit) => {
      const org = await loadOrgToEdit(trx, actor, ref, orgId)
      if (!isResubmittable(org)) throw new AppError('INVALID_STATE', 'org.error.notResubmittable')
      assertKindKept(org, input)
      assertOrgInputRefs(ref, input)
      await assertUsccFree(trx, input.uscc, org.id)
      const columns = orgColumns(input)
      if (!(await sendBackToReview(trx, org, columns))) throw new AppError('INVALID_STATE', 'org.error.notResubmittable')
      const changes = changesOf(org, columns)
      await recordAudit(trx, {
        action: 'org.resubmitted',
        ...auditActor(actor),
        actorOrgId: org.id,
        regionCode: input.region,
        objectType: 'organisation',
        objectId: org.id,
        detail: {
          previousStatus: org.status,
          revision: org.revision + 1,
          changed: Object.keys(changes).join(',') || '-',
          ...changes,
        },
      })
      // Its needs' documents carry the organisation's name and region.
      await enqueueNeedsOfOrg(trx, afterCommit, org.id)
      if (org.kind === 'provider') await enqueueProviderChange(trx, afterCommit, org.id)
    })
  } catch (error) {
    throw usccTakenOr(error)
  }
}

/** The organisation an edit is about, as it is now, once the actor may edit it (its owner). */
async function loadOrgToEdit(trx: Transaction<DB>, actor: Actor, ref: ReferenceData, orgId: number) {
  const org = await trx
    .selectFrom('organisations')
    .select([
      'id',
      'status',
      'kind',
      'revision',
      'name',
      'uscc',
      'region_code',
      'industry_code',
      'provider_kinds',
      'contact_name',
      'contact_phone',
      'description',
    ])
    .where('id', '=', orgId)
    .executeTakeFirst()
  if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
  authorize(actor, ref, 'update:org:own', { orgId: org.id })
  return org
}

/** A verified organisation's edit refused because it is no longer (or not yet) verified. */
function notVerified(): AppError {
  return new AppError('INVALID_STATE', 'org.error.notVerified')
}

type OrgToEdit = Awaited<ReturnType<typeof loadOrgToEdit>>

/** The kind is fixed once applied for: an input naming another is refused on its field. */
function assertKindKept(org: OrgToEdit, input: { kind: string }): void {
  if (org.kind !== input.kind) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { kind: 'org.v.kindLocked' } })
  }
}

/**
 * Writes the corrected columns and sends the organisation back to the agency's queue:
 * pending, its rejection cleared, the revision up. Guarded by the status and revision it
 * was read with, so a decision landing in between wins and nothing is overwritten:
 * false when nothing was written.
 */
async function sendBackToReview(
  trx: Transaction<DB>,
  org: OrgToEdit,
  columns: ReturnType<typeof registrationColumns> | ReturnType<typeof orgColumns>,
): Promise<boolean> {
  const now = new Date().toISOString()
  const result = await trx
    .updateTable('organisations')
    .set({
      ...columns,
      status: 'pending',
      rejection_reason: null,
      submitted_at: now,
      updated_at: now,
      revision: org.revision + 1,
    })
    .where('id', '=', org.id)
    .where('status', '=', org.status)
    .where('revision', '=', org.revision)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * The owner of a verified enterprise or provider changes its contact person, phone and
 * description: at once, no review (see the top of this module). The audit entry
 * records what changed, before → after; nothing changed writes nothing.
 */
export async function updateOrgContact(db: Database, actor: Actor, input: TOrgContactInput): Promise<{ changed: string[] }> {
  const orgId = actingOrgId(actor, 'update:org:own')
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx, afterCommit) => {
    const org = await loadOrgToEdit(trx, actor, ref, orgId)
    if (!isProfileEditable(org)) throw notVerified()
    const columns = contactColumns(input)
    const changes = changesOf(org, columns)
    const changed = Object.keys(changes)
    if (changed.length === 0) return { changed }
    // The guards: an edit that meets the organisation sent back to review meanwhile changes nothing.
    const result = await trx
      .updateTable('organisations')
      .set({ ...columns, updated_at: new Date().toISOString() })
      .where('id', '=', org.id)
      .where('status', '=', 'verified')
      .where('revision', '=', org.revision)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw notVerified()
    await recordAudit(trx, {
      action: 'org.profile_updated',
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: org.region_code,
      objectType: 'organisation',
      objectId: org.id,
      detail: { revision: org.revision, changed: changed.join(','), ...changes },
    })
    if (org.kind === 'provider') {
      // The capability profile form (/provider/profile) edits the same contact: a form
      // filled in before this change must be refused as stale, not write the old contact back.
      await trx
        .updateTable('provider_profiles')
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('org_id', '=', org.id)
        .execute()
      // A provider's directory entry shows its description.
      if (changes.description) await enqueueProviderChange(trx, afterCommit, org.id)
    }
    return { changed }
  })
}

/**
 * The owner of a verified enterprise or provider changes its registration (name,
 * credit code, region, industry or provider kinds): the organisation goes back to
 * review (see the top of this module). With `apply: false` everything is checked (the
 * right, the state, the input, the code not held by another verified organisation,
 * something changed) and nothing is written: what the confirmation step shows.
 */
export async function changeOrgRegistration(
  db: Database,
  actor: Actor,
  input: TOrgRegistrationInput,
  { apply }: { apply: boolean },
): Promise<{ changed: string[]; revision: number }> {
  const orgId = actingOrgId(actor, 'update:org:own')
  const ref = await getReferenceData(db)
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const org = await loadOrgToEdit(trx, actor, ref, orgId)
      if (!isProfileEditable(org)) throw notVerified()
      assertKindKept(org, input)
      assertOrgInputRefs(ref, input)
      const columns = registrationColumns(input)
      const changes = changesOf(org, columns)
      const changed = Object.keys(changes)
      // Going back to review for nothing helps nobody.
      if (changed.length === 0) throw new AppError('VALIDATION', 'org.v.registrationUnchanged')
      await assertUsccFree(trx, input.uscc, org.id)
      if (!apply) return { changed, revision: org.revision }
      if (!(await sendBackToReview(trx, org, columns))) throw notVerified()
      await recordAudit(trx, {
        action: 'org.registration_changed',
        ...auditActor(actor),
        actorOrgId: org.id,
        // Filed under the region it now names: that region's agency reviews it.
        regionCode: input.region,
        objectType: 'organisation',
        objectId: org.id,
        detail: { previousStatus: org.status, revision: org.revision + 1, changed: changed.join(','), ...changes },
      })
      // Its needs leave the hall until it is approved again; their documents carry its name and region.
      await enqueueNeedsOfOrg(trx, afterCommit, org.id)
      // A provider leaves the directory until then, too.
      if (org.kind === 'provider') await enqueueProviderChange(trx, afterCommit, org.id)
      return { changed, revision: org.revision + 1 }
    })
  } catch (error) {
    throw usccTakenOr(error)
  }
}

/**
 * /org/edit: a pending or rejected application to correct and resubmit, or a verified
 * organisation's profile to edit; null for an agency (nothing to edit here).
 */
export async function getOrgForEdit(
  db: Database,
  actor: Actor,
  locale: Locale = DEFAULT_LOCALE,
): Promise<(OrgFormChoices & { org: OrgDetail; mode: 'resubmit' | 'update' }) | null> {
  const org = await getOrgDetail(db, actingOrgId(actor, 'update:org:own'), locale)
  if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'update:org:own', { orgId: org.id })
  const mode = isResubmittable(org) ? 'resubmit' : isProfileEditable(org) ? 'update' : null
  if (!mode) return null
  return { org, mode, regions: regionPickerData(ref, org.regionCode, locale), industries: industryOptions(ref, locale) }
}

export interface OrgOverview {
  /** Null for a person who belongs to no organisation. */
  org: OrgDetail | null
  /** The actor's own membership: pending until an owner confirms them (an agency). */
  membership: MembershipStatus | null
  /** Empty for a member still waiting to be confirmed. */
  members: MemberItem[]
  /** Active invitations; only for those who manage members. */
  invites: InviteItem[]
  canManageMembers: boolean
  canResubmit: boolean
  /** A verified enterprise's or provider's owner: its contact and registration can be edited (/org/edit). */
  canEditProfile: boolean
  /** While an application waits: the verified agencies whose jurisdiction covers it, nearest first. */
  reviewingAgencies: string[]
}

/** The verified agencies of a region and of every region above it, nearest first: who reviews an application there. */
async function reviewingAgencies(db: Database, ref: ReferenceData, regionCode: string): Promise<string[]> {
  const overseers = overseeingRegions(ref, regionCode)
  if (overseers.length === 0) return []
  const rows = await db
    .selectFrom('organisations')
    .select(['name', 'region_code'])
    .where('kind', '=', 'agency')
    .where('status', '=', 'verified')
    .where('region_code', 'in', overseers)
    .orderBy('id')
    .execute()
  return rows.sort((a, b) => overseers.indexOf(a.region_code) - overseers.indexOf(b.region_code)).map((r) => r.name)
}

/** /org: the organisation the actor acts for, its members and, for owners, its invitations. */
export async function getOrgOverview(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<OrgOverview> {
  if (!actor.org) {
    return {
      org: null,
      membership: null,
      members: [],
      invites: [],
      canManageMembers: false,
      canResubmit: false,
      canEditProfile: false,
      reviewingAgencies: [],
    }
  }
  const org = await getOrgDetail(db, actor.org.orgId, locale)
  if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'read:org:own', { orgId: org.id })
  const canManageMembers = can(actor, ref, 'manage:members:own', { orgId: org.id })
  const membership = actor.org.membership
  const [members, invites] = await Promise.all([
    membership === 'active' ? listMembers(db, actor, org.id) : Promise.resolve([]),
    canManageMembers ? listActiveInvites(db, actor, org.id) : Promise.resolve([]),
  ])
  return {
    org,
    membership,
    members,
    invites,
    canManageMembers,
    canResubmit: isResubmittable(org) && can(actor, ref, 'update:org:own', { orgId: org.id }),
    canEditProfile: isProfileEditable(org) && can(actor, ref, 'update:org:own', { orgId: org.id }),
    reviewingAgencies: org.status === 'pending' && org.kind !== 'agency' ? await reviewingAgencies(db, ref, org.regionCode) : [],
  }
}
