import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './types.js'

export type Database = Kysely<DB>

export interface OpenOptions {
  readonly?: boolean
}

/**
 * Opens the SQLite file with the pragmas the app relies on.
 *
 * - WAL so readers never block the single writer.
 * - synchronous=NORMAL: with WAL this is durable across application crashes and
 *   only risks the last transactions on power loss, which is the usual trade for
 *   a web app (FULL would fsync on every commit).
 * - foreign_keys=ON: SQLite leaves them off by default; our invariants need them.
 * - busy_timeout so a second process (CLI, indexer) waits instead of failing.
 */
export function openSqlite(file: string, options: OpenOptions = {}): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new SQLite(file, { readonly: options.readonly ?? false })
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('cache_size = -32000')
  sqlite.pragma('temp_store = MEMORY')
  return sqlite
}

export function createDb(file: string, options: OpenOptions = {}): { db: Database; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file, options)
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, sqlite }
}
