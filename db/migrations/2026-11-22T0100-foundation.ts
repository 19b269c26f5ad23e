import { sql, type Kysely } from 'kysely'

// Frozen: this migration must never import application code. Enumerations are
// copied here as they stood on this date; later changes get a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','city','county','zone')`))
    .addColumn('parent_code', 'text', (c) => c.references('regions.code'))
    .execute()
  await db.schema.createIndex('regions_parent_idx').on('regions').column('parent_code').execute()

  await db.schema
    .createTable('industries')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code glob 'C[0-9][0-9]'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(sql`json_valid(tags)`),
    )
    .execute()

  await db.schema
    .createTable('scenarios')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('link', 'text', (c) =>
      c.notNull().check(sql`link in ('factory_build','rd_design','production','production_mgmt','operations_mgmt')`),
    )
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('enterprise','provider','agency')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 2 and 100`))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('needs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(trim(title)) between 4 and 80`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`length(description) <= 5000`))
    .addColumn('industry_code', 'text', (c) => c.notNull().references('industries.code'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('target_level', 'text', (c) =>
      c.notNull().check(sql`target_level in ('smart_line','digital_workshop','smart_factory','future_factory')`),
    )
    .addColumn('budget_min_wan', 'integer', (c) => c.notNull().check(sql`budget_min_wan >= 0`))
    .addColumn('budget_max_wan', 'integer', (c) => c.notNull())
    .addColumn('expected_start', 'text', (c) => c.notNull().check(sql`date(expected_start) = expected_start`))
    .addColumn('duration_months', 'integer', (c) => c.notNull().check(sql`duration_months between 1 and 60`))
    .addColumn('accepts_matching', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`accepts_matching in (0,1)`),
    )
    .addColumn('expected_results', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source_report_id', 'integer')
    .addColumn('source_weakness_id', 'integer')
    .addColumn('visibility', 'text', (c) =>
      c
        .notNull()
        .defaultTo('public')
        .check(sql`visibility in ('public','verified_providers')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft','published','shortlisting','awarded','contracted','closed','withdrawn','expired')`),
    )
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('needs_budget_range', sql`budget_max_wan >= budget_min_wan`)
    .addCheckConstraint('needs_published_at', sql`status = 'draft' or published_at is not null`)
    .execute()
  await db.schema.createIndex('needs_org_idx').on('needs').column('org_id').execute()
  await db.schema.createIndex('needs_status_published_idx').on('needs').columns(['status', 'published_at']).execute()

  await db.schema
    .createTable('need_scenarios')
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id').onDelete('cascade'))
    .addColumn('scenario_code', 'text', (c) => c.notNull().references('scenarios.code'))
    .addPrimaryKeyConstraint('need_scenarios_pk', ['need_id', 'scenario_code'])
    .execute()
  await db.schema.createIndex('need_scenarios_scenario_idx').on('need_scenarios').column('scenario_code').execute()

  // Outbox: written in the same transaction as the entity, applied to the search
  // engine after commit, so the index only ever sees committed state.
  await db.schema
    .createTable('search_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity_type', 'text', (c) => c.notNull().check(sql`entity_type in ('need')`))
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['search_outbox', 'need_scenarios', 'needs', 'organisations', 'scenarios', 'industries', 'regions']) {
    await db.schema.dropTable(t).execute()
  }
}
