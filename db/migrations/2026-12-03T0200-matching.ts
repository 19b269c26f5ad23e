import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Matching (issue 13):
// - matching_weights: the weights of the matching factors an agency set for its own
//   region (one row per region; a need uses the row of the nearest region above it,
//   else the defaults in app/domain/matching/weights.ts). `weights` is JSON
//   { factor: integer weight } checked by the use case (zod), not by the database.
// - need_invitations: pairing actions on a need. kind 'invite' = the enterprise invites
//   a provider from its match list to bid (邀请投标); 'recommend' = an agency recommends
//   a provider to the need (推荐对接) with a note. One of each kind per need and provider.
//   seen_at: when the invited provider first opened it (unread until then).
// - saved_searches: a provider's saved need searches (推荐需求 → 保存搜索). `query` is the
//   JSON of the search form (checked by zod on read); needs published after
//   `checked_until` are new to it: the notify job sends them and moves it on.

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
  const flagType = isPostgres(db) ? 'smallint' : 'integer'

  await db.schema
    .createTable('matching_weights')
    .addColumn('region_code', 'text', (c) => c.primaryKey().references('regions.code'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('weights', 'text', (c) => c.notNull().check(sql`length(weights) <= 2000`))
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('need_invitations'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id').onDelete('cascade'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invite', 'recommend')`))
    .addColumn('note', 'text', text(500, 'note'))
    .addColumn('by_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('seen_at', t)
    .addUniqueConstraint('need_invitations_once', ['need_id', 'provider_org_id', 'kind'])
    .execute()
  await db.schema.createIndex('need_invitations_provider_idx').on('need_invitations').columns(['provider_org_id', 'id']).execute()

  await withId(db, db.schema.createTable('saved_searches'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 60`))
    .addColumn('query', 'text', (c) => c.notNull().check(sql`length(query) <= 2000`))
    .addColumn('notify', flagType, (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`notify in (0, 1)`),
    )
    .addColumn('checked_until', t, (c) => c.notNull())
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('saved_searches_org_idx').on('saved_searches').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('saved_searches_notify_idx').on('saved_searches').columns(['notify', 'checked_until']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saved_searches').execute()
  await db.schema.dropTable('need_invitations').execute()
  await db.schema.dropTable('matching_weights').execute()
}
