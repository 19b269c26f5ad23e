import { z } from 'zod'
import { zPageParam } from '../shared/schema.js'

/*
 * The dashboard's and the outcomes pages' filters (issue 15 §3, §6). Pure: routes parse
 * with these, the use cases read them. Anything unreadable falls back to the default (a
 * stale shared link still shows a page): year → the current China year, region → the
 * agency's own.
 */

/** The first year the filters offer (the platform's data starts in 2020). */
export const FIRST_YEAR = 2020
/** The years the filters offer: the current one and this many before it. */
export const YEARS_BACK = 6

export const zYearParam = z
  .string()
  .optional()
  .transform((v) => (v && /^\d{4}$/.test(v) && Number(v) >= FIRST_YEAR && Number(v) <= 2100 ? Number(v) : undefined))

export const ZDashboardQuery = z.object({
  year: zYearParam,
  region: z
    .string()
    .optional()
    .transform((v) => (v && /^[0-9A-Z]{6}$/.test(v) ? v : undefined)),
})
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>

export const ZOutcomesQuery = z.object({
  year: zYearParam,
  page: zPageParam(1000),
})
export type TOutcomesQuery = z.infer<typeof ZOutcomesQuery>

/** Contracts count towards an event's outcome when signed from its first day until this many days after its last. */
export const CONTRACT_WINDOW_DAYS = 180

/** The first instant of a China calendar year, and of the next, as UTC ISO strings (timestamps compare as text). */
export function chinaYearBounds(year: number): { from: string; to: string } {
  const start = (y: number) => new Date(Date.UTC(y, 0, 1) - 8 * 3_600_000).toISOString()
  return { from: start(year), to: start(year + 1) }
}

/** The first instant of a China day (YYYY-MM-DD) as a UTC ISO string. */
export function chinaDayStart(day: string): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() - 8 * 3_600_000).toISOString()
}

/** The years a filter offers, newest first. */
export function yearOptions(current: number): number[] {
  const out: number[] = []
  for (let y = current; y >= Math.max(FIRST_YEAR, current - YEARS_BACK); y -= 1) out.push(y)
  return out
}

/** A share as a whole percentage (0 when there is nothing to share). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0
}
