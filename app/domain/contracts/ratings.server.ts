import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { SURVEY_GRADES, SURVEY_OVERALLS, type RatingSide } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { ratingFactor } from '../matching/factors.js'
import { loadProviderRatings } from '../matching/data.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { zId, zPageParam } from '../shared/schema.js'
import { contractFor, type ContractRole, type ContractRow } from './access.server.js'
import { recordContractEvent } from './events.server.js'
import {
  enterpriseRatingsVisibleTo,
  gradedFormValue,
  RATING_LIMITS,
  ratingSideOf,
  ratingVisibleOnContract,
  replierRole,
  type RatingView,
} from './ratings.js'

export type { RatingView } from './ratings.js'

/*
 * Ratings on a completed contract (issue 14 §6; the rules in ratings.ts). Use cases:
 * - getContractRatings: /contracts/:id/ratings — the ratings this reader may see, the
 *   form of its side while it has not rated, the reply it may give;
 * - rateContract: a member of the enterprise, the provider or the appointed supervisor
 *   rates once for its side, the contract completed. The unique key (contract_id, side)
 *   decides a race: the losers get CONFLICT 'ratings.e.already', never a 500. Event
 *   'rated', audit rating.given, the provider told (rating_received) of the enterprise's
 *   rating and of the supervisor's score;
 * - replyToRating: the provider's members answer the enterprise's rating or the
 *   supervisor's score once (a conditional update where replied_at is null). Event
 *   'rating_replied', audit rating.replied;
 * - providerRatingsSection: the provider's public page — the enterprises' ratings, the
 *   score matching weighs (ratingFactor over loadProviderRatings), the newest ten;
 * - enterpriseRatingSummary: the providers' ratings of a need's enterprise, for
 *   provider viewers of its page only.
 */

export const RATING_OBJECT_TYPE = 'contract_rating'

const grade = z.enum(SURVEY_GRADES, { error: 'ratings.v.grade' })

/** The form: five grades, the overall verdict, a comment. Nothing else is read (mass assignment). */
export const ZRatingInput = z.object({
  item1: grade,
  item2: grade,
  item3: grade,
  item4: grade,
  item5: grade,
  overall: z.enum(SURVEY_OVERALLS, { error: 'ratings.v.overall' }),
  comment: z.string().trim().max(RATING_LIMITS.comment, 'ratings.v.commentTooLong').default(''),
})
export type TRatingInput = z.infer<typeof ZRatingInput>

export const ZReplyInput = z.object({
  ratingId: zId,
  reply: z
    .string({ error: 'ratings.v.replyRequired' })
    .trim()
    .min(1, 'ratings.v.replyRequired')
    .max(RATING_LIMITS.reply, 'ratings.v.replyTooLong'),
})
export type TReplyInput = z.infer<typeof ZReplyInput>

export const ZRatingIntent = z.object({ intent: z.enum(['rate', 'reply'], { error: 'errors.badRequest' }) })

/** ?ratingsPage= on the provider's page. */
export const ZProviderRatingsQuery = z.object({ ratingsPage: zPageParam(10_000) })

