import { beforeAll, describe, expect, it } from 'vitest'
import { decideApplication } from '../../app/domain/orgs/onboarding.server.js'
import { browseProviders, ZProviderSearchParams, type ProviderDirectory } from '../../app/domain/providers/directory.server.js'
import {
  chinaToday,
  enqueueProvidersWithValidityChange,
  loadProviderDocuments,
  PROVIDERS_INDEX,
  providerDocumentId,
} from '../../app/domain/providers/search-index.server.js'
import { actorFor } from '../../app/domain/accounts/actor.js'
import * as providers from '../../app/routes/providers._index.js'
import { services } from '../../app/web/services.server.js'
import { SearchBudget } from '../../app/domain/needs/search-budget.server.js'
import { addMember, insertOrg, insertUser } from '../support/factories.js'
import { call } from '../support/http.js'
import { indexNow, insertProvider } from './provider-directory-fixtures.js'

const db = () => services().db
const ids: Record<string, number> = {}
const unlimited = () => new SearchBudget(1_000_000, 1_000)

const today = chinaToday()
const yesterday = chinaToday(new Date(Date.now() - 86_400_000))

beforeAll(async () => {
  services()
  // 扬州: serves 扬州市, a case of weld inspection in car making (anonymised client), verified.
  ids.vision = await insertProvider(db(), {
    name: '扬州智造系统集成有限公司',
    region: '321003',
    kinds: ['integrator', 'it_engineering'],
    description: '专注离散制造企业的数字化车间建设。',
    industries: ['C34'],
    scenarios: ['S301'],
    regions: ['321000'],
    teamSize: 80,
    qualifications: [
      { name: '省级智能制造服务商', validFrom: '2024-01-01', validUntil: '2099-12-31' },
      { name: 'ＩＳＯ　９００１ 质量管理体系' },
    ],
    cases: [
      {
        title: '汽车焊装车间焊缝视觉检测',
        client: '某汽车零部件企业',
        anonymised: true,
        industry: 'C36',
        scenarios: ['S305'],
        summary: '部署在线视觉检测工位，替代人工目检。',
        metrics: ['不良品率', '检测节拍'],
        verified: true,
      },
      { title: '通用设备装配线排产优化', industry: 'C34', scenarios: ['S301'] },
    ],
  })
  // 兰州: nationwide consultancy, an expired qualification, no cases.
  ids.consult = await insertProvider(db(), {
    name: '甘肃陇原智能诊断咨询有限公司',
    region: '620102',
    kinds: ['consultancy'],
    description: '提供智能制造成熟度评估与诊断服务。',
    nationwide: true,
    industries: ['C32'],
    scenarios: ['S403'],
    teamSize: 12,
    qualifications: [{ name: '两化融合管理体系贯标', validUntil: yesterday }],
  })
  // 南京: serves 江苏省 whole, so it covers 宝应县 too.
  ids.jiangsu = await insertProvider(db(), {
    name: '南京数联工业互联网有限公司',
    region: '320102',
    kinds: ['it_engineering'],
    description: '工业互联网平台与设备联网。',
    industries: ['C38'],
    scenarios: ['S401', 'S503'],
    regions: ['320000'],
    teamSize: null,
    cases: [{ title: '电机厂设备远程运维平台', industry: 'C38', scenarios: ['S503'], summary: '设备上云，远程诊断。' }],
  })
  // A pending provider and a rejected one: never in the directory, whatever their words.
  ids.pending = await insertProvider(db(), {
    name: '待审核的焊缝检测服务商',
    status: 'pending',
    description: '焊缝视觉检测',
    cases: [{ title: '焊缝视觉检测待审核案例', industry: 'C36', scenarios: ['S305'] }],
  })
  ids.rejected = await insertProvider(db(), { name: '已驳回的焊缝检测服务商', status: 'rejected', description: '焊缝' })
  // A verified provider that has not filled its profile yet: listed with what onboarding knows.
  ids.bare = await insertProvider(db(), {
    name: '宝应县新晨自动化有限公司',
    region: '321023',
    profile: false,
    description: '非标自动化设备',
  })
  await indexNow(db(), Object.values(ids))
})

