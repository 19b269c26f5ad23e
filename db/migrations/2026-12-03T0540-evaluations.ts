import { sql, type Kysely } from 'kysely'
import {
  day,
  dt,
  flag,
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
// Provider evaluation (供应商评价, issue 15 §4; Gansu 2020 §四.4; docs/decisions/012-evaluation.md):
// - evaluation_schemes: an agency's scheme for one year (one per agency per year). status:
//   draft (dimensions editable) → published (fixed; judgements entered, results computed);
//   results_published_at: the results are public to the providers (and matching reads
//   them); appeal_until: the last day a provider may appeal. Tier thresholds on 0–100:
//   total ≥ preferred_min → 优先推荐, total < excluded_below → 不再推荐, else 正常.
// - evaluation_dimensions: 经营力, 技术力 … with a weight (the weights sum to 100 when
//   published), the platform metric it is computed from ('none' = judgement only) and the
//   share of the agency's judgement in it (100 when the metric is 'none').
// - evaluation_judgements: the agency's score 0–100 per dimension per provider.
// - evaluation_results: per provider: total (hundredths of a point), the tier computed and
//   the tier in force (an upheld appeal changes the latter).
// - evaluation_result_scores: each dimension's metric value, judgement and score.
// - evaluation_appeals: one per result (申诉 once), pending → upheld | dismissed.
// - provider_sanctions: the ladder warning → rectification (rectify_by) → removal, per
//   agency and provider; one active sanction per level (partial unique index); lifted
//   ones stay as history. pool_removed: removal took the provider out of the agency's pool.
// - qualification_expiry_flags: a provider qualification seen expired by the job (once
//   per qualification and validity date: a renewed one that expires again is flagged again).

const TIERS = ['preferred', 'normal', 'excluded']
const METRICS = ['none', 'ratings', 'supervision', 'on_time', 'disputes', 'indicators']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await withId(db, db.schema.createTable('evaluation_schemes'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('year', 'integer', intBetween('year', 2000, 2100))
    .addColumn('title', 'text', textBetween(2, 120, 'title'))
    .addColumn('description', 'text', text(2000, 'description'))
    .addColumn('preferred_min', 'integer', intBetween('preferred_min', 1, 100, 85))
    .addColumn('excluded_below', 'integer', intBetween('excluded_below', 0, 99, 60))
    .addColumn('status', 'text', oneOfDefault('status', ['draft', 'published'], 'draft'))
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('published_at', t)
    .addColumn('computed_at', t)
    .addColumn('results_published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('results_published_at', t)
    .addColumn('appeal_until', d, day(db, 'appeal_until'))
    .addColumn('revision', 'integer', intBetween('revision', 1, 1_000_000, 1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addUniqueConstraint('evaluation_schemes_uq', ['agency_org_id', 'year'])
    .addCheckConstraint('evaluation_schemes_thresholds_ck', sql`preferred_min > excluded_below`)
    .execute()

  await withId(db, db.schema.createTable('evaluation_dimensions'))
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('evaluation_schemes.id').onDelete('cascade'))
    .addColumn('position', 'integer', intBetween('position', 1, 12))
    .addColumn('name', 'text', textBetween(1, 30, 'name'))
    .addColumn('description', 'text', text(500, 'description'))
    .addColumn('weight', 'integer', intBetween('weight', 1, 100))
    .addColumn('metric', 'text', oneOf('metric', METRICS))
    .addColumn('judgement_percent', 'integer', intBetween('judgement_percent', 0, 100))
    .addUniqueConstraint('evaluation_dimensions_uq', ['scheme_id', 'position'])
    .addCheckConstraint('evaluation_dimensions_source_ck', sql`metric <> 'none' or judgement_percent = 100`)
    .execute()

  await db.schema
    .createTable('evaluation_judgements')
    .addColumn('dimension_id', 'integer', (c) => c.notNull().references('evaluation_dimensions.id').onDelete('cascade'))
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('evaluation_schemes.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('score', 'integer', intBetween('score', 0, 100))
    .addColumn('scored_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('scored_at', t, (c) => c.notNull())
    .addPrimaryKeyConstraint('evaluation_judgements_pk', ['dimension_id', 'provider_org_id'])
    .execute()
  await db.schema
    .createIndex('evaluation_judgements_scheme_idx')
    .on('evaluation_judgements')
    .columns(['scheme_id', 'provider_org_id'])
    .execute()

  await withId(db, db.schema.createTable('evaluation_results'))
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('evaluation_schemes.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('total_x100', 'integer', intBetween('total_x100', 0, 10_000))
    .addColumn('computed_tier', 'text', oneOf('computed_tier', TIERS))
    .addColumn('tier', 'text', oneOf('tier', TIERS))
    .addColumn('computed_at', t, (c) => c.notNull())
    .addUniqueConstraint('evaluation_results_uq', ['scheme_id', 'provider_org_id'])
    .execute()
  await db.schema
    .createIndex('evaluation_results_provider_idx')
    .on('evaluation_results')
    .columns(['provider_org_id', 'scheme_id'])
    .execute()
  await db.schema
    .createIndex('evaluation_results_order_idx')
    .on('evaluation_results')
    .columns(['scheme_id', 'total_x100'])
    .execute()

  await db.schema
    .createTable('evaluation_result_scores')
    .addColumn('result_id', 'integer', (c) => c.notNull().references('evaluation_results.id').onDelete('cascade'))
    .addColumn('dimension_id', 'integer', (c) => c.notNull().references('evaluation_dimensions.id').onDelete('cascade'))
    .addColumn('metric_x100', 'integer', optionalIntBetween('metric_x100', 0, 10_000))
    .addColumn('records', 'integer', intBetween('records', 0, 1_000_000_000, 0))
    .addColumn('judgement', 'integer', optionalIntBetween('judgement', 0, 100))
    .addColumn('score_x100', 'integer', intBetween('score_x100', 0, 10_000))
    .addPrimaryKeyConstraint('evaluation_result_scores_pk', ['result_id', 'dimension_id'])
    .execute()

  await withId(db, db.schema.createTable('evaluation_appeals'))
    .addColumn('result_id', 'integer', (c) => c.notNull().references('evaluation_results.id').onDelete('cascade'))
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('evaluation_schemes.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('reason', 'text', textBetween(5, 1000, 'reason'))
    .addColumn('status', 'text', oneOfDefault('status', ['pending', 'upheld', 'dismissed'], 'pending'))
    .addColumn('decision', 'text', text(1000, 'decision'))
    .addColumn('new_tier', 'text', oneOf('new_tier', TIERS, true))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', t)
    .addUniqueConstraint('evaluation_appeals_uq', ['result_id'])
    .execute()
  await db.schema
    .createIndex('evaluation_appeals_scheme_idx')
    .on('evaluation_appeals')
    .columns(['scheme_id', 'status', 'id'])
    .execute()

  await withId(db, db.schema.createTable('provider_sanctions'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('level', 'text', oneOf('level', ['warning', 'rectification', 'removal']))
    .addColumn('reason', 'text', textBetween(2, 1000, 'reason'))
    .addColumn('rectify_by', d, day(db, 'rectify_by'))
    .addColumn('status', 'text', oneOfDefault('status', ['active', 'lifted'], 'active'))
    .addColumn('pool_removed', flagType(db), flag('pool_removed'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('lifted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('lifted_at', t)
    .addColumn('lift_reason', 'text', text(500, 'lift_reason'))
    .addCheckConstraint('provider_sanctions_deadline_ck', sql`level <> 'rectification' or rectify_by is not null`)
    .execute()
  await db.schema
    .createIndex('provider_sanctions_active_uq')
    .on('provider_sanctions')
    .columns(['agency_org_id', 'provider_org_id', 'level'])
    .unique()
    .where(sql<boolean>`status = 'active'`)
    .execute()
  await db.schema
    .createIndex('provider_sanctions_agency_idx')
    .on('provider_sanctions')
    .columns(['agency_org_id', 'status', 'id'])
    .execute()
  await db.schema
    .createIndex('provider_sanctions_provider_idx')
    .on('provider_sanctions')
    .columns(['provider_org_id', 'status'])
    .execute()

  await withId(db, db.schema.createTable('qualification_expiry_flags'))
    .addColumn('qualification_id', 'integer', (c) => c.notNull().references('provider_qualifications.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('valid_until', d, day(db, 'valid_until', true))
    .addColumn('flagged_at', t, (c) => c.notNull())
    .addUniqueConstraint('qualification_expiry_flags_uq', ['qualification_id', 'valid_until'])
    .execute()
  await db.schema
    .createIndex('qualification_expiry_flags_org_idx')
    .on('qualification_expiry_flags')
    .columns(['org_id', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'qualification_expiry_flags',
    'provider_sanctions',
    'evaluation_appeals',
    'evaluation_result_scores',
    'evaluation_results',
    'evaluation_judgements',
    'evaluation_dimensions',
    'evaluation_schemes',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
