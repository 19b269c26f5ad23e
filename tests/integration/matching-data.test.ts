import { describe, expect, it } from 'vitest'
import type { SurveyGrade, SurveyOverall } from '../../db/enums.js'
import { archiveTemplate, createTemplate } from '../../app/domain/providers/templates.server.js'
import {
  loadNeedForMatching,
  loadNeedsForMatching,
  loadProviderForMatching,
  loadProvidersForMatching,
  surveyValue,
} from '../../app/domain/matching/data.server.js'
import { rankProviders } from '../../app/domain/matching/rank.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import { weightsForRegion } from '../../app/domain/matching/weights.server.js'
import { insertNeed, insertOrg, insertUser } from '../support/factories.js'
import { insertDiagnosis, insertVersion } from '../support/diagnosis-service-world.js'
import { insertProvider } from './provider-directory-fixtures.js'
import { db, person, templateFields } from './templates-fixtures.js'

/*
 * Matching's loaders (issue 13, slice B) on rows written by the fixtures' writers and the
 * template use cases; runs on SQLite and PostgreSQL (vitest.pg.config.ts).
 */

async function insertSurvey(providerOrgId: number, o: { overall: SurveyOverall; grade: SurveyGrade; filledAt: string }) {
  const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023', status: 'verified' })
  const user = await insertUser(db(), { name: '企业负责人' })
  const diagnosis = await insertDiagnosis(enterprise, providerOrgId, { status: 'completed' })
  const version = await insertVersion(diagnosis, { confirmedBy: user.id })
  await db()
    .insertInto('diagnosis_surveys')
    .values({
      diagnosis_id: diagnosis,
      version_id: version,
      process: o.grade,
      analysis: o.grade,
      proposal: o.grade,
      competence: o.grade,
      result: o.grade,
      overall: o.overall,
      filled_by: user.id,
      filled_at: o.filledAt,
    })
    .execute()
}

describe('loadNeedsForMatching', () => {
  it('loads a need with its scenarios, budget and region path', async () => {
    const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023', status: 'verified' })
    const id = await insertNeed(db(), enterprise, {
      industry: 'C29',
      region: '321023',
      scenarios: ['S402', 'S301'],
      title: '注塑车间MES',
    })
    const need = await loadNeedForMatching(db(), id)
    expect(need).toMatchObject({
      id,
      title: '注塑车间MES',
      industryCode: 'C29',
      scenarioCodes: ['S301', 'S402'],
      region: { code: '321023', countyCode: '321023', cityCode: '321000', provinceCode: '320000' },
      budgetMinWan: 100,
      budgetMaxWan: 300,
      targetLevel: 'digital_workshop',
      deadline: null,
    })
    expect(typeof need!.publishedAt).toBe('string')
    expect(await loadNeedForMatching(db(), 999_999_999)).toBeNull()

    const cityLevel = await insertNeed(db(), enterprise, { region: '321000' })
    const many = await loadNeedsForMatching(db(), [cityLevel, 999_999_998, id, id])
    expect(many.map((n) => n.id)).toEqual([cityLevel, id])
    expect(many[0]!.region).toEqual({ code: '321000', countyCode: null, cityCode: '321000', provinceCode: '320000' })
    expect(await loadNeedsForMatching(db(), [])).toEqual([])
  })
})

