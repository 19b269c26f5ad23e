import type { Kysely } from 'kysely'
import type { PoolApplicationStatus, PoolCategory } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { getReferenceData, industryName } from '../reference/reference.server.js'
import { kindsOf } from './access.server.js'
import { poolMembershipsOf } from './membership.server.js'
import { POOL_PAGE_SIZE } from './schema.js'

/*
 * The provider's side: open rounds of its categories, applying (one application per
 * round; a withdrawn one may be sent again), withdrawing before a decision, its
 * applications with the reviews' conclusion once 公示 starts, its memberships.
 */

function providerOf(actor: Actor) {
  const org = actor.org
  if (!org || org.kind !== 'provider') throw new AppError('FORBIDDEN', 'errors.forbidden')
  return org
}

export async function applyToRound(
  db: Kysely<DB>,
  actor: Actor,
  input: { roundId: number; industryCode: string; statement: string },
): Promise<number> {
  const ref = await getReferenceData(db)
  const org = providerOf(actor)
  authorize(actor, ref, 'apply:pool:own', { orgId: org.orgId })
  if (!ref.industriesByCode.has(input.industryCode)) {
    throw new AppError('VALIDATION', 'pool.v.industry', { fieldErrors: { industryCode: 'pool.v.industry' } })
  }
  try {
    return await withTransaction(db, async (trx) => {
      const round = await trx.selectFrom('pool_rounds').selectAll().where('id', '=', input.roundId).executeTakeFirst()
      if (!round) throw new AppError('NOT_FOUND', 'pool.e.roundNotFound')
      if (round.status !== 'open' || String(round.apply_until) < chinaDate()) {
        throw new AppError('CONFLICT', 'pool.e.roundClosed')
      }
      const provider = await trx
        .selectFrom('organisations')
        .select(['provider_kinds'])
        .where('id', '=', org.orgId)
        .executeTakeFirstOrThrow()
      if (!kindsOf(provider.provider_kinds).includes(round.category)) {
        throw new AppError('CONFLICT', 'pool.e.wrongCategory', { fieldErrors: { roundId: 'pool.e.wrongCategory' } })
      }
      const now = new Date().toISOString()
      const previous = await trx
        .selectFrom('pool_applications')
        .select(['id', 'status'])
        .where('round_id', '=', round.id)
        .where('provider_org_id', '=', org.orgId)
        .executeTakeFirst()
      let id: number
      if (previous) {
        if (previous.status !== 'withdrawn') throw new AppError('CONFLICT', 'pool.e.alreadyApplied')
        const sent = await trx
          .updateTable('pool_applications')
          .set({
            industry_code: input.industryCode,
            statement: input.statement,
            status: 'submitted',
            notice_from: null,
            notice_until: null,
            reason: '',
            created_by: actor.userId,
            updated_at: now,
            decided_by: null,
            decided_at: null,
          })
          .where('id', '=', previous.id)
          .where('status', '=', 'withdrawn')
          .executeTakeFirst()
        if (Number(sent.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'pool.e.alreadyApplied')
        // Reviews of the earlier application do not carry over.
        await trx.deleteFrom('pool_reviews').where('application_id', '=', previous.id).execute()
        id = previous.id
      } else {
        id = (
          await trx
            .insertInto('pool_applications')
            .values({
              round_id: round.id,
              provider_org_id: org.orgId,
              industry_code: input.industryCode,
              statement: input.statement,
              status: 'submitted',
              created_by: actor.userId,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      }
      await recordAudit(trx, {
        action: 'pool.applied',
        ...auditActor(actor),
        objectType: 'pool_application',
        objectId: id,
        detail: { round: round.id, industry: input.industryCode },
      })
      return id
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'pool.e.alreadyApplied')
    throw error
  }
}

export async function withdrawApplication(db: Kysely<DB>, actor: Actor, applicationId: number): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const application = await trx.selectFrom('pool_applications').selectAll().where('id', '=', applicationId).executeTakeFirst()
    if (!application || !can(actor, ref, 'read:org:own', { orgId: application.provider_org_id })) {
      throw new AppError('NOT_FOUND', 'pool.e.applicationNotFound')
    }
    authorize(actor, ref, 'apply:pool:own', { orgId: application.provider_org_id })
    const done = await trx
      .updateTable('pool_applications')
      .set({ status: 'withdrawn', updated_at: new Date().toISOString() })
      .where('id', '=', applicationId)
      .where('status', 'in', ['submitted', 'reviewing', 'notice'])
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'pool.e.stateChanged')
    await recordAudit(trx, {
      action: 'pool.application_withdrawn',
      ...auditActor(actor),
      objectType: 'pool_application',
      objectId: applicationId,
    })
  })
}

export interface OwnApplication {
  id: number
  roundTitle: string
  agencyName: string
  category: PoolCategory
  industryName: string
  status: PoolApplicationStatus
  noticeUntil: string | null
  reason: string
  /** Once 公示 starts (or a decision): how many reviewers recommended, of how many, and the average score. */
  conclusion: { recommended: number; reviewers: number; average: number | null } | null
  canWithdraw: boolean
}

/** /provider/pool: open rounds of the provider's categories (paginated), its applications and memberships. */
export async function providerPool(db: Kysely<DB>, actor: Actor, query: { page: number }, locale: Locale) {
  const ref = await getReferenceData(db)
  const org = providerOf(actor)
  if (org.status !== 'verified' || org.membership !== 'active' || !can(actor, ref, 'read:org:own', { orgId: org.orgId })) {
    throw new AppError('FORBIDDEN', 'errors.forbidden')
  }
  const canApply = can(actor, ref, 'apply:pool:own', { orgId: org.orgId })
  const provider = await db
    .selectFrom('organisations')
    .select(['provider_kinds'])
    .where('id', '=', org.orgId)
    .executeTakeFirstOrThrow()
  const kinds = kindsOf(provider.provider_kinds) as PoolCategory[]
  const today = chinaDate()
  const base = db
    .selectFrom('pool_rounds as r')
    .innerJoin('organisations as a', 'a.id', 'r.agency_org_id')
    .where('r.status', '=', 'open')
    .where('r.apply_until', '>=', today)
    .where('r.category', 'in', kinds.length ? kinds : ['__none__' as PoolCategory])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('pool_applications as p')
            .select('p.id')
            .whereRef('p.round_id', '=', 'r.id')
            .where('p.provider_org_id', '=', org.orgId)
            .where('p.status', '!=', 'withdrawn'),
        ),
      ),
    )
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const rounds = await base
    .select(['r.id', 'r.title', 'r.category', 'r.description', 'r.apply_until', 'a.name as agency_name'])
    .orderBy('r.apply_until', 'asc')
    .orderBy('r.id', 'asc')
    .limit(POOL_PAGE_SIZE)
    .offset((page - 1) * POOL_PAGE_SIZE)
    .execute()
  const quotas = rounds.length
    ? await db
        .selectFrom('pool_quotas')
        .selectAll()
        .where(
          'round_id',
          'in',
          rounds.map((r) => r.id),
        )
        .execute()
    : []
  const applications = await db
    .selectFrom('pool_applications as p')
    .innerJoin('pool_rounds as r', 'r.id', 'p.round_id')
    .innerJoin('organisations as a', 'a.id', 'r.agency_org_id')
    .select([
      'p.id',
      'r.title',
      'a.name as agency_name',
      'r.category',
      'p.industry_code',
      'p.status',
      'p.notice_until',
      'p.reason',
    ])
    .where('p.provider_org_id', '=', org.orgId)
    .orderBy('p.id', 'desc')
    .limit(50)
    .execute()
  const reviews = applications.length
    ? await db
        .selectFrom('pool_reviews')
        .select(['application_id', 'score', 'recommend'])
        .where(
          'application_id',
          'in',
          applications.map((a) => a.id),
        )
        .where('tie_declared_at', 'is', null)
        .where('reviewed_at', 'is not', null)
        .execute()
    : []
  const industryOf = (code: string) => industryName(ref, code, locale) ?? code
  return {
    canApply,
    kinds,
    page,
    pageCount,
    industries: ref.industries.map((i) => ({ code: i.code, name: industryOf(i.code) })),
    rounds: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      category: r.category,
      description: r.description,
      applyUntil: String(r.apply_until),
      agencyName: r.agency_name,
      quotas: quotas
        .filter((q) => q.round_id === r.id)
        .map((q) => ({ industryName: industryOf(q.industry_code), quota: q.quota, admitted: q.admitted })),
    })),
    applications: applications.map((a): OwnApplication => {
      const mine = reviews.filter((v) => v.application_id === a.id)
      const shown = a.status === 'notice' || a.status === 'admitted' || a.status === 'rejected'
      return {
        id: a.id,
        roundTitle: a.title,
        agencyName: a.agency_name,
        category: a.category,
        industryName: industryOf(a.industry_code),
        status: a.status,
        noticeUntil: a.notice_until === null ? null : String(a.notice_until),
        reason: a.reason,
        conclusion:
          shown && mine.length > 0
            ? {
                recommended: mine.filter((v) => v.recommend === 1).length,
                reviewers: mine.length,
                average: Math.round((mine.reduce((s, v) => s + (v.score ?? 0), 0) / mine.length) * 10) / 10,
              }
            : null,
        canWithdraw: canApply && (a.status === 'submitted' || a.status === 'reviewing' || a.status === 'notice'),
      }
    }),
    memberships: (await poolMembershipsOf(db, org.orgId, today)).map((m) => ({ ...m, industryName: industryOf(m.industryCode) })),
  }
}
