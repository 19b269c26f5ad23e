import { beforeAll, describe, expect, it } from 'vitest'
import { isEngagedDiagnoser } from '../../app/domain/diagnosis/access.server.js'
import * as projectRoute from '../../app/routes/diagnoses.$id._index.js'
import * as listRoute from '../../app/routes/diagnoses._index.js'
import * as newRoute from '../../app/routes/diagnoses.new.js'
import * as archiveRoute from '../../app/routes/enterprises.$id.js'
import { call } from '../support/http.js'
import { auditRows, parse } from '../support/provider-world.js'
import { consultancy, db, person, type Person } from '../support/diagnosis-service-world.js'

/*
 * Diagnosis projects (issue 12 item 2): an enterprise's owner chooses a verified
 * consultancy provider (active at once, report version 1 drafted); a consultancy
 * provider proposes to a verified enterprise (proposed), the owner accepts or declines;
 * an agency assigns a diagnoser to an enterprise of its jurisdiction; either party
 * cancels before completion. One live project per pair (diagnoses_live_uq → 409).
 * Who sees what: a diagnoser only enterprises that accepted it; an enterprise never
 * another's project; an agency only its jurisdiction.
 */

interface World {
  enterprise: Person
  enterpriseMember: Person
  otherEnterprise: Person
  farEnterprise: Person
  provider: Person
  providerMember: Person
  otherProvider: Person
  integrator: Person
  agency: Person
  agencyViewer: Person
  farAgency: Person
}
let w: World

beforeAll(async () => {
  const enterprise = await person({ kind: 'enterprise', region: '321023' })
  const provider = await consultancy()
  w = {
    enterprise,
    enterpriseMember: await person({ orgId: enterprise.orgId, role: 'member' }),
    otherEnterprise: await person({ kind: 'enterprise', region: '321023' }),
    farEnterprise: await person({ kind: 'enterprise', region: '620100' }),
    provider,
    providerMember: await person({ orgId: provider.orgId, role: 'member' }),
    otherProvider: await consultancy(),
    integrator: await consultancy({ kinds: ['integrator'] }),
    agency: await person({ kind: 'agency', region: '321000' }),
    agencyViewer: await person({ kind: 'agency', region: '321000', role: 'viewer' }),
    farAgency: await person({ kind: 'agency', region: '620000' }),
  }
})

const start = (who: Person, form: Record<string, string>) =>
  call(newRoute, { method: 'POST', path: '/diagnoses/new', form, cookie: who.cookie })
const idFrom = (location: string | null) => Number(/\/diagnoses\/(\d+)/.exec(location ?? '')?.[1])
const page = (who: Person, id: number) =>
  call(projectRoute, { path: `/diagnoses/${id}`, params: { id: String(id) }, cookie: who.cookie })
const act = (who: Person, id: number, form: Record<string, string>) =>
  call(projectRoute, { method: 'POST', path: `/diagnoses/${id}`, params: { id: String(id) }, form, cookie: who.cookie })