async function browse(query: string): Promise<ProviderDirectory> {
  const params = ZProviderSearchParams.parse(Object.fromEntries(new URLSearchParams(query)))
  return browseProviders(db(), services().search, null, params, '203.0.113.9', 'zh-CN', unlimited())
}
const found = async (query: string) => (await browse(query)).result.items.map((i) => i.id).sort((a, b) => a - b)

describe('provider documents', () => {
  it('exist only for verified providers', async () => {
    const docs = await loadProviderDocuments(db(), [ids.vision!, ids.pending!, ids.rejected!, ids.bare!])
    expect(docs.get(ids.vision!)?.id).toBe(providerDocumentId(ids.vision!))
    expect(docs.get(ids.bare!)).not.toBeNull()
    expect(docs.get(ids.pending!)).toBeNull()
    expect(docs.get(ids.rejected!)).toBeNull()
    const enterprise = await insertOrg(db(), { kind: 'enterprise' })
    expect((await loadProviderDocuments(db(), [enterprise])).get(enterprise)).toBeNull()
  })

  it('hold served and case industries and scenarios, covered regions, current qualifications and counts', async () => {
    const doc = (await loadProviderDocuments(db(), [ids.vision!])).get(ids.vision!)!
    expect(doc.title).toBe('扬州智造系统集成有限公司')
    expect(doc.attributes.kinds).toEqual(['integrator', 'it_engineering'])
    expect([...(doc.attributes.industries as string[])].sort()).toEqual(['C34', 'C36'])
    expect([...(doc.attributes.scenarios as string[])].sort()).toEqual(['S301', 'S305'])
    // 扬州市 served: itself, 江苏省 above it, and the marker of a region served whole.
    expect([...(doc.attributes.regions as string[])].sort()).toEqual(['320000', '321000', '=321000'])
    expect(doc.attributes.seat).toEqual(['320000', '321000', '321003'])
    expect(doc.attributes.qualifications).toEqual(['省级智能制造服务商', 'ISO 9001 质量管理体系'])
    expect(doc.attributes).toMatchObject({ caseCount: 2, verifiedCaseCount: 1, teamSize: 80, proven: 'yes' })
    expect(doc.body).toContain('某汽车零部件企业')
    expect(doc.body).toContain('不良品率')

    const consult = (await loadProviderDocuments(db(), [ids.consult!])).get(ids.consult!)!
    expect(consult.attributes.regions).toEqual(['nationwide'])
    // Expired yesterday: no longer a qualification it is found by.
    expect(consult.attributes.qualifications).toEqual([])
    const jiangsu = (await loadProviderDocuments(db(), [ids.jiangsu!])).get(ids.jiangsu!)!
    // A province served whole covers its cities.
    expect(jiangsu.attributes.regions).toEqual(expect.arrayContaining(['320000', '=320000', '321000', '320100']))
    expect(jiangsu.attributes.teamSize).toBeUndefined()
  })
})

