import path from 'node:path'
import { defineConfig } from 'vitest/config'

// `npm run test:pg`: the tests that run on PostgreSQL (files named *.pg.test.ts, left out
// of the default config), on one server for the whole run (tests/support/pg-global-setup.ts:
// TEST_DATABASE_URL's, or a throwaway Debian PostgreSQL in a temporary directory). The
// SQLite setup stays: some of them compare with the SQLite engine.
export default defineConfig({
  resolve: { alias: { '~': path.resolve(import.meta.dirname, 'app') } },
  test: {
    include: ['tests/**/*.pg.test.ts'],
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/pg-global-setup.ts'],
    setupFiles: ['tests/support/worker-db.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
})
