import { describe, expect, it } from 'vitest'
import { bandsOf, diversify, stableHash } from '../../app/domain/matching/diversify.js'
import { exposureShare, ndcgAt, recallAt } from '../../app/domain/matching/metrics.js'
import { rankNeeds, rankProviders } from '../../app/domain/matching/rank.js'
import {
  MATCH_FACTORS,
  PAIR_FACTORS,
  type NeedCandidate,
  type NeedForMatching,
  type ProviderForMatching,
} from '../../app/domain/matching/types.js'
import { DEFAULT_WEIGHTS, renormalise, weightsTotal } from '../../app/domain/matching/weights.js'
import { ZMatchWeights } from '../../app/domain/matching/weights-schema.js'

const NOW = new Date('2026-12-01T00:00:00Z')

const need = (over: Partial<NeedForMatching> = {}): NeedForMatching => ({
  id: 7,
  title: '视觉检测',
  industryCode: 'C29',
  scenarioCodes: ['S301', 'S302', 'S303', 'S304'],
  region: { code: '321023', countyCode: '321023', cityCode: '321000', provinceCode: '320000' },
  budgetMinWan: 100,
  budgetMaxWan: 200,
  targetLevel: 'digital_workshop',
  deadline: null,
  publishedAt: null,
  ...over,
})

const provider = (orgId: number, over: Partial<ProviderForMatching> = {}): ProviderForMatching => ({
  orgId,
  name: `服务商${orgId}`,
  kinds: ['integrator'],
  verified: true,
  textRelevance: 0.5,
  industryCodes: ['C29'],
  scenarioCodes: [],
  cases: [],
  ratings: [],
  delivery: { milestonesOnTime: 0, milestonesLate: 0, disputesLost: 0, contractsCompleted: 0 },
  seat: { code: '330106', countyCode: '330106', cityCode: '330100', provinceCode: '330000' },
  servedRegionCodes: [],
  nationwide: false,
  activeContracts: 0,
  teamSize: null,
  priceMinWan: null,
  priceMaxWan: null,
  tier: 'normal',
  ...over,
})

