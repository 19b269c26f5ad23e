import { describe, expect, it } from 'vitest'
import {
  bayesianRating,
  capacityFactor,
  deliveryFactor,
  industryFactor,
  NEUTRAL_VALUE,
  priceFactor,
  RATING_MODEL,
  ratingFactor,
  regionFactor,
  scenarioFactor,
  textFactor,
  tierFactor,
} from '../../app/domain/matching/factors.js'
import type { NeedForMatching, ProviderForMatching, RegionPath } from '../../app/domain/matching/types.js'

const path = (province: string | null, city: string | null = null, county: string | null = null): RegionPath => ({
  code: county ?? city ?? province ?? '',
  provinceCode: province,
  cityCode: city,
  countyCode: county,
})

const YANGZHOU_BAOYING = path('320000', '321000', '321023')
const YANGZHOU_JIANGDU = path('320000', '321000', '321012')
const NANJING = path('320000', '320100')
const HANGZHOU = path('330000', '330100', '330106')

const need = (over: Partial<NeedForMatching> = {}): NeedForMatching => ({
  id: 1,
  title: '注塑车间MES建设',
  industryCode: 'C29',
  scenarioCodes: ['S301', 'S302', 'S303'],
  region: YANGZHOU_BAOYING,
  budgetMinWan: 100,
  budgetMaxWan: 200,
  targetLevel: 'digital_workshop',
  deadline: null,
  publishedAt: null,
  ...over,
})

const provider = (over: Partial<ProviderForMatching> = {}): ProviderForMatching => ({
  orgId: 10,
  name: '某集成商',
  kinds: ['integrator'],
  verified: true,
  textRelevance: 0.5,
  industryCodes: [],
  scenarioCodes: [],
  cases: [],
  ratings: [],
  delivery: { milestonesOnTime: 0, milestonesLate: 0, disputesLost: 0, contractsCompleted: 0 },
  seat: HANGZHOU,
  servedRegionCodes: [],
  nationwide: false,
  activeContracts: 0,
  teamSize: null,
  priceMinWan: null,
  priceMaxWan: null,
  tier: 'normal',
  ...over,
})

const NOW = new Date('2026-12-01T00:00:00Z')

describe('text', () => {
  it('is the relevance, clamped, with its percent', () => {
    expect(textFactor(0.734)).toEqual({
      value: 0.734,
      neutral: false,
      reason: { key: 'matching.why.text', params: { percent: 73 } },
    })
    expect(textFactor(2).value).toBe(1)
    expect(textFactor(-1).value).toBe(0)
    expect(textFactor(Number.NaN).value).toBe(0)
    expect(textFactor(0).reason.key).toBe('matching.why.textNone')
  })
})

describe('scenario', () => {
  it('is the share of the need’s scenarios covered by profile or cases', () => {
    expect(scenarioFactor(need(), provider()).value).toBe(0)
    expect(scenarioFactor(need(), provider()).reason).toEqual({ key: 'matching.why.scenarioNone', params: { shared: 0, of: 3 } })
    const p = provider({
      scenarioCodes: ['S301', 'S999'],
      cases: [{ industryCode: 'C30', scenarioCodes: ['S302'], verified: false, year: 2024 }],
    })
    const f = scenarioFactor(need(), p)
    expect(f.value).toBeCloseTo(2 / 3)
    expect(f.reason).toEqual({ key: 'matching.why.scenario', params: { shared: 2, of: 3 } })
  })
  it('is neutral for a need without scenarios', () => {
    expect(scenarioFactor(need({ scenarioCodes: [] }), provider())).toMatchObject({ value: NEUTRAL_VALUE, neutral: true })
  })
  it('counts duplicated need scenarios once', () => {
    expect(scenarioFactor(need({ scenarioCodes: ['S301', 'S301'] }), provider({ scenarioCodes: ['S301'] })).value).toBe(1)
  })
})

describe('industry', () => {
  const c = (verified: boolean, industryCode = 'C29') => ({ industryCode, scenarioCodes: [], verified, year: 2024 })
  it('is 0 with neither profile nor cases, a small base for serving the industry', () => {
    expect(industryFactor(need(), provider()).value).toBe(0)
    expect(industryFactor(need(), provider()).reason.key).toBe('matching.why.industryNone')
    const serves = industryFactor(need(), provider({ industryCodes: ['C29'] }))
    expect(serves.value).toBeCloseTo(0.2)
    expect(serves.reason.key).toBe('matching.why.industryServes')
  })
  it('saturates, a verified case counting twice a declared one', () => {
    const one = industryFactor(need(), provider({ cases: [c(true)] })).value
    expect(one).toBeCloseTo(1 - Math.exp(-0.5))
    const twoDeclared = industryFactor(need(), provider({ cases: [c(false), c(false)] })).value
    expect(twoDeclared).toBeCloseTo(one)
    const four = industryFactor(need(), provider({ cases: [c(true), c(true), c(true), c(true)] })).value
    expect(four).toBeGreaterThan(one)
    expect(four).toBeLessThan(1)
    const other = industryFactor(need(), provider({ cases: [c(true, 'C34')] }))
    expect(other.value).toBe(0)
    const mixed = industryFactor(need(), provider({ industryCodes: ['C29'], cases: [c(true), c(false), c(true, 'C34')] }))
    expect(mixed.value).toBeCloseTo(1 - 0.8 * Math.exp(-1.5 / 2))
    expect(mixed.reason).toEqual({ key: 'matching.why.industryCases', params: { verified: 1, declared: 1 } })
  })
})

