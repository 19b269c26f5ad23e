/**
 * npx tsx tests/bench/engine-pages.ts [--sizes 10000,100000] [--seed 42] [--runs 20]
 *
 * The needs hall's searches through the FTS5 engine alone, on the databases
 * `npm run bench:http` seeded (tests/.bench/needs-<size>-seed-<seed>-m<hash>.db, the
 * newest of each size; a copy is searched, the seeded file is left alone). Where the
 * HTTP bench sees only warm requests (the same URL again and again), this prints what
 * a search costs in each state of the engine's caches (docs/decisions/001-search.md):
 *
 *   load   the first search of a process, or the first after another process wrote:
 *          the engine reads its memory copy of the attributes (all it will need)
 *   cold   the first search after a write through the engine (a need published,
 *          edited, withdrawn): counts, facets, text matches and bm25 order are stale
 *   warm   the same search again (a reload, the bench's repeated URL)
 *
 * Figures are per search (median): the milliseconds this thread was busy (what a
 * server's other requests wait for; the engine's worker thread does the rest), and in
 * brackets the CPU milliseconds of the whole process, all threads.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { toNeedSearchQuery } from '../../app/domain/needs/needs.server.js'
import { ZNeedSearchParams } from '../../app/domain/needs/schema.js'
import { loadNeedDocuments } from '../../app/domain/needs/search-index.server.js'
import { createDb } from '../../db/connection.js'
import type { SearchDocument, SearchQuery } from '../../search/engine.js'
import { createFts5Engine } from '../../search/fts5-engine.js'
import { pad } from './stats.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SCRATCH = path.join(ROOT, 'tests/.bench')
const INDEX = 'needs'

interface Args {
  sizes: number[]
  seed: number
  runs: number
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { sizes: [100_000], seed: 42, runs: 20 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (flag === '--sizes' && value) args.sizes = value.split(',').map(Number)
    else if (flag === '--seed' && value) args.seed = Number(value)
    else if (flag === '--runs' && value) args.runs = Number(value)
    else
      throw new Error(
        `usage: npx tsx tests/bench/engine-pages.ts [--sizes a,b] [--seed N] [--runs N] (bad argument ${flag ?? ''})`,
      )
  }
  if (args.sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes takes positive integers')
  return args
}

/** As the hall asks for a URL's parameters, for a visitor. */
function hall(params: Record<string, string>): SearchQuery {
  return toNeedSearchQuery(ZNeedSearchParams.parse(params), ['public'])
}

const QUERIES: [string, SearchQuery][] = [
  ['/needs (browse)', hall({})],
  ['/needs?q=视觉', hall({ q: '视觉' })],
  ['/needs?page=50', hall({ page: '50' })],
  ['/needs?page=500 (the deepest)', hall({ page: '500' })],
  ['/needs?q=数字化', hall({ q: '数字化' })],
  ['/needs?q=系统&industry=C36&region=320000', hall({ q: '系统', industry: 'C36', region: '320000' })],
  ['/needs?q=系统 (page 1)', hall({ q: '系统' })],
  ['/needs?q=系统&page=100', hall({ q: '系统', page: '100' })],
  ['/needs?q=数字化&sort=newest', hall({ q: '数字化', sort: 'newest' })],
  ['/needs?industry=C36&region=320000&level=…', hall({ industry: 'C36', region: '320000', level: 'smart_factory' })],
  ['/needs?sort=budget_desc', hall({ sort: 'budget_desc' })],
  [
    '/ (home: 6 newest open)',
    {
      filters: { visibility: ['public'], status: ['published'] },
      sort: { by: 'publishedAt', direction: 'desc' },
      pageSize: 6,
    },
  ],
]

