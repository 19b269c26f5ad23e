import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, inject } from 'vitest'
import { TEMPLATE_DB, TMP_DIR } from './paths.js'
import { cloneTestDatabase, createTestDatabase, type TestDatabase } from './pg-server.js'

// Every test file gets its own migrated SQLite file, copied from the template the
// global setup built, and the app's singletons open it through DATABASE_PATH.
const file = path.join(TMP_DIR, `test-${process.pid}-${crypto.randomUUID()}.db`)
fs.copyFileSync(TEMPLATE_DB, file)
process.env.DATABASE_PATH = file
process.env.NODE_ENV = 'test'
process.env.INSECURE_COOKIES = '1'

// Under `npm run test:pg` (vitest.pg.config.ts) every test file also gets its own
// PostgreSQL database, a copy of the migrated template with the reference data
// (tests/support/pg-global-setup.ts), and DATABASE_URL names it: services(), the real
// server and openTestDb() (tests/support/test-db.ts) then run on PostgreSQL. The
// SQLite file stays for the tests that are about SQLite itself.
const adminUrl = inject('pgAdminUrl')
if (adminUrl) {
  const template = inject('pgTemplateDb')
  const database: TestDatabase = template ? await cloneTestDatabase(adminUrl, template, 'file') : await migratedSchema(adminUrl)
  process.env.DATABASE_URL = database.url
  afterAll(async () => {
    // The app's pool first (services() and the in-process server share it), then the database.
    if (globalThis.__duijie) {
      const { closeServices } = await import('../../app/web/services.server.js')
      await closeServices()
    }
    await database.drop()
  })
}

/** An account that may not create databases gets a schema per file, migrated here. */
async function migratedSchema(adminUrl: string): Promise<TestDatabase> {
  const database = await createTestDatabase(adminUrl, 'file')
  const { migrateWithReference } = await import('./pg-reference.js')
  await migrateWithReference(database.url)
  return database
}
