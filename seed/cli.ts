/**
 * npm run seed -- --needs 100000 [--providers 10000] [--seed 42] [--db path] [--reset] [--now 2026-11-01]
 *
 * Migrates, loads reference data, generates the demo data set (organisations, the
 * demo accounts that own some of them, the providers' profiles, cases and contract
 * templates, needs), then rebuilds the search index. Demo
 * data goes only into a database without organisations: one holding demo data needs
 * --reset, one holding any real organisation or account is refused outright.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { SingleBar, Presets } from 'cli-progress'
import { SEARCH_TYPES } from '../app/domain/search-types.server.js'
import { EnvError, parseEnv } from '../app/utils/env.server.js'
import { searchEngineFromEnv } from '../app/web/search-engine.server.js'
import { migrateToLatest } from '../db/migrate.js'
import { openDatabase } from '../db/open.js'
import { isPostgresUrl } from '../db/postgres.js'
import { createIndexer } from '../search/indexer.js'
import { printDemoAccounts } from './accounts.js'
import { DEMO_DEFAULT_SEED } from './demo.js'
import { generateDemo, resetDemoData } from './demo-writer.js'
import { loadReferenceData } from './reference.js'

const USAGE = `用法：npm run seed -- [--needs <数量>] [--providers <数量>] [--seed <整数>] [--db <路径>] [--reset] [--now <YYYY-MM-DD>]

  --needs <数量>   生成的需求条数（0–1000000，默认环境变量 DEMO_NEEDS，即 600）
  --providers <数量> 生成的服务商数（0–1000000，含能力画像、资质、案例和合同模板；默认按需求数：需求数 / 20，至少 12）
  --seed <整数>    随机种子，相同种子生成相同数据（默认 ${DEMO_DEFAULT_SEED}）
  --db <路径或地址> SQLite 数据库文件，或 PostgreSQL 地址 postgres://…（默认环境变量 DATABASE_URL，
                   否则 DATABASE_PATH，否则 data/duijie.db）
  --reset          先删除已有的演示数据（组织、演示账号、需求及搜索队列；有真实组织或账号时拒绝）
  --now <日期>     演示数据的“当前日期”（默认 2026-11-01，保证结果可复现）
  --help           显示本说明`

export interface SeedArgs {
  /** undefined → DEMO_NEEDS from the environment. */
  needs: number | undefined
  /** undefined → scaled to the needs (demoCounts). */
  providers: number | undefined
  seed: number
  /** A SQLite file or a postgres:// URL; undefined → DATABASE_URL, else DATABASE_PATH. */
  db: string | undefined
  reset: boolean
  now: Date | undefined
  help: boolean
}

export class UsageError extends Error {}

function parseInteger(flag: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`${flag} 需要一个整数，收到“${raw}”`)
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} 必须在 ${min} 到 ${max} 之间，收到 ${raw}`)
  return n
}

/** Parses argv (without node and script); throws UsageError with a Chinese message. */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const args: SeedArgs = {
    needs: undefined,
    providers: undefined,
    seed: DEMO_DEFAULT_SEED,
    db: undefined,
    reset: false,
    now: undefined,
    help: false,
  }
  const seen = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ''
    const eq = token.indexOf('=')
    const flag = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token
    const inline = token.startsWith('--') && eq > 0 ? token.slice(eq + 1) : undefined
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} 缺少参数值`)
      i++
      return next
    }
    if (seen.has(flag)) throw new UsageError(`参数 ${flag} 重复`)
    seen.add(flag)
    switch (flag) {
      case '--needs':
        args.needs = parseInteger('--needs', value(), 0, 1_000_000)
        break
      case '--providers':
        args.providers = parseInteger('--providers', value(), 0, 1_000_000)
        break
      case '--seed':
        args.seed = parseInteger('--seed', value(), 0, 0xffffffff)
        break
      case '--db': {
        const v = value().trim()
        if (!v) throw new UsageError('--db 路径不能为空')
        args.db = v
        break
      }
      case '--now': {
        const v = value()
        const d = new Date(`${v}T00:00:00.000Z`)
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
          throw new UsageError(`--now 需要 YYYY-MM-DD 格式的日期，收到“${v}”`)
        }
        args.now = d
        break
      }
      case '--reset':
      case '--help':
      case '-h':
        if (inline !== undefined) throw new UsageError(`${flag} 不接受参数值`)
        if (flag === '--reset') args.reset = true
        else args.help = true
        break
      default:
        throw new UsageError(token.startsWith('-') ? `未知参数：${token}` : `多余的参数：${token}`)
    }
  }
  return args
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1)
}

function progressBar(label: string): SingleBar {
  return new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | 用时 {duration_formatted} | 剩余 {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
      fps: 10,
    },
    Presets.shades_classic,
  )
}

