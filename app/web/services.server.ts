import { createDb, type Database } from '../../db/connection.js'
import type { SearchEngine } from '../../search/engine.js'
import { createIndexer, type Indexer } from '../../search/indexer.js'
import { onSearchOutboxCommitted } from '../../search/outbox.js'
import { SEARCH_TYPES } from '../domain/search-types.server.js'
import { getEnv } from '../utils/env.server.js'
import { searchEngineFromEnv } from './search-engine.server.js'

export interface AppServices {
  db: Database
  search: SearchEngine
  /** Applies the search outbox; subscribed to every commit that enqueues a change. */
  indexer: Indexer
}

interface Connection {
  db: Database
  search: SearchEngine
}

// One connection per process (SQLite has one writer), kept on globalThis so a
// re-imported build does not open a second.
declare global {
  var __duijie: Connection | undefined
}

function open(): Connection {
  const env = getEnv()
  const { db, sqlite } = createDb(env.DATABASE_PATH)
  return { db, search: searchEngineFromEnv(env, sqlite) }
}

// Per module instance, unlike the connection: a re-imported build has its own
// outbox listeners and document builders, so it builds and subscribes its own indexer.
let current: AppServices | undefined

export function services(): AppServices {
  if (!current) {
    globalThis.__duijie ??= open()
    const { db, search } = globalThis.__duijie
    const indexer = createIndexer(db, search, SEARCH_TYPES)
    // A use case that enqueued a search change (withTransaction + enqueue…) gets
    // the index updated right after its commit, before it returns: the next request
    // sees the change. A failure is logged and the outbox rows wait for the next flush.
    onSearchOutboxCommitted(() => indexer.processOutbox())
    current = { db, search, indexer }
  }
  return current
}
