/**
 * Matching's plain data (issue 13): what the pure ranking functions of this folder take
 * and give. No database, no search engine, no zod here: the server modules
 * (`*.server.ts`) load these shapes, the pure modules score them, and components may
 * import the types to draw a breakdown.
 */

/** The factors of a need ↔ provider score, in the order a breakdown lists them. */
export const MATCH_FACTORS = [
  'text',
  'scenario',
  'industry',
  'rating',
  'delivery',
  'region',
  'capacity',
  'price',
  'tier',
] as const
export type MatchFactor = (typeof MATCH_FACTORS)[number]

/**
 * Factors that describe the pair (need, provider). Provider → needs ranks by these
 * only: the provider-level ones (rating, delivery, capacity, tier) are the same for
 * every need of one provider and would not change its order.
 */
export const PAIR_FACTORS = ['text', 'scenario', 'industry', 'region', 'price'] as const satisfies readonly MatchFactor[]
export type PairFactor = (typeof PAIR_FACTORS)[number]

/** Integer weights 0–100 per factor; a config's weights sum to 100 (weights.ts checks). */
export type MatchWeights = Record<MatchFactor, number>

/** Provider kinds (orgs/enums PROVIDER_KINDS) as matching reads them. */
export type MatchProviderKind = string

/** 优先推荐 / 正常 / 不再推荐 (seed 000 §四.4; issue 15 sets them, 'normal' until then). */
export type ProviderTier = 'preferred' | 'normal' | 'excluded'

/** A region with its ancestors, as codes (county → city → province; missing levels null). */
export interface RegionPath {
  code: string
  countyCode: string | null
  cityCode: string | null
  provinceCode: string | null
}

export interface NeedForMatching {
  id: number
  title: string
  /** GB/T 4754 division, e.g. 'C34'. */
  industryCode: string
  scenarioCodes: readonly string[]
  region: RegionPath
  budgetMinWan: number
  budgetMaxWan: number
  targetLevel: string
  /** ISO date (YYYY-MM-DD) or null: 投标截止. */
  deadline: string | null
  /** ISO timestamp or null. */
  publishedAt: string | null
}

export interface CaseForMatching {
  /** GB/T 4754 division of the client. */
  industryCode: string
  scenarioCodes: readonly string[]
  /** 平台验证 (linked to a contract completed on the platform). */
  verified: boolean
  year: number
}

/** One satisfaction rating (seed 002 form: diagnosis surveys now, contract ratings with issue 14). */
export interface RatingForMatching {
  /** The overall value on 0–1 (满意 1, 比较满意 0.5, 不满意 0; items may refine it). */
  value: number
  /** ISO date or timestamp of the rating: older ratings weigh less (decay). */
  at: string
}

/** Delivery record from contracts (issue 14); all zero until then (neutral). */
export interface DeliveryForMatching {
  milestonesOnTime: number
  milestonesLate: number
  disputesLost: number
  contractsCompleted: number
}

export interface ProviderForMatching {
  orgId: number
  name: string
  kinds: readonly MatchProviderKind[]
  verified: boolean
  /**
   * Text relevance of the need to this provider's profile and cases, 0–1: the search
   * engine's score divided by the best score among the candidates (1 = the best text
   * match; 0 = the text did not match at all).
   */
  textRelevance: number
  /** Industries (divisions) and scenarios the provider says it serves. */
  industryCodes: readonly string[]
  scenarioCodes: readonly string[]
  cases: readonly CaseForMatching[]
  ratings: readonly RatingForMatching[]
  delivery: DeliveryForMatching
  /** The provider's seat. */
  seat: RegionPath
  /** Regions it serves (any level); empty with nationwide = false means only its seat. */
  servedRegionCodes: readonly string[]
  /**
   * The served regions with their ancestors (the loader fills it; factors.ts falls back
   * to comparing `servedRegionCodes` with the need's path when it is absent).
   */
  servedRegions?: readonly RegionPath[]
  nationwide: boolean
  /** Contracts in progress (issue 14; 0 until then) against the team size (null = unknown). */
  activeContracts: number
  teamSize: number | null
  /** Price range of its active contract templates, 万元; null when it publishes none with a price. */
  priceMinWan: number | null
  priceMaxWan: number | null
  tier: ProviderTier
}

/** One line of a breakdown: the factor's value (0–1), its weight, and the points it gives. */
export interface FactorScore {
  factor: MatchFactor
  weight: number
  /** 0–1; neutral factors (no data yet) sit at their neutral value, flagged. */
  value: number
  /** weight × value, the factor's share of the 0–100 score. */
  points: number
  /** True when the value is the neutral default for missing data (e.g. no ratings yet). */
  neutral: boolean
  /**
   * What the value rests on, for the sentence a breakdown shows: catalogue key of the
   * reason and its parameters (e.g. { key: 'matching.why.scenario', params: { shared: 2, of: 3 } }).
   */
  reason: { key: string; params: Record<string, string | number> }
}

export interface RankedProvider {
  orgId: number
  /** 0–100, rounded to one decimal. */
  score: number
  factors: FactorScore[]
  /** Position before diversification (1-based), for the bench and the preview. */
  rawRank: number
}

/** Why a candidate was dropped by the hard filters (kept for tests and the agency preview). */
export type ExclusionReason = 'not_verified' | 'kind' | 'no_fit' | 'tier_excluded'

export interface MatchResult {
  ranked: RankedProvider[]
  excluded: { orgId: number; reason: ExclusionReason }[]
}

/** A need found for a provider (provider → needs), with its text relevance as for providers. */
export interface NeedCandidate extends NeedForMatching {
  /** 0–1: the engine's score over the best among the candidates. */
  textRelevance: number
}

export interface RankedNeed {
  needId: number
  /** 0–100 over PAIR_FACTORS, their weights renormalised to 100. */
  score: number
  factors: FactorScore[]
  rawRank: number
}
