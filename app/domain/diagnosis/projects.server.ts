import { sql, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DiagnosisKind, DiagnosisStatus, ReportStatus } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { diagnosisFor, type DiagnosisRow } from './access.server.js'
import { serviceProgress, type ServiceRecordFacts } from './minimums.js'
import {
  assertDiagnoser,
  isVerifiedConsultancy,
  likePattern,
  PICK_LIMIT,
  searchDiagnosers,
  type Db,
} from './projects-gate.server.js'
import type { NewDiagnosisInput } from './report-schema.js'
import { DIAGNOSIS_TABS, type DiagnosisTab } from './views.js'
import { loadVersionView } from './reports.server.js'
import type { DiagnosisList, EnterpriseChoice, ProjectPage, ProviderChoice, VersionSummary } from './views.js'

export { holdsConsultancy, isVerifiedConsultancy } from './projects-gate.server.js'
export { ZDiagnosisListQuery, ZNewDiagnosis, ZNewDiagnosisQuery, ZProjectIntent } from './report-schema.js'

/*
 * Diagnosis projects (诊断项目, issue 12 item 2; Jiangsu 2022 §二 “组织诊断企业与诊断机构对接”):
 * - an enterprise's owner chooses a diagnoser ('engage:diagnoser:own') → active at once;
 * - a provider of kind 诊断咨询机构 proposes itself to a verified enterprise
 *   ('diagnose:enterprise:own') → proposed; the enterprise's owner accepts (active) or
 *   declines;
 * - an agency's owner or reviewer assigns a diagnoser to an enterprise of its
 *   jurisdiction ('assign:diagnoser:jurisdiction') → active, origin 'agency';
 * - either party (and the assigning agency) cancels before completion.
 * The diagnoser must be a verified provider whose kinds hold 'consultancy'. One live
 * (proposed or active) project per enterprise and diagnoser: the partial unique index
 * diagnoses_live_uq makes a second one a CONFLICT. An active project gets report
 * version 1 as a draft at once (reports.server.ts writes it).
 */

export const DIAGNOSIS_PAGE_SIZE = 20
/**
 * Verified enterprises found by a word of their name or their full USCC — a provider
 * proposing learns no more than a name and a region (nothing of the archive); an
 * agency searches within its jurisdiction.
 */
async function searchEnterprises(
  db: Database,
  ref: ReferenceData,
  q: string,
  regions: readonly string[] | null,
  locale: Locale,
): Promise<EnterpriseChoice[]> {
  if (!q) return []
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', '=', 'enterprise')
    .where('status', '=', 'verified')
  const uscc = q.toUpperCase()
  query = /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(uscc)
    ? query.where('uscc', '=', uscc)
    : query.where(sql<boolean>`name like ${likePattern(q)} escape '\\'`)
  if (regions) query = query.where('region_code', 'in', regions.length ? [...regions] : [''])
  const rows = await query
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .limit(PICK_LIMIT)
    .execute()
  return rows.map((r) => ({ orgId: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }))
}

export type NewDiagnosisMode = 'engage' | 'propose' | 'assign'

export interface NewDiagnosisForm {
  mode: NewDiagnosisMode
  providers: ProviderChoice[]
  enterprises: EnterpriseChoice[]
  q: string
  e: string
}

/** Which form /diagnoses/new shows the actor; FORBIDDEN when it may start none. */
function modeOf(actor: Actor, ref: ReferenceData): NewDiagnosisMode {
  const org = actor.org
  if (org?.kind === 'enterprise' && can(actor, ref, 'engage:diagnoser:own', { orgId: org.orgId })) return 'engage'
  if (org?.kind === 'provider' && can(actor, ref, 'diagnose:enterprise:own', { orgId: org.orgId })) return 'propose'
  if (org?.kind === 'agency' && can(actor, ref, 'assign:diagnoser:jurisdiction', { regionCode: org.regionCode })) return 'assign'
  throw new AppError('FORBIDDEN', 'diagnosis.e.cannotStart', { detail: { permission: 'engage:diagnoser:own' } })
}

