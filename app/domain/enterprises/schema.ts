import { z } from 'zod'
import { GRADIENT_TITLES, REVENUE_BANDS, SIZE_BANDS, STAFF_BANDS, TITLE_STATUSES } from '../../../db/enums.js'
import { zId, zPageParam } from '../shared/schema.js'
import { INDICATOR_FIELDS } from './enums.js'

/*
 * The forms of the enterprise archive (一企一档): the archive itself and its titles
 * held (智能工厂梯度). Messages are catalogue keys (app/i18n/messages/enterprises.ts); a
 * field's error is reported under the field's own name, which is also its element id,
 * so the error summary and the completeness meter link to it.
 *
 * Blank choices and numbers are `null` (未填): an archive is filled in over time.
 */

/** Full-width digits, point and minus (from a Chinese input method) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0e\uff0d]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** The current year in China. */
export function currentYearInChina(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
}

/** A choice among `values`, or '' for none (null). */
function optionalChoice<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string({ error: 'enterprises.v.choice' })
    .optional()
    .transform((v, ctx): T[number] | null => {
      if (v === undefined || v === '') return null
      if (!(values as readonly string[]).includes(v)) {
        ctx.addIssue({ code: 'custom', message: 'enterprises.v.choice' })
        return z.NEVER
      }
      return v
    })
}

/** A percentage 0–100 with at most one decimal ('' → null); '85%' and full-width digits forgiven. */
export const zPercent = z
  .string({ error: 'enterprises.v.percent' })
  .optional()
  .transform((v, ctx) => {
    const text = toHalfWidth(v ?? '')
      .replace(/[\s%％]/g, '')
      .trim()
    if (text === '') return null
    const n = /^\d{1,3}(\.\d)?$/.test(text) ? Number(text) : NaN
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      ctx.addIssue({ code: 'custom', message: 'enterprises.v.percent' })
      return z.NEVER
    }
    return n
  })

/** A whole number in [min, max()] ('' → null). */
function optionalWhole(min: number, max: () => number, message: string) {
  return z
    .string({ error: message })
    .optional()
    .transform((v, ctx) => {
      const text = toHalfWidth(v ?? '').trim()
      if (text === '') return null
      const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN
      if (!Number.isInteger(n) || n < min || n > max()) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })
}

/** A checkbox: present (any value but '0') is on. */
const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.some((x) => x !== '0' && x !== '') : v !== undefined && v !== '' && v !== '0'))

/** The revision the form was filled in on (0 while no archive was saved). */
const zRevision = z
  .string({ error: 'enterprises.e.stale' })
  .regex(/^\d{1,9}$/, 'enterprises.e.stale')
  .transform(Number)

export { INDICATOR_FIELDS, type IndicatorField } from './enums.js'

export const ZArchiveInput = z
  .object({
    revision: zRevision,
    sizeBand: optionalChoice(SIZE_BANDS),
    aboveScale: checkbox,
    revenueBand: optionalChoice(REVENUE_BANDS),
    staffBand: optionalChoice(STAFF_BANDS),
    mainProducts: z
      .string({ error: 'enterprises.v.mainProductsTooLong' })
      .optional()
      .transform((v) => (v ?? '').replace(/\s+/g, ' ').trim())
      .pipe(z.string().max(500, 'enterprises.v.mainProductsTooLong')),
    rdToolsPct: zPercent,
    equipmentNcPct: zPercent,
    keyProcessNcPct: zPercent,
    mgmtDigitalPct: zPercent,
    mesCoveragePct: zPercent,
    maturityLevel: optionalWhole(1, () => 5, 'enterprises.v.maturity'),
    indicatorsYear: optionalWhole(2000, () => currentYearInChina(), 'enterprises.v.year'),
  })
  .superRefine((input, ctx) => {
    // Figures without the year they describe say nothing: ask for it.
    const anyFigure = INDICATOR_FIELDS.some((f) => input[f] !== null) || input.maturityLevel !== null
    if (anyFigure && input.indicatorsYear === null) {
      ctx.addIssue({ code: 'custom', path: ['indicatorsYear'], message: 'enterprises.v.yearRequired' })
    }
  })
export type TArchiveInput = z.output<typeof ZArchiveInput>

/** YYYY-MM-DD that names a real day. */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

/** The same day `years` later (29 February → 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y + years, m - 1, d))
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0)
  return target.toISOString().slice(0, 10)
}

/** How long a title is held before its review (复核), when the form names no expiry. */
export const TITLE_TERM_YEARS = 3

export const ZTitleInput = z
  .object({
    title: z.enum(GRADIENT_TITLES, { error: 'enterprises.v.title' }),
    scene: z
      .string()
      .optional()
      .transform((v) => (v ?? '').replace(/\s+/g, ' ').trim())
      .pipe(z.string().max(80, 'enterprises.v.sceneTooLong')),
    issuer: z
      .string()
      .optional()
      .transform((v) => (v ?? '').replace(/\s+/g, ' ').trim())
      .pipe(z.string().max(60, 'enterprises.v.issuerTooLong')),
    awardedOn: z.string({ error: 'enterprises.v.awardedOn' }).trim().refine(isDate, 'enterprises.v.awardedOn'),
    expiresOn: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || isDate(v), 'enterprises.v.expiresOn'),
    status: z
      .enum(TITLE_STATUSES, { error: 'enterprises.v.choice' })
      .optional()
      .transform((v) => v ?? 'held'),
    /** 已获奖励 (万元, up to two decimals): what the cumulative caps of the policy estimates deduct (issue 16). */
    rewardWan: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d{1,6}(\.\d{1,2})?$/.test(v) && Number(v) <= 100_000), 'enterprises.v.rewardWan'),
  })
  .superRefine((input, ctx) => {
    if (input.title === 'excellent_scenario' && input.scene === '') {
      ctx.addIssue({ code: 'custom', path: ['scene'], message: 'enterprises.v.sceneRequired' })
    }
    if (input.expiresOn && input.expiresOn <= input.awardedOn) {
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'enterprises.v.expiresBeforeAwarded' })
    }
  })
  .transform((input) => ({
    ...input,
    // Only 优秀场景 names a scene.
    scene: input.title === 'excellent_scenario' ? input.scene : '',
    expiresOn: input.expiresOn || addYears(input.awardedOn, TITLE_TERM_YEARS),
    rewardWanX100: input.rewardWan ? Math.round(Number(input.rewardWan) * 100) : null,
  }))
export type TTitleInput = z.output<typeof ZTitleInput>

/** Which of the archive page's forms was sent. */
export const ZArchiveAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('archive') }),
  z.object({ intent: z.literal('addTitle') }),
  z.object({ intent: z.literal('updateTitle'), id: zId, version: z.string().max(200) }),
  z.object({ intent: z.literal('removeTitle'), id: zId, version: z.string().max(200) }),
])

export const ZArchiveEditQuery = z.object({
  title: zId.optional().catch(undefined),
})

/** A page of the archive's change history. */
export const ZArchivePageQuery = z.object({
  page: zPageParam(1000),
})

export const DIAGNOSED_FILTERS = ['yes', 'no'] as const

/** /agency/enterprises: the filters and the page. */
export const ZJurisdictionEnterprisesQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
  aboveScale: z
    .enum(['1'])
    .optional()
    .catch(undefined)
    .transform((v) => v === '1'),
  diagnosed: z.enum(DIAGNOSED_FILTERS).optional().catch(undefined),
  page: zPageParam(10_000),
})
export type TJurisdictionEnterprisesQuery = z.output<typeof ZJurisdictionEnterprisesQuery>
