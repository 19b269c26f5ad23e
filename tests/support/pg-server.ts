import { execFileSync, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/**
 * A throwaway PostgreSQL server for tests and benchmarks (issue 10).
 *
 * `startPgServer()` runs Debian's PostgreSQL binaries in a fresh temporary data
 * directory: initdb, then a postmaster on a free TCP port of 127.0.0.1 with its
 * unix socket in the same directory, fsync off (nothing here must survive a crash).
 * As root (CI, the dev container) every server binary runs as the `postgres` user
 * through `runuser`, since PostgreSQL refuses to run as root; the directory is
 * owned by that user. `stop()` shuts it down and deletes the directory; a process
 * that exits without calling it still stops the server from an exit hook.
 *
 * `pgServerFromEnv()` hands back the server named by TEST_DATABASE_URL when it is
 * set (nothing is started, nothing is stopped), else a new throwaway one.
 * `createTestDatabase(adminUrl)` makes an empty database on it for one test file.
 */

export interface PgServer {
  /** Superuser URL of the maintenance database (`postgres`): for creating and dropping databases. */
  adminUrl: string
  /** Null for a server named by TEST_DATABASE_URL. */
  dataDir: string | null
  /** Stops a server this process started and deletes its directory; a no-op otherwise. */
  stop(): Promise<void>
}

export interface StartOptions {
  /** Directory holding initdb, pg_ctl and postgres (default: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin). */
  binDir?: string
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>
}

const SERVER_USER = 'postgres'

/** Where the PostgreSQL server binaries are, or null when this machine has none. */
export function findPgBinDir(): string | null {
  const candidates: string[] = []
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN)
  const root = '/usr/lib/postgresql'
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')))
  }
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)))) ?? null
}

/** Whether tests can reach a PostgreSQL server: TEST_DATABASE_URL, or binaries to start one. */
export function pgAvailable(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL) || findPgBinDir() !== null
}

/** Why PostgreSQL tests are skipped, for a message; null when they can run. */
export function pgUnavailableReason(): string | null {
  return pgAvailable()
    ? null
    : 'PostgreSQL tests skipped: no TEST_DATABASE_URL and no server binaries (initdb, pg_ctl, postgres) in PG_BIN or /usr/lib/postgresql/<version>/bin'
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/** The command line that runs `binary` as the server's user. */
function asServerUser(binary: string, args: readonly string[]): [string, string[]] {
  return runningAsRoot() ? ['runuser', ['-u', SERVER_USER, '--', binary, ...args]] : [binary, [...args]]
}

function run(binary: string, args: readonly string[], cwd: string): string {
  const [command, argv] = asServerUser(binary, args)
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } })
  if (result.error) throw result.error
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

