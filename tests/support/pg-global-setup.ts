import type { TestProject } from 'vitest/node'
import { redactUrl } from '../../db/open.js'
import { migrateWithReference } from './pg-reference.js'
import { createTestDatabase, pgAvailable, pgServerFromEnv, pgUnavailableReason } from './pg-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance URL of the run's PostgreSQL server; unset when PostgreSQL is unavailable. */
    pgAdminUrl: string | undefined
    /**
     * A migrated database holding the reference data, on that server: each test file
     * gets a copy (`CREATE DATABASE … TEMPLATE`, tests/support/worker-db.ts). Unset when
     * the account may not create databases (each file then migrates a schema of its own).
     */
    pgTemplateDb: string | undefined
  }
}

/**
 * Global setup of `npm run test:pg` (vitest.pg.config.ts): one PostgreSQL server for
 * the whole run, TEST_DATABASE_URL's or a throwaway one, torn down at the end, and on
 * it one migrated template database with the reference data loaded. Every test file
 * then runs on its own copy of the template (tests/support/worker-db.ts sets
 * DATABASE_URL to it), so the whole integration suite runs on PostgreSQL.
 */
export default async function setup(project: TestProject) {
  if (!pgAvailable()) {
    // The whole suite on PostgreSQL cannot run on SQLite instead without saying so.
    throw new Error(`npm run test:pg needs PostgreSQL. ${pgUnavailableReason() ?? ''}`)
  }
  const started = performance.now()
  const server = await pgServerFromEnv()
  let template: { name: string; drop: () => Promise<void> } | null = null
  try {
    const database = await createTestDatabase(server.adminUrl, 'template')
    const url = new URL(database.url)
    const name = url.pathname.slice(1)
    // A schema (the account may not create databases) cannot be copied: files migrate their own.
    if (name && name !== new URL(server.adminUrl).pathname.slice(1)) template = { name, drop: database.drop }
    await migrateWithReference(database.url, 'duijie-test-template')
    if (!template) await database.drop()
  } catch (error) {
    await server.stop()
    throw error
  }
  console.log(
    `PostgreSQL for the run: ${redactUrl(server.adminUrl)}${template ? `, template ${template.name}` : ''} (${Math.round(performance.now() - started)} ms)`,
  )
  project.provide('pgAdminUrl', server.adminUrl)
  project.provide('pgTemplateDb', template?.name)
  return async () => {
    // Connections a test file left open would block the drop: WITH (FORCE) ends them.
    await template?.drop().catch((error: unknown) => console.error('dropping the template database failed', error))
    await server.stop()
  }
}
