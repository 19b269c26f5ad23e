/**
 * npm run eval:matching [-- --pg] [--worst N]
 *
 * The matching relevance evaluation (issue 13, item 7; tests/eval/matching-eval.ts) on a
 * scratch database: a new SQLite file in the system's temporary directory (or, with
 * --pg, a new database on TEST_DATABASE_URL's PostgreSQL server or a throwaway one),
 * migrated with the reference data, the labelled set of tests/fixtures/matching imported
 * through the exchange importer with --mark-verified, the search indexes built. Prints
 * NDCG@5, NDCG@10 and recall@10 of the ranking, the text-only baseline and the
 * diversified ranking, and the worst needs. Exit status 1 when the ranking does not beat
 * the baseline on NDCG@10; the scratch database is deleted either way.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase, type OpenedDatabase } from '../../db/open.js'
import { createSearchEngine } from '../../search/index.js'
import { loadReferenceData } from '../../seed/reference.js'
import { insertUser } from '../support/factories.js'
import { createTestDatabase, pgServerFromEnv, type PgServer } from '../support/pg-server.js'
import { evaluateMatching, formatReport, loadMatchingFixture } from './matching-eval.js'

interface Scratch {
  opened: OpenedDatabase
  cleanup: () => Promise<void>
}

async function scratchSqlite(): Promise<Scratch> {
  const file = path.join(os.tmpdir(), `duijie-eval-matching-${crypto.randomUUID()}.db`)
  const opened = openDatabase({ dialect: 'sqlite', file })
  return {
    opened,
    cleanup: async () => {
      await opened.close()
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
    },
  }
}

async function scratchPostgres(): Promise<Scratch> {
  const server: PgServer = await pgServerFromEnv()
  try {
    const database = await createTestDatabase(server.adminUrl, 'eval')
    const opened = openDatabase({ dialect: 'postgres', url: database.url }, { postgres: { applicationName: 'duijie-eval' } })
    return {
      opened,
      cleanup: async () => {
        await opened.close()
        await database.drop()
        await server.stop()
      },
    }
  } catch (error) {
    await server.stop()
    throw error
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { pg: { type: 'boolean' }, worst: { type: 'string' } },
    strict: true,
  })
  const worst = values.worst ? Math.max(0, Number(values.worst) || 0) : 5
  const scratch = values.pg ? await scratchPostgres() : await scratchSqlite()
  const { opened } = scratch
  try {
    const started = performance.now()
    await migrateToLatest(opened.db)
    await loadReferenceData(opened.db)
    const search = opened.sqlite
      ? createSearchEngine({ kind: 'sqlite', sqlite: opened.sqlite })
      : createSearchEngine({ kind: 'postgres', db: opened.db })
    const operator = await insertUser(opened.db, { name: '评测导入运维' })
    await loadMatchingFixture(opened.db, search, operator.id)
    const loaded = performance.now()
    const report = await evaluateMatching(opened.db, search)
    const done = performance.now()
    console.log(`数据库 database: ${opened.dialect} (scratch)`)
    for (const line of formatReport(report, worst)) console.log(line)
    console.log('')
    console.log(`load ${((loaded - started) / 1000).toFixed(1)} s, evaluate ${((done - loaded) / 1000).toFixed(1)} s`)
    if (report.mean.ranking.ndcg10 <= report.mean.baseline.ndcg10) {
      console.error('排序未超过纯文本基线 / the ranking does not beat the text-only baseline on NDCG@10')
      return 1
    }
    return 0
  } finally {
    await scratch.cleanup()
  }
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error('eval:matching failed:', error)
  process.exitCode = 2
}
