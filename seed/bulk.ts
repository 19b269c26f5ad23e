import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/types.js'

/** Helpers of the demo writers' bulk inserts (seed/demo-writer.ts, seed/providers-writer.ts). */

/** Tables whose `id` is an identity column on PostgreSQL. */
export type IdentityTable =
  | 'organisations'
  | 'users'
  | 'needs'
  | 'provider_qualifications'
  | 'provider_cases'
  | 'case_metrics'
  | 'contract_templates'
  | 'contract_template_versions'
  | 'enterprise_titles'
  | 'diagnoses'
  | 'diagnosis_report_versions'
  | 'diagnosis_weaknesses'
  | 'diagnosis_service_records'
  | 'bids'
  | 'contracts'
  | 'contract_milestones'
  | 'milestone_submissions'

/**
 * `count` new ids of `table` from its identity sequence, ascending. Rows inserted with
 * them keep the sequence ahead of every id (no setval needed), and on a fresh or reset
 * database they are 1, 2, 3 … as SQLite's AUTOINCREMENT gives.
 */
export async function pgReserveIds(trx: Kysely<DB>, table: IdentityTable, count: number): Promise<number[]> {
  if (count <= 0) return []
  const result = await sql<{ id: number | string }>`
    select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count}::int)`.execute(trx)
  return result.rows.map((r) => Number(r.id)).sort((a, b) => a - b)
}

export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
