/**
 * npm run bench:http [-- --needs 100000] [--seed 42] [--duration 5] [--connections 10]
 *                       [--growth] [--million] [--sizes 1000,10000] [--only needs,titles]
 *                       [--profile] [--cpu-prof] [--ref <git ref>] [--no-gzip] [--no-floor-each]
 *                       [--pg | --pg-only]
 *
 * Pages as a user meets them: seeds (or reuses, by size and seed) a database under
 * tests/.bench/, builds the app into a private copy of the tree (tests/.bench/build-<hash>,
 * so the shared build/ folder is never touched), starts the production server on a
 * free port as a child process, signs in the demo accounts, and drives every page with
 * autocannon for a fixed time. Prints req/s, latency percentiles, the ratio to the
 * floor page (/login: the same layout, no data) measured in the same run, and from
 * inside the server (a preloaded module, tests/bench/http-preload.mjs) the event
 * loop's longest stall and its busy time per request. Also prints the JavaScript each
 * page makes a browser download. Prints figures; asserts nothing.
 *
 *   --growth          runs 10 000 and 100 000 needs and prints how each page's
 *                     cost grows (add --million for 1 000 000: seeding it takes ~6 minutes
 *                     on this machine and 3.2 GB under tests/.bench)
 *   --profile         after each page's measured run, a second run under V8's CPU
 *                     profiler; prints where the main thread's time went and keeps the
 *                     .cpuprofile files in tests/.bench/profiles/
 *   --cpu-prof        starts the server with `node --cpu-prof` (one profile per run)
 *   --ref <ref>       benchmarks a commit (git archive) instead of the working tree
 *   --no-floor-each   by default the floor is measured again right before each page and
 *                     the ratio taken against that run (machines shared with other work
 *                     drift); this measures it only at the start and the end
 *   --pg              after the SQLite column, the same pages on PostgreSQL (a throwaway
 *                     server, tests/bench/http-pg.ts; or TEST_DATABASE_URL's): one server
 *                     instance, then two instances on the same database with the load
 *                     split between them (two autocannon runs at once, half the
 *                     connections each on each instance's own port: no proxy hop; req/s
 *                     summed, latency percentiles over every response of both). The
 *                     database is seeded with the same size and seed (the seed builds the
 *                     search index: PostgreSQL full-text search; its time is printed),
 *                     VACUUM ANALYZE'd, and copied afresh for each column. Each column has
 *                     its own floor runs; a last table sets the columns side by side.
 *   --pg-only         the two PostgreSQL columns without the SQLite one
 *
 * Environment: BENCH_DURATION (seconds per page), BENCH_CONNECTIONS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import type { Kysely } from 'kysely'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import autocannon from 'autocannon'
import { isVisibleNeed } from '../../app/domain/needs/visibility.js'
import { jurisdictionCodes } from '../../app/domain/reference/jurisdiction.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import type { DatabaseTarget } from '../../db/dialect.js'
import { openDatabase, redactUrl } from '../../db/open.js'
import type { DB } from '../../db/types.js'
import { DEMO_PASSWORD } from '../../seed/accounts.js'
import { startPgBench, type PgBenchServer, type PgCpuMeter, type PgSetting, type SeededPg } from './http-pg.js'
import { CATEGORIES, summariseProfile } from './http-profile.js'
import { pad, percentile } from './stats.js'
import { seedCliArgs, seedTag } from './seed-args.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SCRATCH = path.join(ROOT, 'tests/.bench')
const PRELOAD = path.join(ROOT, 'tests/bench/http-preload.mjs')
/** The honeypot input every public form carries (app/utils/forms.ts); it must stay empty. */
const HONEYPOT_FIELD = 'website'

interface Args {
  sizes: number[]
  seed: number
  duration: number
  connections: number
  only: string | null
  profile: boolean
  cpuProf: boolean
  ref: string | null
  gzip: boolean
  /** Measure the floor again right before each page, for a ratio robust to a busy machine. */
  floorEach: boolean
  /** The columns to measure: SQLite (one instance), PostgreSQL with one and with two instances. */
  columns: ColumnKind[]
}

type ColumnKind = 'sqlite' | 'pg' | 'pg×2'

const USAGE =
  'usage: npm run bench:http -- [--needs N | --sizes a,b,c | --growth [--million]] [--providers N (default needs/10)] [--seed N] [--duration S] [--connections N] [--only text[,text…]] [--profile] [--cpu-prof] [--ref <git ref>] [--no-gzip] [--no-floor-each] [--pg | --pg-only]'

function parseArgs(argv: readonly string[]): Args {
  const envInt = (name: string, fallback: number) => {
    const raw = process.env[name]
    const n = raw === undefined ? fallback : Number(raw)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`)
    return n
  }
  const args: Args = {
    sizes: [100_000],
    seed: 42,
    duration: envInt('BENCH_DURATION', 5),
    connections: envInt('BENCH_CONNECTIONS', 10),
    only: null,
    profile: false,
    cpuProf: false,
    ref: null,
    gzip: true,
    floorEach: true,
    columns: ['sqlite'],
  }
  let growth = false
  let million = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`)
      return v
    }
    const int = (v: string, min: number): number => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}, got ${v}\n${USAGE}`)
      return n
    }
    switch (flag) {
      case '--needs':
        args.sizes = [int(value(), 0)]
        break
      case '--providers':
        // Read by seed-args.ts (also in the PostgreSQL column's seeding).
        process.env.BENCH_PROVIDERS = String(int(value(), 0))
        break
      case '--sizes':
        args.sizes = value()
          .split(',')
          .map((s) => int(s.trim(), 0))
        break
      case '--growth':
        growth = true
        break
      case '--million':
        million = true
        break
      case '--seed':
        args.seed = int(value(), 0)
        break
      case '--duration':
        args.duration = int(value(), 1)
        break
      case '--connections':
        args.connections = int(value(), 1)
        break
      case '--only':
        args.only = value()
        break
      case '--profile':
        args.profile = true
        break
      case '--cpu-prof':
        args.cpuProf = true
        break
      case '--ref':
        args.ref = value()
        break
      case '--no-gzip':
        args.gzip = false
        break
      case '--no-floor-each':
        args.floorEach = false
        break
      case '--pg':
        args.columns = ['sqlite', 'pg', 'pg×2']
        break
      case '--pg-only':
        args.columns = ['pg', 'pg×2']
        break
      default:
        throw new Error(`unknown argument ${flag ?? ''}\n${USAGE}`)
    }
  }
  if (growth) args.sizes = [10_000, 100_000]
  if (million) args.sizes = [...new Set([...args.sizes, 1_000_000])]
  args.sizes.sort((a, b) => a - b)
  return args
}

// ---------------------------------------------------------------------------
// The database: seeded once per (size, seed) with the project's generator.

/**
 * The seeded database for (size, seed) and the build's schema: seeded once with the
 * build's own code (its migrations and generator), so a commit benchmarked with --ref
 * gets a database it can migrate. Never served: each run serves a fresh copy, which
 * the server migrates and writes sessions into.
 */
async function ensureDatabase(needs: number, seed: number, buildDir: string): Promise<string> {
  fs.mkdirSync(SCRATCH, { recursive: true })
  const file = path.join(SCRATCH, `${seedTag(buildDir, needs)}-seed-${seed}-m${migrationsKey(buildDir)}.db`)
  const ready = `${file}.ready`
  if (!(fs.existsSync(file) && fs.existsSync(ready))) {
    const tmp = path.join(SCRATCH, `seeding-${needs}-seed-${seed}-${process.pid}.db`)
    for (const f of [file, ready, tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true })
    console.log(`seeding ${seedTag(buildDir, needs)} (seed ${seed}) into ${path.relative(ROOT, file)} …`)
    const started = performance.now()
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: tmp, NODE_ENV: 'production' }
    const seeded = spawnSync(process.execPath, seedCliArgs(buildDir, needs, seed, tmp), {
      cwd: buildDir,
      stdio: 'inherit',
      env,
    })
    if (seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status})`)
    // The demo accounts, through the build's code too: today's seed writes them with the
    // organisations; an older build (--ref) had a separate createDemoAccounts.
    const accounts = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '--eval',
        `const { createDb } = await import('./db/connection.ts')
         const { createDemoAccounts } = await import('./seed/accounts.ts')
         const { db, sqlite } = createDb(process.env.DATABASE_PATH)
         if (typeof createDemoAccounts === 'function') await createDemoAccounts(db)
         sqlite.pragma('wal_checkpoint(TRUNCATE)')
         await db.destroy()`,
      ],
      { cwd: buildDir, stdio: 'inherit', env },
    )
    if (accounts.status !== 0) throw new Error(`creating the demo accounts failed (exit ${accounts.status})`)
    fs.renameSync(tmp, file)
    fs.writeFileSync(ready, JSON.stringify({ needs, seed, seededAt: new Date().toISOString() }))
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  }
  const served = path.join(SCRATCH, `serving-${needs}.db`)
  for (const f of [served, `${served}-wal`, `${served}-shm`]) fs.rmSync(f, { force: true })
  fs.copyFileSync(file, served, fs.constants.COPYFILE_FICLONE)
  return served
}

/** Which schema a build creates: a hash of its migration files. */
function migrationsKey(buildDir: string): string {
  const dir = path.join(buildDir, 'db/migrations')
  const hash = crypto.createHash('sha256')
  for (const f of fs.readdirSync(dir).sort())
    hash
      .update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(dir, f)))
      .update('\0')
  return hash.digest('hex').slice(0, 8)
}

// ---------------------------------------------------------------------------
// The build: a private copy of the tree, built once per content hash.

