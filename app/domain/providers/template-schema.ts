import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { PRICE_MODELS, PROVIDER_LIMITS } from './enums.js'
import { MAX_MILESTONE_ROWS, MAX_TEMPLATES_PAGE, type Milestone, type TemplateFields } from './template-views.js'

/*
 * The contract template form (标准合同) and the /templates query. Messages are catalogue
 * keys (app/i18n/messages/templates.ts). What zod cannot say with a key alone — the
 * milestone percentages must sum to exactly 100, and the error shows the sum — is
 * checked by the use case (templates.server.ts, assertMilestoneSum), which throws it
 * with the sum as a parameter.
 *
 * Payment milestones come as numbered rows (ms1Name, ms1Percent, ms1Criteria … up to
 * MAX_MILESTONE_ROWS): the form has a fixed number of them and works without scripts;
 * blank rows are ignored. An error on a row names the row's field, whose id is its name.
 */

/** A form field that may come once, repeated, or not at all, as a list. */
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined || value === '' ? [] : [value]

/** A whole number typed into a field, within bounds; one message for every way it can be wrong. */
const wholeNumber = (min: number, max: number, key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,8}$/, key)
    .transform(Number)
    .refine((n) => n >= min && n <= max, key)

/** An optional amount in 万元: blank is null. */
const optionalWan = z
  .string()
  .trim()
  .default('')
  .refine((v) => v === '' || /^\d{1,8}$/.test(v), 'template.v.priceNumber')
  .transform((v) => (v === '' ? null : Number(v)))
  .refine((v) => v === null || v <= 10_000_000, 'template.v.priceNumber')

/** One technical standard a line (GB/T 39116-2020 …); semicolons also separate. */
const standardsField = z
  .string()
  .default('')
  .transform((text) => {
    const seen = new Set<string>()
    const out: string[] = []
    for (const raw of text.split(/[\n\r;；]+/)) {
      const line = raw.replace(/\s+/g, ' ').trim()
      if (!line || seen.has(line.toUpperCase())) continue
      seen.add(line.toUpperCase())
      out.push(line)
    }
    return out
  })
  .refine((items) => items.length > 0, 'template.v.standardsRequired')
  .refine((items) => items.length <= PROVIDER_LIMITS.standardsPerTemplate, 'template.v.standardsTooMany')
  .refine((items) => items.every((s) => s.length <= 60), 'template.v.standardTooLong')

/** Field names of milestone row `n` (1-based): also the ids of its inputs. */
export const milestoneField = (n: number, part: 'Name' | 'Percent' | 'Criteria') => `ms${n}${part}`

const milestoneShape: Record<string, z.ZodType<string, unknown>> = {}
for (let n = 1; n <= MAX_MILESTONE_ROWS; n++) {
  milestoneShape[milestoneField(n, 'Name')] = z.string().trim().max(40, 'template.v.milestoneNameTooLong').default('')
  milestoneShape[milestoneField(n, 'Percent')] = z.string().trim().default('')
  milestoneShape[milestoneField(n, 'Criteria')] = z.string().trim().max(500, 'template.v.milestoneCriteriaTooLong').default('')
}

const templateShape = {
  title: z.string({ error: 'template.v.title' }).trim().min(4, 'template.v.title').max(80, 'template.v.title'),
  industry: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^C\d{2}$/.test(v), 'template.v.industry')
    .transform((v) => (v === '' ? null : v)),
  'scenarios[]': z.preprocess(
    list,
    z
      .array(z.string().regex(/^S\d{3}$/, 'template.v.scenario'))
      .min(1, 'template.v.scenariosRequired')
      .max(10, 'template.v.scenariosTooMany'),
  ),
  constructionDays: wholeNumber(1, 3650, 'template.v.constructionDays'),
  technicalStandards: standardsField,
  acceptanceStandards: z
    .string({ error: 'template.v.acceptanceStandards' })
    .trim()
    .min(1, 'template.v.acceptanceStandards')
    .max(4000, 'template.v.acceptanceStandardsTooLong'),
  qualityTerms: z.string().trim().max(4000, 'template.v.qualityTermsTooLong').default(''),
  warrantyMonths: wholeNumber(0, 120, 'template.v.warrantyMonths'),
  priceModel: z.enum(PRICE_MODELS, { error: 'template.v.priceModel' }),
  priceMinWan: optionalWan,
  priceMaxWan: optionalWan,
  disputeClause: z
    .string({ error: 'template.v.disputeClause' })
    .trim()
    .min(1, 'template.v.disputeClause')
    .max(2000, 'template.v.disputeClauseTooLong'),
  ...milestoneShape,
}

type RawTemplate = z.infer<z.ZodObject<typeof templateShape>> & Record<string, string>

/** The rows that hold anything, in order, with their row numbers. */
export function milestoneRows(raw: Record<string, unknown>): { n: number; name: string; percent: string; criteria: string }[] {
  const rows = []
  for (let n = 1; n <= MAX_MILESTONE_ROWS; n++) {
    const text = (part: 'Name' | 'Percent' | 'Criteria') => {
      const v = raw[milestoneField(n, part)]
      return typeof v === 'string' ? v.trim() : ''
    }
    const row = { n, name: text('Name'), percent: text('Percent'), criteria: text('Criteria') }
    if (row.name || row.percent || row.criteria) rows.push(row)
  }
  return rows
}

