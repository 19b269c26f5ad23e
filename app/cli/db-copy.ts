/**
 * npm run db:copy -- --from <SQLite file> --to <postgres://…>
 *
 * Moves a whole installation from SQLite to an empty PostgreSQL database (db/copy.ts):
 * migrates the target, copies every table with its ids (the audit log included) in one
 * transaction, verifies the row counts, then rebuilds the target's search index.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openSqlite } from '../../db/connection.js'
import { copySqliteToPostgres, CopyError } from '../../db/copy.js'
import { redactUrl } from '../../db/open.js'
import { isPostgresUrl, createPostgresDb } from '../../db/postgres.js'

const USAGE = '用法 / usage: npm run db:copy -- --from <SQLite 文件 file> --to <postgres://…>'

async function main(): Promise<number> {
  let values: { from?: string; to?: string }
  try {
    values = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const { from, to } = values
  if (!from || !to || !isPostgresUrl(to)) {
    console.error(USAGE)
    return 2
  }
  if (!fs.existsSync(from)) {
    console.error(`找不到 SQLite 文件 / no such SQLite file: ${from}`)
    return 2
  }
  const sqlite = openSqlite(from, { readonly: true })
  const { db } = createPostgresDb(to, { applicationName: 'duijie-db-copy', max: 2 })
  const started = performance.now()
  try {
    let last = ''
    const report = await copySqliteToPostgres(sqlite, db, (table, copied, total) => {
      const line = `${table}: ${copied}/${total}`
      if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(last.length)}`)
      last = line
    })
    if (process.stdout.isTTY) process.stdout.write('\r'.padEnd(last.length + 1) + '\r')
    console.log('表 table                     源 source   目标 target')
    for (const t of report.tables)
      console.log(`${t.table.padEnd(28)}${String(t.source).padStart(10)}${String(t.target).padStart(13)}`)
    console.log(
      `已复制 ${report.rows} 行，${report.tables.length} 张表，行数一致（${((performance.now() - started) / 1000).toFixed(1)} 秒）。` +
        `\ncopied ${report.rows} rows in ${report.tables.length} tables, counts verified.` +
        `\n下一步 / next: DATABASE_URL=${redactUrl(to)} npm run search:reindex`,
    )
    return 0
  } catch (error) {
    if (error instanceof CopyError) {
      console.error(error.message)
      return 1
    }
    throw error
  } finally {
    sqlite.close()
    await db.destroy()
  }
}

process.exitCode = await main()
