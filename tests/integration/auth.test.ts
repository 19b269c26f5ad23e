import { describe, expect, it } from 'vitest'
import { findSession, hashToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../app/domain/accounts/sessions.server.js'
import { signUp } from '../../app/domain/accounts/accounts.server.js'
import { FREE_FAILURES } from '../../app/domain/accounts/sign-in-guard.server.js'
import * as account from '../../app/routes/account.js'
import * as lang from '../../app/routes/lang.js'
import * as login from '../../app/routes/login.js'
import * as logout from '../../app/routes/logout.js'
import * as orgSwitch from '../../app/routes/org.switch.js'
import * as register from '../../app/routes/register.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn, TEST_PASSWORD, uniquePhone } from '../support/factories.js'
import { call, cookieFrom } from '../support/http.js'

const db = () => services().db
/** Tests that verify a score of passwords: each is a full scrypt (≈0.3 s of one core, more on a busy runner). */
const SCRYPT_HEAVY_MS = 90_000

async function userCount() {
  const { n } = await db()
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return n
}

describe('sign-up', () => {
  it('refuses bad input with a message key per field and creates nothing', async () => {
    const before = await userCount()
    const cases: [Record<string, string>, string, string][] = [
      [
        { name: '张三', login: '12345', password: 'Long-enough-1', passwordConfirm: 'Long-enough-1' },
        'login',
        'accounts.v.loginInvalid',
      ],
      [
        { name: '张三', login: uniquePhone(), password: 'short', passwordConfirm: 'short' },
        'password',
        'accounts.v.passwordTooShort',
      ],
      [
        { name: '张三', login: uniquePhone(), password: 'password1', passwordConfirm: 'password1' },
        'password',
        'accounts.v.passwordCommon',
      ],
      [
        { name: '张三', login: uniquePhone(), password: 'woaini1314', passwordConfirm: 'woaini1314' },
        'password',
        'accounts.v.passwordCommon',
      ],
      [
        { name: '张三', login: uniquePhone(), password: 'Long-enough-1', passwordConfirm: 'Long-enough-2' },
        'passwordConfirm',
        'accounts.v.passwordMismatch',
      ],
      [
        { name: '', login: uniquePhone(), password: 'Long-enough-1', passwordConfirm: 'Long-enough-1' },
        'name',
        'accounts.v.nameRequired',
      ],
    ]
    for (const [form, field, key] of cases) {
      const outcome = await call(register, { method: 'POST', path: '/register', form, ip: '198.51.100.1' })
      expect(outcome.status, JSON.stringify(form)).toBe(400)
      const body = JSON.parse(outcome.body)
      expect(body.code).toBe('VALIDATION')
      expect(body.fieldErrors).toEqual({ [field]: key })
    }
    expect(await userCount()).toBe(before)
  })

  it('reports every problem of the form in one round, one message per field', async () => {
    const outcome = await call(register, {
      method: 'POST',
      path: '/register',
      form: { name: '', login: 'not-a-login', password: 'password1', passwordConfirm: 'something-else' },
      ip: '198.51.100.4',
    })
    expect(outcome.status).toBe(400)
    const body = JSON.parse(outcome.body)
    expect(body.fieldErrors).toEqual({
      name: 'accounts.v.nameRequired',
      login: 'accounts.v.loginInvalid',
      password: 'accounts.v.passwordCommon',
      passwordConfirm: 'accounts.v.passwordMismatch',
    })
    const messages = [body.formError, ...Object.values(body.fieldErrors)]
    expect(new Set(messages).size).toBe(messages.length)
  })

  it('treats a filled honeypot as a bot', async () => {
    const before = await userCount()
    const outcome = await call(register, {
      method: 'POST',
      path: '/register',
      form: {
        name: '机器人',
        login: uniquePhone(),
        password: 'Long-enough-1',
        passwordConfirm: 'Long-enough-1',
        website: 'http://spam',
      },
      ip: '198.51.100.2',
    })
    expect(outcome.status).toBe(400)
    expect(await userCount()).toBe(before)
  })

  it('registers, signs in, and refuses the same phone twice', async () => {
    const phone = uniquePhone()
    const form = { name: '李四', login: `+86 ${phone}`, password: 'Long-enough-1', passwordConfirm: 'Long-enough-1' }
    const ok = await call(register, { method: 'POST', path: '/register', form, ip: '198.51.100.3' })
    expect(ok.status).toBe(302)
    expect(ok.location).toBe('/orgs/new')
    expect(ok.setCookie).toMatch(/duijie_sid=.*HttpOnly/i)
    expect(ok.setCookie).toMatch(/SameSite=Lax/i)
    const user = await db().selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirstOrThrow()
    expect(user.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect(user.password_hash).not.toContain('Long-enough-1')

    const again = await call(register, { method: 'POST', path: '/register', form, ip: '198.51.100.3' })
    expect(again.status).toBe(409)
    const body = JSON.parse(again.body)
    expect(body.code).toBe('CONFLICT')
    expect(body.fieldErrors).toEqual({ login: 'accounts.signUp.phoneTaken' })
    expect(body.formError).not.toBe(body.fieldErrors.login)
  })

  it('gives one account and one 409 on `login` to two simultaneous sign-ups with one phone number', async () => {
    const phone = uniquePhone()
    const form = { name: '王五', login: phone, password: 'Long-enough-1', passwordConfirm: 'Long-enough-1' }
    const outcomes = await Promise.all([
      call(register, { method: 'POST', path: '/register', form, ip: '198.51.100.5' }),
      call(register, { method: 'POST', path: '/register', form, ip: '198.51.100.6' }),
    ])
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409])
    const refused = JSON.parse(outcomes.find((o) => o.status === 409)!.body)
    expect(refused.code).toBe('CONFLICT')
    expect(refused.fieldErrors).toEqual({ login: 'accounts.signUp.phoneTaken' })
    const rows = await db().selectFrom('users').select('id').where('phone', '=', phone).execute()
    expect(rows).toHaveLength(1)
    const sessions = await db().selectFrom('sessions').select('id_hash').where('user_id', '=', rows[0]!.id).execute()
    expect(sessions).toHaveLength(1)
  })

  it('lets the sign-up use case itself turn the lost race into a CONFLICT on `login` (e-mail too)', async () => {
    const email = `race-${uniquePhone()}@example.com`
    const input = {
      name: '赵六',
      login: { kind: 'email' as const, value: email },
      password: 'Long-enough-1',
      passwordConfirm: 'Long-enough-1',
    }
    const attempt = (ip: string) => signUp(db(), new Request('http://localhost/register', { method: 'POST' }), input, ip)
    const results = await Promise.allSettled([attempt('198.51.100.7'), attempt('198.51.100.8')])
    const fulfilled = results.filter((r) => r.status === 'fulfilled')
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    const error = rejected[0]!.reason
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('CONFLICT')
    expect((error as AppError).fieldErrors).toEqual({ login: 'accounts.signUp.emailTaken' })
  })
})

