import { afterEach, describe, expect, it } from 'vitest'
import { consumeCode, CODE_TTL_MS, issueCode, MAX_CODE_ATTEMPTS } from '../../app/domain/accounts/codes.server.js'
import { issueResetLink } from '../../app/domain/accounts/recovery.server.js'
import { findSession } from '../../app/domain/accounts/sessions.server.js'
import { FREE_FAILURES } from '../../app/domain/accounts/sign-in-guard.server.js'
import { deliverPending, scheduleDelivery } from '../../app/domain/messaging/outbox.server.js'
import { LogSmsGateway, setTransports, type Envelope, type Transport } from '../../app/domain/messaging/transports.server.js'
import * as account from '../../app/routes/account.js'
import * as changePasswordRoute from '../../app/routes/account_.password.js'
import * as verify from '../../app/routes/account_.verify.js'
import * as mailbox from '../../app/routes/dev.mailbox.js'
import * as forgot from '../../app/routes/forgot.js'
import * as login from '../../app/routes/login.js'
import * as reset from '../../app/routes/reset.js'
import { withTransaction } from '../../db/transaction.js'
import { services } from '../../app/web/services.server.js'
import { insertUser, signIn, TEST_PASSWORD, uniquePhone } from '../support/factories.js'
import { call, cookieFrom } from '../support/http.js'

const db = () => services().db
const SCRYPT_HEAVY_MS = 60_000
const NEW_PASSWORD = 'Brand-new-pass-2026'

afterEach(() => setTransports(undefined))

/** The newest code sent to a destination, read from the outbox as a phone would. */
async function lastCodeTo(destination: string): Promise<string> {
  await scheduleDelivery(db())
  const row = await db()
    .selectFrom('message_outbox')
    .select('body')
    .where('destination', '=', destination)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const code = /\d{6}/.exec(row.body)?.[0]
  if (!code) throw new Error(`no code in ${row.body}`)
  return code
}

async function newCode(userId: number, destination: string, now = new Date()) {
  return withTransaction(db(), (trx) => issueCode(trx, { userId, purpose: 'reset', channel: 'sms', destination }, now))
}

describe('one-time codes', () => {
  it('are stored only as keyed hashes', async () => {
    const user = await insertUser(db())
    const { code } = await newCode(user.id, user.login)
    const row = await db().selectFrom('one_time_codes').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.code_hash).not.toContain(code)
    expect(row.code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('expire', async () => {
    const user = await insertUser(db())
    const start = new Date()
    const { code } = await newCode(user.id, user.login, start)
    const late = new Date(start.getTime() + CODE_TTL_MS + 1000)
    expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code }, late)).toBeNull()
  })

  it('work once', async () => {
    const user = await insertUser(db())
    const { code } = await newCode(user.id, user.login)
    expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code })).toEqual({
      channel: 'sms',
      destination: user.login,
    })
    expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code })).toBeNull()
  })

  it(`die after ${MAX_CODE_ATTEMPTS} wrong guesses, even parallel ones, and the right code then fails too`, async () => {
    const user = await insertUser(db())
    const { code } = await newCode(user.id, user.login)
    const wrong = code === '000000' ? '111111' : '000000'
    const guesses = await Promise.all(
      Array.from({ length: 20 }, () => consumeCode(db(), { userId: user.id, purpose: 'reset', code: wrong })),
    )
    expect(guesses.every((g) => g === null)).toBe(true)
    const row = await db()
      .selectFrom('one_time_codes')
      .select('attempts')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(row.attempts).toBe(MAX_CODE_ATTEMPTS)
    expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code })).toBeNull()
  })

  it('are replaced by a newer one', async () => {
    const user = await insertUser(db())
    const first = await newCode(user.id, user.login)
    const second = await newCode(user.id, user.login)
    if (first.code !== second.code) {
      expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code: first.code })).toBeNull()
    }
    expect(await consumeCode(db(), { userId: user.id, purpose: 'reset', code: second.code })).not.toBeNull()
  })
})