const list = (who: Person, query = '') => call(listRoute, { path: `/diagnoses${query}`, cookie: who.cookie })
const row = async (id: number) => db().selectFrom('diagnoses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const versions = async (id: number) =>
  db()
    .selectFrom('diagnosis_report_versions')
    .select(['version', 'status'])
    .where('diagnosis_id', '=', id)
    .orderBy('version')
    .execute()

async function engaged(enterprise: Person, provider: Person, kind = 'factory'): Promise<number> {
  const outcome = await start(enterprise, { intent: 'engage', providerOrgId: String(provider.orgId), kind })
  expect(outcome.status).toBe(302)
  return idFrom(outcome.location)
}

async function cancel(who: Person, id: number) {
  return act(who, id, { intent: 'cancel', reason: '' })
}

describe('an enterprise chooses a diagnoser', () => {
  it('starts an active project with version 1 drafted, audited', async () => {
    const id = await engaged(w.enterprise, w.provider)
    const d = await row(id)
    expect(d).toMatchObject({ status: 'active', origin: 'enterprise', kind: 'factory', assigned_by_org_id: null })
    expect(d.responded_by).toBe(w.enterprise.userId)
    expect(await versions(id)).toEqual([{ version: 1, status: 'draft' }])
    expect(await auditRows('diagnosis.engaged', 'diagnosis', id)).toHaveLength(1)
    expect(await isEngagedDiagnoser(db(), w.provider.orgId, w.enterprise.orgId)).toBe(true)
    expect((await cancel(w.enterprise, id)).status).toBe(302)
  })

  it('refuses a provider without the consultancy kind, naming the field (400)', async () => {
    const outcome = await start(w.enterprise, { intent: 'engage', providerOrgId: String(w.integrator.orgId), kind: 'factory' })
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toEqual({ providerOrgId: 'diagnosis.v.provider' })
  })

  it('only the owner engages (a member 403), and a second live project of the pair is a conflict (409)', async () => {
    const member = await start(w.enterpriseMember, {
      intent: 'engage',
      providerOrgId: String(w.otherProvider.orgId),
      kind: 'workshop',
    })
    expect(member.status).toBe(403)
    const id = await engaged(w.enterprise, w.otherProvider, 'workshop')
    const again = await start(w.enterprise, {
      intent: 'engage',
      providerOrgId: String(w.otherProvider.orgId),
      kind: 'digital_app',
    })
    expect(again.status).toBe(409)
    expect(parse(again).fieldErrors).toEqual({ providerOrgId: 'diagnosis.e.livePair' })
    // Once cancelled, the pair may start again.
    expect((await cancel(w.otherProvider, id)).status).toBe(302)
    expect((await row(id)).status).toBe('cancelled')
    const next = await engaged(w.enterprise, w.otherProvider, 'digital_app')
    expect(next).not.toBe(id)
    expect((await cancel(w.enterprise, next)).status).toBe(302)
  })

  it('refuses an unknown kind (400 on kind)', async () => {
    const outcome = await start(w.enterprise, { intent: 'engage', providerOrgId: String(w.provider.orgId), kind: 'palace' })
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors.kind).toBe('diagnosis.v.kind')
  })
})