export async function getNewDiagnosisForm(
  db: Database,
  actor: Actor,
  query: { q: string; e: string },
  locale: Locale = DEFAULT_LOCALE,
): Promise<NewDiagnosisForm> {
  const ref = await getReferenceData(db)
  const mode = modeOf(actor, ref)
  const org = actor.org!
  if (mode === 'propose') await assertDiagnoser(db, actor, ref, org.orgId)
  const providers =
    mode === 'propose' ? [] : await searchDiagnosers(db, ref, query.q, [], locale, query.q ? PICK_LIMIT : PICK_LIMIT * 2)
  const enterprises =
    mode === 'engage'
      ? []
      : await searchEnterprises(
          db,
          ref,
          mode === 'propose' ? query.q : query.e,
          mode === 'assign' ? jurisdictionCodes(ref, org.regionCode) : null,
          locale,
        )
  return { mode, providers, enterprises, q: query.q, e: query.e }
}

async function verifiedEnterprise(db: Db, orgId: number) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('id', '=', orgId)
    .where('kind', '=', 'enterprise')
    .where('status', '=', 'verified')
    .executeTakeFirst()
}

/** Starts a project: engaged by the enterprise, proposed by the provider, assigned by an agency. */
export async function startDiagnosis(db: Database, actor: Actor, input: NewDiagnosisInput): Promise<{ diagnosisId: number }> {
  const ref = await getReferenceData(db)
  const org = actor.org
  let enterpriseOrgId: number
  let providerOrgId: number
  let status: 'proposed' | 'active'
  let assignedBy: number | null = null
  let origin: 'enterprise' | 'provider' | 'agency'
  if (input.intent === 'engage') {
    authorize(actor, ref, 'engage:diagnoser:own', { orgId: org?.orgId ?? 0 })
    enterpriseOrgId = org!.orgId
    providerOrgId = input.providerOrgId
    status = 'active'
    origin = 'enterprise'
  } else if (input.intent === 'propose') {
    await assertDiagnoser(db, actor, ref, org?.orgId ?? 0)
    providerOrgId = org!.orgId
    enterpriseOrgId = input.enterpriseOrgId
    status = 'proposed'
    origin = 'provider'
  } else {
    const target = await verifiedEnterprise(db, input.enterpriseOrgId)
    // An enterprise outside the jurisdiction is refused like a missing one.
    if (!target)
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { enterpriseOrgId: 'diagnosis.v.enterprise' } })
    const agency = authorize(actor, ref, 'assign:diagnoser:jurisdiction', { regionCode: target.region_code })
    enterpriseOrgId = target.id
    providerOrgId = input.providerOrgId
    status = 'active'
    origin = 'agency'
    assignedBy = agency.orgId
  }
  const enterprise = await verifiedEnterprise(db, enterpriseOrgId)
  if (!enterprise) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { enterpriseOrgId: 'diagnosis.v.enterprise' } })
  }
  if (!(await isVerifiedConsultancy(db, providerOrgId))) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { providerOrgId: 'diagnosis.v.provider' } })
  }
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('diagnoses')
        .values({
          enterprise_org_id: enterpriseOrgId,
          provider_org_id: providerOrgId,
          kind: input.kind,
          status,
          origin,
          assigned_by_org_id: assignedBy,
          note: input.note,
          created_by: actor.userId,
          responded_by: status === 'active' ? actor.userId : null,
          responded_at: status === 'active' ? now : null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (status === 'active') await createFirstVersion(trx, row.id, actor.userId, now)
      await recordAudit(trx, {
        action:
          origin === 'enterprise' ? 'diagnosis.engaged' : origin === 'provider' ? 'diagnosis.proposed' : 'diagnosis.assigned',
        ...auditActor(actor),
        regionCode: enterprise.region_code,
        objectType: 'diagnosis',
        objectId: row.id,
        detail: { enterpriseOrgId, providerOrgId, kind: input.kind },
      })
      return { diagnosisId: row.id }
    })
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('CONFLICT', 'diagnosis.e.livePair', {
        fieldErrors: { [input.intent === 'propose' ? 'enterpriseOrgId' : 'providerOrgId']: 'diagnosis.e.livePair' },
      })
    }
    throw error
  }
}

/** Report version 1, a draft, of a project that just became active. */
async function createFirstVersion(trx: Transaction<DB>, diagnosisId: number, userId: number, now: string): Promise<void> {
  await trx
    .insertInto('diagnosis_report_versions')
    .values({ diagnosis_id: diagnosisId, version: 1, status: 'draft', created_by: userId, created_at: now, updated_at: now })
    .execute()
}

