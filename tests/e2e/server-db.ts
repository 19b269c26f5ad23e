import { createDb, type Database } from '../../db/connection.js'
import { createPostgresDb } from '../../db/postgres.js'

/**
 * The test server's database, for journeys that prepare or reset rows the pages under
 * test do not write (playwright.config.ts: SQLite per port, or E2E_DATABASE_URL).
 */
export function serverDb(): { db: Database; close: () => Promise<void> } {
  const url = process.env.E2E_DATABASE_URL
  if (url) {
    const { db, pool } = createPostgresDb(url)
    return { db, close: () => pool.end() }
  }
  const { db } = createDb(`tests/.e2e/${process.env.E2E_PORT ?? 3100}/duijie.db`)
  return { db, close: () => db.destroy() }
}
