import { sql, type Kysely } from 'kysely'
import type { PoolApplicationStatus } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { getReferenceData, industryName, type ReferenceData } from '../reference/reference.server.js'
import { isTied, readsPool, roundOfAgency } from './access.server.js'
import { NOTICE_MIN_DAYS, POOL_PAGE_SIZE, type RoundInput } from './schema.js'

/*
 * The agency's side of its 服务商资源池: admission rounds per category with quotas per
 * sub-industry, the queue of applications, a round's page with everything needed to
 * decide (reviews, experts to assign, objections).
 */

function agencyOf(actor: Actor, ref: ReferenceData) {
  const org = actor.org
  if (!org || org.kind !== 'agency') throw new AppError('FORBIDDEN', 'errors.forbidden')
  return authorize(actor, ref, 'manage:pool:own', { orgId: org.orgId })
}

async function checkIndustries(ref: ReferenceData, codes: string[]) {
  for (const code of codes) {
    if (!ref.industriesByCode.has(code)) {
      throw new AppError('VALIDATION', 'pool.v.industry', { fieldErrors: { quotas: 'pool.v.industry' } })
    }
  }
}

export async function createRound(db: Kysely<DB>, actor: Actor, input: RoundInput): Promise<number> {
  const ref = await getReferenceData(db)
  const org = agencyOf(actor, ref)
  await checkIndustries(
    ref,
    input.quotas.map((q) => q.industryCode),
  )
  const today = chinaDate()
  if (input.applyUntil < today || input.applyUntil > addDays(today, 366) || Number.isNaN(Date.parse(input.applyUntil))) {
    throw new AppError('VALIDATION', 'pool.v.applyUntil', { fieldErrors: { applyUntil: 'pool.v.applyUntil' } })
  }
  return withTransaction(db, async (trx) => {
    const now = new Date().toISOString()
    const round = await trx
      .insertInto('pool_rounds')
      .values({
        agency_org_id: org.orgId,
        category: input.category,
        title: input.title,
        description: input.description,
        apply_until: input.applyUntil,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.quotas.length > 0) {
      await trx
        .insertInto('pool_quotas')
        .values(input.quotas.map((q) => ({ round_id: round.id, industry_code: q.industryCode, quota: q.quota })))
        .execute()
    }
    await recordAudit(trx, {
      action: 'pool.round_created',
      ...auditActor(actor),
      objectType: 'pool_round',
      objectId: round.id,
      detail: { category: input.category, quotas: input.quotas.length },
    })
    return round.id
  })
}

/** Sets (or, with null, lifts) the quota of a sub-industry; never below the admissions already made. */
export async function setQuota(
  db: Kysely<DB>,
  actor: Actor,
  roundId: number,
  input: { industryCode: string; quota: number | null },
): Promise<void> {
  const ref = await getReferenceData(db)
  await checkIndustries(ref, [input.industryCode])
  await withTransaction(db, async (trx) => {
    await roundOfAgency(trx, actor, roundId, 'manage')
    const current = await trx
      .selectFrom('pool_quotas')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('industry_code', '=', input.industryCode)
      .executeTakeFirst()
    if (input.quota === null) {
      await trx
        .deleteFrom('pool_quotas')
        .where('round_id', '=', roundId)
        .where('industry_code', '=', input.industryCode)
        .execute()
    } else if (current) {
      if (input.quota < current.admitted) {
        throw new AppError('CONFLICT', 'pool.e.quotaBelowAdmitted', {
          fieldErrors: { quota: 'pool.e.quotaBelowAdmitted' },
          params: { admitted: current.admitted },
        })
      }
      await trx
        .updateTable('pool_quotas')
        .set({ quota: input.quota })
        .where('round_id', '=', roundId)
        .where('industry_code', '=', input.industryCode)
        .execute()
    } else {
      // Admissions made while the sub-industry had no quota count too.
      const admitted = await trx
        .selectFrom('pool_applications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('round_id', '=', roundId)
        .where('industry_code', '=', input.industryCode)
        .where('status', '=', 'admitted')
        .executeTakeFirstOrThrow()
      const n = Number(admitted.n)
      if (input.quota < n) {
        throw new AppError('CONFLICT', 'pool.e.quotaBelowAdmitted', {
          fieldErrors: { quota: 'pool.e.quotaBelowAdmitted' },
          params: { admitted: n },
        })
      }
      await trx
        .insertInto('pool_quotas')
        .values({ round_id: roundId, industry_code: input.industryCode, quota: input.quota, admitted: n })
        .execute()
    }
    await recordAudit(trx, {
      action: 'pool.round_updated',
      ...auditActor(actor),
      objectType: 'pool_round',
      objectId: roundId,
      detail: { industry: input.industryCode, quota: input.quota },
    })
  })
}

/** Closes a round to new applications (the queue is still decided). */
export async function closeRound(db: Kysely<DB>, actor: Actor, roundId: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    await roundOfAgency(trx, actor, roundId, 'manage')
    await trx
      .updateTable('pool_rounds')
      .set({ status: 'closed', updated_at: new Date().toISOString() })
      .where('id', '=', roundId)
      .execute()
    await recordAudit(trx, {
      action: 'pool.round_updated',
      ...auditActor(actor),
      objectType: 'pool_round',
      objectId: roundId,
      detail: { status: 'closed' },
    })
  })
}

