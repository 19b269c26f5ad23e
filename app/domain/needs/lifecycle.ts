import type { AuditAction } from '../audit/actions.js'
import { AppError } from '../../utils/errors.js'
import { NEED_STATUSES, type NeedStatus } from './enums.js'

/*
 * The need life cycle (DOMAIN.md §5), in one table: status × action → next status.
 * Pure and browser-safe: the manage page asks it which buttons to show, the use cases
 * (authoring.server.ts, lifecycle.server.ts `transitionNeed`, expiry.server.ts) ask it
 * whether a change is allowed, and anything it does not list is refused with
 * CONFLICT 'needs.e.transition' { from, action }.
 *
 *   draft ──publish──▶ published ──shortlist──▶ shortlisting ──award──▶ awarded ──contract──▶ contracted ──close──▶ closed
 *                        │  ▲   └───────────────award────────────────────▲
 *          withdraw/expire  republish (new deadline)
 *                        ▼  │
 *                  withdrawn / expired
 *
 * Decisions (documented here, tested in tests/unit/need-lifecycle.test.ts):
 * - edit: a draft, or a published need (the edit is recorded as history, shown on its
 *   public page). Once shortlisting starts the need is what providers bid on: no edits.
 * - withdraw: published or shortlisting → withdrawn, with a reason. A draft cannot be
 *   withdrawn: it was never public (and the schema keeps `published_at` for every
 *   status but draft); it simply stays a draft in 我的需求.
 * - expire: published → expired, by the scheduled job only (expiry.server.ts).
 * - republish: expired or withdrawn → published again, in one step, with a new
 *   deadline (its content was published before; to change it, republish and edit, which
 *   is recorded). Not back to draft: that would hide a need providers may already know.
 * - close: contracted → closed (已完成), by the owner, or by the platform when the
 *   need's contract completes (issue 14). An award that falls through is
 *   undone by issue 14's flow, not closed as completed.
 * - shortlist / award / contract: the matchmaking steps issue 14 drives.
 */

export const NEED_ACTIONS = [
  'edit',
  'publish',
  'withdraw',
  'expire',
  'republish',
  'close',
  'shortlist',
  'award',
  'contract',
] as const
export type NeedAction = (typeof NEED_ACTIONS)[number]

/** The only legal transitions: everything else is refused. `edit` keeps the status. */
export const NEED_TRANSITIONS: Readonly<Record<NeedStatus, Partial<Record<NeedAction, NeedStatus>>>> = {
  draft: { edit: 'draft', publish: 'published' },
  published: {
    edit: 'published',
    withdraw: 'withdrawn',
    expire: 'expired',
    shortlist: 'shortlisting',
    award: 'awarded',
  },
  shortlisting: { withdraw: 'withdrawn', award: 'awarded' },
  awarded: { contract: 'contracted' },
  contracted: { close: 'closed' },
  closed: {},
  withdrawn: { republish: 'published' },
  expired: { republish: 'published' },
}

/**
 * Who may take each action: the need's own enterprise (`owner`: an active member of a
 * verified enterprise, 'publish:need:own') or the platform itself (`system`: the expiry
 * job, issue 14's event flow).
 */
export type NeedActorKind = 'owner' | 'system'
export const NEED_ACTION_ACTORS: Readonly<Record<NeedAction, readonly NeedActorKind[]>> = {
  edit: ['owner'],
  publish: ['owner'],
  withdraw: ['owner'],
  expire: ['system'],
  republish: ['owner'],
  close: ['owner', 'system'],
  shortlist: ['owner', 'system'],
  award: ['owner'],
  contract: ['owner', 'system'],
}

/** The audit action each change is recorded as. */
export const NEED_ACTION_AUDIT: Readonly<Record<NeedAction, AuditAction>> = {
  edit: 'need.updated',
  publish: 'need.published',
  withdraw: 'need.withdrawn',
  expire: 'need.expired',
  republish: 'need.republished',
  close: 'need.closed',
  shortlist: 'need.shortlisted',
  award: 'need.awarded',
  contract: 'need.contracted',
}

/** Actions that need a reason (kept in needs.status_reason and the audit detail). */
export const REASON_REQUIRED: ReadonlySet<NeedAction> = new Set<NeedAction>(['withdraw'])
/** Actions that set a new deadline (投标截止). */
export const DEADLINE_REQUIRED: ReadonlySet<NeedAction> = new Set<NeedAction>(['publish', 'republish'])

export function isNeedStatus(value: string): value is NeedStatus {
  return (NEED_STATUSES as readonly string[]).includes(value)
}

/** The status `action` leads to from `from`, or null when the table does not allow it. */
export function transitionOf(from: NeedStatus, action: NeedAction): NeedStatus | null {
  return NEED_TRANSITIONS[from]?.[action] ?? null
}

/** The status `action` leads to from `from`; CONFLICT 'needs.e.transition' { from, action } when illegal. */
export function nextNeedStatus(from: NeedStatus, action: NeedAction): NeedStatus {
  const next = transitionOf(from, action)
  if (!next) throw new AppError('CONFLICT', 'needs.e.transition', { params: { from, action } })
  return next
}

/** The actions an actor of this kind may take on a need in `status`, in the table's order. */
export function allowedNeedActions(status: NeedStatus, by: NeedActorKind = 'owner'): NeedAction[] {
  return NEED_ACTIONS.filter((a) => transitionOf(status, a) !== null && NEED_ACTION_ACTORS[a].includes(by))
}

/** Whether this kind of actor may take `action` at all. */
export function actorMayTake(by: NeedActorKind, action: NeedAction): boolean {
  return NEED_ACTION_ACTORS[action].includes(by)
}
