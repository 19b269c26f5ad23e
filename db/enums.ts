/*
 * The enumerations the schema's CHECK constraints hold, defined once: the row types
 * below (db/types.ts) and the domain's zod schemas and labels (app/domain/orgs/schema.ts
 * re-exports them) are derived from these lists. Migrations are frozen and spell their
 * CHECKs out; tests/integration compares them with these lists.
 */
export const ORG_KINDS = ['enterprise', 'provider', 'agency'] as const
export type OrgKind = (typeof ORG_KINDS)[number]

export const ORG_STATUSES = ['pending', 'verified', 'rejected'] as const
export type OrgStatus = (typeof ORG_STATUSES)[number]

export const AGENCY_LEVELS = ['province', 'city', 'county'] as const
export type AgencyLevel = (typeof AGENCY_LEVELS)[number]

/**
 * Roles of a membership. Enterprises and providers have owners and members; agencies
 * have owners, reviewers (decide applications) and viewers (read only).
 */
export const MEMBER_ROLES = ['owner', 'member', 'reviewer', 'viewer'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]
export const AGENCY_ROLES = ['owner', 'reviewer', 'viewer'] as const satisfies readonly MemberRole[]
export const COMPANY_ROLES = ['owner', 'member'] as const satisfies readonly MemberRole[]

/** A membership is pending until an owner confirms it (joining an agency), then active. */
export const MEMBERSHIP_STATUSES = ['pending', 'active'] as const
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number]

// ---- Enterprises and diagnosis (issue 12, DOMAIN.md §3–§5) ----

/** 企业规模 (GB 工业企业划型): large, medium, small, micro. */
export const SIZE_BANDS = ['large', 'medium', 'small', 'micro'] as const
export type SizeBand = (typeof SIZE_BANDS)[number]

/** 营业收入 bands in 万元: < 2000 (below 规上), 2000–1亿, 1–4亿, 4–20亿, ≥ 20亿. */
export const REVENUE_BANDS = ['lt_2k', '2k_10k', '10k_40k', '40k_200k', 'ge_200k'] as const
export type RevenueBand = (typeof REVENUE_BANDS)[number]

/** 从业人员 bands: < 20, 20–299, 300–999, ≥ 1000. */
export const STAFF_BANDS = ['lt_20', '20_299', '300_999', 'ge_1000'] as const
export type StaffBand = (typeof STAFF_BANDS)[number]

/** 智能工厂梯度 titles, lowest first (DOMAIN.md §3). */
export const GRADIENT_TITLES = ['excellent_scenario', 'basic', 'advanced', 'excellence', 'leading'] as const
export type GradientTitle = (typeof GRADIENT_TITLES)[number]

/** A title is held until it expires, is downgraded at review, or is revoked. */
export const TITLE_STATUSES = ['held', 'downgraded', 'revoked'] as const
export type TitleStatus = (typeof TITLE_STATUSES)[number]

/** 诊断类型: 产业链, 智能工厂 (incl. 工业互联网标杆工厂), 智能车间, 数字化应用. */
export const DIAGNOSIS_KINDS = ['chain', 'factory', 'workshop', 'digital_app'] as const
export type DiagnosisKind = (typeof DIAGNOSIS_KINDS)[number]

/**
 * A diagnosis project (诊断项目): proposed by a provider (the enterprise accepts or
 * declines), or active at once when the enterprise chose the diagnoser or an agency
 * assigned it; completed when a report version is confirmed; cancelled by either side
 * before that.
 */
export const DIAGNOSIS_STATUSES = ['proposed', 'active', 'completed', 'declined', 'cancelled'] as const
export type DiagnosisStatus = (typeof DIAGNOSIS_STATUSES)[number]

export const DIAGNOSIS_ORIGINS = ['enterprise', 'provider', 'agency'] as const
export type DiagnosisOrigin = (typeof DIAGNOSIS_ORIGINS)[number]

/**
 * A report version: the diagnoser drafts and submits; the enterprise's owner confirms
 * (签字盖章) or returns it (back to draft, with a reason). A confirmed version is
 * read-only; an amendment is the next version, and confirming it supersedes the last.
 */
export const REPORT_STATUSES = ['draft', 'submitted', 'confirmed', 'superseded'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]

export const SEVERITIES = ['high', 'medium', 'low'] as const
export type Severity = (typeof SEVERITIES)[number]

/** 考勤: 现场诊断, 培训, 汇报 (to the enterprise's head). */
export const SERVICE_RECORD_KINDS = ['site_visit', 'training', 'briefing'] as const
export type ServiceRecordKind = (typeof SERVICE_RECORD_KINDS)[number]

