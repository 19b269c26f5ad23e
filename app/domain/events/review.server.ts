import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { zId } from '../shared/schema.js'
import { eventFor, eventToManage, type EventRole, type EventRow } from './access.server.js'
import { rankBids, sheetProblem, type BidResult, type CriterionRule, type ExpertSheet, MAX_CRITERIA } from './review-score.js'
import { isOpen, reached } from './stages.js'
import { wanText } from '../../utils/format.js'

/*
 * 方案评选 (issue 15 §1). The organiser defines the scoring sheet (criteria, weights
 * summing to 100, a maximum score each) and appoints experts from its 专家库 while the
 * review is being prepared (ACTIVITY_STAGES.prepareReview); in 方案评选 the appointed
 * experts score the proposals — the live bids of approved providers on the batch's
 * listed needs — criterion by criterion, with a comment; the organiser follows the
 * progress per need, sees the ranked results (review-score.ts) and publishes them, after
 * which scoring is closed and each bidder sees every criterion's score of its bid.
 *
 * Conflicts of interest (利益关联): an expert is excluded from a need — sees none of its
 * bids, and any score of theirs is left out — when a bidder of that need (the bid's
 * provider or a consortium member) is the expert's employer (experts.employer_org_id),
 * an organisation the expert is an active member of, or one the expert declared a tie
 * to for that need (event_review_ties; declaring one deletes the expert's scores there).
 */

const LIVE_BID_STATUSES = ['submitted', 'shortlisted', 'awarded'] as const

const zFormId = z
  .string({ error: 'errors.invalid' })
  .regex(/^[1-9]\d{0,9}$/, 'errors.invalid')
  .transform(Number)

// ---------------------------------------------------------------------------------------
// Reading

export interface Proposal {
  bidId: number
  needId: number
  providerOrgId: number
  providerName: string
  priceText: string
  durationDays: number
  plan: string
  /** Organisations behind the bid: the provider and its consortium members. */
  orgIds: number[]
}

async function listedNeeds(db: Database, eventId: number) {
  return db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.title', 'o.name as enterprise'])
    .where('en.event_id', '=', eventId)
    .where('en.status', '=', 'listed')
    .orderBy('en.id')
    .execute()
}

/** The proposals of an event (optionally one need): live bids of approved providers on listed needs. */
export async function proposalsOf(db: Database, eventId: number, needId?: number): Promise<Proposal[]> {
  let q = db
    .selectFrom('bids as b')
    .innerJoin('event_needs as en', (j) => j.onRef('en.need_id', '=', 'b.need_id').on('en.event_id', '=', eventId))
    .innerJoin('event_providers as ep', (j) =>
      j.onRef('ep.provider_org_id', '=', 'b.provider_org_id').on('ep.event_id', '=', eventId),
    )
    .innerJoin('organisations as o', 'o.id', 'b.provider_org_id')
    .select(['b.id', 'b.need_id', 'b.provider_org_id', 'o.name', 'b.price_wan_x100', 'b.duration_days', 'b.plan'])
    .where('en.status', '=', 'listed')
    .where('ep.status', '=', 'approved')
    .where('b.status', 'in', LIVE_BID_STATUSES)
  if (needId !== undefined) q = q.where('b.need_id', '=', needId)
  const rows = await q.orderBy('b.need_id').orderBy('b.id').execute()
  const shares =
    rows.length === 0
      ? []
      : await db
          .selectFrom('bid_shares')
          .select(['bid_id', 'org_id'])
          .where(
            'bid_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute()
  return rows.map((r) => ({
    bidId: r.id,
    needId: r.need_id,
    providerOrgId: r.provider_org_id,
    providerName: r.name,
    priceText: wanText(r.price_wan_x100),
    durationDays: r.duration_days,
    plan: r.plan,
    orgIds: [r.provider_org_id, ...shares.filter((s) => s.bid_id === r.id).map((s) => s.org_id)],
  }))
}

async function criteriaOf(db: Database, eventId: number) {
  const rows = await db
    .selectFrom('event_review_criteria')
    .select(['id', 'position', 'name', 'description', 'weight', 'max_score'])
    .where('event_id', '=', eventId)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    name: r.name,
    description: r.description,
    weight: r.weight,
    maxScore: r.max_score,
  }))
}

