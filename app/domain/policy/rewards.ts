import type { GradientTitle } from '../../../db/enums.js'
import type { HeldTitle } from './gradient.js'
import type { LocalText, RuleSet } from './rule-set.js'

/*
 * 奖励测算 (issue 16 §4) as a pure function: the most a title could bring under a rule
 * set's amounts, with earlier awards for the lower levels of the cumulative ladder deducted
 * from the level's standard (第十九条: 叠加累计不超过最高标准; 先进级 扣除 基础级 and 优秀场景,
 * 基础级 扣除 优秀场景), the cumulative cap over all of them (300万), a level's own cap
 * (优秀场景 累计 ≤ 100万) and the extras paid on top (第二十条). Amounts are 万元, computed in
 * hundredths (integers) so 0.5万 never drifts. An estimate, never a decision.
 */

export type RewardStepKind = 'standard' | 'cumulative_cap' | 'level_cap' | 'extra' | 'revoked' | 'none'

export interface RewardStep {
  kind: RewardStepKind
  /** The amount after this step (万元). */
  amountWan: number
  /** For caps: the cap and what was received before (万元). */
  capWan?: number
  receivedWan?: number
  article: LocalText
}

export interface RewardEstimate {
  level: GradientTitle
  amountWan: number
  steps: RewardStep[]
}

const cents = (wan: number) => Math.round(wan * 100)
const wan = (c: number) => c / 100

/** Awards received before: titles held at any time with a reward recorded. */
function received(prior: readonly HeldTitle[], levels: readonly GradientTitle[]): number {
  return prior.filter((t) => levels.includes(t.title)).reduce((s, t) => s + cents(t.rewardWan ?? 0), 0)
}

export function estimateReward(set: RuleSet, level: GradientTitle, prior: readonly HeldTitle[]): RewardEstimate {
  const r = set.rewards!
  const steps: RewardStep[] = []
  if (r.none_after_revocation && prior.some((t) => t.status === 'revoked')) {
    steps.push({ kind: 'revoked', amountWan: 0, article: r.revocation_article })
    return { level, amountWan: 0, steps }
  }
  const extra = r.extras.find((e) => e.level === level)
  if (extra) {
    steps.push({ kind: 'extra', amountWan: extra.max_wan, article: extra.article })
    return { level, amountWan: extra.max_wan, steps }
  }
  const standard = r.amounts.find((a) => a.level === level)
  if (!standard) {
    steps.push({ kind: 'none', amountWan: 0, article: r.article })
    return { level, amountWan: 0, steps }
  }
  let amount = cents(standard.max_wan)
  steps.push({ kind: 'standard', amountWan: wan(amount), article: r.article })
  if (r.cumulative && r.cumulative.levels.includes(level)) {
    // 第十九条 叠加累计不超过最高标准: the awards of the levels below this one count against
    // this level's standard (基础级 100 − 优秀场景 30 = 70; 先进级 300 − 100 − 30 = 170), and
    // all the ladder's awards together never pass cap_wan (300). The step shows the binding one.
    const ladder = r.cumulative.levels
    const below = ladder.slice(0, ladder.indexOf(level))
    const gotBelow = received(prior, below)
    const gotAll = received(prior, ladder)
    const standardCap = cents(standard.max_wan)
    const byStandard = below.length > 0 && standardCap - gotBelow <= cents(r.cumulative.cap_wan) - gotAll
    const capCents = byStandard ? standardCap : cents(r.cumulative.cap_wan)
    const got = byStandard ? gotBelow : gotAll
    amount = Math.max(0, Math.min(amount, capCents - got))
    steps.push({
      kind: 'cumulative_cap',
      amountWan: wan(amount),
      capWan: wan(capCents),
      receivedWan: wan(got),
      article: r.cumulative.article,
    })
  }
  const own = r.level_caps.find((c) => c.level === level)
  if (own) {
    const got = received(prior, [level])
    amount = Math.max(0, Math.min(amount, cents(own.cap_wan) - got))
    steps.push({ kind: 'level_cap', amountWan: wan(amount), capWan: own.cap_wan, receivedWan: wan(got), article: own.article })
  }
  return { level, amountWan: wan(amount), steps }
}

/** The estimate for every level of the set, lowest first. */
export function estimateRewards(set: RuleSet, prior: readonly HeldTitle[]): RewardEstimate[] {
  return (set.levels ?? []).map((l) => estimateReward(set, l.level, prior))
}
