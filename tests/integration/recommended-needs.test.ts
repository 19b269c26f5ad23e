import { beforeAll, describe, expect, it } from 'vitest'
import { loadProviderForMatching } from '../../app/domain/matching/data.server.js'
import { candidateNeedsForProvider, recommendNeedsForProvider } from '../../app/domain/matching/recommended-needs.server.js'
import { PAIR_FACTORS } from '../../app/domain/matching/types.js'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as recommendedRoute from '../../app/routes/provider.recommended.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { insertNeed, insertOrg, insertUser, type NeedOverrides } from '../support/factories.js'
import { call } from '../support/http.js'
import { db, parse, person, type Person } from '../support/provider-world.js'

/*
 * 推荐需求 (provider → needs): a verified provider gets the open needs of the regions it
 * serves, those of its scenarios and industry first, each with the reasons of its score;
 * needs elsewhere, withdrawn or drafts never; anyone but a verified provider is refused.
 */

interface Item {
  id: number
  score: number
  factors: { factor: string; reason: { key: string } }[]
  invited: boolean
  recommended: boolean
}

let provider: Person
let enterprise: number
const needs = { fit: 0, partial: 0, restricted: 0, far: 0, withdrawn: 0, draft: 0 }

async function need(o: NeedOverrides): Promise<number> {
  const id = await insertNeed(db(), enterprise, o)
  await withTransaction(db(), (trx, afterCommit) => enqueueNeedChange(trx, afterCommit, id))
  return id
}

async function profile(orgId: number, p: { scenarios: string[]; industries: string[]; regions: string[]; description?: string }) {
  const now = new Date().toISOString()
  await db().insertInto('provider_profiles').values({ org_id: orgId, nationwide: 0, updated_at: now }).execute()
  if (p.description) await db().updateTable('organisations').set({ description: p.description }).where('id', '=', orgId).execute()
  for (const code of p.scenarios)
    await db().insertInto('provider_scenarios').values({ org_id: orgId, scenario_code: code }).execute()
  for (const code of p.industries)
    await db().insertInto('provider_industries').values({ org_id: orgId, industry_code: code }).execute()
  for (const code of p.regions) await db().insertInto('provider_regions').values({ org_id: orgId, region_code: code }).execute()
}

async function page(cookie: string, query = '') {
  const outcome = await call(recommendedRoute, { path: `/provider/recommended${query}`, cookie })
  expect(outcome.status).toBe(200)
  return parse(outcome) as {
    recommended: { items: Item[]; total: number; page: number; pageCount: number; profileIncomplete: boolean }
    saved: unknown[]
  }
}

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321084' })
  provider = await person({ kind: 'provider', region: '321003' })
  await db().updateTable('organisations').set({ provider_kinds: '["integrator"]' }).where('id', '=', provider.orgId).execute()
  await profile(provider.orgId, {
    scenarios: ['S402'],
    industries: ['C34'],
    regions: ['321000'],
    description: '专注空压机与风机的振动监测、故障诊断与预测性维护。',
  })
  needs.fit = await need({
    title: '空压机组故障诊断与预测性维护平台',
    description: '空压机振动与温度数据采集，建设故障诊断与预测性维护系统。',
    industry: 'C34',
    region: '321084',
    scenarios: ['S402'],
  })
  needs.partial = await need({
    title: '注塑车间智能仓储改造',
    description: '原料仓与成品仓的智能仓储改造，后续考虑设备预测性维护。',
    industry: 'C29',
    region: '321084',
    scenarios: ['S307'],
  })
  needs.restricted = await need({
    title: '风机振动故障诊断与预测性维护（仅认证服务商）',
    industry: 'C34',
    region: '321084',
    scenarios: ['S402'],
    visibility: 'verified_providers',
  })
  needs.far = await need({
    title: '兰州空压机故障诊断与预测性维护',
    industry: 'C34',
    region: '620102',
    scenarios: ['S402'],
  })
  needs.withdrawn = await need({
    title: '已撤回的空压机故障诊断与预测性维护',
    industry: 'C34',
    region: '321084',
    scenarios: ['S402'],
    status: 'withdrawn',
  })
  needs.draft = await need({
    title: '草稿：空压机故障诊断与预测性维护',
    industry: 'C34',
    region: '321084',
    scenarios: ['S402'],
    status: 'draft',
  })
})