/** A small seeded generator (mulberry32): the property tests are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCENARIOS = ['S301', 'S302', 'S303', 'S304', 'S305', 'S306']
const INDUSTRIES = ['C29', 'C34', 'C36']

function randomProvider(r: () => number, orgId: number): ProviderForMatching {
  const pick = <T>(xs: readonly T[]) => xs.filter(() => r() < 0.4)
  const seats = [
    { code: '321023', countyCode: '321023', cityCode: '321000', provinceCode: '320000' },
    { code: '321012', countyCode: '321012', cityCode: '321000', provinceCode: '320000' },
    { code: '320100', countyCode: null, cityCode: '320100', provinceCode: '320000' },
    { code: '330106', countyCode: '330106', cityCode: '330100', provinceCode: '330000' },
  ]
  const priced = r() < 0.5
  const min = Math.floor(r() * 300)
  return provider(orgId, {
    kinds: r() < 0.9 ? ['integrator'] : ['consultancy'],
    verified: r() < 0.9,
    textRelevance: Math.round(r() * 100) / 100,
    industryCodes: pick(INDUSTRIES),
    scenarioCodes: pick(SCENARIOS),
    cases: Array.from({ length: Math.floor(r() * 4) }, () => ({
      industryCode: INDUSTRIES[Math.floor(r() * 3)]!,
      scenarioCodes: pick(SCENARIOS),
      verified: r() < 0.3,
      year: 2020 + Math.floor(r() * 6),
    })),
    ratings: Array.from({ length: Math.floor(r() * 5) }, () => ({
      value: Math.round(r() * 2) / 2,
      at: `202${Math.floor(r() * 7)}-06-01`,
    })),
    delivery: {
      milestonesOnTime: Math.floor(r() * 5),
      milestonesLate: Math.floor(r() * 3),
      disputesLost: r() < 0.1 ? 1 : 0,
      contractsCompleted: Math.floor(r() * 3),
    },
    seat: seats[Math.floor(r() * seats.length)]!,
    nationwide: r() < 0.15,
    activeContracts: Math.floor(r() * 3),
    teamSize: r() < 0.7 ? 1 + Math.floor(r() * 40) : null,
    priceMinWan: priced ? min : null,
    priceMaxWan: priced ? min + Math.floor(r() * 200) : null,
    tier: r() < 0.1 ? 'preferred' : r() < 0.1 ? 'excluded' : 'normal',
  })
}

describe('weights', () => {
  it('defaults follow the plan and sum to 100', () => {
    expect(DEFAULT_WEIGHTS).toEqual({
      text: 25,
      scenario: 20,
      industry: 15,
      rating: 10,
      delivery: 8,
      region: 8,
      capacity: 5,
      price: 5,
      tier: 4,
    })
    expect(weightsTotal(DEFAULT_WEIGHTS)).toBe(100)
  })
  it('renormalise scales the chosen factors to integers summing to 100', () => {
    const pair = renormalise(DEFAULT_WEIGHTS, PAIR_FACTORS)
    expect(pair).toEqual({
      text: 34,
      scenario: 27,
      industry: 21,
      rating: 0,
      delivery: 0,
      region: 11,
      capacity: 0,
      price: 7,
      tier: 0,
    })
    expect(weightsTotal(pair)).toBe(100)
    const r = rng(1)
    for (let i = 0; i < 200; i++) {
      const w = Object.fromEntries(MATCH_FACTORS.map((f) => [f, Math.floor(r() * 30)])) as typeof DEFAULT_WEIGHTS
      const chosen = MATCH_FACTORS.filter(() => r() < 0.6)
      const out = renormalise(w, chosen.length ? chosen : ['text'])
      expect(weightsTotal(out)).toBe(100)
      for (const f of MATCH_FACTORS) expect(Number.isInteger(out[f])).toBe(true)
    }
    expect(renormalise({ ...DEFAULT_WEIGHTS, text: 0, scenario: 0 }, ['text', 'scenario'])).toMatchObject({
      text: 50,
      scenario: 50,
    })
  })
  it('the schema wants integers 0–100 summing to exactly 100', () => {
    expect(ZMatchWeights.safeParse(DEFAULT_WEIGHTS).success).toBe(true)
    const asText = Object.fromEntries(MATCH_FACTORS.map((f) => [f, String(DEFAULT_WEIGHTS[f])]))
    expect(ZMatchWeights.parse(asText)).toEqual(DEFAULT_WEIGHTS)
    const off = ZMatchWeights.safeParse({ ...DEFAULT_WEIGHTS, text: 30 })
    expect(off.success).toBe(false)
    expect(off.error!.issues[0]).toMatchObject({ path: ['total'], message: 'matching.v.weightsSum', params: { sum: 105 } })
    for (const bad of [-1, 101, 2.5, 'x', '']) {
      const r = ZMatchWeights.safeParse({ ...DEFAULT_WEIGHTS, tier: bad })
      expect(r.success).toBe(false)
      expect(r.error!.issues[0]).toMatchObject({ path: ['tier'], message: 'matching.v.weight' })
    }
  })
})

describe('rankProviders', () => {
  it('combines factors as Σ weight × value, rounded to 0.1, with a full breakdown', () => {
    const p = provider(1, { textRelevance: 1, scenarioCodes: ['S301', 'S302'] })
    const { ranked } = rankProviders(need(), [p], DEFAULT_WEIGHTS, { now: NOW })
    const r = ranked[0]!
    expect(r.factors.map((f) => f.factor)).toEqual([...MATCH_FACTORS])
    // text 25×1 + scenario 20×0.5 + industry 15×0.2 + rating 10×0.5 + delivery 8×0.5
    // + region 8×0 + capacity 5×0.5 + price 5×0.5 + tier 4×0.5
    expect(r.score).toBe(Math.round((25 + 10 + 3 + 5 + 4 + 0 + 2.5 + 2.5 + 2) * 10) / 10)
    expect(r.rawRank).toBe(1)
    const byFactor = Object.fromEntries(r.factors.map((f) => [f.factor, f]))
    expect(byFactor.rating).toMatchObject({ weight: 10, value: 0.5, points: 5, neutral: true })
    expect(byFactor.delivery!.neutral).toBe(true)
    expect(byFactor.capacity!.neutral).toBe(true)
    expect(byFactor.price!.neutral).toBe(true)
    expect(byFactor.text!.neutral).toBe(false)
    expect(r.factors.reduce((a, f) => a + f.points, 0)).toBeCloseTo(r.score, 1)
  })

  it('applies the hard filters and says why', () => {
    const candidates = [
      provider(1),
      provider(2, { verified: false }),
      provider(3, { kinds: ['consultancy', 'supervisor'] }),
      provider(4, { industryCodes: [], scenarioCodes: [] }),
      provider(5, { tier: 'excluded' }),
      provider(6, { kinds: ['consultancy', 'equipment'], industryCodes: [], scenarioCodes: ['S302'] }),
      provider(7, { industryCodes: [], cases: [{ industryCode: 'C29', scenarioCodes: [], verified: false, year: 2023 }] }),
      provider(8, { industryCodes: [], cases: [{ industryCode: 'C10', scenarioCodes: ['S304'], verified: false, year: 2023 }] }),
    ]
    const result = rankProviders(need(), candidates, DEFAULT_WEIGHTS, { now: NOW })
    expect(result.ranked.map((r) => r.orgId).sort()).toEqual([1, 6, 7, 8])
    expect(result.excluded).toEqual([
      { orgId: 2, reason: 'not_verified' },
      { orgId: 3, reason: 'kind' },
      { orgId: 4, reason: 'no_fit' },
      { orgId: 5, reason: 'tier_excluded' },
    ])
  })

  it('never ranks an excluded provider, whatever its other data (random fixtures)', () => {
    const r = rng(42)
    for (let round = 0; round < 200; round++) {
      const candidates = Array.from({ length: 30 }, (_, i) => randomProvider(r, i + 1))
      const result = rankProviders(need(), candidates, DEFAULT_WEIGHTS, { now: NOW, diversify: r() < 0.5 })
      const excludedTier = new Set(candidates.filter((c) => c.tier === 'excluded').map((c) => c.orgId))
      const unverified = new Set(candidates.filter((c) => !c.verified).map((c) => c.orgId))
      for (const ranked of result.ranked) {
        expect(excludedTier.has(ranked.orgId)).toBe(false)
        expect(unverified.has(ranked.orgId)).toBe(false)
        expect(ranked.score).toBeGreaterThanOrEqual(0)
        expect(ranked.score).toBeLessThanOrEqual(100)
        expect(Math.round(ranked.score * 10) / 10).toBe(ranked.score)
      }
      expect(result.ranked.length + result.excluded.length).toBe(candidates.length)
    }
  })

  it('is monotonic: more scenario overlap never lowers a score (random fixtures)', () => {
    const r = rng(7)
    for (let round = 0; round < 500; round++) {
      const base = randomProvider(r, 1)
      const fitting = { ...base, verified: true, kinds: ['integrator'], tier: 'normal' as const, industryCodes: ['C29'] }
      const n = need({ scenarioCodes: SCENARIOS.filter(() => r() < 0.6).concat('S301') })
      const extra = SCENARIOS[Math.floor(r() * SCENARIOS.length)]!
      const more = { ...fitting, scenarioCodes: [...new Set([...fitting.scenarioCodes, extra])] }
      const before = rankProviders(n, [fitting], DEFAULT_WEIGHTS, { now: NOW }).ranked[0]!.score
      const after = rankProviders(n, [more], DEFAULT_WEIGHTS, { now: NOW }).ranked[0]!.score
      expect(after).toBeGreaterThanOrEqual(before)
      if (n.scenarioCodes.includes(extra) && !providerCovers(fitting, extra)) expect(after).toBeGreaterThan(before)
    }
  })

  it('breaks ties stably by org id, whatever the input order', () => {
    const same = [5, 3, 9, 1, 7].map((id) => provider(id))
    const a = rankProviders(need(), same, DEFAULT_WEIGHTS, { now: NOW, diversify: false })
    expect(a.ranked.map((r) => r.orgId)).toEqual([1, 3, 5, 7, 9])
    const b = rankProviders(need(), [...same].reverse(), DEFAULT_WEIGHTS, { now: NOW, diversify: false })
    expect(b.ranked).toEqual(a.ranked)
    // Diversified: still deterministic, independent of input order.
    const c = rankProviders(need(), same, DEFAULT_WEIGHTS, { now: NOW })
    const d = rankProviders(need(), [...same].reverse(), DEFAULT_WEIGHTS, { now: NOW })
    expect(c.ranked.map((r) => r.orgId)).toEqual(d.ranked.map((r) => r.orgId))
  })

  it('gives a provider without data neutral values, between a weak and a strong one', () => {
    const newcomer = provider(1)
    const good = provider(2, { ratings: Array.from({ length: 5 }, () => ({ value: 1, at: '2026-10-01' })) })
    const poor = provider(3, { ratings: Array.from({ length: 5 }, () => ({ value: 0, at: '2026-10-01' })) })
    const { ranked } = rankProviders(need(), [newcomer, good, poor], DEFAULT_WEIGHTS, { now: NOW, diversify: false })
    expect(ranked.map((r) => r.orgId)).toEqual([2, 1, 3])
    const rating = ranked[1]!.factors.find((f) => f.factor === 'rating')!
    expect(rating).toMatchObject({ value: 0.5, neutral: true })
  })

  it('preferred tier lifts, weights off 100 are rescaled', () => {
    const { ranked } = rankProviders(need(), [provider(1), provider(2, { tier: 'preferred' })], DEFAULT_WEIGHTS, {
      now: NOW,
      diversify: false,
    })
    expect(ranked.map((r) => r.orgId)).toEqual([2, 1])
    expect(ranked[0]!.score - ranked[1]!.score).toBeCloseTo(2, 5)
    const doubled = Object.fromEntries(MATCH_FACTORS.map((f) => [f, DEFAULT_WEIGHTS[f] * 2])) as typeof DEFAULT_WEIGHTS
    const again = rankProviders(need(), [provider(1)], doubled, { now: NOW })
    expect(again.ranked[0]!.score).toBe(rankProviders(need(), [provider(1)], DEFAULT_WEIGHTS, { now: NOW }).ranked[0]!.score)
  })

  it('rawRank is the order before diversification', () => {
    const r = rng(3)
    const candidates = Array.from({ length: 40 }, (_, i) => randomProvider(r, i + 1))
    const plain = rankProviders(need(), candidates, DEFAULT_WEIGHTS, { now: NOW, diversify: false }).ranked
    const diversified = rankProviders(need(), candidates, DEFAULT_WEIGHTS, { now: NOW }).ranked
    expect(plain.map((p) => p.rawRank)).toEqual(plain.map((_, i) => i + 1))
    for (const d of diversified) expect(plain[d.rawRank - 1]!.orgId).toBe(d.orgId)
  })
})

function providerCovers(p: ProviderForMatching, s: string) {
  return p.scenarioCodes.includes(s) || p.cases.some((c) => c.scenarioCodes.includes(s))
}

describe('diversify', () => {
  it('keeps the set and only reorders within a band (random lists)', () => {
    const r = rng(11)
    for (let round = 0; round < 300; round++) {
      const scores = Array.from({ length: 25 }, () => Math.round(r() * 1000) / 10).sort((a, b) => b - a)
      const list = scores.map((score, i) => ({ orgId: 100 + i, score }))
      const out = diversify(list, round, 3)
      expect(out.map((x) => x.orgId).sort()).toEqual(list.map((x) => x.orgId).sort())
      const bands = bandsOf(scores, 3)
      const bandOf = new Map(list.map((x, i) => [x.orgId, bands[i]!]))
      const outBands = out.map((x) => bandOf.get(x.orgId)!)
      expect(outBands).toEqual([...bands])
      // Within a band every score lies within 3 points of the band's top.
      for (let i = 0; i < list.length; i++) {
        const top = list.find((x) => bandOf.get(x.orgId) === bands[i])!.score
        expect(top - list[i]!.score).toBeLessThanOrEqual(3 + 1e-9)
      }
      expect(diversify(list, round, 3)).toEqual(out)
    }
  })
  it('cuts bands greedily from the top and rotates by need', () => {
    expect(bandsOf([90, 88, 87, 86.9, 80, 79], 3)).toEqual([0, 0, 0, 1, 2, 2])
    const list = [1, 2, 3, 4, 5, 6, 7, 8].map((orgId) => ({ orgId, score: 50 }))
    const orders = new Set(
      Array.from({ length: 20 }, (_, need) =>
        diversify(list, need)
          .map((x) => x.orgId)
          .join(','),
      ),
    )
    expect(orders.size).toBeGreaterThan(5)
    const firsts = new Set(Array.from({ length: 40 }, (_, need) => diversify(list, need)[0]!.orgId))
    expect(firsts.size).toBeGreaterThan(3)
    expect(diversify(list, 1, 0)).toEqual(list)
    expect(stableHash('1:2')).toBe(stableHash('1:2'))
  })
  it('never moves a provider ahead of one more than a band better', () => {
    const list = [
      { orgId: 9, score: 90 },
      { orgId: 1, score: 80 },
    ]
    for (let n = 0; n < 50; n++) expect(diversify(list, n).map((x) => x.orgId)).toEqual([9, 1])
  })
})

describe('rankNeeds', () => {
  const cand = (id: number, over: Partial<NeedCandidate> = {}): NeedCandidate => ({
    ...need({ id }),
    textRelevance: 0.5,
    ...over,
  })
  it('ranks by the pair factors only, renormalised, ties by need id', () => {
    const { textRelevance: _t, ...p } = provider(1, { ratings: [{ value: 1, at: '2026-11-01' }], tier: 'preferred' })
    const ranked = rankNeeds(p, [cand(3), cand(2, { textRelevance: 1 }), cand(1)], DEFAULT_WEIGHTS, { now: NOW })
    expect(ranked.map((r) => r.needId)).toEqual([2, 1, 3])
    expect(ranked.map((r) => r.rawRank)).toEqual([1, 2, 3])
    expect(ranked[0]!.factors.map((f) => f.factor)).toEqual([...PAIR_FACTORS])
    expect(ranked[0]!.factors.reduce((a, f) => a + f.weight, 0)).toBe(100)
    // text 34×1 + scenario 27×0 + industry 21×0.2 + region 11×0 + price 7×0.5
    expect(ranked[0]!.score).toBeCloseTo(34 + 4.2 + 0 + 3.5, 1)
  })
  it('prefers needs nearer and in covered scenarios', () => {
    const { textRelevance: _t, ...p } = provider(1, { scenarioCodes: ['S301'] })
    const far = cand(1)
    const near = cand(2, { region: { code: '330106', countyCode: '330106', cityCode: '330100', provinceCode: '330000' } })
    const covered = cand(3, { scenarioCodes: ['S301'] })
    expect(rankNeeds(p, [far, near, covered], DEFAULT_WEIGHTS, { now: NOW }).map((r) => r.needId)).toEqual([3, 2, 1])
  })
})

describe('metrics', () => {
  const grades = new Map([
    [1, 3],
    [2, 2],
    [3, 0],
    [4, 1],
  ])
  it('ndcgAt uses graded gains 2^g − 1 and the log2 discount', () => {
    expect(ndcgAt(3, [1, 2, 4], grades)).toBeCloseTo(1)
    // DCG = 1/log2(2) + 7/log2(3) + 3/log2(4) = 1 + 4.4165 + 1.5; IDCG = 7 + 3/1.58496 + 1/2
    const dcg = 1 + 7 / Math.log2(3) + 3 / 2
    const idcg = 7 + 3 / Math.log2(3) + 1 / 2
    expect(ndcgAt(3, [4, 1, 2], grades)).toBeCloseTo(dcg / idcg, 10)
    expect(ndcgAt(2, [99, 1], grades)).toBeCloseTo(7 / Math.log2(3) / (7 + 3 / Math.log2(3)), 10)
    expect(ndcgAt(5, [], grades)).toBe(0)
    expect(ndcgAt(5, [1], new Map([[1, 0]]))).toBe(0)
    expect(ndcgAt(0, [1], grades)).toBe(0)
  })
  it('recallAt counts grade ≥ 2 as relevant', () => {
    expect(recallAt(2, [1, 3, 2], grades)).toBe(0.5)
    expect(recallAt(10, [2, 1], grades)).toBe(1)
    expect(recallAt(10, [4, 3], grades)).toBe(0)
    expect(recallAt(10, [1], new Map([[1, 1]]))).toBe(0)
  })
  it('exposureShare is the share of top slots held by the most exposed', () => {
    const lists = [
      [1, 2, 3, 4, 5, 6],
      [1, 2, 7, 8, 9],
      [1, 10],
    ]
    // Slots: 5 + 5 + 2 = 12; counts 1:3, 2:2, others 1 each.
    expect(exposureShare(lists, 5, 2)).toBeCloseTo(5 / 12)
    expect(exposureShare(lists, 5, 10)).toBeCloseTo(1)
    expect(exposureShare(lists, 1, 1)).toBe(1)
    expect(exposureShare([], 5, 10)).toBe(0)
  })
})
