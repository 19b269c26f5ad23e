import { AppError } from '../../utils/errors.js'

/*
 * The bid life cycle (issue 14 §1–2), in one table: status × action → next status.
 * Pure and browser-safe: the bid page asks it which buttons to show, the use cases
 * (bids.server.ts) ask it whether a change is allowed; anything it does not list is
 * refused with CONFLICT 'bids.e.transition' { from, action }.
 *
 *   submitted ──revise──▶ submitted
 *       │  └──shortlist──▶ shortlisted ──award──▶ awarded
 *       │                      │
 *   withdraw / reject      withdraw / reject
 *       ▼                      ▼
 *   withdrawn / rejected
 *
 * - revise: the bidder, while the bid is submitted, the need published and its deadline
 *   (投标截止, a date in China) not passed (`mayRevise`). Once shortlisted the owner
 *   compares what was offered: no edits.
 * - withdraw: the bidder, from submitted or shortlisted — until award, whatever the deadline.
 * - shortlist / reject / award: the need's owner (the award slice drives them).
 * - withdrawn, rejected, awarded are final. A provider whose bid was withdrawn may
 *   submit a new one (one LIVE bid per need and provider).
 */

export const BID_STATUSES = ['submitted', 'shortlisted', 'awarded', 'rejected', 'withdrawn'] as const
export type BidStatus = (typeof BID_STATUSES)[number]

export const BID_ACTIONS = ['revise', 'withdraw', 'shortlist', 'reject', 'award'] as const
export type BidAction = (typeof BID_ACTIONS)[number]

/** Statuses that hold the provider's one place on the need (everything but withdrawn). */
export const LIVE_BID_STATUSES: readonly BidStatus[] = ['submitted', 'shortlisted', 'rejected', 'awarded']

export const BID_TRANSITIONS: Readonly<Record<BidStatus, Partial<Record<BidAction, BidStatus>>>> = {
  submitted: { revise: 'submitted', withdraw: 'withdrawn', shortlist: 'shortlisted', reject: 'rejected', award: 'awarded' },
  shortlisted: { withdraw: 'withdrawn', reject: 'rejected', award: 'awarded' },
  awarded: {},
  rejected: {},
  withdrawn: {},
}

export type BidActorKind = 'bidder' | 'owner'
export const BID_ACTION_ACTORS: Readonly<Record<BidAction, BidActorKind>> = {
  revise: 'bidder',
  withdraw: 'bidder',
  shortlist: 'owner',
  reject: 'owner',
  award: 'owner',
}

export function isBidStatus(value: string): value is BidStatus {
  return (BID_STATUSES as readonly string[]).includes(value)
}

/** The status `action` leads to from `from`, or null when the table does not allow it. */
export function bidTransitionOf(from: BidStatus, action: BidAction): BidStatus | null {
  return BID_TRANSITIONS[from]?.[action] ?? null
}

/** The status `action` leads to; CONFLICT 'bids.e.transition' { from, action } when illegal. */
export function nextBidStatus(from: BidStatus, action: BidAction): BidStatus {
  const next = bidTransitionOf(from, action)
  if (!next) throw new AppError('CONFLICT', 'bids.e.transition', { params: { from, action } })
  return next
}

/** The actions this side may take on a bid in `status`, in the table's order. */
export function allowedBidActions(status: BidStatus, by: BidActorKind): BidAction[] {
  return BID_ACTIONS.filter((a) => BID_ACTION_ACTORS[a] === by && bidTransitionOf(status, a) !== null)
}

/** Whether bids may still be submitted or revised on a need: published, and its deadline (a date) not passed. */
export function needOpenForBids(need: { status: string; deadline: string | null }, today: string): boolean {
  return need.status === 'published' && (need.deadline === null || need.deadline >= today)
}

/** Whether the bidder may revise: the table allows it and the need is still open for bids. */
export function mayRevise(status: BidStatus, need: { status: string; deadline: string | null }, today: string): boolean {
  return bidTransitionOf(status, 'revise') !== null && needOpenForBids(need, today)
}