describe('candidateNeedsForProvider', () => {
  it('finds the open needs of the regions served by the provider’s words, with text relevance in 0–1', async () => {
    const p = await loadProviderForMatching(db(), provider.orgId)
    const candidates = await candidateNeedsForProvider(db(), services().search, p!)
    const ids = candidates.map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining([needs.fit, needs.partial, needs.restricted]))
    for (const gone of [needs.far, needs.withdrawn, needs.draft]) expect(ids).not.toContain(gone)
    for (const c of candidates) {
      expect(c.textRelevance).toBeGreaterThanOrEqual(0)
      expect(c.textRelevance).toBeLessThanOrEqual(1)
    }
    expect(Math.max(...candidates.map((c) => c.textRelevance))).toBe(1)
    expect(candidates.length).toBeLessThanOrEqual(200)
  })

  it('a nationwide provider is not held to regions', async () => {
    const p = await loadProviderForMatching(db(), provider.orgId)
    const candidates = await candidateNeedsForProvider(db(), services().search, { ...p!, nationwide: true })
    expect(candidates.map((c) => c.id)).toContain(needs.far)
  })
})

describe('recommendNeedsForProvider', () => {
  it('ranks the needs of its scenario and industry first, by the pair factors only', async () => {
    const ranked = await recommendNeedsForProvider(db(), services().search, provider.orgId)
    const position = (id: number) => ranked.findIndex((r) => r.needId === id)
    expect(position(needs.fit)).toBeGreaterThanOrEqual(0)
    expect(position(needs.partial)).toBeGreaterThan(position(needs.fit))
    const fit = ranked[position(needs.fit)]!
    expect(fit.factors.map((f) => f.factor).sort()).toEqual([...PAIR_FACTORS].sort())
    expect(fit.factors.reduce((sum, f) => sum + f.weight, 0)).toBe(100)
    expect(fit.score).toBeGreaterThan(ranked[position(needs.partial)]!.score)
  })

  it('is empty for an organisation that is no provider', async () => {
    expect(await recommendNeedsForProvider(db(), services().search, enterprise)).toEqual([])
  })
})

describe('/provider/recommended', () => {
  it('shows the ranked needs with score, reasons and the invited badge', async () => {
    const inviter = await insertUser(db(), { name: '邀请人' })
    await db()
      .insertInto('need_invitations')
      .values({
        need_id: needs.fit,
        provider_org_id: provider.orgId,
        kind: 'invite',
        by_org_id: enterprise,
        by_user_id: inviter.id,
        created_at: new Date().toISOString(),
      })
      .execute()
    const { recommended } = await page(provider.cookie)
    expect(recommended.profileIncomplete).toBe(false)
    const ids = recommended.items.map((i) => i.id)
    expect(ids.indexOf(needs.fit)).toBeGreaterThanOrEqual(0)
    expect(ids.indexOf(needs.fit)).toBeLessThan(ids.indexOf(needs.partial))
    for (const gone of [needs.far, needs.withdrawn, needs.draft]) expect(ids).not.toContain(gone)
    const fit = recommended.items.find((i) => i.id === needs.fit)!
    expect(fit.invited).toBe(true)
    expect(fit.recommended).toBe(false)
    expect(fit.score).toBeGreaterThan(0)
    expect(fit.score).toBeLessThanOrEqual(100)
    const scenario = fit.factors.find((f) => f.factor === 'scenario')!
    expect(scenario.reason.key).toMatch(/^matching\./)
    expect(recommended.items.find((i) => i.id === needs.partial)!.invited).toBe(false)
    expect(recommended.items.length).toBeLessThanOrEqual(20)
  })

  it('tells a provider without scenarios or industries to complete its profile', async () => {
    const bare = await person({ kind: 'provider', region: '321003' })
    const { recommended } = await page(bare.cookie)
    expect(recommended.profileIncomplete).toBe(true)
  })

  it('reads a page number leniently', async () => {
    const { recommended } = await page(provider.cookie, '?page=abc')
    expect(recommended.page).toBe(1)
  })

  it('refuses enterprises, agencies and providers not yet verified; sends visitors to sign in', async () => {
    const outsiders = [
      await person({ kind: 'enterprise', region: '321084' }),
      await person({ kind: 'agency', region: '321000' }),
      await person({ kind: 'provider', region: '321003', status: 'pending' }),
    ]
    for (const who of outsiders) {
      const outcome = await call(recommendedRoute, { path: '/provider/recommended', cookie: who.cookie })
      expect(outcome.status).toBe(403)
    }
    const anonymous = await call(recommendedRoute, { path: '/provider/recommended' })
    expect(anonymous.status).toBe(302)
  })
})
