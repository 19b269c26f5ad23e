import { z } from 'zod'
import { zPageParam } from '../shared/schema.js'
import {
  MAX_NEEDS_PAGE,
  NEED_SORTS,
  PUBLIC_NEED_STATUSES,
  TARGET_LEVELS,
  type NeedSort,
  type NeedStatus,
  type TargetLevel,
} from './enums.js'

// The enumerations live in enums.ts (importable in the browser); server modules keep importing them from here.
export {
  MAX_NEEDS_PAGE,
  NEED_SORTS,
  NEED_STATUSES,
  NEED_VISIBILITIES,
  NEEDS_PAGE_SIZE,
  PUBLIC_NEED_STATUSES,
  TARGET_LEVELS,
  type NeedSort,
  type NeedStatus,
  type NeedVisibility,
  type TargetLevel,
} from './enums.js'

/** Trims, caps the length and drops empties: URLs come from anywhere. (A repeated key is a 400, see parseQuery.) */
const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.trim().slice(0, max) : undefined))
    .transform((v) => (v ? v : undefined))

const optionalCode = (pattern: RegExp) =>
  z
    .string()
    .optional()
    .transform((v) => (v && pattern.test(v) ? v : undefined))

const optionalWan = z
  .string()
  .optional()
  .transform((v) => {
    if (!v || !/^\d{1,7}$/.test(v.trim())) return undefined
    return Number(v.trim())
  })

/** An amount in millions of yuan (the English form's unit, up to 0.01), as 万元. */
const optionalMillion = z
  .string()
  .optional()
  .transform((v) => {
    if (!v || !/^\d{1,5}(\.\d{1,2})?$/.test(v.trim())) return undefined
    return Math.round(Number(v.trim()) * 100)
  })

/**
 * The /needs query string. Invalid values are dropped rather than rejected: a shared
 * link with a stale filter should still show results, not an error page.
 */
export const ZNeedSearchParams = z
  .object({
    q: optionalText(200),
    industry: optionalCode(/^C\d{2}$/),
    region: optionalCode(/^[0-9A-Z]{6}$/),
    scenario: optionalCode(/^S\d{3}$/),
    level: z
      .string()
      .optional()
      .transform((v) => ((TARGET_LEVELS as readonly string[]).includes(v ?? '') ? (v as TargetLevel) : undefined)),
    status: z
      .string()
      .optional()
      .transform((v) => ((PUBLIC_NEED_STATUSES as readonly string[]).includes(v ?? '') ? (v as NeedStatus) : undefined)),
    budgetMin: optionalWan,
    budgetMax: optionalWan,
    // The English form asks in millions of yuan; the 万元 fields win when both are given.
    budgetMinM: optionalMillion,
    budgetMaxM: optionalMillion,
    sort: z
      .string()
      .optional()
      .transform((v) => ((NEED_SORTS as readonly string[]).includes(v ?? '') ? (v as NeedSort) : undefined)),
    page: zPageParam(MAX_NEEDS_PAGE),
  })
  .transform(({ budgetMinM, budgetMaxM, ...params }) => ({
    ...params,
    budgetMin: params.budgetMin ?? budgetMinM,
    budgetMax: params.budgetMax ?? budgetMaxM,
  }))
export type TNeedSearchParams = z.infer<typeof ZNeedSearchParams>
