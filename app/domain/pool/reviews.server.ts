import type { Kysely, Transaction } from 'kysely'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, industryName } from '../reference/reference.server.js'
import { applicationToManage, isTied } from './access.server.js'
import { POOL_PAGE_SIZE } from './schema.js'

/*
 * Expert review (专家评审) of pool applications. The agency assigns experts of its own
 * 专家库 (`experts`, active); an expert tied to the applicant — employed by it, or an
 * active member of it — is refused at assignment and again when reviewing; an expert
 * may declare any other tie, after which their review never counts. An expert acts as
 * themself (actor.userId), whatever organisation they act for.
 */

export async function assignExperts(db: Kysely<DB>, actor: Actor, applicationId: number, expertIds: number[]): Promise<number> {
  return withTransaction(db, async (trx, afterCommit) => {
    const { application, round } = await applicationToManage(trx, actor, applicationId)
    if (application.status !== 'submitted' && application.status !== 'reviewing') {
      throw new AppError('CONFLICT', 'pool.e.stateChanged')
    }
    const experts = await trx
      .selectFrom('experts')
      .select(['id', 'user_id', 'employer_org_id', 'name'])
      .where('id', 'in', [...new Set(expertIds)])
      .where('agency_org_id', '=', round.agency_org_id)
      .where('active', '=', 1)
      .execute()
    if (experts.length !== new Set(expertIds).size) {
      throw new AppError('VALIDATION', 'pool.e.expertUnknown', { fieldErrors: { 'expertId[]': 'pool.e.expertUnknown' } })
    }
    for (const expert of experts) {
      if (await isTied(trx, expert, application.provider_org_id)) {
        throw new AppError('CONFLICT', 'pool.e.expertTied', {
          fieldErrors: { 'expertId[]': 'pool.e.expertTied' },
          params: { name: expert.name },
        })
      }
    }
    const existing = new Set(
      (await trx.selectFrom('pool_reviews').select('expert_id').where('application_id', '=', applicationId).execute()).map(
        (r) => r.expert_id,
      ),
    )
    const added = experts.filter((e) => !existing.has(e.id))
    const now = new Date().toISOString()
    if (added.length > 0) {
      await trx
        .insertInto('pool_reviews')
        .values(
          added.map((e) => ({ application_id: applicationId, expert_id: e.id, assigned_by: actor.userId, assigned_at: now })),
        )
        .onConflict((oc) => oc.columns(['application_id', 'expert_id']).doNothing())
        .execute()
    }
    await trx
      .updateTable('pool_applications')
      .set({ status: 'reviewing', updated_at: now })
      .where('id', '=', applicationId)
      .where('status', '=', 'submitted')
      .execute()
    await recordAudit(trx, {
      action: 'pool.experts_assigned',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: applicationId,
      detail: { experts: added.map((e) => e.id) },
    })
    if (added.length > 0) {
      const names = await trx
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', [round.agency_org_id, application.provider_org_id])
        .execute()
      const nameOf = (id: number) => names.find((n) => n.id === id)?.name ?? ''
      await notify(db, trx, afterCommit, {
        kind: 'pool_review_assigned',
        userIds: added.map((e) => e.user_id),
        params: { agency: nameOf(round.agency_org_id), provider: nameOf(application.provider_org_id), round: round.title },
        link: '/expert/pool',
      })
    }
    return added.length
  })
}

/** The actor's review task, for writing: theirs, in the library still, the application under review, no tie. */
async function ownReview(trx: Transaction<DB>, actor: Actor, reviewId: number) {
  const row = await trx
    .selectFrom('pool_reviews as v')
    .innerJoin('experts as e', 'e.id', 'v.expert_id')
    .innerJoin('pool_applications as a', 'a.id', 'v.application_id')
    .select([
      'v.id',
      'v.application_id',
      'v.tie_declared_at',
      'e.user_id',
      'e.employer_org_id',
      'e.active',
      'a.status',
      'a.provider_org_id',
    ])
    .where('v.id', '=', reviewId)
    .executeTakeFirst()
  if (!row || row.user_id !== actor.userId || row.active !== 1) throw new AppError('NOT_FOUND', 'pool.e.reviewNotFound')
  if (row.status !== 'reviewing') throw new AppError('CONFLICT', 'pool.e.reviewClosed')
  if (row.tie_declared_at !== null || (await isTied(trx, row, row.provider_org_id))) {
    throw new AppError('FORBIDDEN', 'pool.e.tied')
  }
  return row
}