function git(args: string[]): Buffer {
  const r = spawnSync('git', args, { cwd: ROOT, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr.toString()}`)
  return r.stdout
}

/** Files the server and the build need: everything tracked or new, minus tests and docs. */
function sourceFiles(): string[] {
  return git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .toString()
    .split('\0')
    .filter((f) => f && !/^(tests|docs|\.ci)\//.test(f) && fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile())
    .sort()
}

function prepareBuild(ref: string | null): string {
  fs.mkdirSync(SCRATCH, { recursive: true })
  const staging = fs.mkdtempSync(path.join(SCRATCH, 'staging-'))
  try {
    if (ref) {
      const archive = git(['archive', '--format=tar', ref])
      const r = spawnSync('tar', ['-x', '-C', staging], { input: archive })
      if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`)
      for (const dir of ['tests', 'docs', '.ci']) fs.rmSync(path.join(staging, dir), { recursive: true, force: true })
    } else {
      for (const f of sourceFiles()) {
        fs.mkdirSync(path.dirname(path.join(staging, f)), { recursive: true })
        fs.copyFileSync(path.join(ROOT, f), path.join(staging, f))
      }
    }
    const hash = crypto.createHash('sha256')
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else {
          hash.update(path.relative(staging, full)).update('\0').update(fs.readFileSync(full)).update('\0')
        }
      }
    }
    walk(staging)
    const dir = path.join(SCRATCH, `build-${hash.digest('hex').slice(0, 16)}`)
    if (fs.existsSync(path.join(dir, '.built'))) {
      console.log(`build: reusing ${path.relative(ROOT, dir)}`)
      return dir
    }
    fs.rmSync(dir, { recursive: true, force: true })
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(staging, 'node_modules'), 'dir')
    console.log(`build: ${ref ? `git ${ref}` : 'working tree'} → ${path.relative(ROOT, dir)}`)
    const started = performance.now()
    const built = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/@remix-run/dev/dist/cli.js'), 'build', '--sourcemap'],
      {
        cwd: staging,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    )
    if (built.status !== 0) throw new Error(`remix build failed (exit ${built.status})`)
    fs.writeFileSync(path.join(staging, '.built'), new Date().toISOString())
    fs.renameSync(staging, dir)
    console.log(`build: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    // Older private builds are scratch: keep the three newest.
    const old = fs
      .readdirSync(SCRATCH)
      .filter((d) => d.startsWith('build-') && path.join(SCRATCH, d) !== dir)
      .map((d) => ({ d, t: fs.statSync(path.join(SCRATCH, d)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(2)
    for (const { d } of old) fs.rmSync(path.join(SCRATCH, d), { recursive: true, force: true })
    return dir
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------
// The server: a child process with the measuring preload and an IPC channel.

interface LoopReading {
  maxDelayMs: number
  p99DelayMs: number
  meanDelayMs: number
  cpuMs: number
  utilisation: number
  rssMiB: number
}

class Server {
  private nextId = 1
  private readonly waiting = new Map<number, (answer: Record<string, unknown>) => void>()
  private stderr = ''

  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {
    child.on('message', (message: { id?: number } & Record<string, unknown>) => {
      const resolve = message.id === undefined ? undefined : this.waiting.get(message.id)
      if (resolve && message.id !== undefined) {
        this.waiting.delete(message.id)
        resolve(message)
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
      process.stderr.write(chunk.toString().replace(/^(?=.)/gm, '  [server] '))
    })
    child.stdout?.resume()
  }

  static async start(
    buildDir: string,
    target: DatabaseTarget,
    options: { cpuProfDir: string | null; sourceMaps: boolean },
  ): Promise<Server> {
    const port = await freePort()
    const nodeArgs = [
      ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []),
      // Lets the preload name the source file and line of each profiled frame.
      ...(options.sourceMaps ? ['--enable-source-maps'] : []),
      '--import',
      'tsx',
      '--import',
      PRELOAD,
      'app/server.ts',
    ]
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NODE_ENV: 'production' }
    for (const k of ['DATABASE_URL', 'DATABASE_PATH', 'MEILI_URL', 'MEILI_API_KEY', 'TRUST_PROXY', 'INSECURE_COOKIES'])
      delete env[k]
    // Each database's own search engine: FTS5 on SQLite, full-text search on PostgreSQL.
    if (target.dialect === 'sqlite') Object.assign(env, { DATABASE_PATH: target.file, SEARCH_ENGINE: 'sqlite' })
    else Object.assign(env, { DATABASE_URL: target.url, SEARCH_ENGINE: 'postgres' })
    const child = spawn(process.execPath, nodeArgs, { cwd: buildDir, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    const server = new Server(child, `http://127.0.0.1:${port}`)
    const deadline = Date.now() + 120_000
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`server exited with ${child.exitCode} (a working tree mid-edit? try --ref HEAD):\n${server.stderr}`)
      }
      try {
        const res = await fetch(`${server.origin}/healthz`)
        if (res.ok) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('server did not answer /healthz within 120 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    return server
  }

  ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (answer) => (typeof answer.error === 'string' ? reject(new Error(answer.error)) : resolve(answer)))
      this.child.send({ ...message, id })
    })
  }

  async reading(): Promise<LoopReading> {
    return (await this.ask({ type: 'read' })) as unknown as LoopReading
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((r) => this.child.once('exit', r))
    this.child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Signs in through the login form, as a browser would, and returns the session cookie. */
async function signIn(origin: string, login: string): Promise<string> {
  const body = new URLSearchParams({ login, password: DEMO_PASSWORD, redirectTo: '', [HONEYPOT_FIELD]: '' })
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!)
  if (res.status !== 302 || cookies.length === 0) throw new Error(`sign-in as ${login} failed: HTTP ${res.status}`)
  return cookies.join('; ')
}

// ---------------------------------------------------------------------------
// The pages.

interface Page {
  label: string
  path: string
  cookie?: string
}

const ACCOUNTS = { enterprise: '13900000001', provider: '13900000011', agency: '13900000021' } as const

async function pages(origin: string, target: DatabaseTarget): Promise<Page[]> {
  const { db, close } = openDatabase(target, { readonly: true, postgres: { max: 1, applicationName: 'duijie-bench' } })
  let needId: number
  let restrictedId: number
  let applicationId: number
  let providerPages: (cookie: string) => Page[] = () => []
  let demandPages: (cookies: { enterprise: string; agency: string }) => Page[] = () => []
  let workspacePages: (cookies: {
    enterprise: string
    provider: string
    agency: string
    supervisor: string | null
  }) => Page[] = () => []
  let supervisorLogin: string | null = null
  let policyPages: (cookies: PolicyCookies) => Page[] = () => []
  let reviewPages: (cookies: { provider: string; agency: string; expert: string | null }) => Page[] = () => []
  let meetingPages: (cookies: { enterprise: string; provider: string; agency: string }) => Page[] = () => []
  let dashboardPages: (agency: string) => Page[] = () => []
  let eventPages: (cookies: { provider: string; agency: string }) => Page[] = () => []
  let evaluationPages: (cookies: { provider: string; agency: string }) => Page[] = () => []
  let poolPages: (cookies: { provider: string; agency: string; expert: string | null }) => Page[] = () => []
  try {
    // A public need from the middle of the table: neither the first nor the newest row.
    const visible = db
      .selectFrom('needs as n')
      .innerJoin('organisations as o', 'o.id', 'n.org_id')
      .where(isVisibleNeed(['public']))
    const count = Number((await visible.select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow()).c)
    const row = await visible
      .select('n.id')
      .orderBy('n.id')
      .offset(Math.floor(count / 2))
      .limit(1)
      .executeTakeFirst()
    needId = row?.id ?? 1
    // A need for verified providers only, which a visitor is refused (403 with the reason).
    const restricted = await db
      .selectFrom('needs as n')
      .innerJoin('organisations as o', 'o.id', 'n.org_id')
      .where(isVisibleNeed(['verified_providers']))
      .where('n.visibility', '=', 'verified_providers')
      .select('n.id')
      .limit(1)
      .executeTakeFirst()
    restrictedId = restricted?.id ?? needId
    // An application the demo agency may review: in its jurisdiction, pending ones first.
    const agencyRegion = await db
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .where('o.kind', '=', 'agency')
      .select('o.region_code')
      .executeTakeFirstOrThrow()
    const ref = await getReferenceData(db)
    const application = await db
      .selectFrom('organisations')
      .where('kind', '<>', 'agency')
      .where('region_code', 'in', jurisdictionCodes(ref, agencyRegion.region_code))
      .select('id')
      .orderBy((eb) => eb.case().when('status', '=', 'pending').then(0).else(1).end())
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    applicationId = application.id
    providerPages = await providerPagesOf(db)
    demandPages = await demandPagesOf(db)
    ;({ pages: workspacePages, supervisorLogin } = await workspacePagesOf(db))
    reviewPages = await reviewPagesOf(db)
    meetingPages = await meetingPagesOf(db)
    dashboardPages = await dashboardPagesOf(db)
    eventPages = await eventPagesOf(db)
    evaluationPages = await evaluationPagesOf(db)
    poolPages = await poolPagesOf(db)
    policyPages = await policyPagesOf(db)
  } finally {
    await close()
  }
  const enterprise = await signIn(origin, ACCOUNTS.enterprise)
  const provider = await signIn(origin, ACCOUNTS.provider)
  const agency = await signIn(origin, ACCOUNTS.agency)
  const supervisor = supervisorLogin ? await signIn(origin, supervisorLogin).catch(() => null) : null
  // The demo expert (seed/experts.ts), when the demo has one.
  const expert = await signIn(origin, DEMO_EXPERT_LOGIN).catch(() => null)
  // 甘肃 (issue 16), when the demo has them: 企业 C under the gradient rules, the province's agency.
  const gansuEnterprise = await signIn(origin, GANSU.enterprise).catch(() => null)
  const gansuAgency = await signIn(origin, GANSU.agency).catch(() => null)
  return [
    { label: '/login (floor)', path: '/login' },
    { label: '/needs/:id', path: `/needs/${needId}` },
    { label: '/needs/:id (restricted, 403)', path: `/needs/${restrictedId}` },
    { label: '/needs (browse)', path: '/needs' },
    { label: '/needs?q=视觉', path: `/needs?q=${encodeURIComponent('视觉')}` },
    { label: '/needs?page=50', path: '/needs?page=50' },
    { label: '/needs?q=数字化', path: `/needs?q=${encodeURIComponent('数字化')}` },
    // No hits: the hall tries corrections (您是不是要找「视觉检测」？, search/suggest.ts) before answering.
    { label: '/needs?q=试觉检测 (no hits, did you mean)', path: `/needs?q=${encodeURIComponent('试觉检测')}` },
    {
      label: '/needs?q=系统&industry=C36&region=320000',
      path: `/needs?q=${encodeURIComponent('系统')}&industry=C36&region=320000`,
    },
    { label: '/ (home)', path: '/' },
    { label: '/needs (verified provider)', path: '/needs', cookie: provider },
    { label: '/org (enterprise)', path: '/org', cookie: enterprise },
    { label: '/org/edit', path: '/org/edit', cookie: enterprise },
    { label: '/account', path: '/account', cookie: enterprise },
    { label: '/agency/audits', path: '/agency/audits', cookie: agency },
    { label: '/agency/audits/:orgId', path: `/agency/audits/${applicationId}`, cookie: agency },
    { label: '/agency/audit-log', path: '/agency/audit-log', cookie: agency },
    { label: '/register', path: '/register' },
    { label: '/forgot', path: '/forgot' },
    { label: '/orgs/new', path: '/orgs/new', cookie: enterprise },
    { label: '/join', path: '/join', cookie: enterprise },
    { label: '/account/password', path: '/account/password', cookie: enterprise },
    { label: '/account/verify', path: '/account/verify', cookie: enterprise },
    { label: '/api/regions?parent=320000', path: '/api/regions?parent=320000' },
    ...providerPages(provider),
    ...demandPages({ enterprise, agency }),
    ...workspacePages({ enterprise, provider, agency, supervisor }),
    ...meetingPages({ enterprise, provider, agency }),
    ...dashboardPages(agency),
    ...eventPages({ provider, agency }),
    ...evaluationPages({ provider, agency }),
    ...poolPages({ provider, agency, expert }),
    ...reviewPages({ provider, agency, expert }),
    ...policyPages({ enterprise, agency, gansuEnterprise, gansuAgency }),
    { label: '404 page', path: '/no-such-page' },
  ]
}

