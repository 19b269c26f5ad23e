import { describe, expect, it } from 'vitest'
import { SearchBudget } from '../../app/domain/needs/search-budget.server.js'

describe('the search budget (expensive anonymous requests are bounded)', () => {
  it('lets a client run its burst of new combinations, then asks it to wait', () => {
    const budget = new SearchBudget(5, 1)
    const now = 1_000_000
    for (let i = 0; i < 5; i++) expect(budget.charge('ip:a', `q${i}`, now)).toBe(0)
    expect(budget.charge('ip:a', 'q5', now)).toBeGreaterThan(0)
    // Another client is not held up by the first.
    expect(budget.charge('ip:b', 'q6', now)).toBe(0)
  })

  it('never charges a query asked recently, by anyone', () => {
    const budget = new SearchBudget(2, 1)
    const now = 2_000_000
    expect(budget.charge('ip:a', 'same', now)).toBe(0)
    for (let i = 0; i < 100; i++) expect(budget.charge('ip:a', 'same', now + i)).toBe(0)
    expect(budget.charge('ip:b', 'same', now + 200)).toBe(0)
  })

  it('refills at its steady rate', () => {
    const budget = new SearchBudget(1, 2)
    const now = 3_000_000
    expect(budget.charge('ip:a', 'x1', now)).toBe(0)
    expect(budget.charge('ip:a', 'x2', now)).toBe(1)
    expect(budget.charge('ip:a', 'x2', now + 600)).toBe(0)
  })
})
