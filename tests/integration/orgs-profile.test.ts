import { describe, expect, it } from 'vitest'
import { hashToken } from '../../app/domain/accounts/sessions.server.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as orgIndex from '../../app/routes/org._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as orgsNew from '../../app/routes/orgs.new.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, randomUscc, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db

async function applicant() {
  const user = await insertUser(db(), { name: '申请人' })
  const session = await signIn(db(), user.id, null)
  return { user, ...session }
}

const form = (uscc: string, overrides: Record<string, string | string[]> = {}) => ({
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

const body = (outcome: { body: string }) => JSON.parse(outcome.body)

describe('applying (POST /orgs/new)', () => {
  it('lets concurrent applications for one USCC coexist while pending; of two concurrent approvals one wins, one is a 409', async () => {
    const uscc = randomUscc('321023')
    const people = await Promise.all([applicant(), applicant(), applicant(), applicant()])
    const outcomes = await Promise.all(
      people.map((p) => call(orgsNew, { method: 'POST', path: '/orgs/new', form: form(uscc), cookie: p.cookie })),
    )
    // A pending claim locks nobody out: the agency sees them side by side and decides.
    expect(outcomes.map((o) => o.status)).toEqual([302, 302, 302, 302])
    const rows = await db()
      .selectFrom('organisations')
      .select(['id', 'revision'])
      .where('uscc', '=', uscc)
      .orderBy('id')
      .execute()
    expect(rows).toHaveLength(4)
    const memberships = await db()
      .selectFrom('memberships')
      .select('user_id')
      .where(
        'user_id',
        'in',
        people.map((p) => p.user.id),
      )
      .execute()
    expect(memberships).toHaveLength(4)

    // Two reviewers approve two of them at once: uniqueness among verified organisations holds.
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const reviewers = await Promise.all(
      [0, 1].map(async () => {
        const u = await insertUser(db())
        await addMember(db(), u.id, agency)
        return (await signIn(db(), u.id, agency)).cookie
      }),
    )
    const decisions = await Promise.all(
      [rows[0]!, rows[1]!].map((row, i) =>
        call(auditDetail, {
          method: 'POST',
          path: `/agency/audits/${row.id}`,
          params: { orgId: String(row.id) },
          form: { intent: 'approve', revision: String(row.revision) },
          cookie: reviewers[i]!,
        }),
      ),
    )
    expect(decisions.map((d) => d.status).sort()).toEqual([302, 409])
    const refused = decisions.find((d) => d.status === 409)!
    expect(body(refused)).toMatchObject({ code: 'CONFLICT', formError: 'audits.e.usccVerifiedElsewhere' })
    const verified = await db()
      .selectFrom('organisations')
      .select('id')
      .where('uscc', '=', uscc)
      .where('status', '=', 'verified')
      .execute()
    expect(verified).toHaveLength(1)
  })

  it('reports every field error of the form in one round, by field name and key', async () => {
    const { cookie } = await applicant()
    const outcome = await call(orgsNew, {
      method: 'POST',
      path: '/orgs/new',
      form: form('123', { name: '', region: '', industry: '', contactPhone: 'call me' }),
      cookie,
    })
    expect(outcome.status).toBe(400)
    expect(body(outcome).fieldErrors).toEqual({
      name: 'org.v.nameTooShort',
      uscc: 'org.v.usccLength',
      region: 'org.v.region',
      industry: 'org.v.industry',
      contactPhone: 'org.v.contactPhone',
    })
    const provider = await call(orgsNew, {
      method: 'POST',
      path: '/orgs/new',
      form: form(randomUscc(), { kind: 'provider', name: '' }),
      cookie,
    })
    expect(body(provider).fieldErrors).toEqual({ name: 'org.v.nameTooShort', 'providerKinds[]': 'org.v.providerKinds' })
  })

  it('wants a city or county, not a province, and a known industry', async () => {
    const { cookie } = await applicant()
    const province = await call(orgsNew, {
      method: 'POST',
      path: '/orgs/new',
      form: form(randomUscc(), { region: '320000' }),
      cookie,
    })
    expect(province.status).toBe(400)
    expect(body(province).fieldErrors).toEqual({ region: 'org.v.regionLevel' })
    const industry = await call(orgsNew, {
      method: 'POST',
      path: '/orgs/new',
      form: form(randomUscc(), { industry: 'C99' }),
      cookie,
    })
    expect(industry.status).toBe(400)
    expect(body(industry).fieldErrors).toEqual({ industry: 'org.v.industry' })
  })

  it('makes the applicant its owner and the session they applied from act for it', async () => {
    const { user, cookie, token } = await applicant()
    const uscc = randomUscc('321023')
    const created = await call(orgsNew, { method: 'POST', path: '/orgs/new', form: form(uscc), cookie })
    expect(created.status).toBe(302)
    expect(created.location).toBe('/org')
    const org = await db().selectFrom('organisations').select(['id', 'status']).where('uscc', '=', uscc).executeTakeFirstOrThrow()
    expect(org.status).toBe('pending')
    const session = await db()
      .selectFrom('sessions')
      .select('active_org_id')
      .where('id_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    expect(session.active_org_id).toBe(org.id)
    const page = body(await call(orgIndex, { path: '/org', cookie }))
    expect(page).toMatchObject({ org: { id: org.id, status: 'pending' }, canManageMembers: true, canResubmit: true })
    expect(page.members).toEqual([expect.objectContaining({ userId: user.id, role: 'owner', removable: false })])
    const log = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.created')
      .where('object_id', '=', String(org.id))
      .executeTakeFirstOrThrow()
    expect(log).toMatchObject({ actor_user_id: user.id, actor_org_id: org.id, region_code: '321023' })
  })
})

describe('resubmitting (/org/edit)', () => {
  async function rejectedOrg() {
    const { user, cookie } = await applicant()
    const orgId = await insertOrg(db(), { status: 'rejected', region: '321081' })
    await addMember(db(), user.id, orgId)
    const session = await signIn(db(), user.id, orgId)
    const { uscc } = await db().selectFrom('organisations').select('uscc').where('id', '=', orgId).executeTakeFirstOrThrow()
    return { user, orgId, uscc: uscc!, cookie: session.cookie, noOrgCookie: cookie }
  }

  it('refuses another organisation’s USCC with a 409 on the uscc field', async () => {
    const other = await insertOrg(db(), { status: 'verified' })
    const { uscc: taken } = await db()
      .selectFrom('organisations')
      .select('uscc')
      .where('id', '=', other)
      .executeTakeFirstOrThrow()
    const { cookie } = await rejectedOrg()
    const outcome = await call(orgEdit, { method: 'POST', path: '/org/edit', form: form(taken!, { region: '321081' }), cookie })
    expect(outcome.status).toBe(409)
    expect(body(outcome)).toMatchObject({ code: 'CONFLICT', fieldErrors: { uscc: 'org.v.usccTaken' } })
  })

  it('keeps the kind, and sends the corrected application back to pending', async () => {
    const { orgId, uscc, cookie } = await rejectedOrg()
    const kind = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: form(uscc, { kind: 'provider', 'providerKinds[]': ['integrator'] }),
      cookie,
    })
    expect(kind.status).toBe(400)
    expect(body(kind).fieldErrors).toEqual({ kind: 'org.v.kindLocked' })
    const ok = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: form(uscc, { region: '321081', name: '仪征恒鑫精密机械有限公司' }),
      cookie,
    })
    expect(ok.status).toBe(302)
    const row = await db()
      .selectFrom('organisations')
      .select(['status', 'name', 'rejection_reason'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'pending', name: '仪征恒鑫精密机械有限公司', rejection_reason: null })
  })

  // A verified organisation edits its profile there instead (org-profile-edit.test.ts).
  it('has nothing to resubmit for a verified organisation: the page edits its profile, a resubmission is a 409', async () => {
    const user = await insertUser(db())
    const orgId = await insertOrg(db(), { status: 'verified' })
    await addMember(db(), user.id, orgId)
    const { cookie } = await signIn(db(), user.id, orgId)
    const { uscc } = await db().selectFrom('organisations').select('uscc').where('id', '=', orgId).executeTakeFirstOrThrow()
    const page = await call(orgEdit, { path: '/org/edit', cookie })
    expect(page.status).toBe(200)
    expect(body(page)).toMatchObject({ mode: 'update' })
    const post = await call(orgEdit, { method: 'POST', path: '/org/edit', form: form(uscc!), cookie })
    expect(post.status).toBe(409)
    expect(body(post)).toMatchObject({ code: 'INVALID_STATE', formError: 'org.error.notResubmittable' })
  })

  it('is the owner’s: a plain member and a person without an organisation get 403', async () => {
    const { orgId, uscc } = await rejectedOrg()
    const member = await insertUser(db())
    await addMember(db(), member.id, orgId, 'member')
    const memberCookie = (await signIn(db(), member.id, orgId)).cookie
    expect((await call(orgEdit, { path: '/org/edit', cookie: memberCookie })).status).toBe(403)
    expect(
      (await call(orgEdit, { method: 'POST', path: '/org/edit', form: form(uscc, { region: '321081' }), cookie: memberCookie }))
        .status,
    ).toBe(403)
    const page = body(await call(orgIndex, { path: '/org', cookie: memberCookie }))
    expect(page).toMatchObject({ canManageMembers: false, canResubmit: false, invites: [] })

    const { cookie: nobody } = await applicant()
    expect((await call(orgEdit, { path: '/org/edit', cookie: nobody })).status).toBe(403)
    expect(
      (await call(orgEdit, { method: 'POST', path: '/org/edit', form: form(uscc, { region: '321081' }), cookie: nobody })).status,
    ).toBe(403)
    expect(body(await call(orgIndex, { path: '/org', cookie: nobody }))).toMatchObject({ org: null, members: [] })
    const unchanged = await db().selectFrom('organisations').select('status').where('id', '=', orgId).executeTakeFirstOrThrow()
    expect(unchanged.status).toBe('rejected')
  })
})