export interface ContractRatingsPage {
  contract: {
    id: number
    title: string
    status: ContractRow['status']
    enterpriseName: string
    providerName: string
    supervisorName: string | null
  }
  role: ContractRole
  ratings: RatingView[]
  /** The side this reader rates as, when it may rate now. */
  rateAs: RatingSide | null
  /** Why the reader's side cannot rate: the contract is not completed, it rated already, it does not rate. */
  waiting: 'notCompleted' | 'rated' | 'noSide' | null
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : String(value)

type RatingRow = Awaited<ReturnType<ReturnType<typeof ratingRows>['execute']>>[number]

function ratingRows(db: Kysely<DB>) {
  return db
    .selectFrom('contract_ratings as r')
    .innerJoin('organisations as rater', 'rater.id', 'r.rater_org_id')
    .innerJoin('organisations as rated', 'rated.id', 'r.rated_org_id')
    .select([
      'r.id',
      'r.contract_id',
      'r.side',
      'rater.name as rater_name',
      'rated.name as rated_name',
      'r.item_1',
      'r.item_2',
      'r.item_3',
      'r.item_4',
      'r.item_5',
      'r.overall',
      'r.comment',
      'r.reply',
      'r.replied_at',
      'r.created_at',
    ])
}

function viewOf(row: RatingRow, canReply: boolean): RatingView {
  const grades = [row.item_1, row.item_2, row.item_3, row.item_4, row.item_5]
  return {
    id: Number(row.id),
    side: row.side,
    raterName: row.rater_name,
    ratedName: row.rated_name,
    grades,
    overall: row.overall,
    comment: row.comment,
    score: Math.round(gradedFormValue(row.overall, grades) * 100),
    createdAt: iso(row.created_at) ?? '',
    reply: row.reply,
    repliedAt: iso(row.replied_at),
    canReply,
  }
}

/** The reader's view of a contract's ratings (a contract reader; anyone else 404). */
export async function getContractRatings(db: Database, actor: Actor, contractId: number): Promise<ContractRatingsPage> {
  const ref = await getReferenceData(db)
  const { contract, role } = await contractFor(db, actor, contractId, ref)
  const [rows, names] = await Promise.all([
    ratingRows(db).where('r.contract_id', '=', contractId).orderBy('r.id').execute(),
    db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where(
        'id',
        'in',
        [contract.enterprise_org_id, contract.provider_org_id, contract.supervisor_org_id].filter(
          (id): id is number => id !== null,
        ),
      )
      .execute(),
  ])
  const nameOf = (id: number | null) => (id === null ? null : (names.find((n) => Number(n.id) === id)?.name ?? null))
  const reader = { role, isProvider: role === 'provider' || role === 'supervisor' }
  const side = ratingSideOf(role)
  const rated = side !== null && rows.some((r) => r.side === side)
  const completed = contract.status === 'completed'
  return {
    contract: {
      id: contract.id,
      title: contract.title,
      status: contract.status,
      enterpriseName: nameOf(contract.enterprise_org_id) ?? '',
      providerName: nameOf(contract.provider_org_id) ?? '',
      supervisorName: nameOf(contract.supervisor_org_id),
    },
    role,
    ratings: rows
      .filter((r) => ratingVisibleOnContract(r.side, reader))
      .map((r) => viewOf(r, completed && replierRole(r.side) === role && r.replied_at === null)),
    rateAs: completed && side !== null && !rated ? side : null,
    waiting: side === null ? 'noSide' : !completed ? 'notCompleted' : rated ? 'rated' : null,
  }
}

function alreadyRated(): AppError {
  return new AppError('CONFLICT', 'ratings.e.already')
}

/** The org a side's rating is about: the provider (rated by the enterprise, scored by the supervisor) or the enterprise. */
function ratedOrgOf(contract: ContractRow, side: RatingSide): number {
  return side === 'provider' ? contract.enterprise_org_id : contract.provider_org_id
}

/** A member of a party or of the supervisor rates the completed contract for its side, once. */
export async function rateContract(db: Database, actor: Actor, contractId: number, input: TRatingInput): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const { contract, role } = await contractFor(trx, actor, contractId, ref)
      const side = ratingSideOf(role)
      if (side === null || !actor.org) throw new AppError('FORBIDDEN', 'ratings.e.notRater')
      if (contract.status !== 'completed') throw new AppError('INVALID_STATE', 'ratings.e.notCompleted')
      const existing = await trx
        .selectFrom('contract_ratings')
        .select('id')
        .where('contract_id', '=', contractId)
        .where('side', '=', side)
        .executeTakeFirst()
      if (existing) throw alreadyRated()
      const ratedOrgId = ratedOrgOf(contract, side)
      const now = new Date().toISOString()
      const row = await trx
        .insertInto('contract_ratings')
        .values({
          contract_id: contractId,
          side,
          rater_org_id: actor.org.orgId,
          rated_org_id: ratedOrgId,
          rated_by: actor.userId,
          item_1: input.item1,
          item_2: input.item2,
          item_3: input.item3,
          item_4: input.item4,
          item_5: input.item5,
          overall: input.overall,
          comment: input.comment,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const id = Number(row.id)
      await recordContractEvent(trx, {
        contractId,
        kind: 'rated',
        actorUserId: actor.userId,
        actorOrgId: actor.org.orgId,
        objectId: id,
        detail: { side },
        at: now,
      })
      await recordAudit(trx, {
        action: 'rating.given',
        ...auditActor(actor),
        regionCode: contract.region_code,
        objectType: RATING_OBJECT_TYPE,
        objectId: id,
        detail: {
          contractId,
          side,
          ratedOrgId,
          items: [input.item1, input.item2, input.item3, input.item4, input.item5],
          overall: input.overall,
        },
      })
      // The enterprise never sees the providers' ratings of it: it is not told of one either.
      if (side !== 'provider') {
        await notify(db, trx, afterCommit, {
          kind: 'rating_received',
          orgId: ratedOrgId,
          params: { org: actor.org.orgName, contract: contract.title },
          link: `/contracts/${contractId}/ratings`,
        })
      }
      return { id }
    })
  } catch (error) {
    // Two members of one side at once: the unique key (contract_id, side) lets one in.
    if (uniqueViolation(error)) throw alreadyRated()
    throw error
  }
}

