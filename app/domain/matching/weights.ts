/**
 * The weights of the matching factors (issue 13; docs/decisions/009-matching.md). Pure
 * and browser-safe: the agency form and the breakdown import it.
 *
 * A config's weights are integers 0–100 summing to exactly 100, so a score is
 * Σ weight × value on 0–100 (weights-schema.ts checks a submitted config).
 */
import { MATCH_FACTORS, type MatchFactor, type MatchWeights } from './types.js'

/** The platform's defaults, used where no agency tuned its region (plan of issue 13). */
export const DEFAULT_WEIGHTS: MatchWeights = Object.freeze({
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

/** The sum of the weights (100 for a valid config). */
export function weightsTotal(w: MatchWeights): number {
  let total = 0
  for (const f of MATCH_FACTORS) total += w[f]
  return total
}

/**
 * The weights of `factors` scaled to integers summing to exactly 100 (largest remainder;
 * remainders tied go to the factor listed first in MATCH_FACTORS); every other factor 0.
 * When the chosen factors weigh nothing, they share 100 equally. Provider → needs uses it
 * with PAIR_FACTORS (defaults become text 34, scenario 27, industry 21, region 11, price 7).
 */
export function renormalise(w: MatchWeights, factors: readonly MatchFactor[]): MatchWeights {
  const chosen = MATCH_FACTORS.filter((f) => factors.includes(f))
  const out = Object.fromEntries(MATCH_FACTORS.map((f) => [f, 0])) as MatchWeights
  if (chosen.length === 0) return out
  const raw = chosen.map((f) => Math.max(0, Number.isFinite(w[f]) ? w[f] : 0))
  const sum = raw.reduce((a, b) => a + b, 0)
  const exact = sum > 0 ? raw.map((x) => (x * 100) / sum) : chosen.map(() => 100 / chosen.length)
  const floors = exact.map(Math.floor)
  let left = 100 - floors.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    floors[i]! += 1
    left -= 1
  }
  chosen.forEach((f, i) => {
    out[f] = floors[i]!
  })
  return out
}
