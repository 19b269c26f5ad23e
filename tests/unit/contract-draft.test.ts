import { describe, expect, it } from 'vitest'
import { milestoneAmounts, milestoneDueDates } from '../../app/domain/contracts/draft.server.js'

describe('a draft contract’s milestones', () => {
  it('spreads due dates over the construction period by cumulative percent, the last on the end date', () => {
    expect(milestoneDueDates('2027-01-01', 100, [30, 40, 30])).toEqual(['2027-01-31', '2027-03-12', '2027-04-11'])
    expect(milestoneDueDates('2027-01-01', 1, [50, 50])).toEqual(['2027-01-02', '2027-01-02'])
  })

  it('splits the amount by percent, the last taking the remainder so the sum is exact', () => {
    expect(milestoneAmounts(10_000, [30, 40, 30])).toEqual([3_000, 4_000, 3_000])
    const odd = milestoneAmounts(12_345, [33, 33, 34])
    expect(odd.reduce((a, b) => a + b, 0)).toBe(12_345)
    expect(odd).toEqual([4_074, 4_074, 4_197])
  })
})
