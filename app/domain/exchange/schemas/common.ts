import { z } from 'zod'
import { currentYearInChina } from '../../providers/schema.js'

/*
 * The building blocks of the exchange format's schemas (docs/exchange.md). Every
 * limit here is the database's (migration 2026-12-02T0900-providers) or the domain's,
 * so a line that passes its schema is a row the database takes. Messages are catalogue
 * keys where a rule has its own; zod's generic issues (too long, wrong type …) are
 * turned into keys by issues.ts.
 */

/** Characters, as the database's length() counts them (code points, not UTF-16 units). */
function charCount(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * Text of `min`–`max` characters, trimmed. Counted in code points as the CHECKs do, so
 * an emoji is one character here too.
 */
export function zText(min: number, max: number) {
  return z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const n = charCount(s)
      if (n < min) ctx.addIssue({ code: 'too_small', origin: 'string', minimum: min, inclusive: true, input: s })
      else if (n > max) ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: s })
    })
}

/** An id the other system knows the object by: 1–100 characters, no control characters, no blanks around. */
export const zExternalId = z
  .string()
  // eslint-disable-next-line no-control-regex
  .regex(/^(?!\s)[^\u0000-\u001f\u007f\u2028\u2029]{1,100}(?<!\s)$/, 'exchange.v.externalId')

export const zIndustryCode = z.string().regex(/^C\d{2}$/, 'exchange.v.industryCode')
export const zScenarioCode = z.string().regex(/^S\d{3}$/, 'exchange.v.scenarioCode')
/** GB/T 2260 codes and the local codes of functional zones (3210Z1). */
export const zRegionCode = z.string().regex(/^[0-9A-Z]{6}$/, 'exchange.v.regionCode')

/** A calendar date, YYYY-MM-DD, that exists. */
export const zDate = z.string().refine((v) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false
  const d = new Date(`${v}T00:00:00.000Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
}, 'exchange.v.date')

/** An integer in [min, max]. */
export function zInt(min: number, max: number) {
  return z.number().int().min(min).max(max)
}

/** A list of at most `max` items, no item twice (the repeat is reported at its index). */
export function zUniqueList<T extends z.ZodType<string>>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<string>()
      items.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [i], message: 'exchange.v.repeated', input: v })
        seen.add(v)
      })
    })
}

/** Every line's envelope: which type and which version of it the rest of the line is. */
export const ZEnvelope = z.object({
  type: z.string(),
  version: z.number().int(),
})

let yearCache: { year: number; until: number } | null = null

/**
 * This year in China (as the profile and case forms count it), read once a minute: an
 * Intl.DateTimeFormat per line of a 100 000-line file costs hundreds of megabytes of
 * native memory before the collector notices.
 */
export function thisYear(now = Date.now()): number {
  if (!yearCache || now >= yearCache.until) yearCache = { year: currentYearInChina(new Date(now)), until: now + 60_000 }
  return yearCache.year
}

/**
 * A moment in UTC, ISO 8601 with `Z` (`2026-03-02T01:30:00.000Z`, seconds and
 * milliseconds optional), as exports write it; read back in that one form.
 */
export const zTimestamp = z
  .string()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
    'exchange.v.timestamp',
  )
  .transform((v) => new Date(v).toISOString())

/** A share in % (0–100), at most one decimal: the archive's indicators. */
export const zPercent = z
  .number()
  .min(0)
  .max(100)
  // 1.1 * 10 is 11.000000000000002: compared within a hair.
  .refine((n) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9, 'exchange.v.percent')