async function lockedDiagnosis(trx: Transaction<DB>, id: number, status: DiagnosisStatus) {
  // The status in the WHERE makes a concurrent change lose: 0 rows updated → conflict.
  return trx.selectFrom('diagnoses').select(['id', 'status']).where('id', '=', id).where('status', '=', status).executeTakeFirst()
}

/** The enterprise's owner accepts (→ active, version 1 drafted) or declines a proposal. */
export async function respondToProposal(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  answer: 'accept' | 'decline',
  reason = '',
): Promise<void> {
  const ref = await getReferenceData(db)
  const { diagnosis } = await diagnosisFor(db, actor, ref, diagnosisId)
  authorize(actor, ref, 'engage:diagnoser:own', { orgId: diagnosis.enterpriseOrgId })
  if (diagnosis.status !== 'proposed') throw new AppError('INVALID_STATE', 'diagnosis.e.notProposed')
  if (answer === 'accept' && !(await isVerifiedConsultancy(db, diagnosis.providerOrgId))) {
    throw new AppError('INVALID_STATE', 'diagnosis.e.providerNotConsultancy')
  }
  const now = new Date().toISOString()
  await withTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('diagnoses')
      .set({
        status: answer === 'accept' ? 'active' : 'declined',
        responded_by: actor.userId,
        responded_at: now,
        updated_at: now,
        ...(reason ? { note: reason } : {}),
      })
      .where('id', '=', diagnosisId)
      .where('status', '=', 'proposed')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    if (answer === 'accept') await createFirstVersion(trx, diagnosisId, actor.userId, now)
    await recordAudit(trx, {
      action: answer === 'accept' ? 'diagnosis.accepted' : 'diagnosis.declined',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: 'diagnosis',
      objectId: diagnosisId,
      detail: { changes: { status: ['proposed', answer === 'accept' ? 'active' : 'declined'] }, ...(reason ? { reason } : {}) },
    })
  })
}

/** Who may cancel: the enterprise's owner, the diagnoser, the agency that assigned it. */
function mayCancel(actor: Actor, ref: ReferenceData, d: DiagnosisRow): boolean {
  if (can(actor, ref, 'engage:diagnoser:own', { orgId: d.enterpriseOrgId })) return true
  if (can(actor, ref, 'diagnose:enterprise:own', { orgId: d.providerOrgId })) return true
  return (
    d.assignedByOrgId !== null &&
    actor.org?.orgId === d.assignedByOrgId &&
    can(actor, ref, 'assign:diagnoser:jurisdiction', { regionCode: d.regionCode })
  )
}

/** Cancels a proposed or active project (never a completed one). */
export async function cancelDiagnosis(db: Database, actor: Actor, diagnosisId: number, reason = ''): Promise<void> {
  const ref = await getReferenceData(db)
  const { diagnosis } = await diagnosisFor(db, actor, ref, diagnosisId)
  if (!mayCancel(actor, ref, diagnosis)) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'engage:diagnoser:own' } })
  }
  if (diagnosis.status !== 'proposed' && diagnosis.status !== 'active') {
    throw new AppError('INVALID_STATE', 'diagnosis.e.notCancellable')
  }
  const now = new Date().toISOString()
  await withTransaction(db, async (trx) => {
    const found = await lockedDiagnosis(trx, diagnosisId, diagnosis.status)
    if (!found) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    const result = await trx
      .updateTable('diagnoses')
      .set({ status: 'cancelled', updated_at: now, ...(reason ? { note: reason } : {}) })
      .where('id', '=', diagnosisId)
      .where('status', '=', diagnosis.status)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    await recordAudit(trx, {
      action: 'diagnosis.cancelled',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: 'diagnosis',
      objectId: diagnosisId,
      detail: { changes: { status: [diagnosis.status, 'cancelled'] }, ...(reason ? { reason } : {}) },
    })
  })
}

