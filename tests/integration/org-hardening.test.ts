import { describe, expect, it } from 'vitest'
import { INVITE_CODE_ALPHABET } from '../../app/domain/orgs/schema.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as auditQueue from '../../app/routes/agency.audits._index.js'
import * as joinByLink from '../../app/routes/join.$code.js'
import * as join from '../../app/routes/join._index.js'
import * as orgIndex from '../../app/routes/org._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as orgsNew from '../../app/routes/orgs.new.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, randomUscc, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

/*
 * Issue 7, items 4, 5 and 7: invitations that cannot be guessed and do not hand out
 * agency rights, approvals that approve what was reviewed, and credit codes that a
 * squatter cannot lock.
 */

const db = () => services().db
const body = (outcome: { body: string }) => JSON.parse(outcome.body)

async function person(name = '申请人', ip?: string) {
  const user = await insertUser(db(), { name })
  return { user, cookie: (await signIn(db(), user.id, null)).cookie, ip }
}

async function agency(region = '321000') {
  const orgId = await insertOrg(db(), { kind: 'agency', region, agencyLevel: region.endsWith('0000') ? 'province' : 'city' })
  const owner = await insertUser(db(), { name: '局管理员' })
  await addMember(db(), owner.id, orgId)
  return { orgId, owner, cookie: (await signIn(db(), owner.id, orgId)).cookie }
}

const application = (uscc: string, overrides: Record<string, string> = {}) => ({
  kind: 'enterprise',
  name: '扬州恒鑫精密机械有限公司',
  uscc,
  region: '321023',
  industry: 'C34',
  contactName: '王经理',
  contactPhone: '0514-88886666',
  description: '',
  ...overrides,
})

async function apply(cookie: string, form: Record<string, string>, ip?: string) {
  const outcome = await call(orgsNew, { method: 'POST', path: '/orgs/new', form, cookie, ip })
  return outcome
}

function decide(orgId: number, cookie: string, form: Record<string, string>) {
  return call(auditDetail, { method: 'POST', path: `/agency/audits/${orgId}`, params: { orgId: String(orgId) }, form, cookie })
}

function review(orgId: number, cookie: string) {
  return call(auditDetail, { path: `/agency/audits/${orgId}`, params: { orgId: String(orgId) }, cookie })
}

describe('an approval approves what was reviewed (item 5)', () => {
  it('refuses a decision made on an earlier revision with 409, and the resubmission records what changed', async () => {
    const yz = await agency()
    const applicant = await person()
    const uscc = randomUscc('321023')
    expect((await apply(applicant.cookie, application(uscc))).status).toBe(302)
    const org = await db().selectFrom('organisations').select('id').where('uscc', '=', uscc).executeTakeFirstOrThrow()

    // The reviewer opens revision 1 …
    const opened = body(await review(org.id, yz.cookie))
    expect(opened.org.revision).toBe(1)
    // … the applicant changes the application meanwhile …
    const { cookie: acting } = await signIn(db(), applicant.user.id, org.id)
    const resubmitted = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: application(uscc, { name: '扬州恒鑫重工机械有限公司', contactPhone: '0514-1234567', description: '第一行\n第二行' }),
      cookie: acting,
    })
    expect(resubmitted.status).toBe(302)

    // … and the approval of what was on screen is stale, whichever way it decides.
    const decisions: Record<string, string>[] = [
      { intent: 'approve', revision: '1' },
      { intent: 'reject', revision: '1', reason: '名称与执照不符' },
    ]
    for (const form of decisions) {
      const stale = await decide(org.id, yz.cookie, form)
      expect(stale.status, form.intent).toBe(409)
      expect(body(stale)).toMatchObject({ code: 'CONFLICT', formError: 'audits.e.stale' })
    }
    const row = await db()
      .selectFrom('organisations')
      .select(['status', 'revision'])
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'pending', revision: 2 })
    // A decision without a revision (an old form) is refused as a form error.
    expect((await decide(org.id, yz.cookie, { intent: 'approve' })).status).toBe(400)

    const entry = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'org.resubmitted')
      .where('object_id', '=', String(org.id))
      .executeTakeFirstOrThrow()
    const detail = JSON.parse(entry.detail) as Record<string, unknown>
    expect(detail).toMatchObject({
      previousStatus: 'pending',
      revision: 2,
      changed: 'name,contactPhone,description',
      name: '扬州恒鑫精密机械有限公司 → 扬州恒鑫重工机械有限公司',
      contactPhone: '0514-88886666 → 0514-1234567',
      // Sanitized: one line.
      description: '— → 第一行 第二行',
    })

    const approved = await decide(org.id, yz.cookie, { intent: 'approve', revision: '2' })
    expect(approved.status).toBe(302)
    const log = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'org.approved')
      .where('object_id', '=', String(org.id))
      .executeTakeFirstOrThrow()
    expect(JSON.parse(log.detail)).toMatchObject({ revision: 2 })
  })
})

