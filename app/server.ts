/**
 * The production HTTP server: Express in front of the Remix build. Owned here (not
 * remix-serve) so that the client's IP reaches loaders for rate limits and the
 * audit log, and so cross-site POSTs are refused before any action runs.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { createDb } from '../db/connection.js'
import { migrateToLatest } from '../db/migrate.js'
import { isForeignOrigin } from './utils/origin.js'
import { parseEnv } from './utils/env.server.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export async function createServer() {
  const env = parseEnv()
  // The schema must be current before the first request, however the server was started.
  const { db } = createDb(env.DATABASE_PATH)
  await migrateToLatest(db)
  await db.destroy()
  const build = (await import(pathToFileURL(path.join(root, 'build/index.js')).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy, TRUST_PROXY names how many hops to trust for X-Forwarded-For.
  app.set('trust proxy', env.TRUST_PROXY)
  app.use(compression())
  app.use('/build', express.static(path.join(root, 'public/build'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }))
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && isForeignOrigin(req.get('origin'), req.get('host'))) {
      res.status(403).type('text/plain; charset=utf-8').send('跨站请求已被拒绝 / cross-site request refused')
      return
    }
    next()
  })
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? '' }),
    }),
  )
  return { app, env }
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href
if (isMain) {
  const { app, env } = await createServer()
  app.listen(env.PORT, () => {
    console.log(`对接 Duijie 正在运行：http://localhost:${env.PORT}`)
  })
}
