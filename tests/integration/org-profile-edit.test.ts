import { describe, expect, it } from 'vitest'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as needDetail from '../../app/routes/needs.$id.js'
import * as orgIndex from '../../app/routes/org._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

/*
 * A verified enterprise or provider edits its profile on /org/edit: its contact person,
 * phone and description at once (audited before → after, revision unchanged); its name,
 * credit code, region, industry or provider kinds only by going back to review (status
 * pending, revision + 1, its needs hidden until approved again), after a confirmation.
 * Owners only.
 */

const db = () => services().db
const body = (outcome: { body: string }) => JSON.parse(outcome.body)

async function verifiedOrg(kind: 'enterprise' | 'provider' = 'enterprise', region = '321023') {
  const owner = await insertUser(db(), { name: '周经理' })
  const orgId = await insertOrg(db(), { kind, region })
  await db()
    .updateTable('organisations')
    .set({ contact_name: '王经理', contact_phone: '0514-88886666', description: '精密机械加工' })
    .where('id', '=', orgId)
    .execute()
  await addMember(db(), owner.id, orgId)
  const { cookie } = await signIn(db(), owner.id, orgId)
  const row = await db().selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()
  return { owner, orgId, cookie, row }
}

const contactForm = (overrides: Record<string, string> = {}) => ({
  intent: 'contact',
  contactName: '王经理',
  contactPhone: '0514-88886666',
  description: '精密机械加工',
  ...overrides,
})

type OrgRow = Awaited<ReturnType<typeof verifiedOrg>>['row']
const registrationForm = (row: OrgRow, overrides: Record<string, string | string[]> = {}) => ({
  intent: 'registration',
  kind: row.kind,
  name: row.name,
  uscc: row.uscc!,
  region: row.region_code,
  ...(row.kind === 'enterprise' ? { industry: row.industry_code! } : { 'providerKinds[]': JSON.parse(row.provider_kinds) }),
  ...overrides,
})

const post = (form: Record<string, string | string[]>, cookie: string) =>
  call(orgEdit, { method: 'POST', path: '/org/edit', form, cookie })

const orgRow = (orgId: number) => db().selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()

const auditOf = (orgId: number, action: string) =>
  db()
    .selectFrom('audit_log')
    .selectAll()
    .where('object_type', '=', 'organisation')
    .where('object_id', '=', String(orgId))
    .where('action', '=', action as never)
    .orderBy('id')
    .execute()

describe('a verified organisation’s contact (/org/edit, intent=contact)', () => {
  it('is offered to its owner: the page edits the profile, /org links to it', async () => {
    const { cookie } = await verifiedOrg()
    const page = await call(orgEdit, { path: '/org/edit', cookie })
    expect(page.status).toBe(200)
    expect(body(page)).toMatchObject({ mode: 'update', org: { contactName: '王经理' } })
    expect(body(await call(orgIndex, { path: '/org', cookie }))).toMatchObject({ canEditProfile: true, canResubmit: false })
  })

  it('is saved at once, recorded before → after in the audit log, and keeps the organisation verified at its revision', async () => {
    const { owner, orgId, cookie, row } = await verifiedOrg()
    const outcome = await post(contactForm({ contactName: '李工', contactPhone: '13912345678' }), cookie)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/org')
    const after = await orgRow(orgId)
    expect(after).toMatchObject({
      status: 'verified',
      revision: row.revision,
      contact_name: '李工',
      contact_phone: '13912345678',
      description: '精密机械加工',
      name: row.name,
    })
    const [entry, ...more] = await auditOf(orgId, 'org.profile_updated')
    expect(more).toEqual([])
    expect(entry).toMatchObject({ actor_user_id: owner.id, actor_org_id: orgId, region_code: '321023' })
    expect(JSON.parse(entry!.detail)).toEqual({
      revision: row.revision,
      changed: 'contactName,contactPhone',
      contactName: '王经理 → 李工',
      contactPhone: '0514-88886666 → 13912345678',
    })
  })

  it('writes nothing when nothing changed', async () => {
    const { orgId, cookie, row } = await verifiedOrg()
    expect((await post(contactForm(), cookie)).status).toBe(302)
    expect(await auditOf(orgId, 'org.profile_updated')).toEqual([])
    expect((await orgRow(orgId)).updated_at).toBe(row.updated_at)
  })

  it('reports every field error in one round, by field name and catalogue key', async () => {
    const { orgId, cookie } = await verifiedOrg()
    const outcome = await post(
      contactForm({ contactName: '名'.repeat(41), contactPhone: 'call me', description: '简'.repeat(1001) }),
      cookie,
    )
    expect(outcome.status).toBe(400)
    expect(body(outcome)).toMatchObject({
      code: 'VALIDATION',
      formError: 'errors.validation',
      fieldErrors: {
        contactName: 'org.v.contactNameTooLong',
        contactPhone: 'org.v.contactPhone',
        description: 'org.v.descriptionTooLong',
      },
    })
    expect((await orgRow(orgId)).contact_name).toBe('王经理')
  })

  it('is refused to a pending or rejected application (corrected whole and resubmitted) and to an unknown form', async () => {
    const owner = await insertUser(db())
    const orgId = await insertOrg(db(), { status: 'pending' })
    await addMember(db(), owner.id, orgId)
    const { cookie } = await signIn(db(), owner.id, orgId)
    expect(body(await call(orgEdit, { path: '/org/edit', cookie }))).toMatchObject({ mode: 'resubmit' })
    const outcome = await post(contactForm({ contactName: '李工' }), cookie)
    expect(outcome.status).toBe(409)
    expect(body(outcome)).toMatchObject({ code: 'INVALID_STATE', formError: 'org.error.notVerified' })
    expect(body(await call(orgIndex, { path: '/org', cookie }))).toMatchObject({ canEditProfile: false, canResubmit: true })
    const unknown = await post({ ...contactForm(), intent: 'delete' }, cookie)
    expect(unknown.status).toBe(400)
  })
})