describe('a credit code cannot be squatted (item 7)', () => {
  it('lets the real company apply beside a squatter, shows both to the agency, and verifies one of them only', async () => {
    const yz = await agency()
    const squatter = await person('抢注者')
    const company = await person('真企业')
    const uscc = randomUscc('321023')
    expect((await apply(squatter.cookie, application(uscc, { name: '扬州抢注空壳有限公司' }))).status).toBe(302)
    // Today this is the lock-out: "该统一社会信用代码已被注册". A pending claim must not block.
    expect((await apply(company.cookie, application(uscc))).status).toBe(302)
    const [squat, real] = await db()
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('uscc', '=', uscc)
      .orderBy('id')
      .execute()

    // Side by side: the review page lists the competing claim, the queue marks both.
    const page = body(await review(real!.id, yz.cookie))
    expect(page.competing).toEqual([
      expect.objectContaining({ id: squat!.id, name: '扬州抢注空壳有限公司', status: 'pending', reviewable: true }),
    ])
    const queue = body(await call(auditQueue, { path: `/agency/audits?q=${uscc}`, cookie: yz.cookie }))
    expect(queue.queue.items.map((i: { id: number; competing: number }) => [i.id, i.competing])).toEqual([
      [squat!.id, 1],
      [real!.id, 1],
    ])

    expect((await decide(real!.id, yz.cookie, { intent: 'approve', revision: '1' })).status).toBe(302)
    const second = await decide(squat!.id, yz.cookie, { intent: 'approve', revision: '1' })
    expect(second.status).toBe(409)
    expect(body(second)).toMatchObject({ code: 'CONFLICT', formError: 'audits.e.usccVerifiedElsewhere' })
    // Once verified, the code is taken for new applications and resubmissions alike.
    const late = await person('后来者')
    const refused = await apply(late.cookie, application(uscc))
    expect(refused.status).toBe(409)
    expect(body(refused)).toMatchObject({ fieldErrors: { uscc: 'org.v.usccTaken' } })
  })

  it('limits applications per person (429 past the limit; a refused form costs nothing)', async () => {
    const busy = await person('批量申请')
    expect((await apply(busy.cookie, application('123'))).status).toBe(400)
    for (let i = 0; i < 5; i++) expect((await apply(busy.cookie, application(randomUscc('321023')))).status, `#${i}`).toBe(302)
    const sixth = await apply(busy.cookie, application(randomUscc('321023')))
    expect(sixth.status).toBe(429)
    expect(sixth.body).toBe('errors.rateLimited')
  })

  it('limits applications per address', async () => {
    const ip = '198.51.100.23'
    let created = 0
    let limited = 0
    for (let i = 0; i < 5; i++) {
      const someone = await person(`同一地址${i}`)
      for (let j = 0; j < 5; j++) {
        const outcome = await apply(someone.cookie, application(randomUscc('321023')), ip)
        if (outcome.status === 302) created += 1
        else if (outcome.status === 429) limited += 1
      }
    }
    expect(created).toBe(20)
    expect(limited).toBe(5)
  })
})

