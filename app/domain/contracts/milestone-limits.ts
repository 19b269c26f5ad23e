/*
 * Limits of the milestone and supervision forms (issue 14 §4): plain constants,
 * browser-safe without zod (the pages import them; milestone-schema.ts builds the
 * forms' rules from them).
 */

export const MILESTONE_LIMITS = {
  evidenceMax: 5000,
  /** Files (photos, documents) with one submission. */
  filesPerSubmission: 5,
  /** A rejection says why, at least this many characters. */
  reasonMin: 2,
  reasonMax: 2000,
  findingsMax: 5000,
  /** Photos with one 监理日志 entry. */
  photosPerLog: 9,
  /** A log may be dated this many days before the contract's start (preparation visits). */
  logDaysBeforeStart: 30,
  logsPerPage: 20,
} as const

export const QUALITY_JUDGEMENTS = ['good', 'acceptable', 'poor'] as const
export type QualityJudgement = (typeof QUALITY_JUDGEMENTS)[number]
export const SCHEDULE_JUDGEMENTS = ['ahead', 'on_track', 'behind'] as const
export type ScheduleJudgement = (typeof SCHEDULE_JUDGEMENTS)[number]
