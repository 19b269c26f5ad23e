import type { NeedStatus } from '../needs/enums.js'
import type { FactorScore, MatchWeights } from './types.js'

/*
 * What the need → providers pages (C1: /needs/:id/matches, /provider/invitations,
 * /agency/matching) receive: plain data, importable by components (no *.server here).
 */

/** One provider of a need's match list. */
export interface MatchRow {
  orgId: number
  /** 1-based position in the shown (diversified) order. */
  rank: number
  name: string
  kinds: string[]
  seatName: string
  /** 0–100, one decimal. */
  score: number
  factors: FactorScore[]
  invited: boolean
  recommended: boolean
}

export interface NeedMatchesPage {
  need: {
    id: number
    title: string
    status: NeedStatus
    regionName: string
    /** Whether the public page /needs/:id shows it. */
    publicHref: string | null
    /** The owner's page of it, for its members. */
    ownHref: string | null
  }
  /** 'owner' (the enterprise) or 'agency' (of its jurisdiction). */
  viewer: 'owner' | 'agency'
  rows: MatchRow[]
  total: number
  page: number
  pageCount: number
  pageSize: number
  /** The weights the list is scored with, and the region whose row set them (null = the platform defaults). */
  weights: MatchWeights
  weightsRegionName: string | null
  canInvite: boolean
  canRecommend: boolean
  /** Why the buttons are missing: the need is not open for bids (drafts, closed …). */
  notOpen: boolean
  /** Invitations the enterprise may still send for this need. */
  invitesLeft: number
  /** Per request. */
  invitesPerRequest: number
  /** Providers the enterprise or an agency already paired with it that are not in the list (hard filters). */
  pairedOutsideList: number
}

export interface InvitationRow {
  id: number
  kind: 'invite' | 'recommend'
  needId: number
  needTitle: string
  needStatus: NeedStatus
  deadline: string | null
  /** The public page when the provider may open it; null when the need is no longer public. */
  needHref: string | null
  byOrgName: string
  byOrgKind: string
  note: string
  createdAt: string
  unread: boolean
}

export interface InvitationsPage {
  rows: InvitationRow[]
  total: number
  unread: number
  page: number
  pageCount: number
}

/** The agency's weights page. */
export interface WeightsAdminPage {
  regionCode: string
  regionName: string
  weights: MatchWeights
  defaults: MatchWeights
  /** 0 while the region has no row of its own. */
  revision: number
  /** Where the weights in force come from: this region's row, an ancestor's, or the defaults. */
  source: 'own' | 'inherited' | 'defaults'
  inheritedFromName: string | null
  updatedAt: string | null
  recentNeeds: { id: number; title: string; regionName: string }[]
}

export interface PreviewRow {
  orgId: number
  name: string
  rank: number
  score: number
  /** Rank under the saved weights (null: not in the list under them). */
  savedRank: number | null
  savedScore: number | null
  /** savedRank − rank: positive = moved up. null when it was not ranked before. */
  change: number | null
}

export interface WeightsPreview {
  needId: number
  needTitle: string
  saved: { orgId: number; name: string; rank: number; score: number }[]
  proposed: PreviewRow[]
  /** Providers that enter or leave the top 10. */
  entered: number
}
