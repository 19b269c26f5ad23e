/**
 * Ranking (issue 13; docs/decisions/009-matching.md). Pure: plain data in (types.ts),
 * ranked and explained results out.
 *
 * - rankProviders (need → providers): hard filters (verified; a delivering kind; serves
 *   the need's industry or one of its scenarios, by profile or by a case; not 不再推荐),
 *   then score = Σ weight × value over MATCH_FACTORS (0–100, rounded to 0.1), sorted by
 *   score, ties by org id, then diversified within bands (diversify.ts) unless asked not to.
 * - rankNeeds (provider → needs): PAIR_FACTORS only, their weights renormalised to 100;
 *   sorted by score, ties by need id. No hard filter (the caller's candidates are needs
 *   the provider may see); `fitsNeed` is exported for callers that want the fit filter.
 */
import { diversify as diversifyRanked, DIVERSIFY_BAND } from './diversify.js'
import { caseFits, FACTOR_FUNCTIONS, type FactorContext, type ProviderFacts } from './factors.js'
import {
  MATCH_FACTORS,
  PAIR_FACTORS,
  type ExclusionReason,
  type FactorScore,
  type MatchFactor,
  type MatchResult,
  type MatchWeights,
  type NeedCandidate,
  type NeedForMatching,
  type ProviderForMatching,
  type RankedNeed,
  type RankedProvider,
} from './types.js'
import { renormalise, weightsTotal } from './weights.js'

/** Kinds that deliver upgrade projects (consultancy and supervisor alone do not). */
export const DELIVERING_KINDS: readonly string[] = ['equipment', 'it_engineering', 'integrator']

/** Whether the provider serves the need's industry or one of its scenarios (profile or a case). */
export function fitsNeed(
  need: Pick<NeedForMatching, 'industryCode' | 'scenarioCodes'>,
  provider: Pick<ProviderFacts, 'industryCodes' | 'scenarioCodes' | 'cases'>,
): boolean {
  if (provider.industryCodes.includes(need.industryCode)) return true
  if (provider.scenarioCodes.some((s) => need.scenarioCodes.includes(s))) return true
  return provider.cases.some((c) => caseFits(need, c))
}

/** The first hard filter a provider fails for the need, or null when it is a candidate. */
export function exclusionReason(need: NeedForMatching, provider: ProviderFacts): ExclusionReason | null {
  if (!provider.verified) return 'not_verified'
  if (!provider.kinds.some((k) => DELIVERING_KINDS.includes(k))) return 'kind'
  if (!fitsNeed(need, provider)) return 'no_fit'
  if (provider.tier === 'excluded') return 'tier_excluded'
  return null
}

const round1 = (x: number) => Math.round(x * 10) / 10
const round2 = (x: number) => Math.round(x * 100) / 100

/** Weights that sum to 100 over `factors` (a config off 100 is rescaled rather than trusted). */
function effectiveWeights(weights: MatchWeights, factors: readonly MatchFactor[]): MatchWeights {
  const all = factors.length === MATCH_FACTORS.length
  if (all && weightsTotal(weights) === 100 && MATCH_FACTORS.every((f) => Number.isInteger(weights[f]) && weights[f] >= 0))
    return weights
  return renormalise(weights, factors)
}

/** The breakdown and score of one pair over `factors`. */
export function scorePair(
  need: NeedForMatching,
  provider: ProviderFacts,
  weights: MatchWeights,
  factors: readonly MatchFactor[],
  context: FactorContext,
): { score: number; factors: FactorScore[] } {
  let total = 0
  const lines: FactorScore[] = factors.map((factor) => {
    const f = FACTOR_FUNCTIONS[factor](need, provider, context)
    const weight = weights[factor]
    const points = weight * f.value
    total += points
    return { factor, weight, value: round2(f.value), points: round2(points), neutral: f.neutral, reason: f.reason }
  })
  return { score: round1(total), factors: lines }
}

export interface RankProvidersOptions {
  /** Rotate within score bands (fair exposure); default true. */
  diversify?: boolean
  /** Band width in points; default DIVERSIFY_BAND (3). */
  band?: number
  /** "Now" for the decay of ratings. */
  now?: Date
}

/** Need → providers: filtered, scored, ranked best first (diversified unless options.diversify is false). */
export function rankProviders(
  need: NeedForMatching,
  candidates: readonly ProviderForMatching[],
  weights: MatchWeights,
  options: RankProvidersOptions = {},
): MatchResult {
  const w = effectiveWeights(weights, MATCH_FACTORS)
  const context: FactorContext = { now: options.now ?? new Date() }
  const excluded: MatchResult['excluded'] = []
  const scored: Omit<RankedProvider, 'rawRank'>[] = []
  const seen = new Set<number>()
  for (const p of candidates) {
    if (seen.has(p.orgId)) continue
    seen.add(p.orgId)
    const reason = exclusionReason(need, p)
    if (reason) {
      excluded.push({ orgId: p.orgId, reason })
      continue
    }
    const { score, factors } = scorePair(need, p, w, MATCH_FACTORS, context)
    scored.push({ orgId: p.orgId, score, factors })
  }
  scored.sort((a, b) => b.score - a.score || a.orgId - b.orgId)
  const ranked: RankedProvider[] = scored.map((r, i) => ({ ...r, rawRank: i + 1 }))
  excluded.sort((a, b) => a.orgId - b.orgId)
  const ordered = options.diversify === false ? ranked : diversifyRanked(ranked, need.id, options.band ?? DIVERSIFY_BAND)
  return { ranked: ordered, excluded }
}

/** Provider → needs: PAIR_FACTORS with their weights renormalised to 100, best first, ties by need id. */
export function rankNeeds(
  provider: Omit<ProviderForMatching, 'textRelevance'>,
  needs: readonly NeedCandidate[],
  weights: MatchWeights,
  options: { now?: Date } = {},
): RankedNeed[] {
  const w = renormalise(weights, PAIR_FACTORS)
  const context: FactorContext = { now: options.now ?? new Date() }
  const seen = new Set<number>()
  const scored: Omit<RankedNeed, 'rawRank'>[] = []
  for (const need of needs) {
    if (seen.has(need.id)) continue
    seen.add(need.id)
    const { score, factors } = scorePair(need, { ...provider, textRelevance: need.textRelevance }, w, PAIR_FACTORS, context)
    scored.push({ needId: need.id, score, factors })
  }
  scored.sort((a, b) => b.score - a.score || a.needId - b.needId)
  return scored.map((r, i) => ({ ...r, rawRank: i + 1 }))
}
