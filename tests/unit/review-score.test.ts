import { describe, expect, it } from 'vitest'
import { rankBids, sheetComplete, sheetProblem, type CriterionRule } from '../../app/domain/events/review-score.js'

const criteria: CriterionRule[] = [
  { id: 1, name: '技术方案', weight: 50, maxScore: 10 },
  { id: 2, name: '实施能力', weight: 30, maxScore: 10 },
  { id: 3, name: '报价', weight: 20, maxScore: 5 },
]

describe('sheetProblem', () => {
  it('accepts weights summing to 100', () => {
    expect(sheetProblem(criteria)).toBeNull()
  })
  it('rejects a sum other than 100, duplicates, empty and out-of-range values', () => {
    expect(sheetProblem([{ name: 'a', weight: 60, maxScore: 10 }])).toBe('weightSum')
    expect(sheetProblem([])).toBe('count')
    expect(
      sheetProblem([
        { name: 'a', weight: 50, maxScore: 10 },
        { name: 'a', weight: 50, maxScore: 10 },
      ]),
    ).toBe('duplicateName')
    expect(sheetProblem([{ name: 'a', weight: 100, maxScore: 0 }])).toBe('maxScore')
    expect(sheetProblem([{ name: 'a', weight: 100.5, maxScore: 10 }])).toBe('weight')
    expect(sheetProblem([{ name: ' ', weight: 100, maxScore: 10 }])).toBe('name')
  })
})

describe('rankBids', () => {
  it('applies the weights to the mean of each criterion', () => {
    const [r] = rankBids(
      criteria,
      [7],
      [
        { bidId: 7, expertId: 1, scores: { 1: 10, 2: 5, 3: 5 } },
        { bidId: 7, expertId: 2, scores: { 1: 8, 2: 7, 3: 4 } },
      ],
    )
    // means 9, 6, 4.5 → 45 + 18 + 18 = 81
    expect(r!.criteria).toEqual([
      { criterionId: 1, mean: 9, points: 45 },
      { criterionId: 2, mean: 6, points: 18 },
      { criterionId: 3, mean: 4.5, points: 18 },
    ])
    expect(r!.total).toBe(81)
    expect(r!.rank).toBe(1)
    expect(r!.experts).toBe(2)
  })

  it('weights matter: a high score on a heavy criterion beats the same on a light one', () => {
    const results = rankBids(
      criteria,
      [1, 2],
      [
        {
          bidId: 1,
          expertId: 1,
          scores: new Map([
            [1, 10],
            [2, 0],
            [3, 0],
          ]),
        },
        {
          bidId: 2,
          expertId: 1,
          scores: new Map([
            [1, 0],
            [2, 10],
            [3, 5],
          ]),
        },
      ],
    )
    // equal totals share rank 1; bid 1 has more points on the heaviest criterion (技术方案), so it is listed first
    expect(results.map((r) => [r.bidId, r.total, r.rank])).toEqual([
      [1, 50, 1],
      [2, 50, 1],
    ])
  })

  it('competition ranking: 1, 1, 3; unscored bids last without a rank', () => {
    const s = (bidId: number, a: number) => ({ bidId, expertId: 1, scores: { 1: a, 2: 10, 3: 5 } })
    const results = rankBids(criteria, [4, 3, 2, 1], [s(1, 6), s(2, 8), s(3, 8)])
    expect(results.map((r) => [r.bidId, r.rank])).toEqual([
      [2, 1],
      [3, 1],
      [1, 3],
      [4, null],
    ])
  })

  it('ignores incomplete or out-of-range sheets', () => {
    const bad = { bidId: 1, expertId: 1, scores: { 1: 11, 2: 5, 3: 5 } }
    const partial = { bidId: 1, expertId: 2, scores: { 1: 5 } }
    expect(sheetComplete(criteria, bad)).toBe(false)
    expect(sheetComplete(criteria, partial)).toBe(false)
    const [r] = rankBids(criteria, [1], [bad, partial])
    expect(r!.rank).toBeNull()
    expect(r!.total).toBe(0)
  })

  it('rounds shown values to two decimals and compares totals as shown', () => {
    const thirds: CriterionRule[] = [{ id: 1, name: 'x', weight: 100, maxScore: 3 }]
    const results = rankBids(
      thirds,
      [1, 2],
      [
        { bidId: 1, expertId: 1, scores: { 1: 1 } },
        { bidId: 2, expertId: 1, scores: { 1: 1 } },
        { bidId: 2, expertId: 2, scores: { 1: 1 } },
      ],
    )
    expect(results[0]!.total).toBe(33.33)
    expect(results.map((r) => r.rank)).toEqual([1, 1])
  })
})