describe('forgot password → code → new password', () => {
  it(
    'resets with the code sent to the phone, ends every session, verifies the phone and signs in afresh',
    async () => {
      const user = await insertUser(db(), { verified: false })
      const laptop = await signIn(db(), user.id, null)
      const phone = await signIn(db(), user.id, null)

      const sent = await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: user.login } })
      expect(sent.status).toBe(200)
      expect(JSON.parse(sent.body)).toEqual({ sent: true, login: user.login })
      const code = await lastCodeTo(user.login)

      const form = { intent: 'reset', login: user.login, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }
      const wrongCode = await call(forgot, {
        method: 'POST',
        path: '/forgot?step=code',
        form: { ...form, code: code === '999999' ? '999998' : '999999' },
      })
      expect(wrongCode.status).toBe(400)
      expect(JSON.parse(wrongCode.body).fieldErrors).toEqual({ code: 'accounts.reset.codeInvalid' })

      const done = await call(forgot, { method: 'POST', path: '/forgot?step=code', form: { ...form, code } })
      expect(done.status).toBe(302)
      expect(done.location).toBe('/account')
      expect(await findSession(db(), laptop.token)).toBeNull()
      expect(await findSession(db(), phone.token)).toBeNull()
      const fresh = cookieFrom(done.setCookie)
      expect((await call(account, { path: '/account', cookie: fresh })).status).toBe(200)

      const row = await db().selectFrom('users').select(['phone_verified_at']).where('id', '=', user.id).executeTakeFirstOrThrow()
      expect(row.phone_verified_at).not.toBeNull()
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.password_reset')
        .where('object_id', '=', String(user.id))
        .executeTakeFirstOrThrow()
      expect(JSON.parse(audit.detail)).toEqual({ via: 'code', endedSessions: 2 })

      // The code is spent, the old password gone, the new one works.
      expect((await call(forgot, { method: 'POST', path: '/forgot?step=code', form: { ...form, code } })).status).toBe(400)
      const oldPassword = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: TEST_PASSWORD },
        ip: '198.51.100.150',
      })
      expect(oldPassword.status).toBe(400)
      const newPassword = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: NEW_PASSWORD },
        ip: '198.51.100.150',
      })
      expect(newPassword.status).toBe(302)
    },
    SCRYPT_HEAVY_MS,
  )

  it('answers the same for an account that does not exist, and sends nothing', async () => {
    const nobody = uniquePhone()
    const sent = await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: nobody } })
    expect(sent.status).toBe(200)
    expect(JSON.parse(sent.body)).toEqual({ sent: true, login: nobody })
    const rows = await db().selectFrom('message_outbox').select('id').where('destination', '=', nobody).execute()
    expect(rows).toHaveLength(0)
  })

  it('sends at most three codes to one account in a quarter of an hour, quietly', async () => {
    const user = await insertUser(db())
    for (let i = 0; i < 5; i++) {
      const sent = await call(forgot, {
        method: 'POST',
        path: '/forgot',
        form: { intent: 'send', login: user.login },
        ip: `198.51.100.${160 + i}`,
      })
      expect(sent.status).toBe(200)
    }
    const rows = await db().selectFrom('message_outbox').select('id').where('destination', '=', user.login).execute()
    expect(rows).toHaveLength(3)
  })

  it(
    'lets the owner of a locked-out account in by the reset path',
    async () => {
      const user = await insertUser(db())
      for (let i = 0; i < FREE_FAILURES; i++) {
        const failed = await call(login, {
          method: 'POST',
          path: '/login',
          form: { login: user.login, password: 'Wrong-password-9' },
          ip: `192.0.2.${10 + i}`,
        })
        expect(failed.status).toBe(400)
      }
      const locked = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: TEST_PASSWORD },
        ip: '198.51.100.170',
      })
      expect(locked.status).toBe(429)

      await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: user.login }, ip: '198.51.100.170' })
      const code = await lastCodeTo(user.login)
      const done = await call(forgot, {
        method: 'POST',
        path: '/forgot?step=code',
        form: { intent: 'reset', login: user.login, code, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD },
        ip: '198.51.100.170',
      })
      expect(done.status).toBe(302)
      // And the lock is gone for a plain sign-in too (no device cookie).
      const again = await call(login, {
        method: 'POST',
        path: '/login',
        form: { login: user.login, password: NEW_PASSWORD },
        ip: '198.51.100.171',
      })
      expect(again.status).toBe(302)
    },
    SCRYPT_HEAVY_MS,
  )
})

