import { z } from 'zod'

/**
 * A 1-based page number from a query string. Anything else (missing, negative,
 * past `max`, not a number) reads as page 1: a stale shared link still shows results.
 */
export function zPageParam(max: number) {
  return z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= max ? n : 1
    })
}