const DEMO_EXPERT_LOGIN = '13900000031'

/** 企业 C (seed/gradient.ts) and the 甘肃 agency of the demo. */
const GANSU = { enterprise: '13900000004', agency: '13900000022' } as const

interface PolicyCookies {
  enterprise: string
  agency: string
  gansuEnterprise: string | null
  gansuAgency: string | null
}

/**
 * Policy tools (issue 16): the public rules; enterprise A's self-assessments, gradient
 * self-check (扬州 has no gradient rules: the empty state) and vouchers; the 扬州 agency's
 * project pool, titles (with one title's review page) and vouchers; and when the demo has
 * them, 企业 C's self-check under the Gansu rules and the 甘肃 agency's province-wide project
 * pool (the largest) and titles. A build without these tables: no entry.
 */
async function policyPagesOf(db: Kysely<DB>): Promise<(cookies: PolicyCookies) => Page[]> {
  let titleId: number | null = null
  try {
    const title = await db
      .selectFrom('enterprise_titles as t')
      .innerJoin('organisations as o', 'o.id', 't.org_id')
      .where('o.region_code', 'like', '3210%')
      .select('t.id')
      .orderBy('t.id')
      .limit(1)
      .executeTakeFirst()
    titleId = title?.id ?? null
  } catch {
    return () => []
  }
  return ({ enterprise, agency, gansuEnterprise, gansuAgency }) => [
    { label: '/policies (政策规则)', path: '/policies' },
    { label: '/policies/:id (甘肃梯度规则)', path: '/policies/gansu-2025-smart-factory-gradient' },
    { label: '/enterprise/assessments (自评估)', path: '/enterprise/assessments', cookie: enterprise },
    { label: '/enterprise/assessments/new?kind=maturity', path: '/enterprise/assessments/new?kind=maturity', cookie: enterprise },
    { label: '/enterprise/gradient (扬州: no rules)', path: '/enterprise/gradient', cookie: enterprise },
    { label: '/vouchers (enterprise A)', path: '/vouchers', cookie: enterprise },
    { label: '/vouchers (扬州 agency)', path: '/vouchers', cookie: agency },
    { label: '/agency/project-pool (扬州)', path: '/agency/project-pool', cookie: agency },
    { label: '/agency/project-pool?level=smart_factory', path: '/agency/project-pool?level=smart_factory', cookie: agency },
    { label: '/agency/titles (扬州)', path: '/agency/titles', cookie: agency },
    { label: '/agency/titles?state=review_due', path: '/agency/titles?state=review_due', cookie: agency },
    ...(titleId ? [{ label: '/agency/titles/:id (复核)', path: `/agency/titles/${titleId}`, cookie: agency }] : []),
    ...(gansuEnterprise
      ? [
          { label: '/enterprise/gradient (企业 C, Gansu rules)', path: '/enterprise/gradient', cookie: gansuEnterprise },
          { label: '/enterprise/gradient/answers (企业 C)', path: '/enterprise/gradient/answers', cookie: gansuEnterprise },
        ]
      : []),
    ...(gansuAgency
      ? [
          { label: '/agency/project-pool (甘肃 province)', path: '/agency/project-pool', cookie: gansuAgency },
          { label: '/agency/titles (甘肃)', path: '/agency/titles', cookie: gansuAgency },
        ]
      : []),
  ]
}

/**
 * 专家库, 现场调研 and 方案评选 (issue 15 §1): the agency's expert library, the demo expert's
 * tasks, and for the agency's published event with the most listed needs (when the demo
 * has one) the organiser's site visits and review board and provider A's site visits.
 */
async function reviewPagesOf(
  db: Kysely<DB>,
): Promise<(cookies: { provider: string; agency: string; expert: string | null }) => Page[]> {
  let eventId: number | null = null
  try {
    const event = await db
      .selectFrom('events as e')
      .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .where('e.stage', 'not in', ['draft', 'cancelled'])
      .select([
        'e.id',
        (eb) =>
          eb
            .selectFrom('event_needs as en')
            .whereRef('en.event_id', '=', 'e.id')
            .where('en.status', '=', 'listed')
            .select((x) => x.fn.countAll<string | number>().as('n'))
            .as('listed'),
      ])
      .orderBy('listed', 'desc')
      .orderBy('e.id')
      .limit(1)
      .executeTakeFirst()
    eventId = event?.id ?? null
  } catch {
    eventId = null
  }
  return ({ provider, agency, expert }) => [
    { label: '/agency/experts (专家库)', path: '/agency/experts', cookie: agency },
    ...(expert ? [{ label: '/expert (评审任务)', path: '/expert', cookie: expert }] : []),
    ...(eventId === null
      ? []
      : [
          { label: '/agency/events/:id/visits (现场调研)', path: `/agency/events/${eventId}/visits`, cookie: agency },
          { label: '/agency/events/:id/review (方案评选)', path: `/agency/events/${eventId}/review`, cookie: agency },
          { label: '/events/:id/visits (provider A)', path: `/events/${eventId}/visits`, cookie: provider },
        ]),
  ]
}

/**
 * Matchmaking events (issue 15 §1), when the demo has a published event of the agency
 * account (seed/events.ts: the one with the most listed needs): the public list and page
 * (a visitor, provider A), the agency's list, the progress view, 需求发榜 with its
 * candidate search, 服务商征集, 意向签约, the new-event form. None: no entry.
 */
async function eventPagesOf(db: Kysely<DB>): Promise<(cookies: { provider: string; agency: string }) => Page[]> {
  try {
    const event = await db
      .selectFrom('events as e')
      .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .where('e.stage', '!=', 'draft')
      .select([
        'e.id',
        (eb) =>
          eb
            .selectFrom('event_needs as en')
            .whereRef('en.event_id', '=', 'e.id')
            .where('en.status', '=', 'listed')
            .select((x) => x.fn.countAll<string | number>().as('n'))
            .as('listed'),
      ])
      .orderBy('listed', 'desc')
      .orderBy('e.id')
      .limit(1)
      .executeTakeFirst()
    if (!event) return () => []
    // The draft's 需求发榜 searches the jurisdiction's published needs (candidates to list).
    const draft = await db
      .selectFrom('events as e')
      .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .where('e.stage', '=', 'draft')
      .select('e.id')
      .orderBy('e.id')
      .executeTakeFirst()
    return ({ provider, agency }) => [
      { label: '/events (public list)', path: '/events' },
      { label: '/events/:id (visitor)', path: `/events/${event.id}` },
      { label: '/events/:id (provider A)', path: `/events/${event.id}`, cookie: provider },
      { label: '/agency/events', path: '/agency/events', cookie: agency },
      { label: '/agency/events/new', path: '/agency/events/new', cookie: agency },
      { label: '/agency/events/:id (progress)', path: `/agency/events/${event.id}`, cookie: agency },
      { label: '/agency/events/:id/needs (需求发榜)', path: `/agency/events/${event.id}/needs`, cookie: agency },
      ...(draft
        ? [
            { label: '/agency/events/:id/needs (draft: candidates)', path: `/agency/events/${draft.id}/needs`, cookie: agency },
            {
              label: '/agency/events/:id/needs?q=智能&industry=C34 (draft)',
              path: `/agency/events/${draft.id}/needs?q=${encodeURIComponent('智能')}&industry=C34`,
              cookie: agency,
            },
          ]
        : []),
      { label: '/agency/events/:id/providers (服务商征集)', path: `/agency/events/${event.id}/providers`, cookie: agency },
      { label: '/agency/events/:id/intents (意向签约)', path: `/agency/events/${event.id}/intents`, cookie: agency },
    ]
  } catch {
    return () => []
  }
}

/**
 * 数据看板 and 对接成效 (issue 15 §3, §6) for the agency account: its dashboard (the current
 * year; narrowed to 宝应县; 2022, the year of the demo's target plan), the workbook, the
 * outcomes over time, and the outcome page of its first event past draft when the demo
 * has one.
 */
async function dashboardPagesOf(db: Kysely<DB>): Promise<(agency: string) => Page[]> {
  let eventId: number | null = null
  try {
    const event = await db
      .selectFrom('events as e')
      .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .where('e.stage', 'not in', ['draft', 'cancelled'])
      .select('e.id')
      .orderBy('e.id')
      .limit(1)
      .executeTakeFirst()
    eventId = event?.id ?? null
  } catch {
    eventId = null
  }
  return (agency) => [
    { label: '/agency/dashboard (数据看板)', path: '/agency/dashboard', cookie: agency },
    { label: '/agency/dashboard?region=321023', path: '/agency/dashboard?region=321023', cookie: agency },
    { label: '/agency/dashboard?year=2022', path: '/agency/dashboard?year=2022', cookie: agency },
    { label: '/agency/outcomes (对接会成效)', path: '/agency/outcomes', cookie: agency },
    ...(eventId ? [{ label: '/agency/events/:id/outcomes', path: `/agency/events/${eventId}/outcomes`, cookie: agency }] : []),
  ]
}

