/**
 * npm run import -- <file.jsonl> [--mark-verified --operator <手机号或邮箱>] [--dry-run] [--no-index]
 *
 * Reads an exchange file (docs/exchange.md) into the database of DATABASE_URL, else
 * DATABASE_PATH (as every command). The whole file is checked first; any error is
 * printed with its line and field and nothing is written. Otherwise it is written in
 * one transaction, idempotent by external id, and the search index is brought up to
 * date (or, with --no-index, left to the server's indexer, which applies the queued
 * changes within seconds or at its next start).
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Presets, SingleBar } from 'cli-progress'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { createIndexer } from '../../search/indexer.js'
import { loadReferenceData } from '../../seed/reference.js'
import { contactsVerified } from '../domain/accounts/contacts.js'
import { parseLoginId } from '../domain/accounts/schema.js'
import { importExchangeFile, type ImportProgress, type ImportResult } from '../domain/exchange/import.server.js'
import type { ExchangeIssue } from '../domain/exchange/issues.js'
import { SEARCH_TYPES } from '../domain/search-types.server.js'
import { hasMessage, translator } from '../i18n/index.js'
import { EnvError, parseEnv, type Env } from '../utils/env.server.js'
import { searchEngineFromEnv } from '../web/search-engine.server.js'

const USAGE = `用法：npm run import -- <文件.jsonl> [--mark-verified --operator <手机号或邮箱>] [--dry-run] [--no-index]

  --mark-verified      文件中 status 为 "verified" 的组织导入为已认证（逐个记入审计日志）；须同时给出 --operator
  --operator <账号>     执行导入的运维人员（已验证手机号或邮箱的账号），记入审计日志
  --dry-run            只校验，不写入
  --no-index           不立即更新搜索索引，留给运行中的服务器（数秒内）或下次启动
Usage: npm run import -- <file.jsonl> [--mark-verified --operator <phone or e-mail>] [--dry-run] [--no-index]`

const zh = translator('zh-CN')
const en = translator('en')

class CliError extends Error {}

/** One error as the operator reads it: `第 3 行 字段 milestones: … / line 3 field milestones: …`. */
export function formatIssue(issue: ExchangeIssue): string {
  const field = issue.path.join('.')
  const say = (t: typeof zh) => (hasMessage(issue.key) ? t(issue.key, issue.params) : issue.key)
  return field
    ? `第 ${issue.line} 行 字段 ${field}: ${say(zh)} / line ${issue.line} field ${field}: ${say(en)}`
    : `第 ${issue.line} 行: ${say(zh)} / line ${issue.line}: ${say(en)}`
}

const TYPE_NAMES: Record<string, string> = {
  organisation: '组织 organisations',
  provider_profile: '能力画像 provider profiles',
  case: '案例 cases',
  contract_template: '合同模板 contract templates',
}

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  /** Show progress bars (a terminal). */
  progress: boolean
}

function progressBars(io: CliIo): { update: (p: ImportProgress) => void; stop: () => void } {
  if (!io.progress) return { update: () => {}, stop: () => {} }
  let bar: SingleBar | null = null
  let stage: ImportProgress['stage'] | null = null
  const stop = () => {
    bar?.stop()
    bar = null
  }
  return {
    update(p) {
      if (stage !== p.stage) {
        stop()
        stage = p.stage
        bar = new SingleBar(
          {
            format: `${p.stage === 'validate' ? '校验 checking' : '写入 writing'} [{bar}] {percentage}% | {value}/{total}${p.stage === 'validate' ? ' 字节 bytes' : ' 行 lines'} | {duration}s`,
            hideCursor: true,
            stream: process.stderr,
          },
          Presets.shades_classic,
        )
        bar.start(Math.max(1, p.total), p.done)
      }
      bar?.setTotal(Math.max(1, p.total))
      bar?.update(p.done)
    },
    stop,
  }
}

function report(result: Extract<ImportResult, { ok: true }>, seconds: number, io: CliIo): void {
  for (const [type, c] of Object.entries(result.counts)) {
    io.out(
      `${TYPE_NAMES[type] ?? type}: 新建 ${c.created}，更新 ${c.updated}，未变 ${c.unchanged} / ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`,
    )
  }
  if (result.verified)
    io.out(`已认证 ${result.verified} 个组织（已记入审计日志）/ ${result.verified} organisations verified (audited)`)
  if (result.verifyNotApplied) {
    io.out(
      `${result.verifyNotApplied} 个组织在文件中标为 verified，未加 --mark-verified，按待审核导入 / ` +
        `${result.verifyNotApplied} organisations marked verified in the file were imported pending (no --mark-verified)`,
    )
  }
  const rate = seconds > 0 ? Math.round(result.records / seconds) : result.records
  io.out(
    `${result.records} 行，用时 ${seconds.toFixed(1)} 秒（${rate} 行/秒）/ ${result.records} lines in ${seconds.toFixed(1)} s (${rate} lines/s)`,
  )
}

