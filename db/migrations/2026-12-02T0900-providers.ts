import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// The supply side (issue 11, DOMAIN.md §2 and §4):
// - provider_profiles: a provider organisation's 能力画像 beyond what `organisations`
//   holds (kinds, contact and description stay there, audited at onboarding), with the
//   industries, scenarios and regions it serves in their own tables so the directory,
//   the capability map and matching can filter and count them by index.
// - provider_qualifications: 资质 with issuer and validity.
// - provider_cases (+ case_scenarios, case_metrics): 案例 with structured results; a
//   case is 自述 until a contract completed on the platform verifies it.
// - files: every upload (case images now; diagnosis attachments, milestone evidence
//   later), stored by the app's FileStorage under a random key, owned by one
//   organisation and attached to one object whose rules decide who may read it.
// - contract_templates (+ scenarios, versions): 标准合同; an agency's are official
//   (官方范本), a provider's may derive from one. A version used by a bid or contract
//   is frozen (in_use = 1): editing the template then makes a new version.
// - consortia (+ members): 总承包 + 分包; members confirm before the consortium may bid.

type Table = CreateTableBuilder<string, string>

function ts(db: Kysely<any>): 'timestamptz' | 'text' {
  return isPostgres(db) ? 'timestamptz' : 'text'
}

/** A surrogate key: identity on PostgreSQL (as its baseline), autoincrement on SQLite. */
function withId(db: Kysely<any>, table: Table): Table {
  return table.addColumn('id', 'integer', (c) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  )
}

/** A calendar date: PostgreSQL's date type; SQLite text that must be a real date. */
function dateColumn(db: Kysely<any>, table: Table, name: string, notNull = false): Table {
  const col = (c: ColumnDefinitionBuilder) => {
    const typed = isPostgres(db) ? c : c.check(sql`${sql.ref(name)} is null or date(${sql.ref(name)}) = ${sql.ref(name)}`)
    return notNull ? typed.notNull() : typed
  }
  return table.addColumn(name, isPostgres(db) ? 'date' : 'text', col)
}

/** A JSON array: jsonb on PostgreSQL, text holding JSON on SQLite, checked to be an array on both. */
function jsonArrayColumn(db: Kysely<any>, table: Table, name: string): Table {
  return isPostgres(db)
    ? table.addColumn(name, 'jsonb', (c) =>
        c
          .notNull()
          .defaultTo(sql`'[]'::jsonb`)
          .check(sql`jsonb_typeof(${sql.ref(name)}) = 'array'`),
      )
    : table.addColumn(name, 'text', (c) =>
        c
          .notNull()
          .defaultTo('[]')
          .check(sql`json_valid(${sql.ref(name)}) and json_type(${sql.ref(name)}) = 'array'`),
      )
}

