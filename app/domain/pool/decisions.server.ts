import { sql, type Kysely, type Transaction } from 'kysely'
import type { PoolCategory } from '../../../db/enums.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, industryName } from '../reference/reference.server.js'
import { applicationToManage, loadApplication } from './access.server.js'
import { validUntilFor } from './membership.server.js'
import { NOTICE_MAX_DAYS, NOTICE_MIN_DAYS, POOL_PAGE_SIZE } from './schema.js'

/*
 * From review to admission: the agency starts 公示 (public notice) once every assigned,
 * untied expert has reviewed; anyone signed in may object while it runs; the agency
 * decides each objection (upheld: the application is rejected); after the notice
 * period, with no objection open, the agency admits — within the sub-industry's quota
 * (a conditional update of the round's counter, so parallel admissions cannot exceed
 * it) — or rejects, with a reason, at any point before admission.
 */

export async function startNotice(db: Kysely<DB>, actor: Actor, applicationId: number, noticeUntil: string): Promise<void> {
  const today = chinaDate()
  if (noticeUntil < addDays(today, NOTICE_MIN_DAYS) || Number.isNaN(Date.parse(noticeUntil))) {
    throw new AppError('VALIDATION', 'pool.e.noticeTooShort', {
      fieldErrors: { noticeUntil: 'pool.e.noticeTooShort' },
      params: { days: NOTICE_MIN_DAYS },
    })
  }
  if (noticeUntil > addDays(today, NOTICE_MAX_DAYS)) {
    throw new AppError('VALIDATION', 'pool.e.noticeTooLong', {
      fieldErrors: { noticeUntil: 'pool.e.noticeTooLong' },
      params: { days: NOTICE_MAX_DAYS },
    })
  }
  await withTransaction(db, async (trx) => {
    const { application } = await applicationToManage(trx, actor, applicationId)
    if (application.status !== 'reviewing') throw new AppError('CONFLICT', 'pool.e.stateChanged')
    const reviews = await trx
      .selectFrom('pool_reviews')
      .select(['reviewed_at'])
      .where('application_id', '=', applicationId)
      .where('tie_declared_at', 'is', null)
      .execute()
    if (reviews.length === 0 || reviews.some((r) => r.reviewed_at === null)) {
      throw new AppError('CONFLICT', 'pool.e.reviewsIncomplete')
    }
    const done = await trx
      .updateTable('pool_applications')
      .set({ status: 'notice', notice_from: today, notice_until: noticeUntil, updated_at: new Date().toISOString() })
      .where('id', '=', applicationId)
      .where('status', '=', 'reviewing')
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'pool.e.stateChanged')
    await recordAudit(trx, {
      action: 'pool.notice_started',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: applicationId,
      detail: { until: noticeUntil },
    })
  })
}

/** An objection to an application under 公示, by anyone signed in, once per person. */
export async function fileObjection(db: Kysely<DB>, actor: Actor, applicationId: number, reason: string): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const application = await loadApplication(trx, applicationId)
      if (!application || application.notice_until === null) throw new AppError('NOT_FOUND', 'pool.e.applicationNotFound')
      if (application.status !== 'notice' || String(application.notice_until) < chinaDate()) {
        throw new AppError('CONFLICT', 'pool.e.noticeClosed')
      }
      const exists = await trx
        .selectFrom('pool_objections')
        .select('id')
        .where('application_id', '=', applicationId)
        .where('filed_by', '=', actor.userId)
        .executeTakeFirst()
      if (exists) throw new AppError('CONFLICT', 'pool.e.objectionExists')
      const row = await trx
        .insertInto('pool_objections')
        .values({ application_id: applicationId, filed_by: actor.userId, reason, created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        action: 'pool.objection_filed',
        ...auditActor(actor),
        objectType: 'pool_application',
        objectId: applicationId,
        detail: { objection: row.id },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'pool.e.objectionExists')
    throw error
  }
}

