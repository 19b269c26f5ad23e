import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { bidReaderSide } from './access.server.js'
import type { BidStatus } from './lifecycle.js'
import { BID_LIMITS } from './limits.js'
import type { BidThread } from './views.js'

/*
 * The question thread of a bid (issue 14 §2, 澄清问答): the members of the need's
 * enterprise ask, the bidder's members answer; both sides read and write, 1–2000
 * characters a message, at most 50 messages a bid (a rate limit of sorts). Open while
 * the bid is submitted, shortlisted or awarded (until the contract takes over); closed
 * once rejected or withdrawn. The other side is told (bid_question to the bidder,
 * bid_answer to the enterprise). Agencies read the bid, not the thread (FORBIDDEN to
 * write); anyone else — a rival bidder included — gets 404.
 */

/** The bid page's forms, for the route (zod stays out of the browser bundle). */
export { ZBidMessageInput, ZBidPageIntent } from './schema.js'

const OPEN_STATUSES: readonly BidStatus[] = ['submitted', 'shortlisted', 'awarded']

async function threadContext(db: Kysely<DB>, actor: Actor, bidId: number) {
  const ref = await getReferenceData(db)
  const bid = await db
    .selectFrom('bids')
    .select(['id', 'need_id', 'provider_org_id', 'status'])
    .where('id', '=', bidId)
    .executeTakeFirst()
  if (!bid) throw new AppError('NOT_FOUND', 'bids.e.notFound')
  const need = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.org_id', 'n.title', 'n.region_code', 'o.name as org_name'])
    .where('n.id', '=', bid.need_id)
    .executeTakeFirstOrThrow()
  const side = bidReaderSide(actor, ref, bid, need)
  if (!side) throw new AppError('NOT_FOUND', 'bids.e.notFound')
  return { bid, need, side }
}

async function messageCount(db: Kysely<DB>, bidId: number): Promise<number> {
  const row = await db
    .selectFrom('bid_messages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('bid_id', '=', bidId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The thread for the enterprise's and the bidder's members; null for an agency (it reads the bid only). */
export async function getBidThread(db: Database, actor: Actor, bidId: number): Promise<BidThread | null> {
  const { bid, side } = await threadContext(db, actor, bidId)
  if (side === 'agency') return null
  const mine = side === 'owner' ? 'owner' : 'bidder'
  const rows = await db
    .selectFrom('bid_messages as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.id', 'm.side', 'm.body', 'm.created_at', 'o.name'])
    .where('m.bid_id', '=', bidId)
    .orderBy('m.id')
    // The cap holds but for a race at the last place: a few more at most.
    .limit(BID_LIMITS.messagesPerBid + 10)
    .execute()
  const open = OPEN_STATUSES.includes(bid.status)
  const left = Math.max(0, BID_LIMITS.messagesPerBid - rows.length)
  return {
    messages: rows.map((r) => ({
      id: r.id,
      side: r.side,
      orgName: r.name,
      body: r.body,
      createdAt: r.created_at,
      ours: r.side === mine,
    })),
    mayPost: open && left > 0,
    left,
    closedReason: !open ? 'decided' : left === 0 ? 'full' : null,
  }
}

/** Posts a message to the bid's thread as the reader's side; the other side is told. */
export async function postBidMessage(
  db: Database,
  actor: Actor,
  bidId: number,
  body: string,
  now: Date = new Date(),
): Promise<void> {
  const { bid, need, side } = await threadContext(db, actor, bidId)
  if (side === 'agency') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:bids:own' } })
  }
  const text = body.trim()
  if (text.length < 1 || text.length > BID_LIMITS.messageMax) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { body: 'bids.v.message' } })
  }
  const writerOrg = side === 'owner' ? need.org_id : bid.provider_org_id
  await withTransaction(db, async (trx, afterCommit) => {
    const current = await trx.selectFrom('bids').select('status').where('id', '=', bidId).executeTakeFirstOrThrow()
    // Every refusal names the field `body`: the page shows it at the thread's form.
    if (!OPEN_STATUSES.includes(current.status)) {
      throw new AppError('INVALID_STATE', 'bids.e.threadClosed', { fieldErrors: { body: 'bids.e.threadClosed' } })
    }
    if ((await messageCount(trx, bidId)) >= BID_LIMITS.messagesPerBid) {
      throw new AppError('INVALID_STATE', 'bids.e.threadFull', {
        fieldErrors: { body: 'bids.e.threadFull' },
        params: { max: BID_LIMITS.messagesPerBid },
      })
    }
    const row = await trx
      .insertInto('bid_messages')
      .values({
        bid_id: bidId,
        side: side === 'owner' ? 'owner' : 'bidder',
        org_id: writerOrg,
        author_id: actor.userId,
        body: text,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: writerOrg,
      regionCode: need.region_code,
      action: 'bid.message_posted',
      objectType: 'bid',
      objectId: bidId,
      detail: { needId: need.id, side, messageId: row.id, length: text.length },
    })
    if (side === 'owner') {
      await notify(db, trx, afterCommit, {
        kind: 'bid_question',
        orgId: bid.provider_org_id,
        params: { org: need.org_name, need: need.title },
        link: `/bids/${bidId}#thread`,
      })
    } else {
      const bidder = await trx
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', bid.provider_org_id)
        .executeTakeFirstOrThrow()
      await notify(db, trx, afterCommit, {
        kind: 'bid_answer',
        orgId: need.org_id,
        params: { org: bidder.name, need: need.title },
        link: `/bids/${bidId}#thread`,
      })
    }
  })
}
