import sharp from 'sharp'
import { beforeEach, describe, expect, it } from 'vitest'
import { markCaseVerified, metricChange } from '../../app/domain/providers/cases.server.js'
import { PROVIDER_LIMITS } from '../../app/domain/providers/enums.js'
import * as caseRoute from '../../app/routes/provider.cases.$id.js'
import * as casesRoute from '../../app/routes/provider.cases._index.js'
import * as newCaseRoute from '../../app/routes/provider.cases.new.js'
import * as publicPage from '../../app/routes/providers.$id.js'
import { withTransaction } from '../../db/transaction.js'
import { services } from '../../app/web/services.server.js'
import { call, type TestFile } from '../support/http.js'
import { auditRows, countWhere, db, parse, person, watchProviderOutbox, type Person } from '../support/provider-world.js'

/*
 * A provider's cases (/provider/cases…): the client or its anonymised description, the
 * project, measured results as rows; validated by field; kept to the provider's own
 * members; a stale edit refused; deleted with everything attached; verified by a
 * completed contract (markCaseVerified).
 */

const outbox = watchProviderOutbox()
beforeEach(() => outbox.clear())

const caseForm = (overrides: Record<string, string | string[]> = {}) => ({
  intent: 'save',
  title: '汽车零部件冲压车间机器视觉质检',
  clientName: '扬州某汽车零部件有限公司',
  industry: 'C36',
  'scenarios[]': ['S305', 'S306'],
  investmentWan: '280',
  year: '2024',
  region: '321003',
  summary: '在 6 条冲压线部署视觉检测工位，缺陷图片与 MES 质量追溯打通。',
  'metrics[0].name': '不良品率',
  'metrics[0].before': '2.1',
  'metrics[0].after': '0.6',
  'metrics[0].unit': '%',
  'metrics[1].name': '检测效率',
  'metrics[1].before': '120',
  'metrics[1].after': '300',
  'metrics[1].unit': '件/小时',
  ...overrides,
})

const create = (who: Person, form: Record<string, string | string[]>, images?: TestFile[]) =>
  call(newCaseRoute, {
    method: 'POST',
    path: '/provider/cases/new',
    form,
    cookie: who.cookie,
    ...(images ? { files: { images } } : {}),
  })

const edit = (who: Person, id: number, form: Record<string, string | string[]>, images?: TestFile[]) =>
  call(caseRoute, {
    method: 'POST',
    path: `/provider/cases/${id}`,
    params: { id: String(id) },
    form,
    cookie: who.cookie,
    ...(images ? { files: { images } } : {}),
  })

/** A small PNG, as a browser sends it. */
async function png(name: string, colour = '#3366cc'): Promise<TestFile> {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
      .png()
      .toBuffer(),
  )
  return { name, bytes, type: 'image/png' }
}

const caseFiles = (id: number) =>
  db()
    .selectFrom('files')
    .selectAll()
    .where('object_type', '=', 'provider_case')
    .where('object_id', '=', id)
    .orderBy('id')
    .execute()

const open = (who: Person, id: number) =>
  call(caseRoute, { path: `/provider/cases/${id}`, params: { id: String(id) }, cookie: who.cookie })

async function created(who: Person, form = caseForm()): Promise<number> {
  const outcome = await create(who, form)
  expect(outcome.status).toBe(302)
  return Number(/\/provider\/cases\/(\d+)$/.exec(outcome.location ?? '')![1])
}

const publicCases = async (orgId: number) =>
  parse(await call(publicPage, { path: `/providers/${orgId}`, params: { id: String(orgId) } })).provider

describe('metricChange', () => {
  it('gives the change in percent of the value before, and its direction', () => {
    expect(metricChange(2.1, 0.6)).toEqual({ changePercent: -71.4, direction: 'down' })
    expect(metricChange(120, 300)).toEqual({ changePercent: 150, direction: 'up' })
    expect(metricChange(5, 5)).toEqual({ changePercent: 0, direction: 'flat' })
    expect(metricChange(-4, -2)).toEqual({ changePercent: 50, direction: 'up' })
    expect(metricChange(0, 3)).toEqual({ changePercent: null, direction: 'up' })
    expect(metricChange(null, 3)).toEqual({ changePercent: null, direction: null })
  })
})