function flag(c: ColumnDefinitionBuilder, name: string): ColumnDefinitionBuilder {
  return c
    .notNull()
    .defaultTo(0)
    .check(sql`${sql.ref(name)} in (0, 1)`)
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const flagType = isPostgres(db) ? 'smallint' : 'integer'
  const real = isPostgres(db) ? 'double precision' : 'real'

  await db.schema
    .createTable('provider_profiles')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('team_size', 'integer', (c) => c.check(sql`team_size is null or team_size between 1 and 1000000`))
    .addColumn('founded_year', 'integer', (c) => c.check(sql`founded_year is null or founded_year between 1900 and 2100`))
    .addColumn('nationwide', flagType, (c) => flag(c, 'nationwide'))
    .addColumn('website', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(website) <= 200`),
    )
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .execute()

  for (const [table, column, ref] of [
    ['provider_industries', 'industry_code', 'industries.code'],
    ['provider_scenarios', 'scenario_code', 'scenarios.code'],
    ['provider_regions', 'region_code', 'regions.code'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn(column, 'text', (c) => c.notNull().references(ref))
      .addPrimaryKeyConstraint(`${table}_pk`, ['org_id', column])
      .execute()
    await db.schema.createIndex(`${table}_${column}_idx`).on(table).columns([column, 'org_id']).execute()
  }

  let qualifications = withId(db, db.schema.createTable('provider_qualifications'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 2 and 60`))
    .addColumn('issuer', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(issuer) <= 60`),
    )
    .addColumn('certificate_no', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(certificate_no) <= 60`),
    )
  qualifications = dateColumn(db, qualifications, 'valid_from')
  qualifications = dateColumn(db, qualifications, 'valid_until')
  await qualifications
    .addColumn('created_at', t, (c) => c.notNull())
    .addCheckConstraint(
      'provider_qualifications_validity',
      sql`valid_until is null or valid_from is null or valid_until >= valid_from`,
    )
    .execute()
  await db.schema
    .createIndex('provider_qualifications_org_idx')
    .on('provider_qualifications')
    .columns(['org_id', 'name'])
    .execute()

  await withId(db, db.schema.createTable('provider_cases'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(trim(title)) between 4 and 80`))
    .addColumn('client_name', 'text', (c) => c.notNull().check(sql`length(trim(client_name)) between 2 and 60`))
    .addColumn('client_anonymised', flagType, (c) => flag(c, 'client_anonymised'))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    .addColumn('investment_wan', 'integer', (c) => c.check(sql`investment_wan is null or investment_wan between 0 and 10000000`))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 1990 and 2100`))
    .addColumn('summary', 'text', (c) => c.notNull().check(sql`length(summary) between 1 and 4000`))
    .addColumn('verified_contract_id', 'integer')
    .addColumn('verified_at', t)
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addCheckConstraint('provider_cases_verified', sql`(verified_contract_id is null) = (verified_at is null)`)
    .execute()
  await db.schema.createIndex('provider_cases_org_idx').on('provider_cases').columns(['org_id', 'year']).execute()
  await db.schema.createIndex('provider_cases_industry_idx').on('provider_cases').columns(['industry_code', 'org_id']).execute()

  await db.schema
    .createTable('case_scenarios')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('provider_cases.id').onDelete('cascade'))
    .addColumn('scenario_code', 'text', (c) => c.notNull().references('scenarios.code'))
    .addPrimaryKeyConstraint('case_scenarios_pk', ['case_id', 'scenario_code'])
    .execute()
  await db.schema.createIndex('case_scenarios_scenario_idx').on('case_scenarios').columns(['scenario_code', 'case_id']).execute()

  await withId(db, db.schema.createTable('case_metrics'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('provider_cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 1 and 20`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 1 and 40`))
    .addColumn('before_value', real)
    .addColumn('after_value', real, (c) => c.notNull())
    .addColumn('unit', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(unit) <= 16`),
    )
    .addUniqueConstraint('case_metrics_seq_uq', ['case_id', 'seq'])
    .execute()

  await withId(db, db.schema.createTable('files'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('preview_key', 'text')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`length(purpose) between 1 and 40`))
    .addColumn('object_type', 'text', (c) => c.notNull().check(sql`length(object_type) between 1 and 40`))
    .addColumn('object_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('mime', 'text', (c) => c.notNull().check(sql`length(mime) between 3 and 100`))
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('files_object_idx').on('files').columns(['object_type', 'object_id']).execute()
  await db.schema.createIndex('files_org_idx').on('files').columns(['org_id', 'purpose']).execute()

  await withId(db, db.schema.createTable('contract_templates'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('is_official', flagType, (c) => flag(c, 'is_official'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(trim(title)) between 4 and 80`))
    .addColumn('industry_code', 'text', (c) => c.references('industries.code'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'archived')`),
    )
    .addColumn('current_version', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`current_version >= 1`),
    )
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('contract_templates_org_idx').on('contract_templates').columns(['org_id', 'status']).execute()
  await db.schema
    .createIndex('contract_templates_official_idx')
    .on('contract_templates')
    .columns(['is_official', 'status', 'industry_code'])
    .execute()

  await db.schema
    .createTable('contract_template_scenarios')
    .addColumn('template_id', 'integer', (c) => c.notNull().references('contract_templates.id').onDelete('cascade'))
    .addColumn('scenario_code', 'text', (c) => c.notNull().references('scenarios.code'))
    .addPrimaryKeyConstraint('contract_template_scenarios_pk', ['template_id', 'scenario_code'])
    .execute()

  let versions = withId(db, db.schema.createTable('contract_template_versions'))
    .addColumn('template_id', 'integer', (c) => c.notNull().references('contract_templates.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('derived_from_version_id', 'integer', (c) => c.references('contract_template_versions.id'))
    .addColumn('construction_days', 'integer', (c) => c.notNull().check(sql`construction_days between 1 and 3650`))
  versions = jsonArrayColumn(db, versions, 'technical_standards')
  versions = versions
    .addColumn('acceptance_standards', 'text', (c) => c.notNull().check(sql`length(acceptance_standards) between 1 and 4000`))
    .addColumn('quality_terms', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(quality_terms) <= 4000`),
    )
    .addColumn('warranty_months', 'integer', (c) => c.notNull().check(sql`warranty_months between 0 and 120`))
    .addColumn('price_model', 'text', (c) => c.notNull().check(sql`price_model in ('fixed', 'range', 'quote')`))
    .addColumn('price_min_wan', 'integer', (c) => c.check(sql`price_min_wan is null or price_min_wan >= 0`))
    .addColumn('price_max_wan', 'integer')
  versions = jsonArrayColumn(db, versions, 'milestones')
  await versions
    .addColumn('dispute_clause', 'text', (c) => c.notNull().check(sql`length(dispute_clause) between 1 and 2000`))
    .addColumn('in_use', flagType, (c) => flag(c, 'in_use'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addUniqueConstraint('contract_template_versions_uq', ['template_id', 'version'])
    .addCheckConstraint(
      'contract_template_versions_price',
      sql`price_max_wan is null or price_min_wan is null or price_max_wan >= price_min_wan`,
    )
    .execute()
  await db.schema
    .createIndex('contract_template_versions_derived_idx')
    .on('contract_template_versions')
    .column('derived_from_version_id')
    .execute()

  await withId(db, db.schema.createTable('consortia'))
    .addColumn('lead_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 2 and 80`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('forming')
        .check(sql`status in ('forming', 'ready', 'dissolved')`),
    )
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('consortia_lead_idx').on('consortia').columns(['lead_org_id', 'status']).execute()

  await db.schema
    .createTable('consortium_members')
    .addColumn('consortium_id', 'integer', (c) => c.notNull().references('consortia.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'member')`))
    .addColumn('scope', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(scope) <= 200`),
    )
    .addColumn('share_percent', 'integer', (c) => c.notNull().check(sql`share_percent between 1 and 100`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('invited')
        .check(sql`status in ('invited', 'confirmed', 'declined')`),
    )
    .addColumn('responded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_at', t)
    .addPrimaryKeyConstraint('consortium_members_pk', ['consortium_id', 'org_id'])
    .execute()
  await db.schema.createIndex('consortium_members_org_idx').on('consortium_members').columns(['org_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'consortium_members',
    'consortia',
    'contract_template_scenarios',
    'contract_template_versions',
    'contract_templates',
    'files',
    'case_metrics',
    'case_scenarios',
    'provider_cases',
    'provider_qualifications',
    'provider_regions',
    'provider_scenarios',
    'provider_industries',
    'provider_profiles',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