describe('invitations (item 4)', () => {
  async function team(kind: 'enterprise' | 'agency' = 'enterprise') {
    if (kind === 'agency') {
      const a = await agency('321000')
      return { orgId: a.orgId, owner: a.owner, cookie: a.cookie }
    }
    const orgId = await insertOrg(db(), { region: '321023' })
    const owner = await insertUser(db(), { name: '管理员' })
    await addMember(db(), owner.id, orgId)
    return { orgId, owner, cookie: (await signIn(db(), owner.id, orgId)).cookie }
  }

  async function invite(cookie: string) {
    const made = await call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'createInvite' }, cookie })
    expect(made.status).toBe(200)
    return body(made).created as { id: number; token: string; code: string }
  }

  it('carry a 256-bit link token and a 60-bit code, stored only as hashes and shown once', async () => {
    const { cookie } = await team()
    const made = await Promise.all(Array.from({ length: 20 }, () => invite(cookie)))
    for (const i of made) {
      expect(Buffer.from(i.token, 'base64url')).toHaveLength(32)
      const code = i.code.replace(/-/g, '')
      expect(code).toHaveLength(12)
      for (const c of code) expect(INVITE_CODE_ALPHABET).toContain(c)
    }
    // 12 symbols of a 32-letter alphabet: 60 bits; the link: 256 bits.
    expect(12 * Math.log2(INVITE_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50)
    expect(new Set(made.map((i) => i.token)).size).toBe(20)
    expect(new Set(made.map((i) => i.code)).size).toBe(20)
    const rows = await db()
      .selectFrom('invitations')
      .selectAll()
      .where(
        'id',
        'in',
        made.map((i) => i.id),
      )
      .execute()
    const stored = JSON.stringify(rows)
    for (const i of made) {
      expect(stored).not.toContain(i.token)
      expect(stored).not.toContain(i.code.replace(/-/g, ''))
    }
    // The list shows neither again.
    const page = JSON.stringify(body(await call(orgIndex, { path: '/org', cookie })).invites)
    for (const i of made) expect(page).not.toContain(i.token)
  })

  it('accept the code typed with or without dashes, in any case', async () => {
    const { orgId, cookie } = await team()
    const { code } = await invite(cookie)
    const joiner = await person('同事')
    const typed = code.toLowerCase().replace(/-/g, ' ')
    const joined = await call(join, { method: 'POST', path: '/join', form: { code: typed }, cookie: joiner.cookie })
    expect(joined.status).toBe(302)
    const membership = await db()
      .selectFrom('memberships')
      .select(['role', 'status'])
      .where('org_id', '=', orgId)
      .where('user_id', '=', joiner.user.id)
      .executeTakeFirstOrThrow()
    expect(membership).toEqual({ role: 'member', status: 'active' })
  })

  it('refuse wrong codes past 10 per person and 30 per address, with a bounded log', async () => {
    const ip = '192.0.2.77'
    const guess = (cookie: string) => call(join, { method: 'POST', path: '/join', form: { code: 'ABCD-EFGH-JKLM' }, cookie, ip })
    const guesser = await person('猜码者')
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) statuses.push((await guess(guesser.cookie)).status)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400))
    expect(statuses.slice(10)).toEqual(Array(15).fill(429))
    const logged = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'org.invite_guess_failed')
      .where('actor_user_id', '=', guesser.user.id)
      .execute()
    // The first failure and the tenth, each with its count: not a row per guess.
    expect(logged.map((l) => JSON.parse(l.detail).repeat)).toEqual([1, 10])

    // Per address: two more people from it use up its 30, the next is refused at once.
    for (const name of ['同址甲', '同址乙']) {
      const other = await person(name)
      for (let i = 0; i < 10; i++) expect((await guess(other.cookie)).status).toBe(400)
    }
    const fourth = await person('同址丙')
    expect((await guess(fourth.cookie)).status).toBe(429)
    // A person elsewhere is not affected.
    const elsewhere = await person('别处')
    expect(
      (await call(join, { method: 'POST', path: '/join', form: { code: 'ABCD-EFGH-JKLM' }, cookie: elsewhere.cookie })).status,
    ).toBe(400)
  })

  it('give an agency newcomer no rights until its owner confirms them and their role', async () => {
    const agencyTeam = await team('agency')
    const pendingOrg = await insertOrg(db(), { status: 'pending', region: '321023' })
    const { token } = await invite(agencyTeam.cookie)
    const newcomer = await person('新同事')
    const joined = await call(joinByLink, {
      method: 'POST',
      path: `/join/${token}`,
      params: { code: token },
      cookie: newcomer.cookie,
    })
    expect(joined.status).toBe(302)

    const as = newcomer.cookie
    const status = async () => ({
      queue: (await call(auditQueue, { path: '/agency/audits', cookie: as })).status,
      log: (await call(auditLog, { path: '/agency/audit-log', cookie: as })).status,
      review: (await review(pendingOrg, as)).status,
    })
    // Joined, acting for the agency, and allowed nothing but to see that they wait.
    expect(await status()).toEqual({ queue: 403, log: 403, review: 403 })
    const ownView = body(await call(orgIndex, { path: '/org', cookie: as }))
    expect(ownView).toMatchObject({ membership: 'pending', members: [], canManageMembers: false })

    // The owner sees them waiting, with the agency's roles to choose from.
    const ownerView = body(await call(orgIndex, { path: '/org', cookie: agencyTeam.cookie }))
    expect(ownerView.members).toContainEqual(
      expect.objectContaining({
        userId: newcomer.user.id,
        status: 'pending',
        role: 'viewer',
        roleOptions: ['owner', 'reviewer', 'viewer'],
      }),
    )
    const setRole = (role: string, cookie = agencyTeam.cookie, userId = newcomer.user.id) =>
      call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'setMemberRole', userId: String(userId), role }, cookie })

    // Only the owner confirms, and only with an agency role.
    expect((await setRole('reviewer', as)).status).toBe(403)
    const member = await setRole('member')
    expect(member.status).toBe(400)
    expect(body(member).fieldErrors).toEqual({ role: 'org.v.role' })
    const own = await setRole('viewer', agencyTeam.cookie, agencyTeam.owner.id)
    expect(own.status).toBe(409)
    expect(body(own)).toMatchObject({ formError: 'org.error.ownRole' })

    // A viewer reads the log and decides nothing.
    expect((await setRole('viewer')).status).toBe(200)
    expect(await status()).toEqual({ queue: 403, log: 200, review: 403 })
    // A reviewer reviews.
    expect((await setRole('reviewer')).status).toBe(200)
    expect(await status()).toEqual({ queue: 200, log: 200, review: 200 })
    expect((await decide(pendingOrg, as, { intent: 'approve', revision: '1' })).status).toBe(302)

    const log = await db()
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('object_type', '=', 'user')
      .where('object_id', '=', String(newcomer.user.id))
      .where('action', 'in', ['org.member_confirmed', 'org.member_role_changed'])
      .orderBy('id')
      .execute()
    expect(log.map((l) => [l.action, JSON.parse(l.detail)])).toEqual([
      ['org.member_confirmed', { role: 'viewer' }],
      ['org.member_role_changed', { from: 'viewer', to: 'reviewer' }],
    ])
  })

  it('keep companies as they were: a joiner is an active member, and company roles cannot be agency ones', async () => {
    const { orgId, cookie } = await team()
    const { token } = await invite(cookie)
    const joiner = await person('同事')
    await call(joinByLink, { method: 'POST', path: `/join/${token}`, params: { code: token }, cookie: joiner.cookie })
    const owner = body(await call(orgIndex, { path: '/org', cookie }))
    expect(owner.members).toContainEqual(
      expect.objectContaining({ userId: joiner.user.id, role: 'member', status: 'active', roleOptions: [] }),
    )
    const refused = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'setMemberRole', userId: String(joiner.user.id), role: 'reviewer' },
      cookie,
    })
    expect(refused.status).toBe(400)
    // The database refuses it too.
    await expect(
      db()
        .updateTable('memberships')
        .set({ role: 'reviewer' })
        .where('org_id', '=', orgId)
        .where('user_id', '=', joiner.user.id)
        .execute(),
    ).rejects.toThrow(/reviewers and viewers belong to agencies/)
  })
})
