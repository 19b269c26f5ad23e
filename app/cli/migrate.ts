/**
 * npm run db:migrate
 *
 * Brings DATABASE_PATH (default data/duijie.db) to the latest schema.
 */
import { createDb } from '../../db/connection.js'
import { migrateToLatest } from '../../db/migrate.js'
import { parseEnv } from '../utils/env.server.js'

const env = parseEnv()
const { db } = createDb(env.DATABASE_PATH)
try {
  const applied = await migrateToLatest(db)
  console.log(
    applied.length ? `已执行 ${applied.length} 个迁移：${applied.join(', ')}` : `数据库已是最新（${env.DATABASE_PATH}）`,
  )
} catch (error) {
  console.error('数据库迁移失败：', error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