describe('sign-in', () => {
  it('does not reveal whether an account exists', async () => {
    const user = await insertUser(db())
    const wrongPassword = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: 'Wrong-password-9' },
      ip: '198.51.100.10',
    })
    const unknown = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: uniquePhone(), password: 'Wrong-password-9' },
      ip: '198.51.100.10',
    })
    expect(wrongPassword.status).toBe(400)
    expect(unknown.status).toBe(400)
    expect(JSON.parse(wrongPassword.body)).toEqual(JSON.parse(unknown.body))
    expect(JSON.parse(unknown.body)).toMatchObject({
      code: 'VALIDATION',
      formError: 'accounts.signIn.badCredentials',
      fieldErrors: {},
    })
    const failures = await db().selectFrom('audit_log').select('id').where('action', '=', 'auth.sign_in_failed').execute()
    expect(failures.length).toBeGreaterThanOrEqual(2)
  })

  it('issues a new session id at sign-in, so a planted id is worthless (no fixation)', async () => {
    const user = await insertUser(db())
    const org = await insertOrg(db())
    await addMember(db(), user.id, org)
    const planted = await signIn(db(), user.id, org)
    const outcome = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: TEST_PASSWORD, redirectTo: '/org' },
      cookie: planted.cookie,
      ip: '198.51.100.11',
    })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/org')
    const fresh = cookieFrom(outcome.setCookie)
    expect(fresh).not.toBe(planted.cookie)
    expect(await findSession(db(), planted.token)).toBeNull()
    expect((await call(account, { path: '/account', cookie: fresh })).status).toBe(200)
    expect((await call(account, { path: '/account', cookie: planted.cookie })).status).toBe(302)
    const signedIn = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.signed_in')
      .where('actor_user_id', '=', user.id)
      .execute()
    expect(signedIn).toHaveLength(1)
  })

  it('names both missing fields with their keys', async () => {
    const outcome = await call(login, { method: 'POST', path: '/login', form: {}, ip: '198.51.100.13' })
    expect(outcome.status).toBe(400)
    expect(JSON.parse(outcome.body).fieldErrors).toEqual({
      login: 'accounts.v.loginRequired',
      password: 'accounts.v.passwordRequired',
    })
  })

  it('only redirects within the site after sign-in', async () => {
    const user = await insertUser(db())
    const outcome = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: TEST_PASSWORD, redirectTo: '//evil.example/phish' },
      ip: '198.51.100.12',
    })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/account')
  })

  it(
    'answers the 11th failure from one address within a minute, and the 6th on one account, with 429',
    async () => {
      const user = await insertUser(db())
      const attempt = (ip: string, loginId = user.login) =>
        call(login, { method: 'POST', path: '/login', form: { login: loginId, password: 'Wrong-password-9' }, ip })
      for (let i = 0; i < 10; i++) expect((await attempt('198.51.100.20', uniquePhone())).status).toBe(400)
      const eleventh = await attempt('198.51.100.20', uniquePhone())
      expect(eleventh.status).toBe(429)

      // Same account from many addresses: the account's allowance holds, then it backs off.
      for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(`198.51.100.${100 + i}`)).status).toBe(400)
      expect((await attempt('198.51.100.200')).status).toBe(429)
      const limited = await db().selectFrom('audit_log').select('id').where('action', '=', 'auth.rate_limited').execute()
      expect(limited.length).toBeGreaterThanOrEqual(2)
    },
    SCRYPT_HEAVY_MS,
  )

  it(
    'does not lock out an office whose colleagues share one address',
    async () => {
      for (let i = 0; i < 12; i++) {
        const user = await insertUser(db())
        const ok = await call(login, {
          method: 'POST',
          path: '/login',
          form: { login: user.login, password: TEST_PASSWORD },
          ip: '198.51.100.30',
        })
        expect(ok.status, `colleague ${i + 1}`).toBe(302)
      }
    },
    SCRYPT_HEAVY_MS,
  )
})

