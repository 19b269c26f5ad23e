/*
 * Limits of the event pages (issue 15 §1): plain constants, browser-safe without zod
 * (the pages import them; schema.ts builds the forms' rules from them).
 */

export const EVENT_LIMITS = {
  /** Rows of every list a page. */
  pageSize: 20,
  titleMin: 2,
  titleMax: 120,
  descriptionMax: 4000,
  venueMax: 200,
  onlineUrlMax: 500,
  /** Industries an event is about. */
  maxIndustries: 10,
  /** The longest event, start to end (days). */
  maxDurationDays: 366,
  reasonMax: 500,
  noteMax: 1000,
  /** Needs a provider names as its interest. */
  maxInterests: 50,
  /** Needs in one batch. */
  maxBatch: 200,
  /** Search words for picking needs. */
  queryMax: 50,
  /** A letter of intent's amount, 万元. */
  maxAmountWan: 1_000_000,
} as const

/** 服务跟进: the follow-ups written with each letter of intent, days after signing. */
export const FOLLOWUP_AFTER_DAYS = [30, 90, 180] as const
