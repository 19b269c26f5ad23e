import { z } from 'zod'
import { DIAGNOSIS_KINDS, SEVERITIES, type DiagnosisKind, type Severity } from '../../../db/enums.js'
import { zId } from '../shared/schema.js'

import { recommendationField, REPORT_LIMITS, weaknessField, type DiagnosisTab } from './views.js'

export { recommendationField, REPORT_LIMITS, weaknessField } from './views.js'

/*
 * The forms of diagnosis projects and report versions (issue 12 item 2, DOMAIN.md §4,
 * Jiangsu 2022 §二). The report editor works without scripts: its weaknesses are
 * numbered rows (w1Scenario, w1Severity, w1Title … w50Target) — a row left blank is
 * ignored — and its recommended providers numbered rows r1Org / r1Note. Rows are added
 * and removed by the editor's submit intents (addWeakness, removeWeakness-3,
 * addRecommendation-17, removeRecommendation-17), which save the form as they go.
 */

export interface WeaknessInput {
  /** The form row it came in on (errors and removal name it). */
  row: number
  scenarioCode: string
  severity: Severity
  title: string
  description: string
  indicator: string
  currentValue: string
  targetValue: string
}

export interface RecommendationInput {
  providerOrgId: number
  note: string
}

/** A draft as the editor saves it (every field may still be incomplete but within its limits). */
export interface ReportDraftInput {
  kind: DiagnosisKind
  basics: string
  solution: string
  benchmarkPeer: string
  benchmarkNotes: string
  maturityLevel: number | null
  weaknesses: WeaknessInput[]
  recommendations: RecommendationInput[]
}

const zKind = z.enum(DIAGNOSIS_KINDS, { error: 'diagnosis.v.kind' })
const zNote = z.string().trim().max(REPORT_LIMITS.note, 'diagnosis.v.noteTooLong').default('')
const isId = (v: string) => /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647

const rowShape: Record<string, z.ZodType<string, unknown>> = {}
for (let n = 1; n <= REPORT_LIMITS.weaknesses; n++) {
  rowShape[weaknessField(n, 'Scenario')] = z.string().trim().default('')
  rowShape[weaknessField(n, 'Severity')] = z.string().trim().default('')
  rowShape[weaknessField(n, 'Title')] = z.string().trim().default('')
  rowShape[weaknessField(n, 'Description')] = z.string().trim().default('')
  rowShape[weaknessField(n, 'Indicator')] = z.string().trim().max(REPORT_LIMITS.indicator, 'diagnosis.v.indicator').default('')
  rowShape[weaknessField(n, 'Current')] = z.string().trim().max(REPORT_LIMITS.indicator, 'diagnosis.v.indicator').default('')
  rowShape[weaknessField(n, 'Target')] = z.string().trim().max(REPORT_LIMITS.indicator, 'diagnosis.v.indicator').default('')
}
for (let n = 1; n <= REPORT_LIMITS.recommendations; n++) {
  rowShape[recommendationField(n, 'Org')] = z.string().trim().default('')
  rowShape[recommendationField(n, 'Note')] = z
    .string()
    .trim()
    .max(REPORT_LIMITS.recommendationNote, 'diagnosis.v.recommendationNote')
    .default('')
}