describe('reset link (npm run admin:reset-link)', () => {
  it(
    'works once, within its life, and signs the person in',
    async () => {
      const user = await insertUser(db())
      const old = await signIn(db(), user.id, null)
      const { url } = await issueResetLink(db(), user.login, 'https://duijie.example')
      const link = new URL(url)
      expect(link.origin).toBe('https://duijie.example')
      expect(link.pathname).toBe('/reset')
      const token = link.searchParams.get('token')!
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)

      const page = await call(reset, { path: `/reset?token=${token}` })
      expect(page.status).toBe(200)
      expect(JSON.parse(page.body)).toEqual({ live: true })

      const form = { token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }
      const done = await call(reset, { method: 'POST', path: '/reset', form })
      expect(done.status).toBe(302)
      expect(await findSession(db(), old.token)).toBeNull()
      const again = await call(reset, { method: 'POST', path: '/reset', form })
      expect(again.status).toBe(409)
      expect(JSON.parse(again.body).formError).toBe('accounts.reset.linkInvalid')
      expect(JSON.parse((await call(reset, { path: `/reset?token=${token}` })).body)).toEqual({ live: false })
      const issued = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('object_id', '=', String(user.id))
        .where('action', 'in', ['auth.reset_link_issued', 'auth.password_reset'])
        .execute()
      expect(issued.map((r) => r.action).sort()).toEqual(['auth.password_reset', 'auth.reset_link_issued'])
    },
    SCRYPT_HEAVY_MS,
  )

  it('names no account that does not exist', async () => {
    await expect(issueResetLink(db(), uniquePhone(), 'http://localhost:3000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      key: 'accounts.resetLink.noAccount',
    })
  })
})

describe('change password', () => {
  it(
    'asks the current password, and ends the other sessions but not this one',
    async () => {
      const user = await insertUser(db())
      const here = await signIn(db(), user.id, null)
      const others = [await signIn(db(), user.id, null), await signIn(db(), user.id, null)]
      const form = { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }

      const wrongCurrent = await call(changePasswordRoute, {
        method: 'POST',
        path: '/account/password',
        form: { ...form, currentPassword: 'Not-my-password-1' },
        cookie: here.cookie,
      })
      expect(wrongCurrent.status).toBe(400)
      expect(JSON.parse(wrongCurrent.body).fieldErrors).toEqual({ currentPassword: 'accounts.password.currentWrong' })
      const same = await call(changePasswordRoute, {
        method: 'POST',
        path: '/account/password',
        form: { currentPassword: TEST_PASSWORD, password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD },
        cookie: here.cookie,
      })
      expect(JSON.parse(same.body).fieldErrors).toEqual({ password: 'accounts.password.sameAsCurrent' })
      for (const other of others) expect(await findSession(db(), other.token)).not.toBeNull()

      const done = await call(changePasswordRoute, { method: 'POST', path: '/account/password', form, cookie: here.cookie })
      expect(done.status).toBe(302)
      expect(done.location).toBe('/account')
      for (const other of others) expect(await findSession(db(), other.token)).toBeNull()
      expect(await findSession(db(), here.token)).not.toBeNull()
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.password_changed')
        .where('actor_user_id', '=', user.id)
        .executeTakeFirstOrThrow()
      expect(JSON.parse(audit.detail)).toEqual({ endedSessions: 2 })
    },
    SCRYPT_HEAVY_MS,
  )

  it('is for signed-in people only', async () => {
    const anonymous = await call(changePasswordRoute, { path: '/account/password' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.location).toBe('/login?redirectTo=%2Faccount%2Fpassword')
  })
})

describe('verifying a contact', () => {
  it('sends a code to the account phone and marks it verified when typed back', async () => {
    const user = await insertUser(db(), { verified: false })
    const { cookie } = await signIn(db(), user.id, null)
    const before = JSON.parse((await call(verify, { path: '/account/verify', cookie })).body)
    expect(before).toMatchObject({ allVerified: false, contacts: [{ kind: 'phone', value: user.login, verified: false }] })

    const sent = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'send', contact: 'phone' },
      cookie,
    })
    expect(JSON.parse(sent.body)).toEqual({ sent: 'phone' })
    const code = await lastCodeTo(user.login)
    const wrong = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'confirm', contact: 'phone', code: code === '123456' ? '654321' : '123456' },
      cookie,
    })
    expect(wrong.status).toBe(400)
    expect(JSON.parse(wrong.body).fieldErrors).toEqual({ code: 'accounts.reset.codeInvalid' })
    const right = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'confirm', contact: 'phone', code },
      cookie,
    })
    expect(JSON.parse(right.body)).toEqual({ verified: 'phone' })
    const after = JSON.parse((await call(verify, { path: '/account/verify', cookie })).body)
    expect(after).toMatchObject({ allVerified: true, contacts: [{ kind: 'phone', verified: true }] })

    // Nothing left to verify: a second code is refused.
    const again = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'send', contact: 'phone' },
      cookie,
    })
    expect(again.status).toBe(409)
    expect(JSON.parse(again.body).formError).toBe('accounts.verify.already')
    // The account has no e-mail to verify.
    const noEmail = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'send', contact: 'email' },
      cookie,
    })
    expect(JSON.parse(noEmail.body).formError).toBe('accounts.verify.noContact')
  })
})

