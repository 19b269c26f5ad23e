import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type {
  AgencyLevel,
  ContractSide,
  ContractStatus,
  DisputeFault,
  DisputeOutcome,
  DisputeStatus,
  MilestoneStatus,
  QualityJudgement,
  RatingSide,
  ReviewDecision,
  ReviewSide,
  ScheduleJudgement,
  DiagnosisKind,
  DiagnosisOrigin,
  DiagnosisStatus,
  GradientTitle,
  MemberRole,
  MembershipStatus,
  OrgKind,
  OrgStatus,
  ReportStatus,
  RevenueBand,
  ServiceRecordKind,
  Severity,
  SizeBand,
  StaffBand,
  SurveyGrade,
  SurveyOverall,
  TitleStatus,
  EventMode,
  EventNeedSource,
  EventNeedStatus,
  EventProviderStatus,
  EventStage,
  FollowupDays,
  FollowupOutcome,
  PoolApplicationStatus,
  PoolCategory,
  PoolMembershipStatus,
  PoolObjectionStatus,
  PoolRoundStatus,
  MeetingOutcome,
  MeetingSide,
  MeetingStatus,
  TargetMetric,
  EnteredTargetMetric,
  TargetWorkItem,
  TargetAdjustmentKind,
  TargetAdjustmentSubject,
  AppealStatus,
  EvaluationMetric,
  EvaluationSchemeStatus,
  EvaluationTier,
  SanctionLevel,
  SanctionStatus,
  SelfAssessmentKind,
  TitleReviewOutcome,
  VoucherAction,
  VoucherStatus,
} from './enums.js'

/** ISO-8601 timestamps and dates are stored as TEXT. */
type Timestamp = string

/** A nullable column that inserts may leave out. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>

export interface RegionsTable {
  code: string
  name: string
  /** English name ('' until the reference load fills it; readers fall back to `name`). */
  name_en: ColumnType<string, string | undefined, string>
  level: 'province' | 'city' | 'county' | 'zone'
  parent_code: string | null
}

export interface IndustriesTable {
  code: string
  name: string
  /** English name ('' until the reference load fills it; readers fall back to `name`). */
  name_en: ColumnType<string, string | undefined, string>
  /** JSON array of focus-sector tags. */
  tags: ColumnType<string, string | undefined, string>
}

export interface ScenariosTable {
  code: string
  name: string
  /** English name ('' until the reference load fills it; readers fall back to `name`). */
  name_en: ColumnType<string, string | undefined, string>
  link: 'factory_build' | 'rd_design' | 'production' | 'production_mgmt' | 'operations_mgmt'
  sort_order: number
}

export interface OrganisationsTable {
  id: Generated<number>
  kind: OrgKind
  name: string
  region_code: string
  created_at: Timestamp
  uscc: Optional<string>
  status: ColumnType<OrgStatus, OrgStatus | undefined>
  rejection_reason: Optional<string>
  industry_code: Optional<string>
  /** JSON array of provider sub-kinds. */
  provider_kinds: ColumnType<string, string | undefined, string>
  agency_level: Optional<AgencyLevel>
  contact_name: ColumnType<string, string | undefined, string>
  contact_phone: ColumnType<string, string | undefined, string>
  description: ColumnType<string, string | undefined, string>
  submitted_at: Optional<Timestamp>
  reviewed_at: Optional<Timestamp>
  reviewed_by: Optional<number>
  updated_at: Optional<Timestamp>
  /** Starts at 1; every resubmission adds one, and a decision names the revision it was made on. */
  revision: ColumnType<number, number | undefined, number>
  /** 1 for demo data (seed), 0 for everything real. */
  is_demo: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
}

export interface UsersTable {
  id: Generated<number>
  name: string
  phone: Optional<string>
  email: Optional<string>
  password_hash: string
  created_at: Timestamp
  /** When the phone was verified by a code sent to it; null until then (and after it changes). */
  phone_verified_at: Optional<Timestamp>
  /** When the e-mail was verified by a code sent to it. */
  email_verified_at: Optional<Timestamp>
  /** 1 for the seed's demo accounts. */
  is_demo: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
}

export interface MembershipsTable {
  user_id: number
  org_id: number
  role: MemberRole
  /** Pending until an owner confirms it (joining an agency). */
  status: ColumnType<MembershipStatus, MembershipStatus | undefined, MembershipStatus>
  created_at: Timestamp
}

export interface SessionsTable {
  id_hash: string
  user_id: number
  active_org_id: Optional<number>
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
  ip: ColumnType<string, string | undefined, string>
  user_agent: ColumnType<string, string | undefined, string>
}

export interface InvitationsTable {
  id: Generated<number>
  org_id: number
  /** SHA-256 (hex) of the invite link's token. */
  token_hash: string
  /** SHA-256 (hex) of the short code typed into /join. */
  code_hash: Optional<string>
  created_by: number
  created_at: Timestamp
  expires_at: Timestamp
  revoked_at: Optional<Timestamp>
  uses: ColumnType<number, number | undefined, number>
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  actor_user_id: Optional<number>
  actor_org_id: Optional<number>
  action: string
  object_type: Optional<string>
  object_id: Optional<string>
  region_code: Optional<string>
  ip: ColumnType<string, string | undefined, never>
  detail: ColumnType<string, string | undefined, never>
}

export interface RateLimitEventsTable {
  id: Generated<number>
  key: string
  /** Epoch milliseconds. */
  at: number
}

export interface AppSecretsTable {
  name: string
  value: string
}

export interface OneTimeCodesTable {
  id: Generated<number>
  user_id: number
  purpose: 'reset' | 'verify'
  channel: 'sms' | 'email' | 'link'
  /** The phone or e-mail the code was sent to (the account's, for a link). */
  destination: string
  /** HMAC-SHA-256 of the code or link token under the installation's secret. */
  code_hash: string
  created_at: Timestamp
  expires_at: Timestamp
  used_at: Optional<Timestamp>
  attempts: ColumnType<number, number | undefined, number>
}

export type MessageStatus = 'pending' | 'sending' | 'sent' | 'mailbox' | 'failed' | 'discarded'

export interface MessageOutboxTable {
  id: Generated<number>
  channel: 'sms' | 'email'
  destination: string
  subject: ColumnType<string, string | undefined, string>
  body: ColumnType<string, string | undefined, string>
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>
  transport: ColumnType<string, string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  last_error: ColumnType<string, string | undefined, string>
  created_at: Timestamp
  expires_at: Timestamp
  sent_at: Optional<Timestamp>
  /** Epoch milliseconds until which a 'sending' claim holds; past it, the message goes back in the queue. */
  claimed_until: Optional<number>
}

