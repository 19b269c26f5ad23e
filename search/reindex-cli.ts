/**
 * npm run search:reindex
 *
 * Rebuilds the needs index of the configured engine (SEARCH_ENGINE, default the
 * embedded SQLite FTS5) from DATABASE_PATH (default data/duijie.db).
 */
import fs from 'node:fs'
import { Presets, SingleBar } from 'cli-progress'
import { EnvError, parseEnv } from '../app/utils/env.server.js'
import { createDb } from '../db/connection.js'
import { createSearchEngine } from './index.js'
import { reindexAll } from './indexer.js'

class CliError extends Error {}

async function main(): Promise<void> {
  const env = parseEnv()
  if (!fs.existsSync(env.DATABASE_PATH)) {
    throw new CliError(`数据库文件不存在：${env.DATABASE_PATH}（先运行 npm run db:migrate 和 npm run seed）`)
  }
  const { db, sqlite } = createDb(env.DATABASE_PATH)
  const engine = createSearchEngine(
    env.SEARCH_ENGINE === 'meilisearch' && env.MEILI_URL
      ? { kind: 'meilisearch', url: env.MEILI_URL, apiKey: env.MEILI_API_KEY, indexPrefix: env.MEILI_INDEX_PREFIX }
      : { kind: 'sqlite', sqlite },
  )
  const bar = new SingleBar(
    { format: '重建搜索索引 [{bar}] {percentage}% | {value}/{total} 条需求 | {duration}s', hideCursor: true },
    Presets.shades_classic,
  )
  const started = performance.now()
  let barStarted = false
  try {
    const indexed = await reindexAll(db, engine, {
      onProgress: (done, total) => {
        if (!barStarted) {
          bar.start(total, done)
          barStarted = true
        } else {
          bar.setTotal(total)
          bar.update(done)
        }
      },
    })
    bar.stop()
    const seconds = (performance.now() - started) / 1000
    console.log(`已索引 ${indexed} 条需求，用时 ${seconds.toFixed(1)} 秒（引擎 ${engine.name}，数据库 ${env.DATABASE_PATH}）`)
  } finally {
    if (barStarted) bar.stop()
    await db.destroy()
  }
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof CliError) console.error(error.message)
  else if (error instanceof Error && /no such table/.test(error.message)) {
    console.error(`数据库尚未迁移（${error.message}），请先运行 npm run db:migrate`)
  } else console.error('重建搜索索引失败：', error)
  process.exit(1)
})
