import type { Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED): portable schema-builder calls only.
//
// The agency audit queue (issue 8): an agency's queue is the enterprises and
// providers of its jurisdiction, a list of region codes, counted by status and paged
// by status. The only index on those columns led with status
// (organisations_status_idx: status, kind, region_code), so the counts by status
// read every organisation of every region (~6 ms at 30 000 organisations, on every
// load of the page). Leading with the region, they read only the jurisdiction's
// entries, and the total and the page of one status find theirs directly.
//
// Not added: (status, submitted_at) and (status, reviewed_at), which would let the
// page walk one status in date order. Without table statistics SQLite then prefers
// them even for a county with no organisation, walking every organisation of that
// status (13 ms at 100 000 needs); the region index bounds the page by the
// jurisdiction's size instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('organisations_region_kind_status_idx')
    .on('organisations')
    .columns(['region_code', 'kind', 'status'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisations_region_kind_status_idx').execute()
}