describe('loadProvidersForMatching', () => {
  it('loads profile, cases, ratings, price range and neutral placeholders', async () => {
    const orgId = await insertProvider(db(), {
      name: '扬州智造系统集成有限公司',
      region: '321003',
      kinds: ['integrator', 'it_engineering'],
      teamSize: 35,
      industries: ['C29', 'C34'],
      scenarios: ['S301'],
      regions: ['321023', '320100'],
      cases: [
        { industry: 'C29', scenarios: ['S402', 'S301'], verified: true, year: 2024 },
        { industry: 'C36', scenarios: [], year: 2022 },
      ],
    })
    // Templates through the use case: two active (ranges 80–150 and a fixed 400), one archived (ignored).
    const owner = await person(orgId)
    await createTemplate(db(), owner.actor, templateFields({ priceModel: 'range', priceMinWan: 80, priceMaxWan: 150 }))
    await createTemplate(
      db(),
      owner.actor,
      templateFields({ title: '固定总价合同范本', priceModel: 'fixed', priceMinWan: 400, priceMaxWan: null }),
    )
    const archived = await createTemplate(
      db(),
      owner.actor,
      templateFields({ title: '旧版合同范本', priceModel: 'range', priceMinWan: 1, priceMaxWan: 2 }),
    )
    await archiveTemplate(db(), owner.actor, archived.templateId)
    await insertSurvey(orgId, { overall: 'satisfied', grade: 'very_good', filledAt: '2026-06-01T08:00:00.000Z' })
    await insertSurvey(orgId, { overall: 'dissatisfied', grade: 'poor', filledAt: '2025-06-01T08:00:00.000Z' })

    const [p] = await loadProvidersForMatching(db(), new Map([[orgId, 0.75]]))
    expect(p).toMatchObject({
      orgId,
      name: '扬州智造系统集成有限公司',
      kinds: ['integrator', 'it_engineering'],
      verified: true,
      textRelevance: 0.75,
      industryCodes: ['C29', 'C34'],
      scenarioCodes: ['S301'],
      seat: { code: '321003', countyCode: '321003', cityCode: '321000', provinceCode: '320000' },
      servedRegionCodes: ['320100', '321023'],
      nationwide: false,
      teamSize: 35,
      activeContracts: 0,
      delivery: { milestonesOnTime: 0, milestonesLate: 0, disputesLost: 0, contractsCompleted: 0 },
      tier: 'normal',
      priceMinWan: 80,
      priceMaxWan: 400,
    })
    expect(p!.servedRegions).toEqual([
      { code: '320100', countyCode: null, cityCode: '320100', provinceCode: '320000' },
      { code: '321023', countyCode: '321023', cityCode: '321000', provinceCode: '320000' },
    ])
    expect(p!.cases).toEqual([
      { industryCode: 'C29', scenarioCodes: ['S301', 'S402'], verified: true, year: 2024 },
      { industryCode: 'C36', scenarioCodes: [], verified: false, year: 2022 },
    ])
    expect(p!.ratings).toHaveLength(2)
    const byValue = [...p!.ratings].sort((a, b) => b.value - a.value)
    expect(byValue[0]!.value).toBe(1)
    expect(byValue[1]!.value).toBe(0)
    expect(byValue[0]!.at.slice(0, 10)).toBe('2026-06-01')

    // The single-provider loader gives the same, without text relevance.
    const one = await loadProviderForMatching(db(), orgId)
    const { textRelevance: _t, ...rest } = p!
    expect(one).toEqual(rest)
  })

  it('keeps the map’s order, leaves out non-providers, loads unverified ones and missing profiles', async () => {
    const a = await insertProvider(db(), { profile: false })
    const b = await insertProvider(db(), { status: 'pending', nationwide: true, teamSize: null })
    const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023', status: 'verified' })
    const loaded = await loadProvidersForMatching(
      db(),
      new Map([
        [b, 2],
        [enterprise, 1],
        [a, Number.NaN],
        [888_888_888, 1],
      ]),
    )
    expect(loaded.map((p) => p.orgId)).toEqual([b, a])
    expect(loaded[0]).toMatchObject({
      verified: false,
      nationwide: true,
      teamSize: null,
      textRelevance: 1,
      priceMinWan: null,
      priceMaxWan: null,
    })
    expect(loaded[1]).toMatchObject({
      verified: true,
      nationwide: false,
      teamSize: null,
      textRelevance: 0,
      ratings: [],
      cases: [],
    })
    expect(await loadProviderForMatching(db(), enterprise)).toBeNull()
    expect(await loadProvidersForMatching(db(), new Map())).toEqual([])
  })

  it('loads 300 providers in one chunk and ranks them', async () => {
    const ids: number[] = []
    for (let i = 0; i < 30; i++) {
      ids.push(
        await insertProvider(db(), {
          industries: i % 2 === 0 ? ['C29'] : ['C34'],
          scenarios: i % 3 === 0 ? ['S301'] : [],
          cases: i % 5 === 0 ? [{ industry: 'C29', scenarios: ['S301'], verified: i % 10 === 0 }] : [],
        }),
      )
    }
    const relevance = new Map(ids.map((id, i) => [id, 1 - i / 30]))
    // Padding to 300 keys with ids that do not exist: still one chunk, nothing extra loaded.
    for (let i = 0; i < 270; i++) relevance.set(900_000_000 + i, 0)
    const providers = await loadProvidersForMatching(db(), relevance)
    expect(providers.map((p) => p.orgId)).toEqual(ids)
    const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023', status: 'verified' })
    const need = (await loadNeedForMatching(db(), await insertNeed(db(), enterprise, { industry: 'C29', scenarios: ['S301'] })))!
    const result = rankProviders(need, providers, DEFAULT_WEIGHTS, { diversify: false })
    expect(result.ranked.length).toBeGreaterThan(0)
    expect(result.excluded.every((e) => e.reason === 'no_fit')).toBe(true)
    expect(result.ranked[0]!.orgId).toBe(ids[0])
  })
})

