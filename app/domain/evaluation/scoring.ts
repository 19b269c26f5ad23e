/**
 * Provider evaluation (供应商评价, issue 15 §4; docs/decisions/012-evaluation.md): the pure
 * rules. A scheme has dimensions (经营力, 技术力 …), each with a weight (the weights sum
 * to 100), the platform metric it is computed from ('none': the agency's judgement
 * only) and the share of the agency's judgement in it (0–100 %). Every value is a score
 * on 0–100.
 *
 * - A dimension's score = (1 − p) · metric + p · judgement, p = judgement share. A
 *   missing metric (no records in the year) is replaced by the judgement when there is
 *   one, else by NEUTRAL_SCORE; a missing judgement by the metric, else NEUTRAL_SCORE —
 *   a provider without records is neither rewarded nor punished for it.
 * - The total = Σ weight · score / Σ weight.
 * - The tier: total ≥ preferred_min → 优先推荐 ('preferred'); total < excluded_below →
 *   不再推荐 ('excluded'); otherwise 正常 ('normal'). Compared in hundredths of a point.
 */
import type { EvaluationMetric, EvaluationTier } from '../../../db/enums.js'

/** The score of a dimension with neither records nor a judgement (正常 under the default thresholds). */
export const NEUTRAL_SCORE = 60

export const EVALUATION_LIMITS = Object.freeze({
  dimensionsMax: 12,
  nameMax: 30,
  descriptionMax: 500,
  titleMax: 120,
  schemeDescriptionMax: 2000,
  reasonMin: 5,
  reasonMax: 1000,
  pageSize: 20,
  /** Days after the results are published during which a provider may appeal. */
  appealDays: 15,
  /** A dispute lost takes this many points off the disputes metric. */
  disputePenalty: 20,
  /** An average indicator change of this share (30 %) gives the indicators metric 100. */
  indicatorFullChange: 0.3,
})

export interface DimensionRule {
  id: number
  weight: number
  metric: EvaluationMetric
  /** 0–100. */
  judgementPercent: number
}

export interface DimensionInputs {
  /** The metric's value on 0–100, or null when the provider has no records for it. */
  metric: number | null
  /** The agency's judgement 0–100, or null when not entered. */
  judgement: number | null
}

const clamp100 = (x: number) => (Number.isFinite(x) ? Math.min(100, Math.max(0, x)) : 0)

/** A dimension's score on 0–100 (module comment). */
export function dimensionScore(rule: Pick<DimensionRule, 'metric' | 'judgementPercent'>, inputs: DimensionInputs): number {
  const p = rule.metric === 'none' ? 1 : clamp100(rule.judgementPercent) / 100
  const metric = rule.metric === 'none' ? null : inputs.metric
  const m = metric ?? inputs.judgement ?? NEUTRAL_SCORE
  const j = inputs.judgement ?? metric ?? NEUTRAL_SCORE
  return clamp100((1 - p) * clamp100(m) + p * clamp100(j))
}

/** Σ weight · score / Σ weight, on 0–100 (0 without weights). */
export function weightedTotal(parts: readonly { weight: number; score: number }[]): number {
  const weights = parts.reduce((s, p) => s + Math.max(0, p.weight), 0)
  if (weights <= 0) return 0
  return clamp100(parts.reduce((s, p) => s + Math.max(0, p.weight) * clamp100(p.score), 0) / weights)
}

/** Hundredths of a point, as stored. */
export const toX100 = (score: number): number => Math.round(clamp100(score) * 100)

export interface Thresholds {
  preferredMin: number
  excludedBelow: number
}

/** The tier of a total given in hundredths of a point. */
export function tierOf(totalX100: number, t: Thresholds): EvaluationTier {
  if (totalX100 >= t.preferredMin * 100) return 'preferred'
  if (totalX100 < t.excludedBelow * 100) return 'excluded'
  return 'normal'
}

export interface ProviderScores {
  scores: { dimensionId: number; metric: number | null; judgement: number | null; score: number }[]
  totalX100: number
  tier: EvaluationTier
}

/** Every dimension's score, the total and the tier of one provider. */
export function evaluateProvider(
  rules: readonly DimensionRule[],
  inputs: ReadonlyMap<number, DimensionInputs>,
  thresholds: Thresholds,
): ProviderScores {
  const scores = rules.map((rule) => {
    const given = inputs.get(rule.id) ?? { metric: null, judgement: null }
    return {
      dimensionId: rule.id,
      metric: rule.metric === 'none' ? null : given.metric,
      judgement: given.judgement,
      score: dimensionScore(rule, given),
    }
  })
  const totalX100 = toX100(weightedTotal(rules.map((r, i) => ({ weight: r.weight, score: scores[i]!.score }))))
  return { scores, totalX100, tier: tierOf(totalX100, thresholds) }
}

