import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { actorFor } from '../../app/domain/accounts/actor.js'
import { SearchBudget } from '../../app/domain/needs/search-budget.server.js'
import {
  capabilityGridFromIndex,
  computeCapabilityGrid,
  getCapabilityMap,
  MAP_EXPORT_LIMIT,
  ZCapabilityMapParams,
  type CapabilityGrid,
  type CapabilityMap,
} from '../../app/domain/providers/capability-map.server.js'
import { browseProviders, ZProviderSearchParams } from '../../app/domain/providers/directory.server.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import * as mapPage from '../../app/routes/providers.map.js'
import * as mapXlsx from '../../app/routes/providers.map[.]xlsx.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'
import { indexNow, insertProvider } from './provider-directory-fixtures.js'

const db = () => services().db
const p: Record<string, number> = {}

/*
 * The fixture, by hand (the map's rule: capability-map.server.ts):
 *   A 扬州市       C34 S301 S305 + case C36/S305 verified + case C34/S401
 *   B 江苏省 whole C34 S305
 *   C nationwide   C36 S305 + case C36/S305 verified
 *   D 南京市       C34 S305 + case C34/S305 verified
 *   E pending      扬州市 C34 S305 (never counted)
 *   F 兰州市       C34 S305
 *   G 宝应县       C38 S305
 * A covers C34 and C36 × S301, S305, S401; its verified cell is C36 × S305.
 */
beforeAll(async () => {
  services()
  p.A = await insertProvider(db(), {
    name: '甲公司',
    regions: ['321000'],
    industries: ['C34'],
    scenarios: ['S301', 'S305'],
    cases: [
      { industry: 'C36', scenarios: ['S305'], verified: true },
      { industry: 'C34', scenarios: ['S401'] },
    ],
  })
  p.B = await insertProvider(db(), { name: '乙公司', regions: ['320000'], industries: ['C34'], scenarios: ['S305'] })
  p.C = await insertProvider(db(), {
    name: '丙公司',
    region: '620102',
    nationwide: true,
    industries: ['C36'],
    scenarios: ['S305'],
    cases: [{ industry: 'C36', scenarios: ['S305'], verified: true }],
  })
  p.D = await insertProvider(db(), {
    name: '丁公司',
    region: '320102',
    regions: ['320100'],
    industries: ['C34'],
    scenarios: ['S305'],
    cases: [{ industry: 'C34', scenarios: ['S305'], verified: true }],
  })
  p.E = await insertProvider(db(), {
    name: '戊公司',
    status: 'pending',
    regions: ['321000'],
    industries: ['C34'],
    scenarios: ['S305'],
  })
  p.F = await insertProvider(db(), {
    name: '己公司',
    region: '620102',
    regions: ['620100'],
    industries: ['C34'],
    scenarios: ['S305'],
  })
  p.G = await insertProvider(db(), {
    name: '庚公司',
    region: '321023',
    regions: ['321023'],
    industries: ['C38'],
    scenarios: ['S305'],
  })
  await indexNow(db(), Object.values(p))
})

/** The map's counts as pages get them: from the provider_cells index. */
async function grid(region: string | null) {
  return capabilityGridFromIndex(services().search, await getReferenceData(db()), region)
}

const plain = (g: CapabilityGrid) => ({
  total: g.total,
  proven: g.proven,
  providers: Object.fromEntries([...g.providers].map(([i, row]) => [i, Object.fromEntries(row)])),
  verified: Object.fromEntries([...g.verified].map(([i, row]) => [i, Object.fromEntries(row)])),
  byIndustry: Object.fromEntries(g.byIndustry),
  byScenario: Object.fromEntries(g.byScenario),
})
const cell = (g: Awaited<ReturnType<typeof grid>>, i: string, s: string) => [
  g.providers.get(i)?.get(s) ?? 0,
  g.verified.get(i)?.get(s) ?? 0,
]

