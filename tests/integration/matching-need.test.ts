import { beforeAll, describe, expect, it } from 'vitest'
import { candidatesForNeed, getNeedMatches, matchProvidersForNeed } from '../../app/domain/matching/need-matches.server.js'
import { loadNeedForMatching } from '../../app/domain/matching/data.server.js'
import { MATCH_FACTORS } from '../../app/domain/matching/types.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import * as matches from '../../app/routes/needs.$id_.matches.js'
import { services } from '../../app/web/services.server.js'
import { insertNeed } from '../support/factories.js'
import { call } from '../support/http.js'
import { agency, db, enterpriseWithNeed, fitting, indexedProviders, personOf, type Person } from './matching-world.js'

/*
 * Need → providers (issue 13, slice C1): the match list of a need, its breakdown, who may
 * read it. SQLite and PostgreSQL (vitest.pg.config.ts).
 */

const w = {} as {
  owner: Person
  enterpriseId: number
  needId: number
  draftId: number
  best: number
  second: number
  consultancy: number
  pending: number
  silent: number
  providerPerson: Person
}

beforeAll(async () => {
  const e = await enterpriseWithNeed({ title: '冲压车间设备联网与数据采集', scenarios: ['S401'], industry: 'C34' })
  w.owner = e.owner
  w.enterpriseId = e.orgId
  w.needId = e.needId
  w.draftId = await insertNeed(db(), e.orgId, { status: 'draft', title: '冲压设备数据采集草稿' })
  const ids = await indexedProviders([
    fitting('扬州设备联网集成有限公司', {
      cases: [
        { title: '冲压车间设备联网', industry: 'C34', scenarios: ['S401'], summary: '冲压设备数据采集与联网。', verified: true },
      ],
    }),
    fitting('南京数采科技有限公司', { description: '数据采集终端。', industries: [], regions: ['320000'] }),
    // A consultancy alone does not deliver upgrade projects: never a candidate.
    fitting('设备联网诊断咨询有限公司', { kinds: ['consultancy'] }),
    // Not verified: not in the index.
    fitting('待审核设备联网公司', { status: 'pending' }),
    // Its words share nothing with the need (nor does it serve its industry or scenario): fetched only once paired.
    fitting('远方食品包装机械厂', { description: '包装机械。', scenarios: ['S305'], industries: [] }),
  ])
  ;[w.best, w.second, w.consultancy, w.pending, w.silent] = ids as [number, number, number, number, number]
  w.providerPerson = await personOf(w.best)
})

describe('candidatesForNeed / matchProvidersForNeed', () => {
  it('finds the providers whose words match, with the best text relevance 1, and no consultancy or pending one', async () => {
    const need = (await loadNeedForMatching(db(), w.needId))!
    const candidates = await candidatesForNeed(db(), services().search, need)
    const ids = candidates.map((c) => c.orgId)
    expect(ids).toContain(w.best)
    expect(ids).toContain(w.second)
    expect(ids).not.toContain(w.consultancy)
    expect(ids).not.toContain(w.pending)
    expect(Math.max(...candidates.map((c) => c.textRelevance))).toBe(1)
    for (const c of candidates) expect(c.textRelevance).toBeGreaterThanOrEqual(0)

    const result = await matchProvidersForNeed(db(), services().search, need, { weights: DEFAULT_WEIGHTS, diversify: false })
    expect(result.ranked[0]!.orgId).toBe(w.best)
    expect(result.candidates.length).toBe(candidates.length)
  })

  it('adds the providers already paired with the need, even when their words did not match', async () => {
    const need = (await loadNeedForMatching(db(), w.needId))!
    const before = await candidatesForNeed(db(), services().search, need)
    expect(before.map((c) => c.orgId)).not.toContain(w.silent)
    await db()
      .insertInto('need_invitations')
      .values({
        need_id: w.needId,
        provider_org_id: w.silent,
        kind: 'invite',
        by_org_id: w.enterpriseId,
        by_user_id: w.owner.userId,
        created_at: new Date().toISOString(),
      })
      .execute()
    const after = await candidatesForNeed(db(), services().search, need)
    const silent = after.find((c) => c.orgId === w.silent)
    expect(silent?.textRelevance).toBe(0)
    // It fails the hard filters (no fit): counted apart from the list, not ranked.
    const page = await getNeedMatches(db(), services().search, w.owner.actor, w.needId)
    expect(page.rows.map((r) => r.orgId)).not.toContain(w.silent)
    expect(page.pairedOutsideList).toBe(1)
    await db().deleteFrom('need_invitations').where('need_id', '=', w.needId).execute()
  })
})

