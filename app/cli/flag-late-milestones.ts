/**
 * npm run contracts:late
 *
 * Flags the milestones of active contracts whose due date (a China date) has passed
 * while they are not accepted, once each, and tells both parties — what the server's
 * hourly `milestone-late` job does (app/web/jobs.server.ts): for a deployment that runs
 * it from cron instead, or to see at once what the job would do. Database:
 * DATABASE_URL, else DATABASE_PATH (default data/duijie.db).
 */
import fs from 'node:fs'
import { openDatabase } from '../../db/open.js'
import { flagLateMilestones } from '../domain/contracts/late.server.js'
import { EnvError, parseEnv } from '../utils/env.server.js'

class CliError extends Error {}

async function main(): Promise<void> {
  const env = parseEnv()
  if (!env.DATABASE_URL && !fs.existsSync(env.DATABASE_PATH)) {
    throw new CliError(`数据库文件不存在：${env.DATABASE_PATH}（先运行 npm run db:migrate）`)
  }
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  try {
    const { flagged, batches } = await flagLateMilestones(database.db, new Date(), { maxBatches: 10_000 })
    console.log(`已标记 ${flagged} 个逾期里程碑（${batches} 批，数据库 ${database.where}）`)
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof CliError) console.error(error.message)
  else if (error instanceof Error && (/no such table/.test(error.message) || (error as { code?: unknown }).code === '42P01')) {
    console.error(`数据库尚未迁移（${error.message}），请先运行 npm run db:migrate`)
  } else console.error('逾期里程碑处理失败：', error)
  process.exit(1)
})
