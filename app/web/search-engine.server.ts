import type BetterSqlite3 from 'better-sqlite3'
import { createSearchEngine } from '../../search/index.js'
import type { SearchEngine } from '../../search/engine.js'
import { EnvError, type Env } from '../utils/env.server.js'

export type SearchEnv = Pick<Env, 'SEARCH_ENGINE' | 'MEILI_URL' | 'MEILI_API_KEY' | 'MEILI_INDEX_PREFIX'>

/**
 * The search engine the configuration names: the embedded SQLite FTS5 engine on the
 * app's own connection (default), or Meilisearch at MEILI_URL. The one place that
 * reads these settings: the web app, `npm start`'s preparation, the seed and the
 * reindex CLIs all build their engine here.
 */
export function searchEngineFromEnv(env: SearchEnv, sqlite: BetterSqlite3.Database): SearchEngine {
  if (env.SEARCH_ENGINE === 'meilisearch') {
    // parseEnv already refuses this; kept so a hand-built Env cannot fall back silently.
    if (!env.MEILI_URL) throw new EnvError('SEARCH_ENGINE=meilisearch 时必须设置 MEILI_URL')
    return createSearchEngine({
      kind: 'meilisearch',
      url: env.MEILI_URL,
      apiKey: env.MEILI_API_KEY,
      indexPrefix: env.MEILI_INDEX_PREFIX,
    })
  }
  return createSearchEngine({ kind: 'sqlite', sqlite })
}
