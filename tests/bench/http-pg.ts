/**
 * The PostgreSQL side of `npm run bench:http -- --pg` (tests/bench/http.ts): one
 * throwaway server for the whole run (tests/support/pg-server.ts, or the server
 * TEST_DATABASE_URL names), a database seeded per size with the build's own seed CLI
 * (which also builds the search index: PostgreSQL full-text search, search/pg-engine.ts),
 * then VACUUM ANALYZE'd, and a copy of it (CREATE DATABASE … TEMPLATE) per measured
 * column, so sessions one column writes never reach the next. Also reads the server's
 * CPU time from /proc, for "database ms per request" beside the app server's own.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {
  cloneTestDatabase,
  createTestDatabase,
  pgServerFromEnv,
  pgUnavailableReason,
  type PgServer,
  type TestDatabase,
} from '../support/pg-server.js'
import { seedCliArgs, seedTag } from './seed-args.js'

/** Settings worth knowing when reading the figures (pg_settings names). */
const SHOWN_SETTINGS = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'maintenance_work_mem',
  'max_connections',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'jit',
  'max_parallel_workers_per_gather',
  'random_page_cost',
] as const

export interface PgSetting {
  name: string
  value: string
  /** pg_settings.source: 'default', 'command line', 'configuration file', … */
  source: string
}

export interface SeededPg {
  needs: number
  /** URL of the seeded database: a template, never served. */
  url: string
  seedSeconds: number
  /** The seed's own report of its reindexAll (documents, seconds), when it printed one. */
  index: { documents: number; seconds: number } | null
  vacuumSeconds: number
  /** pg_database_size of the seeded database, after VACUUM ANALYZE. */
  bytes: number
  /** A fresh copy of the seeded database for one column. */
  copy(tag: string): Promise<TestDatabase>
  drop(): Promise<void>
}

export interface PgCpuMeter {
  /** CPU time (user + system, ms) of the postmaster and every process it started, dead ones included. */
  cpuMs(): number
}

export interface PgBenchServer {
  adminUrl: string
  version: string
  /** 'a throwaway server (…)' or 'TEST_DATABASE_URL'. */
  where: string
  settings: PgSetting[]
  /** Null for a server this process did not start (TEST_DATABASE_URL) or without /proc. */
  meter: PgCpuMeter | null
  seed(buildDir: string, needs: number, seed: number): Promise<SeededPg>
  stop(): Promise<void>
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

/** Starts (or joins, with TEST_DATABASE_URL) the run's PostgreSQL server; throws with the reason when there is none. */
export async function startPgBench(): Promise<PgBenchServer> {
  const unavailable = pgUnavailableReason()
  if (unavailable) throw new Error(unavailable.replace('PostgreSQL tests skipped', '--pg needs PostgreSQL'))
  const server: PgServer = await pgServerFromEnv()
  try {
    const rows = await query<{ name: string; value: string; source: string }>(
      server.adminUrl,
      `SELECT name, current_setting(name) AS value, source FROM pg_settings WHERE name = ANY($1) ORDER BY array_position($1, name)`,
      [[...SHOWN_SETTINGS]],
    )
    const version = (await query<{ v: string }>(server.adminUrl, `SELECT current_setting('server_version') AS v`))[0]?.v ?? '?'
    return {
      adminUrl: server.adminUrl,
      version,
      where: server.dataDir ? `a throwaway server (tests/support/pg-server.ts, data in ${server.dataDir})` : 'TEST_DATABASE_URL',
      settings: rows,
      meter: server.dataDir ? cpuMeter(server.dataDir) : null,
      seed: (buildDir, needs, seed) => seedDatabase(server.adminUrl, buildDir, needs, seed),
      stop: () => server.stop(),
    }
  } catch (error) {
    await server.stop()
    throw error
  }
}

/**
 * Seeds an empty database with the build's seed CLI (migrations, reference data, the
 * demo organisations and accounts, the needs, then the search index), VACUUM ANALYZEs
 * it (a served database would have been vacuumed and analysed by autovacuum long
 * since), and measures it.
 */
async function seedDatabase(adminUrl: string, buildDir: string, needs: number, seed: number): Promise<SeededPg> {
  const database = await createTestDatabase(adminUrl, `bench_${needs}`)
  try {
    console.log(`seeding ${seedTag(buildDir, needs)} (seed ${seed}) into PostgreSQL …`)
    const started = performance.now()
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' }
    for (const k of ['DATABASE_URL', 'DATABASE_PATH', 'SEARCH_ENGINE', 'MEILI_URL', 'MEILI_API_KEY']) delete env[k]
    const seeded = spawnSync(process.execPath, seedCliArgs(buildDir, needs, seed, database.url), {
      cwd: buildDir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    })
    const output = seeded.stdout ?? ''
    for (const line of output.split('\n')) if (line.trim()) console.log(`  [seed] ${line}`)
    if (seeded.status !== 0) throw new Error(`seeding PostgreSQL failed (exit ${seeded.status})`)
    const seedSeconds = (performance.now() - started) / 1000
    // seed/cli.ts: 搜索索引（postgresql）：90510 个文档，用时 61.2 秒
    const m = /搜索索引（[^）]*）：(\d+) 个文档，用时 ([\d.]+) 秒/.exec(output)
    const index = m ? { documents: Number(m[1]), seconds: Number(m[2]) } : null
    const vacuumStarted = performance.now()
    await query(database.url, 'VACUUM ANALYZE')
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000
    const bytes = Number(
      (await query<{ n: string }>(database.url, 'SELECT pg_database_size(current_database()) AS n'))[0]?.n ?? 0,
    )
    const template = new URL(database.url).pathname.slice(1)
    // A restricted TEST_DATABASE_URL gets a schema instead of a database (createTestDatabase):
    // no template to copy, so every column serves the seeded schema itself.
    const isSchema = new URL(database.url).searchParams.has('options')
    return {
      needs,
      url: database.url,
      seedSeconds,
      index,
      vacuumSeconds,
      bytes,
      copy: async (tag) =>
        isSchema ? { url: database.url, drop: async () => undefined } : cloneTestDatabase(adminUrl, template, `bench_${tag}`),
      drop: database.drop,
    }
  } catch (error) {
    await database.drop().catch(() => undefined)
    throw error
  }
}

/** CPU time of the postmaster (its pid in postmaster.pid) and its children, from /proc. */
function cpuMeter(dataDir: string): PgCpuMeter | null {
  if (!fs.existsSync('/proc/self/stat')) return null
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100
  const pidFile = path.join(dataDir, 'postmaster.pid')
  const stat = (pid: string): string[] | null => {
    try {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command name, which sits in parentheses and may hold spaces.
      return text.slice(text.lastIndexOf(')') + 2).split(' ')
    } catch {
      return null
    }
  }
  return {
    cpuMs() {
      const postmaster = fs.readFileSync(pidFile, 'utf8').split('\n')[0]?.trim() ?? ''
      const own = stat(postmaster)
      if (!own) return Number.NaN
      // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
      // cutime/cstime hold the children the postmaster has reaped (ended backends).
      let total = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
      for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue
        const s = stat(entry)
        if (s && s[1] === postmaster) total += Number(s[11]) + Number(s[12])
      }
      return (total * 1000) / ticks
    },
  }
}
