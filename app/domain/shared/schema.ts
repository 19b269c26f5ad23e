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

/** The largest id a table hands out: PostgreSQL's `integer` identity columns (SQLite's rowids could go higher). */
export const MAX_ID = 2_147_483_647

/**
 * A database id as it appears in a URL or a form: decimal digits only, no sign, no
 * leading zero, no exponent, hex or blanks (`0x10`, `1e3`, ` 7` and `007` are not ids),
 * at most MAX_ID: a larger number names nothing, and PostgreSQL would refuse to compare
 * it with an integer column (a 500 instead of a 404).
 */
export const zId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_ID)

/** Route params of a page about one object: `{ id }`. */
export const ZIdParams = z.object({ id: zId })
