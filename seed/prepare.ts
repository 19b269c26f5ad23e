/**
 * `npm start` runs this before serving: migrate, load reference data (idempotent),
 * generate demo data when the database has no organisations, index what the search
 * engine is missing, and print where to go and who to sign in as.
 */
import { SEARCH_TYPES } from '../app/domain/search-types.server.js'
import { EnvError, parseEnv } from '../app/utils/env.server.js'
import { searchEngineFromEnv } from '../app/web/search-engine.server.js'
import { createDb } from '../db/connection.js'
import { migrateToLatest } from '../db/migrate.js'
import { createIndexer } from '../search/indexer.js'
import { createDemoAccounts, printDemoAccounts } from './accounts.js'
import { generateDemo } from './demo.js'
import { loadReferenceData } from './reference.js'

async function main() {
  const env = parseEnv()
  const { db, sqlite } = createDb(env.DATABASE_PATH)
  try {
    const applied = await migrateToLatest(db)
    if (applied.length) console.log(`数据库迁移：${applied.length} 个（${env.DATABASE_PATH}）`)
    const ref = await loadReferenceData(db)
    console.log(`基础数据：${ref.regions} 个行政区划，${ref.industries} 个制造业大类，${ref.scenarios} 个场景`)

    const indexer = createIndexer(db, searchEngineFromEnv(env, sqlite), SEARCH_TYPES)
    const { count } = await db
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow()
    if (count === 0) {
      const started = performance.now()
      const demo = await generateDemo(db, sqlite, { needs: env.DEMO_NEEDS })
      await indexer.reindexAll()
      console.log(
        `演示数据：${demo.organisations} 个组织，${demo.needs} 条需求（${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
      )
    } else {
      const sync = await indexer.sync()
      for (const { entityType, count } of sync.reindexed) console.log(`搜索索引：重建 ${entityType} ${count} 条`)
      if (sync.outbox) console.log(`搜索索引：补齐 ${sync.outbox} 条`)
    }
    if (env.DEMO_NEEDS > 0) printDemoAccounts(await createDemoAccounts(db))
    console.log(`\n对接已就绪：http://localhost:${env.PORT}\n`)
  } finally {
    await db.destroy()
  }
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) console.error(error.message)
  else console.error('启动准备失败：', error)
  process.exit(1)
})
