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
} as const

export const MY_BID_TABS = ['live', 'awarded', 'rejected', 'withdrawn'] as const
export type MyBidTab = (typeof MY_BID_TABS)[number]
