/**
 * The factors of a need ↔ provider score (issue 13; docs/decisions/009-matching.md).
 * Pure: plain data in (types.ts), a value on 0–1 out, with `neutral` when the value is
 * the default for missing data and the reason a breakdown shows (a catalogue key of
 * app/i18n/messages/matching-factors.ts and its parameters).
 *
 * One function per factor of MATCH_FACTORS; `FACTOR_FUNCTIONS` maps them by name.
 */
import type {
  CaseForMatching,
  MatchFactor,
  NeedForMatching,
  ProviderForMatching,
  RatingForMatching,
  RegionPath,
} from './types.js'

export interface FactorValue {
  /** 0–1. */
  value: number
  /** True when the value is the neutral default for missing data. */
  neutral: boolean
  reason: { key: string; params: Record<string, string | number> }
}

/** What a factor reads of the provider: everything but the text relevance, which `text` takes apart. */
export type ProviderFacts = Omit<ProviderForMatching, 'textRelevance'> & { textRelevance?: number }

export interface FactorContext {
  /** "Now" for the decay of ratings; default the current time. */
  now?: Date
}

/** The value every factor takes when its data is missing (plan of issue 13). */
export const NEUTRAL_VALUE = 0.5

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)
const percent = (x: number) => Math.round(clamp01(x) * 100)
const why = (key: string, params: Record<string, string | number> = {}) => ({ key: `matching.why.${key}`, params })
const neutral = (key: string, params: Record<string, string | number> = {}): FactorValue => ({
  value: NEUTRAL_VALUE,
  neutral: true,
  reason: why(key, params),
})

// ---------------------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------------------

/**
 * Text relevance of the need to the provider's profile and cases: the engine's score over
 * the best among the candidates (computed by the caller), 1 = the best text match.
 */
export function textFactor(textRelevance: number): FactorValue {
  const value = clamp01(textRelevance)
  return value === 0
    ? { value, neutral: false, reason: why('textNone') }
    : { value, neutral: false, reason: why('text', { percent: percent(value) }) }
}

// ---------------------------------------------------------------------------------------
// scenario
// ---------------------------------------------------------------------------------------

/** The scenarios a provider covers: those of its profile and of its cases. */
export function providerScenarios(provider: Pick<ProviderFacts, 'scenarioCodes' | 'cases'>): Set<string> {
  const out = new Set(provider.scenarioCodes)
  for (const c of provider.cases) for (const s of c.scenarioCodes) out.add(s)
  return out
}

/**
 * Scenario overlap: the share of the need's scenarios the provider covers (profile or a
 * case). Monotonic: covering one more of them never lowers the value. A need without
 * scenarios gives the neutral value.
 */
export function scenarioFactor(
  need: Pick<NeedForMatching, 'scenarioCodes'>,
  provider: Pick<ProviderFacts, 'scenarioCodes' | 'cases'>,
): FactorValue {
  const wanted = [...new Set(need.scenarioCodes)]
  if (wanted.length === 0) return neutral('scenarioNoNeed')
  const covered = providerScenarios(provider)
  const shared = wanted.filter((s) => covered.has(s)).length
  return {
    value: shared / wanted.length,
    neutral: false,
    reason: why(shared === 0 ? 'scenarioNone' : 'scenario', { shared, of: wanted.length }),
  }
}

// ---------------------------------------------------------------------------------------
// industry
// ---------------------------------------------------------------------------------------

/** Weight of a platform-verified case, of a self-declared one, and the saturation scale. */
export const INDUSTRY_MODEL = Object.freeze({
  verifiedCase: 1,
  declaredCase: 0.5,
  /** value = 1 − (1 − base) · exp(−evidence / scale). */
  scale: 2,
  /** Serving the industry (profile) without cases there. */
  servesBase: 0.2,
})

/**
 * Industry experience: cases in the need's GB/T 4754 division, a verified case counting
 * 1 and a self-declared one 0.5; the evidence saturates (1 − exp(−sum / 2): one verified
 * case 0.39, two 0.63, four 0.86). A provider that says it serves the division starts at
 * 0.2 (value = 1 − 0.8 · exp(−sum / 2)); one that neither serves it nor has cases there 0.
 */