describe('sessions', () => {
  it('cannot be replayed after logout', async () => {
    const user = await insertUser(db())
    const { cookie, token } = await signIn(db(), user.id, null)
    expect((await call(account, { path: '/account', cookie })).status).toBe(200)
    const out = await call(logout, { method: 'POST', path: '/logout', cookie })
    expect(out.status).toBe(302)
    expect(out.setCookie).toMatch(/duijie_sid=;/)
    const signedOut = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.signed_out')
      .where('actor_user_id', '=', user.id)
      .execute()
    expect(signedOut).toHaveLength(1)
    const row = await db().selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(token)).executeTakeFirst()
    expect(row).toBeUndefined()
    expect((await call(account, { path: '/account', cookie })).status).toBe(302)
  })

  it('expires when idle too long, and at its absolute end', async () => {
    const user = await insertUser(db())
    const { token } = await signIn(db(), user.id, null)
    const start = Date.now()
    expect(await findSession(db(), token, new Date(start + SESSION_IDLE_MS - 60_000))).not.toBeNull()
    expect(await findSession(db(), token, new Date(start + 2 * SESSION_IDLE_MS))).toBeNull()

    const second = await signIn(db(), user.id, null)
    // Keep touching it so it never idles out; the absolute limit still ends it.
    let t = start
    while (t < start + SESSION_ABSOLUTE_MS - SESSION_IDLE_MS) {
      t += SESSION_IDLE_MS / 2
      expect(await findSession(db(), second.token, new Date(t))).not.toBeNull()
    }
    expect(await findSession(db(), second.token, new Date(start + SESSION_ABSOLUTE_MS + 1000))).toBeNull()
  })

  it('lets a user see and end their other sessions', async () => {
    const user = await insertUser(db())
    const current = await signIn(db(), user.id, null)
    const other = await signIn(db(), user.id, null)
    const page = await call(account, { path: '/account', cookie: current.cookie })
    const sessions = JSON.parse(page.body).sessions as { handle: string; current: boolean }[]
    expect(sessions).toHaveLength(2)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    const result = await call(account, {
      method: 'POST',
      path: '/account',
      form: { intent: 'endOthers' },
      cookie: current.cookie,
    })
    expect(JSON.parse(result.body)).toEqual({ ok: true, ended: 1 })
    expect(await findSession(db(), other.token)).toBeNull()
    expect(await findSession(db(), current.token)).not.toBeNull()
  })
})

