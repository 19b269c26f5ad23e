import { sql, type Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// One live need per weakness of a diagnosis report (issue 12): the use case checks it
// first (needs.e.weaknessTaken, with a link to the need), and this index settles a race
// of two submissions — the second gets a unique violation, answered as that same 409.
// Withdrawn and expired needs do not count: the weakness may be published again.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_source_weakness_idx').execute()
  await db.schema
    .createIndex('needs_live_weakness_uq')
    .on('needs')
    .column('source_weakness_id')
    .unique()
    .where(sql<boolean>`source_weakness_id is not null and status not in ('withdrawn', 'expired')`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_live_weakness_uq').execute()
  await db.schema.createIndex('needs_source_weakness_idx').on('needs').column('source_weakness_id').execute()
}
