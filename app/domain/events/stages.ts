import type { EventStage } from '../../../db/enums.js'

/*
 * The stages of a matchmaking event (供需对接会, Zhejiang 2022 §三(三)): 需求发榜 →
 * 服务商征集 → 现场调研 → 方案评选 → 意向签约 → 服务跟进, after a draft and before closing.
 * The organiser moves an event one stage forward at a time (or cancels it while it is
 * not closed); nothing moves it back. Every slice asks `open(activity, stage)` whether
 * what it does is open in the event's current stage — the one table of that.
 */

export const STAGE_FLOW = [
  'draft',
  'needs_call',
  'provider_call',
  'site_visits',
  'proposal_review',
  'intents',
  'follow_up',
  'closed',
] as const satisfies readonly EventStage[]

/** The six working stages, in order (the progress view's steps). */
export const WORKING_STAGES = STAGE_FLOW.slice(1, -1) as readonly EventStage[]

export function stageIndex(stage: EventStage): number {
  return stage === 'cancelled' ? -1 : (STAGE_FLOW as readonly EventStage[]).indexOf(stage)
}

/** The stage after this one, or null (closed, cancelled). */
export function nextStage(stage: EventStage): EventStage | null {
  const i = stageIndex(stage)
  return i < 0 || i >= STAGE_FLOW.length - 1 ? null : STAGE_FLOW[i + 1]!
}

export function mayCancel(stage: EventStage): boolean {
  return stage !== 'closed' && stage !== 'cancelled'
}

/** Is `stage` at or past `reference` (cancelled: never)? */
export function reached(stage: EventStage, reference: EventStage): boolean {
  const i = stageIndex(stage)
  return i >= 0 && i >= stageIndex(reference)
}

/** Visible to the public and to participants: published (past draft), cancelled ones included. */
export function isPublished(stage: EventStage): boolean {
  return stage !== 'draft'
}

/** What participants and the organiser do, and the stages in which each is open. */
export const ACTIVITY_STAGES = {
  /** The organiser edits title, dates, venue … */
  editDetails: ['draft', 'needs_call', 'provider_call'],
  /** The organiser selects published needs of its jurisdiction for the batch; decides applications. */
  selectNeeds: ['draft', 'needs_call'],
  /** Enterprises put their own published needs forward (when the event allows it). */
  applyNeeds: ['needs_call'],
  /** Providers register for the event (and for needs of it); the organiser decides. */
  registerProviders: ['needs_call', 'provider_call'],
  /** The organiser appoints experts (方案评选) and defines the scoring sheet. */
  prepareReview: ['draft', 'needs_call', 'provider_call', 'site_visits'],
  /** The organiser offers site-visit slots per need. */
  offerVisits: ['provider_call', 'site_visits'],
  /** Approved providers book (and cancel) site-visit slots. */
  bookVisits: ['site_visits'],
  /** Experts score proposals (the bids on the batch's needs). */
  scoreProposals: ['proposal_review'],
  /** Participants set availability and request / accept 1:1 meetings; the schedule is made. */
  meetings: ['provider_call', 'site_visits', 'proposal_review', 'intents'],
  /** The organiser sets the meeting grid (days, hours, slot length, tables) — until the meetings end. */
  meetingSettings: ['draft', 'needs_call', 'provider_call', 'site_visits', 'proposal_review', 'intents'],
  /** Outcomes of meetings already held. */
  meetingOutcomes: ['provider_call', 'site_visits', 'proposal_review', 'intents', 'follow_up', 'closed'],
  /** The organiser records letters of intent. */
  intents: ['intents', 'follow_up'],
  /** Follow-ups at 30 / 90 / 180 days are recorded (also after the event closed). */
  followUps: ['intents', 'follow_up', 'closed'],
} as const satisfies Record<string, readonly EventStage[]>

export type EventActivity = keyof typeof ACTIVITY_STAGES

export function isOpen(activity: EventActivity, stage: EventStage): boolean {
  return (ACTIVITY_STAGES[activity] as readonly EventStage[]).includes(stage)
}