describe('a verified organisation’s registration (/org/edit, intent=registration)', () => {
  it('without scripts asks first: checked, nothing written, the changes named and every field sent again', async () => {
    const { orgId, cookie, row } = await verifiedOrg('provider')
    await db()
      .updateTable('organisations')
      .set({ provider_kinds: '["integrator","consultancy"]' })
      .where('id', '=', orgId)
      .execute()
    const form = registrationForm(
      { ...row, provider_kinds: '["integrator","consultancy"]' },
      { name: '扬州新名称智能科技有限公司' },
    )
    const asked = await post({ ...form, _confirm: 'ask' }, cookie)
    expect(asked.status).toBe(200)
    const answer = body(asked)
    expect(answer.changed).toEqual(['name'])
    // Both kinds are sent again: a repeated field keeps every value.
    expect(answer.confirm.fields).toMatchObject({
      intent: 'registration',
      name: '扬州新名称智能科技有限公司',
      'providerKinds[]': ['integrator', 'consultancy'],
    })
    expect(await orgRow(orgId)).toMatchObject({ status: 'verified', revision: row.revision, name: row.name })
    expect(await auditOf(orgId, 'org.registration_changed')).toEqual([])

    // The confirm step sends the fields again, without the flag.
    const done = await post(answer.confirm.fields, cookie)
    expect(done.status).toBe(302)
    const after = await orgRow(orgId)
    expect(after).toMatchObject({ status: 'pending', name: '扬州新名称智能科技有限公司' })
    expect(JSON.parse(after.provider_kinds)).toEqual(['integrator', 'consultancy'])
    // Only the name changed: the kinds, read back from the database, count as the same.
    const [entry] = await auditOf(orgId, 'org.registration_changed')
    expect(JSON.parse(entry!.detail)).toMatchObject({ changed: 'name' })
  })

  it('sends the organisation back to review: pending, revision + 1, audited before → after, its needs hidden until approved again', async () => {
    const { owner, orgId, cookie, row } = await verifiedOrg('enterprise', '321023')
    const need = await insertNeed(db(), orgId)
    const open = () => call(needDetail, { path: `/needs/${need}`, params: { id: String(need) } })
    expect((await open()).status).toBe(200)

    const outcome = await post(registrationForm(row, { name: '扬州恒鑫智能装备有限公司', region: '321081' }), cookie)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/org')
    const after = await orgRow(orgId)
    expect(after).toMatchObject({
      status: 'pending',
      revision: row.revision + 1,
      name: '扬州恒鑫智能装备有限公司',
      region_code: '321081',
      uscc: row.uscc,
      contact_name: '王经理',
    })
    expect(after.submitted_at! > row.submitted_at!).toBe(true)
    const [entry] = await auditOf(orgId, 'org.registration_changed')
    // Filed under the region it now names: that region's agency reviews it.
    expect(entry).toMatchObject({ actor_user_id: owner.id, actor_org_id: orgId, region_code: '321081' })
    expect(JSON.parse(entry!.detail)).toEqual({
      previousStatus: 'verified',
      revision: row.revision + 1,
      changed: 'name,region',
      name: `${row.name} → 扬州恒鑫智能装备有限公司`,
      region: '321023 → 321081',
    })
    expect((await open()).status).toBe(404)
    // The owner now sees a pending application it may correct; the profile edit waits for the approval.
    expect(body(await call(orgIndex, { path: '/org', cookie }))).toMatchObject({ canEditProfile: false, canResubmit: true })

    // The agency decides on the new revision; a decision on the old one is stale.
    const reviewer = await insertUser(db())
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    await addMember(db(), reviewer.id, agency)
    const agencyCookie = (await signIn(db(), reviewer.id, agency)).cookie
    const decide = (revision: number) =>
      call(auditDetail, {
        method: 'POST',
        path: `/agency/audits/${orgId}`,
        params: { orgId: String(orgId) },
        form: { intent: 'approve', revision: String(revision) },
        cookie: agencyCookie,
      })
    const stale = await decide(row.revision)
    expect(stale.status).toBe(409)
    expect(body(stale)).toMatchObject({ formError: 'audits.e.stale' })
    expect((await decide(row.revision + 1)).status).toBe(302)
    expect((await orgRow(orgId)).status).toBe('verified')
    expect((await open()).status).toBe(200)
  })

  it('refuses a registration that did not change, a code another verified organisation holds, and bad fields', async () => {
    const { orgId, cookie, row } = await verifiedOrg()
    const same = await post(registrationForm(row), cookie)
    expect(same.status).toBe(400)
    expect(body(same)).toMatchObject({ code: 'VALIDATION', formError: 'org.v.registrationUnchanged', fieldErrors: {} })

    const other = await verifiedOrg()
    const taken = await post(registrationForm(row, { uscc: other.row.uscc! }), cookie)
    expect(taken.status).toBe(409)
    expect(body(taken)).toMatchObject({ code: 'CONFLICT', fieldErrors: { uscc: 'org.v.usccTaken' } })

    const bad = await post(registrationForm(row, { name: '', uscc: '123', region: '', industry: '' }), cookie)
    expect(bad.status).toBe(400)
    expect(body(bad).fieldErrors).toEqual({
      name: 'org.v.nameTooShort',
      uscc: 'org.v.usccLength',
      region: 'org.v.region',
      industry: 'org.v.industry',
    })
    const province = await post(registrationForm(row, { region: '320000' }), cookie)
    expect(body(province).fieldErrors).toEqual({ region: 'org.v.regionLevel' })
    const kind = await post(registrationForm(row, { kind: 'provider', 'providerKinds[]': ['integrator'] }), cookie)
    expect(body(kind).fieldErrors).toEqual({ kind: 'org.v.kindLocked' })

    expect(await orgRow(orgId)).toMatchObject({ status: 'verified', revision: row.revision, uscc: row.uscc })
    expect(await auditOf(orgId, 'org.registration_changed')).toEqual([])
  })
})

