import type { ContractStatus, MilestoneStatus } from '../../../db/enums.js'
import { contractTransitionOf } from './lifecycle.js'

/*
 * What the contract pages show (browser-safe: plain data and pure functions, no server
 * imports), and which actions and links a reader has: `contractPageOffer`, a pure
 * function of the reader's role, permission and the contract's status, asked by the use
 * case (which checks again when the action is taken) and tested state by state.
 */

export type ContractReaderRole = 'enterprise' | 'provider' | 'supervisor' | 'agency'

/** What a reader may do on the contract page. */
export const CONTRACT_PAGE_ACTIONS = ['edit', 'confirm', 'appoint', 'linkCase'] as const
export type ContractPageAction = (typeof CONTRACT_PAGE_ACTIONS)[number]

/** The pages of the contract a reader is led to (besides each milestone's). */
export const CONTRACT_PAGE_LINKS = ['print', 'milestones', 'supervision', 'disputes', 'ratings'] as const
export type ContractPageLink = (typeof CONTRACT_PAGE_LINKS)[number]

export interface ContractOfferInput {
  role: ContractReaderRole
  status: ContractStatus
  /** The reader may confirm for its side (an owner of the party: confirm:contract:own). */
  mayConfirm: boolean
  /** The reader may appoint a supervisor (an agency owner / reviewer over the region). */
  mayAppoint: boolean
  /** The reader's own side has confirmed the current revision. */
  ownSideConfirmed: boolean
  hasSupervisor: boolean
}

export interface ContractOffer {
  actions: ContractPageAction[]
  links: ContractPageLink[]
}

const isParty = (role: ContractReaderRole) => role === 'enterprise' || role === 'provider'

/** Statuses in which the provider may still link a case (before completion). */
export const CASE_LINK_STATUSES: readonly ContractStatus[] = ['draft', 'active']

/**
 * The actions and links of one reader on a contract in `status`. Transitions come from
 * the life-cycle table (lifecycle.ts); the role and permission decide who.
 * - edit: a party's member while the table allows `edit` (draft);
 * - confirm: a party's owner whose side has not confirmed this revision, while `confirm` is allowed;
 * - appoint: an agency owner / reviewer over the region while `appoint` is allowed (draft, active);
 * - linkCase: the provider's members before completion (draft, active);
 * - links: print always; milestones, disputes once in force; supervision once in force with
 *   a supervisor; ratings once completed.
 */
export function contractPageOffer(input: ContractOfferInput): ContractOffer {
  const { role, status } = input
  const actions: ContractPageAction[] = []
  if (isParty(role) && contractTransitionOf(status, 'edit')) actions.push('edit')
  if (isParty(role) && input.mayConfirm && !input.ownSideConfirmed && contractTransitionOf(status, 'confirm')) {
    actions.push('confirm')
  }
  if (role === 'agency' && input.mayAppoint && contractTransitionOf(status, 'appoint')) actions.push('appoint')
  if (role === 'provider' && CASE_LINK_STATUSES.includes(status)) actions.push('linkCase')

  const links: ContractPageLink[] = ['print']
  const inForce = status !== 'draft'
  if (inForce) links.push('milestones')
  if (inForce && input.hasSupervisor) links.push('supervision')
  if (inForce) links.push('disputes')
  if (status === 'completed') links.push('ratings')
  return { actions, links }
}

export interface ContractPartyView {
  orgId: number
  name: string
  /** 电子确认: who and when (null until confirmed; cleared by an edit). */
  confirmedBy: string | null
  confirmedAt: string | null
}

export interface ContractMilestoneView {
  id: number
  seq: number
  name: string
  percent: number
  amountWan: string
  amountX100: number
  dueDate: string
  criteria: string
  status: MilestoneStatus
  round: number
  /** Past its due date and not accepted (flagged by the late job, or seen so today on a contract in force). */
  late: boolean
  acceptedAt: string | null
}

export interface ContractEventView {
  id: number
  kind: string
  at: string
  /** The person who acted; null for the platform (a scheduled job, the system). */
  actorName: string | null
  actorOrgName: string | null
  milestoneName: string | null
  detail: Record<string, string | number>
}

export interface ContractMoney {
  totalWan: string
  acceptedWan: string
  remainingWan: string
  lateWan: string
  /** Accepted share of the total, 0–100 (whole). */
  acceptedPercent: number
}

export interface ContractTerms {
  startDate: string | null
  endDate: string | null
  constructionDays: number
  technicalStandards: string[]
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  disputeClause: string
}

export interface SupervisorCandidate {
  id: number
  name: string
  regionName: string
}

export interface CaseChoice {
  id: number
  title: string
  year: number
}

export interface ContractPage {
  id: number
  title: string
  status: ContractStatus
  statusReason: string
  revision: number
  needId: number
  needTitle: string
  bidId: number
  amountWan: string
  terms: ContractTerms
  enterprise: ContractPartyView
  provider: ContractPartyView & { consortiumName: string | null }
  supervisor: { orgId: number; name: string; appointedAt: string; appointedBy: string | null } | null
  linkedCase: { id: number; title: string; verified: boolean } | null
  milestones: ContractMilestoneView[]
  money: ContractMoney
  createdAt: string
  activatedAt: string | null
  closedAt: string | null
  timeline: { items: ContractEventView[]; total: number; page: number; pageCount: number }
  role: ContractReaderRole
  /** The reader's side confirms through an owner: shown to members who cannot. */
  ownerConfirms: boolean
  offer: ContractOffer
  /** For the agency that may appoint: the candidates its search found (null: no search yet). */
  candidates: SupervisorCandidate[] | null
  candidateQuery: string
  /** For the provider that may link a case: its cases no contract verified yet. */
  cases: CaseChoice[]
}

export interface ContractEditForm {
  id: number
  title: string
  revision: number
  amountWan: string
  amountX100: number
  terms: ContractTerms
  milestones: { name: string; percent: number; dueDate: string; criteria: string }[]
  /** Either side had confirmed: saving clears it. */
  confirmed: { enterprise: boolean; provider: boolean }
}

export interface ContractPrint {
  id: number
  title: string
  status: ContractStatus
  revision: number
  needTitle: string
  amountWan: string
  terms: ContractTerms
  enterprise: ContractPartyView & { regionName: string; uscc: string | null }
  provider: ContractPartyView & { regionName: string; uscc: string | null; consortiumName: string | null }
  supervisor: { name: string; appointedAt: string } | null
  milestones: ContractMilestoneView[]
  createdAt: string
  activatedAt: string | null
  printedAt: string
}
