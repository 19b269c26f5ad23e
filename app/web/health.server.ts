import { sql } from 'kysely'
import type { Database } from '../../db/connection.js'

export interface Health {
  status: 'ok' | 'error'
  database: 'ok' | 'unreachable'
}

/** For /healthz: can the app reach its database? Never throws; a failure is logged. */
export async function checkHealth(db: Database): Promise<Health> {
  try {
    await sql`select 1`.execute(db)
    return { status: 'ok', database: 'ok' }
  } catch (error) {
    console.error('healthz: database unreachable', error)
    return { status: 'error', database: 'unreachable' }
  }
}
