import path from 'node:path'
import { defineConfig } from 'vitest/config'

// `npm run test:pg:int`: the whole integration suite on PostgreSQL, with the tests written
// for it (*.pg.test.ts, which the default config leaves out). One server for the whole run
// (tests/support/pg-global-setup.ts: TEST_DATABASE_URL's, or a throwaway Debian PostgreSQL
// in a temporary directory) holding a migrated template with the reference data; every test
// file runs on its own copy of it (tests/support/worker-db.ts sets DATABASE_URL). The SQLite
// setup stays: the tests about SQLite itself skip here, and some compare with SQLite's engine.
export default defineConfig({
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'app') } },
  test: {
    include: ['tests/integration/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/pg-global-setup.ts'],
    setupFiles: ['tests/support/worker-db.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
})
