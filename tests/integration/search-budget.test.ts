import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import { SEARCH_BURST } from '../../app/domain/needs/search-budget.server.js'
import * as needs from '../../app/routes/needs._index.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('expensive anonymous searches are bounded per client', () => {
  it('answers 429 with Retry-After once a client has spent its burst of new combinations; others and repeats go on', async () => {
    // The budget refills one search a second: on a slow machine fifty requests take over a
    // second, and a token would come back mid-test. The clock stands still here, so the
    // count is the burst's and nothing else's.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-01T08:00:00Z') })
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < SEARCH_BURST + 10; i++) {
      const outcome = await call(needs, { path: `/needs?q=${encodeURIComponent(`检测${i}`)}&budgetMin=${i}`, ip: '198.51.100.9' })
      statuses.push(outcome.status)
      if (outcome.status === 429) retryAfter ??= outcome.retryAfter ?? null
    }
    expect(statuses.filter((s) => s === 200).length).toBe(SEARCH_BURST)
    expect(statuses.filter((s) => s === 429).length).toBe(10)
    expect(Number(retryAfter)).toBeGreaterThan(0)
    // A search someone asked a moment ago costs nothing, even for the spent client.
    expect((await call(needs, { path: `/needs?q=${encodeURIComponent('检测0')}&budgetMin=0`, ip: '198.51.100.9' })).status).toBe(
      200,
    )
    // Another visitor is not held up.
    expect((await call(needs, { path: '/needs?q=%E6%96%B0%E8%AF%8D', ip: '198.51.100.10' })).status).toBe(200)
  })
})
