import type { LocalText, Measure, RuleSet } from './rule-set.js'

/*
 * 补助测算 for a project (issue 16 §4): the measures of a rule set (扬州 2022 附件1) that
 * pay a share of a basis with a threshold and a cap, or a fixed amount per case. Pure;
 * amounts in 万元, computed in hundredths.
 */

export type MeasureBasis = Extract<Measure, { kind: 'percent' }>['basis']

export interface MeasureEstimate {
  id: string
  name: LocalText
  article: LocalText
  eligible: boolean
  /** Why not: the basis is under the threshold (or unknown). */
  reason: 'eligible' | 'below_threshold' | 'no_basis'
  basisWan: number | null
  minBasisWan: number
  ratePct: number
  /** basis × rate, before the cap. */
  shareWan: number
  capWan: number
  amountWan: number
  capped: boolean
}

const cents = (wan: number) => Math.round(wan * 100)

export function estimatePercentMeasure(m: Extract<Measure, { kind: 'percent' }>, basisWan: number | null): MeasureEstimate {
  const base = {
    id: m.id,
    name: m.name,
    article: m.article,
    minBasisWan: m.min_basis_wan,
    ratePct: m.rate_pct,
    capWan: m.cap_wan,
  }
  if (basisWan === null || !Number.isFinite(basisWan) || basisWan <= 0)
    return { ...base, eligible: false, reason: 'no_basis', basisWan: null, shareWan: 0, amountWan: 0, capped: false }
  const share = Math.round((cents(basisWan) * cents(m.rate_pct)) / 10_000)
  if (basisWan < m.min_basis_wan)
    return { ...base, eligible: false, reason: 'below_threshold', basisWan, shareWan: share / 100, amountWan: 0, capped: false }
  const amount = Math.min(share, cents(m.cap_wan))
  return {
    ...base,
    eligible: true,
    reason: 'eligible',
    basisWan,
    shareWan: share / 100,
    amountWan: amount / 100,
    capped: share > cents(m.cap_wan),
  }
}

/** Every percentage measure of the set on one basis (a need: `project_investment`). */
export function estimateMeasures(set: RuleSet, basis: MeasureBasis, basisWan: number | null): MeasureEstimate[] {
  return (set.measures ?? [])
    .filter((m): m is Extract<Measure, { kind: 'percent' }> => m.kind === 'percent' && m.basis === basis)
    .map((m) => estimatePercentMeasure(m, basisWan))
}

/** A fixed measure's amount for a case (a diagnosis kind, 监理), or null when the set has none. */
export function fixedAmount(set: RuleSet, measureId: string, caseId: string): { amountWan: number; article: LocalText } | null {
  const m = set.measures?.find((x) => x.id === measureId)
  if (!m || m.kind !== 'fixed') return null
  const a = m.amounts.find((x) => x.case === caseId)
  return a ? { amountWan: a.max_wan, article: m.article } : null
}
