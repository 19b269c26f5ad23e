import { z } from 'zod'
import { GRADIENT_TITLES, TITLE_REVIEW_OUTCOMES } from '../../../db/enums.js'
import type { TitleState } from '../policy/gradient.js'
import { zPageParam } from '../shared/schema.js'

/*
 * The titles view's query and the review (复核) form. Only these fields are read: anything
 * else a client posts (status, the enterprise, a new expiry …) is dropped and changes nothing.
 */

export const TITLE_STATES: readonly TitleState[] = ['valid', 'review_due', 'expired', 'downgraded', 'revoked']

/** An unknown filter value reads as "all": a stale shared link still shows the list. */
const optionalEnum = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((v) => ((values as readonly string[]).includes(v ?? '') ? (v as T) : null))

export const ZTitlesQuery = z.object({
  title: optionalEnum(GRADIENT_TITLES),
  state: optionalEnum(TITLE_STATES),
  page: zPageParam(10_000),
  rpage: zPageParam(10_000),
})
export type TitlesQuery = z.output<typeof ZTitlesQuery>

/** YYYY-MM-DD that names a real day. */
export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

export const REASON_MAX = 1000

export const ZReviewInput = z
  .object({
    outcome: z.enum(TITLE_REVIEW_OUTCOMES, { error: 'titles.v.outcome' }),
    downgradedTo: z
      .string()
      .optional()
      .transform((v) => (v ? v : null))
      .pipe(z.enum(GRADIENT_TITLES, { error: 'titles.v.downgradedTo' }).nullable()),
    reason: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .pipe(z.string().max(REASON_MAX, 'titles.v.reasonTooLong')),
    decidedOn: z.string({ error: 'titles.v.decidedOn' }).trim().refine(isIsoDay, 'titles.v.decidedOn'),
    /** The title as the form was filled in (titleVersion): a decision on a changed title is refused. */
    version: z.string({ error: 'titles.e.stale' }).min(1, 'titles.e.stale').max(64, 'titles.e.stale'),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'downgraded' && v.downgradedTo === null) {
      ctx.addIssue({ code: 'custom', path: ['downgradedTo'], message: 'titles.v.downgradedTo' })
    }
    if (v.outcome !== 'passed' && v.reason.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'titles.v.reason' })
    }
  })
  .transform((v) => ({ ...v, downgradedTo: v.outcome === 'downgraded' ? v.downgradedTo : null }))
export type ReviewInput = z.output<typeof ZReviewInput>
