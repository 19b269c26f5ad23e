import { z } from 'zod'
import { SCENARIO_LINKS, type ScenarioLink } from '../policy/facts.js'

/*
 * The forms of the 梯度自评 (issue 16 §3): the short questionnaire (the facts the archive
 * lacks, plus the archive's MES coverage) and the assumed investment of a need's subsidy
 * estimate. Blank answers are `null` (未填 — unknown, never "no"). Messages are keys of
 * app/i18n/messages/gradient.ts.
 */

/** Full-width digits, point and minus (from a Chinese input method) as ASCII. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0e\uff0d]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** 是 / 否 / 未填. */
export const YES_NO = ['yes', 'no'] as const
const zYesNo = z
  .string({ error: 'gradient.v.choice' })
  .optional()
  .transform((v, ctx): boolean | null => {
    if (v === undefined || v === '') return null
    if (v === 'yes') return true
    if (v === 'no') return false
    ctx.addIssue({ code: 'custom', message: 'gradient.v.choice' })
    return z.NEVER
  })

/** An amount in 万元 with at most two decimals, 0 – 10 000 000 ('' → null); commas and 万 forgiven. */
export function zWan(message: string, { min = 0, required = false }: { min?: number; required?: boolean } = {}) {
  return z
    .string({ error: message })
    .optional()
    .transform((v, ctx): number | null => {
      const text = toHalfWidth(v ?? '')
        .replace(/[\s,，万]/g, '')
        .trim()
      if (text === '') {
        if (required) {
          ctx.addIssue({ code: 'custom', message })
          return z.NEVER
        }
        return null
      }
      const n = /^\d{1,8}(\.\d{1,2})?$/.test(text) ? Number(text) : NaN
      if (!Number.isFinite(n) || n < min || n > 10_000_000) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })
}

function zCount(max: number, message: string) {
  return z
    .string({ error: message })
    .optional()
    .transform((v, ctx): number | null => {
      const text = toHalfWidth(v ?? '').trim()
      if (text === '') return null
      const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN
      if (!Number.isInteger(n) || n > max) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return n
    })
}

/** A percentage 0–100 with at most one decimal ('' → null). */
const zPercent = z
  .string({ error: 'gradient.v.percent' })
  .optional()
  .transform((v, ctx): number | null => {
    const text = toHalfWidth(v ?? '')
      .replace(/[\s%％]/g, '')
      .trim()
    if (text === '') return null
    const n = /^\d{1,3}(\.\d)?$/.test(text) ? Number(text) : NaN
    if (!Number.isFinite(n) || n > 100) {
      ctx.addIssue({ code: 'custom', message: 'gradient.v.percent' })
      return z.NEVER
    }
    return n
  })

const zRevision = z
  .string({ error: 'gradient.e.stale' })
  .regex(/^\d{1,9}$/, 'gradient.e.stale')
  .transform(Number)

/**
 * The questionnaire. `linksAnswered` marks that the 环节 checkboxes were shown (none ticked
 * then means none covered, not unknown). The revisions are those the form was filled in on:
 * of the answers (0: none saved yet) and of the archive (for MES coverage).
 */
export const ZGradientAnswersInput = z.object({
  revision: zRevision,
  archiveRevision: zRevision,
  mesCoveragePct: zPercent,
  pdmInUse: zYesNo,
  erpInUse: zYesNo,
  lineInvestmentWan: zWan('gradient.v.amount'),
  safetyRecordClean: zYesNo,
  linksAnswered: z.enum(['1']).optional(),
  links: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v, ctx): ScenarioLink[] => {
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v]
      const out: ScenarioLink[] = []
      for (const x of list) {
        if (!(SCENARIO_LINKS as readonly string[]).includes(x)) {
          ctx.addIssue({ code: 'custom', message: 'gradient.v.links' })
          return z.NEVER
        }
        if (!out.includes(x as ScenarioLink)) out.push(x as ScenarioLink)
      }
      return out
    }),
  qualityTraceability: zYesNo,
  scenarioInGuide: zYesNo,
  scenarioMonthsRunning: zCount(600, 'gradient.v.months'),
  scenarioEffectMeasured: zYesNo,
  scenarioApplicationsThisYear: zCount(50, 'gradient.v.count'),
})
export type TGradientAnswersInput = z.output<typeof ZGradientAnswersInput>

/** A need's subsidy estimate: the assumed investment (万元, default the need's budget ceiling). */
export const ZNeedEstimateQuery = z.object({
  investment: z
    .string()
    .optional()
    .transform((v, ctx): number | null => {
      const parsed = zWan('gradient.v.investment', { min: 0.01 }).safeParse(v)
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'gradient.v.investment' })
        return z.NEVER
      }
      return parsed.data
    }),
})