export async function submitReview(
  db: Kysely<DB>,
  actor: Actor,
  reviewId: number,
  input: { score: number; opinion: string; recommend: 'yes' | 'no' },
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const review = await ownReview(trx, actor, reviewId)
    await trx
      .updateTable('pool_reviews')
      .set({
        score: input.score,
        opinion: input.opinion,
        recommend: input.recommend === 'yes' ? 1 : 0,
        reviewed_at: new Date().toISOString(),
      })
      .where('id', '=', reviewId)
      .execute()
    await recordAudit(trx, {
      action: 'pool.reviewed',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: review.application_id,
      detail: { score: input.score, recommend: input.recommend === 'yes' },
    })
  })
}

export async function declareTie(db: Kysely<DB>, actor: Actor, reviewId: number, note: string): Promise<void> {
  await withTransaction(db, async (trx) => {
    const review = await ownReview(trx, actor, reviewId)
    await trx
      .updateTable('pool_reviews')
      .set({
        tie_declared_at: new Date().toISOString(),
        tie_note: note,
        score: null,
        recommend: null,
        reviewed_at: null,
        opinion: '',
      })
      .where('id', '=', reviewId)
      .execute()
    await recordAudit(trx, {
      action: 'pool.tie_declared',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: review.application_id,
    })
  })
}

/** /expert/pool: the actor's review tasks across agencies (open ones first), paginated. */
export async function expertPool(db: Kysely<DB>, actor: Actor, query: { page: number }, locale: Locale) {
  const ref = await getReferenceData(db)
  const base = db
    .selectFrom('pool_reviews as v')
    .innerJoin('experts as e', 'e.id', 'v.expert_id')
    .innerJoin('pool_applications as a', 'a.id', 'v.application_id')
    .innerJoin('pool_rounds as r', 'r.id', 'a.round_id')
    .innerJoin('organisations as p', 'p.id', 'a.provider_org_id')
    .innerJoin('organisations as g', 'g.id', 'r.agency_org_id')
    .where('e.user_id', '=', actor.userId)
    .where('e.active', '=', 1)
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const rows = await base
    .select([
      'v.id',
      'a.id as application_id',
      'a.status',
      'a.statement',
      'a.industry_code',
      'a.provider_org_id',
      'p.name as provider_name',
      'g.name as agency_name',
      'r.title as round_title',
      'r.category',
      'e.user_id',
      'e.employer_org_id',
      'v.score',
      'v.opinion',
      'v.recommend',
      'v.reviewed_at',
      'v.tie_declared_at',
    ])
    .orderBy('v.reviewed_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(POOL_PAGE_SIZE)
    .offset((page - 1) * POOL_PAGE_SIZE)
    .execute()
  const tasks = []
  for (const r of rows) {
    const tied = r.tie_declared_at !== null || (await isTied(db, r, r.provider_org_id))
    tasks.push({
      id: r.id,
      applicationId: r.application_id,
      providerOrgId: r.provider_org_id,
      providerName: r.provider_name,
      agencyName: r.agency_name,
      roundTitle: r.round_title,
      category: r.category,
      industryName: industryName(ref, r.industry_code, locale) ?? r.industry_code,
      statement: r.statement,
      open: r.status === 'reviewing' && !tied,
      tied,
      tieDeclared: r.tie_declared_at !== null,
      score: r.score,
      opinion: r.opinion,
      recommend: r.recommend,
      reviewed: r.reviewed_at !== null,
    })
  }
  return { page, pageCount, total, tasks }
}
