import { overseeingRegions } from '../reference/jurisdiction.js'
import type { ReferenceData } from '../reference/reference.server.js'
import { ruleSets } from './catalogue.server.js'
import { isCurrent, ruleSetsForRegion, type RuleSet } from './rule-set.js'

export interface RegionRules {
  /** The gradient rule set for the region (the first with levels), or null: none here. */
  gradient: RuleSet | null
  /** Sets with subsidy measures. */
  measures: RuleSet[]
  /** Of the sets above, the ids no longer in force on `today` (shown for reference, marked). */
  expired: string[]
}

/** The rule sets that concern an enterprise (or a need) in `regionCode` on `today`. */
export function rulesForRegion(
  ref: ReferenceData,
  regionCode: string,
  today: string,
  sets: readonly RuleSet[] = ruleSets(),
): RegionRules {
  const found = ruleSetsForRegion(sets, overseeingRegions(ref, regionCode), today)
  const gradient = found.find((s) => s.levels && s.levels.length > 0) ?? null
  const measures = found.filter((s) => (s.measures?.length ?? 0) > 0)
  return { gradient, measures, expired: found.filter((s) => !isCurrent(s, today)).map((s) => s.id) }
}
