import { Migrator, type MigrationProvider } from 'kysely'
import type { Database } from './connection.js'
import { migrations } from './migrations/index.js'

const provider: MigrationProvider = { getMigrations: async () => migrations }

export async function migrateToLatest(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error))
  const failed = results?.find((r) => r.status === 'Error')
  if (failed) throw new Error(`迁移失败 / migration failed: ${failed.migrationName}`)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
