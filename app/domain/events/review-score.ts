/*
 * 方案评选 scoring (issue 15 §1), pure: the scoring sheet's rules and how the experts'
 * scores of the proposals (bids) of one need are aggregated and ranked.
 *
 * - A sheet has 1 … MAX_CRITERIA criteria, each with a weight (whole points, all summing
 *   to 100) and a maximum score (1 … 100); names are unique.
 * - An expert scores every criterion of a bid 0 … max. A criterion's aggregated score is
 *   the mean over the experts who scored the bid (excluded experts never do); its points
 *   are mean / max × weight; a bid's total is the sum of its criteria's points (0 … 100).
 * - Ranking per need: higher total first, compared at two decimals (what is shown); equal
 *   totals share a rank (1, 1, 3 — "competition ranking") and are listed by the higher
 *   points on the heaviest criterion, then by bid id. A bid no expert scored has no rank.
 */

export const MAX_CRITERIA = 10
export const WEIGHT_TOTAL = 100

export interface CriterionRule {
  id: number
  name: string
  weight: number
  maxScore: number
}

export type SheetProblem = 'count' | 'weightSum' | 'duplicateName' | 'weight' | 'maxScore' | 'name'

/** What is wrong with a scoring sheet, or null when it is valid. */
export function sheetProblem(criteria: ReadonlyArray<Omit<CriterionRule, 'id'>>): SheetProblem | null {
  if (criteria.length < 1 || criteria.length > MAX_CRITERIA) return 'count'
  for (const c of criteria) {
    if (c.name.trim().length < 1 || c.name.length > 60) return 'name'
    if (!Number.isInteger(c.weight) || c.weight < 1 || c.weight > WEIGHT_TOTAL) return 'weight'
    if (!Number.isInteger(c.maxScore) || c.maxScore < 1 || c.maxScore > 100) return 'maxScore'
  }
  const names = new Set(criteria.map((c) => c.name.trim()))
  if (names.size !== criteria.length) return 'duplicateName'
  if (criteria.reduce((sum, c) => sum + c.weight, 0) !== WEIGHT_TOTAL) return 'weightSum'
  return null
}

/** One expert's scores of one bid: criterion id → score. */
export interface ExpertSheet {
  bidId: number
  expertId: number
  scores: ReadonlyMap<number, number> | Readonly<Record<number, number>>
}

export interface CriterionResult {
  criterionId: number
  /** Mean score over the experts (two decimals). */
  mean: number
  /** mean / max × weight (two decimals). */
  points: number
}

export interface BidResult {
  bidId: number
  /** How many experts scored it. */
  experts: number
  criteria: CriterionResult[]
  /** Sum of the criteria's points, 0 … 100 (two decimals). */
  total: number
  /** 1-based; equal totals share one; null when no expert scored the bid. */
  rank: number | null
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100
}

function scoreOf(sheet: ExpertSheet, criterionId: number): number | undefined {
  const s = sheet.scores
  if (s instanceof Map) return (s as ReadonlyMap<number, number>).get(criterionId)
  return (s as Readonly<Record<number, number>>)[criterionId]
}

/** Whether every criterion has a score within 0 … max (whole numbers). */
export function sheetComplete(criteria: readonly CriterionRule[], sheet: ExpertSheet): boolean {
  return criteria.every((c) => {
    const v = scoreOf(sheet, c.id)
    return v !== undefined && Number.isInteger(v) && v >= 0 && v <= c.maxScore
  })
}

/**
 * The results of the bids of one need: every bid in `bidIds`, ranked. Sheets of other
 * bids, and incomplete sheets, are ignored.
 */
export function rankBids(
  criteria: readonly CriterionRule[],
  bidIds: readonly number[],
  sheets: readonly ExpertSheet[],
): BidResult[] {
  const heaviest = [...criteria].sort((a, b) => b.weight - a.weight || a.id - b.id)[0]
  const results: BidResult[] = bidIds.map((bidId) => {
    const mine = sheets.filter((s) => s.bidId === bidId && sheetComplete(criteria, s))
    const perCriterion = criteria.map((c) => {
      if (mine.length === 0) return { criterionId: c.id, mean: 0, points: 0, exactPoints: 0 }
      const mean = mine.reduce((sum, s) => sum + (scoreOf(s, c.id) ?? 0), 0) / mine.length
      const exactPoints = (mean / c.maxScore) * c.weight
      return { criterionId: c.id, mean: round2(mean), points: round2(exactPoints), exactPoints }
    })
    const total = round2(perCriterion.reduce((sum, c) => sum + c.exactPoints, 0))
    return {
      bidId,
      experts: mine.length,
      criteria: perCriterion.map(({ criterionId, mean, points }) => ({ criterionId, mean, points })),
      total,
      rank: null,
    }
  })
  const heavyPoints = (r: BidResult) => r.criteria.find((c) => c.criterionId === heaviest?.id)?.points ?? 0
  const scored = results
    .filter((r) => r.experts > 0)
    .sort((a, b) => b.total - a.total || heavyPoints(b) - heavyPoints(a) || a.bidId - b.bidId)
  scored.forEach((r, i) => {
    const previous = scored[i - 1]
    r.rank = previous && previous.total === r.total ? previous.rank : i + 1
  })
  const unscored = results.filter((r) => r.experts === 0).sort((a, b) => a.bidId - b.bidId)
  return [...scored, ...unscored]
}