/** A percentage as typed: a whole number from 1 to 100, else null. */
export function parsePercent(text: string): number | null {
  if (!/^\d{1,3}$/.test(text)) return null
  const n = Number(text)
  return n >= 1 && n <= 100 ? n : null
}

/**
 * Price: fixed names one amount (kept as min = max), a range both ends (max ≥ min),
 * 面议 none. Milestone rows: each used row has a name and a percentage, names differ,
 * at least one row. The sum is the use case's (it shows the figure).
 */
function templateRules(v: RawTemplate, ctx: z.RefinementCtx) {
  if (v.priceModel === 'fixed' && v.priceMinWan === null) {
    ctx.addIssue({ code: 'custom', path: ['priceMinWan'], message: 'template.v.priceFixed' })
  }
  if (v.priceModel === 'range') {
    if (v.priceMinWan === null) ctx.addIssue({ code: 'custom', path: ['priceMinWan'], message: 'template.v.priceRange' })
    if (v.priceMaxWan === null) ctx.addIssue({ code: 'custom', path: ['priceMaxWan'], message: 'template.v.priceRange' })
    if (v.priceMinWan !== null && v.priceMaxWan !== null && v.priceMaxWan < v.priceMinWan) {
      ctx.addIssue({ code: 'custom', path: ['priceMaxWan'], message: 'template.v.priceOrder' })
    }
  }
  const rows = milestoneRows(v)
  if (rows.length === 0) ctx.addIssue({ code: 'custom', path: ['milestones'], message: 'template.v.milestonesRequired' })
  const names = new Set<string>()
  for (const row of rows) {
    if (!row.name) ctx.addIssue({ code: 'custom', path: [milestoneField(row.n, 'Name')], message: 'template.v.milestoneName' })
    else if (names.has(row.name)) {
      ctx.addIssue({ code: 'custom', path: [milestoneField(row.n, 'Name')], message: 'template.v.milestoneDuplicate' })
    }
    names.add(row.name)
    if (parsePercent(row.percent) === null) {
      ctx.addIssue({ code: 'custom', path: [milestoneField(row.n, 'Percent')], message: 'template.v.milestonePercent' })
    }
  }
}

function toFields(v: RawTemplate): TemplateFields {
  const milestones: Milestone[] = milestoneRows(v).map((r) => ({
    name: r.name,
    percent: parsePercent(r.percent) ?? 0,
    criteria: r.criteria,
  }))
  const priced = v.priceModel !== 'quote'
  return {
    title: v.title,
    industryCode: v.industry,
    scenarioCodes: [...new Set(v['scenarios[]'])],
    constructionDays: v.constructionDays,
    technicalStandards: v.technicalStandards,
    acceptanceStandards: v.acceptanceStandards,
    qualityTerms: v.qualityTerms,
    warrantyMonths: v.warrantyMonths,
    priceModel: v.priceModel,
    priceMinWan: priced ? v.priceMinWan : null,
    priceMaxWan: v.priceModel === 'fixed' ? v.priceMinWan : priced ? v.priceMaxWan : null,
    milestones,
    disputeClause: v.disputeClause,
  }
}

/** The template form (new, derived and edited templates). */
export const ZTemplateInput = z
  .object(templateShape)
  .superRefine((v, ctx) => templateRules(v as RawTemplate, ctx))
  .transform((v) => toFields(v as RawTemplate))
export type TTemplateInput = z.infer<typeof ZTemplateInput>

/** The edit form says which version it was showing: a save over a newer one is refused. */
export const ZTemplateEditMeta = z.object({
  baseVersion: wholeNumber(1, 1_000_000, 'template.e.stale'),
})

/** The new-template form may derive from an official template's version (`from`, in the URL and the form). */
export const ZTemplateDeriveQuery = z.object({
  from: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647 ? Number(v) : undefined)),
})

/** A template's page: `?version=N` shows an older version. */
export const ZTemplatePageQuery = z.object({
  version: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,6}$/.test(v) ? Number(v) : undefined)),
})

/** /templates: filters dropped when invalid (a stale link still shows something). */
export const ZTemplateListQuery = z.object({
  industry: z
    .string()
    .optional()
    .transform((v) => (v && /^C\d{2}$/.test(v) ? v : undefined)),
  scenario: z
    .string()
    .optional()
    .transform((v) => (v && /^S\d{3}$/.test(v) ? v : undefined)),
  page: zPageParam(MAX_TEMPLATES_PAGE),
})
export type TTemplateListQuery = z.infer<typeof ZTemplateListQuery>

/** What may be done to one's own template from the workspace list. */
export const ZOwnTemplateAction = z.object({
  intent: z.enum(['archive', 'restore', 'delete'], { error: 'errors.badRequest' }),
  templateId: zId,
})
