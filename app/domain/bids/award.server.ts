import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { createDraftFromAward } from '../contracts/draft.server.js'
import { transitionNeed } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { markTemplateVersionInUse } from '../providers/templates.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { bidReaderSide } from './access.server.js'
import { nextBidStatus, type BidStatus } from './lifecycle.js'
import { NOT_AWARDED_REASON } from './limits.js'
import { type BidDecisionInput } from './schema.js'
import { wanText } from '../../utils/format.js'

/*
 * Shortlist, reject and award (issue 14 §2): the need's enterprise decides on the bids
 * it received.
 *
 * - shortlist (入围) and reject (未中标, with a reason): any active member of the
 *   verified enterprise that owns the need ('read:bids:own'). The first shortlisting
 *   moves a published need to 'shortlisting' (need table: no new bids, no revisions).
 * - award (授标): an owner of that enterprise ('award:bid:own'), in ONE transaction:
 *   the need → awarded through transitionNeed (its conditional update on status and
 *   revision is the guard: of concurrent awards one wins, the others get CONFLICT
 *   'bids.e.awardConflict', never a 500; the partial unique index bids_one_award_uq is
 *   the last guard), the bid → awarded, every other live bid (submitted, shortlisted) →
 *   rejected with status_reason 'not_awarded', the bid's template version marked in use,
 *   the draft contract written (createDraftFromAward), audit, and the bidders told:
 *   award_won to the winner, award_lost to every other bidder still in the running or
 *   rejected before (not those who withdrew).
 * Locks are taken in one order — the need first, then bids — so a shortlist racing an
 * award cannot deadlock on PostgreSQL.
 * The agencies over the need's region read the bids but decide nothing (FORBIDDEN);
 * anyone else — a bidder included — is told the bid does not exist (404).
 */

/** The comparison page's form, for the route: through this .server module, zod stays out of the browser bundle. */
export { ZBidDecisionInput } from './schema.js'

interface DecisionBid {
  id: number
  need_id: number
  provider_org_id: number
  status: BidStatus
  template_version_id: number | null
  price_wan_x100: number
}

interface DecisionNeed {
  id: number
  org_id: number
  title: string
  status: string
  region_code: string
}

/** The bid and its need for the need's enterprise; FORBIDDEN for agencies over the need, NOT_FOUND for anyone else. */
async function bidForDecision(
  db: Kysely<DB>,
  actor: Actor,
  ref: ReferenceData,
  bidId: number,
  needId?: number,
): Promise<{ bid: DecisionBid; need: DecisionNeed }> {
  const bid = await db
    .selectFrom('bids')
    .select(['id', 'need_id', 'provider_org_id', 'status', 'template_version_id', 'price_wan_x100'])
    .where('id', '=', bidId)
    .executeTakeFirst()
  // A page about one need decides on that need's bids only.
  if (!bid || (needId !== undefined && bid.need_id !== needId)) throw new AppError('NOT_FOUND', 'bids.e.notFound')
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'title', 'status', 'region_code'])
    .where('id', '=', bid.need_id)
    .executeTakeFirstOrThrow()
  if (can(actor, ref, 'read:bids:own', { orgId: need.org_id })) return { bid, need }
  if (bidReaderSide(actor, ref, bid, need) === 'agency') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:bids:own' } })
  }
  throw new AppError('NOT_FOUND', 'bids.e.notFound')
}

function stale(): AppError {
  return new AppError('CONFLICT', 'bids.e.stale')
}

/** Moves the bid from the status it is in now (read in the transaction) by `action`; CONFLICT when it moved meanwhile. */
async function moveBid(
  trx: Transaction<DB>,
  bidId: number,
  action: 'shortlist' | 'reject' | 'award',
  set: { status_reason?: string },
  at: string,
): Promise<{ from: BidStatus; to: BidStatus; templateVersionId: number | null }> {
  const current = await trx
    .selectFrom('bids')
    .select(['status', 'template_version_id'])
    .where('id', '=', bidId)
    .executeTakeFirstOrThrow()
  const to = nextBidStatus(current.status, action)
  const result = await trx
    .updateTable('bids')
    .set({ status: to, updated_at: at, ...set })
    .where('id', '=', bidId)
    .where('status', '=', current.status)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw stale()
  return { from: current.status, to, templateVersionId: current.template_version_id }
}