describe('rating', () => {
  it('is exactly the prior, neutral, without ratings', () => {
    expect(ratingFactor(provider(), { now: NOW })).toEqual({
      value: 0.5,
      neutral: true,
      reason: { key: 'matching.why.ratingNone', params: {} },
    })
  })
  it('is a Bayesian mean with prior weight 3 and a two-year half-life', () => {
    const fresh = [{ value: 1, at: NOW.toISOString() }]
    expect(bayesianRating(fresh, NOW).mean).toBeCloseTo((3 * 0.5 + 1) / 4)
    const twoYearsOld = [{ value: 1, at: new Date(NOW.getTime() - RATING_MODEL.halfLifeDays * 86_400_000).toISOString() }]
    expect(bayesianRating(twoYearsOld, NOW).mean).toBeCloseTo((1.5 + 0.5) / 3.5)
    const three = Array.from({ length: 3 }, () => ({ value: 1, at: '2026-11-30' }))
    const f = ratingFactor(provider({ ratings: three }), { now: NOW })
    expect(f.neutral).toBe(false)
    expect(f.value).toBeGreaterThan(0.74)
    expect(f.reason).toEqual({ key: 'matching.why.rating', params: { score: 75, count: 3 } })
  })
  it('moves toward the ratings as they accumulate and never leaves [0, 1]', () => {
    const bad = (n: number) =>
      ratingFactor(provider({ ratings: Array.from({ length: n }, () => ({ value: 0, at: '2026-11-01' })) }), { now: NOW }).value
    expect(bad(1)).toBeLessThan(0.5)
    expect(bad(10)).toBeLessThan(bad(1))
    expect(bad(1000)).toBeGreaterThanOrEqual(0)
  })
  it('weighs a future-dated or undated rating as new', () => {
    const r = bayesianRating(
      [
        { value: 1, at: '2030-01-01' },
        { value: 1, at: 'garbage' },
      ],
      NOW,
    )
    expect(r.weight).toBe(2)
  })
})

describe('delivery', () => {
  const d = (milestonesOnTime: number, milestonesLate: number, disputesLost = 0) => ({
    delivery: { milestonesOnTime, milestonesLate, disputesLost, contractsCompleted: 1 },
  })
  it('is neutral without contracts', () => {
    expect(deliveryFactor(provider())).toMatchObject({ value: 0.5, neutral: true, reason: { key: 'matching.why.deliveryNone' } })
  })
  it('is the on-time share less 0.2 per dispute lost', () => {
    expect(deliveryFactor(d(8, 2)).value).toBeCloseTo(0.8)
    expect(deliveryFactor(d(8, 2, 1)).value).toBeCloseTo(0.6)
    expect(deliveryFactor(d(8, 2, 9)).value).toBe(0)
    expect(deliveryFactor(d(0, 0, 1))).toMatchObject({ neutral: false, reason: { key: 'matching.why.deliveryDisputes' } })
    expect(deliveryFactor(d(0, 0, 1)).value).toBeCloseTo(0.3)
    expect(deliveryFactor(d(3, 1)).reason).toEqual({
      key: 'matching.why.delivery',
      params: { onTime: 3, total: 4, disputesLost: 0 },
    })
  })
})

