import { describe, expect, it } from 'vitest'
import { AUDIT_WINDOW_MS, recordRepeatedAudit } from '../../app/domain/audit/audit-log.server.js'
import { FREE_FAILURES, lockFor, reserveSignInAttempt } from '../../app/domain/accounts/sign-in-guard.server.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import * as login from '../../app/routes/login.js'
import * as register from '../../app/routes/register.js'
import type { AppError } from '../../app/utils/errors.js'
import { reserve } from '../../app/utils/rate-limit.server.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn, TEST_PASSWORD, uniquePhone } from '../support/factories.js'
import { call, cookieFrom } from '../support/http.js'

const db = () => services().db
/** A burst hashes at most a handful of passwords, but each is a full scrypt. */
const SCRYPT_HEAVY_MS = 90_000

function statuses(outcomes: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1
  return counts
}

async function auditRows(action: string): Promise<number> {
  const { n } = await db()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow()
  return n
}

const wrong = (loginId: string, ip: string, cookie?: string) =>
  call(login, { method: 'POST', path: '/login', form: { login: loginId, password: 'Wrong-password-9' }, ip, cookie })

describe('the limiter reserves atomically', () => {
  it('lets exactly `limit` of 200 parallel reservations through, and gives back what a caller releases', async () => {
    const rule = { limit: 7, windowMs: 60_000 }
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => reserve(db(), [{ key: 'test:burst', rule }])))
    const granted = results.filter((r) => r.status === 'fulfilled')
    expect(granted).toHaveLength(7)
    const refused = results.find((r) => r.status === 'rejected')!.reason as AppError
    expect(refused.code).toBe('RATE_LIMITED')
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1)
    await (granted[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof reserve>>>).value.release(db())
    await expect(reserve(db(), [{ key: 'test:burst', rule }])).resolves.toBeDefined()
    await expect(reserve(db(), [{ key: 'test:burst', rule }])).rejects.toMatchObject({ code: 'RATE_LIMITED' })
  })

  it('reserves on every key or on none', async () => {
    const tight = { limit: 1, windowMs: 60_000 }
    const loose = { limit: 100, windowMs: 60_000 }
    await reserve(db(), [{ key: 'test:tight', rule: tight }])
    await expect(
      reserve(db(), [
        { key: 'test:loose', rule: loose },
        { key: 'test:tight', rule: tight },
      ]),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    const loose0 = await db().selectFrom('rate_limit_events').select('key').where('key', '=', 'test:loose').execute()
    expect(loose0).toHaveLength(0)
  })
})

describe('sign-in under a burst', () => {
  it(
    'lets at most the account allowance of 200 parallel wrong passwords reach the hash, from one address',
    async () => {
      const user = await insertUser(db())
      const outcomes = await Promise.all(Array.from({ length: 200 }, () => wrong(user.login, '198.51.100.40')))
      const counts = statuses(outcomes)
      expect(counts[500]).toBeUndefined()
      expect(counts[400]).toBe(FREE_FAILURES)
      expect(counts[429]).toBe(200 - FREE_FAILURES)
    },
    SCRYPT_HEAVY_MS,
  )

  it(
    'holds the account allowance when 200 addresses guess one account at once',
    async () => {
      const user = await insertUser(db())
      const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => wrong(user.login, `203.0.113.${i}`)))
      const counts = statuses(outcomes)
      expect(counts[400]).toBe(FREE_FAILURES)
      expect(counts[429]).toBe(200 - FREE_FAILURES)
    },
    SCRYPT_HEAVY_MS,
  )

  it(
    'holds the address limit when one address tries 200 different logins at once',
    async () => {
      const outcomes = await Promise.all(Array.from({ length: 200 }, () => wrong(uniquePhone(), '198.51.100.41')))
      const counts = statuses(outcomes)
      expect(counts[400]).toBe(10)
      expect(counts[429]).toBe(190)
    },
    SCRYPT_HEAVY_MS,
  )

  it(
    'lets at most the address limit of 200 parallel sign-ups through',
    async () => {
      const before = await db()
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, () =>
          call(register, {
            method: 'POST',
            path: '/register',
            form: { name: '突发', login: uniquePhone(), password: 'Burst-pass-2026', passwordConfirm: 'Burst-pass-2026' },
            ip: '198.51.100.42',
          }),
        ),
      )
      const counts = statuses(outcomes)
      expect(counts[302]).toBe(10)
      expect(counts[429]).toBe(190)
      const after = await db()
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(after.n - before.n).toBe(10)
    },
    SCRYPT_HEAVY_MS,
  )
})