/** 入围: the bid → shortlisted; a published need → shortlisting (bidding closes). */
export async function shortlistBid(
  db: Database,
  actor: Actor,
  bidId: number,
  now: Date = new Date(),
  needId?: number,
): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need } = await bidForDecision(db, actor, ref, bidId, needId)
  nextBidStatus(bid.status, 'shortlist')
  await withTransaction(db, async (trx, afterCommit) => {
    const current = await trx.selectFrom('needs').select('status').where('id', '=', need.id).executeTakeFirstOrThrow()
    // The need first (the award's lock order), and only the first shortlisting moves it.
    if (current.status === 'published') {
      await transitionNeed(trx, afterCommit, { kind: 'owner', actor, ref }, need.id, 'shortlist', {
        now,
        detail: { bidId },
      })
    } else if (current.status !== 'shortlisting') {
      throw new AppError('INVALID_STATE', 'bids.e.needDecided')
    }
    const moved = await moveBid(trx, bidId, 'shortlist', {}, now.toISOString())
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: need.org_id,
      regionCode: need.region_code,
      action: 'bid.shortlisted',
      objectType: 'bid',
      objectId: bidId,
      detail: { needId: need.id, from: moved.from, providerOrgId: bid.provider_org_id },
    })
  })
}

/** 不予入围 / 未中标: the bid → rejected, with the enterprise's reason (kept in status_reason, shown to the bidder). */
export async function rejectBid(
  db: Database,
  actor: Actor,
  bidId: number,
  reason: string,
  now: Date = new Date(),
  needId?: number,
): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need } = await bidForDecision(db, actor, ref, bidId, needId)
  nextBidStatus(bid.status, 'reject')
  await withTransaction(db, async (trx) => {
    const moved = await moveBid(trx, bidId, 'reject', { status_reason: reason }, now.toISOString())
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: need.org_id,
      regionCode: need.region_code,
      action: 'bid.rejected',
      objectType: 'bid',
      objectId: bidId,
      detail: { needId: need.id, from: moved.from, reason, providerOrgId: bid.provider_org_id },
    })
  })
}

/** A need past evaluation: awarded already (a 409, as a lost race), or withdrawn / expired (INVALID_STATE). */
function assertDeciding(status: string): void {
  if (status === 'published' || status === 'shortlisting') return
  if (status === 'awarded' || status === 'contracted' || status === 'closed') throw awardConflict()
  throw new AppError('INVALID_STATE', 'bids.e.needDecided')
}

function awardConflict(): AppError {
  return new AppError('CONFLICT', 'bids.e.awardConflict')
}

/**
 * 授标: atomically, the bid wins the need and the draft contract is made; the others
 * are rejected ('not_awarded') and told. Returns the contract's id.
 */
