import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { verifyPassword } from '../../app/domain/accounts/password.server.js'
import { createAgency } from '../../app/domain/orgs/agencies.server.js'
import { scheduleDelivery } from '../../app/domain/messaging/outbox.server.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import * as audits from '../../app/routes/agency.audits._index.js'
import * as verify from '../../app/routes/account_.verify.js'
import * as reset from '../../app/routes/reset.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn, uniquePhone } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db
const ROOT = path.resolve(import.meta.dirname, '../..')
const run = promisify(execFile)

/** Runs one of the operator's commands against this test file's database. */
async function cli(script: string, args: string[], input?: string) {
  const child = run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'app/cli', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test' },
  })
  if (input !== undefined) {
    child.child.stdin?.end(input)
  } else child.child.stdin?.end()
  try {
    const { stdout, stderr } = await child
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('approval rights need a verified contact', () => {
  it('keeps an agency reviewer whose phone is not verified out of the applications until they verify it', async () => {
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const user = await insertUser(db(), { verified: false })
    await addMember(db(), user.id, agency, 'owner')
    const { cookie } = await signIn(db(), user.id, agency)

    const denied = await call(audits, { path: '/agency/audits', cookie })
    expect(denied.status).toBe(403)
    expect(denied.body).toBe('accounts.verify.requiredForApproval')
    const row = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'access.denied')
      .where('actor_user_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.detail)).toMatchObject({ permission: 'review:orgs:role' })
    // Reading the log is not an approval right.
    expect((await call(auditLog, { path: '/agency/audit-log', cookie })).status).toBe(200)

    await call(verify, { method: 'POST', path: '/account/verify', form: { intent: 'send', contact: 'phone' }, cookie })
    await scheduleDelivery(db())
    const message = await db()
      .selectFrom('message_outbox')
      .select('body')
      .where('destination', '=', user.login)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const code = /\d{6}/.exec(message.body)![0]
    const confirmed = await call(verify, {
      method: 'POST',
      path: '/account/verify',
      form: { intent: 'confirm', contact: 'phone', code },
      cookie,
    })
    expect(confirmed.status).toBe(200)
    expect((await call(audits, { path: '/agency/audits', cookie })).status).toBe(200)
  })

  it('does not make an existing, unverified account the owner of a new agency', async () => {
    const user = await insertUser(db(), { verified: false })
    const before = await db()
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    await expect(
      createAgency(db(), {
        name: '高邮市工业和信息化局',
        regionCode: '321084',
        level: 'county',
        owner: { name: '', login: user.login, password: '' },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', key: 'accounts.verify.ownerUnverified' })
    const after = await db()
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})

describe('operator commands', () => {
  it('admin:create-agency refuses a password on the command line', async () => {
    const result = await cli('create-agency.ts', [
      '--name',
      '仪征市工业和信息化局',
      '--region',
      '321081',
      '--level',
      'county',
      '--login',
      uniquePhone(),
      '--password',
      'Visible-in-ps-2026',
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--password-stdin')
  }, 60_000)

  it('admin:create-agency reads a new owner password from stdin, and refuses an unverified existing account', async () => {
    const login = uniquePhone()
    const created = await cli(
      'create-agency.ts',
      [
        '--name',
        '江都区工业和信息化局',
        '--region',
        '321012',
        '--level',
        'county',
        '--owner-name',
        '王五',
        '--login',
        login,
        '--password-stdin',
      ],
      'Stdin-pass-2026\n',
    )
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toContain('/account/verify')
    const user = await db().selectFrom('users').selectAll().where('phone', '=', login).executeTakeFirstOrThrow()
    expect(await verifyPassword('Stdin-pass-2026', user.password_hash)).toBe(true)
    expect(user.phone_verified_at).toBeNull()

    const unverified = await insertUser(db(), { verified: false })
    const refused = await cli(
      'create-agency.ts',
      ['--name', '广陵区工业和信息化局', '--region', '321002', '--level', 'county', '--login', unverified.login],
      '',
    )
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('尚未验证')
  }, 60_000)

  it('admin:reset-link prints a one-time link that the reset page accepts', async () => {
    const user = await insertUser(db())
    const printed = await cli('reset-link.ts', ['--login', user.login, '--base-url', 'https://duijie.example'])
    expect(printed.code, printed.stderr).toBe(0)
    const url = /https:\/\/duijie\.example\/reset\?token=[A-Za-z0-9_-]{43}/.exec(printed.stdout)?.[0]
    expect(url).toBeDefined()
    const page = await call(reset, { path: new URL(url!).pathname + new URL(url!).search })
    expect(JSON.parse(page.body)).toEqual({ live: true })

    const nobody = await cli('reset-link.ts', ['--login', uniquePhone()])
    expect(nobody.code).toBe(2)
  }, 60_000)
})