describe('/needs/:id/matches', () => {
  it('gives the owner the ranking with every factor of the breakdown', async () => {
    const outcome = await call(matches, {
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: w.owner.cookie,
    })
    expect(outcome.status).toBe(200)
    const page = JSON.parse(outcome.body) as Awaited<ReturnType<typeof getNeedMatches>>
    expect(page.viewer).toBe('owner')
    expect(page.canInvite).toBe(true)
    expect(page.canRecommend).toBe(false)
    expect(page.total).toBeGreaterThanOrEqual(2)
    const ids = page.rows.map((r) => r.orgId)
    expect(ids).toContain(w.best)
    expect(ids).not.toContain(w.consultancy)
    expect(page.rows.map((r) => r.rank)).toEqual(page.rows.map((_, i) => i + 1))
    const best = page.rows.find((r) => r.orgId === w.best)!
    expect(best.name).toBe('扬州设备联网集成有限公司')
    expect(best.kinds).toEqual(['integrator'])
    expect(best.seatName).toContain('扬州市')
    expect(best.factors.map((f) => f.factor)).toEqual([...MATCH_FACTORS])
    expect(best.score).toBeGreaterThan(0)
    expect(best.score).toBeLessThanOrEqual(100)
    const sum = best.factors.reduce((s, f) => s + f.points, 0)
    expect(Math.abs(sum - best.score)).toBeLessThan(0.2)
    for (const f of best.factors) {
      expect(f.weight).toBe(DEFAULT_WEIGHTS[f.factor])
      expect(f.reason.key).toMatch(/^matching\./)
    }
    // No ratings yet: the rating factor is neutral.
    expect(best.factors.find((f) => f.factor === 'rating')!.neutral).toBe(true)
    expect(page.weightsRegionName).toBeNull()
  })

  it('is readable for a draft too, without pairing actions', async () => {
    const page = await getNeedMatches(db(), services().search, w.owner.actor, w.draftId)
    expect(page.notOpen).toBe(true)
    expect(page.canInvite).toBe(false)
  })

  it('lets an agency over the need read it (and recommend), refuses one outside', async () => {
    const inside = await agency('321000')
    const outcome = await call(matches, {
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: inside.cookie,
    })
    expect(outcome.status).toBe(200)
    const page = JSON.parse(outcome.body) as Awaited<ReturnType<typeof getNeedMatches>>
    expect(page.viewer).toBe('agency')
    expect(page.canRecommend).toBe(true)
    expect(page.canInvite).toBe(false)

    const viewer = await personOf(inside.orgId, 'viewer')
    const asViewer = await getNeedMatches(db(), services().search, viewer.actor, w.needId)
    expect(asViewer.canRecommend).toBe(false)

    const outside = await agency('620000')
    const refused = await call(matches, {
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: outside.cookie,
    })
    expect(refused.status).toBe(404)
  })

  it('tells a provider — even one on the list — and another enterprise that nothing exists', async () => {
    const asProvider = await call(matches, {
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: w.providerPerson.cookie,
    })
    expect(asProvider.status).toBe(404)
    const other = await enterpriseWithNeed()
    const asOther = await call(matches, {
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: other.owner.cookie,
    })
    expect(asOther.status).toBe(404)
    const unknown = await call(matches, { path: '/needs/99999999/matches', params: { id: '99999999' }, cookie: w.owner.cookie })
    expect(unknown.status).toBe(404)
  })

  it('pages past the end read as the last page', async () => {
    const page = await getNeedMatches(db(), services().search, w.owner.actor, w.needId, { page: 50 })
    expect(page.page).toBe(page.pageCount)
  })
})