describe('who edits a verified organisation', () => {
  it('is its owner: a plain member, an agency and a person without an organisation change nothing', async () => {
    const { orgId, row } = await verifiedOrg()
    const member = await insertUser(db())
    await addMember(db(), member.id, orgId, 'member')
    const memberCookie = (await signIn(db(), member.id, orgId)).cookie
    expect((await call(orgEdit, { path: '/org/edit', cookie: memberCookie })).status).toBe(403)
    expect((await post(contactForm({ contactName: '成员改的' }), memberCookie)).status).toBe(403)
    expect((await post(registrationForm(row, { name: '成员改的名称' }), memberCookie)).status).toBe(403)
    expect((await post({ ...registrationForm(row, { name: '成员改的名称' }), _confirm: 'ask' }, memberCookie)).status).toBe(403)
    expect(body(await call(orgIndex, { path: '/org', cookie: memberCookie }))).toMatchObject({ canEditProfile: false })

    const nobody = (await signIn(db(), (await insertUser(db())).id, null)).cookie
    expect((await post(contactForm({ contactName: '路人' }), nobody)).status).toBe(403)

    // An agency has nothing to edit here: its page is /org; a crafted POST changes nothing.
    const agencyOwner = await insertUser(db())
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    await addMember(db(), agencyOwner.id, agency)
    const agencyCookie = (await signIn(db(), agencyOwner.id, agency)).cookie
    const page = await call(orgEdit, { path: '/org/edit', cookie: agencyCookie })
    expect(page.status).toBe(302)
    expect(page.location).toBe('/org')
    expect((await post(contactForm({ contactName: '部门' }), agencyCookie)).status).toBe(409)

    expect(await orgRow(orgId)).toMatchObject({ status: 'verified', name: row.name, contact_name: '王经理' })
    expect(await auditOf(orgId, 'org.profile_updated')).toEqual([])
  })
})