export type CriterionView = Awaited<ReturnType<typeof criteriaOf>>[number]

interface AppointedExpert {
  expertId: number
  userId: number
  name: string
  title: string
  employer: string
  employerOrgId: number | null
}

async function appointedExperts(db: Database, eventId: number): Promise<AppointedExpert[]> {
  const rows = await db
    .selectFrom('event_experts as ee')
    .innerJoin('experts as e', 'e.id', 'ee.expert_id')
    .select(['e.id', 'e.user_id', 'e.name', 'e.title', 'e.employer', 'e.employer_org_id'])
    .where('ee.event_id', '=', eventId)
    .orderBy('e.name')
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    expertId: r.id,
    userId: r.user_id,
    name: r.name,
    title: r.title,
    employer: r.employer,
    employerOrgId: r.employer_org_id,
  }))
}

export type ExclusionReason = 'employer' | 'member' | 'declared'

/** Per appointed expert, the needs they are excluded from, and why. */
async function exclusions(
  db: Database,
  eventId: number,
  experts: readonly AppointedExpert[],
  proposals: readonly Proposal[],
): Promise<Map<number, Map<number, ExclusionReason>>> {
  const result = new Map<number, Map<number, ExclusionReason>>()
  if (experts.length === 0) return result
  const memberships = await db
    .selectFrom('memberships')
    .select(['user_id', 'org_id'])
    .where(
      'user_id',
      'in',
      experts.map((e) => e.userId),
    )
    .where('status', '=', 'active')
    .execute()
  const declared = await db
    .selectFrom('event_review_ties')
    .select(['expert_id', 'need_id'])
    .where('event_id', '=', eventId)
    .execute()
  for (const expert of experts) {
    const excluded = new Map<number, ExclusionReason>()
    const memberOf = new Set(memberships.filter((m) => m.user_id === expert.userId).map((m) => m.org_id))
    for (const p of proposals) {
      if (excluded.has(p.needId)) continue
      if (expert.employerOrgId !== null && p.orgIds.includes(expert.employerOrgId)) excluded.set(p.needId, 'employer')
      else if (p.orgIds.some((o) => memberOf.has(o))) excluded.set(p.needId, 'member')
    }
    for (const d of declared) {
      if (d.expert_id === expert.expertId && !excluded.has(d.need_id)) excluded.set(d.need_id, 'declared')
    }
    result.set(expert.expertId, excluded)
  }
  return result
}

async function sheetsOf(db: Database, eventId: number, needId?: number) {
  let q = db
    .selectFrom('event_review_sheets as s')
    .leftJoin('event_review_scores as sc', 'sc.sheet_id', 's.id')
    .select(['s.id', 's.expert_id', 's.need_id', 's.bid_id', 's.comment', 'sc.criterion_id', 'sc.score'])
    .where('s.event_id', '=', eventId)
  if (needId !== undefined) q = q.where('s.need_id', '=', needId)
  const rows = await q.orderBy('s.id').execute()
  const sheets = new Map<
    number,
    { expertId: number; needId: number; bidId: number; comment: string; scores: Map<number, number> }
  >()
  for (const r of rows) {
    let sheet = sheets.get(r.id)
    if (!sheet) {
      sheet = { expertId: r.expert_id, needId: r.need_id, bidId: r.bid_id, comment: r.comment, scores: new Map() }
      sheets.set(r.id, sheet)
    }
    if (r.criterion_id !== null && r.score !== null) sheet.scores.set(r.criterion_id, r.score)
  }
  return [...sheets.values()]
}