describe('/providers search', () => {
  it('finds providers by words from their cases and scenarios', async () => {
    // Words of a case's title, its anonymised client, a metric, a case's scenario; never the pending provider.
    expect(await found('q=焊缝')).toEqual([ids.vision])
    expect(await found('q=汽车零部件')).toEqual([ids.vision])
    expect(await found('q=不良品率')).toEqual([ids.vision])
    expect(await found('q=智能在线检测')).toEqual([ids.vision])
    expect(await found('q=远程运维')).toEqual([ids.jiangsu])
    // A declared scenario's name and the description.
    expect(await found('q=能效优化')).toEqual([ids.consult])
    expect(await found('q=成熟度评估')).toEqual([ids.consult])
    expect(await found('q=非标自动化')).toEqual([ids.bare])
  })

  it('lists only verified providers', async () => {
    expect(await found('')).toEqual([ids.vision, ids.consult, ids.jiangsu, ids.bare].sort((a, b) => a! - b!))
    expect(await found('q=待审核')).toEqual([])
    expect(await found('q=已驳回')).toEqual([])
  })

  it('filters by kind, industry (a case counts), scenario, qualification and verified cases', async () => {
    expect(await found('kind=consultancy')).toEqual([ids.consult])
    expect(await found('industry=C36')).toEqual([ids.vision])
    expect(await found('scenario=S305')).toEqual([ids.vision])
    expect(await found(`qualification=${encodeURIComponent('ISO 9001 质量管理体系')}`)).toEqual([ids.vision])
    // The full-width spelling is the same qualification.
    expect(await found(`qualification=${encodeURIComponent('ＩＳＯ ９００１ 质量管理体系')}`)).toEqual([ids.vision])
    expect(await found(`qualification=${encodeURIComponent('两化融合管理体系贯标')}`)).toEqual([])
    expect(await found('proven=1')).toEqual([ids.vision])
  })

  it('filters by region served: the region, a part of it, a region containing it, or the whole country', async () => {
    // 宝应县: 江苏省 served whole, 扬州市 served whole, nationwide.
    expect(await found('region=321023')).toEqual([ids.vision, ids.consult, ids.jiangsu].sort((a, b) => a! - b!))
    // 扬州市 and 江苏省: the same three (serving part of 江苏省 counts for 江苏省).
    expect(await found('region=321000')).toEqual([ids.vision, ids.consult, ids.jiangsu].sort((a, b) => a! - b!))
    expect(await found('region=320000')).toEqual([ids.vision, ids.consult, ids.jiangsu].sort((a, b) => a! - b!))
    // 南京市: 江苏省 served whole, nationwide; not the one serving 扬州市 only.
    expect(await found('region=320100')).toEqual([ids.consult, ids.jiangsu].sort((a, b) => a! - b!))
    // 甘肃省: nationwide only. The one without a profile serves nowhere yet.
    expect(await found('region=620000')).toEqual([ids.consult])
  })

  it('counts every option with the other filters applied', async () => {
    const all = await browse('')
    expect(all.kinds.find((k) => k.value === 'it_engineering')?.count).toBe(2)
    expect(all.industries.find((i) => i.code === 'C36')?.count).toBe(1)
    expect(all.scenarios.find((s) => s.code === 'S503')?.count).toBe(1)
    expect(all.qualifications).toEqual(
      expect.arrayContaining([
        { name: '省级智能制造服务商', count: 1 },
        { name: 'ISO 9001 质量管理体系', count: 1 },
      ]),
    )
    expect(all.provenCount).toBe(1)
    // Provinces count those covering them, nationwide included.
    const province = (code: string) => all.regionOptions.find((r) => r.code === code)?.count
    expect(province('320000')).toBe(3)
    expect(province('620000')).toBe(1)
    const filtered = await browse('kind=it_engineering&region=320000')
    expect(filtered.result.total).toBe(2)
    expect(filtered.industries.find((i) => i.code === 'C32')?.count).toBe(0)
    expect(filtered.regionOptions.find((r) => r.code === '320100')?.count).toBe(1)
  })

  it('sorts by verified cases, cases and recency; relevance with words', async () => {
    expect((await browse('')).result.items[0]!.id).toBe(ids.vision)
    expect((await browse('sort=cases')).result.items.map((i) => i.id).slice(0, 2)).toEqual([ids.vision, ids.jiangsu])
    const relevance = await browse('q=检测')
    expect(relevance.result.items[0]!.id).toBe(ids.vision)
  })

  it('draws a card from the document: names, counts, regions served', async () => {
    const item = (await browse('q=焊缝')).result.items[0]!
    expect(item).toMatchObject({
      name: '扬州智造系统集成有限公司',
      regionName: '江苏省 扬州市 邗江区',
      kinds: ['integrator', 'it_engineering'],
      caseCount: 2,
      verifiedCaseCount: 1,
      nationwide: false,
      servedRegions: ['江苏省 扬州市'],
      teamSize: 80,
    })
    expect(item.industryNames).toEqual(['通用设备制造业'])
    const english = await browseProviders(
      db(),
      services().search,
      null,
      ZProviderSearchParams.parse({ q: '焊缝' }),
      '203.0.113.9',
      'en',
      unlimited(),
    )
    expect(english.result.items[0]!.regionName).toMatch(/Yangzhou, Jiangsu/)
  })
})

