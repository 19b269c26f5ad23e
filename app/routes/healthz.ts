import type { LoaderFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { checkHealth } from '~/web/health.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** Liveness for load balancers and monitors: 200 when the database answers, 503 when not. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const health = await checkHealth(services().db)
    return json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
  })
}