export interface RankedProposal extends BidResult {
  providerName: string
  providerOrgId: number
  priceText: string
}

export interface NeedReview {
  needId: number
  title: string
  enterprise: string
  proposals: number
  /** Appointed experts not excluded from the need. */
  experts: number
  excludedExperts: number
  /** Sheets submitted by eligible experts / expected (eligible experts × proposals). */
  sheetsDone: number
  sheetsExpected: number
  results: RankedProposal[]
}

async function needReviews(db: Database, eventId: number, criteria: CriterionRule[]): Promise<NeedReview[]> {
  const needs = await listedNeeds(db, eventId)
  const proposals = await proposalsOf(db, eventId)
  const experts = await appointedExperts(db, eventId)
  const excluded = await exclusions(db, eventId, experts, proposals)
  const sheets = await sheetsOf(db, eventId)
  return needs.map((need) => {
    const mine = proposals.filter((p) => p.needId === need.id)
    const eligible = experts.filter((e) => !excluded.get(e.expertId)?.has(need.id))
    const eligibleIds = new Set(eligible.map((e) => e.expertId))
    const bidIds = new Set(mine.map((p) => p.bidId))
    const counted: ExpertSheet[] = sheets
      .filter((s) => s.needId === need.id && eligibleIds.has(s.expertId) && bidIds.has(s.bidId))
      .map((s) => ({ bidId: s.bidId, expertId: s.expertId, scores: s.scores }))
    const ranked = rankBids(
      criteria,
      mine.map((p) => p.bidId),
      counted,
    )
    return {
      needId: need.id,
      title: need.title,
      enterprise: need.enterprise,
      proposals: mine.length,
      experts: eligible.length,
      excludedExperts: experts.length - eligible.length,
      sheetsDone: counted.length,
      sheetsExpected: eligible.length * mine.length,
      results: ranked.map((r) => {
        const p = mine.find((x) => x.bidId === r.bidId)!
        return { ...r, providerName: p.providerName, providerOrgId: p.providerOrgId, priceText: p.priceText }
      }),
    }
  })
}

async function publicationOf(db: Database, eventId: number) {
  return db.selectFrom('event_review_publications').selectAll().where('event_id', '=', eventId).executeTakeFirst()
}

export interface ReviewBoard {
  event: { id: number; title: string; stage: EventRow['stage'] }
  role: EventRole
  criteria: CriterionView[]
  experts: Array<Omit<AppointedExpert, 'userId' | 'employerOrgId'>>
  /** Active experts of the organiser's library not yet appointed (when the actor may appoint). */
  library: Array<{ expertId: number; name: string; title: string; employer: string }>
  needs: NeedReview[]
  mayPrepare: boolean
  mayPublish: boolean
  publishedAt: string | null
}

/** The organiser's 方案评选 page (agencies over the region read it). */
export async function reviewBoard(db: Database, actor: Actor, eventId: number): Promise<ReviewBoard> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  const criteria = await criteriaOf(db, eventId)
  const experts = await appointedExperts(db, eventId)
  const mayPrepare = role === 'organiser' && isOpen('prepareReview', event.stage)
  const library = mayPrepare
    ? await db
        .selectFrom('experts')
        .select(['id', 'name', 'title', 'employer'])
        .where('agency_org_id', '=', event.organiser_org_id)
        .where('active', '=', 1)
        .where('id', 'not in', db.selectFrom('event_experts').select('expert_id').where('event_id', '=', eventId))
        .orderBy('name')
        .orderBy('id')
        .limit(200)
        .execute()
    : []
  const publication = await publicationOf(db, eventId)
  return {
    event: { id: event.id, title: event.title, stage: event.stage },
    role,
    criteria,
    experts: experts.map(({ expertId, name, title, employer }) => ({ expertId, name, title, employer })),
    library: library.map((e) => ({ expertId: e.id, name: e.name, title: e.title, employer: e.employer })),
    needs: await needReviews(db, eventId, criteria),
    mayPrepare,
    mayPublish: role === 'organiser' && !publication && mayPublishIn(event.stage) && criteria.length > 0,
    publishedAt: publication ? String(publication.published_at) : null,
  }
}