export interface SignInGuardsTable {
  key: string
  failures: number
  /** Epoch milliseconds; 0 when not locked. */
  locked_until: ColumnType<number, number | undefined, number>
  /** Epoch milliseconds. */
  updated_at: number
}

export interface KnownDevicesTable {
  token_hash: string
  user_id: number
  created_at: Timestamp
  last_used_at: Timestamp
}

export interface AuditCountersTable {
  action: string
  key: string
  /** Epoch milliseconds of the window's start. */
  window_start: number
  count: number
}

/**
 * How many organisations each (region, kind, status) holds: kept by triggers on
 * organisations in every writing transaction (migration 2026-12-02T0960), read by the
 * agency audit queue's tab counts.
 */
export interface OrgStatusCountsTable {
  region_code: string
  kind: OrgKind
  status: OrgStatus
  n: number
}

/**
 * How many needs of each (region, scenario, status, China year of first publication; 0 for
 * a draft) there are: kept by triggers on needs and need_scenarios in every writing
 * transaction (migration 2026-12-04T0100), summed by the agency dashboard.
 */
export interface NeedScenarioCountsTable {
  region_code: string
  scenario_code: string
  status: NeedStatusColumn
  year: number
  n: number
}

export interface NeedsTable {
  id: Generated<number>
  org_id: number
  title: string
  description: string
  industry_code: string
  region_code: string
  target_level: 'smart_line' | 'digital_workshop' | 'smart_factory' | 'future_factory'
  budget_min_wan: number
  budget_max_wan: number
  expected_start: string
  duration_months: number
  accepts_matching: ColumnType<number, number | undefined, number>
  expected_results: ColumnType<string, string | undefined, string>
  source_report_id: number | null
  source_weakness_id: number | null
  visibility: ColumnType<'public' | 'verified_providers', 'public' | 'verified_providers' | undefined>
  status: ColumnType<NeedStatusColumn, NeedStatusColumn | undefined, NeedStatusColumn>
  published_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
  /** 投标截止 (a date): a published need still open after it expires (the need-expiry job). */
  deadline: Optional<string>
  /** Starts at 1; every edit adds one, and a form names the revision it was made on. */
  revision: ColumnType<number, number | undefined, number>
  /** Why the last status change happened (withdrawn, closed …); '' when none was given. */
  status_reason: ColumnType<string, string | undefined, string>
}
type NeedStatusColumn = 'draft' | 'published' | 'shortlisting' | 'awarded' | 'contracted' | 'closed' | 'withdrawn' | 'expired'

export interface NeedScenariosTable {
  need_id: number
  scenario_code: string
}

/** The document version each search index was last rebuilt with (search/indexer.ts). */
export interface SearchIndexVersionsTable {
  index_name: string
  document_version: number
  rebuilt_at: string
}

export interface SearchOutboxTable {
  id: Generated<number>
  /** An indexed type's name ('need' …); the app's registry of indexed types knows them. */
  entity_type: string
  entity_id: number
  created_at: Timestamp
  /** The indexer instance applying the row, while its lease lasts. */
  claimed_by: Optional<string>
  /** Epoch milliseconds: the claim's lease; past it, another instance may take the row over. */
  claimed_until: Optional<number>
}

/** One row per scheduled job: whoever holds it runs the job (db/leases.ts). */
export interface JobLeasesTable {
  name: string
  holder: string
  /** Epoch milliseconds: the lease is free once this has passed. */
  held_until: number
}

/** A provider organisation's 能力画像 beyond `organisations` (kinds, contact, description live there). */
export interface ProviderProfilesTable {
  org_id: number
  team_size: number | null
  founded_year: number | null
  /** 1: serves the whole country (provider_regions may then be empty). */
  nationwide: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  website: ColumnType<string, string | undefined, string>
  updated_at: Timestamp
  revision: ColumnType<number, number | undefined, number>
}

export interface ProviderIndustriesTable {
  org_id: number
  industry_code: string
}

export interface ProviderScenariosTable {
  org_id: number
  scenario_code: string
}

export interface ProviderRegionsTable {
  org_id: number
  region_code: string
}

export interface ProviderQualificationsTable {
  id: Generated<number>
  org_id: number
  name: string
  issuer: ColumnType<string, string | undefined, string>
  certificate_no: ColumnType<string, string | undefined, string>
  /** YYYY-MM-DD */
  valid_from: string | null
  /** YYYY-MM-DD; null: no expiry. */
  valid_until: string | null
  created_at: Timestamp
}

