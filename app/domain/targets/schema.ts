import { z } from 'zod'
import {
  ENTERED_TARGET_METRICS,
  TARGET_ADJUSTMENT_KINDS,
  TARGET_ADJUSTMENT_SUBJECTS,
  TARGET_METRICS,
  TARGET_WORK_ITEMS,
} from '../../../db/enums.js'
import { zId, zPageParam } from '../shared/schema.js'

export const YEAR_MIN = 2020
export const YEAR_MAX = 2035
export const TARGET_MAX = 100_000
export const RECORDS_PER_PAGE = 20

const optionalText = (max: number, key: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, key))

const requiredText = (min: number, max: number, key: string) => z.string({ error: key }).trim().min(min, key).max(max, key)

export const zYear = z
  .string({ error: 'targets.v.year' })
  .regex(/^\d{4}$/, 'targets.v.year')
  .transform(Number)
  .refine((n) => n >= YEAR_MIN && n <= YEAR_MAX, 'targets.v.year')

/** A target: a whole number (coverage: a percentage 0–100). */
export function zTarget(metric: string) {
  const max = metric === 'coverage' ? 100 : TARGET_MAX
  const key = metric === 'coverage' ? 'targets.v.coverage' : 'targets.v.target'
  return z
    .string({ error: key })
    .trim()
    .transform((v) => (v === '' ? '0' : v))
    .pipe(z.string().regex(/^\d{1,6}$/, key))
    .transform(Number)
    .refine((n) => n <= max, key)
}

/** The target field of a district's metric in the plan form. */
export const targetField = (regionCode: string, metric: string) => `t_${regionCode}_${metric}`

/** The plan form: year, note, revision read here; the targets (t_<region>_<metric>) by the use case. */
export const ZPlanForm = z.looseObject({
  year: zYear,
  note: optionalText(1000, 'targets.v.note'),
  revision: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{1,7}$/.test(v) ? Number(v) : null)),
})
export type PlanForm = z.infer<typeof ZPlanForm>

export const ZYearParams = z.object({ year: zYear })
export const ZMetricParams = z.object({
  year: zYear,
  region: z.string().regex(/^[0-9A-Z]{6}$/),
  metric: z.enum(TARGET_METRICS),
})

export const ZPlanQuery = z.object({
  plan: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
  year: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{4}$/.test(v) ? Number(v) : null)),
  page: zPageParam(10_000),
})

export const ZTargetsIntent = z.object({
  intent: z.enum(['entry', 'withdrawEntry', 'work', 'adjust', 'withdrawAdjustment'], { error: 'errors.badRequest' }),
})

const zRegion = z.string({ error: 'targets.v.region' }).regex(/^[0-9A-Z]{6}$/, 'targets.v.region')

export const ZEntryInput = z.object({
  region: zRegion,
  metric: z.enum(ENTERED_TARGET_METRICS, { error: 'targets.v.metric' }),
  quantity: z
    .string({ error: 'targets.v.quantity' })
    .trim()
    .regex(/^\d{1,5}$/, 'targets.v.quantity')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 10_000, 'targets.v.quantity'),
  evidence: requiredText(2, 1000, 'targets.v.evidence'),
})
export type EntryInput = z.infer<typeof ZEntryInput>

export const ZWorkInput = z.object({
  region: zRegion,
  item: z.enum(TARGET_WORK_ITEMS, { error: 'targets.v.item' }),
  done: z
    .string()
    .optional()
    .transform((v) => v === '1'),
  evidence: optionalText(1000, 'targets.v.evidence'),
})
export type WorkInput = z.infer<typeof ZWorkInput>

export const ZAdjustmentInput = z.object({
  region: zRegion,
  kind: z.enum(TARGET_ADJUSTMENT_KINDS, { error: 'targets.v.kind' }),
  subject: z
    .string()
    .optional()
    .transform((v) => v || 'other')
    .pipe(z.enum(TARGET_ADJUSTMENT_SUBJECTS, { error: 'targets.v.subject' })),
  title: requiredText(2, 200, 'targets.v.title'),
  evidence: optionalText(1000, 'targets.v.evidence'),
  occurredOn: z
    .string({ error: 'targets.v.occurredOn' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'targets.v.occurredOn')
    .refine(
      (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      'targets.v.occurredOn',
    ),
})
export type AdjustmentInput = z.infer<typeof ZAdjustmentInput>

export const ZWithdrawInput = z.object({ id: zId })
