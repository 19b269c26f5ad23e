import { z } from 'zod'
import { BID_LIMITS, MY_BID_TABS } from './limits.js'
import { MAX_ID } from '../shared/schema.js'

export { BID_DECISIONS, BID_LIMITS, MY_BID_TABS, NOT_AWARDED_REASON, type BidDecision, type MyBidTab } from './limits.js'

/*
 * The bid form (方案): only these fields are read. Anything else a client posts
 * (status, amount, providerId, need_id …) is dropped by zod and changes nothing: the
 * bidder is the organisation the actor acts for, the need is the one in the URL.
 */

const optionalId = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .default('')
    .refine((v) => v === '' || /^[1-9]\d{0,9}$/.test(v), key)
    .transform((v) => (v === '' ? null : Number(v)))

export const ZBidInput = z.object({
  price: z
    .string({ error: 'bids.v.price' })
    .trim()
    .regex(/^\d{1,7}(\.\d{1,2})?$/, 'bids.v.price')
    .transform((v) => Math.round(Number(v) * 100))
    .refine((n) => n >= 1 && n <= BID_LIMITS.maxPriceWan * 100, 'bids.v.price'),
  durationDays: z
    .string({ error: 'bids.v.duration' })
    .trim()
    .regex(/^\d{1,4}$/, 'bids.v.duration')
    .transform(Number)
    .refine((n) => n >= BID_LIMITS.minDurationDays && n <= BID_LIMITS.maxDurationDays, 'bids.v.duration'),
  plan: z.string({ error: 'bids.v.plan' }).trim().min(1, 'bids.v.plan').max(BID_LIMITS.planMax, 'bids.v.planTooLong'),
  templateVersionId: optionalId('bids.v.template'),
  consortiumId: optionalId('bids.v.consortium'),
})
export type BidInput = z.output<typeof ZBidInput>

export const ZBidRevision = z.object({
  revision: z
    .string({ error: 'bids.e.stale' })
    .regex(/^[1-9]\d{0,8}$/, 'bids.e.stale')
    .transform(Number),
})

export const ZWithdrawInput = z.object({
  reason: z.string({ error: 'bids.v.reason' }).trim().min(1, 'bids.v.reason').max(BID_LIMITS.reasonMax, 'bids.v.reasonTooLong'),
})

/** The bid a form revises (absent: a new bid). */
export const ZBidRef = z.object({
  bidId: z
    .string()
    .default('')
    .refine((v) => v === '' || /^[1-9]\d{0,9}$/.test(v), 'bids.e.notFound')
    .transform((v) => (v === '' ? null : Number(v))),
})

/*
 * The comparison page's decisions (award slice): which bid, and a reason for a
 * rejection. Nothing else is read: the need is the bid's own, the status the table's.
 */
const zBidId = z
  .string({ error: 'bids.e.notFound' })
  .regex(/^[1-9]\d{0,9}$/, 'bids.e.notFound')
  .transform(Number)
  .refine((n) => n <= MAX_ID, 'bids.e.notFound')
export const ZBidDecisionInput = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('shortlist'), bidId: zBidId }),
    z.object({
      intent: z.literal('reject'),
      bidId: zBidId,
      reason: z
        .string({ error: 'bids.v.rejectReason' })
        .trim()
        .min(BID_LIMITS.rejectReasonMin, 'bids.v.rejectReason')
        .max(BID_LIMITS.reasonMax, 'bids.v.rejectReasonTooLong'),
    }),
    z.object({ intent: z.literal('award'), bidId: zBidId }),
  ],
  { error: 'bids.v.decision' },
)
export type BidDecisionInput = z.output<typeof ZBidDecisionInput>

/** A message of a bid's question thread. */
export const ZBidMessageInput = z.object({
  body: z.string({ error: 'bids.v.message' }).trim().min(1, 'bids.v.message').max(BID_LIMITS.messageMax, 'bids.v.messageTooLong'),
})

/** What a bid's page posts: withdraw (the bidder; the default, as before the thread) or a message. */
export const ZBidPageIntent = z.object({ intent: z.enum(['withdraw', 'message']).catch('withdraw') })

export const ZBidIntent = z.object({ intent: z.enum(['save', 'withdraw', 'removeFile']) })
export const ZRemoveFile = z.object({
  fileId: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'errors.notFound')
    .transform(Number),
})

export const ZMyBidsQuery = z.object({
  tab: z.enum(MY_BID_TABS).catch('live'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})
export const ZPageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) })