/** The satisfaction survey's item grades (seed 002): 很好 / 较好 / 一般 / 较差. */
export const SURVEY_GRADES = ['very_good', 'good', 'fair', 'poor'] as const
export type SurveyGrade = (typeof SURVEY_GRADES)[number]

/** Its overall verdict: 满意 / 比较满意 / 不满意. */
export const SURVEY_OVERALLS = ['satisfied', 'fairly_satisfied', 'dissatisfied'] as const
export type SurveyOverall = (typeof SURVEY_OVERALLS)[number]

/** A contract (issue 14 §3): draft until both sides confirm, then active until completed or terminated. */
export const CONTRACT_STATUSES = ['draft', 'active', 'completed', 'terminated'] as const
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]

/** A payment milestone: pending → submitted → accepted | rejected (→ submitted again). */
export const MILESTONE_STATUSES = ['pending', 'submitted', 'accepted', 'rejected'] as const
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number]

/** Who decides a milestone: the enterprise, and the supervisor where one is appointed. */
export const REVIEW_SIDES = ['enterprise', 'supervisor'] as const
export type ReviewSide = (typeof REVIEW_SIDES)[number]
export const REVIEW_DECISIONS = ['accepted', 'rejected'] as const
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number]

/** 监理日志 judgements. */
export const QUALITY_JUDGEMENTS = ['good', 'acceptable', 'poor'] as const
export type QualityJudgement = (typeof QUALITY_JUDGEMENTS)[number]
export const SCHEDULE_JUDGEMENTS = ['ahead', 'on_track', 'behind'] as const
export type ScheduleJudgement = (typeof SCHEDULE_JUDGEMENTS)[number]

/** 纠纷: open until the supervisor or an agency resolves it (or its opener withdraws it). */
export const DISPUTE_STATUSES = ['open', 'resolved', 'withdrawn'] as const
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number]
export const DISPUTE_OUTCOMES = ['continue', 'terminate'] as const
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number]
export const DISPUTE_FAULTS = ['enterprise', 'provider', 'none'] as const
export type DisputeFault = (typeof DISPUTE_FAULTS)[number]
export const CONTRACT_SIDES = ['enterprise', 'provider'] as const
export type ContractSide = (typeof CONTRACT_SIDES)[number]

/** Who rates on a contract: the enterprise (the provider), the provider (the enterprise), the supervisor (delivery). */
export const RATING_SIDES = ['enterprise', 'provider', 'supervisor'] as const
export type RatingSide = (typeof RATING_SIDES)[number]

/** Matchmaking events (2026-12-03T0500-events). */
export const EVENT_STAGES = [
  'draft',
  'needs_call',
  'provider_call',
  'site_visits',
  'proposal_review',
  'intents',
  'follow_up',
  'closed',
  'cancelled',
] as const
export type EventStage = (typeof EVENT_STAGES)[number]
export const EVENT_MODES = ['onsite', 'online', 'hybrid'] as const
export type EventMode = (typeof EVENT_MODES)[number]
export const EVENT_NEED_SOURCES = ['agency', 'enterprise'] as const
export type EventNeedSource = (typeof EVENT_NEED_SOURCES)[number]
export const EVENT_NEED_STATUSES = ['applied', 'listed', 'rejected', 'withdrawn'] as const
export type EventNeedStatus = (typeof EVENT_NEED_STATUSES)[number]
export const EVENT_PROVIDER_STATUSES = ['applied', 'approved', 'rejected', 'withdrawn'] as const
export type EventProviderStatus = (typeof EVENT_PROVIDER_STATUSES)[number]
export const FOLLOWUP_DAYS = [30, 90, 180] as const
export type FollowupDays = (typeof FOLLOWUP_DAYS)[number]
export const FOLLOWUP_OUTCOMES = ['contracted', 'negotiating', 'dropped'] as const
export type FollowupOutcome = (typeof FOLLOWUP_OUTCOMES)[number]

