import type { Kysely } from 'kysely'
import type { DiagnosisKind, DiagnosisOrigin, DiagnosisStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import type { ReferenceData } from '../reference/reference.server.js'

/*
 * Who may see a diagnosis project (诊断项目), and as whom — the one gate every diagnosis
 * use case (project, report, service records, survey) and the enterprise archive start
 * from:
 * - 'enterprise': an active member of the diagnosed enterprise;
 * - 'provider': an active member of the diagnosing provider, once the enterprise
 *   accepted it (or chose it, or an agency assigned it) — a proposal it made is visible
 *   to it too, but nothing about the enterprise beyond its name;
 * - 'agency': a verified agency whose jurisdiction holds the enterprise's region.
 * Anyone else gets NOT_FOUND, the same answer as for an id that does not exist.
 */

export type DiagnosisSide = 'enterprise' | 'provider' | 'agency'

export interface DiagnosisRow {
  id: number
  enterpriseOrgId: number
  enterpriseName: string
  /** The enterprise's region: the jurisdiction the diagnosis falls under. */
  regionCode: string
  providerOrgId: number
  providerName: string
  kind: DiagnosisKind
  status: DiagnosisStatus
  origin: DiagnosisOrigin
  assignedByOrgId: number | null
  note: string
  createdAt: string
  updatedAt: string
}

export interface DiagnosisAccess {
  diagnosis: DiagnosisRow
  side: DiagnosisSide
}

/** Statuses in which the diagnoser works on the enterprise (and sees its archive). */
export const ENGAGED_STATUSES = ['active', 'completed'] as const satisfies readonly DiagnosisStatus[]

export async function loadDiagnosisRow(db: Kysely<DB>, diagnosisId: number): Promise<DiagnosisRow | undefined> {
  const row = await db
    .selectFrom('diagnoses as d')
    .innerJoin('organisations as e', 'e.id', 'd.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'd.provider_org_id')
    .select([
      'd.id',
      'd.enterprise_org_id',
      'e.name as enterprise_name',
      'e.region_code',
      'd.provider_org_id',
      'p.name as provider_name',
      'd.kind',
      'd.status',
      'd.origin',
      'd.assigned_by_org_id',
      'd.note',
      'd.created_at',
      'd.updated_at',
    ])
    .where('d.id', '=', diagnosisId)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    id: row.id,
    enterpriseOrgId: row.enterprise_org_id,
    enterpriseName: row.enterprise_name,
    regionCode: row.region_code,
    providerOrgId: row.provider_org_id,
    providerName: row.provider_name,
    kind: row.kind,
    status: row.status,
    origin: row.origin,
    assignedByOrgId: row.assigned_by_org_id,
    note: row.note,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  }
}

/** The side the actor sees the diagnosis from, or null when it may not see it. */
export function diagnosisSide(actor: Actor | null, ref: ReferenceData, diagnosis: DiagnosisRow): DiagnosisSide | null {
  const org = actor?.org
  if (!org || org.membership !== 'active') return null
  if (org.orgId === diagnosis.enterpriseOrgId && org.kind === 'enterprise') return 'enterprise'
  if (org.orgId === diagnosis.providerOrgId && org.kind === 'provider' && org.status === 'verified') return 'provider'
  if (can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: diagnosis.regionCode })) return 'agency'
  return null
}

/**
 * The diagnosis and the actor's side of it; NOT_FOUND when it does not exist or the
 * actor may not see it. Write use cases then `authorize` the permission of their act.
 * Pass `trx` inside a transaction (never `db` there: SQLite has one connection).
 */
export async function diagnosisFor(
  db: Kysely<DB>,
  actor: Actor | null,
  ref: ReferenceData,
  diagnosisId: number,
): Promise<DiagnosisAccess> {
  const diagnosis = await loadDiagnosisRow(db, diagnosisId)
  const side = diagnosis ? diagnosisSide(actor, ref, diagnosis) : null
  if (!diagnosis || !side) throw new AppError('NOT_FOUND', 'errors.notFound')
  return { diagnosis, side }
}

/**
 * May a provider see this enterprise's archive (一企一档)? Only while it diagnoses it or
 * after it did (a project in ENGAGED_STATUSES): "a diagnoser sees only enterprises that
 * accepted it".
 */
export async function isEngagedDiagnoser(db: Kysely<DB>, providerOrgId: number, enterpriseOrgId: number): Promise<boolean> {
  const row = await db
    .selectFrom('diagnoses')
    .select('id')
    .where('provider_org_id', '=', providerOrgId)
    .where('enterprise_org_id', '=', enterpriseOrgId)
    .where('status', 'in', ENGAGED_STATUSES)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
