/**
 * The production HTTP server: Express in front of the Remix build. Owned here (not
 * remix-serve) so that the client's IP reaches loaders for rate limits and the
 * audit log, and so that malformed, oversized and cross-site requests are answered
 * with a 4xx before any loader or action runs (app/utils/request-guards.server.ts).
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequestHandler as createRemixHandler, writeReadableStreamToWritable, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, {
  type ErrorRequestHandler,
  type Request as ExpressRequest,
  type RequestHandler,
  type Response as ExpressResponse,
} from 'express'
import { migrateToLatest } from '../db/migrate.js'
import { openDatabase } from '../db/open.js'
import { parseEnv, type Env } from './utils/env.server.js'
import { isForeignOrigin } from './utils/origin.js'
import { bufferedBody, forwardedHosts, isValidHost, mustNotStore, readRequestBody } from './utils/request-guards.server.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface ServerOptions {
  /** Folder holding the Remix build (index.js, public/build); REMIX_BUILD_DIR or build/ by default. */
  buildDir?: string
  env?: Env
}

export async function createServer(options: ServerOptions = {}) {
  const env = options.env ?? parseEnv()
  // The schema must be current before the first request, however the server was started
  // (SQLite's DATABASE_PATH, or PostgreSQL's DATABASE_URL; migrations of one instance
  // wait for another's: Kysely's migrator locks).
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-migrate' } })
  try {
    await migrateToLatest(database.db)
  } finally {
    await database.close()
  }
  const custom = options.buildDir ?? process.env.REMIX_BUILD_DIR
  const buildDir = custom ? path.resolve(custom) : path.join(root, 'build')
  const assetsDir = custom ? path.join(buildDir, 'public/build') : path.join(root, 'public/build')
  const build = (await import(pathToFileURL(path.join(buildDir, 'index.js')).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy, TRUST_PROXY names how many hops to trust for X-Forwarded-For.
  app.set('trust proxy', env.TRUST_PROXY)
  app.use(checkHost(env))
  app.use(readRequestBody())
  app.use(compression())
  app.use('/build', express.static(assetsDir, { immutable: true, maxAge: '1y' }))
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }))
  app.use((req, res, next) => {
    const foreign = isForeignOrigin(req.get('origin'), req.get('host'), {
      host: req.get('x-forwarded-host'),
      trusted: env.TRUST_PROXY > 0,
    })
    if (req.method !== 'GET' && req.method !== 'HEAD' && foreign) {
      res.status(403).type('text/plain; charset=utf-8').send('跨站请求已被拒绝 / cross-site request refused')
      return
    }
    next()
  })
  app.all('*', remixHandler(build, env))
  app.use(lastResort)
  return { app, env, build }
}

/**
 * The scheduled jobs (app/web/jobs.server.ts) run in the build's own module instance,
 * on its services; the build's entry exports the starter. Only a serving process
 * starts them (tests' in-process servers do not), and every instance does: each
 * job's lease lets one instance run it at a time.
 */
function startBackgroundJobs(build: ServerBuild): { stop(): Promise<void> } | null {
  const entry = build.entry.module as { startBackgroundJobs?: () => { stop(): Promise<void> } }
  return entry.startBackgroundJobs?.() ?? null
}

/**
 * Host and X-Forwarded-Host must be host names (a request URL is built from them), and
 * production answers carry HSTS so browsers only come back over HTTPS.
 */
function checkHost(env: Env): RequestHandler {
  return (req, res, next) => {
    if (env.NODE_ENV === 'production') res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    const forwarded = req.get('x-forwarded-host')
    if (!isValidHost(req.get('host')) || (forwarded !== undefined && !forwardedHosts(forwarded).every(isValidHost))) {
      res.status(400).type('text/plain; charset=utf-8').send('请求的主机名无效 / invalid Host header')
      return
    }
    // Origin-form only (`/path`): an absolute URL or `*` in the request line names no page here.
    if (!req.originalUrl.startsWith('/')) {
      res.status(400).type('text/plain; charset=utf-8').send('请求地址无效 / invalid request target')
      return
    }
    next()
  }
}

/**
 * @remix-run/express's handler, with three differences: the URL comes from the host
 * checkHost validated; the body is the one readRequestBody already read (so the socket
 * holds nothing unread); and private answers are marked `Cache-Control: no-store`.
 */
function remixHandler(build: ServerBuild, env: Env): RequestHandler {
  const handle = createRemixHandler(build, build.mode)
  const serve = async (req: ExpressRequest, res: ExpressResponse) => {
    const host = (env.TRUST_PROXY > 0 && forwardedHosts(req.get('x-forwarded-host'))[0]) || req.get('host')!
    const url = new URL(`${req.protocol}://${host}${req.originalUrl}`)
    // Loaders and actions are aborted when the client goes away before the answer is sent.
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const headers = new Headers()
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v)
    }
    const withBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(url.href, {
      method: req.method,
      headers,
      signal: controller.signal,
      ...(withBody ? { body: bufferedBody(req) ?? new Uint8Array(0) } : {}),
    })
    const response = await handle(request, { clientIp: req.ip ?? req.socket.remoteAddress ?? '' })
    res.statusMessage = response.statusText
    res.status(response.status)
    for (const [key, value] of response.headers.entries()) {
      if (key !== 'cache-control') res.append(key, value)
    }
    const cacheControl = response.headers.get('Cache-Control')
    if (mustNotStore(req, response.headers.has('Set-Cookie'))) res.set('Cache-Control', 'no-store')
    else if (cacheControl) res.set('Cache-Control', cacheControl)
    if (response.body) await writeReadableStreamToWritable(response.body, res)
    else res.end()
  }
  return (req, res, next) => {
    serve(req, res).catch(next)
  }
}

/** Whatever got past every check: a client's fault keeps its 4xx; anything else is our 500, logged. */
const lastResort: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode
  const clientFault = typeof status === 'number' && status >= 400 && status < 500
  if (!clientFault) console.error(error)
  if (res.headersSent) {
    res.destroy()
    return
  }
  res
    .status(clientFault ? status : 500)
    .type('text/plain; charset=utf-8')
    .send(clientFault ? '请求无效 / bad request' : '服务器内部错误 / internal server error')
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href
if (isMain) {
  const { app, env, build } = await createServer()
  const server = app.listen(env.PORT, () => {
    console.log(`对接 Duijie 正在运行：http://localhost:${env.PORT}`)
  })
  const jobs = startBackgroundJobs(build)
  // A stopping instance finishes what it is doing and lets its leases lapse for the others.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(0), 10_000).unref()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      void Promise.allSettled([closed, jobs?.stop()]).then(() => process.exit(0))
    })
  }
}
