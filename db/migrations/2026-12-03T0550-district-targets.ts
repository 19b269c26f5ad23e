import type { Kysely } from 'kysely'
import { day, dt, flag, flagType, intBetween, oneOf, oneOfDefault, text, textBetween, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// District targets and their scoring (issue 15 §5; seed 001 附件2 扬州市制造业“智改数转”评分细则):
// - target_plans: one agency's (a city 工信局's) targets of one year for the districts below
//   it (the 评分对象: counties, districts and functional zones). region_code: the agency's
//   region when the plan was made. revision: optimistic edits of the targets.
// - district_targets: the target of one district for one metric: smart_retrofit 智能化改造项目,
//   cloud 上云用数项目, diagnosis 数字画像诊断项目, benchmark 数字标杆创建项目 (counts), coverage
//   规上企业“智改数转”覆盖率 (a whole percentage 0–100).
// - target_actual_entries: actuals an agency over the district enters with evidence for what
//   the platform cannot count (上云用数 — 星级上云认定 —, projects done off the platform). They
//   add to the platform's count of the metric; coverage is never entered. withdrawn_at: struck out.
// - target_work_items: 工作推进“五个一” per district: task_force 工作专班, action_plan 行动计划,
//   subsidy_policy 奖补政策, activities 系列推进活动, industry_chain 一条重点产业链“一库一图一方案”;
//   done (5 points) with evidence.
// - target_adjustments: 加、减分项 with evidence: national_funded / provincial_funded 资金类项目
//   (+1 / +0.5), national_recognised / provincial_recognised 认定类项目 (+0.3 / +0.2),
//   commendation 省级以上表彰 (+0.2), late_task 未及时完成省、市工作 (−0.2). subject names the two
//   kinds the seed excludes from bonuses (star_cloud 星级上云: not a provincial bonus;
//   integration_standard 两化融合贯标: not a national one); the scoring shows them unscored.

const METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark', 'coverage']
const ENTERED_METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark']
const WORK_ITEMS = ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain']
const ADJUSTMENTS = [
  'national_funded',
  'provincial_funded',
  'national_recognised',
  'provincial_recognised',
  'commendation',
  'late_task',
]
const SUBJECTS = ['other', 'star_cloud', 'integration_standard']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await withId(db, db.schema.createTable('target_plans'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('year', 'integer', intBetween('year', 2000, 2100))
    .addColumn('note', 'text', text(1000, 'note'))
    .addColumn('revision', 'integer', intBetween('revision', 1, 1_000_000, 1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .addUniqueConstraint('target_plans_agency_year_uq', ['agency_org_id', 'year'])
    .execute()
  await db.schema.createIndex('target_plans_region_idx').on('target_plans').columns(['region_code', 'year']).execute()

  await db.schema
    .createTable('district_targets')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('target_plans.id').onDelete('cascade'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('metric', 'text', oneOf('metric', METRICS))
    .addColumn('target', 'integer', intBetween('target', 0, 100_000))
    .addPrimaryKeyConstraint('district_targets_pk', ['plan_id', 'region_code', 'metric'])
    .execute()

  await withId(db, db.schema.createTable('target_actual_entries'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('target_plans.id').onDelete('cascade'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('metric', 'text', oneOf('metric', ENTERED_METRICS))
    .addColumn('quantity', 'integer', intBetween('quantity', 1, 10_000))
    .addColumn('evidence', 'text', textBetween(2, 1000, 'evidence'))
    .addColumn('entered_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('entered_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('withdrawn_by', 'integer', (c) => c.references('users.id'))
    .addColumn('withdrawn_at', t)
    .execute()
  await db.schema
    .createIndex('target_actual_entries_district_idx')
    .on('target_actual_entries')
    .columns(['plan_id', 'region_code', 'metric'])
    .execute()

  await db.schema
    .createTable('target_work_items')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('target_plans.id').onDelete('cascade'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('item', 'text', oneOf('item', WORK_ITEMS))
    .addColumn('done', flagType(db), flag('done'))
    .addColumn('evidence', 'text', text(1000, 'evidence'))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .addPrimaryKeyConstraint('target_work_items_pk', ['plan_id', 'region_code', 'item'])
    .execute()

  await withId(db, db.schema.createTable('target_adjustments'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('target_plans.id').onDelete('cascade'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('kind', 'text', oneOf('kind', ADJUSTMENTS))
    .addColumn('subject', 'text', oneOfDefault('subject', SUBJECTS, 'other'))
    .addColumn('title', 'text', textBetween(2, 200, 'title'))
    .addColumn('evidence', 'text', text(1000, 'evidence'))
    .addColumn('occurred_on', d, day(db, 'occurred_on', true))
    .addColumn('entered_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('entered_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('withdrawn_by', 'integer', (c) => c.references('users.id'))
    .addColumn('withdrawn_at', t)
    .execute()
  await db.schema
    .createIndex('target_adjustments_district_idx')
    .on('target_adjustments')
    .columns(['plan_id', 'region_code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['target_adjustments', 'target_work_items', 'target_actual_entries', 'district_targets', 'target_plans']) {
    await db.schema.dropTable(table).execute()
  }
}
