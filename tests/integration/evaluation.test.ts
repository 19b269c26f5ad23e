import { beforeAll, describe, expect, it } from 'vitest'
import { decideAppeal, fileAppeal } from '../../app/domain/evaluation/appeals.server.js'
import { getProviderEvaluation } from '../../app/domain/evaluation/provider.server.js'
import { flagExpiredQualifications } from '../../app/domain/evaluation/qualification-expiry.server.js'
import { getSanctionsPage, imposeSanction, liftSanction } from '../../app/domain/evaluation/sanctions.server.js'
import {
  addDimension,
  computeResults,
  createScheme,
  getSchemePage,
  loadDimensions,
  publishResults,
  publishScheme,
  removeDimension,
  setJudgements,
  updateScheme,
} from '../../app/domain/evaluation/schemes.server.js'
import { loadTiers } from '../../app/domain/evaluation/tiers.server.js'
import { loadNeedForMatching, loadProvidersForMatching } from '../../app/domain/matching/data.server.js'
import { rankProviders } from '../../app/domain/matching/rank.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import { addDays, chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import * as evaluationsIndex from '../../app/routes/agency.evaluations._index.js'
import * as schemeRoute from '../../app/routes/agency.evaluations.$id.js'
import * as providerRoute from '../../app/routes/provider.evaluation.js'
import { call } from '../support/http.js'
import { insertProvider } from './provider-directory-fixtures.js'
import { agency, db, enterpriseWithNeed, personOf, type Person } from './matching-world.js'

/*
 * Provider evaluation (issue 15 §4) through its use cases and routes, on SQLite and
 * PostgreSQL: weights applied, tiers change matching (scores and exclusion), an appeal
 * changes nothing until decided, the sanctions ladder in order (removal ends the pool
 * membership and excludes from matching), jurisdiction, mass assignment, the
 * expired-qualification job.
 */

const year = Number(chinaDate().slice(0, 4))
const spec = (name: string) => ({
  name,
  region: '321003',
  kinds: ['integrator'],
  description: '设备联网、数据采集与工业互联网平台建设。',
  industries: ['C34'],
  scenarios: ['S401'],
  regions: ['321000'],
})

const w = {} as {
  owner: Person
  viewer: Person
  elsewhere: Person
  needId: number
  a: number
  b: number
  c: number
  outside: number
  bOwner: Person
  bMember: Person
  cOwner: Person
  schemeId: number
}

async function ranking() {
  const need = (await loadNeedForMatching(db(), w.needId))!
  const providers = await loadProvidersForMatching(db(), new Map([w.a, w.b, w.c].map((id) => [id, 1])))
  const result = rankProviders(need, providers, DEFAULT_WEIGHTS, { diversify: false })
  const score = (id: number) => result.ranked.find((r) => r.orgId === id)?.score ?? null
  return { result, score, tiers: new Map(providers.map((p) => [p.orgId, p.tier])) }
}

beforeAll(async () => {
  w.owner = await agency('321000', 'owner')
  w.viewer = await personOf(w.owner.orgId, 'viewer')
  w.elsewhere = await agency('620000', 'owner')
  w.needId = (await enterpriseWithNeed({ title: '冲压车间设备联网与数据采集', scenarios: ['S401'], industry: 'C34' })).needId
  w.a = await insertProvider(db(), spec('甲设备联网集成有限公司'))
  w.b = await insertProvider(db(), spec('乙设备联网集成有限公司'))
  w.c = await insertProvider(db(), spec('丙设备联网集成有限公司'))
  w.outside = await insertProvider(db(), { ...spec('兰州设备联网有限公司'), region: '620100' })
  w.bOwner = await personOf(w.b, 'owner')
  w.bMember = await personOf(w.b, 'member')
  w.cOwner = await personOf(w.c, 'owner')
})

