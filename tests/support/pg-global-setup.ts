import type { TestProject } from 'vitest/node'
import { pgAvailable, pgServerFromEnv } from './pg-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance URL of the run's PostgreSQL server; unset when PostgreSQL is unavailable. */
    pgAdminUrl: string | undefined
  }
}

/**
 * Global setup of `npm run test:pg` (vitest.pg.config.ts): one PostgreSQL server for
 * the whole run, TEST_DATABASE_URL's or a throwaway one, torn down at the end. Each
 * test file makes its own database on it (tests/support/pg-test-db.ts).
 */
export default async function setup(project: TestProject) {
  if (!pgAvailable()) {
    project.provide('pgAdminUrl', undefined)
    return undefined
  }
  const server = await pgServerFromEnv()
  project.provide('pgAdminUrl', server.adminUrl)
  return () => server.stop()
}
