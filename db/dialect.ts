import { PostgresAdapter, SqliteAdapter, type DialectAdapter } from 'kysely'
import { isPostgresUrl } from './postgres.js'

/**
 * Which SQL dialect a Kysely instance (or a transaction of one) talks to, for the
 * few places that cannot be dialect-neutral (full-text search, upserts, JSON, bulk
 * seeding): they branch on `dialectOf(db)` instead of knowing how it was opened.
 */
export type SqlDialect = 'sqlite' | 'postgres'

/** A Kysely instance or transaction, of any schema. */
export interface KyselyLike {
  getExecutor(): { readonly adapter: DialectAdapter }
}

export function dialectOf(db: KyselyLike): SqlDialect {
  // A transaction shares its parent's executor, so `trx` answers like `db`.
  // (getExecutor is marked internal in Kysely's types but is how plugins reach the
  // adapter; tests/unit/db-dialect.test.ts pins the behaviour.)
  const adapter = db.getExecutor().adapter
  if (adapter instanceof PostgresAdapter) return 'postgres'
  if (adapter instanceof SqliteAdapter) return 'sqlite'
  throw new Error(`unsupported Kysely dialect adapter: ${adapter.constructor.name}`)
}

export function isPostgres(db: KyselyLike): boolean {
  return dialectOf(db) === 'postgres'
}

/** Where the app's data lives, from its environment. */
export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string }

/**
 * `DATABASE_URL=postgres://…` (or postgresql://) selects PostgreSQL; otherwise the
 * SQLite file DATABASE_PATH, or `defaultFile`. Any other DATABASE_URL scheme is a
 * configuration error, reported rather than silently falling back to SQLite.
 */
export function databaseTarget(
  env: { DATABASE_URL?: string | undefined; DATABASE_PATH?: string | undefined },
  defaultFile: string,
): DatabaseTarget {
  const url = env.DATABASE_URL?.trim()
  if (url) {
    if (isPostgresUrl(url)) return { dialect: 'postgres', url }
    throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite and DATABASE_PATH)')
  }
  return { dialect: 'sqlite', file: env.DATABASE_PATH?.trim() || defaultFile }
}
