import { describe, expect, it } from 'vitest'
import {
  dimensionScore,
  evaluateProvider,
  metricValue,
  NEUTRAL_SCORE,
  NO_FACTS,
  nextSanctionLevel,
  schemeProblem,
  tierForMatching,
  tierOf,
  weightedTotal,
  type DimensionRule,
} from '../../app/domain/evaluation/scoring.js'

/* Provider evaluation, the pure rules (issue 15 §4; docs/decisions/012-evaluation.md). */

const thresholds = { preferredMin: 85, excludedBelow: 60 }

describe('dimension scores', () => {
  it('mixes the metric and the judgement by the judgement share', () => {
    expect(dimensionScore({ metric: 'ratings', judgementPercent: 0 }, { metric: 80, judgement: 20 })).toBe(80)
    expect(dimensionScore({ metric: 'ratings', judgementPercent: 100 }, { metric: 80, judgement: 20 })).toBe(20)
    expect(dimensionScore({ metric: 'ratings', judgementPercent: 25 }, { metric: 80, judgement: 40 })).toBe(70)
  })

  it('lets one stand in for the other when missing, and the neutral score when both are', () => {
    expect(dimensionScore({ metric: 'on_time', judgementPercent: 50 }, { metric: null, judgement: 90 })).toBe(90)
    expect(dimensionScore({ metric: 'on_time', judgementPercent: 50 }, { metric: 70, judgement: null })).toBe(70)
    expect(dimensionScore({ metric: 'on_time', judgementPercent: 50 }, { metric: null, judgement: null })).toBe(NEUTRAL_SCORE)
    // Judgement only: any metric is ignored.
    expect(dimensionScore({ metric: 'none', judgementPercent: 0 }, { metric: 10, judgement: 95 })).toBe(95)
  })
})

describe('weights and tiers', () => {
  const rules: DimensionRule[] = [
    { id: 1, weight: 70, metric: 'ratings', judgementPercent: 0 },
    { id: 2, weight: 30, metric: 'none', judgementPercent: 100 },
  ]

  it('applies the weights: the same scores on swapped weights give another total', () => {
    const inputs = new Map([
      [1, { metric: 100, judgement: null }],
      [2, { metric: null, judgement: 50 }],
    ])
    const a = evaluateProvider(rules, inputs, thresholds)
    expect(a.totalX100).toBe(8500) // 0.7 × 100 + 0.3 × 50
    expect(a.tier).toBe('preferred')
    const swapped = rules.map((r) => ({ ...r, weight: 100 - r.weight }))
    const b = evaluateProvider(swapped, inputs, thresholds)
    expect(b.totalX100).toBe(6500) // 0.3 × 100 + 0.7 × 50
    expect(b.tier).toBe('normal')
    expect(
      weightedTotal([
        { weight: 1, score: 40 },
        { weight: 3, score: 80 },
      ]),
    ).toBe(70)
  })

  it('places a total on the thresholds: ≥ preferred line, < excluded line', () => {
    expect(tierOf(8500, thresholds)).toBe('preferred')
    expect(tierOf(8499, thresholds)).toBe('normal')
    expect(tierOf(6000, thresholds)).toBe('normal')
    expect(tierOf(5999, thresholds)).toBe('excluded')
  })

  it('publishes only a scheme whose weights sum to 100', () => {
    expect(schemeProblem([])).toBe('evaluation.e.noDimensions')
    expect(schemeProblem(rules.map((r) => ({ ...r, weight: 40 })))).toBe('evaluation.e.weightsSum')
    expect(schemeProblem(rules)).toBeNull()
  })
})

describe('metrics from records', () => {
  it('is null without records and on 0–100 with them', () => {
    expect(metricValue('ratings', NO_FACTS).value).toBeNull()
    expect(metricValue('ratings', { ...NO_FACTS, ratings: [1, 0.5] })).toEqual({ value: 75, records: 2 })
    expect(metricValue('on_time', { ...NO_FACTS, milestonesOnTime: 3, milestonesLate: 1 })).toEqual({ value: 75, records: 4 })
    expect(metricValue('disputes', { ...NO_FACTS, contracts: 2, disputesLost: 1 }).value).toBe(80)
    expect(metricValue('disputes', { ...NO_FACTS, contracts: 2, disputesLost: 9 }).value).toBe(0)
    expect(metricValue('indicators', { ...NO_FACTS, indicatorChanges: [0.15] }).value).toBe(50)
    expect(metricValue('indicators', { ...NO_FACTS, indicatorChanges: [0.6] }).value).toBe(100)
  })
})

describe('the tier matching uses', () => {
  it('takes each agency’s latest result of this or last year; any 不再推荐 wins, then any 优先推荐', () => {
    expect(tierForMatching([], false, 2026)).toBe('normal')
    expect(tierForMatching([{ agencyOrgId: 1, year: 2025, tier: 'preferred' }], false, 2026)).toBe('preferred')
    // Too old to count.
    expect(tierForMatching([{ agencyOrgId: 1, year: 2024, tier: 'excluded' }], false, 2026)).toBe('normal')
    // The same agency's later result replaces its earlier one.
    expect(
      tierForMatching(
        [
          { agencyOrgId: 1, year: 2025, tier: 'excluded' },
          { agencyOrgId: 1, year: 2026, tier: 'preferred' },
        ],
        false,
        2026,
      ),
    ).toBe('preferred')
    // Two agencies disagreeing: 不再推荐 wins.
    expect(
      tierForMatching(
        [
          { agencyOrgId: 1, year: 2026, tier: 'preferred' },
          { agencyOrgId: 2, year: 2025, tier: 'excluded' },
        ],
        false,
        2026,
      ),
    ).toBe('excluded')
    expect(tierForMatching([{ agencyOrgId: 1, year: 2026, tier: 'preferred' }], true, 2026)).toBe('excluded')
  })
})

describe('the sanctions ladder', () => {
  it('goes warning → rectification → removal once the deadline has passed', () => {
    expect(nextSanctionLevel([], '2026-12-03')).toEqual({ level: 'warning' })
    expect(nextSanctionLevel([{ level: 'warning', rectifyBy: null }], '2026-12-03')).toEqual({ level: 'rectification' })
    const rectifying = [
      { level: 'warning' as const, rectifyBy: null },
      { level: 'rectification' as const, rectifyBy: '2026-12-03' },
    ]
    expect(nextSanctionLevel(rectifying, '2026-12-03')).toEqual({ level: null, why: 'rectifying' })
    expect(nextSanctionLevel(rectifying, '2026-12-04')).toEqual({ level: 'removal' })
    expect(nextSanctionLevel([{ level: 'removal', rectifyBy: null }], '2026-12-04')).toEqual({ level: null, why: 'removed' })
  })
})
