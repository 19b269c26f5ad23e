import type { GradientTitle } from '../../../db/enums.js'
import { FACTS, type FactKey, type Facts, type FactValue, type ScenarioLink } from './facts.js'
import type { Criterion, LevelRules, LocalText, RuleSet, Threshold } from './rule-set.js'

/*
 * 梯度自评 (issue 16 §3) as pure functions of a rule set, the enterprise's facts, the
 * titles it holds and today's date: which criteria of each level are met or missed (and by
 * how much), which levels it may apply for now and why, and where its titles stand.
 */

export type CriterionStatus = 'met' | 'missed' | 'unknown'

export interface CriterionResult {
  id: string
  status: CriterionStatus
  label: LocalText
  article: LocalText
  fact: FactKey
  /** What the enterprise has (null: unknown). */
  actual: FactValue | null
  required: Threshold['value']
  op: Threshold['op']
  /** For a numeric criterion missed: how far short (required − actual, or actual − required for `lte`). */
  gap: number | null
  /** For links: those still missing. */
  missingLinks?: ScenarioLink[]
  /** For an any_of criterion: each alternative's result. */
  alternatives?: CriterionResult[]
}

export interface LevelResult {
  level: GradientTitle
  evaluatedBy: LevelRules['evaluated_by']
  /** met: every criterion met; missed: one missed; unknown: none missed but some unknown; not_evaluated: the ministry's level. */
  status: CriterionStatus | 'not_evaluated'
  criteria: CriterionResult[]
  article: LocalText
  note?: LocalText
}

function valueOf(facts: Facts, key: FactKey): FactValue | null {
  const v = facts[key]
  return v === undefined ? null : v
}

export function evaluateThreshold(c: Threshold, facts: Facts): CriterionResult {
  const actual = valueOf(facts, c.fact)
  const base = { id: c.id, label: c.label, article: c.article, fact: c.fact, actual, required: c.value, op: c.op }
  if (actual === null) return { ...base, status: 'unknown', gap: null }
  const kind = FACTS[c.fact].kind
  if (kind === 'links') {
    const have = new Set(actual as readonly ScenarioLink[])
    const missingLinks = (c.value as ScenarioLink[]).filter((l) => !have.has(l))
    return { ...base, status: missingLinks.length ? 'missed' : 'met', gap: missingLinks.length || null, missingLinks }
  }
  if (kind === 'boolean') return { ...base, status: actual === c.value ? 'met' : 'missed', gap: null }
  const a = actual as number
  const r = c.value as number
  const met = c.op === 'gte' ? a >= r : c.op === 'lte' ? a <= r : a === r
  const gap = met ? null : c.op === 'lte' ? round2(a - r) : round2(Math.abs(r - a))
  return { ...base, status: met ? 'met' : 'missed', gap }
}

export function evaluateCriterion(c: Criterion, facts: Facts): CriterionResult {
  if (!('any_of' in c)) return evaluateThreshold(c, facts)
  const alternatives = c.any_of.map((t) => evaluateThreshold(t, facts))
  const status: CriterionStatus = alternatives.some((a) => a.status === 'met')
    ? 'met'
    : alternatives.some((a) => a.status === 'unknown')
      ? 'unknown'
      : 'missed'
  const first = alternatives.find((a) => a.status === status) ?? alternatives[0]!
  return { ...first, id: c.id, label: c.label, article: c.article, status, alternatives }
}

/** Folds criteria: any missed → missed; else any unknown → unknown; else met. */
export function combine(results: readonly CriterionResult[]): CriterionStatus {
  if (results.some((r) => r.status === 'missed')) return 'missed'
  if (results.some((r) => r.status === 'unknown')) return 'unknown'
  return 'met'
}

/** Every level of the set, lowest first, with each criterion's result. */
export function evaluateLevels(set: RuleSet, facts: Facts): LevelResult[] {
  return (set.levels ?? []).map((l) => {
    const criteria = l.criteria.map((c) => evaluateCriterion(c, facts))
    return {
      level: l.level,
      evaluatedBy: l.evaluated_by,
      status: l.evaluated_by === 'ministry' ? 'not_evaluated' : combine(criteria),
      criteria,
      article: l.article,
      ...(l.note ? { note: l.note } : {}),
    }
  })
}

// ---- titles and their validity ----

export interface HeldTitle {
  id?: number
  title: GradientTitle
  awardedOn: string
  /** null: the rule set's validity from awardedOn. */
  expiresOn: string | null
  status: 'held' | 'downgraded' | 'revoked'
  /** The day a downgrade or revocation took effect (else null). */
  endedOn?: string | null
  /** Reward received for it, 万元 (null: none recorded). */
  rewardWan?: number | null
}

export type TitleState = 'valid' | 'review_due' | 'expired' | 'downgraded' | 'revoked'

export interface TitleValidity {
  title: GradientTitle
  awardedOn: string
  expiresOn: string
  /** The first day of the review window (复核申请: 有效期结束前 N 个月). */
  reviewFrom: string
  state: TitleState
  article: LocalText
}

