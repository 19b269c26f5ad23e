import { z } from 'zod'
import { EVALUATION_METRICS, EVALUATION_TIERS, SANCTION_LEVELS } from '../../../db/enums.js'
import type { MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { zId, zPageParam } from '../shared/schema.js'
import { EVALUATION_LIMITS } from './scoring.js'

/*
 * The forms of provider evaluation. Only these fields are read: anything else a client
 * posts (status, agency, tier, total …) is dropped by zod and changes nothing.
 */

const int = (key: string, min: number, max: number) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,4}$/, key)
    .transform(Number)
    .refine((n) => n >= min && n <= max, key)

const reason = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .min(EVALUATION_LIMITS.reasonMin, key)
    .max(EVALUATION_LIMITS.reasonMax, 'evaluation.v.reasonTooLong')

export const ZSchemeInput = z
  .object({
    year: int('evaluation.v.year', 2000, 2100),
    title: z
      .string({ error: 'evaluation.v.title' })
      .trim()
      .min(2, 'evaluation.v.title')
      .max(EVALUATION_LIMITS.titleMax, 'evaluation.v.title'),
    description: z.string().trim().max(EVALUATION_LIMITS.schemeDescriptionMax, 'evaluation.v.descriptionTooLong').default(''),
    preferredMin: int('evaluation.v.preferredMin', 1, 100),
    excludedBelow: int('evaluation.v.excludedBelow', 0, 99),
  })
  .refine((v) => v.preferredMin > v.excludedBelow, { message: 'evaluation.v.thresholds', path: ['excludedBelow'] })
export type SchemeInput = z.output<typeof ZSchemeInput>

export const ZDimensionInput = z
  .object({
    name: z
      .string({ error: 'evaluation.v.dimensionName' })
      .trim()
      .min(1, 'evaluation.v.dimensionName')
      .max(EVALUATION_LIMITS.nameMax, 'evaluation.v.dimensionName'),
    description: z.string().trim().max(EVALUATION_LIMITS.descriptionMax, 'evaluation.v.descriptionTooLong').default(''),
    weight: int('evaluation.v.weight', 1, 100),
    metric: z.enum(EVALUATION_METRICS, { error: 'evaluation.v.metric' }),
    judgementPercent: int('evaluation.v.judgementPercent', 0, 100),
  })
  .refine((v) => v.metric !== 'none' || v.judgementPercent === 100, {
    message: 'evaluation.v.judgementOnly',
    path: ['judgementPercent'],
  })
export type DimensionInput = z.output<typeof ZDimensionInput>

export const ZSchemeIntent = z.object({
  intent: z.enum(['update', 'addDimension', 'removeDimension', 'publish', 'judge', 'compute', 'publishResults', 'delete'], {
    error: 'errors.notFound',
  }),
})

export const ZDimensionRef = z.object({ dimensionId: zId })
export const ZProviderRef = z.object({ providerOrgId: zId })

/** Judgements of one provider: `j<dimensionId>` = '' (none) or 0–100. */
export function parseJudgements(form: FormData, dimensionIds: readonly number[]): Map<number, number | null> {
  const out = new Map<number, number | null>()
  const fieldErrors: Record<string, string> = {}
  for (const id of dimensionIds) {
    const raw = form.get(`j${id}`)
    const text = typeof raw === 'string' ? raw.trim() : ''
    if (text === '') out.set(id, null)
    else if (/^\d{1,3}$/.test(text) && Number(text) <= 100) out.set(id, Number(text))
    else fieldErrors[`j${id}`] = 'evaluation.v.judgement'
  }
  if (Object.keys(fieldErrors).length)
    throw new AppError('VALIDATION', 'errors.validation', {
      fieldErrors: fieldErrors as Record<string, MessageKey>,
      params: { count: Object.keys(fieldErrors).length },
    })
  return out
}

export const ZAppealInput = z.object({ reason: reason('evaluation.v.appealReason') })

export const ZAppealDecision = z
  .object({
    appealId: zId,
    decision: z.enum(['upheld', 'dismissed'], { error: 'evaluation.v.decision' }),
    newTier: z
      .enum(EVALUATION_TIERS, { error: 'evaluation.v.newTier' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    note: z.string({ error: 'evaluation.v.note' }).trim().min(2, 'evaluation.v.note').max(1000, 'evaluation.v.reasonTooLong'),
  })
  .refine((v) => v.decision === 'dismissed' || v.newTier !== undefined, { message: 'evaluation.v.newTier', path: ['newTier'] })
export type AppealDecision = z.output<typeof ZAppealDecision>

const zDay = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, key)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), key)

export const ZSanctionInput = z
  .object({
    providerOrgId: zId.or(z.string().transform(() => 0)).refine((n) => n > 0, 'evaluation.v.provider'),
    level: z.enum(SANCTION_LEVELS, { error: 'evaluation.v.level' }),
    reason: reason('evaluation.v.sanctionReason'),
    rectifyBy: zDay('evaluation.v.rectifyBy')
      .optional()
      .or(z.literal('').transform(() => undefined)),
  })
  .refine((v) => v.level !== 'rectification' || v.rectifyBy !== undefined, {
    message: 'evaluation.v.rectifyBy',
    path: ['rectifyBy'],
  })
export type SanctionInput = z.output<typeof ZSanctionInput>

export const ZLiftInput = z.object({
  sanctionId: zId,
  liftReason: z
    .string({ error: 'evaluation.v.liftReason' })
    .trim()
    .min(2, 'evaluation.v.liftReason')
    .max(500, 'evaluation.v.reasonTooLong'),
})

export const ZSanctionsIntent = z.object({ intent: z.enum(['impose', 'lift'], { error: 'errors.notFound' }) })

export const ZPageQuery = z.object({ page: zPageParam(10_000) })
export const ZAppealsQuery = z.object({
  page: zPageParam(10_000),
  appeal: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
})
export const ZSchemeQuery = z.object({
  page: zPageParam(10_000),
  provider: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
})
export const ZSanctionsQuery = z.object({
  page: zPageParam(10_000),
  provider: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
})
