import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// The demand side (issue 12, DOMAIN.md §3–§5, seeds 000 and 002):
// - enterprise_profiles: 一企一档 beyond what `organisations` holds (industry, region and
//   name stay there): size, 规上, revenue and staff bands, the four indicators of the
//   gradient rules, MES coverage and GB/T 39116 maturity. Its history is the audit log
//   (object 'enterprise_profile', detail = the fields changed, before and after).
// - enterprise_titles: 智能工厂梯度 titles held, with dates (issue 16 reads them).
// - diagnoses: a 诊断项目 between an enterprise and a diagnosing provider, of one kind;
//   its report is a series of versions (diagnosis_report_versions) with weaknesses and
//   recommended providers; its service records (考勤) and its one satisfaction survey
//   hang on the project.
// - needs gain a deadline (投标截止: published needs expire after it, on a schedule), a
//   revision (a stale form is refused) and the reason of the last status change.
//   needs.source_report_id names a diagnosis_report_versions row, source_weakness_id a
//   diagnosis_weaknesses row (no foreign keys: SQLite cannot add them to a table).
// - audit_log gains an index by object, for the history pages.

type Table = CreateTableBuilder<string, string>

function ts(db: Kysely<any>): 'timestamptz' | 'text' {
  return isPostgres(db) ? 'timestamptz' : 'text'
}

function withId(db: Kysely<any>, table: Table): Table {
  return table.addColumn('id', 'integer', (c) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  )
}

function dateColumn(db: Kysely<any>, table: Table, name: string, notNull = false): Table {
  const col = (c: ColumnDefinitionBuilder) => {
    const typed = isPostgres(db) ? c : c.check(sql`${sql.ref(name)} is null or date(${sql.ref(name)}) = ${sql.ref(name)}`)
    return notNull ? typed.notNull() : typed
  }
  return table.addColumn(name, isPostgres(db) ? 'date' : 'text', col)
}

function flag(c: ColumnDefinitionBuilder, name: string): ColumnDefinitionBuilder {
  return c
    .notNull()
    .defaultTo(0)
    .check(sql`${sql.ref(name)} in (0, 1)`)
}

function text(max: number, name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo('')
      .check(sql`length(${sql.ref(name)}) <= ${sql.lit(max)}`)
}

function percent(name: string) {
  return (c: ColumnDefinitionBuilder) => c.check(sql`${sql.ref(name)} is null or ${sql.ref(name)} between 0 and 100`)
}

function oneOf(name: string, values: readonly string[], nullable = false) {
  const list = sql.join(values.map((v) => sql.lit(v)))
  return (c: ColumnDefinitionBuilder) =>
    nullable
      ? c.check(sql`${sql.ref(name)} is null or ${sql.ref(name)} in (${list})`)
      : c.notNull().check(sql`${sql.ref(name)} in (${list})`)
}

