import { beforeAll, describe, expect, it } from 'vitest'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as apiRegions from '../../app/routes/api.regions.js'
import * as favicon from '../../app/routes/favicon[.]ico.js'
import * as healthz from '../../app/routes/healthz.js'
import * as home from '../../app/routes/_index.js'
import * as needDetail from '../../app/routes/needs.$id.js'
import * as needs from '../../app/routes/needs._index.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db
const ids: Record<string, number> = {}

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const yz = await insertOrg(db(), { name: '扬州恒鑫精密机械有限公司', region: '321023' })
  const lz = await insertOrg(db(), { name: '兰州金川新材料科技有限公司', region: '620102', industry: 'C32' })
  ids.vision = await insertNeed(db(), yz, {
    title: '基于机器视觉的焊缝在线检测',
    description: '焊接工序依赖人工目检，漏检率高，计划引入视觉检测系统。',
    scenarios: ['S305', 'S306'],
  })
  ids.energy = await insertNeed(db(), lz, {
    title: '能耗在线监测与能效优化平台',
    description: '电解车间能耗高，缺少分项计量与数字化分析手段。',
    region: '620102',
    industry: 'C32',
    scenarios: ['S403'],
  })
  ids.draft = await insertNeed(db(), yz, { title: '数字化车间规划草稿', status: 'draft' })
  ids.withdrawn = await insertNeed(db(), yz, { title: '已撤回的视觉检测需求', status: 'withdrawn' })
  ids.restricted = await insertNeed(db(), yz, { title: '仅认证服务商可见的视觉需求', visibility: 'verified_providers' })
  // Committing the enqueue flushes the outbox into the index (services() subscribed).
  await withTransaction(db(), async (trx, afterCommit) => {
    for (const id of Object.values(ids)) await enqueueNeedChange(trx, afterCommit, id)
  })
})

const list = async (qs: string) => JSON.parse((await call(needs, { path: `/needs${qs}` })).body)

describe('/needs', () => {
  it('finds Chinese words and shows only public needs', async () => {
    const result = (await list('?q=视觉')).result
    expect(result.items.map((i: { id: number }) => i.id)).toEqual([ids.vision])
    expect((await list('?q=能效')).result.items.map((i: { id: number }) => i.id)).toEqual([ids.energy])
  })

  it('filters by region (a province finds its counties), industry, scenario and budget, with facets', async () => {
    expect((await list('?region=320000')).result.total).toBe(1)
    expect((await list('?region=620000')).result.items[0].id).toBe(ids.energy)
    expect((await list('?industry=C32')).result.total).toBe(1)
    expect((await list('?scenario=S306')).result.items[0].id).toBe(ids.vision)
    expect((await list('?budgetMin=400')).result.total).toBe(0)
    expect((await list('?budgetMin=200&budgetMax=250')).result.total).toBe(2)
    const all = await list('')
    expect(all.result.facets.province).toEqual({ '320000': 1, '620000': 1 })
    expect(all.result.facets.scenarios.S305).toBe(1)
  })

  it('ignores invalid parameters instead of failing', async () => {
    const outcome = await call(needs, { path: '/needs?region=<script>&page=-4&budgetMin=abc&sort=drop&level=x' })
    expect(outcome.status).toBe(200)
    const data = JSON.parse(outcome.body)
    expect(data.result.total).toBe(2)
    expect(data.params).toMatchObject({ page: 1 })
    expect(data.params.region).toBeUndefined()
  })

  it('answers 400 for a repeated parameter: the URL names two queries at once', async () => {
    const outcome = await call(needs, { path: '/needs?q=视觉&q=能效' })
    expect(outcome.status).toBe(400)
    expect(outcome.body).toBe('errors.badRequest')
  })

  it('never fails on hostile search text', async () => {
    for (const q of [
      '"',
      '"视觉',
      '*',
      'NEAR(视觉 检测)',
      '-视觉',
      'AND',
      'OR NOT',
      '^',
      '(',
      ')',
      '：',
      '😀',
      '视'.repeat(2000),
    ]) {
      const outcome = await call(needs, { path: `/needs?q=${encodeURIComponent(q)}` })
      expect(outcome.status, q.slice(0, 10)).toBe(200)
    }
  })
})