/** The service records' facts of these projects, in one grouped query. */
export async function progressOf(
  db: Database,
  projects: readonly { id: number; kind: DiagnosisKind }[],
): Promise<Map<number, ReturnType<typeof serviceProgress>>> {
  const facts = new Map<number, ServiceRecordFacts[]>()
  if (projects.length) {
    // Grouped by what decides a flag (kind, minutes, team size): few rows per project.
    const rows = await db
      .selectFrom('diagnosis_service_records')
      .select((eb) => ['diagnosis_id', 'kind', 'minutes', 'team_size', eb.fn.countAll<number | string>().as('n')])
      .where(
        'diagnosis_id',
        'in',
        projects.map((p) => p.id),
      )
      .groupBy(['diagnosis_id', 'kind', 'minutes', 'team_size'])
      .execute()
    for (const r of rows) {
      const list = facts.get(r.diagnosis_id) ?? []
      for (let i = 0; i < Number(r.n); i++) list.push({ kind: r.kind, minutes: r.minutes, teamSize: r.team_size })
      facts.set(r.diagnosis_id, list)
    }
  }
  return new Map(projects.map((p) => [p.id, serviceProgress(p.kind, facts.get(p.id) ?? [])]))
}

const TAB_STATUSES: Record<Exclude<DiagnosisTab, 'all'>, DiagnosisStatus[]> = {
  proposed: ['proposed'],
  active: ['active'],
  completed: ['completed'],
  closed: ['declined', 'cancelled'],
}

/**
 * /diagnoses: the enterprise's reports (诊断报告), the provider's projects (诊断项目) with
 * their progress, or the projects of an agency's jurisdiction; by status tab, paged.
 */
