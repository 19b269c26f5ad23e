import type { DiagnosisKind, DiagnosisStatus } from '../../db/enums.js'
import { db, person, type Person } from './provider-world.js'

/*
 * Service records and survey tests (issue 12, slice B2): diagnosis projects and report
 * versions inserted directly (the project use cases are another slice's), with the
 * people on each side signed in.
 */

export { db, person, type Person }

/** A verified 诊断咨询机构 (provider_kinds holds 'consultancy') with a signed-in owner. */
export async function consultancy(o: { region?: string; kinds?: string[] } = {}): Promise<Person> {
  const p = await person({ kind: 'provider', region: o.region ?? '321003' })
  await db()
    .updateTable('organisations')
    .set({ provider_kinds: JSON.stringify(o.kinds ?? ['consultancy']) })
    .where('id', '=', p.orgId)
    .execute()
  return p
}

/** A diagnosis project between them, created `daysAgo` days ago. */
export async function insertDiagnosis(
  enterpriseOrgId: number,
  providerOrgId: number,
  o: { kind?: DiagnosisKind; status?: DiagnosisStatus; daysAgo?: number } = {},
): Promise<number> {
  const created = new Date(Date.now() - (o.daysAgo ?? 10) * 86_400_000).toISOString()
  const row = await db()
    .insertInto('diagnoses')
    .values({
      enterprise_org_id: enterpriseOrgId,
      provider_org_id: providerOrgId,
      kind: o.kind ?? 'workshop',
      status: o.status ?? 'active',
      origin: 'enterprise',
      created_at: created,
      updated_at: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A report version of the project; confirmed (签字盖章 by `confirmedBy`) unless told otherwise. */
export async function insertVersion(
  diagnosisId: number,
  o: { version?: number; status?: 'draft' | 'submitted' | 'confirmed' | 'superseded'; confirmedBy?: number } = {},
): Promise<number> {
  const now = new Date().toISOString()
  const status = o.status ?? 'confirmed'
  const confirmed = status === 'confirmed' || status === 'superseded'
  const row = await db()
    .insertInto('diagnosis_report_versions')
    .values({
      diagnosis_id: diagnosisId,
      version: o.version ?? 1,
      status,
      basics: '企业基本情况',
      submitted_at: status === 'draft' ? null : now,
      confirmed_by: confirmed ? (o.confirmedBy ?? null) : null,
      confirmed_at: confirmed ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Today in China, and `days` before it (YYYY-MM-DD). */
export function chinaDate(daysBefore = 0): string {
  const d = new Date(Date.now() - daysBefore * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d)
}
