import type { Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// The project pool (项目培育库, issue 16 §6, app/domain/project-pool/pool.server.ts) counts a
// jurisdiction's needs and budgets by target level. needs_region_status_idx has no
// target_level nor budgets, so each count read every need's (wide) row: 1.5 s for a
// province of 50 000 needs at 100 000 on SQLite. Covering (region, status, level,
// published_at, budgets) the counts read the index alone (README, 项目培育库: the numbers).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('needs_region_level_idx')
    .on('needs')
    .columns(['region_code', 'status', 'target_level', 'published_at', 'budget_min_wan', 'budget_max_wan'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_region_level_idx').execute()
}
