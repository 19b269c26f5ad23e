import { sql } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { isInJurisdiction, jurisdictionCodes, requirePermission, type Viewer } from '../../utils/permissions.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { enqueueNeedsOfOrg } from '../needs/search-index.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { getOrgDetail, type OrgDetail } from './orgs.server.js'
import type { OrgKind, OrgStatus, TAuditQueueParams } from './schema.js'

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

/** Enterprises and providers in the agency's jurisdiction, oldest application first. */
export async function listAuditQueue(db: Database, agencyRegion: string, params: TAuditQueueParams): Promise<AuditQueue> {
  const ref = await getReferenceData(db)
  let regions = jurisdictionCodes(ref, agencyRegion)
  if (params.region) regions = isInJurisdiction(ref, agencyRegion, params.region) ? jurisdictionCodes(ref, params.region) : []
  const base = db
    .selectFrom('organisations')
    .where('kind', 'in', ['enterprise', 'provider'])
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
    base.select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute(),
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
  return {
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
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** An enterprise or provider the viewer's agency may review: one in its jurisdiction. */
async function getReviewableOrg(db: Database, viewer: Viewer, orgId: number) {
  await requirePermission(db, viewer, 'audit:org:jurisdiction')
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'status', 'region_code'])
    .where('id', '=', orgId)
    .executeTakeFirst()
  if (!org || org.kind === 'agency') throw new AppError('NOT_FOUND', '组织不存在')
  await requirePermission(db, viewer, 'audit:org:jurisdiction', { regionCode: org.region_code })
  return org
}

/** An application as the reviewing agency sees it. */
export async function getApplication(db: Database, viewer: Viewer, orgId: number): Promise<OrgDetail> {
  const org = await getReviewableOrg(db, viewer, orgId)
  const detail = await getOrgDetail(db, org.id)
  if (!detail) throw new AppError('NOT_FOUND', '组织不存在')
  return detail
}

async function decide(
  db: Database,
  viewer: Viewer,
  orgId: number,
  decision: { status: 'verified' } | { status: 'rejected'; reason: string },
  ip: string,
): Promise<{ name: string }> {
  const org = await getReviewableOrg(db, viewer, orgId)
  if (org.status !== 'pending') {
    throw new AppError('INVALID_STATE', org.status === 'verified' ? '该组织已通过审核' : '该组织已被驳回，需等待其重新提交')
  }
  const now = new Date().toISOString()
  await withTransaction(db, async (trx, afterCommit) => {
    // The status guard in the WHERE makes two agencies deciding at once safe.
    const result = await trx
      .updateTable('organisations')
      .set({
        status: decision.status,
        rejection_reason: decision.status === 'rejected' ? decision.reason : null,
        reviewed_at: now,
        reviewed_by: viewer.user.id,
        updated_at: now,
      })
      .where('id', '=', orgId)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('INVALID_STATE', '该申请已被处理，请刷新页面')
    await recordAudit(trx, {
      action: decision.status === 'verified' ? 'org.approved' : 'org.rejected',
      actorUserId: viewer.user.id,
      actorOrgId: viewer.activeOrg?.orgId ?? null,
      objectType: 'organisation',
      objectId: orgId,
      regionCode: org.region_code,
      ip,
      detail: decision.status === 'rejected' ? { reason: decision.reason } : undefined,
    })
    // Its needs become visible (or stay hidden): re-index them once this commits.
    await enqueueNeedsOfOrg(trx, afterCommit, orgId)
  })
  return { name: org.name }
}

export function approveOrganisation(db: Database, viewer: Viewer, orgId: number, ip: string) {
  return decide(db, viewer, orgId, { status: 'verified' }, ip)
}

export function rejectOrganisation(db: Database, viewer: Viewer, orgId: number, reason: string, ip: string) {
  return decide(db, viewer, orgId, { status: 'rejected', reason }, ip)
}