export interface QueueRow {
  id: number
  roundId: number
  roundTitle: string
  providerOrgId: number
  providerName: string
  industryCode: string
  industryName: string
  status: PoolApplicationStatus
  noticeUntil: string | null
  createdAt: string
}

function industryOf(ref: ReferenceData, code: string, locale: Locale) {
  return industryName(ref, code, locale) ?? code
}

/** /agency/pool: the agency's rounds (with counts per status) and its applications queue, paginated. */
export async function agencyPool(
  db: Kysely<DB>,
  actor: Actor,
  query: { page: number; status?: PoolApplicationStatus | undefined },
  locale: Locale,
) {
  const ref = await getReferenceData(db)
  const org = actor.org
  if (!org || !readsPool(actor, ref, org.orgId)) {
    throw new AppError('FORBIDDEN', 'errors.forbidden')
  }
  const canManage = can(actor, ref, 'manage:pool:own', { orgId: org.orgId })
  const rounds = await db
    .selectFrom('pool_rounds as r')
    .select(['r.id', 'r.title', 'r.category', 'r.apply_until', 'r.status', 'r.created_at'])
    .select((eb) => [
      eb
        .selectFrom('pool_applications as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.round_id', '=', 'r.id')
        .as('applications'),
      eb
        .selectFrom('pool_applications as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.round_id', '=', 'r.id')
        .where('a.status', '=', 'admitted')
        .as('admitted'),
    ])
    .where('r.agency_org_id', '=', org.orgId)
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute()
  const counts = await db
    .selectFrom('pool_applications as a')
    .innerJoin('pool_rounds as r', 'r.id', 'a.round_id')
    .select(['a.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.agency_org_id', '=', org.orgId)
    .groupBy('a.status')
    .execute()
  let queue = db
    .selectFrom('pool_applications as a')
    .innerJoin('pool_rounds as r', 'r.id', 'a.round_id')
    .innerJoin('organisations as o', 'o.id', 'a.provider_org_id')
    .where('r.agency_org_id', '=', org.orgId)
  queue = query.status
    ? queue.where('a.status', '=', query.status)
    : queue.where('a.status', 'in', ['submitted', 'reviewing', 'notice'])
  const total = Number((await queue.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const rows = await queue
    .select([
      'a.id',
      'a.round_id',
      'r.title as round_title',
      'a.provider_org_id',
      'o.name as provider_name',
      'a.industry_code',
      'a.status',
      'a.notice_until',
      'a.created_at',
    ])
    .orderBy('a.id', 'asc')
    .limit(POOL_PAGE_SIZE)
    .offset((page - 1) * POOL_PAGE_SIZE)
    .execute()
  const members = await db
    .selectFrom('pool_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_org_id', '=', org.orgId)
    .where('status', '=', 'active')
    .where('valid_until', '>=', chinaDate())
    .executeTakeFirstOrThrow()
  return {
    canManage,
    today: chinaDate(),
    industries: ref.industries.map((i) => ({ code: i.code, name: industryOf(ref, i.code, locale) })),
    rounds: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      category: r.category,
      applyUntil: String(r.apply_until),
      status: r.status,
      applications: Number(r.applications ?? 0),
      admitted: Number(r.admitted ?? 0),
    })),
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Partial<Record<PoolApplicationStatus, number>>,
    members: Number(members.n),
    status: query.status ?? null,
    page,
    pageCount,
    total,
    queue: rows.map((r): QueueRow => ({
      id: r.id,
      roundId: r.round_id,
      roundTitle: r.round_title,
      providerOrgId: r.provider_org_id,
      providerName: r.provider_name,
      industryCode: r.industry_code,
      industryName: industryOf(ref, r.industry_code, locale),
      status: r.status,
      noticeUntil: r.notice_until === null ? null : String(r.notice_until),
      createdAt: r.created_at,
    })),
  }
}