describe('surveyValue', () => {
  it('averages the overall verdict and the five items', () => {
    const all = (grade: SurveyGrade, overall: SurveyOverall) => ({
      overall,
      process: grade,
      analysis: grade,
      proposal: grade,
      competence: grade,
      result: grade,
    })
    expect(surveyValue(all('very_good', 'satisfied'))).toBe(1)
    expect(surveyValue(all('poor', 'dissatisfied'))).toBe(0)
    expect(surveyValue(all('good', 'fairly_satisfied'))).toBeCloseTo((0.5 + 2 / 3) / 2)
  })
})

describe('weightsForRegion', () => {
  it('uses the nearest row at or above the region, else the defaults', async () => {
    expect(await weightsForRegion(db(), '321023')).toEqual({ weights: DEFAULT_WEIGHTS, regionCode: null })
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', status: 'verified', agencyLevel: 'city' })
    const cityWeights = { ...DEFAULT_WEIGHTS, text: 20, region: 13 }
    const provinceWeights = { ...DEFAULT_WEIGHTS, text: 30, tier: 0, price: 4 }
    const now = new Date().toISOString()
    await db()
      .insertInto('matching_weights')
      .values([
        { region_code: '321000', agency_org_id: agency, weights: JSON.stringify(cityWeights), updated_at: now },
        { region_code: '320000', agency_org_id: agency, weights: JSON.stringify(provinceWeights), updated_at: now },
      ])
      .execute()
    expect(await weightsForRegion(db(), '321023')).toEqual({ weights: cityWeights, regionCode: '321000' })
    expect(await weightsForRegion(db(), '321000')).toEqual({ weights: cityWeights, regionCode: '321000' })
    expect(await weightsForRegion(db(), '320100')).toEqual({ weights: provinceWeights, regionCode: '320000' })
    expect(await weightsForRegion(db(), '330106')).toEqual({ weights: DEFAULT_WEIGHTS, regionCode: null })
    expect(await weightsForRegion(db(), 'nowhere')).toEqual({ weights: DEFAULT_WEIGHTS, regionCode: null })

    // A stored row that is no valid config is skipped: the next one up applies.
    await db().updateTable('matching_weights').set({ weights: '{"text": 101}' }).where('region_code', '=', '321000').execute()
    expect(await weightsForRegion(db(), '321023')).toEqual({ weights: provinceWeights, regionCode: '320000' })
    await db().updateTable('matching_weights').set({ weights: 'not json' }).where('region_code', '=', '320000').execute()
    expect(await weightsForRegion(db(), '321023')).toEqual({ weights: DEFAULT_WEIGHTS, regionCode: null })
  })
})
