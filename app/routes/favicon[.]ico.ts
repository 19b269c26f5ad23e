import type { LoaderFunctionArgs } from '@remix-run/node'
import { runLoader } from '~/web/route-errors.server.js'

/** The icon is inline in the page head; answer the browser's habitual request cheaply. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => new Response(null, { status: 204, headers: { 'Cache-Control': 'public, max-age=86400' } }))
}
