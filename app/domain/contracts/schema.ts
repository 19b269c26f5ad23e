import { z } from 'zod'
import { zId } from '../shared/schema.js'
import { CONTRACT_LIMITS, contractMilestoneField } from './limits.js'

export { CONTRACT_LIMITS, contractMilestoneField } from './limits.js'

/*
 * The contract forms. Only these fields are read: anything else a client posts (status,
 * amount, providerId, supervisor …) is dropped by zod and changes nothing — the amount
 * and the parties are the award's. Messages are catalogue keys
 * (app/i18n/messages/contracts.ts). What zod cannot say with a key alone — the
 * milestones' percentages sum to exactly 100, with the sum in the message; due dates in
 * order and not before the start — the use case checks (contracts.server.ts,
 * checkDraft), with the figures as parameters.
 *
 * Payment milestones come as numbered rows (ms1Name, ms1Percent, ms1Due, ms1Criteria …
 * up to 20): the form has a fixed number of them and works without scripts; blank rows
 * are ignored. An error on a row names the row's field, whose id is its name.
 */

/** A whole number typed into a field, within bounds; one message for every way it can be wrong. */
const wholeNumber = (min: number, max: number, key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,8}$/, key)
    .transform(Number)
    .refine((n) => n >= min && n <= max, key)

/** A calendar date YYYY-MM-DD that exists. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

const dateField = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .refine((v) => isCalendarDate(v), key)

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
  .refine((items) => items.length <= CONTRACT_LIMITS.standardsMax, 'contracts.v.standardsTooMany')
  .refine((items) => items.every((s) => s.length <= CONTRACT_LIMITS.standardMax), 'contracts.v.standardTooLong')

const rowShape: Record<string, z.ZodType<string, unknown>> = {}
for (let n = 1; n <= CONTRACT_LIMITS.maxMilestones; n++) {
  rowShape[contractMilestoneField(n, 'Name')] = z
    .string()
    .trim()
    .max(CONTRACT_LIMITS.milestoneNameMax, 'contracts.v.milestoneNameTooLong')
    .default('')
  rowShape[contractMilestoneField(n, 'Percent')] = z.string().trim().default('')
  rowShape[contractMilestoneField(n, 'Due')] = z.string().trim().default('')
  rowShape[contractMilestoneField(n, 'Criteria')] = z
    .string()
    .trim()
    .max(CONTRACT_LIMITS.milestoneCriteriaMax, 'contracts.v.milestoneCriteriaTooLong')
    .default('')
}

export interface DraftMilestoneInput {
  name: string
  percent: number
  dueDate: string
  criteria: string
}

export interface ContractDraftInput {
  startDate: string
  constructionDays: number
  technicalStandards: string[]
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  disputeClause: string
  milestones: DraftMilestoneInput[]
}

/** A percentage as typed: a whole number from 1 to 100, else null. */
export function parsePercent(text: string): number | null {
  if (!/^\d{1,3}$/.test(text)) return null
  const n = Number(text)
  return n >= 1 && n <= 100 ? n : null
}

/** The rows that hold anything, in order, with their row numbers. */
export function milestoneRows(
  raw: Record<string, unknown>,
): { n: number; name: string; percent: string; due: string; criteria: string }[] {
  const rows = []
  for (let n = 1; n <= CONTRACT_LIMITS.maxMilestones; n++) {
    const text = (part: 'Name' | 'Percent' | 'Due' | 'Criteria') => {
      const v = raw[contractMilestoneField(n, part)]
      return typeof v === 'string' ? v.trim() : ''
    }
    const row = { n, name: text('Name'), percent: text('Percent'), due: text('Due'), criteria: text('Criteria') }
    if (row.name || row.percent || row.due || row.criteria) rows.push(row)
  }
  return rows
}

