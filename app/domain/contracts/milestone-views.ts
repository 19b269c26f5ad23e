import type { ContractStatus, MilestoneStatus, ReviewDecision, ReviewSide } from '../../../db/enums.js'
import type { FileView } from '../files/views.js'
import type { QualityJudgement, ScheduleJudgement } from './milestone-limits.js'

/*
 * What the milestone and supervision pages show (browser-safe: plain data).
 */

export type ContractReaderRole = 'enterprise' | 'provider' | 'supervisor' | 'agency'

export interface ContractSummary {
  id: number
  title: string
  status: ContractStatus
  enterpriseName: string
  providerName: string
  supervisorName: string | null
  startDate: string | null
}

export interface MilestoneReviewView {
  side: ReviewSide
  decision: ReviewDecision
  reason: string
  orgName: string
  decidedBy: string
  decidedAt: string
}

export interface MilestoneSubmissionView {
  id: number
  round: number
  evidence: string
  submittedBy: string
  submittedAt: string
  files: FileView[]
  reviews: MilestoneReviewView[]
}

export interface MilestonePage {
  contract: ContractSummary
  role: ContractReaderRole
  milestone: {
    id: number
    seq: number
    name: string
    percent: number
    amountWan: string
    dueDate: string
    criteria: string
    status: MilestoneStatus
    round: number
    submittedAt: string | null
    acceptedAt: string | null
    late: boolean
    /** Accepted on or before its due date (China); null while not accepted. */
    onTime: boolean | null
  }
  /** The sides whose acceptance it needs. */
  requiredSides: ReviewSide[]
  /** Newest round first. */
  submissions: MilestoneSubmissionView[]
  may: {
    submit: boolean
    /** The side this reader decides for, when it may decide the current round now. */
    review: ReviewSide | null
    filesLeft: number
  }
  /** Why this reader's side may not act now (shown instead of a form), when it is a party. */
  waitingFor: ReviewSide[]
}

export interface SupervisionLogView {
  id: number
  logDate: string
  findings: string
  quality: QualityJudgement
  schedule: ScheduleJudgement
  milestoneName: string | null
  author: string
  orgName: string
  createdAt: string
  photos: FileView[]
}

export interface SupervisionPage {
  contract: ContractSummary
  role: ContractReaderRole
  logs: SupervisionLogView[]
  page: number
  pageCount: number
  total: number
  mayLog: boolean
  /** The form's date bounds (YYYY-MM-DD, China). */
  minDate: string
  maxDate: string
  milestones: Array<{ id: number; seq: number; name: string }>
}
