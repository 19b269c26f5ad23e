/*
 * The use-case benchmarks (audit-queue.ts, project-pool.ts, dashboard.ts) as one loop: a
 * script names its agencies, pages, floor query and use case, and runUseCaseBench parses
 * `--db` and `--runs`, opens the database read-only, and prints per agency the floor and
 * each page (CPU of the process and wall time after a warm-up, the ratio to the floor).
 */
import { performance } from 'node:perf_hooks'
import type { Actor } from '../../app/domain/accounts/actor.js'
import { jurisdictionCodes } from '../../app/domain/reference/jurisdiction.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import type { Database } from '../../db/connection.js'
import { openDatabase, type OpenedDatabase } from '../../db/open.js'
import { isPostgresUrl } from '../../db/postgres.js'
import { pad, percentile } from './stats.js'

interface UseCaseArgs {
  db: string
  runs: number
}

/** `--db <file|url> [--runs N]`; anything else stops the script with its usage. */
function parseUseCaseArgs(argv: readonly string[], script: string, defaultRuns: number): UseCaseArgs {
  const args: UseCaseArgs = { db: '', runs: defaultRuns }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (flag === '--db' && value) args.db = value
    else if (flag === '--runs' && value) args.runs = Number(value)
    else throw new Error(`usage: npx tsx tests/bench/${script} --db <file|url> [--runs N] (bad argument ${flag ?? ''})`)
  }
  if (!args.db) throw new Error('--db is required')
  if (!Number.isInteger(args.runs) || args.runs <= 0) throw new Error('--runs takes a positive integer')
  return args
}

/**
 * The seeded database, read-only unless `writable` (a use case that makes sure of its search
 * index first: the index's settings row is written once, nothing else).
 */
function openBenchDatabase(db: string, writable = false): OpenedDatabase {
  return openDatabase(isPostgresUrl(db) ? { dialect: 'postgres', url: db } : { dialect: 'sqlite', file: db }, {
    readonly: !writable,
  })
}

/** A member of a verified agency of this region, in the role the use case's permission asks for. */
export function agencyActor(regionCode: string, level: 'province' | 'city' | 'county', role: 'owner' | 'viewer'): Actor {
  return {
    userId: 1,
    org: {
      orgId: 1,
      orgName: 'bench',
      kind: 'agency',
      status: 'verified',
      role,
      membership: 'active',
      regionCode,
      agencyLevel: level,
    },
    regionCode,
    ip: '127.0.0.1',
    contactVerified: true,
  }
}

interface Timed {
  /** CPU milliseconds of the process per call, sorted. */
  cpu: number[]
  /** Wall milliseconds per call, sorted. */
  wall: number[]
}

/** Three untimed calls, then `runs` timed ones. */
async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timed> {
  for (let i = 0; i < 3; i++) await fn()
  const cpu: number[] = []
  const wall: number[] = []
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const w = performance.now()
    await fn()
    wall.push(performance.now() - w)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return { cpu: cpu.sort((a, b) => a - b), wall: wall.sort((a, b) => a - b) }
}

const HEADER = `${pad('agency', 20)} ${pad('page', 22)} ${pad('cpu p50', 8)} ${pad('cpu max', 8)} ${pad('wall p50', 9)} ${pad('× floor', 8)} total`

/** The floor's line: its wall median, which the pages after it are divided by. */
function floorLine(agency: string, label: string, floor: Timed): { line: string; wall: number } {
  const wall = percentile(floor.wall, 50)
  return { line: `${pad(agency, 20)} ${pad(`floor: ${label}`, 22)} ${pad('', 8)} ${pad('', 8)} ${pad(wall.toFixed(2), 9)}`, wall }
}

/** One page's line: CPU median and worst, wall median, its ratio to the floor, and the total it found. */
function pageLine(agency: string, page: string, t: Timed, floorWall: number, total: number): string {
  const p50 = percentile(t.wall, 50)
  return `${pad(agency, 20)} ${pad(page, 22)} ${pad(percentile(t.cpu, 50).toFixed(2), 8)} ${pad((t.cpu.at(-1) ?? 0).toFixed(2), 8)} ${pad(
    p50.toFixed(2),
    9,
  )} ${pad((p50 / Math.max(floorWall, 0.01)).toFixed(1), 8)} ${total}`
}

export interface UseCaseBench<Query> {
  /** The script's file name, for its usage line. */
  script: string
  defaultRuns: number
  /** Opens the database writable (see openBenchDatabase). */
  writable?: boolean
  agencies: readonly { label: string; region: string; actor: Actor }[]
  pages: readonly { label: string; query: Record<string, string> }[]
  parse: (query: Record<string, string>) => Query
  /** The floor of one agency: the least any of its pages reads, as one raw query over its region codes. */
  floor: (db: Database, regions: readonly string[]) => Promise<unknown>
  /** One page as the use case answers it: the total it found. */
  run: (opened: OpenedDatabase, actor: Actor, query: Query) => Promise<number>
}

/** Parses the arguments, then per agency its floor and every page against it, one line each. */
export async function runUseCaseBench<Query>(bench: UseCaseBench<Query>): Promise<void> {
  const args = parseUseCaseArgs(process.argv.slice(2), bench.script, bench.defaultRuns)
  const opened = openBenchDatabase(args.db, bench.writable)
  try {
    const ref = await getReferenceData(opened.db)
    console.log(`${opened.where}, ${args.runs} runs per page`)
    console.log(HEADER)
    for (const agency of bench.agencies) {
      const regions = jurisdictionCodes(ref, agency.region)
      const floor = floorLine(agency.label, 'raw count', await timed(args.runs, () => bench.floor(opened.db, regions)))
      console.log(floor.line)
      for (const page of bench.pages) {
        const query = bench.parse(page.query)
        let total = 0
        const t = await timed(args.runs, async () => {
          total = await bench.run(opened, agency.actor, query)
        })
        console.log(pageLine(agency.label, page.label, t, floor.wall, total))
      }
    }
  } finally {
    await opened.close()
  }
}
