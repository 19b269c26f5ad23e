import { describe, expect, it, vi } from 'vitest'
import { deliverPending } from '../../app/domain/messaging/outbox.server.js'
import type { Transport, Transports } from '../../app/domain/messaging/transports.server.js'
import type { AppError } from '../../app/utils/errors.js'
import { reserve } from '../../app/utils/rate-limit.server.js'
import { runLeased, startScheduler, type ScheduledJob } from '../../app/utils/scheduler.server.js'
import { scheduledJobs } from '../../app/web/jobs.server.js'
import { leaseHolder, releaseLease, renewLease, takeLease } from '../../db/leases.js'
import { twoInstances } from '../support/test-db.js'

// What ties a request to one process, moved to the database (issue 10): rate limits,
// job leases and the message outbox, each exercised by two "instances" at once, two
// connections to one database (two better-sqlite3 handles on the file on SQLite, two
// pools under `npm run test:pg`). The search outbox: search-outbox-claims.test.ts; the
// home figures: platform-stats.test.ts and platform-stats-instances.pg.test.ts.

const [one, two] = twoInstances('duijie-test-instances')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Jobs that count their runs and the most of them running at once, busy `busyMs` each. */
function observed() {
  const seen = {
    runs: 0,
    most: 0,
    active: 0,
    job: (job: Omit<ScheduledJob, 'run'>, busyMs: number): ScheduledJob => ({
      ...job,
      run: async () => {
        seen.runs += 1
        seen.active += 1
        seen.most = Math.max(seen.most, seen.active)
        await sleep(busyMs)
        seen.active -= 1
      },
    }),
  }
  return seen
}

describe('rate limits across instances', () => {
  it('let exactly `limit` of 200 parallel reservations through, half of them on each instance', async () => {
    const rule = { limit: 9, windowMs: 60_000 }
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => reserve(i % 2 ? one : two, [{ key: 'instances:burst', rule }])),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9)
    const refused = results.find((r) => r.status === 'rejected')!.reason as AppError
    expect(refused.code).toBe('RATE_LIMITED')
  })

  it('reserve on every key or none when two instances race for the same keys in opposite orders', async () => {
    const rule = { limit: 5, windowMs: 60_000 }
    const ab = [
      { key: 'instances:a', rule },
      { key: 'instances:b', rule },
    ]
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => reserve(i % 2 ? one : two, i % 4 < 2 ? ab : [...ab].reverse())),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5)
    for (const key of ['instances:a', 'instances:b']) {
      const rows = await one.selectFrom('rate_limit_events').select('id').where('key', '=', key).execute()
      expect(rows).toHaveLength(5)
    }
  })

  it('give back exactly the attempt a caller releases, from either instance', async () => {
    const rule = { limit: 2, windowMs: 60_000 }
    const first = await reserve(one, [{ key: 'instances:release', rule }])
    await reserve(two, [{ key: 'instances:release', rule }])
    await expect(reserve(one, [{ key: 'instances:release', rule }])).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    await first.release(two)
    await expect(reserve(two, [{ key: 'instances:release', rule }])).resolves.toBeDefined()
  })
})

