import { migrateToLatest } from '../../db/migrate.js'
import { createPostgresDb } from '../../db/postgres.js'
import { loadReferenceData } from '../../seed/reference.js'

/**
 * Brings the PostgreSQL database at `url` to what every test file starts from: migrated,
 * the reference data loaded, nothing else (the run's template, or a file's own schema).
 */
export async function migrateWithReference(url: string, applicationName = 'duijie-test'): Promise<void> {
  const { db } = createPostgresDb(url, { applicationName })
  try {
    await migrateToLatest(db)
    await loadReferenceData(db)
  } finally {
    await db.destroy()
  }
}
