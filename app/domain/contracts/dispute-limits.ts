/*
 * The dispute (纠纷) form's limits: plain constants, browser-safe without zod (the
 * pages import them; disputes.server.ts builds the form's rules from them).
 */

export const DISPUTE_LIMITS = {
  subjectMax: 200,
  descriptionMax: 5000,
  resolutionMin: 2,
  resolutionMax: 5000,
  /** Evidence files (dispute_evidence) with one dispute. */
  filesPerDispute: 5,
  /** Open disputes one contract may have at once. */
  openPerContract: 3,
  pageSize: 20,
} as const

export const DISPUTE_OUTCOME_CHOICES = ['continue', 'terminate'] as const
export const DISPUTE_FAULT_CHOICES = ['enterprise', 'provider', 'none'] as const
