import type { ContractStatus, DisputeStatus, MilestoneStatus, ReviewDecision, ReviewSide } from '../../../db/enums.js'
import { AppError } from '../../utils/errors.js'

/*
 * The life cycles of contracts, milestones and disputes (DOMAIN.md §5, issue 14 §3–§5),
 * each one table: status × action → next status. Pure and browser-safe: pages ask them
 * which buttons to show, use cases ask them whether a change is allowed; anything a
 * table does not list is refused with CONFLICT '<context>.e.transition' { from, action }.
 *
 * Contract:
 *   draft ──edit / confirm──▶ draft ──activate (both confirmed)──▶ active ──complete──▶ completed
 *                                                                    └──terminate──▶ terminated
 * - edit: either party while draft; an edit clears both confirmations (they confirm
 *   what they read).
 * - confirm: a party's owner (电子确认); when the second side confirms, the same
 *   transaction activates the contract (system).
 * - The draft is made by the award itself (draft.server.ts), one per awarded bid; it is
 *   not cancelled — a draft the parties cannot agree on stays a draft (a dispute is for
 *   contracts in force).
 * - complete: the system, when the last milestone is accepted.
 * - terminate: the system, when a dispute is resolved with outcome 'terminate'.
 * - appoint (a supervisor) keeps the status: draft or active.
 *
 * Milestone: pending ──submit──▶ submitted ──accept──▶ accepted
 *                                   └──reject──▶ rejected ──submit──▶ submitted
 * Acceptance needs the enterprise, and the supervisor where one is appointed
 * (`milestoneVerdict`): one side's acceptance alone keeps it submitted; one rejection
 * rejects it. Late is a flag set by the scheduled job, not a status.
 *
 * Dispute: open ──resolve──▶ resolved;  open ──withdraw──▶ withdrawn (by its opener).
 */

export const CONTRACT_ACTIONS = ['edit', 'confirm', 'activate', 'appoint', 'complete', 'terminate'] as const
export type ContractAction = (typeof CONTRACT_ACTIONS)[number]

export const CONTRACT_TRANSITIONS: Readonly<Record<ContractStatus, Partial<Record<ContractAction, ContractStatus>>>> = {
  draft: { edit: 'draft', confirm: 'draft', activate: 'active', appoint: 'draft' },
  active: { appoint: 'active', complete: 'completed', terminate: 'terminated' },
  completed: {},
  terminated: {},
}

export function contractTransitionOf(from: ContractStatus, action: ContractAction): ContractStatus | null {
  return CONTRACT_TRANSITIONS[from]?.[action] ?? null
}

/** The status `action` leads to; CONFLICT 'contracts.e.transition' { from, action } when illegal. */
export function nextContractStatus(from: ContractStatus, action: ContractAction): ContractStatus {
  const next = contractTransitionOf(from, action)
  if (!next) throw new AppError('CONFLICT', 'contracts.e.transition', { params: { from, action } })
  return next
}

export const MILESTONE_ACTIONS = ['submit', 'accept', 'reject'] as const
export type MilestoneAction = (typeof MILESTONE_ACTIONS)[number]

export const MILESTONE_TRANSITIONS: Readonly<Record<MilestoneStatus, Partial<Record<MilestoneAction, MilestoneStatus>>>> = {
  pending: { submit: 'submitted' },
  submitted: { accept: 'accepted', reject: 'rejected' },
  rejected: { submit: 'submitted' },
  accepted: {},
}

export function milestoneTransitionOf(from: MilestoneStatus, action: MilestoneAction): MilestoneStatus | null {
  return MILESTONE_TRANSITIONS[from]?.[action] ?? null
}

/** The status `action` leads to; CONFLICT 'milestones.e.transition' { from, action } when illegal. */
export function nextMilestoneStatus(from: MilestoneStatus, action: MilestoneAction): MilestoneStatus {
  const next = milestoneTransitionOf(from, action)
  if (!next) throw new AppError('CONFLICT', 'milestones.e.transition', { params: { from, action } })
  return next
}

/** The sides whose acceptance a milestone needs. */
export function requiredReviewSides(hasSupervisor: boolean): ReviewSide[] {
  return hasSupervisor ? ['enterprise', 'supervisor'] : ['enterprise']
}

/**
 * The milestone's verdict from the decisions of its current round: rejected as soon
 * as one required side rejects; accepted once every required side accepted; else
 * still waiting (submitted).
 */
export function milestoneVerdict(
  decisions: ReadonlyArray<{ side: ReviewSide; decision: ReviewDecision }>,
  hasSupervisor: boolean,
): 'accepted' | 'rejected' | 'waiting' {
  const required = requiredReviewSides(hasSupervisor)
  const relevant = decisions.filter((d) => required.includes(d.side))
  if (relevant.some((d) => d.decision === 'rejected')) return 'rejected'
  return required.every((side) => relevant.some((d) => d.side === side && d.decision === 'accepted')) ? 'accepted' : 'waiting'
}

export const DISPUTE_ACTIONS = ['resolve', 'withdraw'] as const
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number]

export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeStatus, Partial<Record<DisputeAction, DisputeStatus>>>> = {
  open: { resolve: 'resolved', withdraw: 'withdrawn' },
  resolved: {},
  withdrawn: {},
}

export function disputeTransitionOf(from: DisputeStatus, action: DisputeAction): DisputeStatus | null {
  return DISPUTE_TRANSITIONS[from]?.[action] ?? null
}

/** The status `action` leads to; CONFLICT 'disputes.e.transition' { from, action } when illegal. */
export function nextDisputeStatus(from: DisputeStatus, action: DisputeAction): DisputeStatus {
  const next = disputeTransitionOf(from, action)
  if (!next) throw new AppError('CONFLICT', 'disputes.e.transition', { params: { from, action } })
  return next
}