describe('region', () => {
  const n = need()
  const value = (over: Partial<ProviderForMatching>) => regionFactor(n, provider(over))
  it('orders county > city > province > elsewhere by the seat', () => {
    expect(value({ seat: YANGZHOU_BAOYING })).toMatchObject({ value: 1, reason: { key: 'matching.why.regionSameCounty' } })
    expect(value({ seat: YANGZHOU_JIANGDU })).toMatchObject({ value: 0.8, reason: { key: 'matching.why.regionSameCity' } })
    expect(value({ seat: NANJING })).toMatchObject({ value: 0.6, reason: { key: 'matching.why.regionSameProvince' } })
    expect(value({ seat: HANGZHOU })).toMatchObject({ value: 0, reason: { key: 'matching.why.regionElsewhere' } })
  })
  it('counts served regions like the seat', () => {
    expect(value({ servedRegionCodes: ['321012'], servedRegions: [YANGZHOU_JIANGDU] })).toMatchObject({
      value: 0.8,
      reason: { key: 'matching.why.regionServesCity' },
    })
    expect(value({ servedRegionCodes: ['320000'], servedRegions: [path('320000')] })).toMatchObject({
      value: 0.6,
      reason: { key: 'matching.why.regionServesProvince' },
    })
    // Without paths, served codes are compared with the need's path.
    expect(value({ servedRegionCodes: ['321023'] })).toMatchObject({
      value: 1,
      reason: { key: 'matching.why.regionServesCounty' },
    })
    expect(value({ servedRegionCodes: ['321000'] }).value).toBe(0.8)
    // The seat wins a tie with a served region.
    expect(
      value({ seat: YANGZHOU_JIANGDU, servedRegionCodes: ['321000'], servedRegions: [path('320000', '321000')] }).reason.key,
    ).toBe('matching.why.regionSameCity')
  })
  it('gives nationwide providers 0.8 unless the seat is nearer', () => {
    expect(value({ nationwide: true })).toMatchObject({ value: 0.8, reason: { key: 'matching.why.regionNationwide' } })
    expect(value({ nationwide: true, seat: NANJING }).value).toBe(0.8)
    expect(value({ nationwide: true, seat: YANGZHOU_BAOYING }).value).toBe(1)
    expect(value({ nationwide: true, seat: YANGZHOU_JIANGDU })).toMatchObject({
      value: 0.8,
      reason: { key: 'matching.why.regionSameCity' },
    })
  })
  it('handles a need at city level', () => {
    const cityNeed = need({ region: path('320000', '321000') })
    expect(regionFactor(cityNeed, provider({ seat: YANGZHOU_BAOYING })).value).toBe(0.8)
  })
})

describe('capacity', () => {
  it('is neutral with unknown team size or no contracts yet', () => {
    expect(capacityFactor(provider())).toMatchObject({
      value: 0.5,
      neutral: true,
      reason: { key: 'matching.why.capacityUnknown' },
    })
    expect(capacityFactor(provider({ teamSize: 20 }))).toMatchObject({
      value: 0.5,
      neutral: true,
      reason: { key: 'matching.why.capacityNoContracts', params: { teamSize: 20 } },
    })
  })
  it('is the share of free project slots (team / 5)', () => {
    const done = { milestonesOnTime: 4, milestonesLate: 0, disputesLost: 0, contractsCompleted: 2 }
    expect(capacityFactor(provider({ teamSize: 20, activeContracts: 0, delivery: done })).value).toBe(1)
    expect(capacityFactor(provider({ teamSize: 20, activeContracts: 1, delivery: done })).value).toBeCloseTo(0.75)
    expect(capacityFactor(provider({ teamSize: 20, activeContracts: 6, delivery: done })).value).toBe(0)
    expect(capacityFactor(provider({ teamSize: 3, activeContracts: 1 })).value).toBe(0)
  })
})

describe('price', () => {
  const n = need({ budgetMinWan: 100, budgetMaxWan: 200 })
  const v = (min: number | null, max: number | null) => priceFactor(n, provider({ priceMinWan: min, priceMaxWan: max }))
  it('is neutral without a priced template', () => {
    expect(v(null, null)).toMatchObject({ value: 0.5, neutral: true, reason: { key: 'matching.why.priceNone' } })
  })
  it('rewards overlap, falls off with the gap', () => {
    expect(v(120, 180).value).toBe(1)
    expect(v(150, 150).value).toBe(1)
    expect(v(150, 250).value).toBeCloseTo(0.6 + 0.4 * 0.5)
    expect(v(200, 400).value).toBeCloseTo(0.6)
    expect(v(250, 300)).toMatchObject({
      reason: { key: 'matching.why.priceAbove', params: { min: 250, max: 300, budgetMin: 100, budgetMax: 200 } },
    })
    expect(v(250, 300).value).toBeCloseTo(0.4 * (1 - 50 / 200))
    expect(v(10, 20)).toMatchObject({ reason: { key: 'matching.why.priceBelow' } })
    expect(v(1000, 2000).value).toBe(0)
    expect(v(150, null).value).toBe(1)
  })
})

describe('tier', () => {
  it('preferred 1, normal 0.5', () => {
    expect(tierFactor({ tier: 'preferred' })).toMatchObject({ value: 1, reason: { key: 'matching.why.tierPreferred' } })
    expect(tierFactor({ tier: 'normal' })).toMatchObject({ value: 0.5, reason: { key: 'matching.why.tierNormal' } })
  })
})