describe('sign-in lockout', () => {
  it('backs off: free attempts first, then a lock that doubles up to 15 minutes', async () => {
    expect([1, 4, 5, 6, 7, 8, 20].map(lockFor)).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000, 900_000])
    const key = 'user:test-backoff'
    let now = 1_000_000
    for (let i = 1; i < FREE_FAILURES; i++) expect(await reserveSignInAttempt(db(), key, now)).toBe(i)
    expect(await reserveSignInAttempt(db(), key, now)).toBe(FREE_FAILURES)
    await expect(reserveSignInAttempt(db(), key, now + 29_000)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 })
    now += 30_000
    expect(await reserveSignInAttempt(db(), key, now)).toBe(FREE_FAILURES + 1)
    await expect(reserveSignInAttempt(db(), key, now + 59_000)).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    expect(await reserveSignInAttempt(db(), key, now + 60_000)).toBe(FREE_FAILURES + 2)
  })

  it(
    'refuses a stranger past the allowance (even with the right password), never the owner on a device they used before',
    async () => {
      const user = await insertUser(db())
      // The owner signed in from this browser before: it carries a device cookie.
      const first = await call(login, { method: 'POST', path: '/login', form: { login: user.login, password: TEST_PASSWORD } })
      expect(first.status).toBe(302)
      const ownerDevice = cookieFrom(first.setCookie)
        .split('; ')
        .filter((c) => c.startsWith('duijie_device='))
        .join('; ')
      expect(ownerDevice).toMatch(/^duijie_device=/)

      for (let i = 0; i < FREE_FAILURES; i++) expect((await wrong(user.login, `192.0.2.${i}`)).status).toBe(400)
      expect((await wrong(user.login, '192.0.2.99')).status).toBe(429)
      const stranger = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: TEST_PASSWORD },
        ip: '192.0.2.100',
      })
      expect(stranger.status).toBe(429)
      expect(stranger.body).toBe('accounts.signIn.locked')

      const owner = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: TEST_PASSWORD },
        cookie: ownerDevice,
        ip: '198.51.100.60',
      })
      expect(owner.status).toBe(302)
    },
    SCRYPT_HEAVY_MS,
  )

  it(
    'gives an address its failed attempts only: colleagues behind one address are not locked out',
    async () => {
      for (let i = 0; i < 12; i++) {
        const user = await insertUser(db())
        const ok = await call(login, {
          method: 'POST',
          path: '/login',
          form: { login: user.login, password: TEST_PASSWORD },
          ip: '198.51.100.61',
        })
        expect(ok.status, `colleague ${i + 1}`).toBe(302)
      }
    },
    SCRYPT_HEAVY_MS,
  )
})

