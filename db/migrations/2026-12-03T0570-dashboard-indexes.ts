import type { Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// The agency dashboard (issue 15 §6, app/domain/dashboard/dashboard.server.ts) counts a
// jurisdiction's needs by status, industry and scenario for a year. Without this index
// each count read every need's row (wide: title, description): 0.7–1 s apiece at
// 100 000 needs on SQLite. Covering (region, status, published_at, industry) the counts
// by status and industry read the index alone, and the scenario counts join
// need_scenarios' primary key from it (README, 数据看板: the measurements).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('needs_region_status_idx')
    .on('needs')
    .columns(['region_code', 'status', 'published_at', 'industry_code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_region_status_idx').execute()
}