/** Adds months to an ISO date, clamping the day (2025-08-31 + 6 months → 2026-02-28). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

/**
 * Where a title stands on `today` under a validity of `years` with the review window opening
 * `reviewMonths` before the expiry: expired the day after it, in review from expiry − N months
 * (day clamped at month ends). Shared by the engine and the agency's titles view.
 */
export function titleStanding(
  t: Pick<HeldTitle, 'awardedOn' | 'expiresOn' | 'status'>,
  years: number,
  reviewMonths: number,
  today: string,
): { expiresOn: string; reviewFrom: string; state: TitleState } {
  const expiresOn = t.expiresOn ?? addMonths(t.awardedOn, years * 12)
  const reviewFrom = addMonths(expiresOn, -reviewMonths)
  const state: TitleState =
    t.status === 'revoked'
      ? 'revoked'
      : t.status === 'downgraded'
        ? 'downgraded'
        : today > expiresOn
          ? 'expired'
          : today >= reviewFrom
            ? 'review_due'
            : 'valid'
  return { expiresOn, reviewFrom, state }
}

export function titleValidity(set: RuleSet, t: HeldTitle, today: string): TitleValidity {
  const v = set.validity!
  const { expiresOn, reviewFrom, state } = titleStanding(t, v.years, v.review_months_before, today)
  return { title: t.title, awardedOn: t.awardedOn, expiresOn, reviewFrom, state, article: v.article }
}

// ---- application rules ----

export type ApplicationReason =
  | 'first_any' // 首次申报: 任选其一
  | 'next_step' // 逐级申报: the next level up
  | 'repeat' // a repeatable level (another 优秀场景)
  | 'after_revocation' // 从被取消载体的下一级申报
  | 'not_next' // 须逐级申报
  | 'held' // already holds it (valid)
  | 'per_year_limit' // 当年申报数量已满
  | 'banned' // 取消后 N 年内不得申报
  | 'not_on_ladder' // evaluated by the ministry, not applied for here

export interface ApplicationOption {
  level: GradientTitle
  allowed: boolean
  reason: ApplicationReason
  /** For per_year_limit: the limit; for banned: the first day one may apply again. */
  limit?: number
  until?: string
  article: LocalText
}

/**
 * Which levels the enterprise may apply for now (第十六条, 第二十二条, 第二十四条):
 * - never held a ladder title: any of `first_any_of`;
 * - otherwise level by level: the level above the highest valid one it holds (a downgrade
 *   leaves it holding the lower level), plus repeatable levels it holds;
 * - revoked within the ban: nothing until the ban ends, then the level below the revoked one;
 * - a per-year limit counts `applicationsThisYear` for that level.
 */
export function applicationOptions(
  set: RuleSet,
  titles: readonly HeldTitle[],
  applicationsThisYear: Partial<Record<GradientTitle, number>>,
  today: string,
): ApplicationOption[] {
  const rules = set.application!
  const ladder = rules.ladder
  const onLadder = titles.filter((t) => ladder.includes(t.title))
  const valid = onLadder.filter((t) => {
    const s = titleValidity(set, t, today).state
    return s === 'valid' || s === 'review_due'
  })
  const rank = (t: GradientTitle) => ladder.indexOf(t)
  const highest = valid.reduce<number>((m, t) => Math.max(m, rank(t.title)), -1)
  const revocations = onLadder
    .filter((t) => t.status === 'revoked')
    .map((t) => ({ t, on: t.endedOn ?? t.awardedOn }))
    .sort((a, b) => b.on.localeCompare(a.on))
  const lastRevocation = revocations[0]
  const banUntil = lastRevocation ? addMonths(lastRevocation.on, rules.ban_years_after_revocation * 12) : null
  const banned = banUntil !== null && today < banUntil

  let next: number
  let nextReason: ApplicationReason
  if (onLadder.length === 0) {
    next = -1
    nextReason = 'first_any'
  } else if (lastRevocation && highest < rank(lastRevocation.t.title)) {
    next = Math.max(0, rank(lastRevocation.t.title) - 1)
    nextReason = 'after_revocation'
  } else {
    next = Math.min(highest + 1, ladder.length - 1)
    nextReason = 'next_step'
  }

  const levels = (set.levels ?? []).map((l) => l.level)
  return levels.map((level): ApplicationOption => {
    const article = rules.article
    if (!ladder.includes(level)) return { level, allowed: false, reason: 'not_on_ladder', article }
    if (banned) return { level, allowed: false, reason: 'banned', until: banUntil, article: rules.revocation_article }
    const limit = rules.per_year.find((p) => p.level === level)
    if (limit && (applicationsThisYear[level] ?? 0) >= limit.max)
      return { level, allowed: false, reason: 'per_year_limit', limit: limit.max, article }
    if (next === -1) {
      const allowed = rules.first_any_of.includes(level)
      return { level, allowed, reason: allowed ? 'first_any' : 'not_next', article }
    }
    const r = rank(level)
    if (r === next && !(r <= highest && !rules.repeatable.includes(level)))
      return { level, allowed: true, reason: nextReason, article }
    if (rules.repeatable.includes(level) && r <= Math.max(highest, next))
      return { level, allowed: true, reason: 'repeat', article }
    if (r <= highest) return { level, allowed: false, reason: 'held', article }
    return { level, allowed: false, reason: 'not_next', article }
  })
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