describe('creating a case', () => {
  it('stores it with its scenarios and metric rows, audited and enqueued, and shows it publicly as 自述', async () => {
    const owner = await person()
    const id = await created(owner)
    const row = await db().selectFrom('provider_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      org_id: owner.orgId,
      client_name: '扬州某汽车零部件有限公司',
      industry_code: 'C36',
      investment_wan: 280,
      year: 2024,
      region_code: '321003',
      verified_contract_id: null,
    })
    expect(Number(row.client_anonymised)).toBe(0)
    const metrics = await db().selectFrom('case_metrics').selectAll().where('case_id', '=', id).orderBy('seq').execute()
    expect(metrics.map((m) => [m.seq, m.name, Number(m.before_value), Number(m.after_value), m.unit])).toEqual([
      [1, '不良品率', 2.1, 0.6, '%'],
      [2, '检测效率', 120, 300, '件/小时'],
    ])
    const scenarios = await db().selectFrom('case_scenarios').select('scenario_code').where('case_id', '=', id).execute()
    expect(scenarios.map((s) => s.scenario_code).sort()).toEqual(['S305', 'S306'])
    const [entry] = await auditRows('provider.case_created', 'provider_case', id)
    expect(entry).toMatchObject({ actor_user_id: owner.userId, actor_org_id: owner.orgId, region_code: '321003' })
    expect(JSON.parse(entry!.detail)).toMatchObject({
      title: '汽车零部件冲压车间机器视觉质检',
      metrics: '不良品率 2.1→0.6 %; 检测效率 120→300 件/小时',
    })
    expect(outbox.seen).toContain(owner.orgId)

    const provider = await publicCases(owner.orgId)
    expect(provider).toMatchObject({ caseCount: 1, verifiedCaseCount: 0 })
    expect(provider.cases[0]).toMatchObject({
      id,
      verified: false,
      anonymised: false,
      regionLabel: '江苏省 扬州市 邗江区',
      scenarios: [{ code: 'S305' }, { code: 'S306' }],
      metrics: [
        { name: '不良品率', before: 2.1, after: 0.6, unit: '%', changePercent: -71.4, direction: 'down' },
        { name: '检测效率', before: 120, after: 300, unit: '件/小时', changePercent: 150, direction: 'up' },
      ],
    })
    const list = parse(await call(casesRoute, { path: '/provider/cases', cookie: owner.cookie }))
    expect(list.cases).toMatchObject([{ id, metricCount: 2, verified: false }])
  })

  it('keeps only the anonymised description when shown anonymised', async () => {
    const owner = await person()
    const id = await created(owner, caseForm({ anonymised: '1', clientName: '', clientAlias: '某汽车零部件企业' }))
    const row = await db().selectFrom('provider_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.client_name).toBe('某汽车零部件企业')
    expect(Number(row.client_anonymised)).toBe(1)
    expect((await publicCases(owner.orgId)).cases[0]).toMatchObject({ client: '某汽车零部件企业', anonymised: true })
  })

  it('drops empty metric rows and keeps a row without a value before', async () => {
    const owner = await person()
    const id = await created(
      owner,
      caseForm({
        'metrics[1].name': '',
        'metrics[1].before': '',
        'metrics[1].after': '',
        'metrics[1].unit': '',
        'metrics[4].name': '设备联网率',
        'metrics[4].after': '９８.５',
        'metrics[4].unit': '%',
      }),
    )
    const metrics = await db().selectFrom('case_metrics').selectAll().where('case_id', '=', id).orderBy('seq').execute()
    expect(metrics.map((m) => [m.seq, m.name, m.before_value, Number(m.after_value)])).toEqual([
      [1, '不良品率', 2.1, 0.6],
      [2, '设备联网率', null, 98.5],
    ])
  })

  it('refuses bad input with 400 and the fields’ names, writing nothing', async () => {
    const owner = await person()
    const outcome = await create(
      owner,
      caseForm({
        title: '质检',
        year: '1800',
        investmentWan: '-5',
        'scenarios[]': [],
        'metrics[1].name': '',
        'metrics[2].before': '3',
        'metrics[2].after': '',
        'metrics[2].name': '能耗',
        'metrics[3].name': '停机时间',
        'metrics[3].after': '两小时',
      }),
    )
    expect(outcome.status).toBe(400)
    expect(parse(outcome)).toMatchObject({
      code: 'VALIDATION',
      formError: 'errors.validation',
      fieldErrors: {
        title: 'providers.v.caseTitle',
        year: 'providers.v.caseYear',
        investmentWan: 'providers.v.investment',
        'scenarios[]': 'providers.v.caseScenarios',
        'metrics[1].name': 'providers.v.metricName',
        'metrics[2].after': 'providers.v.metricAfter',
        'metrics[3].after': 'providers.v.metricNumber',
      },
    })
    const anonymous = await create(owner, caseForm({ anonymised: '1', clientAlias: '' }))
    expect(parse(anonymous).fieldErrors).toEqual({ clientAlias: 'providers.v.clientAlias' })
    const noClient = await create(owner, caseForm({ clientName: '' }))
    expect(parse(noClient).fieldErrors).toEqual({ clientName: 'providers.v.clientName' })
    const future = await create(owner, caseForm({ year: String(new Date().getFullYear() + 2) }))
    expect(parse(future).fieldErrors).toEqual({ year: 'providers.v.caseYear' })
    const missingYear = await create(owner, caseForm({ year: '' }))
    expect(parse(missingYear).fieldErrors).toEqual({ year: 'providers.v.caseYearRequired' })
    const unknownRefs = await create(owner, caseForm({ industry: 'C99', 'scenarios[]': ['S999'], region: '999999' }))
    expect(unknownRefs.status).toBe(400)
    expect(parse(unknownRefs).fieldErrors).toEqual({
      industry: 'providers.v.caseIndustry',
      'scenarios[]': 'providers.v.caseScenarios',
      region: 'providers.v.caseRegion',
    })
    expect(await countWhere('provider_cases', owner.orgId)).toBe(0)
    expect(await auditRows('provider.case_created', 'provider_case')).not.toContainEqual(
      expect.objectContaining({ actor_org_id: owner.orgId }),
    )
  })

  it(`stops at ${PROVIDER_LIMITS.casesPerProvider} cases`, async () => {
    const owner = await person()
    const now = new Date().toISOString()
    await db()
      .insertInto('provider_cases')
      .values(
        Array.from({ length: PROVIDER_LIMITS.casesPerProvider }, (_, i) => ({
          org_id: owner.orgId,
          title: `案例第 ${i + 1} 个`,
          client_name: '某企业',
          industry_code: 'C34',
          year: 2020,
          summary: '……',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    const outcome = await create(owner, caseForm())
    expect(outcome.status).toBe(400)
    expect(parse(outcome)).toMatchObject({ formError: 'providers.e.tooManyCases' })
    // The public page pages through them, 10 at a time.
    const page = parse(await call(publicPage, { path: `/providers/${owner.orgId}?page=3`, params: { id: String(owner.orgId) } }))
    expect(page.provider).toMatchObject({ caseCount: 200, casesPage: 3, casesPageCount: 20 })
    expect(page.provider.cases).toHaveLength(10)
  })
})

describe('editing a case', () => {
  it('saves with the version it was read at, replacing the metric rows; a stale version is refused (409)', async () => {
    const owner = await person()
    const colleague = await person({ orgId: owner.orgId, role: 'member' })
    const id = await created(owner)
    const read = parse(await open(owner, id)).case
    const saved = await edit(colleague, id, {
      ...caseForm({ 'metrics[1].name': '', 'metrics[1].before': '', 'metrics[1].after': '', 'metrics[1].unit': '' }),
      version: read.updatedAt,
      title: '冲压车间机器视觉质检（二期）',
    })
    expect(saved.status).toBe(302)
    expect(saved.location).toBe(`/provider/cases/${id}`)
    const metrics = await db().selectFrom('case_metrics').select('name').where('case_id', '=', id).execute()
    expect(metrics.map((m) => m.name)).toEqual(['不良品率'])
    const [entry] = await auditRows('provider.case_updated', 'provider_case', id)
    expect(JSON.parse(entry!.detail)).toMatchObject({ changed: 'title,metrics' })
    expect(outbox.seen).toContain(owner.orgId)

    // The owner's form was filled in before the colleague saved.
    const stale = await edit(owner, id, { ...caseForm(), version: read.updatedAt, summary: '覆盖同事的修改' })
    expect(stale.status).toBe(409)
    expect(parse(stale)).toMatchObject({ code: 'CONFLICT', formError: 'providers.e.caseStale' })
    const row = await db().selectFrom('provider_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.title).toBe('冲压车间机器视觉质检（二期）')
    expect(await auditRows('provider.case_updated', 'provider_case', id)).toHaveLength(1)

    // Saving what is there changes nothing and writes nothing.
    const current = parse(await open(owner, id)).case
    const same = await edit(owner, id, {
      ...caseForm({ 'metrics[1].name': '', 'metrics[1].before': '', 'metrics[1].after': '', 'metrics[1].unit': '' }),
      version: current.updatedAt,
      title: '冲压车间机器视觉质检（二期）',
    })
    expect(same.status).toBe(302)
    expect(await auditRows('provider.case_updated', 'provider_case', id)).toHaveLength(1)
  })

  it('is kept from another provider, enterprises, agencies and unverified providers: 403, nothing written', async () => {
    const owner = await person()
    const id = await created(owner)
    const read = parse(await open(owner, id)).case
    const other = await person()
    const enterprise = await person({ kind: 'enterprise' })
    const agency = await person({ kind: 'agency', region: '321000' })
    // The provider itself went back to review: its members lose the right too.
    const colleague = await person({ orgId: owner.orgId, role: 'member' })
    for (const who of [other, enterprise, agency]) {
      expect((await open(who, id)).status).toBe(403)
      expect((await edit(who, id, { ...caseForm(), version: read.updatedAt, title: '别人的标题改动' })).status).toBe(403)
      expect((await edit(who, id, { intent: 'delete' })).status).toBe(403)
    }
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', owner.orgId).execute()
    expect((await edit(colleague, id, { ...caseForm(), version: read.updatedAt, title: '待审核期间的改动' })).status).toBe(403)
    expect((await create(colleague, caseForm())).status).toBe(403)
    expect((await call(newCaseRoute, { path: '/provider/cases/new', cookie: colleague.cookie })).status).toBe(403)
    const row = await db().selectFrom('provider_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.title).toBe('汽车零部件冲压车间机器视觉质检')
    expect(await countWhere('provider_cases', owner.orgId)).toBe(1)
    expect((await open(owner, 2147480000)).status).toBe(404)
  })
})

describe('deleting a case', () => {
  it('asks first without scripts, then removes it with its metrics, scenarios and files, audited and enqueued', async () => {
    const owner = await person()
    const id = await created(owner, caseForm())
    const version = parse(await open(owner, id)).case.updatedAt
    expect((await edit(owner, id, { ...caseForm(), version }, [await png('产线.png')])).status).toBe(302)
    const [stored] = await caseFiles(id)
    expect(stored).toBeDefined()
    expect(await services().storage.get(stored!.storage_key)).not.toBeNull()
    const asked = await edit(owner, id, { intent: 'delete', _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(await countWhere('provider_cases', owner.orgId)).toBe(1)
    outbox.clear()
    const deleted = await edit(owner, id, { intent: 'delete' })
    expect(deleted.status).toBe(302)
    expect(deleted.location).toBe('/provider/cases')
    expect(await countWhere('provider_cases', owner.orgId)).toBe(0)
    for (const table of ['case_metrics', 'case_scenarios'] as const) {
      expect(await db().selectFrom(table).select('case_id').where('case_id', '=', id).execute()).toEqual([])
    }
    expect(await caseFiles(id)).toEqual([])
    // The bytes go once the deletion has committed.
    expect(await services().storage.get(stored!.storage_key)).toBeNull()
    const [entry] = await auditRows('provider.case_deleted', 'provider_case', id)
    expect(entry).toMatchObject({ actor_user_id: owner.userId, actor_org_id: owner.orgId })
    expect(outbox.seen).toContain(owner.orgId)
    expect((await open(owner, id)).status).toBe(404)
  })
})

describe('markCaseVerified', () => {
  it('marks a case 平台验证 once, audited and enqueued; the public page counts it', async () => {
    const owner = await person()
    const id = await created(owner)
    outbox.clear()
    const first = await withTransaction(db(), (trx, afterCommit) => markCaseVerified(trx, afterCommit, id, 4242))
    expect(first).toBe(true)
    const row = await db().selectFrom('provider_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.verified_contract_id).toBe(4242)
    expect(row.verified_at).toBeTruthy()
    expect(outbox.seen).toContain(owner.orgId)
    const [entry] = await auditRows('provider.case_verified', 'provider_case', id)
    expect(JSON.parse(entry!.detail)).toMatchObject({ contractId: 4242, orgId: owner.orgId })
    // A second contract does not replace the first; an unknown case is no case.
    expect(await withTransaction(db(), (trx, afterCommit) => markCaseVerified(trx, afterCommit, id, 4343))).toBe(false)
    expect(await withTransaction(db(), (trx, afterCommit) => markCaseVerified(trx, afterCommit, 2147480000, 1))).toBe(false)
    expect(
      (await db().selectFrom('provider_cases').select('verified_contract_id').where('id', '=', id).executeTakeFirstOrThrow())
        .verified_contract_id,
    ).toBe(4242)
    const provider = await publicCases(owner.orgId)
    expect(provider).toMatchObject({ caseCount: 1, verifiedCaseCount: 1 })
    expect(provider.cases[0].verified).toBe(true)
    // Rolled back with the contract's transaction: nothing is left.
    const other = await created(owner)
    await expect(
      withTransaction(db(), async (trx, afterCommit) => {
        await markCaseVerified(trx, afterCommit, other, 5000)
        throw new Error('contract not completed')
      }),
    ).rejects.toThrow('contract not completed')
    expect(
      (await db().selectFrom('provider_cases').select('verified_contract_id').where('id', '=', other).executeTakeFirstOrThrow())
        .verified_contract_id,
    ).toBeNull()
  })
})

describe('case images', () => {
  it('are uploaded with the case (purpose case_image), shown on the public page, and removed one by one', async () => {
    const owner = await person()
    const outcome = await create(owner, caseForm(), [await png('车间全景.png'), await png('检测工位.png', '#cc3366')])
    expect(outcome.status).toBe(302)
    const id = Number(/(\d+)$/.exec(outcome.location!)![1])
    const files = await caseFiles(id)
    expect(files.map((f) => [f.purpose, f.org_id, f.mime, f.name])).toEqual([
      ['case_image', owner.orgId, 'image/png', '车间全景.png'],
      ['case_image', owner.orgId, 'image/png', '检测工位.png'],
    ])
    const [entry] = await auditRows('provider.case_created', 'provider_case', id)
    expect(JSON.parse(entry!.detail).images).toBe('车间全景.png, 检测工位.png')
    const shown = (await publicCases(owner.orgId)).cases[0]
    expect(shown.images).toMatchObject([
      { id: files[0]!.id, isImage: true, url: `/files/${files[0]!.id}`, previewUrl: `/files/${files[0]!.id}/preview` },
      { id: files[1]!.id, isImage: true },
    ])

    const before = parse(await open(owner, id)).case.updatedAt
    const stranger = await person()
    expect((await edit(stranger, id, { intent: 'removeImage', fileId: String(files[0]!.id) })).status).toBe(403)
    const asked = await edit(owner, id, { intent: 'removeImage', fileId: String(files[0]!.id), _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(await caseFiles(id)).toHaveLength(2)
    outbox.clear()
    expect((await edit(owner, id, { intent: 'removeImage', fileId: String(files[0]!.id) })).status).toBe(302)
    expect(outbox.seen).toContain(owner.orgId)
    expect((await caseFiles(id)).map((f) => f.name)).toEqual(['检测工位.png'])
    // An open form of the case is now stale.
    expect(parse(await open(owner, id)).case.updatedAt).not.toBe(before)
    const [removal] = (await auditRows('provider.case_updated', 'provider_case', id)).slice(-1)
    expect(JSON.parse(removal!.detail)).toMatchObject({ changed: 'images', images: '− 车间全景.png' })
    // Another case's image is not this case's to remove.
    const other = await created(owner, caseForm())
    expect((await edit(owner, other, { intent: 'removeImage', fileId: String(files[1]!.id) })).status).toBe(404)
  })

  it('refuses what is not an image (by content, whatever its name) and too many, writing nothing', async () => {
    const owner = await person()
    const html = {
      name: 'photo.png',
      bytes: new TextEncoder().encode('<!doctype html><script>alert(1)</script>'),
      type: 'image/png',
    }
    const refused = await create(owner, caseForm(), [html])
    expect(refused.status).toBe(415)
    expect(parse(refused)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      fieldErrors: { images: 'files.e.unsupportedType?types=JPEG%2C+PNG%2C+WebP' },
    })
    const tooMany = await create(
      owner,
      caseForm(),
      await Promise.all(Array.from({ length: PROVIDER_LIMITS.imagesPerCase + 1 }, (_, i) => png(`图${i}.png`))),
    )
    expect(tooMany.status).toBe(413)
    expect(await countWhere('provider_cases', owner.orgId)).toBe(0)

    // A case full of images takes no more.
    const nine = await Promise.all(Array.from({ length: PROVIDER_LIMITS.imagesPerCase }, (_, i) => png(`图${i}.png`)))
    const id = await created(owner, caseForm())
    const version = parse(await open(owner, id)).case.updatedAt
    expect((await edit(owner, id, { ...caseForm(), version }, nine)).status).toBe(302)
    const full = await edit(owner, id, { ...caseForm(), version: parse(await open(owner, id)).case.updatedAt }, [
      await png('再一张.png'),
    ])
    expect(full.status).toBe(400)
    expect(parse(full)).toMatchObject({
      formError: 'providers.e.tooManyImages',
      fieldErrors: { images: `providers.e.tooManyImages?limit=${PROVIDER_LIMITS.imagesPerCase}` },
    })
    expect(await caseFiles(id)).toHaveLength(PROVIDER_LIMITS.imagesPerCase)
  })
})
