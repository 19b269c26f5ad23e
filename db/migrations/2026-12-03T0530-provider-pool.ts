import { sql, type Kysely } from 'kysely'
import {
  day,
  dt,
  flagType,
  intBetween,
  oneOf,
  oneOfDefault,
  optionalIntBetween,
  text,
  textBetween,
  ts,
  withId,
} from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// An agency's provider pool (服务商资源池, issue 15 §4): admission per category by
// application → expert review → public notice (公示, with objections) → admission.
// - pool_rounds: an admission round of one agency for one category (a provider kind:
//   equipment | it_engineering | integrator | consultancy | supervisor). status: open
//   (providers apply until apply_until) | closed (no more applications; the queue is
//   still decided).
// - pool_quotas: an optional quota per sub-industry (GB/T 4754 division) of a round.
//   admitted counts the admissions of that round in that sub-industry; admission
//   raises it with a conditional update (admitted < quota), so two parallel admissions
//   never exceed the quota; the CHECK is the last guard.
// - pool_applications: a provider's application to a round (one per round), for one
//   sub-industry, with a statement. status: submitted → reviewing (experts assigned)
//   → notice (公示 until notice_until, a date ≥ 5 days after it started) → admitted |
//   rejected; withdrawn by the provider before admission.
// - pool_reviews: the experts (of the agency's 专家库, `experts`) assigned to review an
//   application: score 0–100, opinion, recommend (0/1) once reviewed; tie_declared_at
//   when the expert declares a tie to the applicant (then excluded: never counted).
// - pool_objections: objections filed during 公示 by anyone signed in. status: open →
//   upheld (the application is rejected) | dismissed. An open objection blocks admission.
// - pool_memberships: admitted providers (one per application) with admitted_on and
//   valid_until (one year); status active | removed (removed_* say who, when, why: the
//   移出 sanction of the evaluation calls it).

const CATEGORIES = ['equipment', 'it_engineering', 'integrator', 'consultancy', 'supervisor']
const APPLICATION_STATUSES = ['submitted', 'reviewing', 'notice', 'admitted', 'rejected', 'withdrawn']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await withId(db, db.schema.createTable('pool_rounds'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('category', 'text', oneOf('category', CATEGORIES))
    .addColumn('title', 'text', textBetween(2, 120, 'title'))
    .addColumn('description', 'text', text(2000, 'description'))
    .addColumn('apply_until', d, day(db, 'apply_until', true))
    .addColumn('status', 'text', oneOfDefault('status', ['open', 'closed'], 'open'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('pool_rounds_agency_idx').on('pool_rounds').columns(['agency_org_id', 'id']).execute()
  await db.schema.createIndex('pool_rounds_status_idx').on('pool_rounds').columns(['status', 'apply_until']).execute()

  await db.schema
    .createTable('pool_quotas')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('pool_rounds.id').onDelete('cascade'))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addColumn('quota', 'integer', intBetween('quota', 1, 10_000))
    .addColumn('admitted', 'integer', intBetween('admitted', 0, 10_000, 0))
    .addPrimaryKeyConstraint('pool_quotas_pk', ['round_id', 'industry_code'])
    .addCheckConstraint('pool_quotas_within_ck', sql`admitted <= quota`)
    .execute()

  await withId(db, db.schema.createTable('pool_applications'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('pool_rounds.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addColumn('statement', 'text', textBetween(1, 2000, 'statement'))
    .addColumn('status', 'text', oneOf('status', APPLICATION_STATUSES))
    .addColumn('notice_from', d, day(db, 'notice_from'))
    .addColumn('notice_until', d, day(db, 'notice_until'))
    .addColumn('reason', 'text', text(500, 'reason'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', t)
    .addUniqueConstraint('pool_applications_uq', ['round_id', 'provider_org_id'])
    .addCheckConstraint('pool_applications_notice_ck', sql`notice_until is null or notice_until >= notice_from`)
    .execute()
  await db.schema
    .createIndex('pool_applications_round_idx')
    .on('pool_applications')
    .columns(['round_id', 'status', 'id'])
    .execute()
  await db.schema
    .createIndex('pool_applications_provider_idx')
    .on('pool_applications')
    .columns(['provider_org_id', 'id'])
    .execute()
  await db.schema
    .createIndex('pool_applications_notice_idx')
    .on('pool_applications')
    .columns(['status', 'notice_until'])
    .execute()

  await withId(db, db.schema.createTable('pool_reviews'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('pool_applications.id').onDelete('cascade'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('experts.id'))
    .addColumn('score', 'integer', optionalIntBetween('score', 0, 100))
    .addColumn('opinion', 'text', text(2000, 'opinion'))
    .addColumn('recommend', flagType(db), optionalIntBetween('recommend', 0, 1))
    .addColumn('reviewed_at', t)
    .addColumn('tie_declared_at', t)
    .addColumn('tie_note', 'text', text(500, 'tie_note'))
    .addColumn('assigned_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_at', t, (c) => c.notNull())
    .addUniqueConstraint('pool_reviews_uq', ['application_id', 'expert_id'])
    .addCheckConstraint('pool_reviews_done_ck', sql`reviewed_at is null or (score is not null and recommend is not null)`)
    .execute()
  await db.schema.createIndex('pool_reviews_expert_idx').on('pool_reviews').columns(['expert_id', 'id']).execute()

  await withId(db, db.schema.createTable('pool_objections'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('pool_applications.id').onDelete('cascade'))
    .addColumn('filed_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', textBetween(5, 2000, 'reason'))
    .addColumn('status', 'text', oneOfDefault('status', ['open', 'upheld', 'dismissed'], 'open'))
    .addColumn('decision_note', 'text', text(500, 'decision_note'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', t)
    .addUniqueConstraint('pool_objections_uq', ['application_id', 'filed_by'])
    .execute()
  await db.schema
    .createIndex('pool_objections_application_idx')
    .on('pool_objections')
    .columns(['application_id', 'status'])
    .execute()

  await withId(db, db.schema.createTable('pool_memberships'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('pool_rounds.id'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('pool_applications.id'))
    .addColumn('category', 'text', oneOf('category', CATEGORIES))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addColumn('admitted_on', d, day(db, 'admitted_on', true))
    .addColumn('valid_until', d, day(db, 'valid_until', true))
    .addColumn('status', 'text', oneOfDefault('status', ['active', 'removed'], 'active'))
    .addColumn('admitted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('removed_at', t)
    .addColumn('removed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('removed_reason', 'text', text(500, 'removed_reason'))
    .addUniqueConstraint('pool_memberships_uq', ['application_id'])
    .addCheckConstraint('pool_memberships_dates_ck', sql`valid_until >= admitted_on`)
    .execute()
  await db.schema
    .createIndex('pool_memberships_provider_idx')
    .on('pool_memberships')
    .columns(['provider_org_id', 'status'])
    .execute()
  await db.schema
    .createIndex('pool_memberships_agency_idx')
    .on('pool_memberships')
    .columns(['agency_org_id', 'status', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'pool_memberships',
    'pool_objections',
    'pool_reviews',
    'pool_applications',
    'pool_quotas',
    'pool_rounds',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
