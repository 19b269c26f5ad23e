import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql, type RawBuilder } from 'kysely'
import type { Database } from '../../db/connection.js'
import { afterAll, inject } from 'vitest'
import type { SqlDialect } from '../../db/dialect.js'
import { openDatabase, type OpenedDatabase } from '../../db/open.js'
import { TEMPLATE_DB, TMP_DIR } from './paths.js'
import { cloneTestDatabase } from './pg-server.js'

/**
 * The database of the current test file, on the run's dialect: PostgreSQL under
 * `npm run test:pg` (tests/support/worker-db.ts sets DATABASE_URL to this file's copy
 * of the template), else the file's SQLite copy (DATABASE_PATH).
 */
export const testDialect: SqlDialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite'
export const onPostgres = testDialect === 'postgres'

/**
 * Title suffix of a describe that runs on SQLite only, with the reason:
 * `describe.skipIf(onPostgres)(\`FTS5 engine${sqliteOnly('FTS5 is SQLite's')}\`, …)`.
 */
export function sqliteOnly(reason: string): string {
  return onPostgres ? ` [skipped on PostgreSQL: ${reason}]` : ''
}

/**
 * A new connection to this test file's database (the one services() uses), on the
 * run's dialect. Close it in afterAll. `sqlite` is the better-sqlite3 handle on
 * SQLite, null on PostgreSQL.
 */
export function openTestDb(applicationName = 'duijie-test'): OpenedDatabase {
  const { DATABASE_URL, DATABASE_PATH } = process.env
  return openDatabase({ DATABASE_URL, DATABASE_PATH }, { postgres: { max: 4, applicationName } })
}

/**
 * Two connections to this test file's database standing for two app instances: two
 * better-sqlite3 handles on the file on SQLite, two pools on PostgreSQL (named
 * `applicationName`). Closed after the file's tests.
 */
export function twoInstances(applicationName: string): [Database, Database] {
  const one = openTestDb(applicationName)
  const two = openTestDb(applicationName)
  afterAll(async () => {
    await one.close()
    await two.close()
  })
  return [one.db, two.db]
}

/**
 * Runs SQL written with `?` placeholders on either dialect (Kysely binds them as $1… on
 * PostgreSQL): for tests that read tables with portable SQL. No `?` may appear inside
 * a string literal of `text`.
 */
export function query(text: string, params: readonly unknown[]): RawBuilder<unknown> {
  const parts = text.split('?')
  if (parts.length !== params.length + 1) throw new Error(`query: ${parts.length - 1} placeholders, ${params.length} values`)
  const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray
  return sql(strings, ...params)
}

export async function all<T>(db: Database, text: string, ...params: unknown[]): Promise<T[]> {
  return (await query(text, params).execute(db)).rows as T[]
}

export async function one<T>(db: Database, text: string, ...params: unknown[]): Promise<T> {
  return (await all<T>(db, text, ...params))[0] as T
}

/** Another database like a test file's own: migrated, reference data, nothing else. */
export interface FreshTestDb {
  /** The variables that select it (DATABASE_URL is '' on SQLite, so a spread clears any other). */
  env: { DATABASE_URL: string; DATABASE_PATH: string }
  /** A SQLite file or a postgres:// URL: what `npm run seed -- --db` takes. */
  where: string
  open: () => OpenedDatabase
  /** Deletes it (the file, or the database). */
  drop: () => Promise<void>
}

/**
 * A new database on the run's dialect, as fresh as the template every test file starts
 * from: a copy of the SQLite template file, or on PostgreSQL a copy of the run's
 * template database (tests/support/pg-global-setup.ts). Drop it in afterAll.
 */
export async function freshTestDb(tag = 'fresh'): Promise<FreshTestDb> {
  if (onPostgres) {
    const adminUrl = inject('pgAdminUrl')
    const template = inject('pgTemplateDb')
    if (!adminUrl || !template)
      throw new Error('freshTestDb: no PostgreSQL template in this run (TEST_DATABASE_URL may not create databases)')
    const database = await cloneTestDatabase(adminUrl, template, tag)
    const env = { DATABASE_URL: database.url, DATABASE_PATH: process.env.DATABASE_PATH ?? '' }
    return { env, where: database.url, open: () => openDatabase(env), drop: database.drop }
  }
  const file = path.join(TMP_DIR, `${tag}-${crypto.randomUUID()}.db`)
  fs.copyFileSync(TEMPLATE_DB, file)
  const env = { DATABASE_URL: '', DATABASE_PATH: file }
  return {
    env,
    where: file,
    open: () => openDatabase({ dialect: 'sqlite', file }),
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
    },
  }
}
