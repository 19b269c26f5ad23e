import type {
  EventMode,
  EventNeedSource,
  EventNeedStatus,
  EventProviderStatus,
  EventStage,
  FollowupOutcome,
} from '../../../db/enums.js'
import type { EventRole } from './access.server.js'

/* What the event pages show (issue 15 §1): plain data, browser-safe. */

export interface EventListItem {
  id: number
  title: string
  stage: EventStage
  regionName: string
  mode: EventMode
  startsOn: string
  endsOn: string
  listedNeeds: number
  approvedProviders: number
  /** Applications of enterprises and providers waiting for a decision. */
  pending: number
  /** The actor's agency organises it. */
  own: boolean
}

export interface AgencyEventsPage {
  events: EventListItem[]
  page: number
  pageCount: number
  total: number
  mayCreate: boolean
}

export interface PublicEventsPage {
  events: EventListItem[]
  page: number
  pageCount: number
  total: number
  stage: 'all' | 'open' | 'past'
}

export interface EventDetails {
  id: number
  title: string
  description: string
  regionCode: string
  regionName: string
  organiserName: string
  mode: EventMode
  venue: string
  onlineUrl: string
  startsOn: string
  endsOn: string
  stage: EventStage
  enterpriseApplications: boolean
  industries: Array<{ code: string; name: string }>
  revision: number
}

/** What a step of the progress view still needs (a catalogue key and its count). */
export type StepNote =
  | 'events.todo.noNeeds'
  | 'events.todo.needApplications'
  | 'events.todo.noProviders'
  | 'events.todo.providerApplications'
  | 'events.todo.noBids'
  | 'events.todo.noExperts'
  | 'events.todo.noIntents'
  | 'events.todo.followupsDue'

export interface StageStep {
  stage: EventStage
  state: 'done' | 'current' | 'todo'
  counts: Array<{
    key:
      | 'events.count.listedNeeds'
      | 'events.count.approvedProviders'
      | 'events.count.bids'
      | 'events.count.experts'
      | 'events.count.intents'
      | 'events.count.followupsRecorded'
    n: number
  }>
  notes: Array<{ key: StepNote; n: number }>
  /** Screens of the step (site visits, review, meetings and outcomes belong to other slices). */
  links: Array<{
    href: string
    key:
      | 'events.link.needs'
      | 'events.link.providers'
      | 'events.link.visits'
      | 'events.link.review'
      | 'events.link.meetings'
      | 'events.link.intents'
      | 'events.link.followups'
      | 'events.link.outcomes'
  }>
}

export interface ProgressPage {
  event: EventDetails
  role: EventRole
  mayManage: boolean
  steps: StageStep[]
  next: EventStage | null
  /** Why the next stage cannot be entered yet (none: it can). */
  blockedBy: StepNote | null
  mayCancel: boolean
  mayEdit: boolean
}

export interface BatchNeed {
  rowId: number
  needId: number
  title: string
  enterprise: string
  regionName: string
  industryName: string
  source: EventNeedSource
  status: EventNeedStatus
  reason: string
  /** Providers interested in it (registered, not withdrawn; empty interest = the whole batch). */
  interested: number
}

export interface CandidateNeed {
  needId: number
  title: string
  enterprise: string
  regionName: string
  industryName: string
  budget: string
  publishedAt: string | null
  /** Already in the batch with this status. */
  inBatch: EventNeedStatus | null
}

export interface BatchPage {
  event: EventDetails
  mayManage: boolean
  mayChange: boolean
  listed: BatchNeed[]
  applied: BatchNeed[]
  others: BatchNeed[]
  candidates: CandidateNeed[]
  candidatePage: number
  candidatePageCount: number
  candidateTotal: number
  filters: { q: string; industry: string; scenario: string; region: string }
  industryOptions: Array<{ code: string; name: string }>
  scenarioOptions: Array<{ code: string; name: string }>
  regionOptions: Array<{ code: string; name: string }>
}

export interface Registration {
  id: number
  providerOrgId: number
  provider: string
  status: EventProviderStatus
  note: string
  reason: string
  createdAt: string
  /** The listed needs it is interested in (empty: the whole batch). */
  needs: Array<{ id: number; title: string }>
}

export interface RegistrationsPage {
  event: EventDetails
  mayManage: boolean
  mayDecide: boolean
  registrations: Registration[]
  counts: Record<EventProviderStatus, number>
  page: number
  pageCount: number
  total: number
}

export interface FollowupView {
  id: number
  afterDays: number
  dueOn: string
  overdue: boolean
  outcome: FollowupOutcome | null
  note: string
  recordedAt: string | null
  contract: { id: number; status: string } | null
}

export interface IntentView {
  id: number
  needId: number
  needTitle: string
  enterprise: string
  providerOrgId: number
  provider: string
  amount: string
  signedOn: string
  note: string
  withdrawn: boolean
  withdrawnReason: string
  /** The contract of that need and provider on the platform, if any (newest). */
  contract: { id: number; status: string } | null
  followups: FollowupView[]
}

export interface IntentsPage {
  event: EventDetails
  mayManage: boolean
  mayRecord: boolean
  mayFollowUp: boolean
  intents: IntentView[]
  due: Array<FollowupView & { intentId: number; needTitle: string; provider: string }>
  needOptions: Array<{ id: number; title: string }>
  providerOptions: Array<{ id: number; name: string }>
  today: string
}

export interface PublicEventPage {
  event: EventDetails
  role: EventRole
  steps: Array<{ stage: EventStage; state: 'done' | 'current' | 'todo' }>
  batch: Array<{ needId: number; title: string; enterprise: string; regionName: string; industryName: string }>
  batchTotal: number
  batchPage: number
  batchPageCount: number
  /** Signed in as a verified enterprise: its applications and its published needs it may put forward. */
  enterprise: {
    mayApply: boolean
    applications: Array<{ needId: number; title: string; status: EventNeedStatus; source: EventNeedSource; reason: string }>
    candidates: Array<{ needId: number; title: string }>
  } | null
  /** Signed in as a verified provider: its registration and what it may do. */
  provider: {
    mayRegister: boolean
    registration: { status: EventProviderStatus; note: string; reason: string; needIds: number[] } | null
    mayWithdraw: boolean
    listed: Array<{ needId: number; title: string }>
  } | null
  /** The organiser's and agencies' way to the progress view. */
  manageHref: string | null
}
