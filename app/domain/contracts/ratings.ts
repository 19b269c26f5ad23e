import type { RatingSide, SurveyGrade, SurveyOverall } from '../../../db/enums.js'
import type { MessageKey } from '../../i18n/index.js'
import type { ContractRole } from './access.server.js'

/*
 * Ratings on a completed contract (issue 14 §6), pure: what each side rates, a rating's
 * value on 0–1, and who sees which rating. No zod here (the browser imports it); the
 * input schema is in ratings.server.ts.
 *
 * Three sides, one rating each per contract (contract_ratings: UNIQUE contract_id+side):
 * - 'enterprise': the enterprise's members rate the provider with the seed 002 form
 *   adapted to delivery (实施过程, 问题解决, 方案落地, 业务水平, 实施效果), five grades
 *   很好 / 较好 / 一般 / 较差 and an overall 满意 / 比较满意 / 不满意. Every reader of the
 *   contract sees it, and the public on the provider's page; it feeds matching's rating.
 * - 'provider': the provider's members rate the enterprise (需求清晰, 配合程度, 付款及时,
 *   验收规范, 沟通效率). Providers only see it (the provider's own members, the
 *   supervisor — a provider too — and other providers on the enterprise's needs), never
 *   the enterprise, the agencies or the public. So it takes no reply: the one who could
 *   reply never sees it.
 * - 'supervisor': the appointed 监理机构's members score delivery (工程质量, 进度控制,
 *   安全文明, 资料管理, 整改响应). Every reader of the contract sees it.
 * The rated side replies once: the provider, to the enterprise's rating and to the
 * supervisor's score.
 */

export type { RatingSide } from '../../../db/enums.js'

/** The item names of each side, in the order of the columns item_1 … item_5. */
export const RATING_ITEMS = {
  enterprise: ['process', 'problems', 'landing', 'competence', 'result'],
  provider: ['clarity', 'cooperation', 'payment', 'acceptance', 'communication'],
  supervisor: ['quality', 'schedule', 'safety', 'records', 'rectification'],
} as const satisfies Record<RatingSide, readonly string[]>

/** The catalogue keys of a side's items: the full statement (the form) and the short name (a rating shown). */
export function ratingItemLabels(side: RatingSide): { item: string; full: MessageKey; short: MessageKey }[] {
  return RATING_ITEMS[side].map((item) => ({
    item,
    full: `ratings.item.${side}.${item}` as MessageKey,
    short: `ratings.itemShort.${side}.${item}` as MessageKey,
  }))
}

/** The form's field names of the five items (the same for every side). */
export const RATING_FIELDS = ['item1', 'item2', 'item3', 'item4', 'item5'] as const
export type RatingField = (typeof RATING_FIELDS)[number]

export const RATING_LIMITS = { comment: 1000, reply: 1000, publicPageSize: 10 } as const

/** One rating as a page shows it. */
export interface RatingView {
  id: number
  side: RatingSide
  /** Empty on the provider's public page (the client stays private). */
  raterName: string
  ratedName: string
  /** item_1 … item_5, in RATING_ITEMS[side]'s order. */
  grades: SurveyGrade[]
  overall: SurveyOverall
  comment: string
  /** 0–100, the value matching weighs (gradedFormValue). */
  score: number
  createdAt: string
  reply: string
  repliedAt: string | null
  /** This reader may reply now. */
  canReply: boolean
}

/** The survey's mapping (app/domain/matching/data.server.ts surveyValue uses this one): a rating and a survey weigh the same. */
export const OVERALL_VALUE: Record<SurveyOverall, number> = { satisfied: 1, fairly_satisfied: 0.5, dissatisfied: 0 }
export const GRADE_VALUE: Record<SurveyGrade, number> = { very_good: 1, good: 2 / 3, fair: 1 / 3, poor: 0 }

/**
 * A graded form on 0–1 (a diagnosis survey or a contract rating): the mean of its
 * overall verdict (满意 1, 比较满意 0.5, 不满意 0) and of its items' mean (很好 1, 较好 2/3,
 * 一般 1/3, 较差 0). An unknown value counts 0.5.
 */
export function gradedFormValue(overall: SurveyOverall, grades: readonly SurveyGrade[]): number {
  const values = grades.map((g) => GRADE_VALUE[g] ?? 0.5)
  const items = values.length === 0 ? 0.5 : values.reduce((a, b) => a + b, 0) / values.length
  return ((OVERALL_VALUE[overall] ?? 0.5) + items) / 2
}

/** The side a reader rates as on a contract: its role there (agencies do not rate). */
export function ratingSideOf(role: ContractRole | null): RatingSide | null {
  return role === 'enterprise' || role === 'provider' || role === 'supervisor' ? role : null
}

/** Who replies to a rating of this side: the provider (rated by the enterprise, scored by the supervisor); nobody for 'provider'. */
export function replierRole(side: RatingSide): ContractRole | null {
  return side === 'provider' ? null : 'provider'
}

/** Who reads a rating on the contract's page. */
export interface RatingReader {
  /** The reader's role on the contract. */
  role: ContractRole | null
  /** The reader acts for a verified provider (any: a party, the supervisor, another provider). */
  isProvider: boolean
}

/**
 * May this reader see a rating of this side on the contract? The enterprise's rating and
 * the supervisor's score: every reader of the contract. The provider's rating of the
 * enterprise: readers of the contract who act for a provider (the provider, the supervisor).
 */
export function ratingVisibleOnContract(side: RatingSide, reader: RatingReader): boolean {
  if (reader.role === null) return false
  if (side === 'provider') return reader.isProvider && (reader.role === 'provider' || reader.role === 'supervisor')
  return true
}

/** Ratings of this side shown on the provider's public page (to anyone). */
export function ratingPublic(side: RatingSide): boolean {
  return side === 'enterprise'
}

/** The providers' ratings of an enterprise are shown to providers only (its need page, for provider viewers). */
export function enterpriseRatingsVisibleTo(reader: { isProvider: boolean }): boolean {
  return reader.isProvider
}
