import { describe, expect, it } from 'vitest'
import * as editRoute from '../../app/routes/enterprise.archive.js'
import * as pageRoute from '../../app/routes/enterprises.$id.js'
import { archiveCompleteness, EMPTY_FIGURES } from '../../app/domain/enterprises/completeness.js'
import { addYears, ZArchiveInput } from '../../app/domain/enterprises/schema.js'
import { titleFlag } from '../../app/domain/enterprises/archive.server.js'
import { titlesForPolicy } from '../../app/domain/policy/titles.server.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { auditRows, db, parse, person } from '../support/provider-world.js'

/*
 * The enterprise archive (一企一档): the acting enterprise edits it (/enterprise/archive),
 * field errors by name, the revision that refuses a stale form, the audit log's changes
 * (only the fields changed) and the titles held; the archive page (/enterprises/:id)
 * and who reads it: members, agencies over its region, a diagnoser while engaged; 404
 * for everyone else.
 */

const enterprise = (o: { region?: string; role?: 'owner' | 'member'; orgId?: number; status?: 'pending' | 'verified' } = {}) =>
  person({ kind: 'enterprise', region: o.region ?? '321023', role: o.role, orgId: o.orgId, status: o.status })

const archiveForm = (overrides: Record<string, string> = {}) => ({
  intent: 'archive',
  revision: '0',
  sizeBand: 'medium',
  aboveScale: '1',
  revenueBand: '10k_40k',
  staffBand: '300_999',
  mainProducts: '汽车冲压件、精密模具',
  rdToolsPct: '85.5',
  equipmentNcPct: '62',
  keyProcessNcPct: '70',
  mgmtDigitalPct: '90',
  mesCoveragePct: '40',
  maturityLevel: '3',
  indicatorsYear: '2025',
  ...overrides,
})

const post = (cookie: string, form: Record<string, string>) =>
  call(editRoute, { method: 'POST', path: '/enterprise/archive', form, cookie })
const edit = (cookie: string, query = '') => call(editRoute, { path: `/enterprise/archive${query}`, cookie })
const pageOf = (orgId: number, cookie: string | null, query = '') =>
  call(pageRoute, { path: `/enterprises/${orgId}${query}`, params: { id: String(orgId) }, cookie })

