import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { SAVED_SEARCH_LIMITS } from './saved-search-views.js'

/*
 * The forms of /provider/saved-searches. The query of a saved search is read with the
 * hall's own schema (ZNeedSearchParams, needs/schema.ts), so a saved search means what
 * the hall shows for the same parameters; this module holds the rest.
 */

const zName = z
  .string({ error: 'savedSearch.v.nameRequired' })
  .transform((v) => v.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'savedSearch.v.nameRequired')
      .refine((v) => Array.from(v).length <= SAVED_SEARCH_LIMITS.nameMax, 'savedSearch.v.nameTooLong'),
  )

export const ZSavedSearchAction = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('create'), name: zName }),
    z.object({ intent: z.literal('rename'), id: zId, name: zName }),
    z.object({ intent: z.literal('notify'), id: zId, notify: z.enum(['0', '1'], { error: 'errors.badRequest' }) }),
    z.object({ intent: z.literal('delete'), id: zId }),
  ],
  { error: 'errors.badRequest' },
)
export type TSavedSearchAction = z.infer<typeof ZSavedSearchAction>

/** /provider/recommended?page=N: up to MAX_CANDIDATE_NEEDS / 20 pages. */
export const ZRecommendedQuery = z.object({ page: zPageParam(10) })

/** /provider/saved-searches?rename=<id>: the saved search whose rename form is open. */
export const ZSavedSearchesQuery = z.object({
  rename: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined)),
})
