import type { NeedStatus, NeedVisibility, TargetLevel } from './enums.js'
import type { NeedAction } from './lifecycle.js'

/*
 * What the needs-authoring use cases (authoring.server.ts, history.server.ts) hand to
 * the enterprise's pages: plain data, importable by components.
 */

/** The fields an edit records, in the form's order (also their catalogue labels: needForm.field.<name>). */
export const NEED_HISTORY_FIELDS = [
  'title',
  'description',
  'industry',
  'scenarios',
  'level',
  'budgetMin',
  'budgetMax',
  'expectedStart',
  'durationMonths',
  'region',
  'acceptsMatching',
  'expectedResults',
  'deadline',
  'visibility',
] as const
export type NeedHistoryField = (typeof NEED_HISTORY_FIELDS)[number]

export interface NeedChange {
  field: NeedHistoryField
  before: string
  after: string
}

export interface NeedHistoryEntry {
  id: number
  at: string
  action: string
  actorName: string | null
  changes: NeedChange[]
  reason: string
  from: string | null
  to: string | null
}

/** Where a need came from: a weakness of a confirmed diagnosis report. `href` only for those who may read the report. */
export interface NeedSourceLink {
  diagnosisId: number
  version: number
  weaknessTitle: string | null
  href: string | null
}

/** The need form's values, as its fields show them (text). */
export interface NeedFormValues {
  title: string
  description: string
  industry: string
  scenarios: string[]
  level: TargetLevel | ''
  budgetMin: string
  budgetMax: string
  expectedStart: string
  durationMonths: string
  region: string
  acceptsMatching: boolean
  expectedResults: string
  deadline: string
  visibility: NeedVisibility
}

export interface NeedFormChoices {
  industries: { code: string; name: string }[]
  scenarios: {
    code: string
    name: string
    link: 'factory_build' | 'rd_design' | 'production' | 'production_mgmt' | 'operations_mgmt'
  }[]
  regions: {
    provinces: { code: string; name: string }[]
    initial: { codes: string[]; cities: { code: string; name: string }[]; counties: { code: string; name: string }[] }
  }
  /** Today in China and the latest deadline allowed (for the date inputs' min / max). */
  today: string
  maxDeadline: string
}

/** /enterprise/needs/new: blank, or prefilled from a weakness. */
export interface NewNeedForm {
  values: NeedFormValues
  choices: NeedFormChoices
  /** The weakness the need comes from (its id goes back with the form). */
  source: (NeedSourceLink & { weaknessId: number }) | null
  /** A live need already made from that weakness: the page links to it instead of a second one. */
  existing: { id: number; title: string; status: NeedStatus } | null
}

/** /enterprise/needs/:id/edit. */
export interface NeedEditForm {
  id: number
  status: NeedStatus
  revision: number
  values: NeedFormValues
  choices: NeedFormChoices
}

/** One row of 我的需求. */
export interface MyNeedRow {
  id: number
  title: string
  status: NeedStatus
  deadline: string | null
  updatedAt: string
  /** What the owner can do now, in the table's order (empty: nothing but read). */
  actions: NeedAction[]
}

export interface MyNeedsPage {
  orgName: string
  /** The enterprise may write needs ('publish:need:own'): verified, and the actor an active member. */
  canPublish: boolean
  status: NeedStatus | null
  counts: Record<NeedStatus, number>
  total: number
  items: MyNeedRow[]
  page: number
  pageCount: number
}

/** /enterprise/needs/:id: the owner's manage page. */
export interface OwnNeed {
  id: number
  title: string
  description: string
  expectedResults: string
  status: NeedStatus
  statusReason: string
  revision: number
  level: TargetLevel
  visibility: NeedVisibility
  industryName: string
  regionName: string
  scenarios: { code: string; name: string }[]
  budgetMinWan: number
  budgetMaxWan: number
  expectedStart: string
  durationMonths: number
  acceptsMatching: boolean
  deadline: string | null
  publishedAt: string | null
  createdAt: string
  updatedAt: string
  /** The public page, while the need is shown publicly. */
  publicHref: string | null
  source: NeedSourceLink | null
  canWrite: boolean
  actions: NeedAction[]
  history: NeedHistoryEntry[]
  today: string
  maxDeadline: string
}
