import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import type { SearchEngine } from './engine.js'
import { createFts5Engine } from './fts5-engine.js'
import { createMeilisearchEngine } from './meilisearch-engine.js'
import { createPgEngine } from './pg-engine.js'

export * from './engine.js'

export type SearchEngineConfig =
  | { kind: 'sqlite'; sqlite: BetterSqlite3.Database }
  | { kind: 'meilisearch'; url: string; apiKey?: string; indexPrefix: string }
  /** PostgreSQL's full-text search, in the app's database (Kysely on the Postgres dialect). */
  | { kind: 'postgres'; db: Kysely<DB> }

export function createSearchEngine(config: SearchEngineConfig): SearchEngine {
  switch (config.kind) {
    case 'sqlite':
      return createFts5Engine(config.sqlite)
    case 'meilisearch':
      return createMeilisearchEngine({ url: config.url, apiKey: config.apiKey, indexPrefix: config.indexPrefix })
    case 'postgres':
      return createPgEngine(config.db)
  }
}