const draftShape = {
  startDate: dateField('contracts.v.startDate'),
  constructionDays: wholeNumber(
    CONTRACT_LIMITS.minConstructionDays,
    CONTRACT_LIMITS.maxConstructionDays,
    'contracts.v.constructionDays',
  ),
  technicalStandards: standardsField,
  acceptanceStandards: z
    .string({ error: 'contracts.v.acceptanceStandards' })
    .trim()
    .min(1, 'contracts.v.acceptanceStandards')
    .max(CONTRACT_LIMITS.termsMax, 'contracts.v.termsTooLong'),
  qualityTerms: z.string().trim().max(CONTRACT_LIMITS.termsMax, 'contracts.v.termsTooLong').default(''),
  warrantyMonths: wholeNumber(0, CONTRACT_LIMITS.maxWarrantyMonths, 'contracts.v.warrantyMonths'),
  disputeClause: z
    .string({ error: 'contracts.v.disputeClause' })
    .trim()
    .min(1, 'contracts.v.disputeClause')
    .max(CONTRACT_LIMITS.disputeClauseMax, 'contracts.v.disputeClauseTooLong'),
  ...rowShape,
}

/**
 * The draft form: terms and milestone rows. Each used row needs a name, a whole
 * percentage and a due date; at least one row. The sum, the order of the dates and
 * the start are checkDraft's (they name figures).
 */
export const ZContractDraftForm = z
  .object(draftShape)
  .superRefine(
    (v, ctx) => {
      const rows = milestoneRows(v)
      if (rows.length === 0) ctx.addIssue({ code: 'custom', path: ['milestones'], message: 'contracts.v.milestonesRequired' })
      for (const row of rows) {
        if (!row.name)
          ctx.addIssue({ code: 'custom', path: [contractMilestoneField(row.n, 'Name')], message: 'contracts.v.milestoneName' })
        if (parsePercent(row.percent) === null) {
          ctx.addIssue({
            code: 'custom',
            path: [contractMilestoneField(row.n, 'Percent')],
            message: 'contracts.v.milestonePercent',
          })
        }
        if (!isCalendarDate(row.due)) {
          ctx.addIssue({ code: 'custom', path: [contractMilestoneField(row.n, 'Due')], message: 'contracts.v.milestoneDue' })
        }
      }
    },
    // Also when other fields failed: every problem in one round.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform((v): ContractDraftInput => ({
    startDate: v.startDate,
    constructionDays: v.constructionDays,
    technicalStandards: v.technicalStandards,
    acceptanceStandards: v.acceptanceStandards,
    qualityTerms: v.qualityTerms,
    warrantyMonths: v.warrantyMonths,
    disputeClause: v.disputeClause,
    milestones: milestoneRows(v).map((r) => ({
      name: r.name,
      percent: parsePercent(r.percent) ?? 0,
      dueDate: r.due,
      criteria: r.criteria,
    })),
  }))

/** The revision a form read (optimistic: a stale one is CONFLICT contracts.e.stale). */
export const ZContractRevision = z.object({
  revision: z
    .string({ error: 'contracts.e.stale' })
    .regex(/^[1-9]\d{0,8}$/, 'contracts.e.stale')
    .transform(Number),
})

export const ZContractIntent = z.object({ intent: z.enum(['confirm', 'appoint', 'linkCase'], { error: 'errors.invalid' }) })

/** 电子确认: the revision read and the box "I have read and agree". */
export const ZConfirmInput = ZContractRevision.extend({
  agree: z.literal('on', { error: 'contracts.v.agree' }),
})

export const ZAppointInput = z.object({ supervisorOrgId: zId.catch(0).pipe(z.number().min(1, 'contracts.v.supervisor')) })
export const ZLinkCaseInput = z.object({ caseId: zId.catch(0).pipe(z.number().min(1, 'contracts.v.case')) })

/** The contract page's query: the timeline page and the agency's supervisor search. */
export const ZContractPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  sq: z.string().trim().max(CONTRACT_LIMITS.supervisorQueryMax).optional().catch(undefined),
})
export type ContractPageQuery = z.output<typeof ZContractPageQuery>
