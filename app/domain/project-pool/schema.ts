import { z } from 'zod'
import { TARGET_LEVELS } from '../needs/enums.js'
import { zPageParam } from '../shared/schema.js'
import { FIRST_YEAR } from '../dashboard/schema.js'

/*
 * The project pool's filters (issue 16 §6). Pure: the page and its Excel export parse the
 * same query. Anything unreadable falls back to "any" (a stale shared link still shows a
 * page); a region outside the agency's jurisdiction shows nothing (the use case narrows).
 */

/** The need statuses a project can be in (drafts and withdrawn needs are not projects). */
export const POOL_NEED_STATUSES = ['published', 'shortlisting', 'awarded', 'contracted', 'closed', 'expired'] as const
export type PoolNeedStatus = (typeof POOL_NEED_STATUSES)[number]

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => ((values as readonly string[]).includes(v ?? '') ? (v as T[number]) : undefined))

export const ZProjectPoolQuery = z.object({
  level: optionalEnum(TARGET_LEVELS),
  status: optionalEnum(POOL_NEED_STATUSES),
  region: z
    .string()
    .optional()
    .transform((v) => (v && /^[0-9A-Z]{6}$/.test(v) ? v : undefined)),
  year: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{4}$/.test(v) && Number(v) >= FIRST_YEAR && Number(v) <= 2100 ? Number(v) : undefined)),
  page: zPageParam(5000),
})
export type TProjectPoolQuery = z.infer<typeof ZProjectPoolQuery>