class FakeTransport implements Transport {
  readonly sent: Envelope[] = []
  constructor(
    readonly name: string,
    private readonly failures = 0,
  ) {}
  private calls = 0
  async send(message: Envelope) {
    this.calls += 1
    if (this.calls <= this.failures) throw new Error('gateway down')
    this.sent.push(message)
  }
}

async function outboxRow(destination: string) {
  return db()
    .selectFrom('message_outbox')
    .selectAll()
    .where('destination', '=', destination)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
}

describe('the message outbox', () => {
  it('delivers e-mail through the configured transport and keeps no body afterwards', async () => {
    const email = new FakeTransport('smtp')
    setTransports({ email, sms: null, mailbox: false })
    const address = `reset-${Date.now()}@example.com`
    await insertUser(db(), { email: address })
    await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: address }, ip: '198.51.100.180' })
    await scheduleDelivery(db())
    expect(email.sent).toHaveLength(1)
    expect(email.sent[0]!.destination).toBe(address)
    expect(email.sent[0]!.body).toMatch(/\d{6}/)
    expect(await outboxRow(address)).toMatchObject({ status: 'sent', transport: 'smtp', body: '' })
  })

  it('retries a failing gateway and gives up after five attempts, wiping the text', async () => {
    const sms = new FakeTransport('sms-test', 100)
    setTransports({ email: null, sms, mailbox: false })
    const user = await insertUser(db())
    await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: user.login }, ip: '198.51.100.181' })
    await scheduleDelivery(db())
    const waiting = await outboxRow(user.login)
    expect(waiting).toMatchObject({ status: 'pending', last_error: 'gateway down' })
    expect(waiting.body).toMatch(/\d{6}/)
    for (let i = 0; i < 6; i++) await deliverPending(db())
    expect(await outboxRow(user.login)).toMatchObject({ status: 'failed', attempts: 5, body: '' })
  })

  it('discards what no transport takes when there is no mailbox (production), and keeps it for the mailbox otherwise', async () => {
    setTransports({ email: null, sms: null, mailbox: false })
    const user = await insertUser(db())
    await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: user.login }, ip: '198.51.100.182' })
    await scheduleDelivery(db())
    expect(await outboxRow(user.login)).toMatchObject({ status: 'discarded', body: '' })
    expect((await call(mailbox, { path: '/dev/mailbox' })).status).toBe(404)

    setTransports({ email: null, sms: null, mailbox: true })
    const other = await insertUser(db())
    await call(forgot, { method: 'POST', path: '/forgot', form: { intent: 'send', login: other.login }, ip: '198.51.100.183' })
    const page = await call(mailbox, { path: '/dev/mailbox' })
    expect(page.status).toBe(200)
    const { messages } = JSON.parse(page.body) as { messages: { destination: string; body: string }[] }
    expect(messages.find((m) => m.destination === other.login)?.body).toMatch(/\d{6}/)
  })

  it('has a log SMS gateway that masks the number', async () => {
    const lines: string[] = []
    await new LogSmsGateway((line) => lines.push(line)).send({ destination: '13912345678', subject: '', body: '验证码 123456' })
    expect(lines).toEqual(['[sms → *******5678] 验证码 123456'])
  })
})