async function operatorOf(db: ReturnType<typeof openDatabase>['db'], login: string): Promise<{ userId: number }> {
  const id = parseLoginId(login)
  if (!id) throw new CliError(`--operator 须为手机号或邮箱：${login} / --operator takes a phone number or e-mail`)
  const user = await db
    .selectFrom('users')
    .select(['id', 'phone', 'email', 'phone_verified_at as phoneVerifiedAt', 'email_verified_at as emailVerifiedAt'])
    .where(id.kind, '=', id.value)
    .executeTakeFirst()
  if (!user) throw new CliError(`没有账号 ${login} / no account ${login}`)
  if (!contactsVerified(user)) {
    throw new CliError(
      `账号 ${login} 的手机号或邮箱尚未验证（/account/verify），不能作为认证导入的运维人员 / the account's phone or e-mail is not verified`,
    )
  }
  return { userId: user.id }
}

/** The command: returns its exit code (0 done, 1 invalid file or failure, 2 usage). */
export async function runImport(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let values
  let positionals
  try {
    ;({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        'mark-verified': { type: 'boolean' },
        operator: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'no-index': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }))
  } catch (error) {
    io.err(`参数错误：${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    io.out(USAGE)
    return 0
  }
  if (positionals.length !== 1) {
    io.err(`须给出一个文件 / give one file\n\n${USAGE}`)
    return 2
  }
  const markVerified = values['mark-verified'] === true
  if (markVerified && !values.operator) {
    io.err(`--mark-verified 须同时给出 --operator / --mark-verified needs --operator\n\n${USAGE}`)
    return 2
  }
  const file = positionals[0]!
  let size: number
  try {
    const stat = fs.statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    size = stat.size
  } catch {
    io.err(`无法读取文件 ${file} / cannot read ${file}`)
    return 2
  }
  if (!env.DATABASE_URL && !fs.existsSync(env.DATABASE_PATH)) {
    io.err(`数据库文件不存在：${env.DATABASE_PATH}（先运行 npm run db:migrate）/ no database file`)
    return 1
  }

  const database = openDatabase(env, { postgres: { applicationName: 'duijie-import' } })
  const { db } = database
  const bars = progressBars(io)
  try {
    await migrateToLatest(db)
    await loadReferenceData(db)
    const operator = values.operator ? await operatorOf(db, values.operator) : null
    const source = { name: path.basename(file), size, open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }) }
    const started = performance.now()
    const dryRun = values['dry-run'] === true
    const result = await importExchangeFile(db, source, { markVerified, operator, source: source.name, dryRun }, bars.update)
    bars.stop()
    const seconds = (performance.now() - started) / 1000
    if (!result.ok) {
      for (const issue of result.issues) io.err(formatIssue(issue))
      const more = result.issueCount > result.issues.length ? `（只列出前 ${result.issues.length} 处）` : ''
      io.err(`\n${file}：${result.issueCount} 处错误${more}，未写入任何数据 / ${result.issueCount} errors, nothing was written`)
      return 1
    }
    if (dryRun) {
      io.out(`${file}：${result.records} 行全部有效（未写入）/ all ${result.records} lines are valid (nothing written)`)
      return 0
    }
    report(result, seconds, io)
    if (!values['no-index']) {
      const applied = await createIndexer(db, searchEngineFromEnv(env, database), SEARCH_TYPES).processOutbox()
      io.out(`搜索索引：已更新 ${applied} 项 / search index: ${applied} changes applied`)
    }
    return 0
  } catch (error) {
    bars.stop()
    if (error instanceof CliError) {
      io.err(error.message)
      return 2
    }
    throw error
  } finally {
    await database.close()
  }
}

// Run only as a script, so tests can import runImport and formatIssue.
const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  const io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), progress: process.stderr.isTTY === true }
  try {
    process.exitCode = await runImport(process.argv.slice(2), parseEnv(), io)
  } catch (error) {
    if (error instanceof EnvError) console.error(error.message)
    else console.error('导入失败（未写入任何数据）/ import failed, nothing was written:', error)
    process.exitCode = 1
  }
}