describe('account page', () => {
  it('ends one other session by its handle, and refuses a malformed handle with a field key', async () => {
    const user = await insertUser(db())
    const current = await signIn(db(), user.id, null)
    const other = await signIn(db(), user.id, null)
    const page = await call(account, { path: '/account', cookie: current.cookie })
    const sessions = JSON.parse(page.body).sessions as { handle: string; current: boolean }[]
    const handle = sessions.find((s) => !s.current)!.handle

    const bad = await call(account, {
      method: 'POST',
      path: '/account',
      form: { intent: 'endSession', handle: 'x' },
      cookie: current.cookie,
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).fieldErrors).toEqual({ handle: 'errors.invalid' })

    const ended = await call(account, {
      method: 'POST',
      path: '/account',
      form: { intent: 'endSession', handle },
      cookie: current.cookie,
    })
    expect(JSON.parse(ended.body)).toEqual({ ok: true, ended: 1 })
    expect(await findSession(db(), other.token)).toBeNull()

    // Again (a second click, another device was quicker): said on the page, nothing ended.
    const again = await call(account, {
      method: 'POST',
      path: '/account',
      form: { intent: 'endSession', handle },
      cookie: current.cookie,
    })
    expect(again.status).toBe(409)
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, formError: 'account.e.sessionGone' })
    expect(await findSession(db(), current.token)).not.toBeNull()
    const revoked = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.session_revoked')
      .where('actor_user_id', '=', user.id)
      .execute()
    expect(revoked).toHaveLength(1)
  })
})

describe('switching the active organisation', () => {
  it('changes what the session acts for, only to an organisation the person belongs to', async () => {
    const user = await insertUser(db())
    const first = await insertOrg(db(), { region: '321023' })
    const second = await insertOrg(db(), { region: '321002' })
    const foreign = await insertOrg(db())
    await addMember(db(), user.id, first)
    await addMember(db(), user.id, second, 'member')
    const { cookie, token } = await signIn(db(), user.id, first)
    const activeOrg = async () =>
      (
        await db()
          .selectFrom('sessions')
          .select('active_org_id')
          .where('id_hash', '=', hashToken(token))
          .executeTakeFirstOrThrow()
      ).active_org_id

    const ok = await call(orgSwitch, { method: 'POST', path: '/org/switch', form: { orgId: String(second) }, cookie })
    expect(ok.status).toBe(302)
    expect(ok.location).toBe('/org')
    expect(await activeOrg()).toBe(second)
    const switched = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.switched')
      .where('actor_user_id', '=', user.id)
      .execute()
    expect(switched).toHaveLength(1)
    expect(switched[0]).toMatchObject({ actor_org_id: second, object_id: String(second), region_code: '321002' })

    const denied = await call(orgSwitch, { method: 'POST', path: '/org/switch', form: { orgId: String(foreign) }, cookie })
    expect(denied.status).toBe(403)
    expect(denied.body).toBe('accounts.switch.notMember')
    expect(await activeOrg()).toBe(second)

    // Past the id columns' range (a phone number, 13755940004): 400, not PostgreSQL's out-of-range error.
    for (const orgId of ['0x10', '1e3', '', '-1', '2147483648', '13755940004']) {
      const bad = await call(orgSwitch, { method: 'POST', path: '/org/switch', form: { orgId }, cookie })
      expect(bad.status, orgId).toBe(400)
      expect(JSON.parse(bad.body).fieldErrors).toEqual({ orgId: 'accounts.v.orgRequired' })
    }
    expect(await activeOrg()).toBe(second)
  })
})

describe('language', () => {
  it('keeps a supported language in a cookie and refuses others with a field key', async () => {
    const ok = await call(lang, { method: 'POST', path: '/lang', form: { lang: 'en', redirectTo: '/needs' } })
    expect(ok.status).toBe(302)
    expect(ok.location).toBe('/needs')
    expect(ok.setCookie).toMatch(/^lang=/)
    const bad = await call(lang, { method: 'POST', path: '/lang', form: { lang: 'fr' } })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).fieldErrors).toEqual({ lang: 'accounts.v.langUnsupported' })
    expect((await call(lang, { path: '/lang' })).status).toBe(404)
  })
})
