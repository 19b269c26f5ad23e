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

/**
 * A database id as it appears in a URL or a form: decimal digits only, no sign, no
 * leading zero, no exponent, hex or blanks (`0x10`, `1e3`, ` 7` and `007` are not ids),
 * within the safe integer range.
 */
export const zId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger)

/** Route params of a page about one object: `{ id }`. */
export const ZIdParams = z.object({ id: zId })
