import type BetterSqlite3 from 'better-sqlite3'
import { createDb, type Database, type OpenOptions } from './connection.js'
import { databaseTarget, type DatabaseTarget, type SqlDialect } from './dialect.js'
import { createPostgresDb, type PostgresOptions } from './postgres.js'

/** The SQLite file used when neither DATABASE_URL nor DATABASE_PATH says otherwise. */
export const DEFAULT_SQLITE_FILE = 'data/duijie.db'

/**
 * The app's database, opened on either dialect (issue 10): the one place the app, the
 * CLIs, the seed and the tests turn a configuration into a connection.
 */
export interface OpenedDatabase {
  db: Database
  dialect: SqlDialect
  target: DatabaseTarget
  /**
   * The better-sqlite3 handle behind `db` on SQLite (FTS5 search, pragmas, the demo
   * writer's prepared statements); null on PostgreSQL.
   */
  sqlite: BetterSqlite3.Database | null
  /** Where the data is, for messages: the file, or the URL without its password. */
  where: string
  /** Ends the connection (SQLite) or the pool (PostgreSQL). */
  close: () => Promise<void>
}

export interface OpenDatabaseOptions {
  /** SQLite only. */
  readonly?: boolean
  /** PostgreSQL only: pool size and the name shown in pg_stat_activity. */
  postgres?: PostgresOptions
}

type EnvLike = { DATABASE_URL?: string | undefined; DATABASE_PATH?: string | undefined }

/** A PostgreSQL URL with its password masked, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://…'
  }
}

/**
 * Opens the database a target names, or the one an environment names
 * (`DATABASE_URL=postgres://…` → PostgreSQL, else the SQLite file DATABASE_PATH;
 * db/dialect.ts `databaseTarget`). Opening does not migrate: callers run
 * `migrateToLatest(db)` where they need a current schema.
 */
export function openDatabase(from: DatabaseTarget | EnvLike, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const target = 'dialect' in from ? from : databaseTarget(from, DEFAULT_SQLITE_FILE)
  if (target.dialect === 'postgres') {
    const { db } = createPostgresDb(target.url, options.postgres)
    return {
      db,
      dialect: 'postgres',
      target,
      sqlite: null,
      where: redactUrl(target.url),
      close: () => db.destroy(),
    }
  }
  const sqliteOptions: OpenOptions = { readonly: options.readonly ?? false }
  const { db, sqlite } = createDb(target.file, sqliteOptions)
  return {
    db,
    dialect: 'sqlite',
    target,
    sqlite,
    where: target.file,
    // Kysely's SqliteDialect closes the better-sqlite3 handle on destroy.
    close: () => db.destroy(),
  }
}
