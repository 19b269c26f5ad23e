import type { Locale, Translate } from '../../i18n/index.js'
import { formatDecimal, formatNumber } from '../../utils/format.js'
import type { ConsortiumMemberStatus, ConsortiumStatus, PriceModel, TemplateStatus } from './enums.js'

/*
 * What the contract template and consortium use cases hand to pages: plain data,
 * importable by components (which never import *.server modules or zod schemas).
 */

/** How many milestone rows the form offers at least (blank rows are ignored), and at most. */
export const MILESTONE_ROWS = 8
export const MAX_MILESTONE_ROWS = 12

/** Templates per page of /templates. */
export const TEMPLATES_PAGE_SIZE = 20
export const MAX_TEMPLATES_PAGE = 200

/** One payment milestone (付款节点): its share of the price is a whole percentage. */
export interface Milestone {
  name: string
  percent: number
  criteria: string
}

/** A template version's clauses (DOMAIN.md §4, Zhejiang 2022 §(五)). */
export interface TemplateContent {
  constructionDays: number
  technicalStandards: string[]
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  priceModel: PriceModel
  priceMinWan: number | null
  priceMaxWan: number | null
  milestones: Milestone[]
  disputeClause: string
}

/** What a template form holds: the template's own fields (not versioned) and its clauses. */
export interface TemplateFields extends TemplateContent {
  title: string
  industryCode: string | null
  scenarioCodes: string[]
}

export interface TemplateVersionView extends TemplateContent {
  id: number
  version: number
  inUse: boolean
  createdAt: string
}

/** The version a template derives from, named for its reader. */
export interface TemplateBaseRef {
  templateId: number
  versionId: number
  version: number
  title: string
  orgName: string
  isOfficial: boolean
  archived: boolean
}

/** One difference between a template and the version it derives from. */
export type TemplateDiffEntry =
  | { kind: 'field'; field: TemplateDiffField; before: string; after: string }
  | { kind: 'standard'; change: 'added' | 'removed' | 'changed'; before: string | null; after: string | null }
  | {
      kind: 'milestone'
      change: 'added' | 'removed' | 'changed'
      name: string
      before: Milestone | null
      after: Milestone | null
    }

export const TEMPLATE_DIFF_FIELDS = [
  'industry',
  'scenarios',
  'constructionDays',
  'acceptanceStandards',
  'qualityTerms',
  'warrantyMonths',
  'price',
  'disputeClause',
] as const
export type TemplateDiffField = (typeof TEMPLATE_DIFF_FIELDS)[number]

/** A template's page: the version shown (the current one, or `?version=N`), its versions, its base and what differs. */
export interface TemplateDetail {
  id: number
  title: string
  isOfficial: boolean
  status: TemplateStatus
  orgId: number
  orgName: string
  orgKind: 'provider' | 'agency' | 'enterprise'
  industryCode: string | null
  industryName: string | null
  scenarios: { code: string; name: string }[]
  currentVersion: number
  versions: { version: number; createdAt: string; inUse: boolean }[]
  shown: TemplateVersionView
  base: TemplateBaseRef | null
  diff: TemplateDiffEntry[]
  updatedAt: string
  /** The actor's organisation owns it and may edit it. */
  canManage: boolean
  /** The actor may make a template of its own from this (official) one. */
  canDerive: boolean
}

/** A template in a list. */
export interface TemplateListItem {
  id: number
  title: string
  isOfficial: boolean
  status: TemplateStatus
  orgId: number
  orgName: string
  industryName: string | null
  scenarioNames: string[]
  constructionDays: number
  warrantyMonths: number
  priceModel: PriceModel
  priceMinWan: number | null
  priceMaxWan: number | null
  currentVersion: number
  updatedAt: string
}

/** A template in its owner's workspace list, with what may be done to it. */
export interface OwnTemplateItem extends TemplateListItem {
  /** Some version is used by a bid or contract: it can be archived, never deleted. */
  inUse: boolean
  /** Another template derives from one of its versions: deleting would orphan it. */
  referenced: boolean
  baseTitle: string | null
}

export interface ConsortiumMemberView {
  orgId: number
  orgName: string
  role: 'lead' | 'member'
  scope: string
  sharePercent: number
  status: ConsortiumMemberStatus
  respondedAt: string | null
  /** Still a verified provider (a consortium bids only while every member is). */
  verified: boolean
}

export interface ConsortiumListItem {
  id: number
  name: string
  status: ConsortiumStatus
  leadOrgName: string
  /** The acting organisation's place in it. */
  role: 'lead' | 'member'
  myStatus: ConsortiumMemberStatus
  memberCount: number
  confirmedCount: number
  updatedAt: string
}

export interface ConsortiumDetail {
  id: number
  name: string
  status: ConsortiumStatus
  leadOrgId: number
  leadOrgName: string
  members: ConsortiumMemberView[]
  createdAt: string
  updatedAt: string
  /** The acting organisation's own row. */
  mine: ConsortiumMemberView
  /** The lead's owner may change and dissolve it. */
  canManage: boolean
  /** An invited member's owner may confirm or decline. */
  canRespond: boolean
}

/** A verified provider found by name, to invite into a consortium. */
export interface ProviderPick {
  orgId: number
  name: string
  regionName: string
}

/** A price in 万元 as the reader reads amounts: 万元 in Chinese, millions of yuan in English (as budgets are). */
export function priceAmount(locale: Locale, wan: number): string {
  return locale === 'en' ? formatDecimal(wan / 100, 2) : formatNumber(wan)
}

/** A template's price (工程价款) in a sentence: a fixed amount, a range, or 面议. */
export function describePrice(
  t: Translate,
  locale: Locale,
  p: Pick<TemplateContent, 'priceModel' | 'priceMinWan' | 'priceMaxWan'>,
): string {
  if (p.priceModel === 'quote' || p.priceMinWan === null) return t('template.price.quote')
  if (p.priceModel === 'fixed' || p.priceMaxWan === null || p.priceMaxWan === p.priceMinWan) {
    return t('template.price.fixedValue', { amount: priceAmount(locale, p.priceMinWan) })
  }
  return t('template.price.rangeValue', { min: priceAmount(locale, p.priceMinWan), max: priceAmount(locale, p.priceMaxWan) })
}
