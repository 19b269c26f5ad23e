import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AgencyLevel, MemberRole, MembershipStatus, OrgKind, OrgStatus } from './enums.js'

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

export interface DB {
  regions: RegionsTable
  industries: IndustriesTable
  scenarios: ScenariosTable
  organisations: OrganisationsTable
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