/** The rated side (the provider) answers a rating once. */
export async function replyToRating(db: Database, actor: Actor, ratingId: number, reply: string): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const rating = await trx
      .selectFrom('contract_ratings')
      .select(['id', 'contract_id', 'side', 'replied_at'])
      .where('id', '=', ratingId)
      .executeTakeFirst()
    if (!rating) throw new AppError('NOT_FOUND', 'ratings.e.notFound')
    const { contract, role } = await contractFor(trx, actor, rating.contract_id, ref)
    // A rating this reader may not see does not exist for it.
    if (!ratingVisibleOnContract(rating.side, { role, isProvider: role === 'provider' || role === 'supervisor' })) {
      throw new AppError('NOT_FOUND', 'ratings.e.notFound')
    }
    if (replierRole(rating.side) !== role || !actor.org) throw new AppError('FORBIDDEN', 'ratings.e.notReplier')
    if (rating.replied_at !== null) throw new AppError('CONFLICT', 'ratings.e.replied')
    const now = new Date().toISOString()
    const result = await trx
      .updateTable('contract_ratings')
      .set({ reply, replied_by: actor.userId, replied_at: now })
      .where('id', '=', ratingId)
      .where('replied_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'ratings.e.replied')
    await recordContractEvent(trx, {
      contractId: contract.id,
      kind: 'rating_replied',
      actorUserId: actor.userId,
      actorOrgId: actor.org.orgId,
      objectId: ratingId,
      detail: { side: rating.side },
      at: now,
    })
    await recordAudit(trx, {
      action: 'rating.replied',
      ...auditActor(actor),
      regionCode: contract.region_code,
      objectType: RATING_OBJECT_TYPE,
      objectId: ratingId,
      detail: { contractId: contract.id, side: rating.side },
    })
  })
}

export interface ProviderRatingsSection {
  /** Enterprises' ratings of its contracts. */
  count: number
  /** The rating matching weighs (0–100): the decayed Bayesian mean of these and of its diagnosis surveys; null without any. */
  score: number | null
  /** How many ratings and surveys the score rests on. */
  basedOn: number
  /** Share (whole percent) of the contract ratings whose verdict is 满意. */
  satisfiedPercent: number
  items: RatingView[]
  page: number
  pageCount: number
}

/** The provider's public page: its enterprises' contract ratings, ten a page, newest first. */
export async function providerRatingsSection(
  db: Database,
  providerOrgId: number,
  page = 1,
  now: Date = new Date(),
): Promise<ProviderRatingsSection> {
  const size = RATING_LIMITS.publicPageSize
  const base = db.selectFrom('contract_ratings').where('rated_org_id', '=', providerOrgId).where('side', '=', 'enterprise')
  const [totals, weighed] = await Promise.all([
    base
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('overall', '=', 'satisfied').then(1).else(0).end()).as('satisfied'),
      ])
      .executeTakeFirstOrThrow(),
    loadProviderRatings(db, [providerOrgId]),
  ])
  const count = Number(totals.n ?? 0)
  const pageCount = Math.max(1, Math.ceil(count / size))
  const current = Math.min(Math.max(1, page), pageCount)
  const rows =
    count === 0
      ? []
      : await ratingRows(db)
          .where('r.rated_org_id', '=', providerOrgId)
          .where('r.side', '=', 'enterprise')
          .orderBy('r.id', 'desc')
          .limit(size)
          .offset((current - 1) * size)
          .execute()
  const ratings = weighed.get(providerOrgId) ?? []
  const factor = ratingFactor({ ratings }, { now })
  return {
    count,
    score: factor.neutral ? null : Math.round(factor.value * 100),
    basedOn: ratings.length,
    satisfiedPercent: count === 0 ? 0 : Math.round((Number(totals.satisfied ?? 0) * 100) / count),
    // The public page names no enterprise: the rating is 平台验证 (a completed contract), the client stays private.
    items: rows.map((r) => ({ ...viewOf(r, false), raterName: '' })),
    page: current,
    pageCount,
  }
}

export interface EnterpriseRatingSummary {
  count: number
  satisfiedPercent: number
}

/** Whether the actor acts for a verified provider (the only readers of the providers' ratings of enterprises). */
function actsForProvider(actor: Actor | null, ref: ReferenceData): boolean {
  return can(actor, ref, 'bid:need:role')
}

/** The providers' ratings of the need's enterprise, for a provider viewer of the need; null for anyone else. */
export async function enterpriseRatingSummary(
  db: Database,
  actor: Actor | null,
  needId: number,
): Promise<EnterpriseRatingSummary | null> {
  const ref = await getReferenceData(db)
  if (!enterpriseRatingsVisibleTo({ isProvider: actsForProvider(actor, ref) })) return null
  const need = await db.selectFrom('needs').select('org_id').where('id', '=', needId).executeTakeFirst()
  if (!need) return null
  const row = await db
    .selectFrom('contract_ratings')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('overall', '=', 'satisfied').then(1).else(0).end()).as('satisfied'),
    ])
    .where('rated_org_id', '=', need.org_id)
    .where('side', '=', 'provider')
    .executeTakeFirstOrThrow()
  const count = Number(row.n ?? 0)
  return { count, satisfiedPercent: count === 0 ? 0 : Math.round((Number(row.satisfied ?? 0) * 100) / count) }
}
