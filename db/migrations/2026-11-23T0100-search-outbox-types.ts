import { sql, type Kysely, type RawBuilder } from 'kysely'

// Frozen: this migration must never import application code.
// The outbox becomes generic: any indexed entity type (needs now; providers, cases,
// contract templates later) may be queued. Which types exist is decided by the
// app's registry of indexed types, not by the schema; the indexer logs and drops
// rows of a type it does not know, so they cannot block the queue. SQLite cannot
// alter a CHECK, so the table is rebuilt (it has no indexes or references).

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, sql`entity_type <> '' and entity_type not glob '*[^a-z_]*' and length(entity_type) <= 64`)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('search_outbox').where('entity_type', '<>', 'need').execute()
  await rebuild(db, sql`entity_type in ('need')`)
}

async function rebuild(db: Kysely<any>, check: RawBuilder<unknown>): Promise<void> {
  await db.schema
    .createTable('search_outbox_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity_type', 'text', (c) => c.notNull().check(check))
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await sql`insert into search_outbox_next (id, entity_type, entity_id, created_at)
            select id, entity_type, entity_id, created_at from search_outbox`.execute(db)
  await db.schema.dropTable('search_outbox').execute()
  await db.schema.alterTable('search_outbox_next').renameTo('search_outbox').execute()
}