export async function decideObjection(
  db: Kysely<DB>,
  actor: Actor,
  objectionId: number,
  input: { outcome: 'upheld' | 'dismissed'; note: string },
): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const objection = await trx.selectFrom('pool_objections').selectAll().where('id', '=', objectionId).executeTakeFirst()
    if (!objection) throw new AppError('NOT_FOUND', 'pool.e.objectionNotFound')
    const { application, round } = await applicationToManage(trx, actor, objection.application_id)
    if (input.outcome === 'upheld' && !input.note) {
      throw new AppError('VALIDATION', 'pool.v.reason', { fieldErrors: { note: 'pool.v.reason' } })
    }
    const now = new Date().toISOString()
    const done = await trx
      .updateTable('pool_objections')
      .set({ status: input.outcome, decision_note: input.note, decided_by: actor.userId, decided_at: now })
      .where('id', '=', objectionId)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'pool.e.stateChanged')
    await recordAudit(trx, {
      action: 'pool.objection_decided',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: application.id,
      detail: { objection: objectionId, outcome: input.outcome },
    })
    if (input.outcome === 'upheld' && application.status === 'notice') {
      await rejectWithin(trx, afterCommit, db, actor, application.id, round.title, input.note)
    }
  })
}

async function rejectWithin(
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  db: Kysely<DB>,
  actor: Actor,
  applicationId: number,
  roundTitle: string,
  reason: string,
) {
  const now = new Date().toISOString()
  const done = await trx
    .updateTable('pool_applications')
    .set({ status: 'rejected', reason, decided_by: actor.userId, decided_at: now, updated_at: now })
    .where('id', '=', applicationId)
    .where('status', 'in', ['submitted', 'reviewing', 'notice'])
    .returning(['provider_org_id'])
    .executeTakeFirst()
  if (!done) throw new AppError('CONFLICT', 'pool.e.stateChanged')
  await recordAudit(trx, {
    action: 'pool.rejected',
    ...auditActor(actor),
    objectType: 'pool_application',
    objectId: applicationId,
    detail: { reason },
  })
  const provider = await trx
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', done.provider_org_id)
    .executeTakeFirstOrThrow()
  await notify(db, trx, afterCommit, {
    kind: 'pool_rejected',
    orgId: done.provider_org_id,
    params: { provider: provider.name, round: roundTitle, reason },
    link: '/provider/pool',
  })
}

export async function rejectApplication(db: Kysely<DB>, actor: Actor, applicationId: number, reason: string): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const { round } = await applicationToManage(trx, actor, applicationId)
    await rejectWithin(trx, afterCommit, db, actor, applicationId, round.title, reason)
  })
}