export interface ProviderCasesTable {
  id: Generated<number>
  org_id: number
  title: string
  /** The client's name, or an anonymised description (某汽车零部件企业) when client_anonymised = 1. */
  client_name: string
  client_anonymised: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  industry_code: string
  region_code: string | null
  investment_wan: number | null
  year: number
  summary: string
  /** Set (with verified_at) by the contracts context when a contract completed on the platform verifies the case. */
  verified_contract_id: number | null
  verified_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CaseScenariosTable {
  case_id: number
  scenario_code: string
}

export interface CaseMetricsTable {
  id: Generated<number>
  case_id: number
  seq: number
  name: string
  before_value: number | null
  after_value: number
  unit: ColumnType<string, string | undefined, string>
}

/** Every upload; the bytes live in FileStorage under storage_key (and preview_key for an image's preview). */
export interface FilesTable {
  id: Generated<number>
  storage_key: string
  preview_key: string | null
  /** The organisation that owns the file. */
  org_id: number
  /** What the upload is for ('case_image' …): decides size and type limits. */
  purpose: string
  /** The object it is attached to ('provider_case' …): its rules decide who may read it. */
  object_type: string
  object_id: number
  /** The uploader's file name, cleaned; shown and used in Content-Disposition. */
  name: string
  /** Decided from the content, never from the name. */
  mime: string
  size: number
  width: number | null
  height: number | null
  sha256: string
  created_by: number | null
  created_at: Timestamp
}

export interface ContractTemplatesTable {
  id: Generated<number>
  /** An agency's template is official (官方范本); a provider's is its own. */
  org_id: number
  is_official: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  title: string
  industry_code: string | null
  status: ColumnType<'active' | 'archived', 'active' | 'archived' | undefined, 'active' | 'archived'>
  current_version: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ContractTemplateScenariosTable {
  template_id: number
  scenario_code: string
}

export interface ContractTemplateVersionsTable {
  id: Generated<number>
  template_id: number
  version: number
  /** The (official) template version this one was derived from. */
  derived_from_version_id: number | null
  construction_days: number
  /** JSON array of strings (GB/T numbers …). */
  technical_standards: ColumnType<string, string | undefined, string>
  acceptance_standards: string
  quality_terms: ColumnType<string, string | undefined, string>
  warranty_months: number
  price_model: 'fixed' | 'range' | 'quote'
  price_min_wan: number | null
  price_max_wan: number | null
  /** JSON array of { name, percent, criteria }; percents sum to 100 (checked by the use case). */
  milestones: ColumnType<string, string | undefined, string>
  dispute_clause: string
  /** 1 once a bid or contract uses this version: it never changes again. */
  in_use: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  created_by: number | null
  created_at: Timestamp
}

export interface ConsortiaTable {
  id: Generated<number>
  lead_org_id: number
  name: string
  status: ColumnType<
    'forming' | 'ready' | 'dissolved',
    'forming' | 'ready' | 'dissolved' | undefined,
    'forming' | 'ready' | 'dissolved'
  >
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ConsortiumMembersTable {
  consortium_id: number
  org_id: number
  role: 'lead' | 'member'
  scope: ColumnType<string, string | undefined, string>
  share_percent: number
  status: ColumnType<
    'invited' | 'confirmed' | 'declined',
    'invited' | 'confirmed' | 'declined' | undefined,
    'invited' | 'confirmed' | 'declined'
  >
  responded_by: number | null
  responded_at: Timestamp | null
}

/** Exchange files' external ids (docs/exchange.md): (type, external id) → the row it names. */
export interface ExchangeIdsTable {
  /** The exchange type ('organisation', 'case', 'contract_template' …). */
  type: string
  external_id: string
  entity_id: number
  created_at: Timestamp
}

/** 一企一档 beyond `organisations` (migration 2026-12-03T0100). */
export interface EnterpriseProfilesTable {
  org_id: number
  size_band: Optional<SizeBand>
  /** 规上 (above designated size): 1 or 0. */
  above_scale: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  revenue_band: Optional<RevenueBand>
  staff_band: Optional<StaffBand>
  main_products: ColumnType<string, string | undefined, string>
  /** 数字化研发设计工具普及率 %. */
  rd_tools_pct: Optional<number>
  /** 生产装备数控化率 %. */
  equipment_nc_pct: Optional<number>
  /** 关键工序数控化率 %. */
  key_process_nc_pct: Optional<number>
  /** 经营管理数字化普及率 %. */
  mgmt_digital_pct: Optional<number>
  /** MES 覆盖率 %. */
  mes_coverage_pct: Optional<number>
  /** GB/T 39116 智能制造能力成熟度 1–5. */
  maturity_level: Optional<number>
  /** The year the indicators describe. */
  indicators_year: Optional<number>
  updated_by: Optional<number>
  updated_at: Timestamp
  revision: ColumnType<number, number | undefined, number>
}

export interface EnterpriseTitlesTable {
  id: Generated<number>
  org_id: number
  title: GradientTitle
  /** For 优秀场景: the scenario's name. */
  scene: ColumnType<string, string | undefined, string>
  issuer: ColumnType<string, string | undefined, string>
  /** Dates (YYYY-MM-DD). */
  awarded_on: string
  expires_on: Optional<string>
  status: ColumnType<TitleStatus, TitleStatus | undefined, TitleStatus>
  created_at: Timestamp
  /** The reward received for it (万元 × 100), which the cumulative caps deduct; null: none recorded (issue 16). */
  reward_wan_x100: Optional<number>
}

/** 诊断项目: one enterprise, one diagnosing provider, one kind. */
export interface DiagnosesTable {
  id: Generated<number>
  enterprise_org_id: number
  provider_org_id: number
  kind: DiagnosisKind
  status: DiagnosisStatus
  origin: DiagnosisOrigin
  /** The agency that assigned the diagnoser (origin 'agency'). */
  assigned_by_org_id: Optional<number>
  note: ColumnType<string, string | undefined, string>
  created_by: Optional<number>
  responded_by: Optional<number>
  responded_at: Optional<Timestamp>
  completed_at: Optional<Timestamp>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface DiagnosisReportVersionsTable {
  id: Generated<number>
  diagnosis_id: number
  version: number
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>
  /** 企业基本情况. */
  basics: ColumnType<string, string | undefined, string>
  /** 系统解决方案 / 顶层设计 / 项目计划. */
  solution: ColumnType<string, string | undefined, string>
  /** 对标标杆: the benchmark peer's name, and notes on it. */
  benchmark_peer: ColumnType<string, string | undefined, string>
  benchmark_notes: ColumnType<string, string | undefined, string>
  /** Maturity assessed, GB/T 39116 1–5. */
  maturity_level: Optional<number>
  /** Why the enterprise returned the last submission ('' when it did not). */
  return_reason: ColumnType<string, string | undefined, string>
  submitted_at: Optional<Timestamp>
  /** 签字盖章: who confirmed for the enterprise (its owner), and when. */
  confirmed_by: Optional<number>
  confirmed_at: Optional<Timestamp>
  created_by: Optional<number>
  created_at: Timestamp
  updated_at: Timestamp
  revision: ColumnType<number, number | undefined, number>
}

export interface DiagnosisWeaknessesTable {
  id: Generated<number>
  version_id: number
  seq: number
  scenario_code: string
  severity: Severity
  title: string
  description: string
  /** The indicator measured ('' when none), its current value and the target. */
  indicator: ColumnType<string, string | undefined, string>
  current_value: ColumnType<string, string | undefined, string>
  target_value: ColumnType<string, string | undefined, string>
}

export interface DiagnosisRecommendationsTable {
  version_id: number
  provider_org_id: number
  seq: number
  note: ColumnType<string, string | undefined, string>
}

/** 考勤: a site visit, training or briefing. */
export interface DiagnosisServiceRecordsTable {
  id: Generated<number>
  diagnosis_id: number
  kind: ServiceRecordKind
  /** A date (YYYY-MM-DD). */
  occurred_on: string
  minutes: number
  team_size: number
  leader: ColumnType<string, string | undefined, string>
  team_members: ColumnType<string, string | undefined, string>
  content: string
  created_by: Optional<number>
  created_at: Timestamp
  updated_at: Timestamp
}

/** 服务商诊断服务满意度调查表 (seed 002): one per diagnosis. */
export interface DiagnosisSurveysTable {
  diagnosis_id: number
  /** The confirmed report version the enterprise rated. */
  version_id: number
  /** 诊断过程, 问题分析, 方案建议, 业务水平, 诊断结果. */
  process: SurveyGrade
  analysis: SurveyGrade
  proposal: SurveyGrade
  competence: SurveyGrade
  result: SurveyGrade
  overall: SurveyOverall
  comment: ColumnType<string, string | undefined, string>
  filled_by: number
  filled_at: Timestamp
  /** 主管部门审核意见 (optional). */
  agency_opinion: ColumnType<string, string | undefined, string>
  agency_org_id: Optional<number>
  agency_by: Optional<number>
  agency_at: Optional<Timestamp>
}

/** Matching weights an agency set for its region (issue 13); JSON { factor: weight }. */
export interface MatchingWeightsTable {
  region_code: string
  agency_org_id: number
  weights: string
  revision: ColumnType<number, number | undefined, number>
  updated_by: Optional<number>
  updated_at: Timestamp
}

/** 邀请投标 (kind invite, by the need's enterprise) and 推荐对接 (kind recommend, by an agency). */
export interface NeedInvitationsTable {
  id: Generated<number>
  need_id: number
  provider_org_id: number
  kind: 'invite' | 'recommend'
  note: ColumnType<string, string | undefined, string>
  by_org_id: number
  by_user_id: number
  created_at: Timestamp
  seen_at: Optional<Timestamp>
}

/** A provider's saved need search; needs published after checked_until are new to it. */
export interface SavedSearchesTable {
  id: Generated<number>
  org_id: number
  user_id: number
  name: string
  /** JSON of the search form (zod-checked on read). */
  query: string
  notify: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  checked_until: Timestamp
  created_at: Timestamp
  updated_at: Timestamp
}

/** A person's in-app notice (issue 14 §7); kind checked by zod, params JSON for the catalogue. */
export interface NotificationsTable {
  id: Generated<number>
  user_id: number
  /** The organisation the notice is about (the recipient's, as member), null: about the person. */
  org_id: Optional<number>
  kind: string
  params: ColumnType<string, string | undefined, string>
  link: ColumnType<string, string | undefined, string>
  created_at: Timestamp
  read_at: Optional<Timestamp>
}

/** A person's e-mail and SMS choice per notification kind; no row: the kind's defaults. */
export interface NotificationPreferencesTable {
  user_id: number
  kind: string
  email: 0 | 1
  sms: 0 | 1
}

/** 方案: a provider's bid on a published need (issue 14 §1); price in hundredths of 万元. */
export interface BidsTable {
  id: Generated<number>
  need_id: number
  /** The bidder: the provider, or the consortium's lead. */
  provider_org_id: number
  consortium_id: Optional<number>
  /** Hundredths of 万元 (12.34 万元 = 1234), 1 … 100 000 000. */
  price_wan_x100: number
  duration_days: number
  plan: ColumnType<string, string | undefined, string>
  template_version_id: Optional<number>
  status: ColumnType<BidStatusColumn, BidStatusColumn | undefined, BidStatusColumn>
  status_reason: ColumnType<string, string | undefined, string>
  revision: ColumnType<number, number | undefined, number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  withdrawn_at: Optional<Timestamp>
}
type BidStatusColumn = 'submitted' | 'withdrawn' | 'shortlisted' | 'rejected' | 'awarded'

/** A consortium bid's split, frozen at submission. */
export interface BidSharesTable {
  bid_id: number
  org_id: number
  role: 'lead' | 'member'
  scope: ColumnType<string, string | undefined, string>
  share_percent: number
}

/** The question thread of one bid (issue 14 §2): the need's owner and the bidder write. */
export interface BidMessagesTable {
  id: Generated<number>
  bid_id: number
  side: 'owner' | 'bidder'
  org_id: number
  author_id: number
  body: string
  created_at: Timestamp
}

/** A contract from an awarded bid (issue 14 §3); amounts in hundredths of 万元; dates YYYY-MM-DD. */
export interface ContractsTable {
  id: Generated<number>
  need_id: number
  bid_id: number
  enterprise_org_id: number
  provider_org_id: number
  consortium_id: Optional<number>
  template_version_id: Optional<number>
  /** The need's region: the agency's jurisdiction. */
  region_code: string
  title: string
  amount_wan_x100: number
  start_date: Optional<string>
  construction_days: number
  technical_standards: ColumnType<string, string | undefined, string>
  acceptance_standards: ColumnType<string, string | undefined, string>
  quality_terms: ColumnType<string, string | undefined, string>
  warranty_months: number
  dispute_clause: ColumnType<string, string | undefined, string>
  status: ColumnType<ContractStatus, ContractStatus | undefined, ContractStatus>
  status_reason: ColumnType<string, string | undefined, string>
  revision: ColumnType<number, number | undefined, number>
  enterprise_confirmed_by: Optional<number>
  enterprise_confirmed_at: Optional<Timestamp>
  provider_confirmed_by: Optional<number>
  provider_confirmed_at: Optional<Timestamp>
  /** The 监理机构 an agency appointed, who appointed it (person and agency) and when. */
  supervisor_org_id: Optional<number>
  supervisor_appointed_by: Optional<number>
  supervisor_appointed_org_id: Optional<number>
  supervisor_appointed_at: Optional<Timestamp>
  /** The provider's case this contract verifies once completed. */
  case_id: Optional<number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  activated_at: Optional<Timestamp>
  /** When it was completed or terminated. */
  closed_at: Optional<Timestamp>
}

export interface ContractMilestonesTable {
  id: Generated<number>
  contract_id: number
  seq: number
  name: string
  percent: number
  amount_wan_x100: number
  due_date: string
  criteria: ColumnType<string, string | undefined, string>
  status: ColumnType<MilestoneStatus, MilestoneStatus | undefined, MilestoneStatus>
  /** The current submission's round (0 until first submitted). */
  round: ColumnType<number, number | undefined, number>
  submitted_at: Optional<Timestamp>
  accepted_at: Optional<Timestamp>
  /** Set by the late-milestone job once the due date passed unaccepted. */
  late_flagged_at: Optional<Timestamp>
  updated_at: Timestamp
}

export interface MilestoneSubmissionsTable {
  id: Generated<number>
  milestone_id: number
  round: number
  evidence: string
  submitted_by: number
  submitted_at: Timestamp
}

/** One decision per (milestone, round, side): a repeated acceptance is a no-op. */
export interface MilestoneReviewsTable {
  id: Generated<number>
  milestone_id: number
  round: number
  side: ReviewSide
  decision: ReviewDecision
  reason: ColumnType<string, string | undefined, string>
  org_id: number
  decided_by: number
  decided_at: Timestamp
}

/** 监理日志. */
export interface SupervisionLogsTable {
  id: Generated<number>
  contract_id: number
  milestone_id: Optional<number>
  org_id: number
  author_id: number
  log_date: string
  findings: string
  quality: QualityJudgement
  schedule: ScheduleJudgement
  created_at: Timestamp
}

/** 纠纷 on a contract or one of its milestones. */
export interface DisputesTable {
  id: Generated<number>
  contract_id: number
  milestone_id: Optional<number>
  opened_side: ContractSide
  opened_org_id: number
  opened_by: number
  subject: string
  description: string
  status: ColumnType<DisputeStatus, DisputeStatus | undefined, DisputeStatus>
  resolution: ColumnType<string, string | undefined, string>
  outcome: Optional<DisputeOutcome>
  /** Who lost it (matching counts disputes lost). */
  fault: Optional<DisputeFault>
  resolved_org_id: Optional<number>
  resolved_by: Optional<number>
  resolved_at: Optional<Timestamp>
  created_at: Timestamp
  updated_at: Timestamp
}

/** One rating per contract per side (the rater); items use the seed 002 grades. */
export interface ContractRatingsTable {
  id: Generated<number>
  contract_id: number
  side: RatingSide
  rater_org_id: number
  rated_org_id: number
  rated_by: number
  item_1: SurveyGrade
  item_2: SurveyGrade
  item_3: SurveyGrade
  item_4: SurveyGrade
  item_5: SurveyGrade
  overall: SurveyOverall
  comment: ColumnType<string, string | undefined, string>
  reply: ColumnType<string, string | undefined, string>
  replied_by: Optional<number>
  replied_at: Optional<Timestamp>
  created_at: Timestamp
}

/** The contract's timeline. detail: JSON object (catalogue params). */
export interface ContractEventsTable {
  id: Generated<number>
  contract_id: number
  kind: string
  milestone_id: Optional<number>
  actor_org_id: Optional<number>
  actor_user_id: Optional<number>
  object_id: Optional<number>
  detail: ColumnType<string, string | undefined, string>
  created_at: Timestamp
}

/** 2026-12-03T0500-events: matchmaking events (供需对接会). */
export interface EventsTable {
  id: Generated<number>
  organiser_org_id: number
  region_code: string
  title: string
  description: ColumnType<string, string | undefined, string>
  mode: EventMode
  venue: ColumnType<string, string | undefined, string>
  online_url: ColumnType<string, string | undefined, string>
  starts_on: string
  ends_on: string
  stage: ColumnType<EventStage, EventStage | undefined, EventStage>
  enterprise_applications: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  revision: ColumnType<number, number | undefined, number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  stage_changed_at: Timestamp
}

export interface EventIndustriesTable {
  event_id: number
  industry_code: string
}

export interface EventNeedsTable {
  id: Generated<number>
  event_id: number
  need_id: number
  source: EventNeedSource
  status: EventNeedStatus
  reason: ColumnType<string, string | undefined, string>
  created_by: number
  created_at: Timestamp
  decided_by: Optional<number>
  decided_at: Optional<Timestamp>
}

export interface EventProvidersTable {
  id: Generated<number>
  event_id: number
  provider_org_id: number
  status: EventProviderStatus
  note: ColumnType<string, string | undefined, string>
  reason: ColumnType<string, string | undefined, string>
  created_by: number
  created_at: Timestamp
  decided_by: Optional<number>
  decided_at: Optional<Timestamp>
}

export interface EventProviderNeedsTable {
  event_provider_id: number
  need_id: number
}

/** An agency's 智能制造专家库: a person with an account; employer_org_id: a tie it never judges. */
export interface ExpertsTable {
  id: Generated<number>
  agency_org_id: number
  user_id: number
  name: string
  title: ColumnType<string, string | undefined, string>
  employer: ColumnType<string, string | undefined, string>
  employer_org_id: Optional<number>
  fields: ColumnType<string, string | undefined, string>
  active: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  created_by: number
  created_at: Timestamp
}

export interface EventExpertsTable {
  event_id: number
  expert_id: number
  created_at: Timestamp
}

export interface EventIntentsTable {
  id: Generated<number>
  event_id: number
  need_id: number
  provider_org_id: number
  amount_wan_x100: number
  signed_on: string
  note: ColumnType<string, string | undefined, string>
  created_by: number
  created_at: Timestamp
  withdrawn_at: Optional<Timestamp>
  withdrawn_reason: ColumnType<string, string | undefined, string>
}

export interface EventFollowupsTable {
  id: Generated<number>
  intent_id: number
  after_days: FollowupDays
  due_on: string
  outcome: Optional<FollowupOutcome>
  contract_id: Optional<number>
  contract_status: ColumnType<string, string | undefined, string>
  note: ColumnType<string, string | undefined, string>
  recorded_by: Optional<number>
  recorded_at: Optional<Timestamp>
}

/** 2026-12-03T0510-event-review: site visits (现场调研) and proposal review (方案评选). */
export interface EventVisitSlotsTable {
  id: Generated<number>
  event_id: number
  need_id: number
  /** 'YYYY-MM-DD' (China). */
  visit_on: string
  /** 'HH:MM'. */
  starts_at: string
  ends_at: string
  place: string
  note: ColumnType<string, string | undefined, string>
  created_by: number
  created_at: Timestamp
}

export interface EventVisitBookingsTable {
  id: Generated<number>
  slot_id: number
  event_id: number
  need_id: number
  provider_org_id: number
  visit_on: string
  starts_at: string
  ends_at: string
  booked_by: number
  booked_at: Timestamp
}

export interface EventReviewCriteriaTable {
  id: Generated<number>
  event_id: number
  position: number
  name: string
  description: ColumnType<string, string | undefined, string>
  weight: number
  max_score: number
}

export interface EventReviewTiesTable {
  event_id: number
  expert_id: number
  need_id: number
  provider_org_id: number
  reason: string
  created_at: Timestamp
}

export interface EventReviewSheetsTable {
  id: Generated<number>
  event_id: number
  expert_id: number
  need_id: number
  bid_id: number
  comment: ColumnType<string, string | undefined, string>
  submitted_by: number
  submitted_at: Timestamp
}

export interface EventReviewScoresTable {
  sheet_id: number
  criterion_id: number
  score: number
}

export interface EventReviewPublicationsTable {
  event_id: number
  published_by: number
  published_at: Timestamp
}

/** District targets (2026-12-03T0550-district-targets): one agency's targets of one year. */
export interface TargetPlansTable {
  id: Generated<number>
  agency_org_id: number
  region_code: string
  year: number
  note: ColumnType<string, string | undefined, string>
  revision: ColumnType<number, number | undefined, number>
  created_by: number
  created_at: Timestamp
  updated_by: number
  updated_at: Timestamp
}

/** A district's target of one metric (coverage: a whole percentage). */
export interface DistrictTargetsTable {
  plan_id: number
  region_code: string
  metric: TargetMetric
  target: number
}

/** Actuals entered with evidence (added to the platform's count). */
export interface TargetActualEntriesTable {
  id: Generated<number>
  plan_id: number
  region_code: string
  metric: EnteredTargetMetric
  quantity: number
  evidence: string
  entered_by: number
  entered_org_id: number
  created_at: Timestamp
  withdrawn_by: Optional<number>
  withdrawn_at: Optional<Timestamp>
}

/** 工作推进“五个一” of a district. */
export interface TargetWorkItemsTable {
  plan_id: number
  region_code: string
  item: TargetWorkItem
  done: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  evidence: ColumnType<string, string | undefined, string>
  updated_by: number
  updated_org_id: number
  updated_at: Timestamp
}

/** 加、减分项 of a district, with evidence. */
export interface TargetAdjustmentsTable {
  id: Generated<number>
  plan_id: number
  region_code: string
  kind: TargetAdjustmentKind
  subject: ColumnType<TargetAdjustmentSubject, TargetAdjustmentSubject | undefined, TargetAdjustmentSubject>
  title: string
  evidence: ColumnType<string, string | undefined, string>
  /** A date (YYYY-MM-DD). */
  occurred_on: string
  entered_by: number
  entered_org_id: number
  created_at: Timestamp
  withdrawn_by: Optional<number>
  withdrawn_at: Optional<Timestamp>
}

/** 2026-12-03T0520-event-meetings: 1:1 meetings during an event (洽谈). */
export interface EventMeetingSettingsTable {
  event_id: number
  /** 'HH:MM'. */
  day_start: string
  day_end: string
  slot_minutes: number
  table_count: number
  place: ColumnType<string, string | undefined, string>
  schedule_runs: ColumnType<number, number | undefined, number>
  updated_by: number
  updated_at: Timestamp
}

export interface EventMeetingDaysTable {
  event_id: number
  /** 'YYYY-MM-DD' (China). */
  meeting_day: string
}

/** Rows = the slots an organisation is available in. */
export interface EventMeetingAvailabilityTable {
  event_id: number
  org_id: number
  slot_day: string
  slot_start: string
}

export interface EventMeetingsTable {
  id: Generated<number>
  event_id: number
  enterprise_org_id: number
  provider_org_id: number
  need_id: Optional<number>
  requested_by_side: MeetingSide
  message: ColumnType<string, string | undefined, string>
  status: ColumnType<MeetingStatus, MeetingStatus | undefined, MeetingStatus>
  reply: ColumnType<string, string | undefined, string>
  requested_by: number
  requested_at: Timestamp
  responded_by: Optional<number>
  responded_at: Optional<Timestamp>
  /** Set exactly when status = 'scheduled'. */
  slot_day: Optional<string>
  slot_start: Optional<string>
  slot_end: Optional<string>
  table_no: Optional<number>
  scheduled_at: Optional<Timestamp>
}

/** The two organisations of a scheduled meeting at its slot ((event, org, slot) unique). */
export interface EventMeetingBookingsTable {
  meeting_id: number
  event_id: number
  org_id: number
  slot_day: string
  slot_start: string
}

export interface EventMeetingOutcomesTable {
  meeting_id: number
  side: MeetingSide
  outcome: MeetingOutcome
  note: ColumnType<string, string | undefined, string>
  recorded_by: number
  recorded_at: Timestamp
}

/** Provider pool (2026-12-03T0530-provider-pool): an agency's admission round for one category. */
export interface PoolRoundsTable {
  id: Generated<number>
  agency_org_id: number
  category: PoolCategory
  title: string
  description: ColumnType<string, string | undefined, string>
  apply_until: string
  status: ColumnType<PoolRoundStatus, PoolRoundStatus | undefined, PoolRoundStatus>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
}

/** A round's quota per sub-industry; admitted counts its admissions (admitted <= quota). */
export interface PoolQuotasTable {
  round_id: number
  industry_code: string
  quota: number
  admitted: ColumnType<number, number | undefined, number>
}

export interface PoolApplicationsTable {
  id: Generated<number>
  round_id: number
  provider_org_id: number
  industry_code: string
  statement: string
  status: PoolApplicationStatus
  notice_from: Optional<string>
  notice_until: Optional<string>
  reason: ColumnType<string, string | undefined, string>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  decided_by: Optional<number>
  decided_at: Optional<Timestamp>
}

/** An expert's review of an application (score 0–100, recommend 0/1 once reviewed). */
export interface PoolReviewsTable {
  id: Generated<number>
  application_id: number
  expert_id: number
  score: Optional<number>
  opinion: ColumnType<string, string | undefined, string>
  recommend: Optional<0 | 1>
  reviewed_at: Optional<Timestamp>
  tie_declared_at: Optional<Timestamp>
  tie_note: ColumnType<string, string | undefined, string>
  assigned_by: number
  assigned_at: Timestamp
}

export interface PoolObjectionsTable {
  id: Generated<number>
  application_id: number
  filed_by: number
  reason: string
  status: ColumnType<PoolObjectionStatus, PoolObjectionStatus | undefined, PoolObjectionStatus>
  decision_note: ColumnType<string, string | undefined, string>
  created_at: Timestamp
  decided_by: Optional<number>
  decided_at: Optional<Timestamp>
}

export interface PoolMembershipsTable {
  id: Generated<number>
  agency_org_id: number
  provider_org_id: number
  round_id: number
  application_id: number
  category: PoolCategory
  industry_code: string
  admitted_on: string
  valid_until: string
  status: ColumnType<PoolMembershipStatus, PoolMembershipStatus | undefined, PoolMembershipStatus>
  admitted_by: number
  removed_at: Optional<Timestamp>
  removed_by: Optional<number>
  removed_reason: ColumnType<string, string | undefined, string>
}

/** Excel exports and imports of an agency's lists, run as background tasks (migration 2026-12-03T0560). */
export type SpreadsheetDirection = 'export' | 'import'
export type SpreadsheetList = 'enterprises' | 'needs' | 'providers' | 'contracts' | 'diagnoses'
export type SpreadsheetTaskStatus =
  'queued' | 'running' | 'done' | 'ready' | 'invalid' | 'confirmed' | 'imported' | 'failed' | 'cancelled'

export interface SpreadsheetTasksTable {
  id: Generated<number>
  org_id: number
  user_id: number
  direction: SpreadsheetDirection
  list: SpreadsheetList
  locale: 'zh-CN' | 'en'
  /** The list page's query string (parsed by the page's schema when the task runs). */
  params: ColumnType<string, string | undefined, string>
  status: ColumnType<SpreadsheetTaskStatus, SpreadsheetTaskStatus | undefined, SpreadsheetTaskStatus>
  progress_done: ColumnType<number, number | undefined, number>
  progress_total: ColumnType<number, number | undefined, number>
  row_count: ColumnType<number, number | undefined, number>
  file_name: ColumnType<string, string | undefined, string>
  /** A catalogue key when failed. */
  error: ColumnType<string, string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  lease_until: Optional<Timestamp>
  created_at: Timestamp
  started_at: Optional<Timestamp>
  finished_at: Optional<Timestamp>
  confirmed_at: Optional<Timestamp>
  imported_at: Optional<Timestamp>
}

export interface SpreadsheetTaskFilesTable {
  task_id: number
  role: 'upload' | 'result'
  bytes: Uint8Array
  size: number
}

export interface SpreadsheetTaskIssuesTable {
  task_id: number
  seq: number
  /** The spreadsheet's row number (0: the file as a whole). */
  row_no: number
  column_key: ColumnType<string, string | undefined, string>
  /** A catalogue key. */
  message: string
  value: ColumnType<string, string | undefined, string>
}

export interface SpreadsheetTaskRowsTable {
  task_id: number
  row_no: number
  label: ColumnType<string, string | undefined, string>
  detail: ColumnType<string, string | undefined, string>
}

/** 2026-12-03T0540-evaluations: provider evaluation (供应商评价), sanctions, expired qualifications. */
export interface EvaluationSchemesTable {
  id: Generated<number>
  agency_org_id: number
  year: number
  title: string
  description: ColumnType<string, string | undefined, string>
  preferred_min: ColumnType<number, number | undefined, number>
  excluded_below: ColumnType<number, number | undefined, number>
  status: ColumnType<EvaluationSchemeStatus, EvaluationSchemeStatus | undefined, EvaluationSchemeStatus>
  published_by: Optional<number>
  published_at: Optional<Timestamp>
  computed_at: Optional<Timestamp>
  results_published_by: Optional<number>
  results_published_at: Optional<Timestamp>
  /** 'YYYY-MM-DD': the last day a provider may appeal. */
  appeal_until: Optional<string>
  revision: ColumnType<number, number | undefined, number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EvaluationDimensionsTable {
  id: Generated<number>
  scheme_id: number
  position: number
  name: string
  description: ColumnType<string, string | undefined, string>
  weight: number
  metric: EvaluationMetric
  judgement_percent: number
}

export interface EvaluationJudgementsTable {
  dimension_id: number
  scheme_id: number
  provider_org_id: number
  score: number
  scored_by: number
  scored_at: Timestamp
}

export interface EvaluationResultsTable {
  id: Generated<number>
  scheme_id: number
  provider_org_id: number
  total_x100: number
  computed_tier: EvaluationTier
  tier: EvaluationTier
  computed_at: Timestamp
}

export interface EvaluationResultScoresTable {
  result_id: number
  dimension_id: number
  metric_x100: Optional<number>
  records: ColumnType<number, number | undefined, number>
  judgement: Optional<number>
  score_x100: number
}

export interface EvaluationAppealsTable {
  id: Generated<number>
  result_id: number
  scheme_id: number
  provider_org_id: number
  reason: string
  status: ColumnType<AppealStatus, AppealStatus | undefined, AppealStatus>
  decision: ColumnType<string, string | undefined, string>
  new_tier: Optional<EvaluationTier>
  created_by: number
  created_at: Timestamp
  decided_by: Optional<number>
  decided_at: Optional<Timestamp>
}

export interface ProviderSanctionsTable {
  id: Generated<number>
  agency_org_id: number
  provider_org_id: number
  level: SanctionLevel
  reason: string
  /** 'YYYY-MM-DD' (rectification only). */
  rectify_by: Optional<string>
  status: ColumnType<SanctionStatus, SanctionStatus | undefined, SanctionStatus>
  pool_removed: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>
  created_by: number
  created_at: Timestamp
  lifted_by: Optional<number>
  lifted_at: Optional<Timestamp>
  lift_reason: ColumnType<string, string | undefined, string>
}

// ---- Policy tools (issue 16) ----

/** One completed self-assessment (自评估), never updated: the history is the rows. */
export interface SelfAssessmentsTable {
  id: Generated<number>
  org_id: number
  kind: SelfAssessmentKind
  /** The questionnaire's id and version ('sme-digital-2024@1'). */
  questionnaire: string
  /** JSON: question id → option id. */
  answers: string
  /** 0–100. */
  score: number
  /** The level the score gives (1–4 for sme_digital, 1–5 for maturity). */
  level: number
  /** JSON: dimension id → score (0–100). */
  dimensions: string
  created_by: Optional<number>
  created_at: Timestamp
}

/** The 梯度自评 questionnaire's answers (JSON: fact key → value). */
export interface GradientAnswersTable {
  org_id: number
  answers: string
  revision: ColumnType<number, number | undefined, number>
  updated_by: Optional<number>
  updated_at: Timestamp
}

/** An agency's 复核 decision on a title. */
export interface TitleReviewsTable {
  id: Generated<number>
  title_id: number
  agency_org_id: number
  outcome: TitleReviewOutcome
  downgraded_to: Optional<GradientTitle>
  reason: ColumnType<string, string | undefined, string>
  /** YYYY-MM-DD: the day it took effect. */
  decided_on: string
  decided_by: number
  /** downgraded: the lower title the decision gave the enterprise. */
  new_title_id: Optional<number>
  created_at: Timestamp
}

/** An agency's 服务券 scheme (decision 016). */
export interface VoucherSchemesTable {
  id: Generated<number>
  agency_org_id: number
  name: string
  /** The document the scheme cites. */
  document: string
  /** YYYY-MM-DD. */
  valid_from: string
  valid_to: string
  yearly_budget_wan_x100: number
  max_share_pct: number
  max_per_voucher_wan_x100: number
  created_by: number
  created_at: Timestamp
}

/** Per scheme and year: the amount live vouchers commit (≤ the yearly budget). */
export interface VoucherBudgetsTable {
  scheme_id: number
  year: number
  committed_wan_x100: ColumnType<number, number | undefined, number>
}

/** A 服务券 for a supervised contract. */
export interface VouchersTable {
  id: Generated<number>
  scheme_id: number
  agency_org_id: number
  contract_id: number
  enterprise_org_id: number
  provider_org_id: number
  supervisor_org_id: number
  region_code: string
  year: number
  amount_wan_x100: number
  status: VoucherStatus
  /** JSON: the accepted milestones' ids the provider cites as stage evidence. */
  evidence_milestones: string
  evidence_note: ColumnType<string, string | undefined, string>
  released_wan_x100: Optional<number>
  released_ref: ColumnType<string, string | undefined, string>
  /** YYYY-MM-DD. */
  released_on: Optional<string>
  issued_by: number
  issued_at: Timestamp
  updated_at: Timestamp
}

/** One transition of a voucher (its timeline). */
export interface VoucherEventsTable {
  id: Generated<number>
  voucher_id: number
  action: VoucherAction
  from_status: Optional<VoucherStatus>
  to_status: VoucherStatus
  actor_user_id: number
  actor_org_id: number
  note: ColumnType<string, string | undefined, string>
  created_at: Timestamp
}

export interface QualificationExpiryFlagsTable {
  id: Generated<number>
  qualification_id: number
  org_id: number
  valid_until: string
  flagged_at: Timestamp
}

export interface DB {
  regions: RegionsTable
  industries: IndustriesTable
  scenarios: ScenariosTable
  organisations: OrganisationsTable
  org_status_counts: OrgStatusCountsTable
  need_scenario_counts: NeedScenarioCountsTable
  needs: NeedsTable
  need_scenarios: NeedScenariosTable
  search_outbox: SearchOutboxTable
  search_index_versions: SearchIndexVersionsTable
  users: UsersTable
  memberships: MembershipsTable
  sessions: SessionsTable
  invitations: InvitationsTable
  audit_log: AuditLogTable
  rate_limit_events: RateLimitEventsTable
  app_secrets: AppSecretsTable
  one_time_codes: OneTimeCodesTable
  message_outbox: MessageOutboxTable
  sign_in_guards: SignInGuardsTable
  known_devices: KnownDevicesTable
  audit_counters: AuditCountersTable
  job_leases: JobLeasesTable
  provider_profiles: ProviderProfilesTable
  provider_industries: ProviderIndustriesTable
  provider_scenarios: ProviderScenariosTable
  provider_regions: ProviderRegionsTable
  provider_qualifications: ProviderQualificationsTable
  provider_cases: ProviderCasesTable
  case_scenarios: CaseScenariosTable
  case_metrics: CaseMetricsTable
  files: FilesTable
  contract_templates: ContractTemplatesTable
  contract_template_scenarios: ContractTemplateScenariosTable
  contract_template_versions: ContractTemplateVersionsTable
  consortia: ConsortiaTable
  consortium_members: ConsortiumMembersTable
  exchange_ids: ExchangeIdsTable
  enterprise_profiles: EnterpriseProfilesTable
  enterprise_titles: EnterpriseTitlesTable
  diagnoses: DiagnosesTable
  diagnosis_report_versions: DiagnosisReportVersionsTable
  diagnosis_weaknesses: DiagnosisWeaknessesTable
  diagnosis_recommendations: DiagnosisRecommendationsTable
  diagnosis_service_records: DiagnosisServiceRecordsTable
  diagnosis_surveys: DiagnosisSurveysTable
  matching_weights: MatchingWeightsTable
  need_invitations: NeedInvitationsTable
  saved_searches: SavedSearchesTable
  bids: BidsTable
  bid_shares: BidSharesTable
  notifications: NotificationsTable
  notification_preferences: NotificationPreferencesTable
  bid_messages: BidMessagesTable
  contracts: ContractsTable
  contract_milestones: ContractMilestonesTable
  milestone_submissions: MilestoneSubmissionsTable
  milestone_reviews: MilestoneReviewsTable
  supervision_logs: SupervisionLogsTable
  disputes: DisputesTable
  contract_ratings: ContractRatingsTable
  contract_events: ContractEventsTable
  events: EventsTable
  event_industries: EventIndustriesTable
  event_needs: EventNeedsTable
  event_providers: EventProvidersTable
  event_provider_needs: EventProviderNeedsTable
  experts: ExpertsTable
  event_experts: EventExpertsTable
  event_intents: EventIntentsTable
  event_followups: EventFollowupsTable
  spreadsheet_tasks: SpreadsheetTasksTable
  spreadsheet_task_files: SpreadsheetTaskFilesTable
  spreadsheet_task_issues: SpreadsheetTaskIssuesTable
  spreadsheet_task_rows: SpreadsheetTaskRowsTable
  pool_rounds: PoolRoundsTable
  pool_quotas: PoolQuotasTable
  pool_applications: PoolApplicationsTable
  pool_reviews: PoolReviewsTable
  pool_objections: PoolObjectionsTable
  pool_memberships: PoolMembershipsTable
  event_meeting_settings: EventMeetingSettingsTable
  event_meeting_days: EventMeetingDaysTable
  event_meeting_availability: EventMeetingAvailabilityTable
  event_meetings: EventMeetingsTable
  event_meeting_bookings: EventMeetingBookingsTable
  event_meeting_outcomes: EventMeetingOutcomesTable
  event_visit_slots: EventVisitSlotsTable
  event_visit_bookings: EventVisitBookingsTable
  event_review_criteria: EventReviewCriteriaTable
  event_review_ties: EventReviewTiesTable
  event_review_sheets: EventReviewSheetsTable
  event_review_scores: EventReviewScoresTable
  event_review_publications: EventReviewPublicationsTable
  target_plans: TargetPlansTable
  district_targets: DistrictTargetsTable
  target_actual_entries: TargetActualEntriesTable
  target_work_items: TargetWorkItemsTable
  target_adjustments: TargetAdjustmentsTable
  evaluation_schemes: EvaluationSchemesTable
  evaluation_dimensions: EvaluationDimensionsTable
  evaluation_judgements: EvaluationJudgementsTable
  evaluation_results: EvaluationResultsTable
  evaluation_result_scores: EvaluationResultScoresTable
  evaluation_appeals: EvaluationAppealsTable
  provider_sanctions: ProviderSanctionsTable
  qualification_expiry_flags: QualificationExpiryFlagsTable
  self_assessments: SelfAssessmentsTable
  gradient_answers: GradientAnswersTable
  title_reviews: TitleReviewsTable
  voucher_schemes: VoucherSchemesTable
  voucher_budgets: VoucherBudgetsTable
  vouchers: VouchersTable
  voucher_events: VoucherEventsTable
}

export type Region = Selectable<RegionsTable>
export type Industry = Selectable<IndustriesTable>
export type Scenario = Selectable<ScenariosTable>
export type Organisation = Selectable<OrganisationsTable>
export type NewOrganisation = Insertable<OrganisationsTable>
export type NeedRow = Selectable<NeedsTable>
export type NewNeed = Insertable<NeedsTable>
export type NeedUpdate = Updateable<NeedsTable>
export type User = Selectable<UsersTable>
export type Membership = Selectable<MembershipsTable>
export type SessionRow = Selectable<SessionsTable>
export type AuditLogRow = Selectable<AuditLogTable>
