/**
 * npm run export -- --type provider [--region 320000] [--out file.jsonl]
 *
 * Writes organisations of one kind with what belongs to them (providers: profiles,
 * cases, contract templates and the official templates those derive from;
 * enterprises: archives, diagnosis reports and needs, and the organisations the
 * diagnoses name) as an
 * exchange file (docs/exchange.md), to --out or to standard output. Reads
 * DATABASE_URL, else DATABASE_PATH, as every command. Every object written gets an
 * external id (kept in the database), so `npm run import` of the file into this or
 * another installation names the same objects.
 */
import fs from 'node:fs'
import path from 'node:path'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Presets, SingleBar } from 'cli-progress'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { EXPORT_KINDS, planExport, type ExportKind } from '../domain/exchange/export.server.js'
import { getReferenceData } from '../domain/reference/reference.server.js'
import { EnvError, parseEnv, type Env } from '../utils/env.server.js'

const USAGE = `用法：npm run export -- --type <provider|agency|enterprise> [--region <行政区划代码>] [--out <文件.jsonl>]

  --type     导出哪类组织：provider（服务商及其能力画像、案例、合同模板）、agency（主管部门及其官方范本）、
             enterprise（企业及其一企一档、诊断报告、需求，连同诊断涉及的服务商和主管部门）
  --region   只导出此地区及其下级地区的组织，如 320000（江苏省）、321000（扬州市）
  --out      写入文件（默认写到标准输出）
Usage: npm run export -- --type <provider|agency|enterprise> [--region <code>] [--out <file.jsonl>]`

export interface ExportIo {
  err: (line: string) => void
  /** Where lines go when there is no --out. */
  stdout: Writable
  progress: boolean
}

async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await once(stream, 'drain')
}

/** The command: returns its exit code (0 done, 1 failure, 2 usage). */
export async function runExport(argv: readonly string[], env: Env, io: ExportIo): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        type: { type: 'string' },
        region: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (error) {
    io.err(`参数错误：${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    io.err(USAGE)
    return 0
  }
  if (!values.type || !(EXPORT_KINDS as readonly string[]).includes(values.type)) {
    io.err(`--type 须为 ${EXPORT_KINDS.join('、')} 之一 / --type must be one of ${EXPORT_KINDS.join(', ')}\n\n${USAGE}`)
    return 2
  }
  if (!env.DATABASE_URL && !fs.existsSync(env.DATABASE_PATH)) {
    io.err(`数据库文件不存在：${env.DATABASE_PATH} / no database file`)
    return 1
  }
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-export' } })
  const { db } = database
  let bar: SingleBar | null = null
  let out: fs.WriteStream | null = null
  try {
    await migrateToLatest(db)
    if (values.region !== undefined) {
      const ref = await getReferenceData(db)
      if (!ref.regionsByCode.has(values.region)) {
        io.err(`行政区划代码 ${values.region} 不存在 / no region ${values.region}`)
        return 2
      }
    }
    const started = performance.now()
    const plan = await planExport(db, { kind: values.type as ExportKind, regionCode: values.region })
    const target: Writable = values.out ? (out = fs.createWriteStream(values.out)) : io.stdout
    if (io.progress && values.out) {
      bar = new SingleBar(
        {
          format: '导出 exporting [{bar}] {percentage}% | {value}/{total} 行 lines | {duration}s',
          hideCursor: true,
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
      bar.start(Math.max(1, plan.total), 0)
    }
    let n = 0
    for await (const record of plan.records()) {
      await writeLine(target, JSON.stringify(record))
      n += 1
      if (bar && n % 500 === 0) bar.update(n)
    }
    bar?.update(n)
    bar?.stop()
    bar = null
    if (out) {
      out.end()
      await once(out, 'finish')
    }
    const seconds = (performance.now() - started) / 1000
    const counts = Object.entries(plan.counts)
      .filter(([, c]) => c > 0)
      .map(([type, c]) => `${type} ${c}`)
      .join(', ')
    io.err(
      `已导出 ${n} 行（${counts || '无'}），用时 ${seconds.toFixed(1)} 秒${values.out ? `，写入 ${values.out}` : ''} / exported ${n} lines in ${seconds.toFixed(1)} s`,
    )
    return 0
  } finally {
    bar?.stop()
    out?.destroy()
    await database.close()
  }
}

const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  try {
    process.exitCode = await runExport(process.argv.slice(2), parseEnv(), {
      err: (l) => console.error(l),
      stdout: process.stdout,
      progress: process.stderr.isTTY === true,
    })
  } catch (error) {
    if (error instanceof EnvError) console.error(error.message)
    else console.error('导出失败 / export failed:', error)
    process.exitCode = 1
  }
}
