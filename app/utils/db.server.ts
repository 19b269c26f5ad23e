import { createDb, type Database } from '../../db/connection.js'
import { createSearchEngine } from '../../search/index.js'
import type { SearchEngine } from '../../search/engine.js'
import { processOutbox } from '../../search/indexer.js'
import { getEnv } from './env.server.js'

interface AppServices {
  db: Database
  search: SearchEngine
}

// One connection per process (SQLite has one writer), kept on globalThis so a
// re-imported build does not open a second.
declare global {
  var __duijie: AppServices | undefined
}

function open(): AppServices {
  const env = getEnv()
  const { db, sqlite } = createDb(env.DATABASE_PATH)
  const search = createSearchEngine(
    env.SEARCH_ENGINE === 'meilisearch'
      ? { kind: 'meilisearch', url: env.MEILI_URL!, apiKey: env.MEILI_API_KEY, indexPrefix: env.MEILI_INDEX_PREFIX }
      : { kind: 'sqlite', sqlite },
  )
  return { db, search }
}

export function services(): AppServices {
  globalThis.__duijie ??= open()
  return globalThis.__duijie
}

/**
 * Applies committed changes to the search index. Called after a write commits; a
 * failure is logged and the outbox rows wait for the next call, so nothing is lost.
 */
export async function flushSearchOutbox(): Promise<void> {
  const { db, search } = services()
  try {
    await processOutbox(db, search)
  } catch (error) {
    console.error('search indexing failed; the outbox keeps the changes', error)
  }
}
