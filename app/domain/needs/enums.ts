/*
 * The needs context's plain enumerations: safe to import from components and route
 * components, which run in the browser (schema.ts holds the zod schemas and stays on
 * the server side; it re-exports these for the server modules that import it).
 */

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