function mayPublishIn(stage: EventRow['stage']): boolean {
  return stage !== 'cancelled' && reached(stage, 'proposal_review')
}

// ---------------------------------------------------------------------------------------
// The organiser's writes

const zWhole = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,3}$/, key)
    .transform(Number)

const zList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

/** The scoring sheet as a form: parallel lists name[], weight[], maxScore[], description[]; blank rows ignored. */
export const ZReviewSheetInput = z
  .object({ 'name[]': zList, 'weight[]': zList, 'maxScore[]': zList, 'description[]': zList })
  .transform((v, ctx) => {
    const rows: Array<{ name: string; weight: number; maxScore: number; description: string }> = []
    v['name[]'].forEach((raw, i) => {
      const name = raw.trim()
      if (name === '') return
      const weight = zWhole('eventReview.v.weight').safeParse(v['weight[]'][i] ?? '')
      const maxScore = zWhole('eventReview.v.maxScore').safeParse(v['maxScore[]'][i] ?? '')
      if (!weight.success) ctx.addIssue({ code: 'custom', path: ['weight'], message: 'eventReview.v.weight' })
      if (!maxScore.success) ctx.addIssue({ code: 'custom', path: ['maxScore'], message: 'eventReview.v.maxScore' })
      rows.push({
        name,
        weight: weight.success ? weight.data : 0,
        maxScore: maxScore.success ? maxScore.data : 0,
        description: (v['description[]'][i] ?? '').trim().slice(0, 300),
      })
    })
    return rows
  })
export type ReviewSheetInput = z.infer<typeof ZReviewSheetInput>

const SHEET_PROBLEM_FIELD = {
  count: ['name', 'eventReview.v.criteriaCount'],
  name: ['name', 'eventReview.v.criterionName'],
  duplicateName: ['name', 'eventReview.v.duplicateName'],
  weight: ['weight', 'eventReview.v.weight'],
  maxScore: ['maxScore', 'eventReview.v.maxScore'],
  weightSum: ['weight', 'eventReview.v.weightSum'],
} as const

/** Replaces the scoring sheet (while the review is being prepared). */
export async function setReviewSheet(db: Database, actor: Actor, eventId: number, rows: ReviewSheetInput): Promise<void> {
  const problem = sheetProblem(rows)
  if (problem) {
    const [field, key] = SHEET_PROBLEM_FIELD[problem]
    throw new AppError('VALIDATION', 'errors.validationOne', {
      fieldErrors: { [field]: key },
      params: { max: MAX_CRITERIA },
    })
  }
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'prepareReview')
    await trx.deleteFrom('event_review_criteria').where('event_id', '=', eventId).execute()
    await trx
      .insertInto('event_review_criteria')
      .values(
        rows.map((r, i) => ({
          event_id: eventId,
          position: i + 1,
          name: r.name,
          description: r.description,
          weight: r.weight,
          max_score: r.maxScore,
        })),
      )
      .execute()
    await recordAudit(trx, {
      action: 'event.review_sheet_set',
      ...auditActor(actor),
      objectType: 'event',
      objectId: event.id,
      detail: { criteria: rows.map((r) => `${r.name} ${r.weight}%/${r.maxScore}`).join('; ') },
    })
  })
}

export const ZExpertChoice = z.object({ expertId: zFormId })
export const ZReviewIntent = z.object({ intent: z.enum(['sheet', 'appoint', 'remove', 'publish'], { error: 'errors.invalid' }) })
/** `/expert/events/:id/needs/:needId`. */
export const ZExpertNeedParams = z.object({ id: zId, needId: zId })
export const ZExpertPageIntent = z.object({ intent: z.enum(['tie', 'score'], { error: 'errors.invalid' }) })

