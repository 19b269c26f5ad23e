import { z } from 'zod'
import { zId } from '../shared/schema.js'
import { PROVIDER_LIMITS } from './enums.js'

/*
 * The forms of a provider's capability profile (能力画像), its qualifications and its
 * cases, as zod schemas whose messages are catalogue keys (app/i18n/messages/providers.ts).
 * A field's error is reported under the field's own name, so the error summary links to
 * it: lists of checkboxes are `industries[]`, `scenarios[]`, `regions[]`; a case's
 * measured results are rows `metrics[0].name`, `metrics[0].before`, `metrics[0].after`,
 * `metrics[0].unit`, … up to PROVIDER_LIMITS.metricsPerCase rows. What zod cannot know
 * (a code names an existing industry, scenario or region) the use cases check.
 *
 * The profile's web address is the field `siteUrl`: `website` is the forms' honeypot
 * (app/utils/forms.ts), which a person never fills in.
 */

/** Regions a provider may name besides 全国 (nationwide). */
export const MAX_SERVED_REGIONS = 60

/** A form field that may come once, repeated, or not at all, as a list. */
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined || value === '' ? [] : [value]

/** A list of reference codes (checkboxes `name[]`): one message for the whole list, repeats dropped. */
function codeList(pattern: RegExp, max: number, message: string, tooMany: string) {
  return z.preprocess(
    list,
    z
      .array(z.string(), { error: message })
      .superRefine((codes, ctx) => {
        if (codes.some((c) => !pattern.test(c))) ctx.addIssue({ code: 'custom', message })
        else if (new Set(codes).size > max) ctx.addIssue({ code: 'custom', message: tooMany })
      })
      .transform((codes) => [...new Set(codes)]),
  )
}

/** A checkbox: present (any value but '0') is on. */
const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.some((x) => x !== '0' && x !== '') : v !== undefined && v !== '' && v !== '0'))

/** The current year in China (the zone people here date things in). */
export function currentYearInChina(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
}

/** Today's date in China, YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** Whole numbers typed into a form: blanks and full-width digits forgiven; '' → null. */
function optionalWhole(min: number, max: () => number, message: string) {
  return z
    .string({ error: message })
    .optional()
    .transform((v, ctx) => {
      const text = toHalfWidth(v ?? '')
        .replace(/[\s,，]/g, '')
        .trim()
      if (text === '') return null
      const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN
      if (!Number.isInteger(n) || n < min || n > max()) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })
}

function requiredWhole(min: number, max: () => number, required: string, message: string) {
  return optionalWhole(min, max, message).transform((n, ctx) => {
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: required })
      return z.NEVER
    }
    return n
  })
}

/** Full-width digits, point and minus (from a Chinese input method) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0e\uff0d]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** A measured value: up to 9 digits before the point and 4 after, may be negative. */
export function parseMetricNumber(raw: string): number | null | undefined {
  const text = toHalfWidth(raw).replace(/[\s,]/g, '').replace(/^\+/, '')
  if (text === '') return null
  if (!/^-?\d{1,9}(\.\d{1,4})?$/.test(text)) return undefined
  return Number(text)
}

