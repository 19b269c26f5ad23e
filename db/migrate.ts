import { Migrator, type MigrationProvider } from 'kysely'
import type { Database } from './connection.js'
import { dialectOf } from './dialect.js'
import { migrationsFor } from './migrations/index.js'

/** Brings the schema up to date on either dialect; returns the names applied. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialectOf(db)) }
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error))
  const failed = results?.find((r) => r.status === 'Error')
  if (failed) throw new Error(`迁移失败 / migration failed: ${failed.migrationName}`)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