/** A TCP port free on 127.0.0.1 right now (for a server a test starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function chownToServerUser(target: string): void {
  if (!runningAsRoot()) return
  const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim())
  fs.chownSync(target, uid, gid)
}

const running = new Set<{ binDir: string; dataDir: string; root: string }>()

// A test run that dies or forgets to stop still stops its servers.
process.once('exit', () => {
  for (const server of running) stopNow(server, 'immediate')
})

function stopNow(server: { binDir: string; dataDir: string; root: string }, mode: 'fast' | 'immediate'): void {
  running.delete(server)
  try {
    run(path.join(server.binDir, 'pg_ctl'), ['stop', '-D', server.dataDir, '-m', mode, '-w', '-t', '30'], server.root)
  } catch {
    // Already stopped, or never started: the directory goes anyway.
  }
  fs.rmSync(server.root, { recursive: true, force: true })
}

/** Starts a throwaway server; throws when no binaries are found. */
export async function startPgServer(options: StartOptions = {}): Promise<PgServer> {
  const binDir = options.binDir ?? findPgBinDir()
  if (!binDir) throw new Error(pgUnavailableReason() ?? 'no PostgreSQL binaries')
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-pg-'))
  chownToServerUser(root)
  const dataDir = path.join(root, 'data')
  const password = crypto.randomBytes(18).toString('base64url')
  const pwfile = path.join(root, 'pwfile')
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  chownToServerUser(pwfile)
  // The C locale sorts text by code point, as SQLite's BINARY collation does; UTF8 holds any text.
  // Local (socket) connections are trusted; TCP ones need the password.
  run(
    path.join(binDir, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      SERVER_USER,
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwfile}`,
    ],
    root,
  )
  fs.rmSync(pwfile)
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: root,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 200,
    ...options.settings,
  }
  const server = { binDir, dataDir, root }
  let lastError: unknown
  // The port is free when picked but may be taken before the server binds it: try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const flags = Object.entries({ ...settings, port }).flatMap(([name, value]) => ['-c', `${name}=${String(value)}`])
    try {
      running.add(server)
      run(
        path.join(binDir, 'pg_ctl'),
        ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(root, 'server.log'), '-o', flags.map(shellQuote).join(' ')],
        root,
      )
      const adminUrl = `postgres://${SERVER_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
      return {
        adminUrl,
        dataDir,
        async stop() {
          if (running.has(server)) stopNow(server, 'fast')
        },
      }
    } catch (error) {
      running.delete(server)
      lastError = error
      const log = readTail(path.join(root, 'server.log'))
      if (!/could not bind|address already in use/i.test(log)) break
    }
  }
  stopNow(server, 'immediate')
  throw lastError instanceof Error ? lastError : new Error(String(lastError))
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000)
  } catch {
    return ''
  }
}

/** pg_ctl passes `-o` through a shell. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** TEST_DATABASE_URL's server when set (left running), else a new throwaway one. */
export async function pgServerFromEnv(options: StartOptions = {}): Promise<PgServer> {
  const given = process.env.TEST_DATABASE_URL
  if (given) return { adminUrl: given, dataDir: null, stop: async () => undefined }
  return startPgServer(options)
}

export interface TestDatabase {
  /** Connection URL of the new, empty database (or schema, see below). */
  url: string
  /** Drops it. */
  drop: () => Promise<void>
}

/**
 * An empty database for one test file (or bench run) on the server of `adminUrl`,
 * named `duijie_<tag>_<random>`. When the user of that URL may not create
 * databases (a TEST_DATABASE_URL for a restricted account), an empty schema in its
 * database is used instead: the URL then selects it through `search_path`.
 */
export async function createTestDatabase(adminUrl: string, tag = 'test'): Promise<TestDatabase> {
  const name = testDatabaseName(tag)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`)
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') {
      await admin.end()
      throw error
    }
    // insufficient_privilege: fall back to a schema.
    await admin.query(`CREATE SCHEMA ${name}`)
    await admin.end()
    const url = new URL(adminUrl)
    url.searchParams.set('options', `-c search_path=${name}`)
    return {
      url: url.toString(),
      drop: () => adminQuery(adminUrl, `DROP SCHEMA IF EXISTS ${name} CASCADE`),
    }
  }
  await admin.end()
  return databaseNamed(adminUrl, name)
}

/**
 * A new database `duijie_<tag>_<random>` copied from `template` (CREATE DATABASE …
 * TEMPLATE: a file copy, far faster than migrating), for one test file. Nobody may be
 * connected to the template meanwhile; a copy that races another is retried.
 */
export async function cloneTestDatabase(adminUrl: string, template: string, tag = 'test'): Promise<TestDatabase> {
  const name = testDatabaseName(tag)
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
        break
      } catch (error) {
        // 55006 object_in_use: "source database … is being accessed by other users".
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50))
      }
    }
  } finally {
    await admin.end()
  }
  return databaseNamed(adminUrl, name)
}

/** `duijie_<tag>_<random>`: a name no other run takes. */
function testDatabaseName(tag: string): string {
  return `duijie_${tag.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${crypto.randomBytes(5).toString('hex')}`
}

/** Runs one statement as the user of `adminUrl`, on a connection of its own. */
async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** The database `name` on the server of `adminUrl`, dropped (its sessions ended) by `drop`. */
function databaseNamed(adminUrl: string, name: string): TestDatabase {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}