export function industryFactor(
  need: Pick<NeedForMatching, 'industryCode'>,
  provider: Pick<ProviderFacts, 'industryCodes' | 'cases'>,
): FactorValue {
  const m = INDUSTRY_MODEL
  let verified = 0
  let declared = 0
  for (const c of provider.cases) {
    if (c.industryCode !== need.industryCode) continue
    if (c.verified) verified += 1
    else declared += 1
  }
  const serves = provider.industryCodes.includes(need.industryCode)
  const evidence = verified * m.verifiedCase + declared * m.declaredCase
  const base = serves ? m.servesBase : 0
  const value = clamp01(1 - (1 - base) * Math.exp(-evidence / m.scale))
  if (verified + declared > 0) return { value, neutral: false, reason: why('industryCases', { verified, declared }) }
  return { value, neutral: false, reason: why(serves ? 'industryServes' : 'industryNone') }
}

// ---------------------------------------------------------------------------------------
// rating
// ---------------------------------------------------------------------------------------

/**
 * The rating model: a Bayesian mean with the prior mean 0.5 (the neutral value: a
 * provider without ratings sits exactly there, neither buried nor promoted) and the prior
 * weight of 3 ratings, every rating weighted 0.5^(age / half-life) with a half-life of two
 * years (730 days): a rating two years old counts half. Why not the platform mean as
 * prior: diagnosis surveys are mostly 满意, so the platform mean would lift every
 * newcomer to about the level of proven providers; 0.5 keeps "no evidence" in the middle,
 * and three fresh 满意 ratings already lift a provider to 0.75.
 */
export const RATING_MODEL = Object.freeze({
  priorMean: NEUTRAL_VALUE,
  priorWeight: 3,
  halfLifeDays: 730,
})

const DAY_MS = 86_400_000

/** The decayed Bayesian mean of ratings (0–1), and the weight of evidence behind it. */
export function bayesianRating(
  ratings: readonly RatingForMatching[],
  now: Date = new Date(),
  model: { priorMean: number; priorWeight: number; halfLifeDays: number } = RATING_MODEL,
): { mean: number; weight: number } {
  let sumW = 0
  let sumWV = 0
  const t = now.getTime()
  for (const r of ratings) {
    const at = Date.parse(r.at)
    const ageDays = Number.isFinite(at) ? Math.max(0, (t - at) / DAY_MS) : 0
    const w = Math.pow(0.5, ageDays / model.halfLifeDays)
    sumW += w
    sumWV += w * clamp01(r.value)
  }
  const mean = (model.priorWeight * model.priorMean + sumWV) / (model.priorWeight + sumW)
  return { mean, weight: sumW }
}

/** Rating: the decayed Bayesian mean of the provider's ratings, with their count. No ratings: the prior, neutral. */
export function ratingFactor(provider: Pick<ProviderFacts, 'ratings'>, context: FactorContext = {}): FactorValue {
  const count = provider.ratings.length
  if (count === 0) return neutral('ratingNone')
  const { mean } = bayesianRating(provider.ratings, context.now ?? new Date())
  return { value: clamp01(mean), neutral: false, reason: why('rating', { score: percent(mean), count }) }
}

// ---------------------------------------------------------------------------------------
// delivery
// ---------------------------------------------------------------------------------------

/** Points taken off the on-time share for each dispute lost. */
export const DISPUTE_PENALTY = 0.2

/**
 * Delivery record: the share of milestones accepted on time, less 0.2 per dispute lost
 * (floored at 0). No milestones and no disputes (no contracts yet): neutral. Disputes
 * without milestones start from the neutral 0.5.
 */
export function deliveryFactor(provider: Pick<ProviderFacts, 'delivery'>): FactorValue {
  const d = provider.delivery
  const onTime = Math.max(0, d.milestonesOnTime)
  const late = Math.max(0, d.milestonesLate)
  const total = onTime + late
  const lost = Math.max(0, d.disputesLost)
  if (total === 0 && lost === 0) return neutral('deliveryNone')
  const share = total === 0 ? NEUTRAL_VALUE : onTime / total
  return {
    value: clamp01(share - DISPUTE_PENALTY * lost),
    neutral: false,
    reason: why(lost > 0 ? 'deliveryDisputes' : 'delivery', { onTime, total, disputesLost: lost }),
  }
}

// ---------------------------------------------------------------------------------------
// region
// ---------------------------------------------------------------------------------------