/**
 * 1:1 meetings (issue 15 §1, 洽谈), when the demo has an event of the agency account with
 * meeting settings (the one with the most meetings): the organiser's 洽谈排期 and the
 * whole event's agenda; a participant's 洽谈 and agenda for enterprise A and provider A
 * when they take part. No such event (or no meetings tables in the build): no entry.
 */
async function meetingPagesOf(
  db: Kysely<DB>,
): Promise<(cookies: { enterprise: string; provider: string; agency: string }) => Page[]> {
  try {
    const event = await db
      .selectFrom('event_meeting_settings as s')
      .innerJoin('events as e', 'e.id', 's.event_id')
      .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .select([
        'e.id',
        (eb) =>
          eb
            .selectFrom('event_meetings as em')
            .whereRef('em.event_id', '=', 'e.id')
            .select((x) => x.fn.countAll<string | number>().as('n'))
            .as('meetings'),
      ])
      .orderBy('meetings', 'desc')
      .orderBy('e.id')
      .limit(1)
      .executeTakeFirst()
    if (!event) return () => []
    const takesPart = async (phone: string) => {
      const row = await db
        .selectFrom('users as u')
        .innerJoin('memberships as m', 'm.user_id', 'u.id')
        .innerJoin('event_meetings as em', (join) =>
          join.on((eb) =>
            eb.or([eb('em.enterprise_org_id', '=', eb.ref('m.org_id')), eb('em.provider_org_id', '=', eb.ref('m.org_id'))]),
          ),
        )
        .where('u.phone', '=', phone)
        .where('em.event_id', '=', event.id)
        .select('em.id')
        .executeTakeFirst()
      return row !== undefined
    }
    const enterpriseTakesPart = await takesPart(ACCOUNTS.enterprise)
    const providerTakesPart = await takesPart(ACCOUNTS.provider)
    return ({ enterprise, provider, agency }) => [
      { label: '/agency/events/:id/meetings (洽谈排期)', path: `/agency/events/${event.id}/meetings`, cookie: agency },
      { label: '/events/:id/agenda (whole event)', path: `/events/${event.id}/agenda`, cookie: agency },
      ...(enterpriseTakesPart
        ? [
            { label: '/events/:id/meetings (enterprise)', path: `/events/${event.id}/meetings`, cookie: enterprise },
            { label: '/events/:id/agenda.ics (enterprise)', path: `/events/${event.id}/agenda.ics`, cookie: enterprise },
          ]
        : []),
      ...(providerTakesPart
        ? [{ label: '/events/:id/meetings (provider)', path: `/events/${event.id}/meetings`, cookie: provider }]
        : []),
    ]
  } catch {
    return () => []
  }
}

/**
 * The workspaces (issue 14 §7), when the build has them: 我的项目 of enterprise A (its
 * default tab and its contracts in force), 我的合同 of provider A, 监理项目 of the demo
 * 监理机构 that supervises the most contracts (its owner, signed in with the demo
 * password; none: no entry), 合同监管 of the agency (all, and the open-dispute filter).
 */
