/**
 * npm run needs:notify
 *
 * E-mails providers the needs newly published that their saved searches find, as the
 * server's `saved-search-notify` job does every 15 minutes (app/web/jobs.server.ts): for
 * a deployment that runs it from cron instead, or to send at once. Applies the search
 * outbox first, so needs published a moment ago are in the index; the messages are then
 * delivered from the message outbox. Database: DATABASE_URL, else DATABASE_PATH (default
 * data/duijie.db); search engine: SEARCH_ENGINE; links in the e-mails: PUBLIC_URL.
 */
import fs from 'node:fs'
import { openDatabase } from '../../db/open.js'
import { createIndexer } from '../../search/indexer.js'
import { notifySavedSearches } from '../domain/matching/saved-searches.server.js'
import { deliverPending } from '../domain/messaging/outbox.server.js'
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
    const engine = searchEngineFromEnv(env, database)
    await createIndexer(database.db, engine, SEARCH_TYPES).processOutbox()
    const run = await notifySavedSearches(database.db, engine, new Date(), { baseUrl: env.PUBLIC_URL })
    await deliverPending(database.db)
    console.log(
      `已检查 ${run.checked} 个保存的搜索，发出 ${run.sent} 封新需求通知（共 ${run.needs} 条需求，数据库 ${database.where}）`,
    )
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof CliError) console.error(error.message)
  else if (error instanceof Error && (/no such table/.test(error.message) || (error as { code?: unknown }).code === '42P01')) {
    console.error(`数据库尚未迁移（${error.message}），请先运行 npm run db:migrate`)
  } else console.error('保存的搜索通知失败：', error)
  process.exit(1)
})
