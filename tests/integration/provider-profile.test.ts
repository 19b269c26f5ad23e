import { beforeEach, describe, expect, it } from 'vitest'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as profileRoute from '../../app/routes/provider.profile.js'
import * as publicPage from '../../app/routes/providers.$id.js'
import { todayInChina } from '../../app/domain/providers/schema.js'
import { insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { auditRows, countWhere, db, parse, person, watchProviderOutbox } from '../support/provider-world.js'

/*
 * A verified provider's capability profile (/provider/profile) and its public page
 * (/providers/:id): who may edit what, validation by field, the revision that refuses a
 * stale form, what the log and the search outbox are told, who sees the contact.
 */

const outbox = watchProviderOutbox()
beforeEach(() => outbox.clear())

const profileForm = (overrides: Record<string, string | string[]> = {}) => ({
  revision: '0',
  teamSize: '45',
  foundedYear: '2012',
  siteUrl: 'www.yz-zhizao.cn',
  'industries[]': ['C34', 'C36'],
  'scenarios[]': ['S305', 'S401'],
  'regions[]': ['321000', '320100'],
  addRegion: '',
  contactName: '王经理',
  contactPhone: '0514-87654321',
  description: '专注汽车零部件行业的机器视觉检测与设备联网。',
  ...overrides,
})

const save = (cookie: string, form: Record<string, string | string[]>) =>
  call(profileRoute, { method: 'POST', path: '/provider/profile', form, cookie })

const publicOf = (orgId: number, cookie?: string | null, query = '') =>
  call(publicPage, { path: `/providers/${orgId}${query}`, params: { id: String(orgId) }, cookie })

describe('/provider/profile', () => {
  it('shows the acting provider’s empty profile (revision 0) with its completeness', async () => {
    const owner = await person()
    const page = await call(profileRoute, { path: '/provider/profile', cookie: owner.cookie })
    expect(page.status).toBe(200)
    const data = parse(page)
    expect(data).toMatchObject({ orgId: owner.orgId, revision: 0, canEditContact: true, industries: [], regions: [] })
    expect(data.completeness.percent).toBe(8) // the kinds, 1 of 12
    expect(data.choices.industries).toHaveLength(31)
  })

  it('saves it: lists, contact and description, audited before → after, revision 1, provider enqueued', async () => {
    const owner = await person()
    const outcome = await save(owner.cookie, profileForm())
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/provider/profile')
    const profile = await db()
      .selectFrom('provider_profiles')
      .selectAll()
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(profile).toMatchObject({ team_size: 45, founded_year: 2012, website: 'https://www.yz-zhizao.cn', revision: 1 })
    expect(Number(profile.nationwide)).toBe(0)
    const codes = async (table: 'provider_industries' | 'provider_scenarios' | 'provider_regions', column: string) =>
      (
        await db()
          .selectFrom(table)
          .select(column as never)
          .where('org_id', '=', owner.orgId)
          .execute()
      )
        .map((r) => Object.values(r)[0] as string)
        .sort()
    expect(await codes('provider_industries', 'industry_code')).toEqual(['C34', 'C36'])
    expect(await codes('provider_scenarios', 'scenario_code')).toEqual(['S305', 'S401'])
    expect(await codes('provider_regions', 'region_code')).toEqual(['320100', '321000'])
    const org = await db().selectFrom('organisations').selectAll().where('id', '=', owner.orgId).executeTakeFirstOrThrow()
    expect(org).toMatchObject({ contact_name: '王经理', contact_phone: '0514-87654321', status: 'verified' })

    const [entry, ...more] = await auditRows('provider.profile_updated', 'organisation', owner.orgId)
    expect(more).toEqual([])
    expect(entry).toMatchObject({ actor_user_id: owner.userId, actor_org_id: owner.orgId, region_code: '321003' })
    const detail = JSON.parse(entry!.detail)
    expect(detail).toMatchObject({ revision: 1, teamSize: '— → 45', industries: '— → C34,C36' })
    expect(detail.changed.split(',')).toEqual(['teamSize', 'foundedYear', 'website', 'industries', 'scenarios', 'regions'])
    const [contact] = await auditRows('org.profile_updated', 'organisation', owner.orgId)
    expect(JSON.parse(contact!.detail)).toMatchObject({ changed: 'contactName,contactPhone,description' })
    expect(outbox.seen).toContain(owner.orgId)

    // The same form again changes nothing: no write, no entry.
    outbox.clear()
    expect((await save(owner.cookie, profileForm({ revision: '1' }))).status).toBe(302)
    expect(await auditRows('provider.profile_updated', 'organisation', owner.orgId)).toHaveLength(1)
    expect(
      (await db().selectFrom('provider_profiles').select('revision').where('org_id', '=', owner.orgId).executeTakeFirst())!
        .revision,
    ).toBe(1)
    expect(outbox.seen).not.toContain(owner.orgId)
  })

  it('keeps a region once: a city under a chosen province goes; nationwide clears the list', async () => {
    const owner = await person()
    expect((await save(owner.cookie, profileForm({ 'regions[]': ['320000', '321000'], addRegion: '621000' }))).status).toBe(302)
    const regions = await db().selectFrom('provider_regions').select('region_code').where('org_id', '=', owner.orgId).execute()
    expect(regions.map((r) => r.region_code).sort()).toEqual(['320000', '621000'])
    expect((await save(owner.cookie, profileForm({ revision: '1', nationwide: '1' }))).status).toBe(302)
    expect(await countWhere('provider_regions', owner.orgId)).toBe(0)
    const page = parse(await publicOf(owner.orgId))
    expect(page.provider).toMatchObject({ nationwide: true, regions: [] })
  })

  it('refuses a stale form with 409 and writes nothing', async () => {
    const owner = await person()
    const colleague = await person({ orgId: owner.orgId, role: 'member' })
    expect((await save(owner.cookie, profileForm({ teamSize: '40' }))).status).toBe(302)
    // The colleague filled the form in before that save (revision 0).
    const { contactName: _n, contactPhone: _p, description: _d, ...form } = profileForm({ teamSize: '99' })
    const stale = await save(colleague.cookie, form)
    expect(stale.status).toBe(409)
    expect(parse(stale)).toMatchObject({ code: 'CONFLICT', formError: 'providers.e.profileStale' })
    const row = await db().selectFrom('provider_profiles').selectAll().where('org_id', '=', owner.orgId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ team_size: 40, revision: 1 })
    expect(await auditRows('provider.profile_updated', 'organisation', owner.orgId)).toHaveLength(1)
  })

  it('refuses a profile form filled in before the contact changed on /org/edit, so the old contact is not written back', async () => {
    const owner = await person()
    expect((await save(owner.cookie, profileForm({ teamSize: '40' }))).status).toBe(302)
    const contact = { intent: 'contact', contactName: '李工', contactPhone: '13912345678', description: '专注机器视觉。' }
    expect((await call(orgEdit, { method: 'POST', path: '/org/edit', form: contact, cookie: owner.cookie })).status).toBe(302)
    // The profile form was opened at revision 1, before that change.
    const stale = await save(owner.cookie, profileForm({ revision: '1', teamSize: '41' }))
    expect(stale.status).toBe(409)
    const org = await db()
      .selectFrom('organisations')
      .select(['contact_name', 'contact_phone'])
      .where('id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(org).toEqual({ contact_name: '李工', contact_phone: '13912345678' })
    const fresh = await save(
      owner.cookie,
      profileForm({ revision: '2', teamSize: '41', contactName: '李工', contactPhone: '13912345678' }),
    )
    expect(fresh.status).toBe(302)
  })

  it('reports every bad field by name and catalogue key, and writes nothing', async () => {
    const owner = await person()
    const outcome = await save(
      owner.cookie,
      profileForm({
        teamSize: '0',
        foundedYear: String(Number(todayInChina().slice(0, 4)) + 1),
        siteUrl: 'javascript:alert(1)',
        'industries[]': ['C34', 'X9'],
        'scenarios[]': ['S305', 'bad'],
        contactPhone: 'call me',
      }),
    )
    expect(outcome.status).toBe(400)
    expect(parse(outcome)).toMatchObject({
      code: 'VALIDATION',
      fieldErrors: {
        teamSize: 'providers.v.teamSize',
        foundedYear: 'providers.v.foundedYear',
        siteUrl: 'providers.v.siteUrl',
        'industries[]': 'providers.v.industries',
        'scenarios[]': 'providers.v.scenarios',
        contactPhone: 'org.v.contactPhone',
      },
    })
    for (const year of ['1899', '20x2', '12']) {
      const bad = await save(owner.cookie, profileForm({ foundedYear: year }))
      expect(bad.status).toBe(400)
      expect(parse(bad).fieldErrors).toEqual({ foundedYear: 'providers.v.foundedYear' })
    }
    // Codes of the right shape that name nothing.
    const unknown = await save(owner.cookie, profileForm({ 'industries[]': ['C99'], 'regions[]': ['999999'] }))
    expect(unknown.status).toBe(400)
    expect(parse(unknown).fieldErrors).toEqual({ 'industries[]': 'providers.v.industries', 'regions[]': 'providers.v.regions' })
    expect(await countWhere('provider_profiles', owner.orgId)).toBe(0)
    expect(await countWhere('provider_industries', owner.orgId)).toBe(0)
    expect(await auditRows('provider.profile_updated', 'organisation', owner.orgId)).toEqual([])
  })

  it('lets any member edit the profile, but only owners the contact and description', async () => {
    const owner = await person()
    const member = await person({ orgId: owner.orgId, role: 'member' })
    const page = parse(await call(profileRoute, { path: '/provider/profile', cookie: member.cookie }))
    expect(page.canEditContact).toBe(false)
    const { contactName: _n, contactPhone: _p, description: _d, ...withoutContact } = profileForm()
    expect((await save(member.cookie, withoutContact)).status).toBe(302)
    expect(await countWhere('provider_profiles', owner.orgId)).toBe(1)
    const denied = await save(member.cookie, profileForm({ revision: '1', teamSize: '50', contactPhone: '13912345678' }))
    expect(denied.status).toBe(403)
    const row = await db().selectFrom('provider_profiles').selectAll().where('org_id', '=', owner.orgId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ team_size: 45, revision: 1 })
    const org = await db()
      .selectFrom('organisations')
      .select('contact_phone')
      .where('id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(org.contact_phone).toBe('')
  })

  it('is refused to enterprises, agencies, pending providers and visitors, writing nothing', async () => {
    const enterprise = await person({ kind: 'enterprise' })
    const agency = await person({ kind: 'agency', region: '321000' })
    const pending = await person({ status: 'pending' })
    const rejected = await person({ status: 'rejected' })
    for (const who of [enterprise, agency, pending, rejected]) {
      expect((await call(profileRoute, { path: '/provider/profile', cookie: who.cookie })).status).toBe(403)
      expect((await save(who.cookie, profileForm())).status).toBe(403)
      expect(await countWhere('provider_profiles', who.orgId)).toBe(0)
    }
    const visitor = await call(profileRoute, { path: '/provider/profile' })
    expect(visitor.status).toBe(302)
    expect(visitor.location).toMatch(/^\/login/)
    expect((await save('', profileForm())).status).toBe(302)
  })
})

describe('/providers/:id', () => {
  it('shows a verified provider to everyone, and 404 for anything else', async () => {
    const owner = await person()
    await save(owner.cookie, profileForm())
    const page = await publicOf(owner.orgId)
    expect(page.status).toBe(200)
    expect(parse(page).provider).toMatchObject({
      id: owner.orgId,
      kinds: ['integrator'],
      teamSize: 45,
      foundedYear: 2012,
      website: 'https://www.yz-zhizao.cn',
      industries: [{ code: 'C34' }, { code: 'C36' }],
      scenarios: [{ code: 'S305' }, { code: 'S401' }],
      rating: { count: 0, average: null },
      own: false,
      completeness: null,
    })
    const pendingProvider = await insertOrg(db(), { kind: 'provider', status: 'pending' })
    const rejectedProvider = await insertOrg(db(), { kind: 'provider', status: 'rejected' })
    const enterprise = await insertOrg(db(), { kind: 'enterprise' })
    for (const id of [pendingProvider, rejectedProvider, enterprise, 2147480000]) {
      expect((await publicOf(id)).status).toBe(404)
    }
    // Its own members do not see it while pending either.
    const pendingMember = await person({ status: 'pending' })
    expect((await publicOf(pendingMember.orgId, pendingMember.cookie)).status).toBe(404)
    for (const bad of ['0x10', '1e3', '0', '-1']) {
      expect((await call(publicPage, { path: `/providers/${bad}`, params: { id: bad } })).status).toBe(404)
    }
  })

  it('shows the contact to verified organisations and its members only; the meter to its members', async () => {
    const owner = await person()
    await save(owner.cookie, profileForm())
    const anonymous = parse(await publicOf(owner.orgId)).provider
    expect(anonymous).toMatchObject({ contact: null, contactHidden: 'signIn' })
    const pendingEnterprise = await person({ kind: 'enterprise', status: 'pending' })
    expect(parse(await publicOf(owner.orgId, pendingEnterprise.cookie)).provider).toMatchObject({
      contact: null,
      contactHidden: 'verifiedOnly',
    })
    const enterprise = await person({ kind: 'enterprise' })
    expect(parse(await publicOf(owner.orgId, enterprise.cookie)).provider).toMatchObject({
      contact: { name: '王经理', phone: '0514-87654321' },
      contactHidden: null,
      own: false,
      completeness: null,
    })
    const own = parse(await publicOf(owner.orgId, owner.cookie)).provider
    expect(own.own).toBe(true)
    const missing = own.completeness.items.filter((i: { filled: boolean }) => !i.filled).map((i: { key: string }) => i.key)
    expect(missing).toEqual(['qualifications', 'cases', 'caseMetrics', 'templates'])
    expect(own.completeness.percent).toBe(67)
    const hrefOf = (key: string) => own.completeness.items.find((i: { key: string }) => i.key === key).href
    expect(hrefOf('cases')).toBe('/provider/cases/new')
    // The templates context's workspace (org.templates.new).
    expect(hrefOf('templates')).toBe('/org/templates/new')
  })

  it('lists the provider’s active standard contracts only, with an empty rating summary', async () => {
    const owner = await person()
    const now = new Date().toISOString()
    for (const [title, status] of [
      ['汽车零部件视觉检测标准合同', 'active'],
      ['已归档的设备联网合同', 'archived'],
    ] as const) {
      await db()
        .insertInto('contract_templates')
        .values({ org_id: owner.orgId, title, industry_code: 'C36', status, created_at: now, updated_at: now })
        .execute()
    }
    const page = parse(await publicOf(owner.orgId)).provider
    expect(page.templates).toMatchObject([{ title: '汽车零部件视觉检测标准合同', isOfficial: false, version: 1 }])
    expect(page.rating).toEqual({ count: 0, average: null })
  })
})