/** Why a scheme cannot be published yet (a catalogue key), or null. */
export function schemeProblem(rules: readonly Pick<DimensionRule, 'weight' | 'metric' | 'judgementPercent'>[]): string | null {
  if (rules.length === 0) return 'evaluation.e.noDimensions'
  if (rules.length > EVALUATION_LIMITS.dimensionsMax) return 'evaluation.e.tooManyDimensions'
  const sum = rules.reduce((s, r) => s + r.weight, 0)
  if (sum !== 100) return 'evaluation.e.weightsSum'
  return null
}

// ---------------------------------------------------------------------------------------
// Metrics from platform records (facts loaded by facts.server.ts)
// ---------------------------------------------------------------------------------------

export interface MetricFacts {
  /** Enterprises' ratings of completed contracts and diagnosis surveys, each on 0–1. */
  ratings: number[]
  /** The supervisors' ratings and the quality judgements of supervision logs, each on 0–1. */
  supervision: number[]
  milestonesOnTime: number
  milestonesLate: number
  /** Contracts running during the year (the base of the disputes metric). */
  contracts: number
  disputesLost: number
  /** Relative indicator changes (|after − before| / |before|) of verified cases. */
  indicatorChanges: number[]
}

export const NO_FACTS: MetricFacts = Object.freeze({
  ratings: [],
  supervision: [],
  milestonesOnTime: 0,
  milestonesLate: 0,
  contracts: 0,
  disputesLost: 0,
  indicatorChanges: [],
})

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

/** A metric's value on 0–100 and how many records it rests on; value null without records. */
export function metricValue(metric: EvaluationMetric, facts: MetricFacts): { value: number | null; records: number } {
  switch (metric) {
    case 'none':
      return { value: null, records: 0 }
    case 'ratings':
      return facts.ratings.length ? { value: clamp100(mean(facts.ratings) * 100), records: facts.ratings.length } : none()
    case 'supervision':
      return facts.supervision.length
        ? { value: clamp100(mean(facts.supervision) * 100), records: facts.supervision.length }
        : none()
    case 'on_time': {
      const n = facts.milestonesOnTime + facts.milestonesLate
      return n ? { value: clamp100((facts.milestonesOnTime / n) * 100), records: n } : none()
    }
    case 'disputes':
      return facts.contracts || facts.disputesLost
        ? {
            value: clamp100(100 - EVALUATION_LIMITS.disputePenalty * facts.disputesLost),
            records: facts.contracts + facts.disputesLost,
          }
        : none()
    case 'indicators':
      return facts.indicatorChanges.length
        ? {
            value: clamp100(Math.min(1, mean(facts.indicatorChanges) / EVALUATION_LIMITS.indicatorFullChange) * 100),
            records: facts.indicatorChanges.length,
          }
        : none()
  }
}

function none(): { value: null; records: number } {
  return { value: null, records: 0 }
}

// ---------------------------------------------------------------------------------------
// The tier matching uses (several agencies)
// ---------------------------------------------------------------------------------------

export interface PublishedTier {
  agencyOrgId: number
  year: number
  tier: EvaluationTier
}

/**
 * The tier matching uses for one provider (docs/decisions/012-evaluation.md): per agency,
 * its latest published result, counted while its year is this year or the one before
 * (a 2025 evaluation decides 2026); then across agencies 不再推荐 by any wins, else
 * 优先推荐 by any, else 正常. An active 移出 (removal) sanction by any agency → 不再推荐.
 */
export function tierForMatching(results: readonly PublishedTier[], removed: boolean, currentYear: number): EvaluationTier {
  if (removed) return 'excluded'
  const latest = new Map<number, PublishedTier>()
  for (const r of results) {
    if (r.year < currentYear - 1 || r.year > currentYear) continue
    const seen = latest.get(r.agencyOrgId)
    if (!seen || r.year > seen.year) latest.set(r.agencyOrgId, r)
  }
  const tiers = [...latest.values()].map((r) => r.tier)
  if (tiers.includes('excluded')) return 'excluded'
  if (tiers.includes('preferred')) return 'preferred'
  return 'normal'
}

// ---------------------------------------------------------------------------------------
// The sanctions ladder
// ---------------------------------------------------------------------------------------

export type SanctionLevelName = 'warning' | 'rectification' | 'removal'

/**
 * The next level of the ladder warning → rectification (with a deadline) → removal for
 * the active sanctions of one agency on one provider: null when none may follow (already
 * removed, or the rectification's deadline has not passed yet — 'wait').
 */
export function nextSanctionLevel(
  active: readonly { level: SanctionLevelName; rectifyBy: string | null }[],
  today: string,
): { level: SanctionLevelName } | { level: null; why: 'removed' | 'rectifying' } {
  if (active.some((s) => s.level === 'removal')) return { level: null, why: 'removed' }
  const rectification = active.find((s) => s.level === 'rectification')
  if (rectification) {
    return rectification.rectifyBy !== null && rectification.rectifyBy < today
      ? { level: 'removal' }
      : { level: null, why: 'rectifying' }
  }
  if (active.some((s) => s.level === 'warning')) return { level: 'rectification' }
  return { level: 'warning' }
}