async function workspacePagesOf(db: Kysely<DB>): Promise<{
  pages: (cookies: { enterprise: string; provider: string; agency: string; supervisor: string | null }) => Page[]
  supervisorLogin: string | null
}> {
  const contracts = await db
    .selectFrom('contracts')
    .select('id')
    .limit(1)
    .execute()
    .then(
      () => true,
      () => false,
    )
  if (!contracts) return { pages: () => [], supervisorLogin: null }
  const supervisor = await db
    .selectFrom('contracts as c')
    .innerJoin('memberships as m', 'm.org_id', 'c.supervisor_org_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.role', '=', 'owner')
    .where('m.status', '=', 'active')
    .where('u.phone', 'is not', null)
    .select(['u.phone', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('u.phone')
    .orderBy('n', 'desc')
    .orderBy('u.phone')
    .limit(1)
    .executeTakeFirst()
  return {
    supervisorLogin: supervisor?.phone ?? null,
    pages: ({ enterprise, provider, agency, supervisor: sup }) => [
      { label: '/enterprise/projects (我的项目)', path: '/enterprise/projects', cookie: enterprise },
      { label: '/enterprise/projects?tab=active', path: '/enterprise/projects?tab=active', cookie: enterprise },
      { label: '/provider/contracts (我的合同)', path: '/provider/contracts', cookie: provider },
      ...(sup ? [{ label: '/supervisor/projects (监理项目)', path: '/supervisor/projects', cookie: sup }] : []),
      { label: '/agency/contracts (合同监管)', path: '/agency/contracts', cookie: agency },
      { label: '/agency/contracts?filter=disputed', path: '/agency/contracts?filter=disputed', cookie: agency },
    ],
  }
}

/**
 * The supply side's pages (issue 11), when the build has them: the directory browsed,
 * searched and filtered, the provider with the most cases, the capability map of the
 * country and of a province, the contract templates, and a provider's own cases.
 */
async function providerPagesOf(db: Kysely<DB>): Promise<(cookie: string) => Page[]> {
  let richest: { org_id: number } | undefined
  let template: { id: number } | undefined
  try {
    richest = await db
      .selectFrom('provider_cases as c')
      .innerJoin('organisations as o', 'o.id', 'c.org_id')
      .where('o.status', '=', 'verified')
      .groupBy('c.org_id')
      .select('c.org_id')
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .orderBy('c.org_id')
      .limit(1)
      .executeTakeFirst()
    template = await db
      .selectFrom('contract_templates')
      .where('status', '=', 'active')
      .select('id')
      .orderBy('is_official', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
  } catch {
    return () => [] // a build from before the providers' tables (--ref)
  }
  // 推荐需求 and saved searches (issue 13), when the build has them.
  const matching = await db
    .selectFrom('saved_searches')
    .select('id')
    .limit(1)
    .execute()
    .then(
      () => true,
      () => false,
    )
  // Bids (issue 14 §1), when the build has them: 我的投标, and the bid form of an open public
  // need when provider A may bid (a delivering kind).
  const bidForm = await db
    .selectFrom('bids')
    .select('id')
    .limit(1)
    .execute()
    .then(
      async () => {
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
        const provider = await db
          .selectFrom('users as u')
          .innerJoin('memberships as m', 'm.user_id', 'u.id')
          .innerJoin('organisations as o', 'o.id', 'm.org_id')
          .where('u.phone', '=', ACCOUNTS.provider)
          .select('o.provider_kinds')
          .executeTakeFirst()
        const delivers = ['equipment', 'it_engineering', 'integrator'].some((k) => provider?.provider_kinds.includes(`"${k}"`))
        if (!delivers) return { need: null }
        const need = await db
          .selectFrom('needs as n')
          .innerJoin('organisations as o', 'o.id', 'n.org_id')
          .where('n.status', '=', 'published')
          .where('n.visibility', '=', 'public')
          .where('o.status', '=', 'verified')
          .where((eb) => eb.or([eb('n.deadline', 'is', null), eb('n.deadline', '>=', today)]))
          .select('n.id')
          .orderBy('n.id')
          .limit(1)
          .executeTakeFirst()
        return { need: need?.id ?? null }
      },
      () => null,
    )
  // Ratings (issue 14 §6), when the build has them: provider A's completed contract with the
  // most ratings (the demo's; none: no entry), its ratings page as provider A reads it, and
  // provider A's public page with its contract ratings.
  const rated = await db
    .selectFrom('contract_ratings as r')
    .innerJoin('contracts as c', 'c.id', 'r.contract_id')
    .innerJoin('memberships as m', 'm.org_id', 'c.provider_org_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('u.phone', '=', ACCOUNTS.provider)
    .where('c.status', '=', 'completed')
    .select(['c.id', 'c.provider_org_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy(['c.id', 'c.provider_org_id'])
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .limit(1)
    .executeTakeFirst()
    .catch(() => undefined)
  // Disputes (issue 14 §5), when the build has them: a dispute on one of provider A's
  // contracts (the demo's terminated ones, or any), its page and its contract's list.
  const disputed = await db
    .selectFrom('disputes as d')
    .innerJoin('contracts as c', 'c.id', 'd.contract_id')
    .innerJoin('memberships as m', 'm.org_id', 'c.provider_org_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('u.phone', '=', ACCOUNTS.provider)
    .select(['d.id', 'd.contract_id'])
    .orderBy('d.id')
    .limit(1)
    .executeTakeFirst()
    .catch(() => undefined)
  // The notification centre (issue 14 §7), when the build has it.
  const notices = await db
    .selectFrom('notifications')
    .select('id')
    .limit(1)
    .execute()
    .then(
      () => true,
      () => false,
    )
  return (cookie) => [
    { label: '/providers (browse)', path: '/providers' },
    { label: '/providers?q=视觉检测', path: `/providers?q=${encodeURIComponent('视觉检测')}` },
    {
      label: '/providers?q=MES&industry=C36&region=320000',
      path: `/providers?q=MES&industry=C36&region=320000`,
    },
    ...(richest ? [{ label: '/providers/:id (most cases)', path: `/providers/${richest.org_id}` }] : []),
    { label: '/providers/map', path: '/providers/map' },
    { label: '/providers/map?region=320000', path: '/providers/map?region=320000' },
    { label: '/templates', path: '/templates' },
    ...(template ? [{ label: '/templates/:id', path: `/templates/${template.id}` }] : []),
    { label: '/provider/cases', path: '/provider/cases', cookie },
    { label: '/provider/profile', path: '/provider/profile', cookie },
    { label: '/provider/qualifications', path: '/provider/qualifications', cookie },
    { label: '/provider/consortia', path: '/provider/consortia', cookie },
    { label: '/org/templates (provider)', path: '/org/templates', cookie },
    ...(matching
      ? [
          { label: '/provider/recommended', path: '/provider/recommended', cookie },
          { label: '/provider/recommended?page=2', path: '/provider/recommended?page=2', cookie },
          { label: '/provider/saved-searches', path: '/provider/saved-searches', cookie },
          { label: '/provider/invitations', path: '/provider/invitations', cookie },
        ]
      : []),
    ...(bidForm
      ? [
          { label: '/provider/bids (我的投标)', path: '/provider/bids', cookie },
          ...(bidForm.need ? [{ label: '/needs/:id/bid (bid form)', path: `/needs/${bidForm.need}/bid`, cookie }] : []),
        ]
      : []),
    ...(rated
      ? [
          { label: '/contracts/:id/ratings (合同评价, provider)', path: `/contracts/${rated.id}/ratings`, cookie },
          { label: '/providers/:id (provider A, rated)', path: `/providers/${rated.provider_org_id}` },
        ]
      : []),
    ...(disputed
      ? [
          { label: '/contracts/:id/disputes (纠纷, provider)', path: `/contracts/${disputed.contract_id}/disputes`, cookie },
          { label: '/disputes/:id (provider)', path: `/disputes/${disputed.id}`, cookie },
        ]
      : rated
        ? [{ label: '/contracts/:id/disputes (纠纷, none)', path: `/contracts/${rated.id}/disputes`, cookie }]
        : []),
    ...(notices
      ? [
          { label: '/notifications', path: '/notifications', cookie },
          { label: '/notifications?unread=1', path: '/notifications?unread=1', cookie },
          { label: '/account/notifications', path: '/account/notifications', cookie },
        ]
      : []),
  ]
}

/**
 * The demand side's pages (issue 12), when the build has them: the enterprise workspace
 * (我的需求, the need form, 诊断报告, 一企一档) of the demo enterprise A, one of its
 * diagnosis projects with its service records and survey, and the agency's view of the
 * enterprises of its jurisdiction.
 */
async function demandPagesOf(db: Kysely<DB>): Promise<(cookies: { enterprise: string; agency: string }) => Page[]> {
  let enterpriseId: number | undefined
  let diagnosis: { id: number } | undefined
  let need: { id: number } | undefined
  try {
    const org = await db
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .where('u.phone', '=', ACCOUNTS.enterprise)
      .where('o.kind', '=', 'enterprise')
      .select('o.id')
      .executeTakeFirst()
    enterpriseId = org?.id
    if (enterpriseId === undefined) return () => []
    diagnosis = await db
      .selectFrom('diagnoses')
      .where('enterprise_org_id', '=', enterpriseId)
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    // A need its owner may edit (a draft or a published one): the edit form, not its 409.
    need = await db
      .selectFrom('needs')
      .where('org_id', '=', enterpriseId)
      .where('status', 'in', ['draft', 'published'])
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
  } catch {
    return () => [] // a build from before the enterprises' tables (--ref)
  }
  const id = enterpriseId
  // Need → providers (issue 13), when the build has it: a published need's match list, for
  // its enterprise and for the agency over it, and the agency's weights page.
  const matchNeed = await db
    .selectFrom('matching_weights')
    .select('region_code')
    .limit(1)
    .execute()
    .then(
      () =>
        db
          .selectFrom('needs')
          .where('org_id', '=', id)
          .where('status', '=', 'published')
          .select('id')
          .orderBy('id')
          .limit(1)
          .executeTakeFirst(),
      () => undefined,
    )
  const matchPages = (enterprise: string, agency: string): Page[] =>
    matchNeed
      ? [
          { label: '/needs/:id/matches (enterprise)', path: `/needs/${matchNeed.id}/matches`, cookie: enterprise },
          { label: '/needs/:id/matches?page=2', path: `/needs/${matchNeed.id}/matches?page=2`, cookie: enterprise },
          { label: '/needs/:id/matches (agency)', path: `/needs/${matchNeed.id}/matches`, cookie: agency },
          { label: '/agency/matching', path: '/agency/matching', cookie: agency },
        ]
      : []
  // Bids (issue 14 §1), when the build has them: 收到的方案 of the published need above and,
  // when there is one, a bid on enterprise A's needs, as its owner reads it.
  const bidPages = await db
    .selectFrom('bids as b')
    .innerJoin('needs as n', 'n.id', 'b.need_id')
    .where('n.org_id', '=', id)
    .select('b.id')
    .orderBy('b.id')
    .limit(1)
    .executeTakeFirst()
    .then(
      (bid) =>
        (enterprise: string): Page[] => [
          ...(matchNeed
            ? [
                {
                  label: '/enterprise/needs/:id/bids (收到的方案)',
                  path: `/enterprise/needs/${matchNeed.id}/bids`,
                  cookie: enterprise,
                },
              ]
            : []),
          ...(bid ? [{ label: '/bids/:id (owner)', path: `/bids/${bid.id}`, cookie: enterprise }] : []),
        ],
      () => (): Page[] => [],
    )
  // Compare and award (issue 14 §2), when the build has it: 比较方案 of enterprise A's need with
  // the most live bids (the demo's bids; none: no entry), as its owner reads it.
  const compareNeed = await db
    .selectFrom('bids as b')
    .innerJoin('needs as n', 'n.id', 'b.need_id')
    .where('n.org_id', '=', id)
    .where('b.status', 'in', ['submitted', 'shortlisted', 'awarded'])
    .select(['b.need_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('b.need_id')
    .orderBy('n', 'desc')
    .orderBy('b.need_id')
    .limit(1)
    .executeTakeFirst()
    .catch(() => undefined)
  const comparePages = (enterprise: string): Page[] =>
    compareNeed
      ? [
          {
            label: '/enterprise/needs/:id/compare (比较方案)',
            path: `/enterprise/needs/${compareNeed.need_id}/compare`,
            cookie: enterprise,
          },
        ]
      : []
  // Contracts (issue 14 §3), when the build has them: the contract page of enterprise A's
  // contract with the longest timeline (the demo's; none: no entry), as its enterprise and as
  // the agency over it read it, its print, and the draft form of a draft when there is one.
  const contracts = await db
    .selectFrom('contracts as c')
    .leftJoin('contract_events as e', 'e.contract_id', 'c.id')
    .where('c.enterprise_org_id', '=', id)
    .select(['c.id', 'c.status', (eb) => eb.fn.count<string | number>('e.id').as('n')])
    .groupBy(['c.id', 'c.status'])
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .limit(50)
    .execute()
    .catch(() => [])
  const shownContract = contracts[0]
  const draftContract = contracts.find((c) => c.status === 'draft')
  const contractPages = (enterprise: string, agency: string): Page[] => [
    ...(shownContract
      ? [
          { label: '/contracts/:id (合同页)', path: `/contracts/${shownContract.id}`, cookie: enterprise },
          { label: '/contracts/:id (agency)', path: `/contracts/${shownContract.id}`, cookie: agency },
          { label: '/contracts/:id/print', path: `/contracts/${shownContract.id}/print`, cookie: enterprise },
        ]
      : []),
    ...(draftContract
      ? [{ label: '/contracts/:id/edit (合同草稿)', path: `/contracts/${draftContract.id}/edit`, cookie: enterprise }]
      : []),
  ]
  // Milestones and supervision (issue 14 §4), when the build has them: the milestone of
  // enterprise A's contracts with the most submissions and the 监理日志 of its contract with the
  // most entries (the demo's; none: no entry), as its enterprise reads them.
  const shownMilestone = await db
    .selectFrom('contract_milestones as m')
    .innerJoin('contracts as c', 'c.id', 'm.contract_id')
    .leftJoin('milestone_submissions as s', 's.milestone_id', 'm.id')
    .where('c.enterprise_org_id', '=', id)
    .select(['m.id', 'm.contract_id', (eb) => eb.fn.count<string | number>('s.id').as('n')])
    .groupBy(['m.id', 'm.contract_id'])
    .orderBy('n', 'desc')
    .orderBy('m.id')
    .limit(1)
    .executeTakeFirst()
    .catch(() => undefined)
  const loggedContract = await db
    .selectFrom('contracts as c')
    .leftJoin('supervision_logs as l', 'l.contract_id', 'c.id')
    .where('c.enterprise_org_id', '=', id)
    .where('c.supervisor_org_id', 'is not', null)
    .select(['c.id', (eb) => eb.fn.count<string | number>('l.id').as('n')])
    .groupBy('c.id')
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .limit(1)
    .executeTakeFirst()
    .catch(() => undefined)
  const milestonePages = (enterprise: string): Page[] => [
    ...(shownMilestone
      ? [
          {
            label: '/contracts/:id/milestones/:mid (里程碑)',
            path: `/contracts/${shownMilestone.contract_id}/milestones/${shownMilestone.id}`,
            cookie: enterprise,
          },
        ]
      : []),
    ...(loggedContract
      ? [
          {
            label: '/contracts/:id/supervision (监理日志)',
            path: `/contracts/${loggedContract.id}/supervision`,
            cookie: enterprise,
          },
        ]
      : []),
  ]
  return ({ enterprise, agency }) => [
    { label: '/enterprise/needs', path: '/enterprise/needs', cookie: enterprise },
    { label: '/enterprise/needs?status=published', path: '/enterprise/needs?status=published', cookie: enterprise },
    { label: '/enterprise/needs/new (need form)', path: '/enterprise/needs/new', cookie: enterprise },
    ...(need ? [{ label: '/enterprise/needs/:id/edit', path: `/enterprise/needs/${need.id}/edit`, cookie: enterprise }] : []),
    { label: '/enterprise/archive', path: '/enterprise/archive', cookie: enterprise },
    { label: '/diagnoses (enterprise)', path: '/diagnoses', cookie: enterprise },
    ...(diagnosis
      ? [
          { label: '/diagnoses/:id', path: `/diagnoses/${diagnosis.id}`, cookie: enterprise },
          { label: '/diagnoses/:id/records', path: `/diagnoses/${diagnosis.id}/records`, cookie: enterprise },
          { label: '/diagnoses/:id/survey', path: `/diagnoses/${diagnosis.id}/survey`, cookie: enterprise },
        ]
      : []),
    { label: '/enterprises/:id (agency)', path: `/enterprises/${id}`, cookie: agency },
    { label: '/agency/enterprises', path: '/agency/enterprises', cookie: agency },
    // 导入导出 (issue 15 §7): the agency's tasks with their progress (the work itself runs in the job).
    { label: '/agency/exports (导入导出)', path: '/agency/exports', cookie: agency },
    // District targets (seed/targets.ts): the seed's 2022 table, and the demo year counted from records.
    { label: '/agency/targets (目标考核)', path: '/agency/targets', cookie: agency },
    { label: '/agency/targets/2022 (entered actuals)', path: '/agency/targets/2022', cookie: agency },
    { label: '/agency/targets/2026 (counted actuals)', path: '/agency/targets/2026', cookie: agency },
    { label: '/agency/targets/:year/:region/coverage', path: '/agency/targets/2026/321023/coverage', cookie: agency },
    ...matchPages(enterprise, agency),
    ...bidPages(enterprise),
    ...comparePages(enterprise),
    ...contractPages(enterprise, agency),
    ...milestonePages(enterprise),
  ]
}

// ---------------------------------------------------------------------------
// JavaScript a page makes a browser download: the module scripts it references.

const scriptSizes = new Map<string, { raw: number; gzip: number }>()

async function pageScripts(origin: string, html: string): Promise<{ count: number; raw: number; gzip: number }> {
  const urls = new Set<string>()
  for (const m of html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)) urls.add(m[1]!)
  for (const m of html.matchAll(/import\s*(?:[^"';]*?\s*from\s*)?["'](\/build\/[^"']+\.js)["']/g)) urls.add(m[1]!)
  let raw = 0
  let gzip = 0
  for (const url of urls) {
    let size = scriptSizes.get(url)
    if (!size) {
      const res = await fetch(`${origin}${url}`, { headers: { 'accept-encoding': 'identity' } })
      const body = Buffer.from(await res.arrayBuffer())
      size = { raw: body.length, gzip: zlib.gzipSync(body).length }
      scriptSizes.set(url, size)
    }
    raw += size.raw
    gzip += size.gzip
  }
  return { count: urls.size, raw, gzip }
}

// ---------------------------------------------------------------------------
// A column: one database and the server instances serving it, driven as one.

interface Column {
  kind: ColumnKind
  name: string
  servers: Server[]
  /** CPU time of the database server's processes, when it is a server this run started. */
  dbMeter: PgCpuMeter | null
}

const COLUMN_NAMES: Record<ColumnKind, string> = {
  sqlite: 'SQLite, 1 instance',
  pg: 'PostgreSQL, 1 instance',
  'pg×2': 'PostgreSQL, 2 instances',
}

// ---------------------------------------------------------------------------
// One page under load.

interface PageResult {
  label: string
  path: string
  /** req/s of the floor measured right before this page (with floorEach). */
  floorBefore?: number
  status: number
  reqPerSec: number
  requests: number
  p50: number
  p95: number
  p99: number
  non2xx: number
  errors: number
  /** The event loop of each server instance, in the column's order. */
  loops: LoopReading[]
  /** Event-loop busy time per request, ms (all instances). */
  loopMsPerReq: number
  cpuMsPerReq: number
  /** The database server's CPU time per request, ms (PostgreSQL; null on SQLite, whose time is the app's). */
  dbCpuMsPerReq: number | null
  htmlBytes: number
  js: { count: number; raw: number; gzip: number }
  /** Results the page says it found (`total` in its loader data), when it lists any. */
  results: number | null
  profile?: { file: string; summary: ReturnType<typeof summariseProfile> }
}

function load(
  url: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<{ result: autocannon.Result; times: number[] }> {
  return new Promise((resolve, reject) => {
    const times: number[] = []
    const instance = autocannon({ url, connections, duration, headers }, (error: unknown, result) =>
      error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve({ result, times }),
    )
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime))
  })
}

/** `connections` shared out among `n` instances as evenly as they go (at least one each). */
function shares(connections: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.floor(connections / n) + (i < connections % n ? 1 : 0)))
}

/**
 * The same page on every instance of a column at once: one autocannon run per instance,
 * on its own port, with its share of the connections (no proxy in between). req/s is
 * the sum of the runs' rates; the latencies are every response of every run.
 */
async function loadColumn(
  column: Column,
  pathAndQuery: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<{ reqPerSec: number; requests: number; seconds: number; non2xx: number; errors: number; times: number[] }> {
  const split = shares(connections, column.servers.length)
  const runs = await Promise.all(column.servers.map((s, i) => load(`${s.origin}${pathAndQuery}`, headers, split[i]!, duration)))
  return {
    reqPerSec: runs.reduce((sum, r) => sum + r.result.requests.total / r.result.duration, 0),
    requests: runs.reduce((sum, r) => sum + r.result.requests.total, 0),
    seconds: Math.max(...runs.map((r) => r.result.duration)),
    non2xx: runs.reduce((sum, r) => sum + r.result.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.result.errors, 0),
    times: runs.flatMap((r) => r.times),
  }
}

async function measure(column: Column, page: Page, args: Args, size: number): Promise<PageResult> {
  const headers: Record<string, string> = { accept: 'text/html' }
  if (args.gzip) headers['accept-encoding'] = 'gzip, deflate'
  if (page.cookie) headers.cookie = page.cookie
  const [server] = column.servers as [Server, ...Server[]]

  // Warm-up: caches, JIT, the search engine's columns; and what the page ships.
  const first = await fetch(`${server.origin}${page.path}`, {
    headers: { accept: 'text/html', ...(page.cookie ? { cookie: page.cookie } : {}) },
    redirect: 'manual',
  })
  const html = await first.text()
  const js = await pageScripts(server.origin, html)
  const total = /"total":\s*(\d+)/.exec(html)
  // A second of the same load first: the page's code paths get compiled and its caches
  // filled before the measured run.
  await loadColumn(column, page.path, headers, args.connections, WARMUP_SECONDS)

  await Promise.all(column.servers.map((s) => s.ask({ type: 'reset' })))
  const dbBefore = column.dbMeter?.cpuMs() ?? Number.NaN
  const run = await loadColumn(column, page.path, headers, args.connections, args.duration)
  const dbAfter = column.dbMeter?.cpuMs() ?? Number.NaN
  const loops = await Promise.all(column.servers.map((s) => s.reading()))
  const times = run.times.sort((a, b) => a - b)
  const requests = run.requests
  const perRequest = (ms: number) => (requests > 0 ? ms / requests : Number.NaN)
  const measured: PageResult = {
    label: page.label,
    path: page.path,
    status: first.status,
    reqPerSec: run.reqPerSec,
    requests,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    non2xx: run.non2xx,
    errors: run.errors,
    loops,
    loopMsPerReq: perRequest(loops.reduce((sum, l) => sum + l.utilisation * run.seconds * 1000, 0)),
    cpuMsPerReq: perRequest(loops.reduce((sum, l) => sum + l.cpuMs, 0)),
    dbCpuMsPerReq: column.dbMeter ? perRequest(dbAfter - dbBefore) : null,
    htmlBytes: Buffer.byteLength(html),
    js,
    results: total ? Number(total[1]) : null,
  }

  if (args.profile && page.label !== FLOOR_AGAIN) {
    // The first instance's main thread, under the column's whole load.
    const dir = path.join(SCRATCH, 'profiles')
    fs.mkdirSync(dir, { recursive: true })
    const slug = page.label.replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_|_$/g, '') || 'root'
    const file = path.join(dir, `${size}-${fileTag(column.kind)}${slug}.cpuprofile`)
    await server.ask({ type: 'profile-start' })
    await loadColumn(column, page.path, headers, args.connections, Math.min(args.duration, 3))
    await server.ask({ type: 'profile-stop', file })
    measured.profile = { file, summary: summariseProfile(file) }
  }
  return measured
}

/** '' for SQLite (file names as before the PostgreSQL columns), else 'pg-' / 'pg2-'. */
function fileTag(kind: ColumnKind): string {
  return kind === 'sqlite' ? '' : kind === 'pg' ? 'pg-' : 'pg2-'
}

// ---------------------------------------------------------------------------
// Output.

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–')
const f1 = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–')
const kb = (n: number) => `${(n / 1024).toFixed(1)}`

const FLOOR_AGAIN = '/login (floor, again)'
const WARMUP_SECONDS = 1

/** The floor's req/s: the mean of its runs at the start and the end. */
function floorRate(results: PageResult[]): number {
  const runs = results.filter((r, i) => i === 0 || r.label === FLOOR_AGAIN)
  return runs.reduce((sum, r) => sum + r.reqPerSec, 0) / runs.length
}

/** A page's req/s as a share of its column's floor (the run right before it, else the mean of the floor runs). */
function floorRatio(r: PageResult, results: PageResult[]): number {
  return r.reqPerSec / (r.floorBefore ?? floorRate(results))
}

/** One figure per instance: `12.3` or `12.3/45.6`. */
function perInstance(loops: LoopReading[], pick: (l: LoopReading) => number): string {
  return loops.map((l) => f1(pick(l))).join('/')
}

function printPageTable(
  column: Column,
  size: number,
  results: PageResult[],
  load: { start: number[]; end: number[] },
  args: Args,
): void {
  const floor = { reqPerSec: floorRate(results) }
  const w = Math.max(...results.map((r) => displayWidth(r.label))) + 2
  const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ')
  const n = column.servers.length
  console.log(
    `\n${size.toLocaleString('en-US')} needs, ${column.name} — req/s and latency (ms) over HTTP; loop = the server's event loop`,
  )
  if (n > 1) {
    const split = shares(args.connections, n)
    console.log(
      `load split: ${n} autocannon runs at once, ${split.join(' + ')} connections, each on one instance's own port (no proxy); req/s is their sum, p50/p95/p99 over every response of all ${n}; loop max and p99 per instance (${Array.from({ length: n }, (_, i) => `#${i + 1}`).join('/')})`,
    )
  }
  const against = results.some((r) => r.floorBefore !== undefined)
    ? 'the floor measured right before each page'
    : 'the mean of the floor runs at the start and the end'
  console.log(
    `load average ${la(load.start)} at the start, ${la(load.end)} at the end (${os.cpus().length} cores); ×floor against ${against}`,
  )
  const again = results.find((r) => r.label === FLOOR_AGAIN)
  const floors = [
    results[0]!.reqPerSec,
    ...results.flatMap((r) => (r.floorBefore === undefined ? [] : [r.floorBefore])),
    again?.reqPerSec ?? results[0]!.reqPerSec,
  ]
  const [low, high] = [Math.min(...floors), Math.max(...floors)]
  if (high / low > 1.25) {
    console.log(
      `note: the floor ranged ${f0(low)}–${f0(high)} req/s during the run: the machine is busy, and the ratios are rough`,
    )
  } else if (again && Math.abs(again.reqPerSec / results[0]!.reqPerSec - 1) > 0.25) {
    console.log(
      `note: the floor moved ${f0(results[0]!.reqPerSec)} → ${f0(again.reqPerSec)} req/s during the run: the machine is busy and the ratios are rough`,
    )
  }
  const lw = n > 1 ? 6 * n + 2 : 10
  const db = column.dbMeter !== null
  const head = `${pad('page', w)}${'req/s'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'×floor'.padStart(8)}${'floor'.padStart(7)}${'loop max'.padStart(lw)}${'loop p99'.padStart(lw)}${'loop ms/req'.padStart(13)}${'cpu ms/req'.padStart(12)}${db ? 'db ms/req'.padStart(11) : ''}${'results'.padStart(9)}  notes`
  console.log(head)
  console.log('-'.repeat(displayWidth(head)))
  for (const r of results) {
    const notes = [
      r.status !== 200 ? `HTTP ${r.status}` : '',
      r.non2xx > 0 ? `${r.non2xx} non-2xx` : '',
      r.errors > 0 ? `${r.errors} errors` : '',
    ]
      .filter(Boolean)
      .join(', ')
    console.log(
      `${pad(r.label, w)}${f0(r.reqPerSec).padStart(8)}${f1(r.p50).padStart(8)}${f1(r.p95).padStart(8)}${f1(r.p99).padStart(8)}${(r.reqPerSec / (r.floorBefore ?? floor.reqPerSec)).toFixed(2).padStart(8)}${(r.floorBefore === undefined ? '' : f0(r.floorBefore)).padStart(7)}${perInstance(r.loops, (l) => l.maxDelayMs).padStart(lw)}${perInstance(r.loops, (l) => l.p99DelayMs).padStart(lw)}${f1(r.loopMsPerReq).padStart(13)}${f1(r.cpuMsPerReq).padStart(12)}${db ? f1(r.dbCpuMsPerReq ?? Number.NaN).padStart(11) : ''}${(r.results === null ? '' : f0(r.results)).padStart(9)}  ${notes}`,
    )
  }
}

function printFirstRequests(column: Column, firsts: { label: string; ms: number }[], startup: LoopReading): void {
  console.log(
    `\n${column.name}: first request of each page on the fresh server${column.servers.length > 1 ? ' (instance #1)' : ''}, one at a time (ms); the event loop's longest stall meanwhile: ${f1(startup.maxDelayMs)} ms`,
  )
  const w = Math.max(...firsts.map((r) => displayWidth(r.label))) + 2
  for (const r of firsts) console.log(`${pad(r.label, w)}${f1(r.ms).padStart(8)}`)
}

function printJsTable(results: PageResult[]): void {
  const w = Math.max(...results.map((r) => displayWidth(r.label))) + 2
  console.log(`\nJavaScript per page (module scripts the HTML references; gzip -6) and the HTML itself`)
  const head = `${pad('page', w)}${'scripts'.padStart(8)}${'JS KiB'.padStart(9)}${'gzip KiB'.padStart(10)}${'HTML KiB'.padStart(10)}`
  console.log(head)
  console.log('-'.repeat(displayWidth(head)))
  for (const r of results) {
    console.log(
      `${pad(r.label, w)}${String(r.js.count).padStart(8)}${kb(r.js.raw).padStart(9)}${kb(r.js.gzip).padStart(10)}${kb(r.htmlBytes).padStart(10)}`,
    )
  }
}

function printProfiles(column: Column, results: PageResult[]): void {
  const profiled = results.filter((r) => r.profile)
  if (profiled.length === 0) return
  console.log(
    `\n${column.name}: where the main thread's time goes (CPU profile of a ${'second'} run per page${column.servers.length > 1 ? ', instance #1' : ''}; % of busy time)`,
  )
  const used = CATEGORIES.filter((c) =>
    profiled.some((r) => (r.profile!.summary.byCategory.get(c) ?? 0) / r.profile!.summary.busyMs >= 0.01),
  )
  const w = Math.max(...profiled.map((r) => displayWidth(r.label))) + 2
  const cw = used.map((c) => Math.max(7, c.length + 2))
  const head = `${pad('page', w)}${'busy ms'.padStart(9)}${used.map((c, i) => c.padStart(cw[i]!)).join('')}`
  console.log(head)
  console.log('-'.repeat(displayWidth(head)))
  for (const r of profiled) {
    const s = r.profile!.summary
    console.log(
      `${pad(r.label, w)}${f0(s.busyMs).padStart(9)}${used.map((c, i) => `${Math.round((100 * (s.byCategory.get(c) ?? 0)) / s.busyMs)}%`.padStart(cw[i]!)).join('')}`,
    )
  }
  for (const r of profiled) {
    const s = r.profile!.summary
    console.log(`\n${r.label} — top functions by self time (${path.relative(ROOT, r.profile!.file)})`)
    for (const t of s.top) {
      console.log(`  ${f1((100 * t.ms) / s.busyMs).padStart(5)}%  ${t.name} (${t.where}) [${t.category}]`)
    }
    const sqlite = s.queries.filter((q) => q.ms / s.busyMs >= 0.02)
    if (sqlite.length > 0) {
      console.log(
        `  SQLite time by caller: ${sqlite.map((q) => `${q.caller} ${Math.round((100 * q.ms) / s.busyMs)}%`).join(', ')}`,
      )
    }
  }
}

interface ColumnRun {
  size: number
  kind: ColumnKind
  results: PageResult[]
  startup: LoopReading | null
}

/** The columns of one size side by side: req/s, ×floor (each against its own floor) and p99, then the ratios between columns. */
function printComparison(size: number, runs: ColumnRun[]): void {
  if (runs.length < 2) return
  const base = runs[0]!
  const labels = base.results.map((r) => r.label)
  const w = Math.max(...labels.map(displayWidth)) + 2
  const byKind = new Map(runs.map((run) => [run.kind, run]))
  const ratios: { head: string; of: ColumnKind; to: ColumnKind }[] = []
  if (byKind.has('pg') && byKind.has('sqlite')) ratios.push({ head: 'PG/SQLite', of: 'pg', to: 'sqlite' })
  if (byKind.has('pg×2') && byKind.has('pg')) ratios.push({ head: 'PG×2/PG', of: 'pg×2', to: 'pg' })
  if (byKind.has('pg×2') && byKind.has('sqlite')) ratios.push({ head: 'PG×2/SQLite', of: 'pg×2', to: 'sqlite' })
  const group = 26
  console.log(
    `\n${size.toLocaleString('en-US')} needs — the columns side by side: req/s, ×floor (against the column's own floor), p99 ms; then req/s ratios between columns`,
  )
  const top = `${pad('', w)}${runs.map((run) => COLUMN_NAMES[run.kind].padStart(group)).join('')}`
  const head = `${pad('page', w)}${runs.map(() => `${'req/s'.padStart(9)}${'×floor'.padStart(8)}${'p99'.padStart(9)}`).join('')}${ratios.map((r) => r.head.padStart(Math.max(10, r.head.length + 2))).join('')}`
  console.log(top)
  console.log(head)
  console.log('-'.repeat(displayWidth(head)))
  for (const label of labels) {
    const cells = runs
      .map((run) => {
        const r = run.results.find((x) => x.label === label)
        if (!r) return '–'.padStart(group)
        return `${f0(r.reqPerSec).padStart(9)}${floorRatio(r, run.results).toFixed(2).padStart(8)}${f1(r.p99).padStart(9)}`
      })
      .join('')
    const rs = ratios
      .map((ratio) => {
        const a = byKind.get(ratio.of)!.results.find((x) => x.label === label)
        const b = byKind.get(ratio.to)!.results.find((x) => x.label === label)
        const value = a && b ? (a.reqPerSec / b.reqPerSec).toFixed(2) : '–'
        return value.padStart(Math.max(10, ratio.head.length + 2))
      })
      .join('')
    console.log(`${pad(label, w)}${cells}${rs}`)
  }
}

function printGrowth(name: string, runs: ColumnRun[]): void {
  if (runs.length < 2) return
  const base = runs[0]!
  const labels = base.results.map((r) => r.label)
  const w = Math.max(...labels.map(displayWidth)) + 2
  console.log(
    `\nGrowth, ${name}: server CPU ms per request at each size (× = relative to ${base.size.toLocaleString('en-US')} needs), what the page found, and req/s as a share of the floor's in the same run`,
  )
  const head = `${pad('page', w)}${runs.map((r) => `${r.size.toLocaleString('en-US')}`.padStart(30)).join('')}`
  console.log(head)
  console.log('-'.repeat(displayWidth(head)))
  for (const label of labels) {
    const first = base.results.find((r) => r.label === label)
    const cells = runs.map((run) => {
      const r = run.results.find((x) => x.label === label)
      if (!r || !first) return '–'.padStart(30)
      const ratio = r.cpuMsPerReq / first.cpuMsPerReq
      const results = r.results === null ? '' : ` ${compact(r.results)}`
      return `${f1(r.cpuMsPerReq)} ×${ratio.toFixed(1)}${results} ${floorRatio(r, run.results).toFixed(2)}f`.padStart(30)
    })
    console.log(`${pad(label, w)}${cells.join('')}`)
  }
  const loops = runs
    .map((run) => f1(Math.max(...run.results.flatMap((r) => r.loops.map((l) => l.maxDelayMs)))).padStart(30))
    .join('')
  console.log(`${pad('longest event-loop stall, any page', w)}${loops}`)
  const starts = runs.map((run) => (run.startup ? f1(run.startup.maxDelayMs) : '–').padStart(30)).join('')
  console.log(`${pad('… during the first requests', w)}${starts}`)
}

function printPgServer(pg: PgBenchServer): void {
  // 'configuration file': the postgresql.conf initdb wrote (its own pick for shared_buffers and the like).
  const source = (s: PgSetting) => (s.source === 'configuration file' ? 'initdb' : s.source)
  const settings = pg.settings.map((s) => `${s.name}=${s.value}${s.source === 'default' ? '' : ` (${source(s)})`}`).join(', ')
  console.log(`PostgreSQL ${pg.version} on ${pg.where}`)
  console.log(
    `  settings: ${settings}; "command line" = tests/support/pg-server.ts's throwaway-server flags, "initdb" = what initdb wrote, unmarked and all others PostgreSQL's defaults. Each app instance's pool: up to 10 connections (db/postgres.ts).`,
  )
}

function printSeeded(seeded: SeededPg): void {
  const index = seeded.index
    ? `the search index (PostgreSQL full-text search, inside the seed): ${seeded.index.documents.toLocaleString('en-US')} documents in ${seeded.index.seconds.toFixed(1)} s (${f0(seeded.index.documents / seeded.index.seconds)} documents/s)`
    : 'the seed did not report its indexing time'
  console.log(
    `PostgreSQL seeded in ${seeded.seedSeconds.toFixed(1)} s, ${index}; VACUUM ANALYZE ${seeded.vacuumSeconds.toFixed(1)} s; database ${f0(seeded.bytes / 1024 / 1024)} MiB (${redactUrl(seeded.url)}, copied afresh for each column)\n`,
  )
}

function compact(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n)
}

function displayWidth(text: string): number {
  let cols = 0
  for (const ch of text) cols += /[\u1100-\uffff]/u.test(ch) ? 2 : 1
  return cols
}

// ---------------------------------------------------------------------------

/** One column at one size: its database, its server instances, every page; prints its tables. */
async function runColumn(
  kind: ColumnKind,
  size: number,
  args: Args,
  buildDir: string,
  seeded: SeededPg | null,
  pg: PgBenchServer | null,
  withJs: boolean,
): Promise<ColumnRun> {
  let target: DatabaseTarget
  let drop = async (): Promise<void> => undefined
  if (kind === 'sqlite') {
    target = { dialect: 'sqlite', file: await ensureDatabase(size, args.seed, buildDir) }
  } else {
    if (!seeded) throw new Error('no seeded PostgreSQL database')
    const copy = await seeded.copy(kind === 'pg' ? `${size}_one` : `${size}_two`)
    target = { dialect: 'postgres', url: copy.url }
    drop = copy.drop
  }
  const cpuProfDir = args.cpuProf ? path.join(SCRATCH, 'profiles') : null
  if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true })
  const loadStart = os.loadavg()
  const servers: Server[] = []
  const results: PageResult[] = []
  const firsts: { label: string; ms: number }[] = []
  let startup: LoopReading | null = null
  let column: Column | null = null
  try {
    for (let i = 0; i < (kind === 'pg×2' ? 2 : 1); i++) {
      servers.push(await Server.start(buildDir, target, { cpuProfDir, sourceMaps: args.profile }))
    }
    column = { kind, name: COLUMN_NAMES[kind], servers, dbMeter: kind === 'sqlite' ? null : (pg?.meter ?? null) }
    const [server] = servers as [Server, ...Server[]]
    const all = await pages(server.origin, target)
    // --only a,b: the pages whose label or path holds any of the texts (and the floor).
    const wanted = args.only?.split(',').filter(Boolean) ?? []
    const chosen = all.filter(
      (p, i) => i === 0 || wanted.length === 0 || wanted.some((w) => p.label.includes(w) || p.path.includes(w)),
    )
    // The first request of each page on the fresh server: every cache is empty and the
    // search engine reads its memory copy of the index (on a worker thread). One at a
    // time, with the event loop's longest stall over all of them.
    await server.ask({ type: 'reset' })
    for (const page of chosen) {
      const started = performance.now()
      const res = await fetch(`${server.origin}${page.path}`, {
        headers: { accept: 'text/html', ...(page.cookie ? { cookie: page.cookie } : {}) },
        redirect: 'manual',
      })
      await res.arrayBuffer()
      firsts.push({ label: page.label, ms: performance.now() - started })
    }
    startup = await server.reading()
    // A fresh server is slower for its first seconds (JIT, caches): warm it on every
    // chosen page before the first measurement, so the floor is not measured cold.
    for (const page of chosen) {
      await loadColumn(
        column,
        page.path,
        { accept: 'text/html', ...(page.cookie ? { cookie: page.cookie } : {}) },
        args.connections,
        WARMUP_SECONDS,
      )
    }
    // The floor again at the end: on a machine others are using, the two differ.
    chosen.push({ ...chosen[0]!, label: FLOOR_AGAIN })
    for (const [i, page] of chosen.entries()) {
      // A progress line on a terminal only: a log file gets the tables alone.
      if (process.stderr.isTTY) process.stderr.write(`  ${size} needs, ${column.name}: ${page.label} …\r`)
      const floorBefore =
        args.floorEach && i > 0 && page.label !== FLOOR_AGAIN
          ? (await measure(column, chosen[0]!, { ...args, profile: false }, size)).reqPerSec
          : undefined
      results.push({ ...(await measure(column, page, args, size)), floorBefore })
      if (process.stderr.isTTY) process.stderr.write(' '.repeat(100) + '\r')
    }
    const after = await Promise.all(servers.map((s) => s.reading()))
    if (results.length > 0) {
      console.log(`\n${column.name}: server RSS ${after.map((a) => Math.round(a.rssMiB)).join(' + ')} MiB after the run`)
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    await drop()
  }
  printPageTable(column, size, results, { start: loadStart, end: os.loadavg() }, args)
  if (startup) printFirstRequests(column, firsts, startup)
  if (withJs) printJsTable(results)
  printProfiles(column, results)
  const out = path.join(SCRATCH, 'results', `http-${size}-${fileTag(kind)}${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify({ size, column: column.name, args, results }, null, 2))
  return { size, kind, results, startup }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  console.log(
    `对接 HTTP bench — ${args.connections} connections, ${args.duration} s per page, gzip ${args.gzip ? 'on' : 'off'}; node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; columns: ${args.columns.map((k) => COLUMN_NAMES[k]).join(' | ')}`,
  )
  const buildDir = prepareBuild(args.ref)
  const runs: ColumnRun[] = []
  const pg = args.columns.some((k) => k !== 'sqlite') ? await startPgBench() : null
  try {
    if (pg) printPgServer(pg)
    for (const size of args.sizes) {
      const seeded = pg ? await pg.seed(buildDir, size, args.seed) : null
      if (seeded) printSeeded(seeded)
      try {
        const sizeRuns: ColumnRun[] = []
        for (const [i, kind] of args.columns.entries()) {
          sizeRuns.push(await runColumn(kind, size, args, buildDir, seeded, pg, i === 0))
        }
        printComparison(size, sizeRuns)
        runs.push(...sizeRuns)
      } finally {
        await seeded?.drop()
      }
    }
  } finally {
    await pg?.stop()
  }
  for (const kind of args.columns) {
    printGrowth(
      COLUMN_NAMES[kind],
      runs.filter((r) => r.kind === kind),
    )
  }
  console.log(
    "\nloop max / p99: longest and 99th-percentile event-loop stall seen during the page's run, per instance (timer resolution 5 ms; on a busy machine it includes time the server waited for a core); loop ms/req: event-loop busy wall time per request; cpu ms/req: the server processes' CPU time per request, all threads, all instances.",
  )
  if (pg) {
    console.log(
      `db ms/req: the PostgreSQL server's CPU time per request (the postmaster and all its processes, from /proc); on SQLite that work is inside the app's own cpu ms/req. Both share the machine's ${os.cpus().length} cores with the load generator.`,
    )
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

/**
 * Provider evaluation (issue 15 §4): the agency's schemes, its latest scheme's page (the demo's
 * published 2025 one: results with per-dimension scores), its appeals, 处理与复核, and provider
 * A's own results.
 */
/**
 * 服务商资源池 (issue 15 §4): the agency's pool and its newest round (the demo's, with
 * 服务商 B's application opened), the provider's pool page, the public notices and the
 * demo expert's pool reviews.
 */
async function poolPagesOf(
  db: Kysely<DB>,
): Promise<(cookies: { provider: string; agency: string; expert: string | null }) => Page[]> {
  let round: { id: number; app: number | null } | null = null
  try {
    const row = await db
      .selectFrom('pool_rounds as r')
      .innerJoin('memberships as m', 'm.org_id', 'r.agency_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'r.id',
        (eb) => eb.selectFrom('pool_applications as a').select('a.id').whereRef('a.round_id', '=', 'r.id').limit(1).as('app'),
      ])
      .where('u.phone', '=', ACCOUNTS.agency)
      .orderBy('r.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    round = row ? { id: row.id, app: row.app ?? null } : null
  } catch {
    // A database from before issue 15: the list pages only.
  }
  return ({ provider, agency, expert }) => [
    { label: '/agency/pool (服务商资源池)', path: '/agency/pool', cookie: agency },
    ...(round === null
      ? []
      : [
          {
            label: '/agency/pool/:id (入库批次)',
            path: `/agency/pool/${round.id}${round.app === null ? '' : `?app=${round.app}`}`,
            cookie: agency,
          },
        ]),
    { label: '/provider/pool (申请入库)', path: '/provider/pool', cookie: provider },
    { label: '/pool/notices (入库公示)', path: '/pool/notices' },
    ...(expert ? [{ label: '/expert/pool (入库评审)', path: '/expert/pool', cookie: expert }] : []),
  ]
}

async function evaluationPagesOf(db: Kysely<DB>): Promise<(cookies: { provider: string; agency: string }) => Page[]> {
  let schemeId: number | null = null
  try {
    const scheme = await db
      .selectFrom('evaluation_schemes as s')
      .innerJoin('memberships as m', 'm.org_id', 's.agency_org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('s.id')
      .where('u.phone', '=', ACCOUNTS.agency)
      .orderBy('s.year', 'desc')
      .limit(1)
      .executeTakeFirst()
    schemeId = scheme?.id ?? null
  } catch {
    // A database from before issue 15: the list pages only.
  }
  return ({ provider, agency }) => [
    { label: '/agency/evaluations (服务商评价)', path: '/agency/evaluations', cookie: agency },
    ...(schemeId === null
      ? []
      : [
          { label: '/agency/evaluations/:id (评价结果)', path: `/agency/evaluations/${schemeId}`, cookie: agency },
          { label: '/agency/evaluations/:id/appeals', path: `/agency/evaluations/${schemeId}/appeals`, cookie: agency },
        ]),
    { label: '/agency/sanctions (处理与复核)', path: '/agency/sanctions', cookie: agency },
    { label: '/provider/evaluation (我的评价)', path: '/provider/evaluation', cookie: provider },
  ]
}