describe('/needs/:id', () => {
  it('shows a published public need', async () => {
    const outcome = await call(needDetail, { path: `/needs/${ids.vision}`, params: { id: String(ids.vision) } })
    expect(outcome.status).toBe(200)
    const { need } = JSON.parse(outcome.body)
    expect(need).toMatchObject({ title: '基于机器视觉的焊缝在线检测', regionName: '江苏省 扬州市 宝应县' })
    expect(need.scenarios.map((s: { name: string }) => s.name)).toEqual(['智能在线检测', '质量追溯'])
  })

  // One for verified providers only is a 403 saying so (restricted-need.test.ts).
  it('is a 404 for drafts, withdrawn and unknown needs', async () => {
    for (const id of [ids.draft, ids.withdrawn, 99999999]) {
      const outcome = await call(needDetail, { path: `/needs/${id}`, params: { id: String(id) } })
      expect(outcome.status, String(id)).toBe(404)
      expect(outcome.body).toBe('need.e.notFound')
    }
  })

  it('is a 404 for anything but a decimal id: no hex, exponent, blank, sign or leading zero', async () => {
    // 0x10 would be need 16 and 1e3 need 1000 if read with Number(); 007 is not how need 7 is written.
    for (const raw of ['0x10', '1e3', '%20', '007', '0', '-1', '+1', '1.0', ' 1', 'abc', '9'.repeat(17), '']) {
      const param = decodeURIComponent(raw)
      const outcome = await call(needDetail, { path: `/needs/${raw}`, params: { id: param } })
      expect(outcome.status, JSON.stringify(raw)).toBe(404)
    }
  })
})

describe('home and health', () => {
  it('shows counts and the latest needs', async () => {
    const data = JSON.parse((await call(home, { path: '/' })).body)
    expect(data.stats.openNeeds).toBe(2)
    expect(data.latest.map((n: { title: string }) => n.title)).toContain('能耗在线监测与能效优化平台')
  })

  it('answers /api/regions with the provinces, the children of a region, and 400 for a malformed code', async () => {
    const provinces = JSON.parse((await call(apiRegions, { path: '/api/regions' })).body)
    expect(provinces.regions.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['320000', '620000']))
    const cities = JSON.parse((await call(apiRegions, { path: '/api/regions?parent=320000' })).body)
    expect(cities.regions.map((r: { code: string }) => r.code)).toContain('321000')
    expect(JSON.parse((await call(apiRegions, { path: '/api/regions?parent=999999' })).body).regions).toEqual([])
    expect((await call(apiRegions, { path: '/api/regions?parent=%3Cx%3E' })).status).toBe(400)
  })

  it('answers /favicon.ico with no content', async () => {
    expect((await call(favicon, { path: '/favicon.ico' })).status).toBe(204)
  })

  it('answers /healthz with the database reachable', async () => {
    const outcome = await call(healthz, { path: '/healthz' })
    expect(outcome.status).toBe(200)
    expect(JSON.parse(outcome.body)).toEqual({ status: 'ok', database: 'ok' })
  })
})

describe('needs for verified providers only', () => {
  it('are shown to verified providers and agencies, not to visitors or enterprises', async () => {
    const { addMember, insertUser, signIn } = await import('../support/factories.js')
    const cookieFor = async (kind: 'enterprise' | 'provider' | 'agency', status: 'verified' | 'pending' = 'verified') => {
      const org = await insertOrg(db(), { kind, status, region: kind === 'agency' ? '321000' : '321002', agencyLevel: 'city' })
      const user = await insertUser(db())
      await addMember(db(), user.id, org)
      return (await signIn(db(), user.id, org)).cookie
    }
    const path = `/needs/${ids.restricted}`
    const params = { id: String(ids.restricted) }
    // Others are told it exists and is restricted, nothing more (restricted-need.test.ts).
    expect((await call(needDetail, { path, params })).status).toBe(403)
    expect((await call(needDetail, { path, params, cookie: await cookieFor('enterprise') })).status).toBe(403)
    expect((await call(needDetail, { path, params, cookie: await cookieFor('provider', 'pending') })).status).toBe(403)
    const provider = await cookieFor('provider')
    expect((await call(needDetail, { path, params, cookie: provider })).status).toBe(200)
    expect((await call(needDetail, { path, params, cookie: await cookieFor('agency') })).status).toBe(200)

    const visitor = JSON.parse((await call(needs, { path: '/needs?q=视觉' })).body).result
    const forProvider = JSON.parse((await call(needs, { path: '/needs?q=视觉', cookie: provider })).body).result
    expect(visitor.items.map((i: { id: number }) => i.id)).not.toContain(ids.restricted)
    expect(forProvider.items.map((i: { id: number }) => i.id)).toContain(ids.restricted)
  })
})
