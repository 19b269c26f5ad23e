import type { MessageKey } from '../../i18n/index.js'

/*
 * The kinds of notification (issue 14 §7): pure and browser-safe, so the preferences
 * page lists them. Each kind has a catalogue title and body
 * (`notifications.k.<kind>.title|body`, with the notice's params), who of an
 * organisation receives it when it is sent to the organisation (its active members, or
 * its owners only), and whether e-mail and SMS are on while the person has not chosen.
 * `live`: something sends it today (the preferences page lists only those; the kinds
 * of bids, contracts, milestones, disputes and ratings go live with their slices).
 * `mail`: catalogue keys of a fuller e-mail than title and body, where one exists.
 */

export const NOTIFICATION_KINDS = [
  'invitation_received',
  'recommendation_received',
  'saved_search_matches',
  'bid_new',
  'bid_question',
  'bid_answer',
  'bid_withdrawn',
  'award_won',
  'award_lost',
  'contract_to_confirm',
  'contract_confirmed',
  'supervisor_appointed',
  'contract_completed',
  'milestone_submitted',
  'milestone_accepted',
  'milestone_rejected',
  'milestone_late',
  'dispute_opened',
  'dispute_resolved',
  'rating_received',
  'org_approved',
  'org_rejected',
  'evaluation_published',
  'evaluation_appeal_decided',
  'sanction_imposed',
  'qualification_expired',
  'meeting_requested',
  'meeting_accepted',
  'meeting_scheduled',
  'pool_review_assigned',
  'pool_admitted',
  'pool_rejected',
  'event_application_approved',
  'event_application_rejected',
  'title_reviewed',
  'voucher_step',
] as const

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

export interface KindSpec {
  /** Sent to an organisation: its active members, or its active owners only. */
  audience: 'members' | 'owners'
  /** E-mail on until the person chooses. */
  email: boolean
  /** SMS on until the person chooses. */
  sms: boolean
  live: boolean
  mail?: { subject: MessageKey; body: MessageKey }
}

export const KINDS: Record<NotificationKind, KindSpec> = {
  invitation_received: {
    audience: 'members',
    email: true,
    sms: false,
    live: true,
    mail: { subject: 'matching.mail.inviteSubject', body: 'matching.mail.inviteBody' },
  },
  recommendation_received: {
    audience: 'members',
    email: true,
    sms: false,
    live: true,
    mail: { subject: 'matching.mail.recommendSubject', body: 'matching.mail.recommendBody' },
  },
  saved_search_matches: { audience: 'members', email: true, sms: false, live: true },
  // Bids (issue 14 §1–2): a new bid and a withdrawn one reach the need's enterprise; the
  // question thread tells the other side; the award tells the winner and every other bidder.
  bid_new: { audience: 'members', email: true, sms: false, live: true },
  bid_question: { audience: 'members', email: true, sms: false, live: true },
  bid_answer: { audience: 'members', email: true, sms: false, live: true },
  bid_withdrawn: { audience: 'members', email: false, sms: false, live: true },
  award_won: { audience: 'members', email: true, sms: true, live: true },
  award_lost: { audience: 'members', email: true, sms: false, live: true },
  // Contracts (issue 14 §3): the first confirmation asks the other party's owners; the second tells the first side.
  contract_to_confirm: { audience: 'owners', email: true, sms: true, live: true },
  contract_confirmed: { audience: 'members', email: true, sms: false, live: true },
  // An agency appointed a 监理机构: its members now read the contract.
  supervisor_appointed: { audience: 'members', email: true, sms: false, live: true },
  // The contract is complete (issue 14 §4): both parties may now rate each other.
  contract_completed: { audience: 'members', email: true, sms: false, live: true },
  // Milestones (issue 14 §4): submitted → the enterprise and the supervisor; accepted / rejected → the provider; late → both parties.
  milestone_submitted: { audience: 'members', email: true, sms: false, live: true },
  milestone_accepted: { audience: 'members', email: true, sms: false, live: true },
  milestone_rejected: { audience: 'members', email: true, sms: false, live: true },
  milestone_late: { audience: 'members', email: true, sms: false, live: true },
  // Disputes (issue 14 §5): opened → the other party, the supervisor, the nearest agencies; resolved → both parties.
  dispute_opened: { audience: 'owners', email: true, sms: true, live: true },
  dispute_resolved: { audience: 'owners', email: true, sms: false, live: true },
  // Ratings (issue 14 §6): the provider is told of the enterprise's rating and the supervisor's score.
  rating_received: { audience: 'members', email: false, sms: false, live: true },
  org_approved: { audience: 'owners', email: true, sms: false, live: true },
  org_rejected: { audience: 'owners', email: true, sms: false, live: true },
  // Provider evaluation (issue 15 §4): results published and appeals decided reach the provider's owners, sanctions
  // too; an expired qualification (the qualification-expiry job) reaches its members once.
  evaluation_published: { audience: 'owners', email: true, sms: false, live: true },
  evaluation_appeal_decided: { audience: 'owners', email: true, sms: false, live: true },
  sanction_imposed: { audience: 'owners', email: true, sms: true, live: true },
  qualification_expired: { audience: 'members', email: true, sms: false, live: true },
  // Event meetings (issue 15 §1, 洽谈): a request reaches the other side, an acceptance the requester, the schedule both.
  meeting_requested: { audience: 'members', email: true, sms: false, live: true },
  meeting_accepted: { audience: 'members', email: true, sms: false, live: true },
  meeting_scheduled: { audience: 'members', email: true, sms: true, live: true },
  // Provider pool (issue 15 §4): an expert was asked to review an application; the agency admitted or rejected one.
  pool_review_assigned: { audience: 'members', email: true, sms: false, live: true },
  pool_admitted: { audience: 'owners', email: true, sms: false, live: true },
  pool_rejected: { audience: 'owners', email: true, sms: false, live: true },
  // Events (issue 15 §1): the organiser decided an enterprise's need put forward or a provider's registration.
  event_application_approved: { audience: 'members', email: true, sms: false, live: true },
  event_application_rejected: { audience: 'members', email: true, sms: false, live: true },
  // Titles (issue 16 §7): an agency's 复核 decision on a title (passed, downgraded, revoked) reaches the enterprise's owners.
  title_reviewed: { audience: 'owners', email: true, sms: false, live: true },
  // 服务券 (issue 16 §5): each step reaches whoever acts next (issued: the provider and the enterprise; closed: both parties).
  voucher_step: { audience: 'members', email: true, sms: false, live: true },
}

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value)
}

/** The kinds a person chooses channels for today. */
export const LIVE_KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS.filter((k) => KINDS[k].live)

export const titleKey = (kind: NotificationKind) => `notifications.k.${kind}.title` as const
export const bodyKey = (kind: NotificationKind) => `notifications.k.${kind}.body` as const

/** The bell's figure: 1–99, then 99+. */
export function unreadLabel(count: number): string {
  return count > 99 ? '99+' : String(count)
}

export const NOTIFICATIONS_PAGE_SIZE = 20
/** The count the bell reads stops here (the label says 99+). */
export const UNREAD_COUNT_CAP = 100