export async function awardBid(
  db: Database,
  actor: Actor,
  bidId: number,
  now: Date = new Date(),
  needId?: number,
): Promise<{ contractId: number; needId: number }> {
  const ref = await getReferenceData(db)
  const { bid, need } = await bidForDecision(db, actor, ref, bidId, needId)
  authorize(actor, ref, 'award:bid:own', { orgId: need.org_id })
  assertDeciding(need.status)
  nextBidStatus(bid.status, 'award')
  const at = now.toISOString()
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      try {
        await transitionNeed(trx, afterCommit, { kind: 'owner', actor, ref }, need.id, 'award', {
          now,
          detail: { bidId },
        })
      } catch (error) {
        // Another award (or any change of the need) came first: a 409, never a 500.
        if (error instanceof AppError && error.code === 'CONFLICT') throw awardConflict()
        throw error
      }
      const moved = await moveBid(trx, bidId, 'award', { status_reason: '' }, at)
      const others = await trx
        .updateTable('bids')
        .set({ status: 'rejected', status_reason: NOT_AWARDED_REASON, updated_at: at })
        .where('need_id', '=', need.id)
        .where('id', '<>', bidId)
        .where('status', 'in', ['submitted', 'shortlisted'])
        .returning(['id', 'provider_org_id'])
        .execute()
      // The version the bid holds now (read in the transaction: a revision may have changed it meanwhile).
      if (moved.templateVersionId !== null) await markTemplateVersionInUse(trx, moved.templateVersionId)
      const contractId = await createDraftFromAward(trx, { bidId, userId: actor.userId, actorOrgId: need.org_id, now })
      await recordAudit(trx, {
        ...auditActor(actor),
        actorOrgId: need.org_id,
        regionCode: need.region_code,
        action: 'bid.awarded',
        objectType: 'bid',
        objectId: bidId,
        detail: {
          needId: need.id,
          from: moved.from,
          providerOrgId: bid.provider_org_id,
          price: wanText(bid.price_wan_x100),
          contractId,
          othersRejected: others.length,
        },
      })
      for (const other of others) {
        await recordAudit(trx, {
          ...auditActor(actor),
          actorOrgId: need.org_id,
          regionCode: need.region_code,
          action: 'bid.rejected',
          objectType: 'bid',
          objectId: other.id,
          detail: { needId: need.id, reason: NOT_AWARDED_REASON, awardedBidId: bidId, providerOrgId: other.provider_org_id },
        })
      }
      await tellBidders(db, trx, afterCommit, need, bid, contractId)
      return { contractId, needId: need.id }
    })
  } catch (error) {
    // The last guard: one awarded bid per need (bids_one_award_uq), one contract per bid.
    if (uniqueViolation(error)) throw awardConflict()
    throw error
  }
}

/** award_won to the winner's members (link: the contract), award_lost to every other bidder that did not withdraw. */
async function tellBidders(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  need: DecisionNeed,
  winner: DecisionBid,
  contractId: number,
): Promise<void> {
  await notify(db, trx, afterCommit, {
    kind: 'award_won',
    orgId: winner.provider_org_id,
    params: { need: need.title },
    link: `/contracts/${contractId}`,
  })
  const losers = await trx
    .selectFrom('bids')
    .select(['id', 'provider_org_id'])
    .where('need_id', '=', need.id)
    .where('status', '=', 'rejected')
    .where('provider_org_id', '<>', winner.provider_org_id)
    .orderBy('id')
    .execute()
  const told = new Set<number>()
  for (const loser of losers) {
    if (told.has(loser.provider_org_id)) continue
    told.add(loser.provider_org_id)
    await notify(db, trx, afterCommit, {
      kind: 'award_lost',
      orgId: loser.provider_org_id,
      params: { need: need.title },
      link: `/bids/${loser.id}`,
    })
  }
}

/**
 * The comparison page's three decisions on a bid of need `needId`, by intent (the route
 * calls this one use case). `apply: false` checks everything and changes nothing (the
 * confirm step without scripts asks first).
 */
export async function decideOnBid(
  db: Database,
  actor: Actor,
  needId: number,
  input: BidDecisionInput,
  { apply = true, now = new Date() }: { apply?: boolean; now?: Date } = {},
): Promise<{ contractId: number | null }> {
  if (!apply) {
    await checkBidDecision(db, actor, needId, input)
    return { contractId: null }
  }
  switch (input.intent) {
    case 'shortlist':
      await shortlistBid(db, actor, input.bidId, now, needId)
      return { contractId: null }
    case 'reject':
      await rejectBid(db, actor, input.bidId, input.reason, now, needId)
      return { contractId: null }
    case 'award':
      return { contractId: (await awardBid(db, actor, input.bidId, now, needId)).contractId }
  }
}

/** Checks a decision without making it: who, the bid's status, the permission to award. */
async function checkBidDecision(db: Database, actor: Actor, needId: number, input: BidDecisionInput): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need } = await bidForDecision(db, actor, ref, input.bidId, needId)
  if (input.intent === 'award') authorize(actor, ref, 'award:bid:own', { orgId: need.org_id })
  if (input.intent !== 'reject') assertDeciding(need.status)
  nextBidStatus(bid.status, input.intent)
}