/** /agency/pool/:id — the round, its quotas, its applications (paginated), and the one opened (`app`). */
export async function roundPage(
  db: Kysely<DB>,
  actor: Actor,
  roundId: number,
  query: { page: number; app?: number | undefined },
  locale: Locale,
) {
  const ref = await getReferenceData(db)
  const round = await roundOfAgency(db, actor, roundId, 'read')
  const canManage = can(actor, ref, 'manage:pool:own', { orgId: round.agency_org_id })
  const today = chinaDate()
  const quotas = await db.selectFrom('pool_quotas').selectAll().where('round_id', '=', roundId).orderBy('industry_code').execute()
  const base = db
    .selectFrom('pool_applications as a')
    .innerJoin('organisations as o', 'o.id', 'a.provider_org_id')
    .where('a.round_id', '=', roundId)
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / POOL_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const apps = await base
    .select(['a.id', 'a.provider_org_id', 'o.name as provider_name', 'a.industry_code', 'a.status', 'a.notice_until'])
    .select((eb) => [
      eb
        .selectFrom('pool_reviews as v')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('v.application_id', '=', 'a.id')
        .where('v.tie_declared_at', 'is', null)
        .where('v.reviewed_at', 'is not', null)
        .as('reviewed'),
      eb
        .selectFrom('pool_reviews as v')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('v.application_id', '=', 'a.id')
        .where('v.tie_declared_at', 'is', null)
        .as('assigned'),
      eb
        .selectFrom('pool_reviews as v')
        .select(sql<number | null>`avg(v.score)`.as('avg'))
        .whereRef('v.application_id', '=', 'a.id')
        .where('v.tie_declared_at', 'is', null)
        .where('v.reviewed_at', 'is not', null)
        .as('average'),
      eb
        .selectFrom('pool_objections as j')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('j.application_id', '=', 'a.id')
        .where('j.status', '=', 'open')
        .as('open_objections'),
    ])
    .orderBy('a.id', 'asc')
    .limit(POOL_PAGE_SIZE)
    .offset((page - 1) * POOL_PAGE_SIZE)
    .execute()
  const opened = query.app ? await openedApplication(db, round, query.app, locale, ref) : null
  return {
    canManage,
    today,
    noticeMinUntil: addDays(today, NOTICE_MIN_DAYS),
    round: {
      id: round.id,
      title: round.title,
      category: round.category,
      description: round.description,
      applyUntil: String(round.apply_until),
      status: round.status,
    },
    industries: ref.industries.map((i) => ({ code: i.code, name: industryOf(ref, i.code, locale) })),
    quotas: quotas.map((q) => ({
      industryCode: q.industry_code,
      industryName: industryOf(ref, q.industry_code, locale),
      quota: q.quota,
      admitted: q.admitted,
    })),
    page,
    pageCount,
    total,
    applications: apps.map((a) => ({
      id: a.id,
      providerOrgId: a.provider_org_id,
      providerName: a.provider_name,
      industryCode: a.industry_code,
      industryName: industryOf(ref, a.industry_code, locale),
      status: a.status,
      noticeUntil: a.notice_until === null ? null : String(a.notice_until),
      assigned: Number(a.assigned ?? 0),
      reviewed: Number(a.reviewed ?? 0),
      average: a.average === null || a.average === undefined ? null : Math.round(Number(a.average) * 10) / 10,
      openObjections: Number(a.open_objections ?? 0),
    })),
    opened,
  }
}