async function diagnosis(
  enterpriseId: number,
  providerId: number,
  status: 'proposed' | 'active' | 'completed' | 'declined' | 'cancelled',
  kind = 'factory',
) {
  const now = new Date().toISOString()
  const row = await db()
    .insertInto('diagnoses')
    .values({
      enterprise_org_id: enterpriseId,
      provider_org_id: providerId,
      kind: kind as 'factory',
      status,
      origin: 'enterprise',
      completed_at: status === 'completed' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('/enterprise/archive', () => {
  it('shows an empty archive (revision 0) with its completeness: the industry only', async () => {
    const owner = await enterprise()
    const page = await edit(owner.cookie)
    expect(page.status).toBe(200)
    const data = parse(page)
    expect(data.archive).toMatchObject({ revision: 0, sizeBand: null, aboveScale: false, rdToolsPct: null })
    expect(data.basics.orgId).toBe(owner.orgId)
    expect(data.completeness.percent).toBe(8) // 1 of 12
    expect(data.completeness.missing.map((i: { key: string }) => i.key)).toContain('rdToolsPct')
    expect(data.completeness.missing.find((i: { key: string }) => i.key === 'rdToolsPct').href).toBe(
      '/enterprise/archive#rdToolsPct',
    )
  })

  it('saves it, audits only the fields changed as [before, after], and a save changing nothing writes nothing', async () => {
    const owner = await enterprise()
    const first = await post(owner.cookie, archiveForm())
    expect(first.status).toBe(302)
    expect(first.location).toBe('/enterprise/archive')
    const row = await db()
      .selectFrom('enterprise_profiles')
      .selectAll()
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      size_band: 'medium',
      revenue_band: '10k_40k',
      staff_band: '300_999',
      maturity_level: 3,
      indicators_year: 2025,
      revision: 1,
    })
    expect(Number(row.above_scale)).toBe(1)
    expect(Number(row.rd_tools_pct)).toBe(85.5)
    expect(parse(await edit(owner.cookie)).completeness.percent).toBe(100)

    const second = await post(owner.cookie, archiveForm({ revision: '1', mesCoveragePct: '55.5', sizeBand: 'large' }))
    expect(second.status).toBe(302)
    const unchanged = await post(owner.cookie, archiveForm({ revision: '2', mesCoveragePct: '55.5', sizeBand: 'large' }))
    expect(unchanged.status).toBe(302)

    const audits = await auditRows('enterprise.profile_updated', 'enterprise_profile', owner.orgId)
    expect(audits).toHaveLength(2)
    expect(audits[0]!.actor_user_id).toBe(owner.userId)
    expect(audits[0]!.region_code).toBe('321023')
    const firstChanges = JSON.parse(audits[0]!.detail).changes
    expect(firstChanges.sizeBand).toEqual([null, 'medium'])
    expect(firstChanges.aboveScale).toEqual([false, true])
    expect(firstChanges.rdToolsPct).toEqual([null, 85.5])
    expect(JSON.parse(audits[1]!.detail)).toEqual({
      revision: 2,
      changes: { sizeBand: ['medium', 'large'], mesCoveragePct: [40, 55.5] },
    })
  })

  it('refuses a stale revision with 409 and writes nothing', async () => {
    const owner = await enterprise()
    const colleague = await enterprise({ orgId: owner.orgId, role: 'member' })
    expect((await post(owner.cookie, archiveForm())).status).toBe(302)
    const stale = await post(colleague.cookie, archiveForm({ sizeBand: 'small' }))
    expect(stale.status).toBe(409)
    expect(parse(stale)).toMatchObject({ code: 'CONFLICT', formError: 'enterprises.e.stale' })
    const row = await db()
      .selectFrom('enterprise_profiles')
      .select('size_band')
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(row.size_band).toBe('medium')
    // Any active member edits (the colleague, on the current revision).
    expect((await post(colleague.cookie, archiveForm({ revision: '1', sizeBand: 'small' }))).status).toBe(302)
  })

  it('names each invalid field by its key', async () => {
    const owner = await enterprise()
    const outcome = await post(
      owner.cookie,
      archiveForm({
        sizeBand: 'huge',
        rdToolsPct: '101',
        equipmentNcPct: '62.55',
        keyProcessNcPct: 'abc',
        maturityLevel: '6',
        indicatorsYear: '1999',
        mainProducts: '产'.repeat(501),
      }),
    )
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toEqual({
      sizeBand: 'enterprises.v.choice',
      rdToolsPct: 'enterprises.v.percent',
      equipmentNcPct: 'enterprises.v.percent',
      keyProcessNcPct: 'enterprises.v.percent',
      maturityLevel: 'enterprises.v.maturity',
      indicatorsYear: 'enterprises.v.year',
      mainProducts: 'enterprises.v.mainProductsTooLong',
    })
    const noYear = await post(owner.cookie, archiveForm({ indicatorsYear: '' }))
    expect(parse(noYear).fieldErrors).toEqual({ indicatorsYear: 'enterprises.v.yearRequired' })
    expect(await db().selectFrom('enterprise_profiles').select('org_id').where('org_id', '=', owner.orgId).execute()).toEqual([])
  })

  it('forgives full-width digits and a percent sign; blanks are 未填 (null)', () => {
    const parsed = ZArchiveInput.parse({ revision: '0', rdToolsPct: '８５．５％', equipmentNcPct: '', indicatorsYear: '2024' })
    expect(parsed).toMatchObject({ rdToolsPct: 85.5, equipmentNcPct: null, sizeBand: null, aboveScale: false, mainProducts: '' })
  })

  it('is for enterprises: providers and agencies are refused, a rejected enterprise too', async () => {
    const provider = await person({ kind: 'provider' })
    expect((await edit(provider.cookie)).status).toBe(403)
    expect((await post(provider.cookie, archiveForm())).status).toBe(403)
    const agency = await person({ kind: 'agency', region: '321000' })
    expect((await edit(agency.cookie)).status).toBe(403)
    const rejectedId = await insertOrg(db(), { kind: 'enterprise', status: 'rejected' })
    const rejected = await enterprise({ orgId: rejectedId })
    expect((await post(rejected.cookie, archiveForm())).status).toBe(403)
    // An enterprise waiting for its audit already keeps its archive.
    const pending = await enterprise({ status: 'pending' })
    expect((await post(pending.cookie, archiveForm())).status).toBe(302)
  })
})

describe('titles held (智能工厂梯度)', () => {
  const titleForm = (overrides: Record<string, string> = {}) => ({
    intent: 'addTitle',
    title: 'advanced',
    scene: '',
    issuer: '江苏省工业和信息化厅',
    awardedOn: '2024-05-20',
    expiresOn: '',
    status: 'held',
    ...overrides,
  })

  it('adds one (expiry three years after the award by default), changes it on its version, removes it; each audited', async () => {
    const owner = await enterprise()
    const added = await post(owner.cookie, titleForm())
    expect(added.status).toBe(302)
    const [title] = parse(await edit(owner.cookie)).titles
    expect(title).toMatchObject({
      title: 'advanced',
      issuer: '江苏省工业和信息化厅',
      awardedOn: '2024-05-20',
      expiresOn: '2027-05-20',
      status: 'held',
    })

    const updated = await post(
      owner.cookie,
      titleForm({ intent: 'updateTitle', id: String(title.id), version: title.version, status: 'downgraded' }),
    )
    expect(updated.status).toBe(302)
    const stale = await post(
      owner.cookie,
      titleForm({ intent: 'updateTitle', id: String(title.id), version: title.version, issuer: '扬州市工信局' }),
    )
    expect(stale.status).toBe(409)
    expect(parse(stale).formError).toBe('enterprises.e.titleStale')

    const [now] = parse(await edit(owner.cookie)).titles
    // Without scripts a removal asks first: nothing is written.
    const asked = await post(owner.cookie, { intent: 'removeTitle', id: String(now.id), version: now.version, _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(parse(await edit(owner.cookie)).titles).toHaveLength(1)
    const removed = await post(owner.cookie, { intent: 'removeTitle', id: String(now.id), version: now.version })
    expect(removed.status).toBe(302)
    expect(parse(await edit(owner.cookie)).titles).toHaveLength(0)

    const added_ = await auditRows('enterprise.title_added', 'enterprise_title', owner.orgId)
    const updated_ = await auditRows('enterprise.title_updated', 'enterprise_title', owner.orgId)
    const removed_ = await auditRows('enterprise.title_removed', 'enterprise_title', owner.orgId)
    expect(added_).toHaveLength(1)
    expect(JSON.parse(added_[0]!.detail)).toMatchObject({
      titleId: title.id,
      changes: { title: [null, 'advanced'], expiresOn: [null, '2027-05-20'] },
    })
    expect(JSON.parse(updated_[0]!.detail)).toEqual({
      titleId: title.id,
      title: 'advanced',
      changes: { status: ['held', 'downgraded'] },
    })
    expect(JSON.parse(removed_[0]!.detail).changes.status).toEqual(['downgraded', null])
  })

  it('checks the form: a scene for 优秀场景, dates, expiry after award', async () => {
    const owner = await enterprise()
    const outcome = await post(
      owner.cookie,
      titleForm({ title: 'excellent_scenario', awardedOn: '2024-02-30', expiresOn: 'soon' }),
    )
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toEqual({
      scene: 'enterprises.v.sceneRequired',
      awardedOn: 'enterprises.v.awardedOn',
      expiresOn: 'enterprises.v.expiresOn',
    })
    const order = await post(owner.cookie, titleForm({ awardedOn: '2024-05-20', expiresOn: '2024-05-01' }))
    expect(parse(order).fieldErrors).toEqual({ expiresOn: 'enterprises.v.expiresBeforeAwarded' })
    const noTitle = await post(owner.cookie, titleForm({ title: '' }))
    expect(parse(noTitle).fieldErrors).toEqual({ title: 'enterprises.v.title' })
  })

  it('records the reward received (万元, two decimals) that the policy estimates deduct, audited; a malformed amount is refused', async () => {
    const owner = await enterprise()
    const bad = await post(owner.cookie, titleForm({ rewardWan: '30.125' }))
    expect(bad.status).toBe(400)
    expect(parse(bad).fieldErrors).toEqual({ rewardWan: 'enterprises.v.rewardWan' })
    expect(parse(await edit(owner.cookie)).titles).toHaveLength(0)

    expect(
      (await post(owner.cookie, titleForm({ title: 'excellent_scenario', scene: '智能在线检测', rewardWan: '30' }))).status,
    ).toBe(302)
    const [title] = parse(await edit(owner.cookie)).titles
    expect(title.rewardWan).toBe(30)
    const held = await titlesForPolicy(db(), owner.orgId)
    expect(held.map((t) => t.rewardWan)).toEqual([30])

    const changed = await post(
      owner.cookie,
      titleForm({
        intent: 'updateTitle',
        id: String(title.id),
        version: title.version,
        title: 'excellent_scenario',
        scene: '智能在线检测',
        rewardWan: '29.5',
      }),
    )
    expect(changed.status).toBe(302)
    const updated = await auditRows('enterprise.title_updated', 'enterprise_title', owner.orgId)
    expect(JSON.parse(updated[0]!.detail).changes).toEqual({ rewardWan: [30, 29.5] })
    expect((await titlesForPolicy(db(), owner.orgId))[0]!.rewardWan).toBe(29.5)
  })

  it("never touches another enterprise's title (404)", async () => {
    const a = await enterprise()
    const b = await enterprise()
    await post(a.cookie, titleForm())
    const [title] = parse(await edit(a.cookie)).titles
    const outcome = await post(
      b.cookie,
      titleForm({ intent: 'updateTitle', id: String(title.id), version: title.version, status: 'revoked' }),
    )
    expect(outcome.status).toBe(404)
    const removal = await post(b.cookie, { intent: 'removeTitle', id: String(title.id), version: title.version })
    expect(removal.status).toBe(404)
  })

  it('flags a held title past its expiry, and one due for review within three months', () => {
    expect(titleFlag({ status: 'held', expires_on: '2026-01-01' }, '2026-01-01')).toBe('expired')
    expect(titleFlag({ status: 'held', expires_on: '2026-03-31' }, '2026-01-01')).toBe('reviewSoon')
    expect(titleFlag({ status: 'held', expires_on: '2026-04-02' }, '2026-01-01')).toBeNull()
    expect(titleFlag({ status: 'revoked', expires_on: '2020-01-01' }, '2026-01-01')).toBeNull()
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28')
  })
})

describe('/enterprises/:id', () => {
  it('shows members the archive, its needs of every status (workspace links), and its history newest first', async () => {
    const owner = await enterprise()
    await post(owner.cookie, archiveForm())
    await post(owner.cookie, archiveForm({ revision: '1', rdToolsPct: '88' }))
    await post(owner.cookie, { intent: 'addTitle', title: 'basic', awardedOn: '2023-01-10' })
    const draft = await insertNeed(db(), owner.orgId, { status: 'draft' })
    const page = await pageOf(owner.orgId, owner.cookie)
    expect(page.status).toBe(200)
    const data = parse(page)
    expect(data).toMatchObject({ reader: 'member', canEdit: true })
    expect(data.archive.rdToolsPct).toBe(88)
    expect(data.needs).toEqual([expect.objectContaining({ id: draft, status: 'draft', href: `/enterprise/needs/${draft}` })])
    expect(data.history.total).toBe(3)
    const [latest, middle, first] = data.history.entries
    expect(latest.action).toBe('enterprise.title_added')
    expect(latest.title).toBe('basic')
    expect(middle.changes).toEqual([{ field: 'rdToolsPct', before: 85.5, after: 88 }])
    expect(first.changes.length).toBe(12)
    expect(first.actorName).toBe('测试人员')
  })

  it('pages the history (20 a page)', async () => {
    const owner = await enterprise()
    for (let i = 0; i < 22; i += 1) {
      await post(owner.cookie, archiveForm({ revision: String(i), rdToolsPct: String(50 + i) }))
    }
    const second = parse(await pageOf(owner.orgId, owner.cookie, '?page=2'))
    expect(second.history).toMatchObject({ page: 2, pageCount: 2, total: 22 })
    expect(second.history.entries).toHaveLength(2)
  })

  it('is 404 for another enterprise, an agency elsewhere and a provider that never diagnosed it; agencies over it read it', async () => {
    const owner = await enterprise({ region: '321023' })
    const other = await enterprise({ region: '321023' })
    expect((await pageOf(owner.orgId, other.cookie)).status).toBe(404)
    const elsewhere = await person({ kind: 'agency', region: '620000' })
    expect((await pageOf(owner.orgId, elsewhere.cookie)).status).toBe(404)
    const city = await person({ kind: 'agency', region: '321000' })
    const draft = await insertNeed(db(), owner.orgId, { status: 'draft' })
    const published = await insertNeed(db(), owner.orgId)
    const cityPage = await pageOf(owner.orgId, city.cookie)
    expect(cityPage.status).toBe(200)
    expect(parse(cityPage)).toMatchObject({ reader: 'agency', canEdit: false })
    // Agencies see every need; the public page links those published.
    expect(parse(cityPage).needs).toEqual([
      expect.objectContaining({ id: published, href: `/needs/${published}` }),
      expect.objectContaining({ id: draft, status: 'draft', href: null }),
    ])
    const viewer = await person({ kind: 'agency', orgId: city.orgId, role: 'viewer' })
    expect((await pageOf(owner.orgId, viewer.cookie)).status).toBe(200)
    const pendingAgency = await person({ kind: 'agency', region: '321000', status: 'pending' })
    expect((await pageOf(owner.orgId, pendingAgency.cookie)).status).toBe(404)
    const provider = await person({ kind: 'provider' })
    expect((await pageOf(owner.orgId, provider.cookie)).status).toBe(404)
    // An id that names no enterprise answers the same.
    expect((await pageOf(provider.orgId, city.cookie)).status).toBe(404)
    expect((await pageOf(2_000_000_000, owner.cookie)).status).toBe(404)
  })

  it('lets a diagnoser read it only while a project is active or completed, with its own projects and the published needs', async () => {
    const owner = await enterprise()
    const diagnoser = await person({ kind: 'provider' })
    const rival = await person({ kind: 'provider' })
    await insertNeed(db(), owner.orgId, { status: 'draft' })
    const published = await insertNeed(db(), owner.orgId)

    const declined = await diagnosis(owner.orgId, diagnoser.orgId, 'proposed')
    expect((await pageOf(owner.orgId, diagnoser.cookie)).status).toBe(404)
    await db().updateTable('diagnoses').set({ status: 'declined' }).where('provider_org_id', '=', diagnoser.orgId).execute()
    expect((await pageOf(owner.orgId, diagnoser.cookie)).status).toBe(404)

    const active = await diagnosis(owner.orgId, diagnoser.orgId, 'active', 'workshop')
    await diagnosis(owner.orgId, rival.orgId, 'completed', 'chain')
    const page = await pageOf(owner.orgId, diagnoser.cookie)
    expect(page.status).toBe(200)
    const data = parse(page)
    expect(data.reader).toBe('diagnoser')
    // Its own projects only (the declined proposal too), never the rival's.
    expect(data.diagnoses.map((d: { id: number }) => d.id)).toEqual([active, declined])
    expect(data.needs).toEqual([expect.objectContaining({ id: published, href: `/needs/${published}` })])

    await db().updateTable('diagnoses').set({ status: 'cancelled' }).where('id', '=', active).execute()
    expect((await pageOf(owner.orgId, diagnoser.cookie)).status).toBe(404)
    // The rival's completed project keeps its access; members see every project.
    expect((await pageOf(owner.orgId, rival.cookie)).status).toBe(200)
    expect(parse(await pageOf(owner.orgId, owner.cookie)).diagnoses).toHaveLength(3)
  })

  it('shows a project with its latest confirmed report version', async () => {
    const owner = await enterprise()
    const provider = await person({ kind: 'provider' })
    const id = await diagnosis(owner.orgId, provider.orgId, 'completed')
    const now = new Date().toISOString()
    for (const [version, status] of [
      [1, 'superseded'],
      [2, 'confirmed'],
      [3, 'draft'],
    ] as const) {
      await db()
        .insertInto('diagnosis_report_versions')
        .values({
          diagnosis_id: id,
          version,
          status,
          confirmed_by: status === 'draft' ? null : owner.userId,
          confirmed_at: status === 'draft' ? null : now,
          created_at: now,
          updated_at: now,
        })
        .execute()
    }
    const [d] = parse(await pageOf(owner.orgId, owner.cookie)).diagnoses
    expect(d).toMatchObject({ id, kind: 'factory', status: 'completed', providerId: provider.orgId, confirmedVersion: 2 })
  })
})

describe('archiveCompleteness', () => {
  it('counts twelve items equally, each missing one linking to its field', () => {
    const none = archiveCompleteness(null, { industryCode: null })
    expect(none.percent).toBe(0)
    expect(none.missing).toHaveLength(12)
    expect(none.missing[0]).toEqual({ key: 'industry', filled: false, href: '/org/edit#industry' })
    const half = archiveCompleteness(
      { ...EMPTY_FIGURES, sizeBand: 'small', revenueBand: 'lt_2k', staffBand: 'lt_20', mainProducts: '  螺栓 ', rdToolsPct: 0 },
      { industryCode: 'C34' },
    )
    expect(half.percent).toBe(50)
    expect(half.missing.map((i) => i.key)).toEqual([
      'equipmentNcPct',
      'keyProcessNcPct',
      'mgmtDigitalPct',
      'mesCoveragePct',
      'maturityLevel',
      'indicatorsYear',
    ])
    expect(archiveCompleteness({ ...EMPTY_FIGURES, mainProducts: '   ' }, { industryCode: null }).percent).toBe(0)
  })
})
