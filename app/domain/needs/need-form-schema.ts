import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { NEED_STATUSES, NEED_VISIBILITIES, TARGET_LEVELS, type NeedStatus } from './enums.js'

/*
 * The forms of needs written by enterprises (issue 12): the need form (every field of
 * DOMAIN.md §4), the life-cycle buttons of the manage page, and the query strings of
 * 我的需求 and the new-need page. Messages are catalogue keys
 * (app/i18n/messages/need-authoring.ts); a field's error is reported under the field's
 * own name (`scenarios[]` for the checkboxes). What zod cannot know (a code names an
 * existing industry, scenario or region; a deadline against today) the use cases check.
 */

/** Caps of the form's numbers and texts. */
export const NEED_LIMITS = {
  titleMin: 4,
  titleMax: 80,
  descriptionMax: 5000,
  expectedResultsMax: 2000,
  scenariosMax: 5,
  /** 万元: 100 亿元 is past any 智改数转 project. */
  budgetMaxWan: 1_000_000,
  durationMin: 1,
  durationMax: 60,
  /** Days ahead a deadline (投标截止) may be set. */
  deadlineMaxDays: 366,
  /** Years ahead the expected start may lie. */
  startMaxYears: 5,
  reasonMax: 500,
} as const

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A form field that may come once, repeated, or not at all, as a list. */
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined || value === '' ? [] : [value]

/** Full-width digits (from a Chinese input method) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** A whole number typed into a form, blanks and full-width digits forgiven. */
function whole(min: number, max: number, required: string, message: string) {
  return z
    .string({ error: required })
    .optional()
    .transform((v, ctx) => {
      const text = toHalfWidth(v ?? '')
        .replace(/[\s,，]/g, '')
        .trim()
      if (text === '') {
        ctx.addIssue({ code: 'custom', message: required })
        return z.NEVER
      }
      const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })
}

/** A real calendar date YYYY-MM-DD ('' → null when optional). */
export function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

function date(required: string | null, message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = (v ?? '').trim()
      if (text === '') {
        if (required) {
          ctx.addIssue({ code: 'custom', message: required })
          return z.NEVER
        }
        return null
      }
      if (!isCalendarDate(text) || text < '2000-01-01') {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return text
    })
}

function oneOf<T extends string>(values: readonly T[], message: string) {
  return z.string({ error: message }).refine((v): v is T => (values as readonly string[]).includes(v), message)
}

/** The revision the form was filled in on. */
const zRevision = z
  .string({ error: 'errors.badRequest' })
  .regex(/^\d{1,9}$/, 'errors.badRequest')
  .transform(Number)

/** 对接意愿: a yes/no radio pair; missing reads as yes (the default). */
const yesNo = z
  .string()
  .optional()
  .transform((v) => v !== '0' && v !== 'no')

/** The need form, new or edited. `intent`: keep as a draft, or publish too. */
export const ZNeedInput = z
  .object({
    intent: z.enum(['draft', 'publish', 'save'], { error: 'errors.badRequest' }).default('save'),
    title: z
      .string({ error: 'needs.v.title' })
      .trim()
      .min(NEED_LIMITS.titleMin, 'needs.v.title')
      .max(NEED_LIMITS.titleMax, 'needs.v.titleTooLong'),
    description: z
      .string({ error: 'needs.v.description' })
      .trim()
      .min(1, 'needs.v.description')
      .max(NEED_LIMITS.descriptionMax, 'needs.v.descriptionTooLong'),
    industry: z.string({ error: 'needs.v.industry' }).regex(/^C\d{2}$/, 'needs.v.industry'),
    'scenarios[]': z.preprocess(
      list,
      z
        .array(z.string(), { error: 'needs.v.scenarios' })
        .transform((codes) => [...new Set(codes)])
        .superRefine((codes, ctx) => {
          if (codes.length === 0 || codes.some((c) => !/^S\d{3}$/.test(c)))
            ctx.addIssue({ code: 'custom', message: 'needs.v.scenarios' })
          else if (codes.length > NEED_LIMITS.scenariosMax) ctx.addIssue({ code: 'custom', message: 'needs.v.scenariosTooMany' })
        }),
    ),
    level: oneOf(TARGET_LEVELS, 'needs.v.level'),
    budgetMin: whole(0, NEED_LIMITS.budgetMaxWan, 'needs.v.budgetMin', 'needs.v.budgetRange'),
    budgetMax: whole(1, NEED_LIMITS.budgetMaxWan, 'needs.v.budgetMax', 'needs.v.budgetRange'),
    expectedStart: date('needs.v.expectedStart', 'needs.v.date'),
    durationMonths: whole(NEED_LIMITS.durationMin, NEED_LIMITS.durationMax, 'needs.v.duration', 'needs.v.duration'),
    region: z
      .string({ error: 'needs.v.region' })
      .trim()
      .regex(/^[0-9A-Z]{6}$/, 'needs.v.region'),
    acceptsMatching: yesNo,
    expectedResults: z.string().trim().max(NEED_LIMITS.expectedResultsMax, 'needs.v.expectedResultsTooLong').default(''),
    deadline: date(null, 'needs.v.date'),
    visibility: oneOf(NEED_VISIBILITIES, 'needs.v.visibility'),
    /** The weakness (of a confirmed diagnosis report) a new need comes from. */
    weakness: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null
        const parsed = zId.safeParse(v)
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: 'errors.badRequest' })
          return z.NEVER
        }
        return parsed.data
      }),
    /** The need's revision an edit was made on; absent on a new need. */
    revision: zRevision.optional(),
  })
  .superRefine(
    (v, ctx) => {
      if (typeof v.budgetMin === 'number' && typeof v.budgetMax === 'number' && v.budgetMin > v.budgetMax) {
        ctx.addIssue({ code: 'custom', path: ['budgetMax'], message: 'needs.v.budgetOrder' })
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform(({ 'scenarios[]': scenarios, ...rest }) => ({ ...rest, scenarios }))
export type TNeedInput = z.infer<typeof ZNeedInput>

/** The manage page's life-cycle buttons. */
export const ZNeedLifecycleInput = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('publish'), deadline: date(null, 'needs.v.date') }),
    z.object({
      intent: z.literal('withdraw'),
      reason: z
        .string({ error: 'needs.v.reason' })
        .trim()
        .min(2, 'needs.v.reason')
        .max(NEED_LIMITS.reasonMax, 'needs.v.reasonTooLong'),
    }),
    z.object({ intent: z.literal('republish'), deadline: date('needs.v.deadlineRequired', 'needs.v.date') }),
    z.object({
      intent: z.literal('close'),
      reason: z.string().trim().max(NEED_LIMITS.reasonMax, 'needs.v.reasonTooLong').default(''),
    }),
  ],
  { error: 'errors.badRequest' },
)
export type TNeedLifecycleInput = z.infer<typeof ZNeedLifecycleInput>

/** 我的需求: the status tab (none: all) and the page. */
export const ZMyNeedsQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((v) => ((NEED_STATUSES as readonly string[]).includes(v ?? '') ? (v as NeedStatus) : undefined)),
  page: zPageParam(10_000),
})
export type TMyNeedsQuery = z.infer<typeof ZMyNeedsQuery>

/** /enterprise/needs/new?weakness=<id>: a stale or malformed id reads as none. */
export const ZNewNeedQuery = z.object({
  weakness: z
    .string()
    .optional()
    .transform((v) => {
      const parsed = zId.safeParse(v)
      return parsed.success ? parsed.data : undefined
    }),
})
