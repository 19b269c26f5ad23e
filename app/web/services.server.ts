import path from 'node:path'
import type { Database } from '../../db/connection.js'
import { openDatabase, type OpenedDatabase } from '../../db/open.js'
import type { SearchEngine } from '../../search/engine.js'
import { createIndexer, type Indexer } from '../../search/indexer.js'
import { onSearchOutboxCommitted } from '../../search/outbox.js'
import { SEARCH_TYPES } from '../domain/search-types.server.js'
import { getEnv, type Env } from '../utils/env.server.js'
import { createFileStorage, type FileStorage } from '../utils/storage.server.js'
import { searchEngineFromEnv } from './search-engine.server.js'

export interface AppServices {
  db: Database
  search: SearchEngine
  /** Applies the search outbox; subscribed to every commit that enqueues a change. */
  indexer: Indexer
  /** Uploaded files' bytes (app/domain/files): FILES_DIR, by default data/files. */
  storage: FileStorage
}

/** Where uploads are kept: FILES_DIR, else `files/` in the folder of the SQLite file (the data directory). */
export function filesDir(env: Pick<Env, 'FILES_DIR' | 'DATABASE_PATH'>): string {
  return path.resolve(env.FILES_DIR ?? path.join(path.dirname(env.DATABASE_PATH), 'files'))
}

interface Connection {
  database: OpenedDatabase
  search: SearchEngine
}

// One connection per process (SQLite has one writer; on PostgreSQL one pool), kept
// on globalThis so a re-imported build does not open a second.
declare global {
  var __duijie: Connection | undefined
}

function open(): Connection {
  const env = getEnv()
  // DATABASE_URL=postgres://… → PostgreSQL, else the SQLite file DATABASE_PATH.
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-web' } })
  return { database, search: searchEngineFromEnv(env, database) }
}

// Per module instance, unlike the connection: a re-imported build has its own
// outbox listeners and document builders, so it builds and subscribes its own indexer.
let current: AppServices | undefined
let unsubscribe: (() => void) | undefined

export function services(): AppServices {
  if (!current) {
    globalThis.__duijie ??= open()
    const { database, search } = globalThis.__duijie
    const { db } = database
    const indexer = createIndexer(db, search, SEARCH_TYPES)
    // A use case that enqueued a search change (withTransaction + enqueue…) gets
    // the index updated right after its commit, before it returns: the next request
    // sees the change. A failure is logged and the outbox rows wait for the next flush.
    unsubscribe = onSearchOutboxCommitted(() => indexer.processOutbox())
    current = { db, search, indexer, storage: createFileStorage(filesDir(getEnv())) }
  }
  return current
}

/**
 * Closes the process's connection (the PostgreSQL pool, the SQLite handle): for a
 * test file's end and a graceful shutdown. services() would open a new one.
 */
export async function closeServices(): Promise<void> {
  const connection = globalThis.__duijie
  globalThis.__duijie = undefined
  current = undefined
  unsubscribe?.()
  unsubscribe = undefined
  await connection?.database.close()
}
