import type BetterSqlite3 from 'better-sqlite3'
import type { Database } from '../../db/connection.js'
import { createSearchEngine } from '../../search/index.js'
import type { SearchEngine } from '../../search/engine.js'
import { EnvError, type Env } from '../utils/env.server.js'

export type SearchEnv = Pick<Env, 'SEARCH_ENGINE' | 'MEILI_URL' | 'MEILI_API_KEY' | 'MEILI_INDEX_PREFIX'>

/** The app's database as db/open.ts opened it: the better-sqlite3 handle on SQLite, null on PostgreSQL. */
export interface SearchDatabase {
  db: Database
  sqlite: BetterSqlite3.Database | null
}

/**
 * The search engine the configuration names: SQLite's FTS5 on the app's own
 * connection (the default on SQLite), PostgreSQL's full-text search in the app's
 * PostgreSQL database (the default there), or Meilisearch at MEILI_URL. The one place
 * that reads these settings: the web app, `npm start`'s preparation, the seed and the
 * reindex CLIs all build their engine here.
 */
export function searchEngineFromEnv(env: SearchEnv, database: SearchDatabase): SearchEngine {
  switch (env.SEARCH_ENGINE) {
    case 'meilisearch':
      // parseEnv already refuses this; kept so a hand-built Env cannot fall back silently.
      if (!env.MEILI_URL) throw new EnvError('SEARCH_ENGINE=meilisearch 时必须设置 MEILI_URL')
      return createSearchEngine({
        kind: 'meilisearch',
        url: env.MEILI_URL,
        apiKey: env.MEILI_API_KEY,
        indexPrefix: env.MEILI_INDEX_PREFIX,
      })
    case 'postgres':
      if (database.sqlite) throw new EnvError('SEARCH_ENGINE=postgres 需要 PostgreSQL 数据库（DATABASE_URL）')
      return createSearchEngine({ kind: 'postgres', db: database.db })
    case 'sqlite':
      if (!database.sqlite) {
        throw new EnvError('SEARCH_ENGINE=sqlite 需要 SQLite 数据库；使用 PostgreSQL 时请选 postgres 或 meilisearch')
      }
      return createSearchEngine({ kind: 'sqlite', sqlite: database.sqlite })
  }
}