describe('a scheme: weights applied', () => {
  it('starts with the five dimensions, edits while a draft, and publishes only with weights summing to 100', async () => {
    w.schemeId = await createScheme(db(), w.owner.actor, {
      year,
      title: `${year} 年度服务商评价`,
      description: '',
      preferredMin: 80,
      excludedBelow: 50,
    })
    const starting = await loadDimensions(db(), w.schemeId)
    expect(starting.map((d) => d.name)).toEqual(['经营力', '技术力', '服务力', '资源整合力', '创新推广力'])
    expect(starting.reduce((s, d) => s + d.weight, 0)).toBe(100)
    // Two dimensions instead: 60 % the agency's judgement only, 40 % enterprise ratings (no records here: 60 points).
    for (const d of starting) await removeDimension(db(), w.owner.actor, w.schemeId, d.id)
    await addDimension(db(), w.owner.actor, w.schemeId, {
      name: '技术力',
      description: '',
      weight: 60,
      metric: 'none',
      judgementPercent: 100,
    })
    await addDimension(db(), w.owner.actor, w.schemeId, {
      name: '服务力',
      description: '',
      weight: 30,
      metric: 'ratings',
      judgementPercent: 0,
    })
    await expect(publishScheme(db(), w.owner.actor, w.schemeId)).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'evaluation.e.weightsSum',
    })
    const service = (await loadDimensions(db(), w.schemeId)).find((d) => d.name === '服务力')!
    await removeDimension(db(), w.owner.actor, w.schemeId, service.id)
    await addDimension(db(), w.owner.actor, w.schemeId, {
      name: '服务力',
      description: '',
      weight: 40,
      metric: 'ratings',
      judgementPercent: 0,
    })
    await publishScheme(db(), w.owner.actor, w.schemeId)
    await expect(
      updateScheme(db(), w.owner.actor, w.schemeId, {
        year,
        title: '改名',
        description: '',
        preferredMin: 80,
        excludedBelow: 50,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.notDraft' })
    await expect(
      createScheme(db(), w.owner.actor, { year, title: '重复', description: '', preferredMin: 80, excludedBelow: 50 }),
    ).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.yearTaken' })
  })

  it('computes totals by the weights for the verified providers of the jurisdiction only', async () => {
    const [tech] = await loadDimensions(db(), w.schemeId)
    await setJudgements(db(), w.owner.actor, w.schemeId, w.a, new Map([[tech!.id, 100]]))
    await setJudgements(db(), w.owner.actor, w.schemeId, w.b, new Map([[tech!.id, 0]]))
    // A provider outside the jurisdiction cannot be judged.
    await expect(setJudgements(db(), w.owner.actor, w.schemeId, w.outside, new Map([[tech!.id, 90]]))).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    const count = await computeResults(db(), w.owner.actor, w.schemeId)
    expect(count).toBeGreaterThanOrEqual(3)
    const rows = await db()
      .selectFrom('evaluation_results')
      .select(['provider_org_id', 'total_x100', 'tier'])
      .where('scheme_id', '=', w.schemeId)
      .execute()
    const of = (id: number) => rows.find((r) => r.provider_org_id === id)
    expect(of(w.a)).toMatchObject({ total_x100: 8400, tier: 'preferred' }) // 0.6 × 100 + 0.4 × 60
    expect(of(w.b)).toMatchObject({ total_x100: 2400, tier: 'excluded' }) // 0.6 × 0 + 0.4 × 60
    expect(of(w.c)).toMatchObject({ total_x100: 6000, tier: 'normal' }) // no judgement: 60 throughout
    expect(of(w.outside)).toBeUndefined()
    const page = await getSchemePage(db(), w.viewer.actor, w.schemeId, { page: 1, provider: null })
    expect(page.mayManage).toBe(false)
    expect(page.results[0]!.providerOrgId).toBe(w.a)
  })
})

describe('tiers change matching', () => {
  it('unpublished results change nothing; published ones lift 优先推荐 and exclude 不再推荐', async () => {
    const before = await ranking()
    expect([...before.tiers.values()]).toEqual(['normal', 'normal', 'normal'])
    expect(before.score(w.a)).toBe(before.score(w.c))
    expect(before.score(w.b)).not.toBeNull()

    await publishResults(db(), w.owner.actor, w.schemeId)
    const after = await ranking()
    expect(after.tiers.get(w.a)).toBe('preferred')
    expect(after.tiers.get(w.b)).toBe('excluded')
    expect(after.tiers.get(w.c)).toBe('normal')
    expect(after.score(w.a)!).toBeGreaterThan(after.score(w.c)!)
    expect(after.score(w.a)!).toBeGreaterThan(before.score(w.a)!)
    expect(after.score(w.b)).toBeNull()
    expect(after.result.excluded).toContainEqual({ orgId: w.b, reason: 'tier_excluded' })
    // Frozen once published.
    await expect(computeResults(db(), w.owner.actor, w.schemeId)).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'evaluation.e.resultsPublished',
    })
    // The provider was told.
    const told = await db().selectFrom('notifications').select('kind').where('user_id', '=', w.bOwner.userId).execute()
    expect(told.map((n) => n.kind)).toContain('evaluation_published')
  })
})

