import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { regionLabel, type ReferenceData } from '../reference/reference.server.js'
import type { ProviderChoice } from './views.js'

/*
 * Who may diagnose, and the provider pickers: shared by the project use cases
 * (projects.server.ts) and the report use cases (reports.server.ts).
 */

export const PICK_LIMIT = 10

export type Db = Kysely<DB> | Transaction<DB>

/** organisations.provider_kinds (JSON text in SQLite, jsonb in PostgreSQL) holds 'consultancy'. */
export const holdsConsultancy = sql<boolean>`cast(provider_kinds as text) like '%"consultancy"%'`

/** A verified provider of kind 诊断咨询机构? */
export async function isVerifiedConsultancy(db: Db, orgId: number): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', orgId)
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where(holdsConsultancy)
    .executeTakeFirst()
  return row !== undefined
}

/** The acting provider may diagnose: 'diagnose:enterprise:own' and the consultancy kind. */
export async function assertDiagnoser(db: Db, actor: Actor, ref: ReferenceData, providerOrgId: number): Promise<void> {
  authorize(actor, ref, 'diagnose:enterprise:own', { orgId: providerOrgId })
  if (!(await isVerifiedConsultancy(db, providerOrgId))) {
    throw new AppError('FORBIDDEN', 'diagnosis.e.notConsultancy', { detail: { permission: 'diagnose:enterprise:own' } })
  }
}

export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Verified consultancy providers whose name holds `q` (or the first ones when blank). */
export async function searchDiagnosers(
  db: Database,
  ref: ReferenceData,
  q: string,
  exclude: readonly number[],
  locale: Locale,
  limit = PICK_LIMIT,
): Promise<ProviderChoice[]> {
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where(holdsConsultancy)
  if (exclude.length) query = query.where('id', 'not in', [...exclude])
  if (q) query = query.where(sql<boolean>`name like ${likePattern(q)} escape '\\'`)
  const rows = await query
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ orgId: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }))
}

/** Verified providers of any kind whose name holds `q` (recommended providers of a report). */
export async function searchVerifiedProviders(
  db: Database,
  ref: ReferenceData,
  q: string,
  exclude: readonly number[],
  locale: Locale,
): Promise<ProviderChoice[]> {
  if (!q) return []
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where(sql<boolean>`name like ${likePattern(q)} escape '\\'`)
  if (exclude.length) query = query.where('id', 'not in', [...exclude])
  const rows = await query
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .limit(PICK_LIMIT)
    .execute()
  return rows.map((r) => ({ orgId: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }))
}
