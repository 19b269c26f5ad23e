import { sql } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { enqueueNeedsOfOrg } from '../needs/search-index.server.js'
import { narrowedJurisdiction } from '../reference/jurisdiction.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { getOrgDetail, type OrgDetail } from './profile.server.js'
import { SELF_SERVICE_ORG_KINDS, type OrgKind, type OrgStatus, type TAuditDecision, type TAuditQueueParams } from './schema.js'

export const AUDIT_QUEUE_PAGE_SIZE = 20

export interface AuditQueueItem {
  id: number
  kind: OrgKind
  name: string
  uscc: string | null
  regionName: string
  status: OrgStatus
  submittedAt: string | null
  reviewedAt: string | null
}

export interface AuditQueue {
  items: AuditQueueItem[]
  total: number
  page: number
  pageCount: number
  counts: Record<OrgStatus, number>
}

export interface AuditQueuePage {
  queue: AuditQueue
  /** The region filter: the agency's own region and the level below it. */
  regionOptions: { code: string; name: string }[]
}

/**
 * The audit queue of the actor's agency: enterprises and providers in its
 * jurisdiction (narrowed to `params.region` when that lies inside it), oldest
 * application first.
 */
export async function listAuditQueue(db: Database, actor: Actor, params: TAuditQueueParams): Promise<AuditQueuePage> {
  const ref = await getReferenceData(db)
  const agency = authorize(actor, ref, 'review:orgs:role')
  const regions = narrowedJurisdiction(ref, agency.regionCode, params.region)
  const base = db
    .selectFrom('organisations')
    .where('kind', 'in', SELF_SERVICE_ORG_KINDS)
    .where('region_code', 'in', regions.length ? regions : [''])
    .$if(params.kind !== undefined, (q) => q.where('kind', '=', params.kind!))
    .$if(params.q !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('name', 'like', sql<string>`'%' || ${escapeLike(params.q!)} || '%' escape '\\'`),
          eb('uscc', '=', params.q!.toUpperCase()),
        ]),
      ),
    )
  const [countRows, total, rows] = await Promise.all([
    base
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    base
      .where('status', '=', params.status)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    base
      .where('status', '=', params.status)
      .select(['id', 'kind', 'name', 'uscc', 'region_code', 'status', 'submitted_at', 'reviewed_at'])
      .orderBy(params.status === 'pending' ? 'submitted_at' : 'reviewed_at', params.status === 'pending' ? 'asc' : 'desc')
      .orderBy('id')
      .limit(AUDIT_QUEUE_PAGE_SIZE)
      .offset((params.page - 1) * AUDIT_QUEUE_PAGE_SIZE)
      .execute(),
  ])
  const counts: Record<OrgStatus, number> = { pending: 0, verified: 0, rejected: 0 }
  for (const c of countRows) counts[c.status] = c.n
  const regionOptions = [ref.regionsByCode.get(agency.regionCode), ...(ref.childrenByCode.get(agency.regionCode) ?? [])]
    .filter((r) => r !== undefined)
    .map((r) => ({ code: r.code, name: r.name }))
  return {
    queue: {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        uscc: r.uscc,
        regionName: regionLabel(ref, r.region_code),
        status: r.status,
        submittedAt: r.submitted_at,
        reviewedAt: r.reviewed_at,
      })),
      total: total.n,
      page: params.page,
      pageCount: Math.max(1, Math.ceil(total.n / AUDIT_QUEUE_PAGE_SIZE)),
      counts,
    },
    regionOptions,
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

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
    .select(['id', 'name', 'kind', 'status', 'region_code'])
    .where('id', '=', orgId)
    .executeTakeFirst()
  if (!org || org.kind === 'agency') throw new AppError('NOT_FOUND', 'audits.e.notFound')
  authorize(actor, ref, 'audit:org:jurisdiction', { regionCode: org.region_code })
  return org
}

/** An application as the reviewing agency sees it. */
export async function getApplication(db: Database, actor: Actor, orgId: number): Promise<OrgDetail> {
  const org = await getReviewableOrg(db, actor, orgId)
  const detail = await getOrgDetail(db, org.id)
  if (!detail) throw new AppError('NOT_FOUND', 'audits.e.notFound')
  return detail
}

/**
 * The agency decides an application: the organisation becomes verified (its needs
 * become visible) or rejected with a reason its owner sees. Recorded in the audit log
 * under the applicant's region, so every agency above it sees the decision.
 */
export async function decideApplication(
  db: Database,
  actor: Actor,
  orgId: number,
  decision: TAuditDecision,
): Promise<{ name: string }> {
  const org = await getReviewableOrg(db, actor, orgId)
  if (org.status !== 'pending') {
    throw new AppError('INVALID_STATE', org.status === 'verified' ? 'audits.e.alreadyVerified' : 'audits.e.alreadyRejected')
  }
  const status = decision.intent === 'approve' ? 'verified' : 'rejected'
  const reason = decision.intent === 'reject' ? decision.reason : null
  const now = new Date().toISOString()
  await withTransaction(db, async (trx, afterCommit) => {
    // The status guard in the WHERE makes two agencies deciding at once safe.
    const result = await trx
      .updateTable('organisations')
      .set({ status, rejection_reason: reason, reviewed_at: now, reviewed_by: actor.userId, updated_at: now })
      .where('id', '=', orgId)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('INVALID_STATE', 'audits.e.decidedMeanwhile')
    await recordAudit(trx, {
      ...auditActor(actor),
      action: status === 'verified' ? 'org.approved' : 'org.rejected',
      objectType: 'organisation',
      objectId: orgId,
      regionCode: org.region_code,
      detail: reason === null ? undefined : { reason },
    })
    // Its needs become visible (or stay hidden): re-index them once this commits.
    await enqueueNeedsOfOrg(trx, afterCommit, orgId)
  })
  return { name: org.name }
}