export async function listDiagnoses(
  db: Database,
  actor: Actor,
  query: { status: DiagnosisTab; page: number },
): Promise<DiagnosisList> {
  const ref = await getReferenceData(db)
  const org = actor.org
  if (!org || org.membership !== 'active') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:org:own' } })
  }
  let side: DiagnosisList['side']
  let regions: string[] | null = null
  if (org.kind === 'enterprise' && can(actor, ref, 'edit:enterprise-archive:own', { orgId: org.orgId })) side = 'enterprise'
  else if (org.kind === 'provider' && can(actor, ref, 'diagnose:enterprise:own', { orgId: org.orgId })) side = 'provider'
  else if (org.kind === 'agency' && can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: org.regionCode })) {
    side = 'agency'
    regions = jurisdictionCodes(ref, org.regionCode)
  } else throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:enterprise-archive:jurisdiction' } })

  const base = () => {
    let q = db.selectFrom('diagnoses as d')
    if (side === 'enterprise') q = q.where('d.enterprise_org_id', '=', org.orgId)
    else if (side === 'provider') q = q.where('d.provider_org_id', '=', org.orgId)
    else
      q = q
        .innerJoin('organisations as eo', 'eo.id', 'd.enterprise_org_id')
        .where('eo.region_code', 'in', regions!.length ? regions! : [''])
    return q
  }
  const grouped = await base()
    .select((eb) => ['d.status', eb.fn.countAll<number | string>().as('n')])
    .groupBy('d.status')
    .execute()
  const byStatus = new Map(grouped.map((g) => [g.status, Number(g.n)]))
  const counts = Object.fromEntries(DIAGNOSIS_TABS.map((t) => [t, 0])) as Record<DiagnosisTab, number>
  for (const [status, n] of byStatus) {
    counts.all += n
    for (const tab of DIAGNOSIS_TABS) if (tab !== 'all' && TAB_STATUSES[tab].includes(status)) counts[tab] += n
  }
  const total = counts[query.status]
  const pageCount = Math.max(1, Math.ceil(total / DIAGNOSIS_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  let list = base()
    .innerJoin('organisations as e', 'e.id', 'd.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'd.provider_org_id')
    .select(['d.id', 'd.kind', 'd.status', 'd.origin', 'd.updated_at', 'e.name as enterprise_name', 'p.name as provider_name'])
  if (query.status !== 'all') list = list.where('d.status', 'in', TAB_STATUSES[query.status])
  const rows =
    total === 0
      ? []
      : await list
          .orderBy('d.updated_at', 'desc')
          .orderBy('d.id', 'desc')
          .limit(DIAGNOSIS_PAGE_SIZE)
          .offset((page - 1) * DIAGNOSIS_PAGE_SIZE)
          .execute()
  const ids = rows.map((r) => r.id)
  const latest = new Map<number, { version: number; status: ReportStatus }>()
  if (ids.length) {
    const versions = await db
      .selectFrom('diagnosis_report_versions')
      .select(['diagnosis_id', 'version', 'status'])
      .where('diagnosis_id', 'in', ids)
      .orderBy('diagnosis_id')
      .orderBy('version')
      .execute()
    for (const v of versions) {
      // The enterprise and agencies do not see drafts: their latest is the latest they may read.
      if (side !== 'provider' && v.status === 'draft') continue
      latest.set(v.diagnosis_id, { version: v.version, status: v.status })
    }
  }
  const progress = await progressOf(db, rows)
  return {
    side,
    tab: query.status,
    counts,
    page,
    pageCount,
    canStart:
      side === 'enterprise'
        ? can(actor, ref, 'engage:diagnoser:own', { orgId: org.orgId })
        : side === 'provider'
          ? await isVerifiedConsultancy(db, org.orgId)
          : can(actor, ref, 'assign:diagnoser:jurisdiction', { regionCode: org.regionCode }),
    items: rows.map((r) => ({
      id: r.id,
      enterpriseName: r.enterprise_name,
      providerName: r.provider_name,
      kind: r.kind,
      status: r.status,
      origin: r.origin,
      latestVersion: latest.get(r.id)?.version ?? null,
      latestStatus: latest.get(r.id)?.status ?? null,
      progress: progress.get(r.id)!,
      updatedAt: String(r.updated_at),
    })),
  }
}

/** The project page: parties, status, the acts the viewer may take, the report it may read. */
export async function getProjectPage(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ProjectPage> {
  const ref = await getReferenceData(db)
  const { diagnosis: d, side } = await diagnosisFor(db, actor, ref, diagnosisId)
  const extra = await db
    .selectFrom('diagnoses as d')
    .leftJoin('organisations as a', 'a.id', 'd.assigned_by_org_id')
    .select(['d.responded_at', 'd.completed_at', 'a.name as assigned_by_name'])
    .where('d.id', '=', diagnosisId)
    .executeTakeFirstOrThrow()
  const versions = await db
    .selectFrom('diagnosis_report_versions')
    .select(['id', 'version', 'status', 'submitted_at', 'confirmed_at', 'updated_at'])
    .where('diagnosis_id', '=', diagnosisId)
    .orderBy('version', 'desc')
    .execute()
  const readable = versions.filter((v) => side === 'provider' || v.status !== 'draft')
  const currentRow = readable[0]
  const current = currentRow ? await loadVersionView(db, ref, currentRow.id, locale) : null
  const latest = versions[0]
  const isOwner = can(actor, ref, 'engage:diagnoser:own', { orgId: d.enterpriseOrgId })
  const isDiagnoser = side === 'provider' && can(actor, ref, 'diagnose:enterprise:own', { orgId: d.providerOrgId })
  const live = d.status === 'active' || d.status === 'completed'
  const progress = (await progressOf(db, [d])).get(d.id)!
  const summaries: VersionSummary[] = readable.map((v) => ({
    version: v.version,
    status: v.status,
    submittedAt: v.submitted_at === null ? null : String(v.submitted_at),
    confirmedAt: v.confirmed_at === null ? null : String(v.confirmed_at),
    updatedAt: String(v.updated_at),
  }))
  return {
    id: d.id,
    side,
    enterprise: { orgId: d.enterpriseOrgId, name: d.enterpriseName },
    provider: { orgId: d.providerOrgId, name: d.providerName },
    assignedByName: extra.assigned_by_name ?? null,
    kind: d.kind,
    status: d.status,
    origin: d.origin,
    note: d.note,
    createdAt: d.createdAt,
    respondedAt: extra.responded_at === null ? null : String(extra.responded_at),
    completedAt: extra.completed_at === null ? null : String(extra.completed_at),
    actions: {
      accept: d.status === 'proposed' && isOwner,
      decline: d.status === 'proposed' && isOwner,
      cancel: (d.status === 'proposed' || d.status === 'active') && mayCancel(actor, ref, d),
      edit: live && isDiagnoser && latest?.status === 'draft',
      amend: live && isDiagnoser && latest?.status === 'confirmed',
      confirm:
        live &&
        currentRow?.status === 'submitted' &&
        can(actor, ref, 'confirm:diagnosis-report:own', { orgId: d.enterpriseOrgId }),
      toNeed:
        side === 'enterprise' &&
        currentRow?.status === 'confirmed' &&
        can(actor, ref, 'publish:need:own', { orgId: d.enterpriseOrgId }),
    },
    current,
    draftInProgress: side !== 'provider' && latest?.status === 'draft' && live,
    versions: summaries,
    progress,
    engaged: live,
  }
}