export async function appointExpert(db: Database, actor: Actor, eventId: number, expertId: number): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const event = await eventToManage(trx, actor, eventId, 'prepareReview')
      const expert = await trx
        .selectFrom('experts')
        .select(['id', 'name'])
        .where('id', '=', expertId)
        .where('agency_org_id', '=', event.organiser_org_id)
        .where('active', '=', 1)
        .executeTakeFirst()
      if (!expert) {
        throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { expertId: 'eventReview.v.expertId' } })
      }
      await trx
        .insertInto('event_experts')
        .values({ event_id: eventId, expert_id: expertId, created_at: new Date().toISOString() })
        .execute()
      await recordAudit(trx, {
        action: 'event.expert_appointed',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
        detail: { expertId, name: expert.name },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'eventReview.e.alreadyAppointed')
    throw error
  }
}

export async function removeAppointedExpert(db: Database, actor: Actor, eventId: number, expertId: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'prepareReview')
    const removed = await trx
      .deleteFrom('event_experts')
      .where('event_id', '=', eventId)
      .where('expert_id', '=', expertId)
      .executeTakeFirst()
    if (Number(removed.numDeletedRows) === 0) throw new AppError('NOT_FOUND', 'eventReview.e.expertNotFound')
    await trx.deleteFrom('event_review_ties').where('event_id', '=', eventId).where('expert_id', '=', expertId).execute()
    await recordAudit(trx, {
      action: 'event.expert_removed',
      ...auditActor(actor),
      objectType: 'event',
      objectId: event.id,
      detail: { expertId },
    })
  })
}

/** Publishes the results (once): scoring closes, bidders see their scores. */
export async function publishReviewResults(db: Database, actor: Actor, eventId: number): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const event = await eventToManage(trx, actor, eventId)
      if (!mayPublishIn(event.stage)) throw new AppError('CONFLICT', 'events.e.stageClosed')
      if ((await criteriaOf(trx, eventId)).length === 0) throw new AppError('CONFLICT', 'eventReview.e.noSheet')
      if (await publicationOf(trx, eventId)) throw new AppError('CONFLICT', 'eventReview.e.published')
      await trx
        .insertInto('event_review_publications')
        .values({ event_id: eventId, published_by: actor.userId, published_at: new Date().toISOString() })
        .execute()
      await recordAudit(trx, {
        action: 'event.review_published',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'eventReview.e.published')
    throw error
  }
}

// ---------------------------------------------------------------------------------------
// The expert's side: who acts is the person (actor.userId), whatever org they act for.

/** The actor's appointment to the event (an expert of the organiser's library), or NOT_FOUND. */
async function appointmentOf(db: Database, actor: Actor, eventId: number) {
  const row = await db
    .selectFrom('event_experts as ee')
    .innerJoin('experts as e', 'e.id', 'ee.expert_id')
    .innerJoin('events as ev', 'ev.id', 'ee.event_id')
    .selectAll('ev')
    .select(['e.id as expert_id', 'e.name as expert_name'])
    .where('ee.event_id', '=', eventId)
    .where('e.user_id', '=', actor.userId)
    .whereRef('e.agency_org_id', '=', 'ev.organiser_org_id')
    .executeTakeFirst()
  if (!row || row.stage === 'draft') throw new AppError('NOT_FOUND', 'events.e.notFound')
  const { expert_id: expertId, expert_name: expertName, ...event } = row
  return { expertId, expertName, event }
}

export interface ExpertTaskNeed {
  needId: number
  title: string
  enterprise: string
  proposals: number
  scored: number
  excluded: ExclusionReason | null
  bidders: Array<{ orgId: number; name: string }>
}

