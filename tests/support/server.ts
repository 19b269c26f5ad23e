/**
 * The real server (app/server.ts: Express guards + the Remix build) on an ephemeral
 * port, in this test process, against this file's scratch database.
 *
 * The shared build/ folder belongs to `npm run build` and the e2e run, so tests build
 * their own copy into this vitest run's scratch folder (REMIX_BUILD_DIR, read by
 * remix.config.js and app/server.ts). The first test file to ask builds (~2 s) under a
 * lock; the others in the run wait for it and reuse it.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Server } from 'node:http'
import { TMP_DIR } from './paths.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const BUILD_DIR = path.join(TMP_DIR, 'build')
const LOCK = path.join(TMP_DIR, 'build.lock')
const DONE = path.join(BUILD_DIR, 'built.txt')

export async function ensureBuild(): Promise<string> {
  if (fs.existsSync(DONE)) return BUILD_DIR
  let owner = false
  try {
    fs.mkdirSync(LOCK)
    owner = true
  } catch {
    // Another test file is building.
  }
  if (owner) {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@remix-run/dev/dist/cli.js'), 'build'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', REMIX_BUILD_DIR: BUILD_DIR },
      encoding: 'utf8',
    })
    if (result.status !== 0) {
      fs.rmSync(LOCK, { recursive: true, force: true })
      throw new Error(`remix build failed:\n${result.stdout}\n${result.stderr}`)
    }
    fs.writeFileSync(DONE, new Date().toISOString())
    return BUILD_DIR
  }
  const deadline = Date.now() + 120_000
  while (!fs.existsSync(DONE)) {
    if (!fs.existsSync(LOCK)) throw new Error('the build another test file started failed')
    if (Date.now() > deadline) throw new Error('timed out waiting for the test build')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return BUILD_DIR
}

export interface TestServer {
  origin: string
  port: number
  server: Server
  close(): Promise<void>
}

export async function startServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  const buildDir = await ensureBuild()
  const { createServer } = await import('../../app/server.js')
  const { parseEnv } = await import('../../app/utils/env.server.js')
  const env = parseEnv({ ...process.env, ...options.env })
  const { app } = await createServer({ buildDir, env })
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
