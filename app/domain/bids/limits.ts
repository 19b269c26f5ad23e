/*
 * The bid form's limits and 我的投标's tabs: plain constants, browser-safe without zod
 * (the pages import them; schema.ts builds the form's rules from them).
 */

export const BID_LIMITS = {
  /** 万元, two decimals. */
  maxPriceWan: 1_000_000,
  minDurationDays: 1,
  maxDurationDays: 3650,
  planMax: 20_000,
  reasonMax: 500,
  attachmentsPerBid: 5,
  pageSize: 20,
  /** A rejection's reason (驳回原因): at least this many characters. */
  rejectReasonMin: 2,
  /** The question thread of a bid: one message's length, and the thread's size (a rate limit of sorts). */
  messageMax: 2000,
  messagesPerBid: 50,
  /** The comparison shows at most this many bids side by side. */
  compareMax: 20,
} as const

/** What the enterprise does on the comparison page. */
export const BID_DECISIONS = ['shortlist', 'reject', 'award'] as const
export type BidDecision = (typeof BID_DECISIONS)[number]

/** status_reason of a bid rejected because another one was awarded (the pages show it as text). */
export const NOT_AWARDED_REASON = 'not_awarded'

export const MY_BID_TABS = ['live', 'awarded', 'rejected', 'withdrawn'] as const
export type MyBidTab = (typeof MY_BID_TABS)[number]