export interface ExpertTask {
  eventId: number
  title: string
  stage: EventRow['stage']
  organiser: string
  open: boolean
  published: boolean
  needs: ExpertTaskNeed[]
}

/** The expert's tasks: every event they are appointed to (published ones), with the needs to score. */
export async function expertTasks(db: Database, actor: Actor): Promise<{ isExpert: boolean; tasks: ExpertTask[] }> {
  const appointments = await db
    .selectFrom('event_experts as ee')
    .innerJoin('experts as e', 'e.id', 'ee.expert_id')
    .innerJoin('events as ev', 'ev.id', 'ee.event_id')
    .innerJoin('organisations as o', 'o.id', 'ev.organiser_org_id')
    .select(['ev.id', 'ev.title', 'ev.stage', 'o.name as organiser', 'e.id as expert_id'])
    .where('e.user_id', '=', actor.userId)
    .whereRef('e.agency_org_id', '=', 'ev.organiser_org_id')
    .where('ev.stage', '!=', 'draft')
    .orderBy('ev.id', 'desc')
    .limit(50)
    .execute()
  const isExpert =
    appointments.length > 0 ||
    Boolean(
      await db.selectFrom('experts').select('id').where('user_id', '=', actor.userId).where('active', '=', 1).executeTakeFirst(),
    )
  const tasks: ExpertTask[] = []
  for (const a of appointments) {
    const needs = await listedNeeds(db, a.id)
    const proposals = await proposalsOf(db, a.id)
    const experts = (await appointedExperts(db, a.id)).filter((e) => e.expertId === a.expert_id)
    const excluded = (await exclusions(db, a.id, experts, proposals)).get(a.expert_id) ?? new Map<number, ExclusionReason>()
    const mySheets = await db
      .selectFrom('event_review_sheets')
      .select(['need_id', 'bid_id'])
      .where('event_id', '=', a.id)
      .where('expert_id', '=', a.expert_id)
      .execute()
    tasks.push({
      eventId: a.id,
      title: a.title,
      stage: a.stage,
      organiser: a.organiser,
      open: isOpen('scoreProposals', a.stage),
      published: Boolean(await publicationOf(db, a.id)),
      needs: needs.map((n) => {
        const mine = proposals.filter((p) => p.needId === n.id)
        return {
          needId: n.id,
          title: n.title,
          enterprise: n.enterprise,
          proposals: mine.length,
          scored: mySheets.filter((s) => s.need_id === n.id && mine.some((p) => p.bidId === s.bid_id)).length,
          excluded: excluded.get(n.id) ?? null,
          bidders: mine.map((p) => ({ orgId: p.providerOrgId, name: p.providerName })),
        }
      }),
    })
  }
  return { isExpert, tasks }
}

export const ZTieInput = z.object({
  eventId: zFormId,
  needId: zFormId,
  providerOrgId: z
    .string({ error: 'eventReview.v.bidder' })
    .regex(/^[1-9]\d{0,9}$/, 'eventReview.v.bidder')
    .transform(Number),
  reason: z.string({ error: 'eventReview.v.reason' }).trim().min(2, 'eventReview.v.reason').max(500, 'eventReview.v.reason'),
})
export type TieInput = z.infer<typeof ZTieInput>

/** An appointed expert declares a tie to a bidder of a need: excluded from that need from now on. */
export async function declareTie(db: Database, actor: Actor, input: TieInput): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const { expertId, event } = await appointmentOf(trx, actor, input.eventId)
      if (await publicationOf(trx, input.eventId)) throw new AppError('CONFLICT', 'eventReview.e.published')
      const proposals = await proposalsOf(trx, input.eventId, input.needId)
      if (!proposals.some((p) => p.orgIds.includes(input.providerOrgId))) {
        throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { providerOrgId: 'eventReview.v.bidder' } })
      }
      await trx
        .insertInto('event_review_ties')
        .values({
          event_id: input.eventId,
          expert_id: expertId,
          need_id: input.needId,
          provider_org_id: input.providerOrgId,
          reason: input.reason,
          created_at: new Date().toISOString(),
        })
        .execute()
      await trx
        .deleteFrom('event_review_sheets')
        .where('event_id', '=', input.eventId)
        .where('expert_id', '=', expertId)
        .where('need_id', '=', input.needId)
        .execute()
      await recordAudit(trx, {
        action: 'event.review_tie_declared',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
        detail: { expertId, needId: input.needId, providerOrgId: input.providerOrgId },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'eventReview.e.tieExists')
    throw error
  }
}