async function openedApplication(
  db: Kysely<DB>,
  round: { id: number; agency_org_id: number },
  applicationId: number,
  locale: Locale,
  ref: ReferenceData,
) {
  const a = await db
    .selectFrom('pool_applications as a')
    .innerJoin('organisations as o', 'o.id', 'a.provider_org_id')
    .select([
      'a.id',
      'a.provider_org_id',
      'o.name as provider_name',
      'a.industry_code',
      'a.statement',
      'a.status',
      'a.notice_from',
      'a.notice_until',
      'a.reason',
    ])
    .where('a.id', '=', applicationId)
    .where('a.round_id', '=', round.id)
    .executeTakeFirst()
  if (!a) return null
  const reviews = await db
    .selectFrom('pool_reviews as v')
    .innerJoin('experts as e', 'e.id', 'v.expert_id')
    .select([
      'v.id',
      'e.name',
      'e.title',
      'v.score',
      'v.opinion',
      'v.recommend',
      'v.reviewed_at',
      'v.tie_declared_at',
      'v.tie_note',
    ])
    .where('v.application_id', '=', a.id)
    .orderBy('v.id')
    .execute()
  const assigned = new Set(
    (await db.selectFrom('pool_reviews').select('expert_id').where('application_id', '=', a.id).execute()).map(
      (r) => r.expert_id,
    ),
  )
  const library = await db
    .selectFrom('experts')
    .select(['id', 'name', 'title', 'employer', 'user_id', 'employer_org_id'])
    .where('agency_org_id', '=', round.agency_org_id)
    .where('active', '=', 1)
    .orderBy('name')
    .limit(200)
    .execute()
  const experts = []
  for (const e of library) {
    if (assigned.has(e.id)) continue
    experts.push({ id: e.id, name: e.name, title: e.title, employer: e.employer, tied: await isTied(db, e, a.provider_org_id) })
  }
  const objections = await db
    .selectFrom('pool_objections')
    .select(['id', 'reason', 'status', 'decision_note', 'created_at'])
    .where('application_id', '=', a.id)
    .orderBy('id')
    .limit(100)
    .execute()
  return {
    id: a.id,
    providerOrgId: a.provider_org_id,
    providerName: a.provider_name,
    industryName: industryOf(ref, a.industry_code, locale),
    statement: a.statement,
    status: a.status,
    noticeFrom: a.notice_from === null ? null : String(a.notice_from),
    noticeUntil: a.notice_until === null ? null : String(a.notice_until),
    reason: a.reason,
    reviews: reviews.map((v) => ({
      id: v.id,
      expertName: v.name,
      expertTitle: v.title,
      score: v.score,
      opinion: v.opinion,
      recommend: v.recommend,
      reviewed: v.reviewed_at !== null,
      tie: v.tie_declared_at !== null,
      tieNote: v.tie_note,
    })),
    experts,
    objections: objections.map((o) => ({
      id: o.id,
      reason: o.reason,
      status: o.status,
      note: o.decision_note,
      createdAt: o.created_at,
    })),
  }
}