/** Provider pool (2026-12-03T0530-provider-pool). A round's category is a provider kind. */
export const POOL_CATEGORIES = ['equipment', 'it_engineering', 'integrator', 'consultancy', 'supervisor'] as const
export type PoolCategory = (typeof POOL_CATEGORIES)[number]
export const POOL_ROUND_STATUSES = ['open', 'closed'] as const
export type PoolRoundStatus = (typeof POOL_ROUND_STATUSES)[number]
export const POOL_APPLICATION_STATUSES = ['submitted', 'reviewing', 'notice', 'admitted', 'rejected', 'withdrawn'] as const
export type PoolApplicationStatus = (typeof POOL_APPLICATION_STATUSES)[number]
export const POOL_OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const
export type PoolObjectionStatus = (typeof POOL_OBJECTION_STATUSES)[number]
export const POOL_MEMBERSHIP_STATUSES = ['active', 'removed'] as const
export type PoolMembershipStatus = (typeof POOL_MEMBERSHIP_STATUSES)[number]
/** 1:1 meetings during an event (2026-12-03T0520-event-meetings). */
export const MEETING_SIDES = ['enterprise', 'provider'] as const
export type MeetingSide = (typeof MEETING_SIDES)[number]
export const MEETING_STATUSES = ['requested', 'accepted', 'declined', 'cancelled', 'scheduled'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]
export const MEETING_OUTCOMES = ['intent', 'continue', 'none'] as const
export type MeetingOutcome = (typeof MEETING_OUTCOMES)[number]

/** Provider evaluation (2026-12-03T0540-evaluations). Tier names are matching's ProviderTier. */
export const EVALUATION_TIERS = ['preferred', 'normal', 'excluded'] as const
export type EvaluationTier = (typeof EVALUATION_TIERS)[number]
export const EVALUATION_METRICS = ['none', 'ratings', 'supervision', 'on_time', 'disputes', 'indicators'] as const
export type EvaluationMetric = (typeof EVALUATION_METRICS)[number]
export const EVALUATION_SCHEME_STATUSES = ['draft', 'published'] as const
export type EvaluationSchemeStatus = (typeof EVALUATION_SCHEME_STATUSES)[number]
export const APPEAL_STATUSES = ['pending', 'upheld', 'dismissed'] as const
export type AppealStatus = (typeof APPEAL_STATUSES)[number]
export const SANCTION_LEVELS = ['warning', 'rectification', 'removal'] as const
export type SanctionLevel = (typeof SANCTION_LEVELS)[number]
export const SANCTION_STATUSES = ['active', 'lifted'] as const
export type SanctionStatus = (typeof SANCTION_STATUSES)[number]

/** District targets and scoring (2026-12-03T0550-district-targets; seed 001 附件2). */
export const TARGET_METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark', 'coverage'] as const
export type TargetMetric = (typeof TARGET_METRICS)[number]
/** The metrics an agency may add entered actuals (with evidence) to; coverage is only counted. */
export const ENTERED_TARGET_METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark'] as const
export type EnteredTargetMetric = (typeof ENTERED_TARGET_METRICS)[number]
/** 工作推进“五个一”. */
export const TARGET_WORK_ITEMS = ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'] as const
export type TargetWorkItem = (typeof TARGET_WORK_ITEMS)[number]
/** 加、减分项. */
export const TARGET_ADJUSTMENT_KINDS = [
  'national_funded',
  'provincial_funded',
  'national_recognised',
  'provincial_recognised',
  'commendation',
  'late_task',
] as const
export type TargetAdjustmentKind = (typeof TARGET_ADJUSTMENT_KINDS)[number]
/** What a bonus is about, for the seed's two exclusions. */
export const TARGET_ADJUSTMENT_SUBJECTS = ['other', 'star_cloud', 'integration_standard'] as const
export type TargetAdjustmentSubject = (typeof TARGET_ADJUSTMENT_SUBJECTS)[number]

// ---- Policy tools (issue 16, DOMAIN.md §3 and §7) ----

/** 自评估: 中小企业数字化水平测评 (基础 / 经营 / 管理 / 成效) and GB/T 39116 智能制造能力成熟度. */
export const SELF_ASSESSMENT_KINDS = ['sme_digital', 'maturity'] as const
export type SelfAssessmentKind = (typeof SELF_ASSESSMENT_KINDS)[number]

/** An agency's 复核 of a title: passed (validity extended), downgraded, revoked. */
export const TITLE_REVIEW_OUTCOMES = ['passed', 'downgraded', 'revoked'] as const
export type TitleReviewOutcome = (typeof TITLE_REVIEW_OUTCOMES)[number]

/** 服务券 (issue 16 §5, decision 016): a voucher's status and the steps of its timeline. */
export const VOUCHER_STATUSES = ['issued', 'submitted', 'signed_off', 'confirmed', 'released', 'cancelled'] as const
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number]
export const VOUCHER_ACTIONS = [
  'issued',
  'submitted',
  'signed_off',
  'signoff_rejected',
  'confirmed',
  'disputed',
  'released',
  'cancelled',
] as const
export type VoucherAction = (typeof VOUCHER_ACTIONS)[number]