describe('the outbox keeps the directory current', () => {
  it('a provider approved enters the directory, one sent back to review leaves it', async () => {
    const applicant = await insertProvider(db(), {
      name: '仪征市精工智能装备有限公司',
      region: '321081',
      status: 'pending',
      description: '冲压机器人上下料',
    })
    await indexNow(db(), [applicant])
    expect(await found('q=上下料')).toEqual([])

    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const reviewer = await insertUser(db(), { name: '审核员' })
    await addMember(db(), reviewer.id, agency, 'owner')
    const actor = actorFor(
      reviewer.id,
      {
        orgId: agency,
        orgName: '扬州市工业和信息化局',
        kind: 'agency',
        status: 'verified',
        role: 'owner',
        membership: 'active',
        regionCode: '321000',
        agencyLevel: 'city',
      },
      '203.0.113.1',
      true,
    )
    await decideApplication(db(), actor, applicant, { intent: 'approve', revision: 1 })
    expect(await found('q=上下料')).toEqual([applicant])

    // Status back to pending (what /org/edit's registration change does) and enqueued: gone.
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', applicant).execute()
    await indexNow(db(), [applicant])
    expect(await found('q=上下料')).toEqual([])
    expect(await services().search.count(PROVIDERS_INDEX)).toBe(4)
  })
})

describe('qualifications that begin or expire with the calendar', () => {
  it('are re-indexed by the scheduled job for a few days after the date passes', async () => {
    // 两化融合 of the consultancy expired yesterday: the job enqueues it (and the commit applies it).
    expect(await enqueueProvidersWithValidityChange(db())).toBe(1)
    // Ten days later that expiry is long applied; nothing else changes.
    expect(await enqueueProvidersWithValidityChange(db(), { now: new Date(Date.now() + 10 * 86_400_000) })).toBe(0)
    const starting = await insertProvider(db(), { qualifications: [{ name: '专精特新中小企业', validFrom: today }] })
    expect(await enqueueProvidersWithValidityChange(db())).toBe(2)
    await db().deleteFrom('organisations').where('id', '=', starting).execute()
  })
})

describe('GET /providers', () => {
  it('answers with the directory, and ignores invalid parameters', async () => {
    const ok = await call(providers, { path: '/providers?q=焊缝&kind=nope&region=<x>&page=-1&sort=drop' })
    expect(ok.status).toBe(200)
    const data = JSON.parse(ok.body)
    expect(data.result.items.map((i: { id: number }) => i.id)).toEqual([ids.vision])
    expect(data.params).toMatchObject({ q: '焊缝', page: 1 })
    expect(data.params.kind).toBeUndefined()
  })

  it('answers 400 for a repeated parameter', async () => {
    expect((await call(providers, { path: '/providers?q=a&q=b' })).status).toBe(400)
  })

  it('never fails on hostile search text', async () => {
    for (const q of ['"', 'AND OR NOT', '*', '(焊缝', 'NEAR(a b)', "'; drop table organisations; --", '\u0000']) {
      expect((await call(providers, { path: `/providers?q=${encodeURIComponent(q)}` })).status).toBe(200)
    }
  })
})