/** Admission (入库) after the notice period, with no open objection, within the quota. */
export async function admitApplication(db: Kysely<DB>, actor: Actor, applicationId: number): Promise<{ validUntil: string }> {
  const today = chinaDate()
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const { application, round } = await applicationToManage(trx, actor, applicationId)
      if (application.status !== 'notice' || application.notice_until === null) {
        throw new AppError('CONFLICT', 'pool.e.notUnderNotice')
      }
      if (String(application.notice_until) >= today) {
        throw new AppError('CONFLICT', 'pool.e.noticeRunning', { params: { until: String(application.notice_until) } })
      }
      const open = await trx
        .selectFrom('pool_objections')
        .select('id')
        .where('application_id', '=', applicationId)
        .where('status', '=', 'open')
        .executeTakeFirst()
      if (open) throw new AppError('CONFLICT', 'pool.e.objectionsOpen')
      const now = new Date().toISOString()
      // The status first: of two parallel admissions of one application, one changes it.
      const moved = await trx
        .updateTable('pool_applications')
        .set({ status: 'admitted', decided_by: actor.userId, decided_at: now, updated_at: now })
        .where('id', '=', applicationId)
        .where('status', '=', 'notice')
        .executeTakeFirst()
      if (Number(moved.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'pool.e.stateChanged')
      const quota = await trx
        .selectFrom('pool_quotas')
        .select('quota')
        .where('round_id', '=', round.id)
        .where('industry_code', '=', application.industry_code)
        .executeTakeFirst()
      if (quota) {
        const counted = await trx
          .updateTable('pool_quotas')
          .set({ admitted: sql`admitted + 1` })
          .where('round_id', '=', round.id)
          .where('industry_code', '=', application.industry_code)
          .whereRef('admitted', '<', 'quota')
          .executeTakeFirst()
        if (Number(counted.numUpdatedRows) !== 1) {
          throw new AppError('CONFLICT', 'pool.e.quotaFull', { params: { quota: quota.quota } })
        }
      }
      const validUntil = validUntilFor(today)
      await trx
        .insertInto('pool_memberships')
        .values({
          agency_org_id: round.agency_org_id,
          provider_org_id: application.provider_org_id,
          round_id: round.id,
          application_id: applicationId,
          category: round.category,
          industry_code: application.industry_code,
          admitted_on: today,
          valid_until: validUntil,
          admitted_by: actor.userId,
        })
        .execute()
      await recordAudit(trx, {
        action: 'pool.admitted',
        ...auditActor(actor),
        objectType: 'pool_application',
        objectId: applicationId,
        detail: { provider: application.provider_org_id, industry: application.industry_code, validUntil },
      })
      const names = await trx
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', [round.agency_org_id, application.provider_org_id])
        .execute()
      const nameOf = (id: number) => names.find((n) => n.id === id)?.name ?? ''
      await notify(db, trx, afterCommit, {
        kind: 'pool_admitted',
        orgId: application.provider_org_id,
        params: {
          provider: nameOf(application.provider_org_id),
          agency: nameOf(round.agency_org_id),
          round: round.title,
          validUntil,
        },
        link: '/provider/pool',
      })
      return { validUntil }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'pool.e.stateChanged')
    throw error
  }
}

export interface PublicNotice {
  id: number
  providerOrgId: number
  providerName: string
  agencyName: string
  roundTitle: string
  category: PoolCategory
  industryName: string
  noticeFrom: string
  noticeUntil: string
}

/** /pool/notices: applications under 公示 today (public), paginated, ending soonest first. */
export async function publicNotices(db: Kysely<DB>, query: { page: number }, locale: Locale) {
  const ref = await getReferenceData(db)
  const today = chinaDate()
  const base = db
    .selectFrom('pool_applications as a')
    .innerJoin('pool_rounds as r', 'r.id', 'a.round_id')
    .innerJoin('organisations as p', 'p.id', 'a.provider_org_id')
    .innerJoin('organisations as g', 'g.id', 'r.agency_org_id')
    .where('a.status', '=', 'notice')
    .where('a.notice_until', '>=', today)
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const rows = await base
    .select([
      'a.id',
      'a.provider_org_id',
      'p.name as provider_name',
      'g.name as agency_name',
      'r.title as round_title',
      'r.category',
      'a.industry_code',
      'a.notice_from',
      'a.notice_until',
    ])
    .orderBy('a.notice_until', 'asc')
    .orderBy('a.id', 'asc')
    .limit(POOL_PAGE_SIZE)
    .offset((page - 1) * POOL_PAGE_SIZE)
    .execute()
  return {
    page,
    pageCount,
    total,
    notices: rows.map((r): PublicNotice => ({
      id: r.id,
      providerOrgId: r.provider_org_id,
      providerName: r.provider_name,
      agencyName: r.agency_name,
      roundTitle: r.round_title,
      category: r.category,
      industryName: industryName(ref, r.industry_code, locale) ?? r.industry_code,
      noticeFrom: String(r.notice_from),
      noticeUntil: String(r.notice_until),
    })),
  }
}