export interface ExpertNeedPage {
  event: { id: number; title: string; stage: EventRow['stage'] }
  need: { id: number; title: string; enterprise: string }
  expertName: string
  criteria: CriterionView[]
  excluded: ExclusionReason | null
  mayScore: boolean
  published: boolean
  proposals: Array<{
    bidId: number
    providerName: string
    priceText: string
    durationDays: number
    plan: string
    comment: string
    scores: Record<number, number>
    scored: boolean
  }>
}

/** The scoring page of one need for an appointed expert (no proposal shown when excluded). */
export async function expertNeed(db: Database, actor: Actor, eventId: number, needId: number): Promise<ExpertNeedPage> {
  const { expertId, expertName, event } = await appointmentOf(db, actor, eventId)
  const need = (await listedNeeds(db, eventId)).find((n) => n.id === needId)
  if (!need) throw new AppError('NOT_FOUND', 'eventReview.e.needNotFound')
  const proposals = await proposalsOf(db, eventId, needId)
  const experts = (await appointedExperts(db, eventId)).filter((e) => e.expertId === expertId)
  const excluded = (await exclusions(db, eventId, experts, proposals)).get(expertId)?.get(needId) ?? null
  const published = Boolean(await publicationOf(db, eventId))
  const sheets = excluded ? [] : (await sheetsOf(db, eventId, needId)).filter((s) => s.expertId === expertId)
  return {
    event: { id: event.id, title: event.title, stage: event.stage },
    need: { id: need.id, title: need.title, enterprise: need.enterprise },
    expertName,
    criteria: await criteriaOf(db, eventId),
    excluded,
    mayScore: !excluded && !published && isOpen('scoreProposals', event.stage),
    published,
    proposals: excluded
      ? []
      : proposals.map((p) => {
          const sheet = sheets.find((s) => s.bidId === p.bidId)
          return {
            bidId: p.bidId,
            providerName: p.providerName,
            priceText: p.priceText,
            durationDays: p.durationDays,
            plan: p.plan,
            comment: sheet?.comment ?? '',
            scores: Object.fromEntries(sheet?.scores ?? []),
            scored: Boolean(sheet),
          }
        }),
  }
}

/** A score form: bidId, comment, and `s<criterionId>` per criterion (other fields are ignored). */
export const ZScoreInput = z
  .object({
    bidId: zFormId,
    comment: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .pipe(z.string().max(2000, 'eventReview.v.comment')),
  })
  .catchall(z.unknown())
  .transform((v) => {
    const scores: Record<number, string> = {}
    for (const [key, value] of Object.entries(v)) {
      const m = /^s([1-9]\d{0,9})$/.exec(key)
      if (m && typeof value === 'string') scores[Number(m[1])] = value.trim()
    }
    return { bidId: v.bidId, comment: v.comment, scores }
  })
export type ScoreInput = z.infer<typeof ZScoreInput>

