import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Bids (方案, issue 14 §1):
// - bids: one provider's offer on a published need. provider_org_id is the bidder (a
//   consortium's lead when consortium_id is set). The price is kept as an integer of
//   hundredths of 万元 (`price_wan_x100`: 12.34 万元 = 1234), so both dialects compare
//   and sum it exactly: > 0 and ≤ 1 000 000 万元. template_version_id: the contract
//   template version proposed (its own or an official one); it is only referenced here,
//   the award marks it in use. status: submitted | withdrawn, and the later steps
//   shortlisted | rejected | awarded (award slice). revision: optimistic edits.
//   One live bid (any status but withdrawn) per (need, provider): a partial unique
//   index, so a race of two submissions leaves one and the other gets a violation.
// - bid_shares: the consortium's split frozen with the bid (a copy of its members'
//   scope and share at submission; shares sum to 100, checked by the use case).
// Attachments are `files` rows (purpose bid_attachment, object_type 'bid').

type Table = CreateTableBuilder<string, string>

function withId(db: Kysely<any>, table: Table): Table {
  return table.addColumn('id', 'integer', (c) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  )
}

function text(max: number, name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo('')
      .check(sql`length(${sql.ref(name)}) <= ${sql.lit(max)}`)
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = isPostgres(db) ? 'timestamptz' : 'text'

  await withId(db, db.schema.createTable('bids'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('consortium_id', 'integer', (c) => c.references('consortia.id'))
    .addColumn('price_wan_x100', 'integer', (c) => c.notNull().check(sql`price_wan_x100 between 1 and 100000000`))
    .addColumn('duration_days', 'integer', (c) => c.notNull().check(sql`duration_days between 1 and 3650`))
    .addColumn('plan', 'text', text(20000, 'plan'))
    .addColumn('template_version_id', 'integer', (c) => c.references('contract_template_versions.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('submitted')
        .check(sql`status in ('submitted', 'withdrawn', 'shortlisted', 'rejected', 'awarded')`),
    )
    .addColumn('status_reason', 'text', text(500, 'status_reason'))
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('withdrawn_at', t)
    .execute()
  await db.schema
    .createIndex('bids_one_live_uq')
    .on('bids')
    .columns(['need_id', 'provider_org_id'])
    .unique()
    .where(sql<boolean>`status <> 'withdrawn'`)
    .execute()
  await db.schema.createIndex('bids_need_idx').on('bids').columns(['need_id', 'id']).execute()
  await db.schema.createIndex('bids_provider_idx').on('bids').columns(['provider_org_id', 'status', 'id']).execute()

  await db.schema
    .createTable('bid_shares')
    .addColumn('bid_id', 'integer', (c) => c.notNull().references('bids.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'member')`))
    .addColumn('scope', 'text', text(200, 'scope'))
    .addColumn('share_percent', 'integer', (c) => c.notNull().check(sql`share_percent between 1 and 100`))
    .addPrimaryKeyConstraint('bid_shares_pk', ['bid_id', 'org_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bid_shares').execute()
  await db.schema.dropTable('bids').execute()
}
