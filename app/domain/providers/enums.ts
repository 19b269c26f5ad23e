/*
 * The providers context's plain enumerations: safe to import from components (they
 * run in the browser). The database constrains the same values (migration
 * 2026-12-02T0900-providers).
 */
export { PROVIDER_KINDS, type ProviderKind } from '../orgs/enums.js'

/** Qualifications the forms suggest (a provider may type another). */
export const QUALIFICATION_SUGGESTIONS = [
  '省级智能制造服务商',
  '市级智能制造服务商',
  '两化融合管理体系贯标',
  'ISO 9001 质量管理体系',
  'ISO 27001 信息安全管理体系',
  'CMMI 3 级',
  '信息系统建设和服务能力等级',
  '高新技术企业',
  '专精特新中小企业',
] as const

export const PRICE_MODELS = ['fixed', 'range', 'quote'] as const
export type PriceModel = (typeof PRICE_MODELS)[number]

export const TEMPLATE_STATUSES = ['active', 'archived'] as const
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number]

export const CONSORTIUM_STATUSES = ['forming', 'ready', 'dissolved'] as const
export type ConsortiumStatus = (typeof CONSORTIUM_STATUSES)[number]

export const CONSORTIUM_MEMBER_STATUSES = ['invited', 'confirmed', 'declined'] as const
export type ConsortiumMemberStatus = (typeof CONSORTIUM_MEMBER_STATUSES)[number]

/** Limits the forms and use cases share. */
export const PROVIDER_LIMITS = {
  casesPerProvider: 200,
  metricsPerCase: 12,
  imagesPerCase: 9,
  qualificationsPerProvider: 40,
  milestonesPerTemplate: 12,
  standardsPerTemplate: 30,
  templatesPerOrg: 100,
  consortiumMembers: 10,
} as const

/** The directory's orders (/providers): relevance needs words; without them the most verified cases come first. */
export const DIRECTORY_SORTS = ['relevance', 'verified', 'cases', 'updated'] as const
export type DirectorySort = (typeof DIRECTORY_SORTS)[number]
export const DIRECTORY_PAGE_SIZE = 20
/** Deep pages of a search are refused; narrowing the query is the way further. */
export const MAX_DIRECTORY_PAGE = 200
