import type { GradientTitle } from '../../../db/enums.js'
import type { Facts } from '../policy/facts.js'
import { evaluateLevels } from '../policy/gradient.js'
import type { RuleSet } from '../policy/rule-set.js'

/*
 * An enterprise's gradient readiness (梯度就绪) for the project pool: the highest level of
 * its region's rule set whose criteria it all meets. Pure. Levels the ministry evaluates
 * (卓越级, 领航级) are never "met" here: the province's rules cannot tell.
 */

export type Readiness =
  /** The region has no gradient rule set: the page shows "—". */
  | { kind: 'no_rules' }
  /** The highest level whose criteria are all met. */
  | { kind: 'level'; level: GradientTitle }
  /** No level met and at least one could not be told: facts are missing. */
  | { kind: 'unknown' }
  /** Every level evaluated is missed. */
  | { kind: 'none' }

export function gradientReadiness(set: RuleSet | null, facts: Facts): Readiness {
  if (!set || !set.levels?.length) return { kind: 'no_rules' }
  const evaluated = evaluateLevels(set, facts).filter((l) => l.status !== 'not_evaluated')
  let best: number = -1
  evaluated.forEach((l, i) => {
    if (l.status === 'met') best = i
  })
  if (best >= 0) {
    return { kind: 'level', level: evaluated[best]!.level }
  }
  return evaluated.some((l) => l.status === 'unknown') ? { kind: 'unknown' } : { kind: 'none' }
}
