import { beforeAll, describe, expect, it } from 'vitest'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as auditQueue from '../../app/routes/agency.audits._index.js'
import * as joinByCode from '../../app/routes/join.$code.js'
import * as needDetail from '../../app/routes/needs.$id.js'
import * as needs from '../../app/routes/needs._index.js'
import * as orgIndex from '../../app/routes/org._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as orgsNew from '../../app/routes/orgs.new.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { addMember, insertNeed, insertOrg, insertUser, randomUscc, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db
let agencyYZ: string
let agencyGS: string

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const yz = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
  const gs = await insertOrg(db(), { kind: 'agency', region: '620000', agencyLevel: 'province' })
  for (const [org, set] of [
    [yz, (c: string) => (agencyYZ = c)],
    [gs, (c: string) => (agencyGS = c)],
  ] as const) {
    const u = await insertUser(db())
    await addMember(db(), u.id, org)
    set((await signIn(db(), u.id, org)).cookie)
  }
})

async function applicant() {
  const user = await insertUser(db(), { name: '王经理' })
  return { user, cookie: (await signIn(db(), user.id, null)).cookie }
}

const validForm = (uscc: string) => ({
  kind: 'enterprise',
  name: '扬州恒鑫精密机械有限公司',
  uscc,
  region: '321023',
  industry: 'C34',
  contactName: '王经理',
  contactPhone: '0514-88886666',
  description: '',
})