/** The newest seeded database of this size and seed. */
function seededDatabase(size: number, seed: number): string {
  const prefix = `needs-${size}-seed-${seed}-m`
  const found = fs
    .readdirSync(SCRATCH, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith(prefix) && e.name.endsWith('.db'))
    .filter((e) => fs.existsSync(path.join(SCRATCH, `${e.name}.ready`)))
    .map((e) => path.join(SCRATCH, e.name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
  if (!found[0]) throw new Error(`no seeded database of ${size} needs: run npm run bench:http -- --needs ${size} first`)
  return found[0]
}

interface Timing {
  /** Busy time of this (the main) thread: what a server's other requests would wait for. */
  main: number
  /** CPU of the process, all threads (the engine's worker included). */
  cpu: number
}

async function measure(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage()
  const elu = performance.eventLoopUtilization()
  await fn()
  const used = process.cpuUsage(cpu)
  return { main: performance.eventLoopUtilization(elu).active, cpu: (used.user + used.system) / 1000 }
}

function median(timings: Timing[]): Timing {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
  return { main: mid(timings.map((t) => t.main)), cpu: mid(timings.map((t) => t.cpu)) }
}

const fmt = (t: Timing) => `${t.main.toFixed(2)} (${t.cpu.toFixed(1)})`

async function benchSize(
  size: number,
  args: Args,
): Promise<Map<string, { hits: number; load: Timing; cold: Timing; warm: Timing }>> {
  const source = seededDatabase(size, args.seed)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-engine-pages-'))
  const file = path.join(dir, 'copy.db')
  fs.copyFileSync(source, file, fs.constants.COPYFILE_FICLONE)
  const { db, sqlite } = createDb(file)
  const out = new Map<string, { hits: number; load: Timing; cold: Timing; warm: Timing }>()
  try {
    // The tokenizer's dictionary is loaded once per process: not part of any search.
    await createFts5Engine(sqlite).search(INDEX, { text: '预热', pageSize: 1 })
    // The write that makes the caches stale: one need indexed again, as after an edit.
    const newest = (await createFts5Engine(sqlite).search(INDEX, { sort: { by: 'publishedAt', direction: 'desc' }, pageSize: 1 }))
      .hits[0]
    const needId = Number(/^need-(\d+)$/.exec(newest?.id ?? '')?.[1] ?? 0)
    const doc: SearchDocument | null | undefined = (await loadNeedDocuments(db, [needId])).get(needId)
    if (!doc) throw new Error('no need to index again')
    console.log(
      `\n${size.toLocaleString('en-US')} needs (${path.relative(ROOT, source)}); main-thread ms per search, median (process CPU ms)`,
    )
    console.log(`${pad('search', 46)}${'hits'.padStart(8)}${'load'.padStart(18)}${'cold'.padStart(18)}${'warm'.padStart(18)}`)
    for (const [label, query] of QUERIES) {
      // load: a new engine object reads its copy, as a fresh process does.
      const loads: Timing[] = []
      for (let i = 0; i < Math.min(3, args.runs); i++) {
        const engine = createFts5Engine(sqlite)
        loads.push(await measure(() => engine.search(INDEX, query)))
      }
      const engine = createFts5Engine(sqlite)
      const first = await engine.search(INDEX, query)
      // cold: a write through the engine makes every cache stale (the sort orders are kept).
      const colds: Timing[] = []
      for (let i = 0; i < args.runs; i++) {
        await engine.upsert(INDEX, [doc])
        colds.push(await measure(() => engine.search(INDEX, query)))
      }
      const warms: Timing[] = []
      for (let i = 0; i < args.runs; i++) warms.push(await measure(() => engine.search(INDEX, query)))
      const row = { hits: first.total, load: median(loads), cold: median(colds), warm: median(warms) }
      out.set(label, row)
      console.log(
        `${pad(label, 46)}${row.hits.toLocaleString('en-US').padStart(8)}${fmt(row.load).padStart(18)}${fmt(row.cold).padStart(18)}${fmt(row.warm).padStart(18)}`,
      )
    }
  } finally {
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return out
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  console.log(
    `对接 engine bench — the hall's searches on the FTS5 engine; ${args.runs} runs each; node ${process.version}, ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  const runs: { size: number; rows: Awaited<ReturnType<typeof benchSize>> }[] = []
  for (const size of args.sizes) runs.push({ size, rows: await benchSize(size, args) })
  if (runs.length < 2) return
  console.log(`\nGrowth: cold main-thread ms per search at each size, and hits (× = relative to the first size)`)
  const base = runs[0]!
  console.log(`${pad('search', 46)}${runs.map((r) => r.size.toLocaleString('en-US').padStart(26)).join('')}`)
  for (const [label] of QUERIES) {
    const first = base.rows.get(label)
    const cells = runs.map(({ rows }) => {
      const r = rows.get(label)
      if (!r || !first) return '–'.padStart(26)
      const cell = `${r.cold.main.toFixed(2)} ×${(r.cold.main / first.cold.main).toFixed(1)} ${r.hits} ×${(r.hits / Math.max(1, first.hits)).toFixed(1)}`
      return cell.padStart(26)
    })
    console.log(`${pad(label, 46)}${cells.join('')}`)
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
