import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './connection.js'
import type { DB } from './types.js'

/**
 * PostgreSQL through Kysely's Postgres dialect and a `pg.Pool` (issue 10). SQLite
 * (db/connection.ts) stays the default; a `DATABASE_URL=postgres://…` selects this.
 *
 * Rows come back in the shapes db/types.ts declares, which are SQLite's: the pool
 * parses, for its own connections only (the driver's global parsers are left alone),
 *
 * - bigint (count(*), bigserial ids) and numeric as JS numbers, not strings;
 * - timestamptz as an ISO-8601 string in UTC (`2026-11-22T01:00:00.000Z`, what the app
 *   writes into SQLite's TEXT columns), timestamp (without zone) read as UTC, and
 *   date as its `YYYY-MM-DD` text, never a JS Date;
 * - boolean as 1/0 (db/types.ts declares flags as 0 | 1; PostgreSQL accepts '1' and
 *   '0' as boolean input, so writes need no change either);
 * - json as its text and jsonb as JSON.stringify's compact text, as SQLite's
 *   JSON-in-TEXT columns read what the app wrote (the code JSON.parses them itself).
 *
 * Whether the PostgreSQL schema uses those types or mirrors SQLite's (TEXT times,
 * integer flags) is the migrations' decision (docs/decisions/006-postgresql.md); the
 * parsers make either read alike.
 */

export interface PostgresOptions {
  /** Most connections the pool opens (default 10). */
  max?: number
  /** Shown in pg_stat_activity. */
  applicationName?: string
}

/** Whether a DATABASE_URL names a PostgreSQL server (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string | undefined | null): url is string {
  return typeof url === 'string' && /^postgres(?:ql)?:\/\//i.test(url.trim())
}

const OID = {
  bool: 16,
  int8: 20,
  json: 114,
  jsonb: 3802,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
} as const

const parseTimestamptz = pg.types.getTypeParser(OID.timestamptz, 'text') as (value: string) => Date | string | number

function isoOrRaw(date: Date | string | number, raw: string): string {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : raw
}

const PARSERS: ReadonlyMap<number, (value: string) => unknown> = new Map<number, (value: string) => unknown>([
  [OID.bool, (value) => (value === 't' ? 1 : 0)],
  // Ids and counts stay far below 2^53.
  [OID.int8, (value) => Number(value)],
  [OID.numeric, (value) => Number(value)],
  [OID.json, (value) => value],
  // jsonb prints itself spaced (`["a", "b"]`); JSON.stringify's compact form is what the
  // app writes and SQLite gives back, so text comparisons agree across dialects.
  [OID.jsonb, (value) => JSON.stringify(JSON.parse(value))],
  [OID.date, (value) => value],
  [OID.timestamptz, (value) => isoOrRaw(parseTimestamptz(value), value)],
  [OID.timestamp, (value) => isoOrRaw(new Date(`${value.replace(' ', 'T')}Z`), value)],
])

const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (format !== 'binary') {
    const parser = PARSERS.get(oid)
    if (parser) return parser
  }
  return pg.types.getTypeParser(oid, format ?? 'text') as unknown
}) as typeof pg.types.getTypeParser

export function createPostgresPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'duijie',
    // Sessions in UTC, whatever the server's default: a time written without a zone
    // (a bare date compared with a timestamptz) then means what it means in SQLite.
    options: '-c TimeZone=UTC',
    types: { getTypeParser },
  })
  // An idle connection the server drops (restart, failover) must not crash the
  // process: the pool discards it and the next query opens another.
  pool.on('error', (error) => {
    console.error('PostgreSQL: an idle connection failed and was discarded', error.message)
  })
  return pool
}

/** Kysely on a new pool for `url`; `db.destroy()` ends the pool. */
export function createPostgresDb(url: string, options: PostgresOptions = {}): { db: Database; pool: pg.Pool } {
  const pool = createPostgresPool(url, options)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return { db, pool }
}
