/*
 * The contract pages' limits: plain constants, browser-safe without zod (the pages
 * import them; schema.ts builds the form's rules from them).
 */

export const CONTRACT_LIMITS = {
  /** Payment milestones of one contract. */
  maxMilestones: 20,
  /** Rows the draft form shows at least (and two more than are filled, up to the maximum). */
  minMilestoneRows: 5,
  milestoneNameMax: 100,
  milestoneCriteriaMax: 2000,
  termsMax: 4000,
  disputeClauseMax: 2000,
  standardsMax: 30,
  standardMax: 100,
  minConstructionDays: 1,
  maxConstructionDays: 3650,
  maxWarrantyMonths: 120,
  /** Supervisor candidates shown to the agency at once. */
  supervisorCandidates: 20,
  supervisorQueryMax: 50,
  /** Cases the provider chooses from. */
  caseChoices: 50,
  /** Timeline entries a page. */
  timelinePageSize: 20,
} as const

/** Field names of milestone row `n` (1-based): also the ids of its inputs. */
export const contractMilestoneField = (n: number, part: 'Name' | 'Percent' | 'Due' | 'Criteria') => `ms${n}${part}`