/** Values of the region factor by the nearest level shared with the need. */
export const REGION_VALUES = Object.freeze({ county: 1, city: 0.8, province: 0.6, nationwide: 0.8, elsewhere: 0 })

type Level = 'county' | 'city' | 'province'

/** The nearest level at which `place` and the need's region coincide, or null. */
function sharedLevel(need: RegionPath, place: RegionPath): Level | null {
  const same = (a: string | null, b: string | null) => a !== null && b !== null && a === b
  if (same(need.countyCode, place.countyCode)) return 'county'
  if (same(need.cityCode, place.cityCode)) return 'city'
  if (same(need.provinceCode, place.provinceCode)) return 'province'
  return null
}

/** The level of the need's path a served code names (a code without its path). */
function levelOfCode(need: RegionPath, code: string): Level | null {
  if (code === need.countyCode) return 'county'
  if (code === need.cityCode) return 'city'
  if (code === need.provinceCode) return 'province'
  return null
}

const RANK: Record<Level, number> = { county: 3, city: 2, province: 1 }

/**
 * Region: the seat or a served region in the need's county 1 > its city 0.8 > its
 * province 0.6 > elsewhere 0 (its declared service area leaves the need out: the
 * relevance set showed 0.2 kept far-away text matches in the top 5); a provider serving the whole country 0.8 unless its seat
 * or a served region is nearer (the same county). Served regions count like the seat: a
 * served county in the need's city is "same city".
 */
export function regionFactor(
  need: Pick<NeedForMatching, 'region'>,
  provider: Pick<ProviderFacts, 'seat' | 'servedRegionCodes' | 'servedRegions' | 'nationwide'>,
): FactorValue {
  const seatLevel = sharedLevel(need.region, provider.seat)
  let servedLevel: Level | null = null
  const served = provider.servedRegions ?? []
  for (const r of served) {
    const l = sharedLevel(need.region, r)
    if (l && (!servedLevel || RANK[l] > RANK[servedLevel])) servedLevel = l
  }
  if (provider.servedRegions === undefined) {
    for (const code of provider.servedRegionCodes) {
      const l = levelOfCode(need.region, code)
      if (l && (!servedLevel || RANK[l] > RANK[servedLevel])) servedLevel = l
    }
  }
  const best = (() => {
    if (seatLevel && (!servedLevel || RANK[seatLevel] >= RANK[servedLevel])) return { level: seatLevel, via: 'seat' as const }
    if (servedLevel) return { level: servedLevel, via: 'served' as const }
    return null
  })()
  const regional = best ? REGION_VALUES[best.level] : 0
  if (provider.nationwide && REGION_VALUES.nationwide >= regional) {
    // Equal values (same city vs nationwide): the nearer reason is the more telling one.
    if (best && REGION_VALUES[best.level] === REGION_VALUES.nationwide) {
      return { value: regional, neutral: false, reason: why(regionKey(best.level, best.via)) }
    }
    return { value: REGION_VALUES.nationwide, neutral: false, reason: why('regionNationwide') }
  }
  if (!best) return { value: REGION_VALUES.elsewhere, neutral: false, reason: why('regionElsewhere') }
  return { value: regional, neutral: false, reason: why(regionKey(best.level, best.via)) }
}

function regionKey(level: Level, via: 'seat' | 'served'): string {
  const cap = level === 'county' ? 'County' : level === 'city' ? 'City' : 'Province'
  return via === 'seat' ? `regionSame${cap}` : `regionServes${cap}`
}

// ---------------------------------------------------------------------------------------
// capacity
// ---------------------------------------------------------------------------------------

/** People one project takes: a team of n has max(1, floor(n / 5)) project slots. */
export const PEOPLE_PER_PROJECT = 5

/**
 * Capacity: the share of the provider's project slots (team size / 5, at least one) not
 * taken by contracts in progress. Unknown team size, or no contracts on the platform yet
 * (none active, none completed: the data arrives with issue 14): neutral.
 */
export function capacityFactor(provider: Pick<ProviderFacts, 'teamSize' | 'activeContracts' | 'delivery'>): FactorValue {
  const active = Math.max(0, provider.activeContracts)
  if (provider.teamSize === null || !(provider.teamSize > 0)) return neutral('capacityUnknown')
  if (active === 0 && provider.delivery.contractsCompleted <= 0)
    return neutral('capacityNoContracts', { teamSize: provider.teamSize })
  const slots = Math.max(1, Math.floor(provider.teamSize / PEOPLE_PER_PROJECT))
  return {
    value: clamp01(1 - active / slots),
    neutral: false,
    reason: why('capacity', { active, teamSize: provider.teamSize }),
  }
}

