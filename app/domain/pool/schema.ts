import { z } from 'zod'
import { POOL_APPLICATION_STATUSES, POOL_CATEGORIES } from '../../../db/enums.js'
import { zId, zPageParam } from '../shared/schema.js'

/*
 * What the pool's forms and queries accept. Use cases read only these fields (mass
 * assignment: anything else a form posts is dropped).
 */

/** Days a 公示 lasts at least. */
export const NOTICE_MIN_DAYS = 5
/** Days a 公示 lasts at most. */
export const NOTICE_MAX_DAYS = 30
/** Rows per page of the pool's lists. */
export const POOL_PAGE_SIZE = 20

const zIndustry = z.string({ error: 'pool.v.industry' }).regex(/^C\d{2}$/, 'pool.v.industry')
const zDay = (key: string) => z.string({ error: key }).regex(/^\d{4}-\d{2}-\d{2}$/, key)
const zText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, 'pool.v.tooLong'))

/** A new round: category, title, description, last day to apply, quotas per sub-industry (rows of `industry[]`/`quota[]`). */
export const ZRoundInput = z
  .object({
    category: z.enum(POOL_CATEGORIES, { error: 'pool.v.category' }),
    title: z
      .string({ error: 'pool.v.title' })
      .transform((v) => v.trim())
      .pipe(z.string().min(2, 'pool.v.title').max(120, 'pool.v.title')),
    description: zText(2000),
    applyUntil: zDay('pool.v.applyUntil'),
    'industry[]': z.array(z.string()).optional().default([]),
    'quota[]': z.array(z.string()).optional().default([]),
  })
  .transform(({ 'industry[]': industries, 'quota[]': quotas, ...rest }, ctx) => {
    const rows: Array<{ industryCode: string; quota: number }> = []
    industries.forEach((code, i) => {
      const raw = (quotas[i] ?? '').trim()
      if (!code && !raw) return
      const n = Number(raw)
      if (!/^C\d{2}$/.test(code) || !/^\d{1,5}$/.test(raw) || n < 1 || n > 10_000) {
        ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'pool.v.quota' })
        return
      }
      if (rows.some((r) => r.industryCode === code)) {
        ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'pool.v.quotaTwice' })
        return
      }
      rows.push({ industryCode: code, quota: n })
    })
    return { ...rest, quotas: rows }
  })
export type RoundInput = z.infer<typeof ZRoundInput>

export const ZQuotaInput = z.object({
  industryCode: zIndustry,
  /** Empty: no quota for this sub-industry. */
  quota: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,5}$/, 'pool.v.quota')]))
    .transform((v) => (v === '' ? null : Number(v)))
    .refine((n) => n === null || (n >= 1 && n <= 10_000), 'pool.v.quota'),
})

export const ZApplyInput = z.object({
  roundId: zId,
  industryCode: zIndustry,
  statement: z
    .string({ error: 'pool.v.statement' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'pool.v.statement').max(2000, 'pool.v.tooLong')),
})

export const ZAssignInput = z.object({
  'expertId[]': z.array(zId, { error: 'pool.v.experts' }).min(1, 'pool.v.experts').max(20, 'pool.v.experts'),
})

export const ZReviewInput = z.object({
  score: z
    .string({ error: 'pool.v.score' })
    .regex(/^\d{1,3}$/, 'pool.v.score')
    .transform(Number)
    .refine((n) => n >= 0 && n <= 100, 'pool.v.score'),
  opinion: z
    .string({ error: 'pool.v.opinion' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'pool.v.opinion').max(2000, 'pool.v.tooLong')),
  recommend: z.enum(['yes', 'no'], { error: 'pool.v.recommend' }),
})

export const ZTieInput = z.object({ note: zText(500) })

export const ZNoticeInput = z.object({ noticeUntil: zDay('pool.v.noticeUntil') })

export const ZReasonInput = z.object({
  reason: z
    .string({ error: 'pool.v.reason' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'pool.v.reason').max(500, 'pool.v.tooLong')),
})

export const ZObjectionInput = z.object({
  reason: z
    .string({ error: 'pool.v.objection' })
    .transform((v) => v.trim())
    .pipe(z.string().min(5, 'pool.v.objection').max(2000, 'pool.v.tooLong')),
})

export const ZObjectionDecision = z.object({
  outcome: z.enum(['upheld', 'dismissed'], { error: 'pool.v.outcome' }),
  note: zText(500),
})

export const ZPoolQuery = z.object({
  page: zPageParam(10_000),
  status: z
    .string()
    .optional()
    .transform((v) =>
      (POOL_APPLICATION_STATUSES as readonly string[]).includes(v ?? '')
        ? (v as (typeof POOL_APPLICATION_STATUSES)[number])
        : undefined,
    ),
})

export const ZRoundQuery = z.object({
  page: zPageParam(10_000),
  app: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined)),
})

/** Which form a pool page's POST is: `intent`, with the id it acts on. */
export const ZPoolIntent = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('create') }),
    z.object({ intent: z.literal('close') }),
    z.object({ intent: z.literal('quota') }),
    z.object({ intent: z.literal('assign'), applicationId: zId }),
    z.object({ intent: z.literal('notice'), applicationId: zId }),
    z.object({ intent: z.literal('admit'), applicationId: zId }),
    z.object({ intent: z.literal('reject'), applicationId: zId }),
    z.object({ intent: z.literal('objection'), objectionId: zId }),
    z.object({ intent: z.literal('apply') }),
    z.object({ intent: z.literal('withdraw'), applicationId: zId }),
    z.object({ intent: z.literal('review'), reviewId: zId }),
    z.object({ intent: z.literal('tie'), reviewId: zId }),
    z.object({ intent: z.literal('object'), applicationId: zId }),
  ],
  { error: 'errors.badRequest' },
)
