import { sql, type Kysely } from 'kysely'
import { day, dt, flag, flagType, intBetween, oneOf, oneOfDefault, text, textBetween, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Matchmaking events (供需对接会, issue 15 §1; Zhejiang 2022 §三(三)) — the core every
// event screen builds on (site visits, proposal review, meetings add their own tables):
// - events: organised by one agency (organiser_org_id) for a region in its jurisdiction.
//   stage: draft → needs_call 需求发榜 → provider_call 服务商征集 → site_visits 现场调研
//   → proposal_review 方案评选 → intents 意向签约 → follow_up 服务跟进 → closed; or
//   cancelled. mode: onsite | online | hybrid. enterprise_applications: enterprises may
//   put their own published needs forward during 需求发榜. revision: optimistic edits.
// - event_industries: the industries (GB/T 4754 divisions) the event is about.
// - event_needs: the batch (发榜). source: 'agency' (selected by the organiser, listed at
//   once) | 'enterprise' (applied, the organiser decides). status: applied → listed |
//   rejected; withdrawn (by the organiser or the enterprise).
// - event_providers: providers registered for the event (征集). status: applied →
//   approved | rejected; withdrawn. event_provider_needs: the needs of the batch a
//   registered provider is interested in (empty = the whole batch).
// - experts: an agency's 智能制造专家库. An expert is a person (users.id) with an account;
//   employer_org_id: the organisation they work for when it is on the platform (a tie:
//   they never judge it). active: still in the library.
// - event_experts: the experts an event's organiser appointed to its 方案评选.
// - event_intents: letters of intent (意向签约) — need, provider, amount (hundredths of
//   万元), signed on; withdrawn_at when the organiser strikes one out.
// - event_followups: 服务跟进 of an intent at 30 / 90 / 180 days after signing: due date,
//   and once recorded, whether a contract happened (contract_id when it is on the
//   platform), its status then, and a note.

const STAGES = [
  'draft',
  'needs_call',
  'provider_call',
  'site_visits',
  'proposal_review',
  'intents',
  'follow_up',
  'closed',
  'cancelled',
]

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await withId(db, db.schema.createTable('events'))
    .addColumn('organiser_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('title', 'text', textBetween(2, 120, 'title'))
    .addColumn('description', 'text', text(4000, 'description'))
    .addColumn('mode', 'text', oneOf('mode', ['onsite', 'online', 'hybrid']))
    .addColumn('venue', 'text', text(200, 'venue'))
    .addColumn('online_url', 'text', text(500, 'online_url'))
    .addColumn('starts_on', d, day(db, 'starts_on', true))
    .addColumn('ends_on', d, day(db, 'ends_on', true))
    .addColumn('stage', 'text', oneOfDefault('stage', STAGES, 'draft'))
    .addColumn('enterprise_applications', flagType(db), flag('enterprise_applications'))
    .addColumn('revision', 'integer', intBetween('revision', 1, 1_000_000, 1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('stage_changed_at', t, (c) => c.notNull())
    .addCheckConstraint('events_dates_ck', sql`ends_on >= starts_on`)
    .execute()
  await db.schema.createIndex('events_organiser_idx').on('events').columns(['organiser_org_id', 'id']).execute()
  await db.schema.createIndex('events_region_idx').on('events').columns(['region_code', 'starts_on']).execute()
  await db.schema.createIndex('events_stage_idx').on('events').columns(['stage', 'starts_on']).execute()

  await db.schema
    .createTable('event_industries')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addPrimaryKeyConstraint('event_industries_pk', ['event_id', 'industry_code'])
    .execute()

  await withId(db, db.schema.createTable('event_needs'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('source', 'text', oneOf('source', ['agency', 'enterprise']))
    .addColumn('status', 'text', oneOf('status', ['applied', 'listed', 'rejected', 'withdrawn']))
    .addColumn('reason', 'text', text(500, 'reason'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', t)
    .addUniqueConstraint('event_needs_uq', ['event_id', 'need_id'])
    .execute()
  await db.schema.createIndex('event_needs_status_idx').on('event_needs').columns(['event_id', 'status', 'id']).execute()
  await db.schema.createIndex('event_needs_need_idx').on('event_needs').column('need_id').execute()

  await withId(db, db.schema.createTable('event_providers'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', oneOf('status', ['applied', 'approved', 'rejected', 'withdrawn']))
    .addColumn('note', 'text', text(1000, 'note'))
    .addColumn('reason', 'text', text(500, 'reason'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', t)
    .addUniqueConstraint('event_providers_uq', ['event_id', 'provider_org_id'])
    .execute()
  await db.schema.createIndex('event_providers_status_idx').on('event_providers').columns(['event_id', 'status', 'id']).execute()
  await db.schema.createIndex('event_providers_org_idx').on('event_providers').column('provider_org_id').execute()

  await db.schema
    .createTable('event_provider_needs')
    .addColumn('event_provider_id', 'integer', (c) => c.notNull().references('event_providers.id').onDelete('cascade'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addPrimaryKeyConstraint('event_provider_needs_pk', ['event_provider_id', 'need_id'])
    .execute()
  await db.schema.createIndex('event_provider_needs_need_idx').on('event_provider_needs').column('need_id').execute()

  await withId(db, db.schema.createTable('experts'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', textBetween(1, 60, 'name'))
    .addColumn('title', 'text', text(60, 'title'))
    .addColumn('employer', 'text', text(120, 'employer'))
    .addColumn('employer_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('fields', 'text', text(500, 'fields'))
    .addColumn('active', flagType(db), (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addUniqueConstraint('experts_uq', ['agency_org_id', 'user_id'])
    .execute()
  await db.schema.createIndex('experts_user_idx').on('experts').column('user_id').execute()

  await db.schema
    .createTable('event_experts')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('experts.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_experts_pk', ['event_id', 'expert_id'])
    .execute()
  await db.schema.createIndex('event_experts_expert_idx').on('event_experts').column('expert_id').execute()

  await withId(db, db.schema.createTable('event_intents'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('amount_wan_x100', 'integer', intBetween('amount_wan_x100', 1, 100_000_000))
    .addColumn('signed_on', d, day(db, 'signed_on', true))
    .addColumn('note', 'text', text(1000, 'note'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('withdrawn_at', t)
    .addColumn('withdrawn_reason', 'text', text(500, 'withdrawn_reason'))
    .addUniqueConstraint('event_intents_uq', ['event_id', 'need_id', 'provider_org_id'])
    .execute()
  await db.schema.createIndex('event_intents_event_idx').on('event_intents').columns(['event_id', 'id']).execute()
  await db.schema.createIndex('event_intents_provider_idx').on('event_intents').column('provider_org_id').execute()

  await withId(db, db.schema.createTable('event_followups'))
    .addColumn('intent_id', 'integer', (c) => c.notNull().references('event_intents.id').onDelete('cascade'))
    .addColumn('after_days', 'integer', (c) => c.notNull().check(sql`after_days in (30, 90, 180)`))
    .addColumn('due_on', d, day(db, 'due_on', true))
    .addColumn('outcome', 'text', oneOf('outcome', ['contracted', 'negotiating', 'dropped'], true))
    .addColumn('contract_id', 'integer', (c) => c.references('contracts.id'))
    .addColumn('contract_status', 'text', text(20, 'contract_status'))
    .addColumn('note', 'text', text(1000, 'note'))
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', t)
    .addUniqueConstraint('event_followups_uq', ['intent_id', 'after_days'])
    .execute()
  await db.schema.createIndex('event_followups_due_idx').on('event_followups').columns(['due_on', 'recorded_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'event_followups',
    'event_intents',
    'event_experts',
    'experts',
    'event_provider_needs',
    'event_providers',
    'event_needs',
    'event_industries',
    'events',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
