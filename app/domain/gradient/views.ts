import type { MeasureEstimate } from '../policy/measures.js'
import type { LocalText } from '../policy/rule-set.js'

/* What the 梯度自评 and 补助测算 pages receive (issue 16): plain data, shared with the components. */

export interface RuleSetSummary {
  id: string
  name: LocalText
  document: LocalText
  issuer: LocalText
  validUntil: string | null
  /** No longer in force today: shown for reference only. */
  expired: boolean
}

export interface NeedEstimate {
  /** The investment the estimate assumes (万元). */
  investmentWan: number
  /** The need's budget ceiling, the default assumption (万元). */
  budgetMaxWan: number
  sets: { ruleSet: RuleSetSummary; measures: MeasureEstimate[] }[]
}
