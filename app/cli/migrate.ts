/**
 * npm run db:migrate
 *
 * Brings the database to the latest schema: PostgreSQL when DATABASE_URL is set
 * (postgres://…), else the SQLite file DATABASE_PATH (default data/duijie.db).
 */
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { EnvError, parseEnv } from '../utils/env.server.js'

try {
  const env = parseEnv()
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  try {
    const applied = await migrateToLatest(database.db)
    console.log(
      applied.length
        ? `已执行 ${applied.length} 个迁移（${database.where}）：${applied.join(', ')}`
        : `数据库已是最新（${database.where}）`,
    )
  } catch (error) {
    console.error(`数据库迁移失败（${database.where}）：`, error)
    process.exitCode = 1
  } finally {
    await database.close()
  }
} catch (error) {
  if (!(error instanceof EnvError)) throw error
  console.error(error.message)
  process.exitCode = 1
}
