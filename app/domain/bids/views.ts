import type { FileView } from '../files/views.js'
import type { ExclusionReason, FactorScore } from '../matching/types.js'
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
  /** The contract drawn from this bid, once awarded (both parties follow the link). */
  contractId: number | null
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

/* ------------------------------------------------------------------ award slice */

/** One message of a bid's question thread. */
export interface BidMessageView {
  id: number
  /** Who wrote it: the need's enterprise (asks) or the bidder (answers). */
  side: 'owner' | 'bidder'
  orgName: string
  body: string
  createdAt: string
  /** Written by the reader's own side. */
  ours: boolean
}

/** The question thread of a bid, for the enterprise's and the bidder's members (agencies do not see it). */
export interface BidThread {
  messages: BidMessageView[]
  /** The reader may write now (the bid is still open and the thread not full). */
  mayPost: boolean
  /** Messages the thread may still take. */
  left: number
  /** Why the reader may not write, when not: the bid is decided, or the thread is full. */
  closedReason: 'decided' | 'full' | null
}

/** A bid's template terms as the comparison shows them. */
export interface CompareTemplate {
  templateId: number
  title: string
  version: number
  official: boolean
  constructionDays: number
  warrantyMonths: number
  /** The payment milestones' percentages in order (30 / 40 / 30). */
  milestonePercents: number[]
  priceModel: string
}

/** One bid on the comparison page. */
export interface CompareBid {
  id: number
  providerOrgId: number
  providerName: string
  consortiumName: string | null
  status: BidStatus
  priceWan: string
  priceX100: number
  durationDays: number
  template: CompareTemplate | null
  /** The bidder's match score for this need (0–100) and its breakdown; null when a hard filter drops it. */
  match: { score: number; factors: FactorScore[] } | null
  /** The hard filter it fails (it still shows, with the reason). */
  excluded: ExclusionReason | null
  cases: { total: number; verified: number }
  /** Platform ratings: how many, and the decayed mean as a percent (null: none yet). */
  rating: { count: number; percent: number | null }
  messageCount: number
  /** What the reader may do on it now. */
  actions: ('shortlist' | 'reject' | 'award')[]
}

export interface BidComparison {
  need: { id: number; title: string; status: string; deadline: string | null }
  viewer: 'owner' | 'agency'
  bids: CompareBid[]
  /** Live bids in all (the page shows at most BID_LIMITS.compareMax). */
  total: number
  /** The lowest price and the shortest duration among the shown bids (the page marks them). */
  lowestPriceX100: number | null
  shortestDays: number | null
  /** May shortlist / reject (a member of the need's enterprise) and award (an owner of it). */
  mayDecide: boolean
  mayAward: boolean
  /** The contract the award made, once awarded. */
  contractId: number | null
  awardedBidId: number | null
}
