/**
 * npm run search:reindex [-- <type> …]
 *
 * Rebuilds the search indexes of the configured engine (SEARCH_ENGINE, default the
 * database's own: FTS5 on SQLite, full-text search on PostgreSQL) from the database
 * (DATABASE_URL, else DATABASE_PATH, default data/duijie.db): every indexed type, or
 * only the types named (e.g. `need`).
 */
import fs from 'node:fs'
import { Presets, SingleBar } from 'cli-progress'
import { openDatabase } from '../../db/open.js'
import { createIndexer } from '../../search/indexer.js'
import { SEARCH_TYPES } from '../domain/search-types.server.js'
import { EnvError, parseEnv } from '../utils/env.server.js'
import { searchEngineFromEnv } from '../web/search-engine.server.js'

class CliError extends Error {}

async function main(argv: readonly string[]): Promise<void> {
  const known = SEARCH_TYPES.map((t) => t.entityType)
  const unknown = argv.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw new CliError(
      `未知的索引类型：${unknown.join(', ')}（可选：${known.join(', ')}）\n用法：npm run search:reindex [-- <类型> …]`,
    )
  }
  const env = parseEnv()
  if (!env.DATABASE_URL && !fs.existsSync(env.DATABASE_PATH)) {
    throw new CliError(`数据库文件不存在：${env.DATABASE_PATH}（先运行 npm run db:migrate 和 npm run seed）`)
  }
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  const { db } = database
  const engine = searchEngineFromEnv(env, database)
  const bar = new SingleBar(
    { format: '重建搜索索引 [{bar}] {percentage}% | {value}/{total} | {duration}s', hideCursor: true },
    Presets.shades_classic,
  )
  const started = performance.now()
  let barStarted = false
  try {
    const indexed = await createIndexer(db, engine, SEARCH_TYPES).reindexAll({
      types: argv.length > 0 ? argv : undefined,
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
    console.log(`已索引 ${indexed} 个文档，用时 ${seconds.toFixed(1)} 秒（引擎 ${engine.name}，数据库 ${database.where}）`)
  } finally {
    if (barStarted) bar.stop()
    await database.close()
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof CliError) console.error(error.message)
  // SQLite: no such table; PostgreSQL: relation "…" does not exist (42P01).
  else if (error instanceof Error && (/no such table/.test(error.message) || (error as { code?: unknown }).code === '42P01')) {
    console.error(`数据库尚未迁移（${error.message}），请先运行 npm run db:migrate`)
  } else console.error('重建搜索索引失败：', error)
  process.exit(1)
})
