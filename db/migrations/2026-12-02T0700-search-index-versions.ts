import type { Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED); times are timestamptz on PostgreSQL as in its baseline.
//
// Which shape of documents each search index was last rebuilt with (IndexedType's
// documentVersion, search/indexer.ts): start-up rebuilds an index whose documents are
// of another version, so a change to what documents hold reaches every installation
// without anyone remembering `npm run search:reindex`.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_index_versions')
    .addColumn('index_name', 'text', (c) => c.primaryKey())
    .addColumn('document_version', 'integer', (c) => c.notNull())
    .addColumn('rebuilt_at', isPostgres(db) ? 'timestamptz' : 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_index_versions').execute()
}
