import { json } from '@remix-run/node'
import { sql } from 'kysely'
import { services } from '~/web/services.server.js'

export async function loader() {
  try {
    await sql`select 1`.execute(services().db)
    return json({ status: 'ok', database: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
  } catch (error) {
    console.error('healthz: database unreachable', error)
    return json({ status: 'error', database: 'unreachable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
  }
}