/** http(s) addresses; a bare domain gets https:// in front. '' stays ''. */
function webAddress(message: string) {
  return z
    .string()
    .trim()
    .max(200, 'providers.v.siteUrlTooLong')
    .default('')
    .transform((v, ctx) => {
      if (v === '') return ''
      const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`
      let url: URL
      try {
        url = new URL(withScheme)
      } catch {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.') || withScheme.length > 200) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return withScheme
    })
}

/** The revision of the profile the form was filled in on (0: none saved yet). */
const zRevision = z
  .string({ error: 'errors.badRequest' })
  .regex(/^\d{1,9}$/, 'errors.badRequest')
  .transform(Number)

const REGION_CODE = /^[0-9A-Z]{6}$/

/**
 * The capability profile form (/provider/profile). Contact person, phone and
 * description are the organisation's own words kept on `organisations` (as /org/edit
 * edits them); they are optional here: a form without them (a member who is not an
 * owner sees them read-only) leaves them as they are.
 */
export const ZProviderProfileInput = z
  .object({
    revision: zRevision,
    teamSize: optionalWhole(1, () => 1_000_000, 'providers.v.teamSize'),
    foundedYear: optionalWhole(1900, () => currentYearInChina(), 'providers.v.foundedYear'),
    siteUrl: webAddress('providers.v.siteUrl'),
    'industries[]': codeList(/^C\d{2}$/, 31, 'providers.v.industries', 'providers.v.industries'),
    'scenarios[]': codeList(/^S\d{3}$/, 200, 'providers.v.scenarios', 'providers.v.scenarios'),
    nationwide: checkbox,
    'regions[]': codeList(REGION_CODE, MAX_SERVED_REGIONS + 1, 'providers.v.regions', 'providers.v.tooManyRegions'),
    /** The region picker's choice, added to the list. */
    addRegion: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .refine((v) => v === '' || REGION_CODE.test(v), 'providers.v.regions'),
    contactName: z.string().trim().max(40, 'org.v.contactNameTooLong').optional(),
    contactPhone: z
      .string()
      .trim()
      .max(20, 'org.v.contactPhoneTooLong')
      .regex(/^$|^[0-9+\-() ]{7,20}$/, 'org.v.contactPhone')
      .optional(),
    description: z.string().trim().max(1000, 'org.v.descriptionTooLong').optional(),
  })
  .transform(({ 'industries[]': industries, 'scenarios[]': scenarios, 'regions[]': regions, addRegion, ...rest }) => {
    const served = rest.nationwide ? [] : [...new Set(addRegion ? [...regions, addRegion] : regions)]
    return { ...rest, industries, scenarios, regions: served }
  })
  .superRefine((v, ctx) => {
    if (v.regions.length > MAX_SERVED_REGIONS) {
      ctx.addIssue({ code: 'custom', path: ['regions[]'], message: 'providers.v.tooManyRegions' })
    }
  })
export type TProviderProfileInput = z.infer<typeof ZProviderProfileInput>

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A calendar date from an <input type="date">: '' → null. */
function optionalDate(message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = (v ?? '').trim()
      if (text === '') return null
      const d = new Date(`${text}T00:00:00Z`)
      if (!ISO_DATE.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text || text < '1950-01-01') {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return text
    })
}

/** A qualification (资质): name, issuer, certificate number, validity. */
export const ZQualificationInput = z
  .object({
    name: z
      .string({ error: 'providers.v.qualificationName' })
      .trim()
      .min(2, 'providers.v.qualificationName')
      .max(60, 'providers.v.qualificationNameTooLong'),
    issuer: z.string().trim().max(60, 'providers.v.issuerTooLong').default(''),
    certificateNo: z.string().trim().max(60, 'providers.v.certificateNoTooLong').default(''),
    validFrom: optionalDate('providers.v.date'),
    validUntil: optionalDate('providers.v.date'),
  })
  .superRefine(
    (v, ctx) => {
      if (v.validFrom && v.validUntil && v.validUntil < v.validFrom) {
        ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'providers.v.validUntilBeforeFrom' })
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
export type TQualificationInput = z.infer<typeof ZQualificationInput>

/** The qualifications page's forms: add, change one (with the version it was read at), remove one. */
export const ZQualificationAction = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('add') }),
    z.object({ intent: z.literal('update'), id: zId, version: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
    z.object({ intent: z.literal('remove'), id: zId }),
    z.object({ intent: z.literal('removeScan'), fileId: zId }),
  ],
  { error: 'errors.badRequest' },
)

/** `/provider/qualifications?edit=<id>`: the qualification whose form is open. */
export const ZQualificationsQuery = z.object({
  edit: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined)),
})

/** A measured result as the form sends it: text, one row of `metrics[i].*`. */
interface MetricFields {
  name: string
  before: string
  after: string
  unit: string
}

export interface MetricInput {
  name: string
  before: number | null
  after: number
  unit: string
}

export const METRIC_FIELDS = ['name', 'before', 'after', 'unit'] as const

/** The name of one field of one metrics row: `metrics[0].name`. */
export function metricField(index: number, field: (typeof METRIC_FIELDS)[number]): string {
  return `metrics[${index}].${field}`
}

/** The `metrics[i].*` fields of a raw form, gathered as rows (up to the limit; any beyond it are ignored). */
function gatherMetrics(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw
  const source = raw as Record<string, unknown>
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(source)) if (!key.startsWith('metrics[')) rest[key] = value
  const rows: MetricFields[] = []
  for (let i = 0; i < PROVIDER_LIMITS.metricsPerCase; i++) {
    const text = (field: string) => {
      const value = source[metricField(i, field as (typeof METRIC_FIELDS)[number])]
      return typeof value === 'string' ? value.trim() : ''
    }
    rows.push({ name: text('name'), before: text('before'), after: text('after'), unit: text('unit') })
  }
  return { ...rest, metrics: rows }
}

/**
 * A case (案例). The client is named, or described anonymously (匿名展示: then the
 * description, e.g. 某汽车零部件企业, is what is kept and shown; the client's name is
 * not stored). Metrics rows left wholly empty are dropped; a row with anything in it
 * needs a name and an "after" value.
 */
export const ZCaseInput = z.preprocess(
  gatherMetrics,
  z
    .object({
      title: z
        .string({ error: 'providers.v.caseTitle' })
        .trim()
        .min(4, 'providers.v.caseTitle')
        .max(80, 'providers.v.caseTitleTooLong'),
      clientName: z.string().trim().max(60, 'providers.v.clientNameTooLong').default(''),
      anonymised: checkbox,
      clientAlias: z.string().trim().max(60, 'providers.v.clientAliasTooLong').default(''),
      industry: z.string({ error: 'providers.v.caseIndustry' }).regex(/^C\d{2}$/, 'providers.v.caseIndustry'),
      'scenarios[]': codeList(/^S\d{3}$/, 20, 'providers.v.caseScenarios', 'providers.v.caseScenariosTooMany'),
      investmentWan: optionalWhole(0, () => 10_000_000, 'providers.v.investment'),
      year: requiredWhole(1990, () => currentYearInChina(), 'providers.v.caseYearRequired', 'providers.v.caseYear'),
      region: z
        .string()
        .optional()
        .transform((v) => (v ?? '').trim())
        .refine((v) => v === '' || REGION_CODE.test(v), 'providers.v.caseRegion'),
      summary: z
        .string({ error: 'providers.v.summary' })
        .trim()
        .min(1, 'providers.v.summary')
        .max(4000, 'providers.v.summaryTooLong'),
      metrics: z.array(z.object({ name: z.string(), before: z.string(), after: z.string(), unit: z.string() })),
    })
    .superRefine(
      (v, ctx) => {
        const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
        if (v.anonymised) {
          if (v.clientAlias.length < 2) issue('clientAlias', 'providers.v.clientAlias')
        } else if (v.clientName.length < 2) {
          issue('clientName', 'providers.v.clientName')
        }
        if (v['scenarios[]'].length === 0) issue('scenarios[]', 'providers.v.caseScenarios')
        v.metrics.forEach((m, i) => {
          if (!m.name && !m.before && !m.after && !m.unit) return
          if (!m.name) issue(metricField(i, 'name'), 'providers.v.metricName')
          else if (m.name.length > 40) issue(metricField(i, 'name'), 'providers.v.metricNameTooLong')
          if (parseMetricNumber(m.before) === undefined) issue(metricField(i, 'before'), 'providers.v.metricNumber')
          const after = parseMetricNumber(m.after)
          if (after === null) issue(metricField(i, 'after'), 'providers.v.metricAfter')
          else if (after === undefined) issue(metricField(i, 'after'), 'providers.v.metricNumber')
          if (m.unit.length > 16) issue(metricField(i, 'unit'), 'providers.v.metricUnitTooLong')
        })
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    )
    .transform(({ 'scenarios[]': scenarios, metrics, clientName, clientAlias, anonymised, ...rest }) => ({
      ...rest,
      anonymised,
      /** What is stored and shown: the client's name, or its anonymised description. */
      client: anonymised ? clientAlias : clientName,
      scenarios,
      metrics: metrics
        .filter((m) => m.name || m.before || m.after || m.unit)
        .map((m): MetricInput => ({
          name: m.name,
          before: parseMetricNumber(m.before) ?? null,
          after: parseMetricNumber(m.after) ?? 0,
          unit: m.unit,
        })),
    })),
)
export type TCaseInput = z.infer<typeof ZCaseInput>

/** The version of a case an edit was made on (its updated_at), sent back with the form. */
export const ZCaseVersion = z.object({ version: z.string({ error: 'errors.badRequest' }).min(10, 'errors.badRequest').max(40) })

/** The case page's forms: save the case, delete it, or remove one of its images. */
export const ZCaseIntent = z.preprocess(
  // A form that names no intent saves the case.
  (v) => (v && typeof v === 'object' && !('intent' in v) ? { ...v, intent: 'save' } : v),
  z.discriminatedUnion(
    'intent',
    [
      z.object({ intent: z.literal('save') }),
      z.object({ intent: z.literal('delete') }),
      z.object({ intent: z.literal('removeImage'), fileId: zId }),
    ],
    { error: 'errors.badRequest' },
  ),
)

/** /providers/:id?page=N: the page of its cases. */
export const ZProviderPageQuery = z.object({
  page: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1
    }),
})