describe('a provider proposes, the enterprise answers', () => {
  it('a proposal shows nothing of the enterprise archive until accepted', async () => {
    const outcome = await start(w.provider, {
      intent: 'propose',
      enterpriseOrgId: String(w.otherEnterprise.orgId),
      kind: 'workshop',
    })
    expect(outcome.status).toBe(302)
    const id = idFrom(outcome.location)
    expect(await row(id)).toMatchObject({ status: 'proposed', origin: 'provider' })
    expect(await versions(id)).toEqual([])
    expect(await isEngagedDiagnoser(db(), w.provider.orgId, w.otherEnterprise.orgId)).toBe(false)
    const seen = parse(await page(w.provider, id)).project
    expect(seen.engaged).toBe(false)
    expect(seen.current).toBeNull()
    expect(seen.actions).toMatchObject({ accept: false, edit: false, cancel: true })
    const archive = (who: Person) =>
      call(archiveRoute, {
        path: `/enterprises/${w.otherEnterprise.orgId}`,
        params: { id: String(w.otherEnterprise.orgId) },
        cookie: who.cookie,
      })
    expect((await archive(w.provider)).status).toBe(404)

    // A member of the enterprise sees it but may not answer; the owner accepts.
    expect(parse(await page(w.otherEnterprise, id)).project.actions).toMatchObject({ accept: true, decline: true })
    expect((await act(w.provider, id, { intent: 'accept' })).status).toBe(403)
    expect((await act(w.otherEnterprise, id, { intent: 'accept' })).status).toBe(302)
    expect(await row(id)).toMatchObject({ status: 'active', responded_by: w.otherEnterprise.userId })
    expect(await versions(id)).toEqual([{ version: 1, status: 'draft' }])
    expect(await isEngagedDiagnoser(db(), w.provider.orgId, w.otherEnterprise.orgId)).toBe(true)
    expect((await archive(w.provider)).status).toBe(200)
    expect((await archive(w.otherProvider)).status).toBe(404)
    expect(await auditRows('diagnosis.accepted', 'diagnosis', id)).toHaveLength(1)
    // Answered once: a second answer is refused.
    expect((await act(w.otherEnterprise, id, { intent: 'decline', reason: '' })).status).toBe(409)
    expect((await cancel(w.otherEnterprise, id)).status).toBe(302)
  })

  it('the enterprise declines with a reason; a member may not', async () => {
    const outcome = await start(w.otherProvider, {
      intent: 'propose',
      enterpriseOrgId: String(w.otherEnterprise.orgId),
      kind: 'factory',
    })
    const id = idFrom(outcome.location)
    const member = await person({ orgId: w.otherEnterprise.orgId, role: 'member' })
    expect((await act(member, id, { intent: 'decline', reason: '' })).status).toBe(403)
    expect((await act(w.otherEnterprise, id, { intent: 'decline', reason: '已有合作机构' })).status).toBe(302)
    expect(await row(id)).toMatchObject({ status: 'declined', note: '已有合作机构' })
    expect(await auditRows('diagnosis.declined', 'diagnosis', id)).toHaveLength(1)
    // Declined is final: neither cancel nor accept.
    expect((await cancel(w.otherProvider, id)).status).toBe(409)
  })

  it('a provider without the consultancy kind may not propose (403), nor to an unverified enterprise (400)', async () => {
    const outcome = await start(w.integrator, { intent: 'propose', enterpriseOrgId: String(w.enterprise.orgId), kind: 'factory' })
    expect(outcome.status).toBe(403)
    const pending = await person({ kind: 'enterprise', status: 'pending' })
    const refused = await start(w.provider, { intent: 'propose', enterpriseOrgId: String(pending.orgId), kind: 'factory' })
    expect(refused.status).toBe(400)
    expect(parse(refused).fieldErrors).toEqual({ enterpriseOrgId: 'diagnosis.v.enterprise' })
  })

  it('the provider finds enterprises by name or USCC, learning only name and region', async () => {
    const org = await db()
      .selectFrom('organisations')
      .select(['name', 'uscc'])
      .where('id', '=', w.farEnterprise.orgId)
      .executeTakeFirstOrThrow()
    const byName = parse(
      await call(newRoute, { path: `/diagnoses/new?q=${encodeURIComponent(org.name.slice(-4))}`, cookie: w.provider.cookie }),
    )
    expect(byName.mode).toBe('propose')
    expect(byName.enterprises.map((e: { orgId: number }) => e.orgId)).toContain(w.farEnterprise.orgId)
    expect(Object.keys(byName.enterprises[0]).sort()).toEqual(['name', 'orgId', 'regionName'])
    const byUscc = parse(await call(newRoute, { path: `/diagnoses/new?q=${org.uscc}`, cookie: w.provider.cookie }))
    expect(byUscc.enterprises).toEqual([expect.objectContaining({ orgId: w.farEnterprise.orgId })])
  })
})

describe('an agency assigns a diagnoser', () => {
  it('within its jurisdiction: active, origin agency, assigned_by recorded', async () => {
    const outcome = await start(w.agency, {
      intent: 'assign',
      enterpriseOrgId: String(w.otherEnterprise.orgId),
      providerOrgId: String(w.otherProvider.orgId),
      kind: 'workshop',
    })
    expect(outcome.status).toBe(302)
    const id = idFrom(outcome.location)
    expect(await row(id)).toMatchObject({ status: 'active', origin: 'agency', assigned_by_org_id: w.agency.orgId })
    expect(await auditRows('diagnosis.assigned', 'diagnosis', id)).toHaveLength(1)
    // The assigning agency may cancel it.
    expect((await cancel(w.agency, id)).status).toBe(302)
  })

  it('refuses an enterprise outside its jurisdiction (403), and viewers (403)', async () => {
    const far = await start(w.agency, {
      intent: 'assign',
      enterpriseOrgId: String(w.farEnterprise.orgId),
      providerOrgId: String(w.provider.orgId),
      kind: 'workshop',
    })
    expect(far.status).toBe(403)
    const viewer = await start(w.agencyViewer, {
      intent: 'assign',
      enterpriseOrgId: String(w.otherEnterprise.orgId),
      providerOrgId: String(w.provider.orgId),
      kind: 'workshop',
    })
    expect(viewer.status).toBe(403)
  })
})

