import { inject } from 'vitest'
import { createTestDatabase, pgServerFromEnv, type PgServer } from './pg-server.js'

/**
 * An empty PostgreSQL database for one test file: on the run's server when
 * vitest.pg.config.ts started one, else on a server of its own (TEST_DATABASE_URL's
 * or a throwaway one), so a file also runs alone under the default config. Callers
 * skip first when `pgUnavailableReason()` is not null.
 */
export async function pgTestDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  let own: PgServer | null = null
  let adminUrl = inject('pgAdminUrl')
  if (!adminUrl) {
    own = await pgServerFromEnv()
    adminUrl = own.adminUrl
  }
  const database = await createTestDatabase(adminUrl, tag)
  return {
    url: database.url,
    async drop() {
      try {
        await database.drop()
      } finally {
        await own?.stop()
      }
    },
  }
}