const GRADES = ['very_good', 'good', 'fair', 'poor']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const flagType = isPostgres(db) ? 'smallint' : 'integer'
  const real = isPostgres(db) ? 'double precision' : 'real'

  let profiles = db.schema
    .createTable('enterprise_profiles')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('size_band', 'text', oneOf('size_band', ['large', 'medium', 'small', 'micro'], true))
    .addColumn('above_scale', flagType, (c) => flag(c, 'above_scale'))
    .addColumn('revenue_band', 'text', oneOf('revenue_band', ['lt_2k', '2k_10k', '10k_40k', '40k_200k', 'ge_200k'], true))
    .addColumn('staff_band', 'text', oneOf('staff_band', ['lt_20', '20_299', '300_999', 'ge_1000'], true))
    .addColumn('main_products', 'text', text(500, 'main_products'))
    .addColumn('rd_tools_pct', real, percent('rd_tools_pct'))
    .addColumn('equipment_nc_pct', real, percent('equipment_nc_pct'))
    .addColumn('key_process_nc_pct', real, percent('key_process_nc_pct'))
    .addColumn('mgmt_digital_pct', real, percent('mgmt_digital_pct'))
    .addColumn('mes_coverage_pct', real, percent('mes_coverage_pct'))
    .addColumn('maturity_level', 'integer', (c) => c.check(sql`maturity_level is null or maturity_level between 1 and 5`))
    .addColumn('indicators_year', 'integer', (c) =>
      c.check(sql`indicators_year is null or indicators_year between 2000 and 2100`),
    )
  profiles = profiles
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
  await profiles.execute()

  let titles = withId(db, db.schema.createTable('enterprise_titles'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('title', 'text', oneOf('title', ['excellent_scenario', 'basic', 'advanced', 'excellence', 'leading']))
    .addColumn('scene', 'text', text(80, 'scene'))
    .addColumn('issuer', 'text', text(60, 'issuer'))
  titles = dateColumn(db, titles, 'awarded_on', true)
  titles = dateColumn(db, titles, 'expires_on')
  await titles
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('held')
        .check(sql`status in ('held', 'downgraded', 'revoked')`),
    )
    .addColumn('created_at', t, (c) => c.notNull())
    .addCheckConstraint('enterprise_titles_dates', sql`expires_on is null or expires_on > awarded_on`)
    .execute()
  await db.schema.createIndex('enterprise_titles_org_idx').on('enterprise_titles').columns(['org_id', 'awarded_on']).execute()
  await db.schema.createIndex('enterprise_titles_title_idx').on('enterprise_titles').columns(['title', 'expires_on']).execute()

  await withId(db, db.schema.createTable('diagnoses'))
    .addColumn('enterprise_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', oneOf('kind', ['chain', 'factory', 'workshop', 'digital_app']))
    .addColumn('status', 'text', oneOf('status', ['proposed', 'active', 'completed', 'declined', 'cancelled']))
    .addColumn('origin', 'text', oneOf('origin', ['enterprise', 'provider', 'agency']))
    .addColumn('assigned_by_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('note', 'text', text(500, 'note'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_at', t)
    .addColumn('completed_at', t)
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addCheckConstraint('diagnoses_parties', sql`enterprise_org_id <> provider_org_id`)
    .addCheckConstraint('diagnoses_assigned', sql`(origin = 'agency') = (assigned_by_org_id is not null)`)
    .execute()
  await db.schema.createIndex('diagnoses_provider_idx').on('diagnoses').columns(['provider_org_id', 'status', 'id']).execute()
  await db.schema.createIndex('diagnoses_enterprise_idx').on('diagnoses').columns(['enterprise_org_id', 'status', 'id']).execute()
  // One live project per enterprise and diagnoser: proposing again while one is open is a conflict.
  await db.schema
    .createIndex('diagnoses_live_uq')
    .on('diagnoses')
    .columns(['enterprise_org_id', 'provider_org_id'])
    .unique()
    .where(sql.ref('status'), 'in', ['proposed', 'active'])
    .execute()

  let versions = withId(db, db.schema.createTable('diagnosis_report_versions'))
    .addColumn('diagnosis_id', 'integer', (c) => c.notNull().references('diagnoses.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'submitted', 'confirmed', 'superseded')`),
    )
    .addColumn('basics', 'text', text(8000, 'basics'))
    .addColumn('solution', 'text', text(20000, 'solution'))
    .addColumn('benchmark_peer', 'text', text(100, 'benchmark_peer'))
    .addColumn('benchmark_notes', 'text', text(2000, 'benchmark_notes'))
    .addColumn('maturity_level', 'integer', (c) => c.check(sql`maturity_level is null or maturity_level between 1 and 5`))
    .addColumn('return_reason', 'text', text(1000, 'return_reason'))
    .addColumn('submitted_at', t)
    .addColumn('confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('confirmed_at', t)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .addUniqueConstraint('diagnosis_report_versions_uq', ['diagnosis_id', 'version'])
  versions = versions.addCheckConstraint(
    'diagnosis_report_versions_confirmed',
    sql`(status in ('confirmed', 'superseded')) = (confirmed_at is not null and confirmed_by is not null)`,
  )
  await versions.execute()
  await db.schema
    .createIndex('diagnosis_report_versions_status_idx')
    .on('diagnosis_report_versions')
    .columns(['status', 'diagnosis_id'])
    .execute()

  await withId(db, db.schema.createTable('diagnosis_weaknesses'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('diagnosis_report_versions.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 1 and 50`))
    .addColumn('scenario_code', 'text', (c) => c.notNull().references('scenarios.code'))
    .addColumn('severity', 'text', oneOf('severity', ['high', 'medium', 'low']))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(trim(title)) between 4 and 80`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`length(description) between 1 and 2000`))
    .addColumn('indicator', 'text', text(40, 'indicator'))
    .addColumn('current_value', 'text', text(40, 'current_value'))
    .addColumn('target_value', 'text', text(40, 'target_value'))
    .addUniqueConstraint('diagnosis_weaknesses_seq_uq', ['version_id', 'seq'])
    .execute()
  await db.schema.createIndex('diagnosis_weaknesses_scenario_idx').on('diagnosis_weaknesses').column('scenario_code').execute()

  await db.schema
    .createTable('diagnosis_recommendations')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('diagnosis_report_versions.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 1 and 20`))
    .addColumn('note', 'text', text(200, 'note'))
    .addPrimaryKeyConstraint('diagnosis_recommendations_pk', ['version_id', 'provider_org_id'])
    .execute()
  await db.schema
    .createIndex('diagnosis_recommendations_provider_idx')
    .on('diagnosis_recommendations')
    .column('provider_org_id')
    .execute()

  let records = withId(db, db.schema.createTable('diagnosis_service_records'))
    .addColumn('diagnosis_id', 'integer', (c) => c.notNull().references('diagnoses.id').onDelete('cascade'))
    .addColumn('kind', 'text', oneOf('kind', ['site_visit', 'training', 'briefing']))
  records = dateColumn(db, records, 'occurred_on', true)
  await records
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes between 1 and 1440`))
    .addColumn('team_size', 'integer', (c) => c.notNull().check(sql`team_size between 1 and 200`))
    .addColumn('leader', 'text', text(40, 'leader'))
    .addColumn('team_members', 'text', text(500, 'team_members'))
    .addColumn('content', 'text', (c) => c.notNull().check(sql`length(content) between 1 and 4000`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('diagnosis_service_records_idx')
    .on('diagnosis_service_records')
    .columns(['diagnosis_id', 'occurred_on'])
    .execute()

  await db.schema
    .createTable('diagnosis_surveys')
    .addColumn('diagnosis_id', 'integer', (c) => c.primaryKey().references('diagnoses.id').onDelete('cascade'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('diagnosis_report_versions.id'))
    .addColumn('process', 'text', oneOf('process', GRADES))
    .addColumn('analysis', 'text', oneOf('analysis', GRADES))
    .addColumn('proposal', 'text', oneOf('proposal', GRADES))
    .addColumn('competence', 'text', oneOf('competence', GRADES))
    .addColumn('result', 'text', oneOf('result', GRADES))
    .addColumn('overall', 'text', oneOf('overall', ['satisfied', 'fairly_satisfied', 'dissatisfied']))
    .addColumn('comment', 'text', text(1000, 'comment'))
    .addColumn('filled_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('filled_at', t, (c) => c.notNull())
    .addColumn('agency_opinion', 'text', text(1000, 'agency_opinion'))
    .addColumn('agency_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('agency_by', 'integer', (c) => c.references('users.id'))
    .addColumn('agency_at', t)
    .addCheckConstraint('diagnosis_surveys_agency', sql`(agency_at is null) = (agency_org_id is null)`)
    .execute()

  // Needs: deadline, revision, reason of the last status change.
  await (
    isPostgres(db)
      ? db.schema.alterTable('needs').addColumn('deadline', 'date')
      : db.schema
          .alterTable('needs')
          .addColumn('deadline', 'text', (c) => c.check(sql`deadline is null or date(deadline) = deadline`))
  ).execute()
  await db.schema
    .alterTable('needs')
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .execute()
  await db.schema
    .alterTable('needs')
    .addColumn('status_reason', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(status_reason) <= 500`),
    )
    .execute()
  await db.schema.createIndex('needs_status_deadline_idx').on('needs').columns(['status', 'deadline']).execute()
  await db.schema.createIndex('needs_org_status_idx').on('needs').columns(['org_id', 'status', 'id']).execute()
  await db.schema.createIndex('needs_source_weakness_idx').on('needs').column('source_weakness_id').execute()

  await db.schema.createIndex('audit_log_object_idx').on('audit_log').columns(['object_type', 'object_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_object_idx').execute()
  await db.schema.dropIndex('needs_source_weakness_idx').execute()
  await db.schema.dropIndex('needs_org_status_idx').execute()
  await db.schema.dropIndex('needs_status_deadline_idx').execute()
  for (const column of ['status_reason', 'revision', 'deadline']) {
    await db.schema.alterTable('needs').dropColumn(column).execute()
  }
  for (const table of [
    'diagnosis_surveys',
    'diagnosis_service_records',
    'diagnosis_recommendations',
    'diagnosis_weaknesses',
    'diagnosis_report_versions',
    'diagnoses',
    'enterprise_titles',
    'enterprise_profiles',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