describe('the audit log under a flood', () => {
  it('adds a bounded number of rows for 10 000 denied requests, and keeps the exact count', async () => {
    await awayFromWindowEdge()
    const enterprise = await insertOrg(db(), { region: '321023' })
    const user = await insertUser(db())
    await addMember(db(), user.id, enterprise)
    const { cookie } = await signIn(db(), user.id, enterprise)
    const before = await auditRows('access.denied')
    for (let batch = 0; batch < 100; batch++) {
      const outcomes = await Promise.all(Array.from({ length: 100 }, () => call(auditLog, { path: '/agency/audit-log', cookie })))
      expect(outcomes.every((o) => o.status === 403)).toBe(true)
    }
    const added = (await auditRows('access.denied')) - before
    // The first, then 10, 100, 1 000 and 10 000.
    expect(added).toBe(5)
    const counter = await db()
      .selectFrom('audit_counters')
      .select((eb) => eb.fn.sum<number>('count').as('total'))
      .where('action', '=', 'access.denied')
      .where('key', 'like', `user:${user.id}|%`)
      .executeTakeFirstOrThrow()
    expect(counter.total).toBe(10_000)
    const last = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'access.denied')
      .where('actor_user_id', '=', user.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(last.detail)).toMatchObject({ permission: 'read:auditlog:role', repeat: 10_000 })
  }, 120_000)

  it('adds a bounded number of rows for 10 000 rate-limited sign-ins', async () => {
    await awayFromWindowEdge()
    const before = await auditRows('auth.rate_limited')
    const failedBefore = await auditRows('auth.sign_in_failed')
    for (let batch = 0; batch < 100; batch++) {
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) => wrong(batch === 0 && i < 10 ? uniquePhone() : 'not-a-login', '198.51.100.70')),
      )
      expect(outcomes.every((o) => o.status === 400 || o.status === 429)).toBe(true)
    }
    expect((await auditRows('auth.rate_limited')) - before).toBeLessThanOrEqual(5)
    expect((await auditRows('auth.sign_in_failed')) - failedBefore).toBeLessThanOrEqual(10)
  }, 120_000)

  it('caps the keys per window: a flood from many sources adds at most (keys + 1) × milestones rows', async () => {
    const before = await auditRows('access.denied')
    const now = Date.UTC(2030, 0, 1)
    for (let i = 0; i < 1_000; i++) {
      await recordRepeatedAudit(
        db(),
        `ip:10.0.${i >> 8}.${i & 255}|GET /x`,
        { action: 'access.denied', ip: `10.0.0.${i & 255}` },
        now,
      )
    }
    const added = (await auditRows('access.denied')) - before
    // 100 keys once each, and the overflow key `*` at 1, 10 and 100 (900 events).
    expect(added).toBe(103)
  }, 60_000)

  it('never writes a password typed into the login field: unrecognised logins are digests', async () => {
    const typedPassword = 'My-secret-Passw0rd!'
    await call(login, { method: 'POST', path: '/login', form: { login: typedPassword, password: 'x' }, ip: '198.51.100.80' })
    const rows = await db().selectFrom('audit_log').selectAll().where('ip', '=', '198.51.100.80').execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(typedPassword)
      expect(JSON.stringify(row).toLowerCase()).not.toContain(typedPassword.toLowerCase())
    }
    expect(rows[0]).toMatchObject({ action: 'auth.sign_in_failed', object_type: 'login' })
    expect(rows[0]!.object_id).toMatch(/^[A-Za-z0-9_-]{32}$/)
    // A recognised login is named by its user id.
    const user = await insertUser(db())
    await wrong(user.login, '198.51.100.81')
    const known = await db().selectFrom('audit_log').selectAll().where('ip', '=', '198.51.100.81').executeTakeFirstOrThrow()
    expect(known).toMatchObject({ action: 'auth.sign_in_failed', object_type: 'user', object_id: String(user.id) })
  })
})

/**
 * The counters start afresh in every AUDIT_WINDOW_MS window (15 minutes): a burst that
 * straddles a window's end is logged again from 1 in the next one. The bursts above take
 * seconds, so they start at least a minute before a window ends (waiting for the next
 * one otherwise), and what they count stays in one window.
 */
async function awayFromWindowEdge(margin = 60_000): Promise<void> {
  const left = AUDIT_WINDOW_MS - (Date.now() % AUDIT_WINDOW_MS)
  if (left < margin) await new Promise((resolve) => setTimeout(resolve, left + 50))
}
