export { DIAGNOSIS_KINDS, SEVERITIES } from '../../../db/enums.js'
import type { DiagnosisKind, DiagnosisOrigin, DiagnosisStatus, ReportStatus, Severity } from '../../../db/enums.js'
import type { FileView } from '../files/views.js'
import type { ServiceProgress } from './minimums.js'

/*
 * What the diagnosis pages show (browser-safe: types and constants, no zod). The use cases in
 * projects.server.ts and reports.server.ts build them.
 */

/** Limits of the report's fields and rows (the schema checks them; the forms show them). */
export const REPORT_LIMITS = {
  weaknesses: 50,
  recommendations: 20,
  basics: 8000,
  solution: 20000,
  benchmarkPeer: 100,
  benchmarkNotes: 2000,
  weaknessTitleMin: 4,
  weaknessTitleMax: 80,
  weaknessDescription: 2000,
  indicator: 40,
  recommendationNote: 200,
  returnReason: 1000,
  note: 500,
  /** Blank weakness rows the editor offers at most. */
  blankRows: 10,
} as const

export const weaknessField = (
  n: number,
  part: 'Scenario' | 'Severity' | 'Title' | 'Description' | 'Indicator' | 'Current' | 'Target',
) => `w${n}${part}`
export const recommendationField = (n: number, part: 'Org' | 'Note') => `r${n}${part}`

/** The report editor's file field (one attachment per upload). */
export const ATTACHMENT_FIELD = 'attachment'

/** The list's tabs: 'closed' gathers declined and cancelled projects. */
export type DiagnosisTab = 'all' | 'proposed' | 'active' | 'completed' | 'closed'
export const DIAGNOSIS_TABS: readonly DiagnosisTab[] = ['all', 'proposed', 'active', 'completed', 'closed']

export type DiagnosisViewerSide = 'enterprise' | 'provider' | 'agency'

export interface DiagnosisListItem {
  id: number
  enterpriseName: string
  providerName: string
  kind: DiagnosisKind
  status: DiagnosisStatus
  origin: DiagnosisOrigin
  /** The latest version's number and status, if any. */
  latestVersion: number | null
  latestStatus: ReportStatus | null
  progress: ServiceProgress
  updatedAt: string
}

export interface DiagnosisList {
  side: DiagnosisViewerSide
  tab: DiagnosisTab
  counts: Record<DiagnosisTab, number>
  items: DiagnosisListItem[]
  page: number
  pageCount: number
  /** May start a project from /diagnoses/new (as enterprise, provider or agency). */
  canStart: boolean
}

export interface WeaknessView {
  id: number
  seq: number
  scenarioCode: string
  scenarioName: string
  /** The link of the five (scenarios.link). */
  link: string
  severity: Severity
  title: string
  description: string
  indicator: string
  currentValue: string
  targetValue: string
}

export interface RecommendationView {
  providerOrgId: number
  name: string
  note: string
  /** Still a verified provider (its page is public). */
  verified: boolean
}

export interface ReportVersionView {
  id: number
  version: number
  status: ReportStatus
  basics: string
  solution: string
  benchmarkPeer: string
  benchmarkNotes: string
  maturityLevel: number | null
  returnReason: string
  submittedAt: string | null
  confirmedAt: string | null
  confirmedByName: string | null
  createdAt: string
  updatedAt: string
  revision: number
  weaknesses: WeaknessView[]
  recommendations: RecommendationView[]
  attachments: FileView[]
}

export interface VersionSummary {
  version: number
  status: ReportStatus
  submittedAt: string | null
  confirmedAt: string | null
  updatedAt: string
}

/** What the viewer may do on the project page. */
export interface ProjectActions {
  accept: boolean
  decline: boolean
  cancel: boolean
  edit: boolean
  amend: boolean
  confirm: boolean
  /** Weaknesses of the shown (confirmed) version may become needs. */
  toNeed: boolean
}

export interface ProjectPage {
  id: number
  side: DiagnosisViewerSide
  enterprise: { orgId: number; name: string }
  provider: { orgId: number; name: string }
  assignedByName: string | null
  kind: DiagnosisKind
  status: DiagnosisStatus
  origin: DiagnosisOrigin
  note: string
  createdAt: string
  respondedAt: string | null
  completedAt: string | null
  actions: ProjectActions
  /** The version shown: the latest the viewer may read (the enterprise and agencies see no drafts). */
  current: ReportVersionView | null
  /** A draft exists that the viewer does not see (the enterprise while the diagnoser writes). */
  draftInProgress: boolean
  versions: VersionSummary[]
  progress: ServiceProgress
  /** Service records and the survey exist only once the enterprise accepted the diagnoser. */
  engaged: boolean
}

export interface ProviderChoice {
  orgId: number
  name: string
  regionName: string
}

export interface EnterpriseChoice {
  orgId: number
  name: string
  regionName: string
}

export interface ReportEditor {
  diagnosisId: number
  enterpriseName: string
  providerName: string
  kind: DiagnosisKind
  /** The kind may change until a version is confirmed. */
  kindLocked: boolean
  version: ReportVersionView
  scenarios: { code: string; name: string; link: string }[]
  /** The provider search's results (verified providers not yet recommended). */
  providerResults: ProviderChoice[]
  attachmentLimit: number
}