async function main(argv: readonly string[]): Promise<number> {
  let args: SeedArgs
  try {
    args = parseSeedArgs(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`参数错误：${error.message}\n\n${USAGE}`)
      return 2
    }
    throw error
  }
  if (args.help) {
    console.log(USAGE)
    return 0
  }

  const given = args.db
  // --db names the database outright; its search engine is then that database's own.
  const env = given
    ? parseEnv({
        ...process.env,
        DATABASE_URL: isPostgresUrl(given) ? given : '',
        DATABASE_PATH: isPostgresUrl(given) ? process.env.DATABASE_PATH : given,
        SEARCH_ENGINE: process.env.SEARCH_ENGINE === 'meilisearch' ? 'meilisearch' : '',
      })
    : parseEnv()
  const needs = args.needs ?? env.DEMO_NEEDS
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-seed' } })
  const { db, sqlite } = database
  const file = database.where
  try {
    const applied = await migrateToLatest(db)
    if (applied.length) console.log(`数据库迁移：${applied.length} 个（${file}）`)
    const ref = await loadReferenceData(db)
    console.log(`基础数据：${ref.regions} 个行政区划，${ref.industries} 个制造业大类，${ref.scenarios} 个场景`)

    const existing = await db
      .selectFrom('organisations')
      // A flag compared with a parameter reads alike on SQLite (0/1) and PostgreSQL (boolean).
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('id').filterWhere('is_demo', '=', 1).as('demo')])
      .executeTakeFirstOrThrow()
    const real = Number(existing.n) - Number(existing.demo ?? 0)
    if (real > 0) {
      console.error(
        `数据库 ${file} 中有 ${real} 个真实组织：演示数据只能写入没有任何组织的数据库，请改用新的 --db 路径或数据库。`,
      )
      return 1
    }
    if (Number(existing.n) > 0 && !args.reset) {
      console.error(`数据库 ${file} 中已有演示数据。如需重新生成，请加 --reset（将删除现有演示数据）。`)
      return 1
    }
    if (args.reset) {
      const started = performance.now()
      await resetDemoData(db)
      console.log(`已清空演示数据（${seconds(started)} 秒）`)
    }

    const genStarted = performance.now()
    let contractSeconds = '0'
    // Providers' profiles, cases and templates come first, then the needs: a bar each.
    const bars: { providers?: SingleBar; needs?: SingleBar } = {}
    const show = (which: 'providers' | 'needs', label: string) => (done: number, total: number) => {
      let bar = bars[which]
      if (!bar) {
        if (which === 'needs') bars.providers?.stop()
        bar = bars[which] = progressBar(label)
        bar.start(total, done)
      }
      bar.setTotal(total)
      bar.update(done)
    }
    const result = await generateDemo(db, sqlite, {
      needs,
      providers: args.providers,
      seed: args.seed,
      now: args.now,
      onProviderProgress: show('providers', '生成服务商'),
      onProgress: show('needs', '生成需求'),
      onContracts: (s) => (contractSeconds = s.toFixed(1)),
    })
    bars.providers?.stop()
    bars.needs?.stop()
    const genSeconds = seconds(genStarted)
    const p = result.providerData
    console.log(
      `演示数据：${result.organisations} 个组织（企业 ${result.enterprises.length}，服务商 ${result.providers.length}，主管部门 ${result.agencies.length}），${result.needs} 条需求，用时 ${genSeconds} 秒`,
    )
    console.log(
      `服务商数据：${p.profiles} 份能力画像，${p.qualifications} 项资质，${p.cases} 个案例（${p.metrics} 项成效指标），${p.templates} 份合同模板`,
    )
    const d = result.diagnosisData
    console.log(
      `企业与诊断：${d.profiles} 份一企一档（${d.titles} 项梯度称号），${d.diagnoses} 个诊断项目（${d.versions} 版报告，${d.weaknesses} 项短板，${d.records} 条服务记录，${d.surveys} 份满意度调查）`,
    )
    const k = result.contractData
    console.log(
      `投标与合同：${k.bids} 份方案，${k.contracts} 份合同（${k.milestones} 个付款节点，${k.submissions} 次提交，${k.reviews} 条验收意见，${k.logs} 条监理日志，${k.disputes} 起纠纷，${k.ratings} 条评价，${k.events} 条合同动态），用时 ${contractSeconds} 秒`,
    )
    printDemoAccounts(result.accounts)

    const engine = searchEngineFromEnv(env, database)
    const indexStarted = performance.now()
    const indexBar = progressBar('建立索引')
    indexBar.start(1, 0)
    const indexed = await createIndexer(db, engine, SEARCH_TYPES).reindexAll({
      onProgress: (done, total) => {
        indexBar.setTotal(total)
        indexBar.update(done)
      },
    })
    indexBar.stop()
    console.log(`搜索索引（${engine.name}）：${indexed} 个文档，用时 ${seconds(indexStarted)} 秒`)
    sqlite?.pragma('wal_checkpoint(TRUNCATE)')
    return 0
  } finally {
    await database.close()
  }
}

// Run only as a script, so tests can import parseSeedArgs.
const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof EnvError) console.error(error.message)
      else console.error('生成演示数据失败：', error)
      process.exit(1)
    },
  )
}