// ---------------------------------------------------------------------------------------
// price
// ---------------------------------------------------------------------------------------

/**
 * Price fit of the provider's template price range [pMin, pMax] against the need's budget
 * [bMin, bMax] (万元). Overlapping: 0.6 + 0.4 × overlap / the shorter range (a point inside
 * the other range overlaps fully: 1). Disjoint: 0.4 × (1 − gap / bMax), at least 0. No
 * priced template: neutral.
 */
export function priceFactor(
  need: Pick<NeedForMatching, 'budgetMinWan' | 'budgetMaxWan'>,
  provider: Pick<ProviderFacts, 'priceMinWan' | 'priceMaxWan'>,
): FactorValue {
  if (provider.priceMinWan === null && provider.priceMaxWan === null) return neutral('priceNone')
  const pMin = provider.priceMinWan ?? provider.priceMaxWan!
  const pMax = Math.max(pMin, provider.priceMaxWan ?? pMin)
  const bMin = Math.min(need.budgetMinWan, need.budgetMaxWan)
  const bMax = Math.max(need.budgetMinWan, need.budgetMaxWan)
  const params = { min: pMin, max: pMax, budgetMin: bMin, budgetMax: bMax }
  const lo = Math.max(pMin, bMin)
  const hi = Math.min(pMax, bMax)
  if (lo <= hi) {
    const shorter = Math.min(pMax - pMin, bMax - bMin)
    const share = shorter <= 0 ? 1 : (hi - lo) / shorter
    return { value: clamp01(0.6 + 0.4 * share), neutral: false, reason: why('priceFits', params) }
  }
  const gap = lo - hi
  const value = bMax > 0 ? clamp01(0.4 * (1 - gap / bMax)) : 0
  return { value, neutral: false, reason: why(pMin > bMax ? 'priceAbove' : 'priceBelow', params) }
}

// ---------------------------------------------------------------------------------------
// tier
// ---------------------------------------------------------------------------------------

/** Agency tier: 优先推荐 1, 正常 0.5; 不再推荐 never reaches scoring (rank.ts filters it) and would be 0. */
export function tierFactor(provider: Pick<ProviderFacts, 'tier'>): FactorValue {
  if (provider.tier === 'preferred') return { value: 1, neutral: false, reason: why('tierPreferred') }
  if (provider.tier === 'excluded') return { value: 0, neutral: false, reason: why('tierExcluded') }
  return { value: NEUTRAL_VALUE, neutral: false, reason: why('tierNormal') }
}

// ---------------------------------------------------------------------------------------

/** Every factor by name, as rank.ts calls them. */
export const FACTOR_FUNCTIONS: Record<
  MatchFactor,
  (need: NeedForMatching, provider: ProviderFacts, context: FactorContext) => FactorValue
> = {
  text: (_need, provider) => textFactor(provider.textRelevance ?? 0),
  scenario: (need, provider) => scenarioFactor(need, provider),
  industry: (need, provider) => industryFactor(need, provider),
  rating: (_need, provider, context) => ratingFactor(provider, context),
  delivery: (_need, provider) => deliveryFactor(provider),
  region: (need, provider) => regionFactor(need, provider),
  capacity: (_need, provider) => capacityFactor(provider),
  price: (need, provider) => priceFactor(need, provider),
  tier: (_need, provider) => tierFactor(provider),
}

/** The catalogue key of a factor's name (matching-factors.ts). */
export const factorNameKey = (factor: MatchFactor): string => `matching.factor.${factor}`

/** The catalogue key of a tier's name: 优先推荐 / 正常 / 不再推荐. */
export const tierNameKey = (tier: ProviderForMatching['tier']): string => `matching.tier.${tier}`

/** Whether a case is in the need's industry or one of its scenarios (the fit filter reads it). */
export function caseFits(need: Pick<NeedForMatching, 'industryCode' | 'scenarioCodes'>, c: CaseForMatching): boolean {
  return c.industryCode === need.industryCode || c.scenarioCodes.some((s) => need.scenarioCodes.includes(s))
}
