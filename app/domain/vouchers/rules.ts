import type { VoucherAction, VoucherStatus } from '../../../db/enums.js'

/*
 * 服务券 rules (issue 16 §5, decision 016), pure: the caps of a voucher's amount and who
 * may take which step from which status. The use cases (vouchers.server.ts) check the
 * same table inside their transaction with a conditional update on the status.
 */

export const VOUCHER_LIMITS = {
  pageSize: 20,
  noteMax: 1000,
  reasonMin: 2,
  nameMax: 100,
  documentMax: 200,
  refMax: 100,
  /** Contracts offered by the issue form. */
  contractChoices: 200,
  /** Accepted milestones a provider may cite. */
  evidenceMax: 50,
} as const

/** The sides of a voucher: the issuing agency, the contract's enterprise, provider and appointed supervisor. */
export type VoucherRole = 'agency' | 'enterprise' | 'provider' | 'supervisor'

export const VOUCHER_STEPS = ['submit', 'signoff', 'reject', 'confirm', 'dispute', 'release', 'cancel'] as const
export type VoucherStep = (typeof VOUCHER_STEPS)[number]

export interface StepRule {
  from: readonly VoucherStatus[]
  to: VoucherStatus
  role: VoucherRole
  action: VoucherAction
}

export const STEP_RULES: Record<VoucherStep, StepRule> = {
  submit: { from: ['issued'], to: 'submitted', role: 'provider', action: 'submitted' },
  signoff: { from: ['submitted'], to: 'signed_off', role: 'supervisor', action: 'signed_off' },
  reject: { from: ['submitted'], to: 'issued', role: 'supervisor', action: 'signoff_rejected' },
  confirm: { from: ['signed_off'], to: 'confirmed', role: 'enterprise', action: 'confirmed' },
  dispute: { from: ['signed_off'], to: 'issued', role: 'enterprise', action: 'disputed' },
  release: { from: ['confirmed'], to: 'released', role: 'agency', action: 'released' },
  cancel: { from: ['issued', 'submitted', 'signed_off', 'confirmed'], to: 'cancelled', role: 'agency', action: 'cancelled' },
}

/** The steps someone acting as `roles` may take on a voucher in `status`. */
export function stepsFor(status: VoucherStatus, roles: readonly VoucherRole[]): VoucherStep[] {
  return VOUCHER_STEPS.filter((s) => STEP_RULES[s].from.includes(status) && roles.includes(STEP_RULES[s].role))
}

/** Who acts next on a voucher in `status` (null: nobody, it is closed). */
export function nextRole(status: VoucherStatus): VoucherRole | null {
  switch (status) {
    case 'issued':
      return 'provider'
    case 'submitted':
      return 'supervisor'
    case 'signed_off':
      return 'enterprise'
    case 'confirmed':
      return 'agency'
    default:
      return null
  }
}

export interface SchemeCaps {
  maxSharePct: number
  maxPerVoucherWanX100: number
}

/** The largest amount (万元 × 100) a voucher of the scheme may have for a contract of `contractAmountX100`. */
export function voucherCap(scheme: SchemeCaps, contractAmountX100: number): number {
  return Math.min(scheme.maxPerVoucherWanX100, Math.floor((contractAmountX100 * scheme.maxSharePct) / 100))
}

export type IssueRefusal = 'overCap' | 'overBudget' | 'outsideValidity'

/**
 * Why an amount may not be issued (null: it may): above the cap, above what is left of
 * the year's budget, or on a day outside the scheme's validity.
 */
export function issueRefusal(
  input: { amountX100: number; today: string },
  scheme: SchemeCaps & { validFrom: string; validTo: string; yearlyBudgetWanX100: number },
  contractAmountX100: number,
  committedX100: number,
): IssueRefusal | null {
  if (input.today < scheme.validFrom || input.today > scheme.validTo) return 'outsideValidity'
  if (input.amountX100 > voucherCap(scheme, contractAmountX100)) return 'overCap'
  if (committedX100 + input.amountX100 > scheme.yearlyBudgetWanX100) return 'overBudget'
  return null
}