describe('capability map counts', () => {
  it('the whole country: every verified provider', async () => {
    const g = await grid(null)
    expect([g.total, g.proven]).toEqual([6, 3])
    expect(cell(g, 'C34', 'S305')).toEqual([4, 1]) // A B D F; D verified
    expect(cell(g, 'C36', 'S305')).toEqual([2, 2]) // A C, both verified there
    expect(cell(g, 'C34', 'S301')).toEqual([1, 0]) // A
    expect(cell(g, 'C36', 'S401')).toEqual([1, 0]) // A: a case's scenario counts with its other industries
    expect(cell(g, 'C38', 'S305')).toEqual([1, 0]) // G
    expect(cell(g, 'C38', 'S301')).toEqual([0, 0])
    expect(Object.fromEntries(g.byIndustry)).toEqual({ C34: 4, C36: 2, C38: 1 })
    expect(Object.fromEntries(g.byScenario)).toEqual({ S301: 1, S305: 6, S401: 1 })
  })

  it('扬州市: itself (A), a region containing it (B, 江苏省), a part of it (G, 宝应县), nationwide (C)', async () => {
    const g = await grid('321000')
    expect([g.total, g.proven]).toEqual([4, 2])
    expect(cell(g, 'C34', 'S305')).toEqual([2, 0]) // A B
    expect(cell(g, 'C36', 'S305')).toEqual([2, 2]) // A C
    expect(cell(g, 'C38', 'S305')).toEqual([1, 0]) // G
  })

  it('江苏省 counts those serving any part of it (D, 南京市)', async () => {
    const g = await grid('320000')
    expect([g.total, g.proven]).toEqual([5, 3])
    expect(cell(g, 'C34', 'S305')).toEqual([3, 1]) // A B D
  })

  it('宝应县: itself (G), 扬州市 (A) and 江苏省 (B) above it, nationwide (C)', async () => {
    const g = await grid('321023')
    expect(g.total).toBe(4)
    expect(cell(g, 'C34', 'S305')).toEqual([2, 0])
  })

  it('南京市 and 甘肃省', async () => {
    const nanjing = await grid('320100')
    expect(nanjing.total).toBe(3) // B C D
    expect(cell(nanjing, 'C34', 'S305')).toEqual([2, 1])
    const gansu = await grid('620000')
    expect(gansu.total).toBe(2) // C F
    expect(cell(gansu, 'C34', 'S305')).toEqual([1, 0])
    expect(cell(gansu, 'C36', 'S305')).toEqual([1, 1])
  })

  it('the index counts what the tables hold, for every region', async () => {
    const ref = await getReferenceData(db())
    for (const region of [null, '320000', '321000', '321023', '320100', '620000', '330000']) {
      expect([region, plain(await grid(region))]).toEqual([region, plain(await computeCapabilityGrid(db(), ref, region))])
    }
  })

  it('follows status changes through the outbox: a provider sent back to review leaves the map', async () => {
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', p.B!).execute()
    await indexNow(db(), [p.B!])
    const without = await grid('321000')
    expect([without.total, ...cell(without, 'C34', 'S305')]).toEqual([3, 1, 0])
    await db().updateTable('organisations').set({ status: 'verified' }).where('id', '=', p.B!).execute()
    await indexNow(db(), [p.B!])
    expect((await grid('321000')).total).toBe(4)
  })

  it("a cell's link lists in the directory exactly the providers the cell counts", async () => {
    const budget = new SearchBudget(1_000_000, 1_000)
    for (const region of ['321000', '320000', '321023', '320100', '620000']) {
      const g = await grid(region)
      for (const [industry, row] of g.providers) {
        for (const [scenario, n] of row) {
          const params = ZProviderSearchParams.parse({ industry, scenario, region })
          const found = await browseProviders(db(), services().search, null, params, '203.0.113.5', 'zh-CN', budget)
          expect([region, industry, scenario, found.result.total]).toEqual([region, industry, scenario, n])
        }
      }
    }
  })
})

describe('the map page', () => {
  const load = async (qs: string, cookie?: string) => {
    const outcome = await call(mapPage, { path: `/providers/map${qs}`, cookie })
    expect(outcome.status).toBe(200)
    return (JSON.parse(outcome.body) as { map: CapabilityMap }).map
  }

  it('lays the counts out as industries × scenarios, for the whole country by default', async () => {
    const map = await load('')
    expect(map.region).toBeNull()
    expect(map.industries).toHaveLength(31)
    expect(map.scenarios).toHaveLength(24)
    const i = map.industries.findIndex((x) => x.code === 'C34')
    const j = map.scenarios.findIndex((x) => x.code === 'S305')
    expect([map.providers[i]![j], map.verified[i]![j]]).toEqual([4, 1])
    expect(map.max).toBe(4)
    expect(map.total).toBe(6)
  })

  it('narrows to a region and a link of the value chain; an unknown region is the whole country', async () => {
    const map = await load('?region=321000&link=production')
    expect(map.region).toEqual({ code: '321000', name: '江苏省 扬州市' })
    expect(map.scenarios.map((s) => s.code)).toEqual(['S301', 'S302', 'S303', 'S304', 'S305', 'S306', 'S307', 'S308'])
    expect(map.total).toBe(4)
    expect((await load('?region=999999')).region).toBeNull()
    expect((await load('?region=<script>&link=nope')).region).toBeNull()
  })

  it('shows a signed-in agency its own region unless asked otherwise', async () => {
    const agency = actorFor(
      1,
      {
        orgId: 1,
        orgName: '扬州市工业和信息化局',
        kind: 'agency',
        status: 'verified',
        role: 'viewer',
        membership: 'active',
        regionCode: '321000',
        agencyLevel: 'city',
      },
      '203.0.113.1',
      true,
    )
    const own = await getCapabilityMap(db(), services().search, agency, ZCapabilityMapParams.parse({}))
    expect(own.region?.code).toBe('321000')
    const country = await getCapabilityMap(db(), services().search, agency, ZCapabilityMapParams.parse({ region: 'all' }))
    expect(country.region).toBeNull()
  })
})

