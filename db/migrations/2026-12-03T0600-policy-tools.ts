import { sql, type Kysely } from 'kysely'
import { day, dt, oneOf, optionalIntBetween, text, textBetween, ts, withId } from './builders.js'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Policy tools (issue 16, DOMAIN.md §3 and §7, seeds 001 and 003):
// - self_assessments: one row per completed self-assessment (自评估) of an enterprise, kept
//   for its history: kind sme_digital (中小企业数字化水平测评: 基础 / 经营 / 管理 / 成效) or
//   maturity (GB/T 39116 智能制造能力成熟度); the questionnaire's id and version; the answers
//   (JSON: question id → option id), the total score (0–100), the level it gives (1–5) and
//   the score per dimension (JSON). Never updated: a new assessment is a new row.
// - gradient_answers: the 梯度自评 questionnaire's answers of an enterprise (JSON: fact key →
//   value) for what the archive lacks (PDM, ERP, 代表产线投资, 安全环保记录, 覆盖环节 …);
//   revision: a stale form is refused. Its history is the audit log.
// - enterprise_titles gains reward_wan_x100: the reward received for the title (万元 × 100),
//   which the cumulative caps deduct; null: none recorded.
// - title_reviews: an agency's 复核 decision on a title in its jurisdiction: passed (the
//   title's validity is extended), downgraded (to a lower title, which the enterprise then
//   holds) or revoked; with the reason and the day it took effect.

const KINDS = ['sme_digital', 'maturity']
const TITLES = ['excellent_scenario', 'basic', 'advanced', 'excellence', 'leading']
const OUTCOMES = ['passed', 'downgraded', 'revoked']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const real = isPostgres(db) ? 'double precision' : 'real'

  await withId(db, db.schema.createTable('self_assessments'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('kind', 'text', oneOf('kind', KINDS))
    .addColumn('questionnaire', 'text', textBetween(1, 60, 'questionnaire'))
    .addColumn('answers', 'text', textBetween(2, 20000, 'answers'))
    .addColumn('score', real, (c) => c.notNull().check(sql`score between 0 and 100`))
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 1 and 5`))
    .addColumn('dimensions', 'text', textBetween(2, 4000, 'dimensions'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('self_assessments_org_idx').on('self_assessments').columns(['org_id', 'kind', 'id']).execute()

  await db.schema
    .createTable('gradient_answers')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('answers', 'text', textBetween(2, 4000, 'answers'))
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()

  await db.schema
    .alterTable('enterprise_titles')
    .addColumn('reward_wan_x100', 'integer', optionalIntBetween('reward_wan_x100', 0, 100_000_000))
    .execute()

  await withId(db, db.schema.createTable('title_reviews'))
    .addColumn('title_id', 'integer', (c) => c.notNull().references('enterprise_titles.id').onDelete('cascade'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('outcome', 'text', oneOf('outcome', OUTCOMES))
    .addColumn('downgraded_to', 'text', oneOf('downgraded_to', TITLES, true))
    .addColumn('reason', 'text', text(1000, 'reason'))
    .addColumn('decided_on', dt(db), day(db, 'decided_on', true))
    .addColumn('decided_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addCheckConstraint('title_reviews_downgrade', sql`(outcome = 'downgraded') = (downgraded_to is not null)`)
    .execute()
  await db.schema.createIndex('title_reviews_title_idx').on('title_reviews').columns(['title_id', 'id']).execute()
  await db.schema.createIndex('title_reviews_agency_idx').on('title_reviews').columns(['agency_org_id', 'decided_on']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('title_reviews').execute()
  await db.schema.alterTable('enterprise_titles').dropColumn('reward_wan_x100').execute()
  await db.schema.dropTable('gradient_answers').execute()
  await db.schema.dropTable('self_assessments').execute()
}