describe('appeals', () => {
  it('an appeal changes nothing until decided; once only; owners only; upheld changes the tier', async () => {
    const view = await getProviderEvaluation(db(), w.bMember.actor)
    const result = view.results[0]!
    expect(result.tier).toBe('excluded')
    expect(result.dimensions.map((d) => d.name)).toEqual(['技术力', '服务力'])
    expect(result.mayAppeal).toBe(false) // a member, not an owner
    await expect(fileAppeal(db(), w.bMember.actor, result.id, '评定未考虑本年度新交付项目。')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    // Another provider's result is not there for this one.
    await expect(fileAppeal(db(), w.cOwner.actor, result.id, '评定未考虑本年度新交付项目。')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })

    await fileAppeal(db(), w.bOwner.actor, result.id, '评定未考虑本年度新交付项目。')
    expect((await loadTiers(db(), [w.b])).get(w.b)).toBe('excluded')
    expect((await ranking()).score(w.b)).toBeNull()
    await expect(fileAppeal(db(), w.bOwner.actor, result.id, '再次申诉，理由相同。')).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'evaluation.e.appealedOnce',
    })

    const appeal = await db()
      .selectFrom('evaluation_appeals')
      .select('id')
      .where('result_id', '=', result.id)
      .executeTakeFirstOrThrow()
    await expect(
      decideAppeal(db(), w.viewer.actor, w.schemeId, {
        appealId: appeal.id,
        decision: 'upheld',
        newTier: 'normal',
        note: '核实',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await decideAppeal(db(), w.owner.actor, w.schemeId, {
      appealId: appeal.id,
      decision: 'upheld',
      newTier: 'normal',
      note: '核实后调整为正常。',
    })
    expect((await loadTiers(db(), [w.b])).get(w.b)).toBe('normal')
    expect((await ranking()).score(w.b)).not.toBeNull()
    await expect(
      decideAppeal(db(), w.owner.actor, w.schemeId, { appealId: appeal.id, decision: 'dismissed', note: '再议' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.appealDecided' })
    const again = await getProviderEvaluation(db(), w.bOwner.actor)
    expect(again.results[0]).toMatchObject({ tier: 'normal', computedTier: 'excluded', appeal: { status: 'upheld' } })
  })

  it('a dismissed appeal leaves the result as it was', async () => {
    const result = (await getProviderEvaluation(db(), w.cOwner.actor)).results[0]!
    await fileAppeal(db(), w.cOwner.actor, result.id, '希望调整为优先推荐。')
    const appeal = await db()
      .selectFrom('evaluation_appeals')
      .select('id')
      .where('result_id', '=', result.id)
      .executeTakeFirstOrThrow()
    await decideAppeal(db(), w.owner.actor, w.schemeId, { appealId: appeal.id, decision: 'dismissed', note: '理由不成立。' })
    expect((await loadTiers(db(), [w.c])).get(w.c)).toBe('normal')
  })
})

describe('the sanctions ladder', () => {
  it('goes warning → rectification → removal (after the deadline), removal ends the pool membership and excludes from matching', async () => {
    const actor = w.owner.actor
    const reason = '项目交付严重逾期，经核实属实。'
    const tomorrow = addDays(chinaDate(), 1)
    // A pool membership of C in this agency's pool (slice P's tables).
    const now = new Date().toISOString()
    const round = await db()
      .insertInto('pool_rounds')
      .values({
        agency_org_id: w.owner.orgId,
        category: 'integrator',
        title: '系统集成商入库',
        apply_until: tomorrow,
        created_by: w.owner.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const application = await db()
      .insertInto('pool_applications')
      .values({
        round_id: round.id,
        provider_org_id: w.c,
        industry_code: 'C34',
        statement: '申请入库',
        status: 'admitted',
        created_by: w.cOwner.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('pool_memberships')
      .values({
        agency_org_id: w.owner.orgId,
        provider_org_id: w.c,
        round_id: round.id,
        application_id: application.id,
        category: 'integrator',
        industry_code: 'C34',
        admitted_on: chinaDate(),
        valid_until: addDays(chinaDate(), 365),
        admitted_by: w.owner.userId,
      })
      .execute()

    const impose = (level: 'warning' | 'rectification' | 'removal', rectifyBy?: string) =>
      imposeSanction(db(), actor, { providerOrgId: w.c, level, reason, rectifyBy })
    // The next step is named by its key, so the error reads in its reader's language.
    await expect(impose('rectification', tomorrow)).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'evaluation.e.ladder',
      params: { nextKey: 'evaluation.level.warning' },
      fieldErrors: { level: 'evaluation.e.ladderField' },
    })
    await expect(impose('removal')).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.ladder' })
    await impose('warning')
    await expect(impose('warning')).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.ladder' })
    await expect(impose('rectification', chinaDate())).rejects.toMatchObject({ code: 'VALIDATION' })
    const rectification = await impose('rectification', tomorrow)
    await expect(impose('removal')).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.rectifying' })
    // The deadline passes unrectified.
    await db()
      .updateTable('provider_sanctions')
      .set({ rectify_by: addDays(chinaDate(), -1) })
      .where('id', '=', rectification)
      .execute()
    const due = await getSanctionsPage(db(), w.viewer.actor, { page: 1, provider: null })
    expect(due.overdue.map((s) => s.id)).toEqual([rectification])
    const removal = await impose('removal')
    const membership = await db()
      .selectFrom('pool_memberships')
      .select('status')
      .where('provider_org_id', '=', w.c)
      .executeTakeFirstOrThrow()
    expect(membership.status).toBe('removed')
    const row = await db()
      .selectFrom('provider_sanctions')
      .select('pool_removed')
      .where('id', '=', removal)
      .executeTakeFirstOrThrow()
    expect(Number(row.pool_removed)).toBe(1)
    expect((await loadTiers(db(), [w.c])).get(w.c)).toBe('excluded')
    expect((await ranking()).result.excluded).toContainEqual({ orgId: w.c, reason: 'tier_excluded' })
    await expect(impose('warning')).rejects.toMatchObject({ code: 'CONFLICT', key: 'evaluation.e.alreadyRemoved' })

    await liftSanction(db(), actor, removal, '整改到位，解除移出。')
    expect((await loadTiers(db(), [w.c])).get(w.c)).toBe('normal')
    await expect(liftSanction(db(), actor, removal, '再次解除')).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'evaluation.e.lifted',
    })
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['sanction.imposed', 'sanction.lifted'])
      .execute()
    expect(audits.length).toBe(4)
  })

  it('two parallel warnings: one wins, the other is a 409', async () => {
    const results = await Promise.allSettled(
      [0, 1].map(() => imposeSanction(db(), w.owner.actor, { providerOrgId: w.a, level: 'warning', reason: '同时提交的警告。' })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    // Whether it read the winner's warning (the ladder) or lost at the unique index (the race),
    // its field message needs no params: the form's message carries them.
    expect(failed.reason).toMatchObject({ code: 'CONFLICT', fieldErrors: { level: 'evaluation.e.ladderField' } })
    expect(['evaluation.e.ladder', 'evaluation.e.sanctionRace']).toContain(failed.reason.key)
  })
})

describe('jurisdiction and roles', () => {
  it('hides a scheme from another agency, keeps its providers out of reach, and lets viewers only read', async () => {
    await expect(getSchemePage(db(), w.elsewhere.actor, w.schemeId, { page: 1, provider: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(
      imposeSanction(db(), w.elsewhere.actor, { providerOrgId: w.a, level: 'warning', reason: '不在辖区的处理。' }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { providerOrgId: 'evaluation.v.provider' } })
    await expect(
      imposeSanction(db(), w.owner.actor, { providerOrgId: w.outside, level: 'warning', reason: '不在辖区的处理。' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(
      createScheme(db(), w.viewer.actor, {
        year: year + 1,
        title: '查看人员新建',
        description: '',
        preferredMin: 80,
        excludedBelow: 50,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(getSchemePage(db(), w.bOwner.actor, w.schemeId, { page: 1, provider: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
  })

  it('routes: 404 for another agency, 403 for a provider on agency pages, and mass assignment changes nothing', async () => {
    const other = await call(schemeRoute, {
      path: `/agency/evaluations/${w.schemeId}`,
      params: { id: String(w.schemeId) },
      cookie: w.elsewhere.cookie,
    })
    expect(other.status).toBe(404)
    const provider = await call(evaluationsIndex, { path: '/agency/evaluations', cookie: w.bOwner.cookie })
    expect(provider.status).toBe(403)
    const created = await call(evaluationsIndex, {
      method: 'POST',
      path: '/agency/evaluations',
      cookie: w.owner.cookie,
      form: {
        year: String(year + 1),
        title: '下年度评价',
        description: '',
        preferredMin: '85',
        excludedBelow: '60',
        status: 'published',
        agency_org_id: String(w.elsewhere.orgId),
        results_published_at: new Date().toISOString(),
      },
    })
    expect(created.status).toBe(302)
    const row = await db()
      .selectFrom('evaluation_schemes')
      .select(['agency_org_id', 'status', 'results_published_at'])
      .where('year', '=', year + 1)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ agency_org_id: w.owner.orgId, status: 'draft', results_published_at: null })
    const bad = await call(evaluationsIndex, {
      method: 'POST',
      path: '/agency/evaluations',
      cookie: w.owner.cookie,
      form: { year: 'abc', title: 'x', preferredMin: '50', excludedBelow: '60' },
    })
    expect(bad.status).toBe(400)
    const page = await call(providerRoute, { path: '/provider/evaluation', cookie: w.bMember.cookie })
    expect(page.status).toBe(200)
  })
})

describe('expired qualifications', () => {
  it('are flagged once by the job, the provider told and the agency shown them', async () => {
    const yesterday = addDays(chinaDate(), -1)
    await db()
      .insertInto('provider_qualifications')
      .values({
        org_id: w.a,
        name: 'ISO 9001 质量管理体系认证',
        valid_from: '2020-01-01',
        valid_until: yesterday,
        created_at: new Date().toISOString(),
      })
      .execute()
    const owner = await personOf(w.a, 'owner')
    expect(await flagExpiredQualifications(db())).toBeGreaterThanOrEqual(1)
    expect(await flagExpiredQualifications(db())).toBe(0)
    const told = await db()
      .selectFrom('notifications')
      .select('kind')
      .where('user_id', '=', owner.userId)
      .where('kind', '=', 'qualification_expired')
      .execute()
    expect(told).toHaveLength(1)
    const page = await getSanctionsPage(db(), w.viewer.actor, { page: 1, provider: null })
    expect(page.expired.map((e) => e.providerOrgId)).toContain(w.a)
    const elsewhere = await getSanctionsPage(db(), w.elsewhere.actor, { page: 1, provider: null })
    expect(elsewhere.expired.map((e) => e.providerOrgId)).not.toContain(w.a)
  })
})
