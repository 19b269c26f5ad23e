import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { enqueueNeedsOfOrg } from '../needs/search-index.server.js'
import { notify } from '../notifications/notify.server.js'
import { enqueueProviderChange } from '../providers/search-index.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { getOrgDetail, type OrgDetail } from './profile.server.js'
import type { OrgKind, OrgStatus, TAuditDecision } from './schema.js'

/**
 * An enterprise or provider the actor's agency may review: one in its jurisdiction.
 * Whether the actor reviews at all is asked first, so a non-agency learns nothing
 * about which ids exist.
 */
async function getReviewableOrg(db: Database, actor: Actor, orgId: number) {
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'review:orgs:role')
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'status', 'region_code', 'uscc', 'revision'])
    .where('id', '=', orgId)
    .executeTakeFirst()
  if (!org || org.kind === 'agency') throw new AppError('NOT_FOUND', 'audits.e.notFound')
  authorize(actor, ref, 'audit:org:jurisdiction', { regionCode: org.region_code })
  return org
}

/** Another organisation claiming the same USCC, shown beside the application under review. */
export interface CompetingApplication {
  id: number
  kind: OrgKind
  name: string
  status: OrgStatus
  regionName: string
  contactName: string
  submittedAt: string | null
  reviewedAt: string | null
  /** The actor's agency reviews it too (it lies in the jurisdiction). */
  reviewable: boolean
}

export interface ApplicationReview {
  org: OrgDetail
  /** Every other organisation naming the same code, oldest first, whatever its status or region. */
  competing: CompetingApplication[]
}

/**
 * An application as the reviewing agency sees it, beside every other claim on the
 * same USCC: a squatter's pending application and the real company's are decided
 * knowing of each other.
 */
export async function getApplication(
  db: Database,
  actor: Actor,
  orgId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ApplicationReview> {
  const org = await getReviewableOrg(db, actor, orgId)
  const detail = await getOrgDetail(db, org.id, locale)
  if (!detail) throw new AppError('NOT_FOUND', 'audits.e.notFound')
  const ref = await getReferenceData(db)
  const rows = org.uscc
    ? await db
        .selectFrom('organisations')
        .select(['id', 'kind', 'name', 'status', 'region_code', 'contact_name', 'submitted_at', 'reviewed_at'])
        .where('uscc', '=', org.uscc)
        .where('id', '<>', org.id)
        .orderBy('created_at')
        .orderBy('id')
        .limit(50)
        .execute()
    : []
  const competing = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    regionName: regionLabel(ref, r.region_code, locale),
    contactName: r.contact_name,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    reviewable: r.kind !== 'agency' && can(actor, ref, 'audit:org:jurisdiction', { regionCode: r.region_code }),
  }))
  return { org: detail, competing }
}

/**
 * The agency decides an application: the organisation becomes verified (its needs
 * become visible) or rejected with a reason its owner sees. Recorded in the audit log
 * under the applicant's region, so every agency above it sees the decision.
 *
 * The decision names the revision it was made on: if the applicant resubmitted in the
 * meantime it is refused as stale (409), so an approval approves what was reviewed.
 * A code another verified organisation holds cannot be approved a second time (409).
 * With `apply: false` the right, the state and the revision are checked and nothing is
 * written: what the confirmation step without scripts asks on.
 */
export async function decideApplication(
  db: Database,
  actor: Actor,
  orgId: number,
  decision: TAuditDecision,
  { apply = true }: { apply?: boolean } = {},
): Promise<{ name: string }> {
  const org = await getReviewableOrg(db, actor, orgId)
  if (org.status !== 'pending') {
    throw new AppError('INVALID_STATE', org.status === 'verified' ? 'audits.e.alreadyVerified' : 'audits.e.alreadyRejected')
  }
  if (org.revision !== decision.revision) throw staleDecision()
  if (!apply) return { name: org.name }
  const status = decision.intent === 'approve' ? 'verified' : 'rejected'
  const reason = decision.intent === 'reject' ? decision.reason : null
  const now = new Date().toISOString()
  try {
    await withTransaction(db, async (trx, afterCommit) => {
      if (status === 'verified' && org.uscc) {
        const holder = await trx
          .selectFrom('organisations')
          .select('id')
          .where('uscc', '=', org.uscc)
          .where('status', '=', 'verified')
          .where('id', '<>', orgId)
          .executeTakeFirst()
        if (holder) throw usccHeldElsewhere()
      }
      // The status and revision guards in the WHERE make two agencies deciding at
      // once, or a resubmission landing in between, safe.
      const result = await trx
        .updateTable('organisations')
        .set({ status, rejection_reason: reason, reviewed_at: now, reviewed_by: actor.userId, updated_at: now })
        .where('id', '=', orgId)
        .where('status', '=', 'pending')
        .where('revision', '=', decision.revision)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) {
        const current = await trx.selectFrom('organisations').select('status').where('id', '=', orgId).executeTakeFirst()
        throw current?.status === 'pending' ? staleDecision() : new AppError('INVALID_STATE', 'audits.e.decidedMeanwhile')
      }
      await recordAudit(trx, {
        ...auditActor(actor),
        action: status === 'verified' ? 'org.approved' : 'org.rejected',
        objectType: 'organisation',
        objectId: orgId,
        regionCode: org.region_code,
        detail: reason === null ? { revision: decision.revision } : { revision: decision.revision, reason },
      })
      // Its owners learn the decision in the bell (and by e-mail or SMS as they chose).
      await notify(db, trx, afterCommit, {
        kind: status === 'verified' ? 'org_approved' : 'org_rejected',
        orgId,
        params: { org: org.name },
        link: '/org',
      })
      // Its needs become visible (or stay hidden): re-index them once this commits.
      await enqueueNeedsOfOrg(trx, afterCommit, orgId)
      // A provider enters the directory (or stays out of it).
      if (org.kind === 'provider') await enqueueProviderChange(trx, afterCommit, orgId)
    })
  } catch (error) {
    // Two approvals of one code racing: the partial unique index lets one through.
    const violation = uniqueViolation(error)
    if (violation && (violation.columns.includes('uscc') || violation.constraint === 'organisations_uscc_verified_uq')) {
      throw usccHeldElsewhere()
    }
    throw error
  }
  return { name: org.name }
}

function staleDecision(): AppError {
  return new AppError('CONFLICT', 'audits.e.stale', { fieldErrors: { intent: 'audits.e.stale' } })
}

function usccHeldElsewhere(): AppError {
  return new AppError('CONFLICT', 'audits.e.usccVerifiedElsewhere', { fieldErrors: { intent: 'audits.e.usccVerifiedElsewhere' } })
}
