import type { FileView } from '../files/views.js'
import type { BidAction, BidStatus } from './lifecycle.js'
import type { MyBidTab } from './limits.js'

/*
 * What the bid pages show (browser-safe: plain data, no server imports).
 */

export interface BidTemplateSummary {
  versionId: number
  templateId: number
  title: string
  version: number
  official: boolean
  constructionDays: number
  warrantyMonths: number
  milestoneCount: number
}

export interface BidShareView {
  orgId: number
  orgName: string
  role: 'lead' | 'member'
  scope: string
  sharePercent: number
}

export interface BidDetail {
  id: number
  needId: number
  needTitle: string
  needDeadline: string | null
  providerOrgId: number
  providerName: string
  consortiumName: string | null
  priceWan: string
  durationDays: number
  plan: string
  template: BidTemplateSummary | null
  status: BidStatus
  statusReason: string
  revision: number
  createdAt: string
  updatedAt: string
  withdrawnAt: string | null
  shares: BidShareView[]
  files: FileView[]
  /** Who is looking: the bidder (may act), the need's owner, an agency (read only). */
  viewerSide: 'bidder' | 'owner' | 'agency'
  /** The bidder's actions available now (revise only while the need is open). */
  actions: BidAction[]
  mayAttach: boolean
}

export interface NeedBidRow {
  id: number
  providerName: string
  consortiumName: string | null
  priceWan: string
  durationDays: number
  templateTitle: string | null
  status: BidStatus
  updatedAt: string
  fileCount: number
}

export interface NeedBidsPage {
  need: { id: number; title: string; status: string; deadline: string | null }
  items: NeedBidRow[]
  total: number
  page: number
  pageCount: number
}

export interface MyBidRow {
  id: number
  needId: number
  needTitle: string
  needOrgName: string
  priceWan: string
  durationDays: number
  status: BidStatus
  updatedAt: string
  deadline: string | null
  /** What to do next: revise (open, may still improve it), wait (owner deciding), contract (awarded), none. */
  next: 'revise' | 'wait' | 'contract' | 'none'
}

export interface MyBidsPage {
  tab: MyBidTab
  counts: Record<MyBidTab, number>
  items: MyBidRow[]
  total: number
  page: number
  pageCount: number
}

export interface TemplateChoice {
  versionId: number
  templateId: number
  title: string
  version: number
  official: boolean
  constructionDays: number
  warrantyMonths: number
  milestoneCount: number
  priceModel: string
}

export interface ConsortiumChoice {
  id: number
  name: string
  members: { orgName: string; role: 'lead' | 'member'; scope: string; sharePercent: number }[]
}

export interface BidForm {
  need: { id: number; title: string; orgName: string; deadline: string | null; budgetMinWan: number; budgetMaxWan: number }
  /** The live bid being revised, or null for a new one. */
  bid: {
    id: number
    revision: number
    priceWan: string
    durationDays: number
    plan: string
    templateVersionId: number | null
    consortiumId: number | null
    files: FileView[]
  } | null
  templates: TemplateChoice[]
  consortia: ConsortiumChoice[]
  attachmentsLeft: number
}
