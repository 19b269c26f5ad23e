import type { Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED): portable schema-builder calls only.
//
// English names of the reference data (issue 9, item 6): regions (their pinyin, e.g.
// 江苏省 → Jiangsu), the GB/T 4754 manufacturing divisions and the scenarios. They start
// empty; the reference load (seed/reference.ts, run by every `npm start`) fills them,
// and readers fall back to the Chinese name while one is empty.

const TABLES = ['regions', 'industries', 'scenarios'] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).dropColumn('name_en').execute()
  }
}
