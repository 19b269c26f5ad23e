import { GRADIENT_TITLES, type GradientTitle, type TitleStatus } from '../../../db/enums.js'
import { addMonths, titleStanding, type TitleState } from '../policy/gradient.js'
import type { LocalText, RuleSet } from '../policy/rule-set.js'

/*
 * The validity of 智能工厂梯度 titles as the agency's titles view reads them (issue 16 §7),
 * pure: the region's gradient rule set gives the years a title is valid and how many months
 * before its expiry the review (复核) window opens (甘肃 2025: 3 years, 3 months); a region
 * without a rule set uses DEFAULT_VALIDITY, which the page says. The states follow
 * titleValidity (app/domain/policy/gradient.ts): expired the day after the expiry, in review
 * from expiry − N months (day clamped at month ends). For the list's SQL filter, the states
 * become date bounds: `lastDayBefore` gives the latest day whose shifted date is still on
 * or before a bound (exact under month-end clamping).
 */

export interface Validity {
  years: number
  reviewMonths: number
  /** The rule set that gives it, or null: the default (no rule set for the region). */
  ruleSetId: string | null
  article: LocalText | null
}

export const DEFAULT_VALIDITY: Validity = { years: 3, reviewMonths: 3, ruleSetId: null, article: null }

export function validityOf(set: RuleSet | null): Validity {
  if (!set?.validity) return DEFAULT_VALIDITY
  return {
    years: set.validity.years,
    reviewMonths: set.validity.review_months_before,
    ruleSetId: set.id,
    article: set.validity.article,
  }
}

/** ISO day + n days. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The latest day X with addMonths(X, months) ≤ bound (addMonths is monotone; clamping makes it many-to-one). */
export function lastDayBefore(bound: string, months: number): string {
  let x = addMonths(bound, -months)
  while (addMonths(x, months) > bound) x = addDays(x, -1)
  for (let i = 0; i < 4 && addMonths(addDays(x, 1), months) <= bound; i += 1) x = addDays(x, 1)
  return x
}

export interface TitleDates {
  awardedOn: string
  /** null: the validity's years from awardedOn. */
  expiresOn: string | null
  status: TitleStatus
}

export interface TitleStanding {
  expiresOn: string
  reviewFrom: string
  state: TitleState
}

export function standing(t: TitleDates, v: Validity, today: string): TitleStanding {
  return titleStanding(t, v.years, v.reviewMonths, today)
}

/**
 * The bounds of a held title's states on `today`, for SQL: expired ⇔ effective expiry ≤
 * expiredThrough; due for review ⇔ not expired and effective expiry ≤ dueThrough. For a
 * title without an expiry date the same bounds on its award day (…Awarded).
 */
export interface StateBounds {
  expiredThrough: string
  dueThrough: string
  expiredThroughAwarded: string
  dueThroughAwarded: string
}

export function stateBounds(v: Validity, today: string): StateBounds {
  const expiredThrough = addDays(today, -1)
  const dueThrough = lastDayBefore(today, -v.reviewMonths)
  return {
    expiredThrough,
    dueThrough,
    expiredThroughAwarded: lastDayBefore(expiredThrough, v.years * 12),
    dueThroughAwarded: lastDayBefore(dueThrough, v.years * 12),
  }
}

/** A review passed: the title's validity runs `years` more from its old expiry. */
export function extendedExpiry(oldExpiry: string, v: Validity): string {
  return addMonths(oldExpiry, v.years * 12)
}

/** The smart-factory levels a title may be downgraded to: the levels below it (优秀场景 is no level of that ladder). */
export const DOWNGRADE_LEVELS: readonly GradientTitle[] = ['basic', 'advanced', 'excellence']

export function downgradeTargets(title: GradientTitle): GradientTitle[] {
  const rank = GRADIENT_TITLES.indexOf(title)
  return DOWNGRADE_LEVELS.filter((l) => GRADIENT_TITLES.indexOf(l) < rank)
}