/** The report editor's fields (the intent and revision travel in ZReportEditorMeta). */
export const ZReportDraft = z
  .object({
    kind: zKind,
    basics: z.string().trim().max(REPORT_LIMITS.basics, 'diagnosis.v.basicsTooLong').default(''),
    solution: z.string().trim().max(REPORT_LIMITS.solution, 'diagnosis.v.solutionTooLong').default(''),
    benchmarkPeer: z.string().trim().max(REPORT_LIMITS.benchmarkPeer, 'diagnosis.v.benchmarkPeer').default(''),
    benchmarkNotes: z.string().trim().max(REPORT_LIMITS.benchmarkNotes, 'diagnosis.v.benchmarkNotes').default(''),
    maturityLevel: z
      .string()
      .trim()
      .default('')
      .refine((v) => v === '' || /^[1-5]$/.test(v), 'diagnosis.v.maturity'),
    ...rowShape,
  })
  .superRefine((v, ctx) => {
    const raw = v as unknown as Record<string, string>
    for (let n = 1; n <= REPORT_LIMITS.weaknesses; n++) {
      const f = (part: Parameters<typeof weaknessField>[1]) => raw[weaknessField(n, part)] ?? ''
      const blank = ['Scenario', 'Title', 'Description', 'Indicator', 'Current', 'Target'].every(
        (p) => f(p as Parameters<typeof weaknessField>[1]) === '',
      )
      if (blank) continue
      if (!/^[A-Z]\d{1,4}$/.test(f('Scenario'))) {
        ctx.addIssue({ code: 'custom', path: [weaknessField(n, 'Scenario')], message: 'diagnosis.v.scenario' })
      }
      if (!(SEVERITIES as readonly string[]).includes(f('Severity'))) {
        ctx.addIssue({ code: 'custom', path: [weaknessField(n, 'Severity')], message: 'diagnosis.v.severity' })
      }
      const title = f('Title')
      if ([...title].length < REPORT_LIMITS.weaknessTitleMin || [...title].length > REPORT_LIMITS.weaknessTitleMax) {
        ctx.addIssue({ code: 'custom', path: [weaknessField(n, 'Title')], message: 'diagnosis.v.weaknessTitle' })
      }
      const description = f('Description')
      if (description.length < 1 || description.length > REPORT_LIMITS.weaknessDescription) {
        ctx.addIssue({ code: 'custom', path: [weaknessField(n, 'Description')], message: 'diagnosis.v.weaknessDescription' })
      }
    }
    const seen = new Set<string>()
    for (let n = 1; n <= REPORT_LIMITS.recommendations; n++) {
      const org = raw[recommendationField(n, 'Org')] ?? ''
      if (org === '') continue
      if (!isId(org) || seen.has(org)) {
        ctx.addIssue({ code: 'custom', path: [recommendationField(n, 'Org')], message: 'diagnosis.v.recommendation' })
      }
      seen.add(org)
    }
  })
  .transform((v): ReportDraftInput => {
    const raw = v as unknown as Record<string, string>
    const weaknesses: WeaknessInput[] = []
    for (let n = 1; n <= REPORT_LIMITS.weaknesses; n++) {
      const f = (part: Parameters<typeof weaknessField>[1]) => raw[weaknessField(n, part)] ?? ''
      if (f('Scenario') === '' && f('Title') === '' && f('Description') === '' && f('Indicator') === '') {
        if (f('Current') === '' && f('Target') === '') continue
      }
      weaknesses.push({
        row: n,
        scenarioCode: f('Scenario'),
        severity: f('Severity') as Severity,
        title: f('Title'),
        description: f('Description'),
        indicator: f('Indicator'),
        currentValue: f('Current'),
        targetValue: f('Target'),
      })
    }
    const recommendations: RecommendationInput[] = []
    for (let n = 1; n <= REPORT_LIMITS.recommendations; n++) {
      const org = raw[recommendationField(n, 'Org')] ?? ''
      if (org === '') continue
      recommendations.push({ providerOrgId: Number(org), note: raw[recommendationField(n, 'Note')] ?? '' })
    }
    return {
      kind: v.kind,
      basics: v.basics,
      solution: v.solution,
      benchmarkPeer: v.benchmarkPeer,
      benchmarkNotes: v.benchmarkNotes,
      maturityLevel: v.maturityLevel === '' ? null : Number(v.maturityLevel),
      weaknesses,
      recommendations,
    }
  })

/** What the editor's buttons ask for; the row ones carry the row number or organisation id. */
export type ReportEditorIntent =
  | { intent: 'save' }
  | { intent: 'submit' }
  | { intent: 'addWeakness' }
  | { intent: 'removeWeakness'; row: number }
  | { intent: 'addRecommendation'; orgId: number }
  | { intent: 'removeRecommendation'; orgId: number }

export const ZReportEditorMeta = z.object({
  revision: z
    .string({ error: 'diagnosis.v.revision' })
    .regex(/^[1-9]\d{0,9}$/, 'diagnosis.v.revision')
    .transform(Number),
  intent: z
    .string()
    .default('save')
    .transform((v, ctx): ReportEditorIntent => {
      if (v === 'save' || v === 'submit' || v === 'addWeakness') return { intent: v }
      const m = /^(removeWeakness|addRecommendation|removeRecommendation)-([1-9]\d{0,9})$/.exec(v)
      if (m && Number(m[2]) <= 2_147_483_647) {
        const n = Number(m[2])
        if (m[1] === 'removeWeakness') return { intent: 'removeWeakness', row: n }
        return { intent: m[1] as 'addRecommendation' | 'removeRecommendation', orgId: n }
      }
      ctx.addIssue({ code: 'custom', message: 'errors.invalid' })
      return z.NEVER
    }),
})