/** Saves (or replaces) the expert's scores of one proposal; every criterion 0 … max. */
export async function scoreProposal(
  db: Database,
  actor: Actor,
  eventId: number,
  needId: number,
  input: ScoreInput,
): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const { expertId, event } = await appointmentOf(trx, actor, eventId)
      if (!isOpen('scoreProposals', event.stage)) throw new AppError('CONFLICT', 'events.e.stageClosed')
      if (await publicationOf(trx, eventId)) throw new AppError('CONFLICT', 'eventReview.e.published')
      const proposals = await proposalsOf(trx, eventId, needId)
      const proposal = proposals.find((p) => p.bidId === input.bidId)
      if (!proposal) throw new AppError('NOT_FOUND', 'eventReview.e.proposalNotFound')
      const experts = (await appointedExperts(trx, eventId)).filter((e) => e.expertId === expertId)
      if ((await exclusions(trx, eventId, experts, proposals)).get(expertId)?.has(needId)) {
        throw new AppError('FORBIDDEN', 'eventReview.e.excluded')
      }
      const criteria = await criteriaOf(trx, eventId)
      if (criteria.length === 0) throw new AppError('CONFLICT', 'eventReview.e.noSheet')
      const fieldErrors: Record<string, 'eventReview.v.score'> = {}
      const values: Array<{ criterionId: number; score: number }> = []
      for (const c of criteria) {
        const raw = input.scores[c.id] ?? ''
        const n = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN
        if (!Number.isInteger(n) || n < 0 || n > c.maxScore) fieldErrors[`s${c.id}`] = 'eventReview.v.score'
        else values.push({ criterionId: c.id, score: n })
      }
      const errorCount = Object.keys(fieldErrors).length
      if (errorCount > 0) {
        throw errorCount === 1
          ? new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
          : new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count: errorCount } })
      }
      const now = new Date().toISOString()
      const existing = await trx
        .selectFrom('event_review_sheets')
        .select('id')
        .where('event_id', '=', eventId)
        .where('expert_id', '=', expertId)
        .where('bid_id', '=', input.bidId)
        .executeTakeFirst()
      let sheetId: number
      if (existing) {
        sheetId = existing.id
        await trx
          .updateTable('event_review_sheets')
          .set({ comment: input.comment, submitted_by: actor.userId, submitted_at: now })
          .where('id', '=', sheetId)
          .execute()
        await trx.deleteFrom('event_review_scores').where('sheet_id', '=', sheetId).execute()
      } else {
        const row = await trx
          .insertInto('event_review_sheets')
          .values({
            event_id: eventId,
            expert_id: expertId,
            need_id: needId,
            bid_id: input.bidId,
            comment: input.comment,
            submitted_by: actor.userId,
            submitted_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        sheetId = row.id
      }
      await trx
        .insertInto('event_review_scores')
        .values(values.map((v) => ({ sheet_id: sheetId, criterion_id: v.criterionId, score: v.score })))
        .execute()
      await recordAudit(trx, {
        action: 'event.proposal_scored',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
        detail: { expertId, needId, bidId: input.bidId },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'eventReview.e.scoredTwice')
    throw error
  }
}

// ---------------------------------------------------------------------------------------
// The bidder's side

export interface BidderResults {
  event: { id: number; title: string; stage: EventRow['stage'] }
  published: boolean
  criteria: CriterionView[]
  results: Array<RankedProposal & { needTitle: string; of: number }>
}

/** A provider's own proposals' results, once published (before: published false, nothing else). */
export async function bidderResults(db: Database, actor: Actor, eventId: number): Promise<BidderResults> {
  const { event, role } = await eventFor(db, actor, eventId)
  const org = actor.org
  if (role !== 'provider' || !org) throw new AppError('FORBIDDEN', 'eventReview.e.biddersOnly')
  const summary = { id: event.id, title: event.title, stage: event.stage }
  if (!(await publicationOf(db, eventId))) return { event: summary, published: false, criteria: [], results: [] }
  const criteria = await criteriaOf(db, eventId)
  const needs = await needReviews(db, eventId, criteria)
  const results = needs.flatMap((n) =>
    n.results.filter((r) => r.providerOrgId === org.orgId).map((r) => ({ ...r, needTitle: n.title, of: n.proposals })),
  )
  return { event: summary, published: true, criteria, results }
}
