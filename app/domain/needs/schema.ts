import { z } from 'zod'
import { zPageParam } from '../shared/schema.js'

export const NEED_STATUSES = [
  'draft',
  'published',
  'shortlisting',
  'awarded',
  'contracted',
  'closed',
  'withdrawn',
  'expired',
] as const
export type NeedStatus = (typeof NEED_STATUSES)[number]

/** Statuses a visitor may see: everything once published, until withdrawn or expired. */
export const PUBLIC_NEED_STATUSES = [
  'published',
  'shortlisting',
  'awarded',
  'contracted',
  'closed',
] as const satisfies readonly NeedStatus[]

/** 项目培育库 upgrade levels, lowest first. */
export const TARGET_LEVELS = ['smart_line', 'digital_workshop', 'smart_factory', 'future_factory'] as const
export type TargetLevel = (typeof TARGET_LEVELS)[number]

export const NEED_VISIBILITIES = ['public', 'verified_providers'] as const
export type NeedVisibility = (typeof NEED_VISIBILITIES)[number]

export const NEED_SORTS = ['relevance', 'newest', 'budget_desc', 'budget_asc'] as const
export type NeedSort = (typeof NEED_SORTS)[number]

export const NEEDS_PAGE_SIZE = 20
/** Deep pages of a search are refused; narrowing the query is the way further. */
export const MAX_NEEDS_PAGE = 500

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

/**
 * The /needs query string. Invalid values are dropped rather than rejected: a shared
 * link with a stale filter should still show results, not an error page.
 */
export const ZNeedSearchParams = z.object({
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
  sort: z
    .string()
    .optional()
    .transform((v) => ((NEED_SORTS as readonly string[]).includes(v ?? '') ? (v as NeedSort) : undefined)),
  page: zPageParam(MAX_NEEDS_PAGE),
})
export type TNeedSearchParams = z.infer<typeof ZNeedSearchParams>