/** The editor's attachment forms: upload one file, or remove one (FileList's remove button). */
export const ZReportFileIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('attach') }),
  z.object({ intent: z.literal('removeFile'), fileId: zId }),
])

/** The intents the attachment forms send (the rest go through ZReportEditorMeta). */
export const FILE_INTENTS: readonly string[] = ['attach', 'removeFile']

/** The editor's query: blank weakness rows shown, and the provider search. */
export const ZReportEditorQuery = z.object({
  blank: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= REPORT_LIMITS.blankRows ? n : 1
    }),
  q: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, 40)),
})

/** /diagnoses/new: the enterprise engages, the provider proposes, the agency assigns. */
export const ZNewDiagnosis = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('engage'), providerOrgId: zId, kind: zKind, note: zNote }),
  z.object({ intent: z.literal('propose'), enterpriseOrgId: zId, kind: zKind, note: zNote }),
  z.object({ intent: z.literal('assign'), enterpriseOrgId: zId, providerOrgId: zId, kind: zKind, note: zNote }),
])
export type NewDiagnosisInput = z.infer<typeof ZNewDiagnosis>

export const ZNewDiagnosisQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, 40)),
  /** The agency's enterprise search, apart from its provider search. */
  e: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, 40)),
})

/** The project page's acts. */
export const ZProjectIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('accept') }),
  z.object({ intent: z.literal('decline'), reason: zNote }),
  z.object({ intent: z.literal('cancel'), reason: zNote }),
  z.object({ intent: z.literal('amend') }),
  z.object({
    intent: z.literal('confirm'),
    version: z
      .string()
      .regex(/^[1-9]\d{0,4}$/, 'errors.invalid')
      .transform(Number),
    revision: z
      .string()
      .regex(/^[1-9]\d{0,9}$/, 'diagnosis.v.revision')
      .transform(Number),
  }),
  z.object({
    intent: z.literal('return'),
    version: z
      .string()
      .regex(/^[1-9]\d{0,4}$/, 'errors.invalid')
      .transform(Number),
    revision: z
      .string()
      .regex(/^[1-9]\d{0,9}$/, 'diagnosis.v.revision')
      .transform(Number),
    reason: z
      .string({ error: 'diagnosis.v.returnReason' })
      .trim()
      .min(2, 'diagnosis.v.returnReason')
      .max(REPORT_LIMITS.returnReason, 'diagnosis.v.returnReason'),
  }),
])
export type ProjectIntent = z.infer<typeof ZProjectIntent>

/** /diagnoses?status=…&page=… */
export const ZDiagnosisListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((v) => (v && ['proposed', 'active', 'completed', 'closed'].includes(v) ? (v as DiagnosisTab) : 'all')),
  page: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1
    }),
})

/** /diagnoses/:id/versions/:version */
export const ZVersionParams = z.object({
  id: zId,
  version: z
    .string()
    .regex(/^[1-9]\d{0,4}$/)
    .transform(Number),
})

/**
 * The form without what a row-removing intent removes: weakness row n's fields, or the
 * recommendation rows of that organisation. The rest is then parsed and saved as usual.
 */
export function formWithout(form: FormData, intent: ReportEditorIntent): FormData {
  if (intent.intent !== 'removeWeakness' && intent.intent !== 'removeRecommendation') return form
  const dropped = new Set<string>()
  if (intent.intent === 'removeWeakness') {
    for (const part of ['Scenario', 'Severity', 'Title', 'Description', 'Indicator', 'Current', 'Target'] as const) {
      dropped.add(weaknessField(intent.row, part))
    }
  } else {
    for (let n = 1; n <= REPORT_LIMITS.recommendations; n++) {
      if (form.get(recommendationField(n, 'Org')) === String(intent.orgId)) {
        dropped.add(recommendationField(n, 'Org'))
        dropped.add(recommendationField(n, 'Note'))
      }
    }
  }
  const out = new FormData()
  for (const [key, value] of form) if (!dropped.has(key)) out.append(key, value)
  return out
}
