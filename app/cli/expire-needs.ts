/**
 * npm run needs:expire
 *
 * Expires the published needs whose deadline (投标截止) has passed, as the server's
 * hourly `need-expiry` job does (app/web/jobs.server.ts): for a deployment that runs
 * it from cron instead, or to see at once what the job would do. Then applies the
 * search outbox, so the expired needs leave the hall now. Database: DATABASE_URL, else
 * DATABASE_PATH (default data/duijie.db); search engine: SEARCH_ENGINE.
 */
import fs from 'node:fs'
import { openDatabase } from '../../db/open.js'
import { createIndexer } from '../../search/indexer.js'
import { expireNeeds } from '../domain/needs/expiry.server.js'
import { SEARCH_TYPES } from '../domain/search-types.server.js'
import { EnvError, parseEnv } from '../utils/env.server.js'
import { searchEngineFromEnv } from '../web/search-engine.server.js'

class CliError extends Error {}

async function main(): Promise<void> {
  const env = parseEnv()
  if (!env.DATABASE_URL && !fs.existsSync(env.DATABASE_PATH)) {
    throw new CliError(`数据库文件不存在：${env.DATABASE_PATH}（先运行 npm run db:migrate）`)
  }
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  try {
    const { expired, batches } = await expireNeeds(database.db)
    const engine = searchEngineFromEnv(env, database)
    await createIndexer(database.db, engine, SEARCH_TYPES).processOutbox()
    console.log(`已将 ${expired} 条截止日期已过的需求标记为已过期（${batches} 批，数据库 ${database.where}）`)
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof CliError) console.error(error.message)
  else if (error instanceof Error && (/no such table/.test(error.message) || (error as { code?: unknown }).code === '42P01')) {
    console.error(`数据库尚未迁移（${error.message}），请先运行 npm run db:migrate`)
  } else console.error('需求过期处理失败：', error)
  process.exit(1)
})
