import type { ProviderKind } from './enums.js'

/*
 * What the providers use cases hand to pages: plain data, importable by components
 * (which never import *.server modules).
 */

/** A reference row (industry, scenario) by its code and its name in the reader's language. */
export interface CodeName {
  code: string
  name: string
}

/** A region served, named with its ancestors (江苏省 扬州市). */
export interface RegionItem {
  code: string
  label: string
}

/** A scenario with its link of the value chain (工厂建设 …), for grouped checkboxes. */
export interface ScenarioChoice extends CodeName {
  link: 'factory_build' | 'rd_design' | 'production' | 'production_mgmt' | 'operations_mgmt'
}

/** An uploaded file as pages show it (mirrors the files context's FileView). */
export interface FileItem {
  id: number
  name: string
  mime: string
  size: number
  isImage: boolean
  url: string
  previewUrl: string | null
  width: number | null
  height: number | null
}

/** A qualification (资质) with its validity as of today in China. */
export interface QualificationItem {
  id: number
  name: string
  issuer: string
  certificateNo: string
  /** YYYY-MM-DD or null. */
  validFrom: string | null
  /** YYYY-MM-DD or null (no expiry). */
  validUntil: string | null
  /** validUntil lies before today (Asia/Shanghai): shown as 已过期. */
  expired: boolean
  /** The row's content as read, for an edit made on it (a stale form is refused). */
  version: string
  /** Scans of the certificate: private (the provider's members, agencies of its region). Empty on public pages. */
  scans: FileItem[]
}

/** Which way a measured result moved. */
export type MetricDirection = 'up' | 'down' | 'flat'

/** One measured result of a case: 不良品率 2.1 % → 0.6 %. */
export interface MetricItem {
  name: string
  before: number | null
  after: number
  unit: string
  /** (after − before) / |before| × 100, rounded to one decimal; null without a non-zero before. */
  changePercent: number | null
  /** null without a before value. */
  direction: MetricDirection | null
}

/** A case as pages show it. */
export interface CaseItem {
  id: number
  title: string
  /** The client's name, or its anonymised description (某汽车零部件企业). */
  client: string
  anonymised: boolean
  industryCode: string
  industryName: string
  regionCode: string | null
  regionLabel: string | null
  investmentWan: number | null
  year: number
  summary: string
  scenarios: CodeName[]
  metrics: MetricItem[]
  images: FileItem[]
  /** 平台验证: a contract completed on the platform verifies it; else 自述 (self-reported). */
  verified: boolean
  updatedAt: string
}

/** A case in the provider's own list. */
export interface CaseRow {
  id: number
  title: string
  client: string
  anonymised: boolean
  industryName: string
  year: number
  metricCount: number
  verified: boolean
  updatedAt: string
}

/** One thing the completeness meter looks for. */
export interface CompletenessItem {
  key:
    | 'kinds'
    | 'description'
    | 'contact'
    | 'teamSize'
    | 'foundedYear'
    | 'industries'
    | 'scenarios'
    | 'regions'
    | 'qualifications'
    | 'cases'
    | 'caseMetrics'
    | 'templates'
  filled: boolean
  /** Where it is filled in. */
  href: string
}

export interface Completeness {
  /** 0–100. */
  percent: number
  items: CompletenessItem[]
}

/** A standard contract template (标准合同) of the provider, linked to its page. */
export interface TemplateLink {
  id: number
  title: string
  isOfficial: boolean
  industryName: string | null
  version: number
  updatedAt: string
}

/** /providers/:id. */
export interface ProviderPublicProfile {
  id: number
  name: string
  regionLabel: string
  kinds: ProviderKind[]
  description: string
  /** Shown to signed-in verified organisations and the provider's members; null otherwise. */
  contact: { name: string; phone: string } | null
  /** Why the contact is not shown: the visitor should sign in, or their organisation is not verified. */
  contactHidden: 'signIn' | 'verifiedOnly' | null
  teamSize: number | null
  foundedYear: number | null
  website: string
  nationwide: boolean
  industries: CodeName[]
  scenarios: CodeName[]
  regions: RegionItem[]
  qualifications: QualificationItem[]
  cases: CaseItem[]
  casesPage: number
  casesPageCount: number
  caseCount: number
  verifiedCaseCount: number
  templates: TemplateLink[]
  /** Ratings arrive with a later issue: until then the count is 0 and the page says 暂无评价. */
  rating: { count: number; average: number | null }
  /** The viewer acts for this provider (active member): the completeness meter and edit links. */
  own: boolean
  completeness: Completeness | null
}

/** /provider/profile. */
export interface ProviderProfileEdit {
  orgId: number
  name: string
  kinds: ProviderKind[]
  /** The viewer may change kinds and contact (/org/edit; owners only). */
  canEditContact: boolean
  /** 0 while no profile has been saved. */
  revision: number
  teamSize: number | null
  foundedYear: number | null
  website: string
  nationwide: boolean
  industries: string[]
  scenarios: string[]
  regions: RegionItem[]
  contactName: string
  contactPhone: string
  description: string
  choices: {
    industries: CodeName[]
    scenarios: ScenarioChoice[]
    provinces: CodeName[]
  }
  completeness: Completeness
}

/** The choices a case form offers. */
export interface CaseFormChoices {
  industries: CodeName[]
  scenarios: ScenarioChoice[]
  regions: {
    provinces: CodeName[]
    initial: { codes: string[]; cities: CodeName[]; counties: CodeName[] }
  }
}