describe('who sees a project', () => {
  let id: number
  beforeAll(async () => {
    id = await engaged(w.enterprise, w.provider)
  })

  it('its parties and agencies over the region; nobody else (404)', async () => {
    expect((await page(w.enterprise, id)).status).toBe(200)
    expect((await page(w.enterpriseMember, id)).status).toBe(200)
    expect((await page(w.provider, id)).status).toBe(200)
    expect((await page(w.providerMember, id)).status).toBe(200)
    expect((await page(w.agency, id)).status).toBe(200)
    expect((await page(w.agencyViewer, id)).status).toBe(200)
    expect((await page(w.otherEnterprise, id)).status).toBe(404)
    expect((await page(w.otherProvider, id)).status).toBe(404)
    expect((await page(w.farAgency, id)).status).toBe(404)
    expect((await call(projectRoute, { path: `/diagnoses/${id}`, params: { id: String(id) } })).status).toBe(302)
  })

  it('lists: each side its own projects, with counts per tab and progress', async () => {
    const mine = parse(await list(w.enterprise))
    expect(mine.list.side).toBe('enterprise')
    expect(mine.list.items.map((i: { id: number }) => i.id)).toContain(id)
    expect(mine.list.counts.all).toBeGreaterThanOrEqual(mine.list.counts.active + mine.list.counts.closed)
    const theirs = parse(await list(w.otherEnterprise))
    expect(theirs.list.items.map((i: { id: number }) => i.id)).not.toContain(id)
    const provider = parse(await list(w.provider, '?status=active'))
    expect(provider.list.side).toBe('provider')
    const item = provider.list.items.find((i: { id: number }) => i.id === id)
    expect(item.progress.lines.map((l: { kind: string; required: number }) => [l.kind, l.required])).toEqual([
      ['site_visit', 8],
      ['training', 2],
      ['briefing', 2],
    ])
    expect(parse(await list(w.agency)).list.items.map((i: { id: number }) => i.id)).toContain(id)
    expect(parse(await list(w.farAgency)).list.items.map((i: { id: number }) => i.id)).not.toContain(id)
    expect(parse(await list(w.otherProvider, '?status=active')).list.items.map((i: { id: number }) => i.id)).not.toContain(id)
  })

  it('an enterprise never sees a draft (neither in the list nor on the page)', async () => {
    const mine = parse(await list(w.enterprise, '?status=active')).list.items.find((i: { id: number }) => i.id === id)
    expect(mine.latestVersion).toBeNull()
    const seen = parse(await page(w.enterprise, id)).project
    expect(seen.current).toBeNull()
    expect(seen.draftInProgress).toBe(true)
    expect(parse(await page(w.provider, id)).project.current.status).toBe('draft')
  })

  it('only the parties cancel, and a cancelled project cannot be cancelled again', async () => {
    expect((await cancel(w.otherEnterprise, id)).status).toBe(404)
    expect((await cancel(w.enterpriseMember, id)).status).toBe(403)
    expect((await cancel(w.agency, id)).status).toBe(403)
    // Asked first (the confirm step), then done.
    const ask = await act(w.enterprise, id, { intent: 'cancel', reason: '', _confirm: 'ask' })
    expect(ask.status).toBe(200)
    expect((await row(id)).status).toBe('active')
    expect((await cancel(w.enterprise, id)).status).toBe(302)
    expect(await auditRows('diagnosis.cancelled', 'diagnosis', id)).toHaveLength(1)
    expect((await cancel(w.provider, id)).status).toBe(409)
  })
})