describe('onboarding audit (入驻审核)', () => {
  it('refuses a USCC with a wrong check character, on its field, and writes nothing', async () => {
    const { cookie } = await applicant()
    const good = randomUscc('321023')
    const last = good.at(-1)!
    const bad = good.slice(0, 17) + (last === '0' ? '1' : '0')
    const before = await db()
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const outcome = await call(orgsNew, { method: 'POST', path: '/orgs/new', form: validForm(bad), cookie })
    expect(outcome.status).toBe(400)
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'VALIDATION', fieldErrors: { uscc: 'org.v.usccChecksum' } })
    const after = await db()
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('takes an application from pending to verified, and only then lists its needs', async () => {
    const { user, cookie } = await applicant()
    const uscc = randomUscc('321023')
    const created = await call(orgsNew, { method: 'POST', path: '/orgs/new', form: validForm(uscc.toLowerCase()), cookie })
    expect(created.status).toBe(302)
    const org = await db().selectFrom('organisations').selectAll().where('uscc', '=', uscc).executeTakeFirstOrThrow()
    expect(org.status).toBe('pending')
    const membership = await db().selectFrom('memberships').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
    expect(membership).toMatchObject({ user_id: user.id, role: 'owner' })

    // A pending organisation's need is not public.
    const need = await insertNeed(db(), org.id, { title: '基于机器视觉的焊缝在线检测' })
    await withTransaction(db(), (trx, afterCommit) => enqueueNeedChange(trx, afterCommit, need))
    expect((await call(needDetail, { path: `/needs/${need}`, params: { id: String(need) } })).status).toBe(404)
    const hidden = JSON.parse((await call(needs, { path: '/needs?q=焊缝' })).body)
    expect(hidden.result.total).toBe(0)

    // Only the agency whose jurisdiction covers 宝应县 sees and decides it.
    const queue = JSON.parse((await call(auditQueue, { path: '/agency/audits', cookie: agencyYZ })).body)
    expect(queue.queue.items.map((i: { id: number }) => i.id)).toContain(org.id)
    expect(queue.queue.counts.pending).toBeGreaterThan(0)
    const otherQueue = JSON.parse((await call(auditQueue, { path: '/agency/audits', cookie: agencyGS })).body)
    expect(otherQueue.queue.items.map((i: { id: number }) => i.id)).not.toContain(org.id)
    const params = { orgId: String(org.id) }
    const denied = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'approve', revision: '1' },
      cookie: agencyGS,
    })
    expect(denied.status).toBe(403)
    expect(
      (await db().selectFrom('organisations').select('status').where('id', '=', org.id).executeTakeFirstOrThrow()).status,
    ).toBe('pending')

    const approved = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'approve', revision: '1' },
      cookie: agencyYZ,
    })
    expect(approved.status).toBe(302)
    expect(
      (await db().selectFrom('organisations').select('status').where('id', '=', org.id).executeTakeFirstOrThrow()).status,
    ).toBe('verified')
    expect((await call(needDetail, { path: `/needs/${need}`, params: { id: String(need) } })).status).toBe(200)
    const shown = JSON.parse((await call(needs, { path: '/needs?q=焊缝' })).body)
    expect(shown.result.total).toBe(1)

    const again = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'approve', revision: '1' },
      cookie: agencyYZ,
    })
    expect(again.status).toBe(409)
    expect(JSON.parse(again.body)).toMatchObject({ code: 'INVALID_STATE', formError: 'audits.e.alreadyVerified' })
    const log = await db()
      .selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('object_id', '=', String(org.id))
      .where('object_type', '=', 'organisation')
      .execute()
    expect(log.map((l) => l.action)).toEqual(['org.created', 'org.approved'])
    // Its owner reads the decision in the bell: one notice, whatever the refused second try did.
    const notices = await db().selectFrom('notifications').select(['kind', 'link']).where('user_id', '=', user.id).execute()
    expect(notices).toEqual([{ kind: 'org_approved', link: '/org' }])
  })

  it('rejects with a reason the applicant sees, and takes the corrected resubmission', async () => {
    const { cookie } = await applicant()
    const uscc = randomUscc('321081')
    await call(orgsNew, { method: 'POST', path: '/orgs/new', form: { ...validForm(uscc), region: '321081' }, cookie })
    const org = await db().selectFrom('organisations').select('id').where('uscc', '=', uscc).executeTakeFirstOrThrow()
    const params = { orgId: String(org.id) }

    const noReason = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'reject', revision: '1', reason: ' ' },
      cookie: agencyYZ,
    })
    expect(noReason.status).toBe(400)
    expect(JSON.parse(noReason.body)).toMatchObject({ code: 'VALIDATION', fieldErrors: { reason: 'audits.v.reasonRequired' } })
    const noIntent = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'maybe' },
      cookie: agencyYZ,
    })
    expect(noIntent.status).toBe(400)
    expect(JSON.parse(noIntent.body).fieldErrors.intent).toBe('audits.v.intent')

    const reason = '营业执照名称与填写的组织名称不一致'
    const rejected = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org.id}`,
      params,
      form: { intent: 'reject', revision: '1', reason },
      cookie: agencyYZ,
    })
    expect(rejected.status).toBe(302)
    const page = JSON.parse((await call(orgIndex, { path: '/org', cookie })).body)
    expect(page.org.status).toBe('rejected')
    expect(page.org.rejectionReason).toBe(reason)
    const notice = await db()
      .selectFrom('notifications')
      .select(['kind', 'params'])
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow()
    expect(notice.kind).toBe('org_rejected')
    expect(JSON.parse(notice.params)).toMatchObject({ org: expect.any(String) })

    expect((await call(orgEdit, { path: '/org/edit', cookie })).status).toBe(200)
    const resubmitted = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: { ...validForm(uscc), region: '321081', name: '仪征恒鑫精密机械有限公司' },
      cookie,
    })
    expect(resubmitted.status).toBe(302)
    const after = await db().selectFrom('organisations').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'pending', rejection_reason: null, name: '仪征恒鑫精密机械有限公司' })
  })

  it('lets a second application name a USCC still pending, and refuses one a verified organisation holds', async () => {
    const first = await applicant()
    const second = await applicant()
    const third = await applicant()
    const uscc = randomUscc('321002')
    expect((await call(orgsNew, { method: 'POST', path: '/orgs/new', form: validForm(uscc), cookie: first.cookie })).status).toBe(
      302,
    )
    expect(
      (await call(orgsNew, { method: 'POST', path: '/orgs/new', form: validForm(uscc), cookie: second.cookie })).status,
    ).toBe(302)
    const [org] = await db().selectFrom('organisations').select('id').where('uscc', '=', uscc).orderBy('id').execute()
    await db().updateTable('organisations').set({ status: 'verified' }).where('id', '=', org!.id).execute()
    const dup = await call(orgsNew, { method: 'POST', path: '/orgs/new', form: validForm(uscc), cookie: third.cookie })
    expect(dup.status).toBe(409)
    expect(JSON.parse(dup.body)).toMatchObject({ code: 'CONFLICT', fieldErrors: { uscc: 'org.v.usccTaken' } })
  })
})

describe('the audit pages', () => {
  it('answer 404 for ids that are not decimal ids, for agencies and for unknown organisations', async () => {
    const agency = await db().selectFrom('organisations').select('id').where('kind', '=', 'agency').executeTakeFirstOrThrow()
    for (const orgId of ['0x10', '1e3', ' ', '%20', '007', '-1', '1.0', 'abc', String(agency.id), '99999999']) {
      const path = `/agency/audits/${encodeURIComponent(orgId)}`
      const params = { orgId }
      expect((await call(auditDetail, { path, params, cookie: agencyYZ })).status, orgId).toBe(404)
      expect(
        (await call(auditDetail, { method: 'POST', path, params, form: { intent: 'approve', revision: '1' }, cookie: agencyYZ }))
          .status,
        orgId,
      ).toBe(404)
    }
  })

  it('are for verified agencies only: others get 403 whatever the id, visitors sign in', async () => {
    const { cookie } = await applicant()
    const pending = await insertOrg(db(), { status: 'pending', region: '321023' })
    for (const path of ['/agency/audits', `/agency/audits/${pending}`, '/agency/audits/99999999']) {
      const mod = path === '/agency/audits' ? auditQueue : auditDetail
      const params = { orgId: path.split('/')[3] ?? '' }
      expect((await call(mod, { path, params, cookie })).status, path).toBe(403)
      const visitor = await call(mod, { path, params })
      expect(visitor.status, path).toBe(302)
      expect(visitor.location).toMatch(/^\/login\?redirectTo=/)
    }
    const pendingAgency = await insertOrg(db(), { kind: 'agency', status: 'pending', region: '321000', agencyLevel: 'city' })
    const u = await insertUser(db())
    await addMember(db(), u.id, pendingAgency)
    const pendingAgencyCookie = (await signIn(db(), u.id, pendingAgency)).cookie
    expect((await call(auditQueue, { path: '/agency/audits', cookie: pendingAgencyCookie })).status).toBe(403)
  })

  it('read the queue filters leniently and narrow to a region inside the jurisdiction only', async () => {
    const inYZ = await insertOrg(db(), { status: 'pending', region: '321023', name: '宝应县测试企业' })
    const queue = async (qs: string, cookie = agencyYZ) => {
      const outcome = await call(auditQueue, { path: `/agency/audits${qs}`, cookie })
      expect(outcome.status, qs).toBe(200)
      return JSON.parse(outcome.body) as { queue: { items: { id: number }[] }; regionOptions: { code: string }[] }
    }
    expect((await queue('?region=321023')).queue.items.map((i) => i.id)).toContain(inYZ)
    expect((await queue('?region=620000')).queue.items).toEqual([])
    expect((await queue('?status=bogus&kind=agency&region=<x>&page=-3')).queue.items.map((i) => i.id)).toContain(inYZ)
    expect((await queue('')).regionOptions.map((r) => r.code)).toEqual(expect.arrayContaining(['321000', '321023']))
  })
})

describe('members and invitations', () => {
  it('lets an owner invite by code, and a revoked code stops working', async () => {
    const owner = await applicant()
    const uscc = randomUscc('321003')
    await call(orgsNew, {
      method: 'POST',
      path: '/orgs/new',
      form: { ...validForm(uscc), region: '321003' },
      cookie: owner.cookie,
    })
    const org = await db().selectFrom('organisations').select('id').where('uscc', '=', uscc).executeTakeFirstOrThrow()
    const made = await call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'createInvite' }, cookie: owner.cookie })
    expect(made.status).toBe(200)
    // The link's token and the code come back this once.
    const invite = JSON.parse(made.body).created as { id: number; token: string; code: string }
    expect(invite.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const colleague = await applicant()
    const joined = await call(joinByCode, {
      method: 'POST',
      path: `/join/${invite.token}`,
      params: { code: invite.token },
      cookie: colleague.cookie,
    })
    expect(joined.status).toBe(302)
    const membership = await db()
      .selectFrom('memberships')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('user_id', '=', colleague.user.id)
      .executeTakeFirstOrThrow()
    expect(membership.role).toBe('member')

    // A member cannot manage members.
    const memberTry = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'createInvite' },
      cookie: colleague.cookie,
    })
    expect(memberTry.status).toBe(403)

    await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'revokeInvite', inviteId: String(invite.id) },
      cookie: owner.cookie,
    })
    const late = await applicant()
    const refused = await call(joinByCode, {
      method: 'POST',
      path: `/join/${invite.token}`,
      params: { code: invite.token },
      cookie: late.cookie,
    })
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'VALIDATION', fieldErrors: { code: 'join.v.invalid' } })

    // The sole owner cannot be removed.
    const removeOwner = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(owner.user.id) },
      cookie: owner.cookie,
    })
    expect(removeOwner.status).toBe(409)
    expect(JSON.parse(removeOwner.body)).toMatchObject({ code: 'INVALID_STATE', formError: 'org.error.lastOwner' })
  })
})