describe('job leases', () => {
  it('go to exactly one of many instances asking at once, and to another once they run out', async () => {
    const now = Date.now()
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, i) => takeLease(i % 2 ? one : two, 'test-race', `holder-${i}`, 60_000, now)),
    )
    expect(taken.filter(Boolean)).toHaveLength(1)
    const holder = `holder-${taken.indexOf(true)}`
    expect(await leaseHolder(two, 'test-race', now)).toBe(holder)
    // Its holder renews it; nobody else can, nor take it, until it runs out.
    expect(await takeLease(one, 'test-race', holder, 60_000, now + 1)).toBe(false)
    expect(await renewLease(one, 'test-race', holder, 60_000, now + 1_000)).toBe(true)
    expect(await renewLease(two, 'test-race', 'someone-else', 60_000, now + 1_000)).toBe(false)
    expect(await takeLease(two, 'test-race', 'someone-else', 60_000, now + 60_000)).toBe(false)
    expect(await takeLease(two, 'test-race', 'someone-else', 60_000, now + 61_000)).toBe(true)
    expect(await renewLease(one, 'test-race', holder, 60_000, now + 61_001)).toBe(false)
    // Released by a former holder: nothing happens; by its holder: free at once.
    await releaseLease(one, 'test-race', holder, { now: now + 61_002 })
    expect(await leaseHolder(one, 'test-race', now + 61_003)).toBe('someone-else')
    await releaseLease(two, 'test-race', 'someone-else', { now: now + 61_004 })
    expect(await takeLease(one, 'test-race', holder, 60_000, now + 61_005)).toBe(true)
  })

  it('run a job on one instance at a time, then keep it for most of its interval', async () => {
    const seen = observed()
    const job = seen.job({ name: 'test-once', everyMs: 60_000 }, 50)
    const ran = await Promise.all(Array.from({ length: 10 }, (_, i) => runLeased(i % 2 ? one : two, job, `instance-${i}`)))
    expect(ran.filter(Boolean)).toHaveLength(1)
    expect(seen.runs).toBe(1)
    expect(seen.most).toBe(1)
    // Done: nobody runs it again before most of the interval has passed.
    expect(await runLeased(one, job, 'instance-late')).toBe(false)
    expect(await leaseHolder(one, 'test-once', Date.now() + 50_000)).not.toBeNull()
    expect(await leaseHolder(one, 'test-once', Date.now() + 60_000)).toBeNull()
  })

  it('leave a failed run to the next instance at once', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      let calls = 0
      const job: ScheduledJob = {
        name: 'test-failing',
        everyMs: 60_000,
        run: async () => {
          calls += 1
          if (calls === 1) throw new Error('job failed')
        },
      }
      expect(await runLeased(one, job, 'instance-a')).toBe(true)
      expect(errors).toHaveBeenCalled()
      expect(await runLeased(two, job, 'instance-b')).toBe(true)
      expect(calls).toBe(2)
    } finally {
      errors.mockRestore()
    }
  })

  it('tick on every instance but never run one job twice at once', async () => {
    const seen = observed()
    const job = () => seen.job({ name: 'test-ticking', everyMs: 100, leaseMs: 5_000 }, 30)
    const a = startScheduler(one, [job()], 'ticker-a')
    const b = startScheduler(two, [job()], 'ticker-b')
    await sleep(1_200)
    await Promise.all([a.stop(), b.stop()])
    expect(seen.most).toBe(1)
    // About one run per interval between them, not one per instance per interval.
    expect(seen.runs).toBeGreaterThanOrEqual(3)
    expect(seen.runs).toBeLessThanOrEqual(14)
  })

  it('cover the outboxes and the sweeps, each under its own lease name', () => {
    const jobs = scheduledJobs({ db: one, indexer: { processOutbox: async () => 0 } as never })
    expect(jobs.map((j) => j.name)).toEqual([
      'search-outbox',
      'message-outbox',
      'sweeps',
      'provider-validity',
      'need-expiry',
      'milestone-late',
      'qualification-expiry',
      'spreadsheet-tasks',
    ])
    for (const j of jobs) expect(j.everyMs).toBeGreaterThan(0)
  })
})

describe('message outbox across instances', () => {
  function countingTransports() {
    const sent: string[] = []
    const sms: Transport = {
      name: 'test-sms',
      send: async (m) => {
        await sleep(2)
        sent.push(m.destination)
      },
    }
    const using: Transports = { email: null, sms, mailbox: false }
    return { using, sent }
  }

  async function enqueue(
    destinations: readonly string[],
    status: 'pending' | 'sending' = 'pending',
    claimedUntil: number | null = null,
  ) {
    const now = new Date()
    await one
      .insertInto('message_outbox')
      .values(
        destinations.map((destination) => ({
          channel: 'sms' as const,
          destination,
          subject: '',
          body: '验证码 123456',
          status,
          claimed_until: claimedUntil,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 10 * 60_000).toISOString(),
        })),
      )
      .execute()
  }

  it('sends each of 40 messages exactly once when two instances deliver at the same time', async () => {
    const destinations = Array.from({ length: 40 }, (_, i) => `1390000${String(i).padStart(4, '0')}`)
    await enqueue(destinations)
    const a = countingTransports()
    const b = countingTransports()
    const [settledA, settledB] = await Promise.all([
      deliverPending(one, new Date(), a.using),
      deliverPending(two, new Date(), b.using),
    ])
    expect(settledA + settledB).toBe(40)
    expect([...a.sent, ...b.sent].sort()).toEqual([...destinations].sort())
    const rows = await one
      .selectFrom('message_outbox')
      .select(['status', 'claimed_until'])
      .where('destination', 'in', destinations)
      .execute()
    expect(rows.every((r) => r.status === 'sent' && r.claimed_until === null)).toBe(true)
  })

  it('leaves a message another instance is sending alone, and retries it once that claim has run out', async () => {
    const now = Date.now()
    await enqueue(['13911110001'], 'sending', now + 60_000)
    const a = countingTransports()
    expect(await deliverPending(two, new Date(now), a.using)).toBe(0)
    expect(a.sent).toEqual([])
    expect(await deliverPending(two, new Date(now + 61_000), a.using)).toBe(1)
    expect(a.sent).toEqual(['13911110001'])
  })
})