describe('/providers/map.xlsx', () => {
  it('is a workbook whose grid matches the table, named in Chinese (RFC 5987)', async () => {
    const outcome = await call(mapXlsx, { path: '/providers/map.xlsx?region=321000', ip: '198.51.100.20' })
    expect(outcome.status).toBe(200)
    // call() reads the body as text; fetch the bytes again through the loader for exceljs.
    const response = await mapXlsx.loader({
      request: new Request('http://localhost/providers/map.xlsx?region=321000'),
      params: {},
      context: { clientIp: '198.51.100.21' },
    })
    expect(response.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const disposition = response.headers.get('Content-Disposition') ?? ''
    expect(disposition).toContain('attachment; filename="provider-capability-map-321000.xlsx"')
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('服务商能力图谱-江苏省扬州市.xlsx')}`)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['能力图谱', '平台验证', '汇总'])

    const map = await getCapabilityMap(db(), services().search, null, ZCapabilityMapParams.parse({ region: '321000' }))
    const sheet = workbook.getWorksheet('能力图谱')!
    const header = sheet.getRow(3).values as unknown[]
    expect(header.slice(1, 3)).toEqual(['代码', '行业'])
    expect(header.slice(3, 3 + map.scenarios.length)).toEqual(map.scenarios.map((s) => s.name))
    expect(header[3 + map.scenarios.length]).toBe('合计')
    map.industries.forEach((industry, i) => {
      const row = sheet.getRow(4 + i).values as unknown[]
      expect(row.slice(1, 3)).toEqual([industry.code, industry.name])
      expect(row.slice(3, 3 + map.scenarios.length)).toEqual(map.providers[i])
      expect(row[3 + map.scenarios.length]).toBe(industry.total)
    })
    const totals = sheet.getRow(4 + map.industries.length).values as unknown[]
    expect(totals.slice(3)).toEqual([...map.scenarios.map((s) => s.total), 4])

    const verified = workbook.getWorksheet('平台验证')!
    map.industries.forEach((_, i) => {
      expect((verified.getRow(4 + i).values as unknown[]).slice(3, 3 + map.scenarios.length)).toEqual(map.verified[i])
    })
    const production = await call(mapXlsx, { path: '/providers/map.xlsx?region=all&link=production', ip: '198.51.100.22' })
    expect(production.status).toBe(200)
    const one = await mapXlsx.loader({
      request: new Request('http://localhost/providers/map.xlsx?region=all&link=production'),
      params: {},
      context: { clientIp: '198.51.100.22' },
    })
    expect(one.headers.get('Content-Disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('服务商能力图谱-全国-生产作业.xlsx')}`,
    )
    const summary = workbook.getWorksheet('汇总')!
    expect(summary.getRow(2).values).toEqual([undefined, '覆盖该地区的认证服务商', 4])
  })

  it(`is limited to ${MAP_EXPORT_LIMIT.limit} exports per client in ${MAP_EXPORT_LIMIT.windowMs / 60_000} minutes`, async () => {
    const ip = '198.51.100.77'
    for (let i = 0; i < MAP_EXPORT_LIMIT.limit; i += 1) {
      expect((await call(mapXlsx, { path: '/providers/map.xlsx', ip })).status).toBe(200)
    }
    const refused = await call(mapXlsx, { path: '/providers/map.xlsx', ip })
    expect(refused.status).toBe(429)
    expect(Number(refused.retryAfter)).toBeGreaterThan(0)
    // Someone else is not affected.
    expect((await call(mapXlsx, { path: '/providers/map.xlsx', ip: '198.51.100.78' })).status).toBe(200)
  })
})
