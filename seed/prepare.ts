/**
 * `npm start` runs this before serving: migrate, load reference data (idempotent),
 * generate the demo data set (organisations, their demo accounts and needs) only into
 * a database that holds no organisations, index what the search engine is missing,
 * and print where to go and who to sign in as. A database with any organisation in it
 * (a real agency made by `npm run admin:create-agency`, say) gets no demo data and no
 * demo accounts; `DEMO_NEEDS=0` means no demo data at all.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { SEARCH_TYPES } from '../app/domain/search-types.server.js'
import { EnvError, parseEnv, type Env } from '../app/utils/env.server.js'
import { searchEngineFromEnv } from '../app/web/search-engine.server.js'
import { migrateToLatest } from '../db/migrate.js'
import { openDatabase } from '../db/open.js'
import { createIndexer } from '../search/indexer.js'
import { listDemoAccounts, printDemoAccounts } from './accounts.js'
import { hasDemoData, seedDemoIfEmpty } from './demo-writer.js'
import { loadReferenceData } from './reference.js'

export async function prepare(env: Env, log: (line: string) => void = console.log): Promise<void> {
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-prepare' } })
  const { db, sqlite } = database
  try {
    const applied = await migrateToLatest(db)
    if (applied.length) log(`数据库迁移：${applied.length} 个（${database.where}）`)
    const ref = await loadReferenceData(db)
    log(`基础数据：${ref.regions} 个行政区划，${ref.industries} 个制造业大类，${ref.scenarios} 个场景`)

    const indexer = createIndexer(db, searchEngineFromEnv(env, database), SEARCH_TYPES)
    const started = performance.now()
    // The demo's timeline ends today (its UTC date): published needs are open, their
    // deadlines ahead, so the need-expiry job does not close a fifth of them at start-up.
    // (`npm run seed` keeps its fixed default date, for reproducible benchmarks.)
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`)
    const demo = await seedDemoIfEmpty(db, sqlite, { needs: env.DEMO_NEEDS, now: today })
    if (demo.seeded) {
      await indexer.reindexAll()
      const { organisations, needs, providerData } = demo.result
      log(
        `演示数据：${organisations} 个组织，${needs} 条需求，${providerData.cases} 个服务商案例，${providerData.templates} 份合同模板（${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
      )
    } else {
      const sync = await indexer.sync()
      for (const { entityType, count } of sync.reindexed) log(`搜索索引：重建 ${entityType} ${count} 条`)
      if (sync.outbox) log(`搜索索引：补齐 ${sync.outbox} 条`)
    }
    if (await hasDemoData(db)) printDemoAccounts(demo.seeded ? demo.result.accounts : await listDemoAccounts(db), log)
    log(`\n对接已就绪：http://localhost:${env.PORT}\n`)
  } finally {
    await database.close()
  }
}

// Run only as a script, so tests can import prepare.
const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  try {
    await prepare(parseEnv())
  } catch (error) {
    if (error instanceof EnvError) console.error(error.message)
    else console.error('启动准备失败：', error)
    process.exit(1)
  }
}
