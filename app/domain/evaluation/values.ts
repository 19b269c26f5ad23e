/** The evaluation's value lists for pages (browser-safe): metrics, tiers, sanction levels. */
export {
  EVALUATION_METRICS,
  EVALUATION_TIERS,
  SANCTION_LEVELS,
  type EvaluationMetric,
  type EvaluationTier,
  type SanctionLevel,
} from '../../../db/enums.js'
