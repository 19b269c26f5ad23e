import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DiagnosisKind, ReportStatus } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError, type MessageRef } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { reportPrefill } from '../assessment/assessments.server.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit, type AuditDetailValue } from '../audit/audit-log.server.js'
import {
  attachFile,
  countFiles,
  deleteFile,
  listFiles,
  prepareUpload,
  type PreparedUpload,
  type UploadedFile,
} from '../files/files.server.js'
import { getReferenceData, refName, scenarioOptions, type ReferenceData } from '../reference/reference.server.js'
import { diagnosisFor, type DiagnosisAccess } from './access.server.js'
import { readsVersion, REPORT_OBJECT_TYPE } from './report-files.server.js'
import { assertDiagnoser, searchVerifiedProviders } from './projects-gate.server.js'
import { REPORT_LIMITS, type ReportDraftInput, type ReportEditorIntent } from './report-schema.js'
import { ATTACHMENT_FIELD, type ReportEditor, type ReportVersionView } from './views.js'

export { ATTACHMENT_FIELD } from './views.js'

export {
  FILE_INTENTS,
  formWithout,
  ZReportDraft,
  ZReportEditorMeta,
  ZReportEditorQuery,
  ZReportFileIntent,
  ZVersionParams,
} from './report-schema.js'

/*
 * Diagnosis report versions (诊断报告, Jiangsu 2022 §二; DOMAIN.md §4): the diagnoser
 * (a member of the project's verified consultancy provider) edits the draft — basics,
 * weaknesses, solution, recommended providers, benchmark peer, maturity, the project's
 * kind — and submits it; the enterprise's owner confirms it (签字盖章: who and when) or
 * returns it with a reason (back to draft). A confirmed version is read-only: every
 * write to it is refused (diagnosis.e.readOnly). An amendment is version n+1, a copy
 * of the latest confirmed one (weaknesses and recommendations; attachments are not
 * copied: the earlier version keeps its own); confirming it supersedes the earlier.
 * Who reads what: the diagnoser every version; the enterprise and agencies of its
 * jurisdiction submitted versions onwards (never a draft).
 */

export { REPORT_OBJECT_TYPE } from './report-files.server.js'
export const ATTACHMENTS_PER_VERSION = 10

type Db = Kysely<DB> | Transaction<DB>

function iso(v: string | Date | null): string | null {
  return v === null ? null : String(v)
}

/** One version with its weaknesses, recommendations, attachments and confirmer. */
export async function loadVersionView(
  db: Db,
  ref: ReferenceData,
  versionId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ReportVersionView> {
  const v = await db
    .selectFrom('diagnosis_report_versions as v')
    .leftJoin('users as u', 'u.id', 'v.confirmed_by')
    .selectAll('v')
    .select('u.name as confirmer_name')
    .where('v.id', '=', versionId)
    .executeTakeFirstOrThrow()
  const [weaknesses, recommendations, files] = await Promise.all([
    db.selectFrom('diagnosis_weaknesses').selectAll().where('version_id', '=', versionId).orderBy('seq').execute(),
    db
      .selectFrom('diagnosis_recommendations as r')
      .innerJoin('organisations as o', 'o.id', 'r.provider_org_id')
      .select(['r.provider_org_id', 'r.note', 'o.name', 'o.status', 'o.kind'])
      .where('r.version_id', '=', versionId)
      .orderBy('r.seq')
      .execute(),
    listFiles(db, REPORT_OBJECT_TYPE, [versionId]),
  ])
  return {
    id: v.id,
    version: v.version,
    status: v.status,
    basics: v.basics,
    solution: v.solution,
    benchmarkPeer: v.benchmark_peer,
    benchmarkNotes: v.benchmark_notes,
    maturityLevel: v.maturity_level,
    returnReason: v.return_reason,
    submittedAt: iso(v.submitted_at),
    confirmedAt: iso(v.confirmed_at),
    confirmedByName: v.confirmer_name ?? null,
    createdAt: String(v.created_at),
    updatedAt: String(v.updated_at),
    revision: v.revision,
    weaknesses: weaknesses.map((w) => {
      const scenario = ref.scenariosByCode.get(w.scenario_code)
      return {
        id: w.id,
        seq: w.seq,
        scenarioCode: w.scenario_code,
        scenarioName: scenario ? refName(scenario, locale) : w.scenario_code,
        link: scenario?.link ?? '',
        severity: w.severity,
        title: w.title,
        description: w.description,
        indicator: w.indicator,
        currentValue: w.current_value,
        targetValue: w.target_value,
      }
    }),
    recommendations: recommendations.map((r) => ({
      providerOrgId: r.provider_org_id,
      name: r.name,
      note: r.note,
      verified: r.status === 'verified' && r.kind === 'provider',
    })),
    attachments: files.get(versionId) ?? [],
  }
}

async function latestVersion(db: Db, diagnosisId: number) {
  return db
    .selectFrom('diagnosis_report_versions')
    .selectAll()
    .where('diagnosis_id', '=', diagnosisId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Has any version of the project been confirmed (then the kind is fixed)? */
async function everConfirmed(db: Db, diagnosisId: number): Promise<boolean> {
  const row = await db
    .selectFrom('diagnosis_report_versions')
    .select('id')
    .where('diagnosis_id', '=', diagnosisId)
    .where('status', 'in', ['confirmed', 'superseded'])
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

function refusedWrite(status: ReportStatus): AppError {
  const key: MessageRef = status === 'confirmed' || status === 'superseded' ? 'diagnosis.e.readOnly' : 'diagnosis.e.notDraft'
  return new AppError('INVALID_STATE', key)
}

/**
 * The diagnoser's gate to the project's draft: the project is visible, the actor is the
 * diagnoser (verified, consultancy), the project active or completed (an amendment),
 * and the latest version a draft — a confirmed one is read-only.
 */
async function diagnoserDraft(db: Database, actor: Actor, ref: ReferenceData, diagnosisId: number) {
  const { diagnosis } = await diagnosisFor(db, actor, ref, diagnosisId)
  await assertDiagnoser(db, actor, ref, diagnosis.providerOrgId)
  if (diagnosis.status !== 'active' && diagnosis.status !== 'completed') {
    throw new AppError('INVALID_STATE', 'diagnosis.e.notActive')
  }
  const version = await latestVersion(db, diagnosisId)
  if (!version) throw new AppError('INVALID_STATE', 'diagnosis.e.notActive')
  if (version.status !== 'draft') throw refusedWrite(version.status)
  return { diagnosis, version }
}

/** The report editor of the project's draft (diagnoser only). */
export async function getReportEditor(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  query: { q: string },
  locale: Locale = DEFAULT_LOCALE,
): Promise<ReportEditor> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await diagnoserDraft(db, actor, ref, diagnosisId)
  const loaded = await loadVersionView(db, ref, version.id, locale)
  // The first draft, still empty, starts from the enterprise's latest self-assessments (issue 16 §2).
  const prefill =
    loaded.version === 1 && !loaded.basics && loaded.maturityLevel === null
      ? await reportPrefill(db, diagnosis.enterpriseOrgId, locale)
      : null
  const view = prefill ? { ...loaded, ...prefill } : loaded
  const exclude = view.recommendations.map((r) => r.providerOrgId)
  return {
    diagnosisId,
    enterpriseName: diagnosis.enterpriseName,
    providerName: diagnosis.providerName,
    kind: diagnosis.kind,
    kindLocked: await everConfirmed(db, diagnosisId),
    version: view,
    scenarios: scenarioOptions(ref, locale),
    providerResults:
      view.recommendations.length >= REPORT_LIMITS.recommendations
        ? []
        : await searchVerifiedProviders(db, ref, query.q, exclude, locale),
    attachmentLimit: ATTACHMENTS_PER_VERSION,
  }
}

function assertRevision(expected: number, actual: number): void {
  if (expected !== actual) throw new AppError('CONFLICT', 'diagnosis.e.stale')
}

/** Scenario codes that exist, recommended organisations that are verified providers. */
async function assertReferences(db: Db, ref: ReferenceData, draft: ReportDraftInput): Promise<void> {
  const fieldErrors: Record<string, MessageRef> = {}
  for (const w of draft.weaknesses) {
    if (!ref.scenariosByCode.has(w.scenarioCode)) fieldErrors[`w${w.row}Scenario`] = 'diagnosis.v.scenario'
  }
  const ids = draft.recommendations.map((r) => r.providerOrgId)
  if (ids.length) {
    const found = new Set(
      (
        await db
          .selectFrom('organisations')
          .select('id')
          .where('id', 'in', ids)
          .where('kind', '=', 'provider')
          .where('status', '=', 'verified')
          .execute()
      ).map((r) => r.id),
    )
    draft.recommendations.forEach((r, i) => {
      if (!found.has(r.providerOrgId)) fieldErrors[`r${i + 1}Org`] = 'diagnosis.v.recommendation'
    })
  }
  if (draft.recommendations.length > REPORT_LIMITS.recommendations) {
    fieldErrors.recommendations = 'diagnosis.v.tooManyRecommendations'
  }
  const count = Object.keys(fieldErrors).length
  if (count === 1) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
  if (count > 1) throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
}

/** What a submitted report must hold (Jiangsu 2022 §二): the sections and ≥ 1 weakness. */
function assertComplete(draft: ReportDraftInput): void {
  const fieldErrors: Record<string, MessageRef> = {}
  if (!draft.basics) fieldErrors.basics = 'diagnosis.v.basicsRequired'
  if (draft.weaknesses.length === 0) fieldErrors.w1Title = 'diagnosis.v.weaknessRequired'
  if (!draft.solution) fieldErrors.solution = 'diagnosis.v.solutionRequired'
  if (!draft.benchmarkPeer) fieldErrors.benchmarkPeer = 'diagnosis.v.benchmarkRequired'
  if (draft.maturityLevel === null) fieldErrors.maturityLevel = 'diagnosis.v.maturity'
  const count = Object.keys(fieldErrors).length
  if (count === 1) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
  if (count > 1) throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
}

type VersionRow = NonNullable<Awaited<ReturnType<typeof latestVersion>>>

function scalarChanges(before: VersionRow, draft: ReportDraftInput): Record<string, AuditDetailValue> {
  const changes: Record<string, AuditDetailValue> = {}
  const pairs: [string, string | number | null, string | number | null][] = [
    ['basics', before.basics, draft.basics],
    ['solution', before.solution, draft.solution],
    ['benchmarkPeer', before.benchmark_peer, draft.benchmarkPeer],
    ['benchmarkNotes', before.benchmark_notes, draft.benchmarkNotes],
    ['maturityLevel', before.maturity_level, draft.maturityLevel],
  ]
  for (const [field, a, b] of pairs) {
    if (a !== b) {
      // Long texts are logged by length: the versions hold the words.
      changes[field] =
        typeof a === 'string' && typeof b === 'string' && (a.length > 80 || b.length > 80) ? [a.length, b.length] : [a, b]
    }
  }
  return changes
}

async function writeRows(trx: Transaction<DB>, versionId: number, draft: ReportDraftInput): Promise<void> {
  await trx.deleteFrom('diagnosis_weaknesses').where('version_id', '=', versionId).execute()
  await trx.deleteFrom('diagnosis_recommendations').where('version_id', '=', versionId).execute()
  if (draft.weaknesses.length) {
    await trx
      .insertInto('diagnosis_weaknesses')
      .values(
        draft.weaknesses.map((w, i) => ({
          version_id: versionId,
          seq: i + 1,
          scenario_code: w.scenarioCode,
          severity: w.severity,
          title: w.title,
          description: w.description,
          indicator: w.indicator,
          current_value: w.currentValue,
          target_value: w.targetValue,
        })),
      )
      .execute()
  }
  if (draft.recommendations.length) {
    await trx
      .insertInto('diagnosis_recommendations')
      .values(
        draft.recommendations.map((r, i) => ({
          version_id: versionId,
          provider_org_id: r.providerOrgId,
          seq: i + 1,
          note: r.note,
        })),
      )
      .execute()
  }
}

/**
 * Saves the draft from the editor (and, for intent 'submit', submits it). The row
 * intents were applied to the form already (formWithout) except adding a recommended
 * provider, which is applied here. A stale revision is a CONFLICT (已被他人修改).
 */
export async function saveReportDraft(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  revision: number,
  intent: ReportEditorIntent,
  input: ReportDraftInput,
): Promise<{ revision: number; submitted: boolean }> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await diagnoserDraft(db, actor, ref, diagnosisId)
  assertRevision(revision, version.revision)
  const draft: ReportDraftInput = { ...input, recommendations: [...input.recommendations] }
  if (intent.intent === 'addRecommendation' && !draft.recommendations.some((r) => r.providerOrgId === intent.orgId)) {
    if (draft.recommendations.length >= REPORT_LIMITS.recommendations) {
      throw new AppError('VALIDATION', 'diagnosis.v.tooManyRecommendations', {
        fieldErrors: { recommendations: 'diagnosis.v.tooManyRecommendations' },
      })
    }
    draft.recommendations.push({ providerOrgId: intent.orgId, note: '' })
  }
  await assertReferences(db, ref, draft)
  if (draft.kind !== diagnosis.kind && (await everConfirmed(db, diagnosisId))) {
    throw new AppError('VALIDATION', 'diagnosis.e.kindLocked', { fieldErrors: { kind: 'diagnosis.e.kindLocked' } })
  }
  const submitting = intent.intent === 'submit'
  if (submitting) assertComplete(draft)
  const now = new Date().toISOString()
  const changes = scalarChanges(version, draft)
  return withTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('diagnosis_report_versions')
      .set({
        basics: draft.basics,
        solution: draft.solution,
        benchmark_peer: draft.benchmarkPeer,
        benchmark_notes: draft.benchmarkNotes,
        maturity_level: draft.maturityLevel,
        updated_at: now,
        revision: version.revision + 1,
        ...(submitting ? { status: 'submitted' as const, submitted_at: now } : {}),
      })
      .where('id', '=', version.id)
      .where('revision', '=', version.revision)
      .where('status', '=', 'draft')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    await writeRows(trx, version.id, draft)
    if (draft.kind !== diagnosis.kind) {
      await trx.updateTable('diagnoses').set({ kind: draft.kind, updated_at: now }).where('id', '=', diagnosisId).execute()
      await recordAudit(trx, {
        action: 'diagnosis.updated',
        ...auditActor(actor),
        regionCode: diagnosis.regionCode,
        objectType: 'diagnosis',
        objectId: diagnosisId,
        detail: { changes: { kind: [diagnosis.kind, draft.kind] } },
      })
    } else {
      await trx.updateTable('diagnoses').set({ updated_at: now }).where('id', '=', diagnosisId).execute()
    }
    await recordAudit(trx, {
      action: 'report.saved',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      detail: {
        diagnosisId,
        version: version.version,
        changes,
        weaknesses: draft.weaknesses.length,
        recommendations: draft.recommendations.length,
      },
    })
    if (submitting) {
      await recordAudit(trx, {
        action: 'report.submitted',
        ...auditActor(actor),
        regionCode: diagnosis.regionCode,
        objectType: REPORT_OBJECT_TYPE,
        objectId: version.id,
        detail: { diagnosisId, version: version.version, changes: { status: ['draft', 'submitted'] } },
      })
    }
    return { revision: version.revision + 1, submitted: submitting }
  })
}

/** Attaches one document (诊断报告附件) to the draft. */
export async function attachReportFile(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  files: readonly UploadedFile[],
): Promise<{ name: string }> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await diagnoserDraft(db, actor, ref, diagnosisId)
  const file = files[0]
  if (!file) {
    throw new AppError('VALIDATION', 'diagnosis.v.attachmentRequired', {
      fieldErrors: { [ATTACHMENT_FIELD]: 'diagnosis.v.attachmentRequired' },
    })
  }
  const prepared: PreparedUpload = await prepareUpload('diagnosis_attachment', { ...file, field: ATTACHMENT_FIELD })
  return withTransaction(db, async (trx) => {
    if ((await countFiles(trx, REPORT_OBJECT_TYPE, version.id)) >= ATTACHMENTS_PER_VERSION) {
      throw new AppError('VALIDATION', 'diagnosis.v.tooManyAttachments', {
        params: { limit: ATTACHMENTS_PER_VERSION },
        fieldErrors: { [ATTACHMENT_FIELD]: 'diagnosis.v.tooManyAttachments' },
      })
    }
    const view = await attachFile(trx, storage, actor, {
      purpose: 'diagnosis_attachment',
      orgId: diagnosis.providerOrgId,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      file: prepared,
    })
    await recordAudit(trx, {
      action: 'report.saved',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      detail: { diagnosisId, version: version.version, attached: view.name },
    })
    return { name: view.name }
  })
}

/** Removes an attachment of the draft. */
export async function removeReportFile(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  fileId: number,
): Promise<void> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await diagnoserDraft(db, actor, ref, diagnosisId)
  await withTransaction(db, async (trx) => {
    await deleteFile(trx, storage, actor, fileId, { objectType: REPORT_OBJECT_TYPE, objectId: version.id })
    await recordAudit(trx, {
      action: 'report.saved',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      detail: { diagnosisId, version: version.version, removedFile: fileId },
    })
  })
}

/** The version the enterprise's owner answers: the latest, submitted, at the revision seen. */
async function submittedVersion(db: Database, actor: Actor, ref: ReferenceData, diagnosisId: number, number: number) {
  const { diagnosis } = await diagnosisFor(db, actor, ref, diagnosisId)
  authorize(actor, ref, 'confirm:diagnosis-report:own', { orgId: diagnosis.enterpriseOrgId })
  if (diagnosis.status !== 'active' && diagnosis.status !== 'completed') {
    throw new AppError('INVALID_STATE', 'diagnosis.e.notActive')
  }
  const version = await db
    .selectFrom('diagnosis_report_versions')
    .selectAll()
    .where('diagnosis_id', '=', diagnosisId)
    .where('version', '=', number)
    .executeTakeFirst()
  if (!version || version.status === 'draft') throw new AppError('NOT_FOUND', 'errors.notFound')
  if (version.status !== 'submitted') throw refusedWrite(version.status)
  return { diagnosis, version }
}

/**
 * 签字盖章: the enterprise's owner confirms a submitted version (who and when are
 * recorded); the version confirmed before it is superseded; the project is completed.
 */
export async function confirmReport(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  number: number,
  revision: number,
): Promise<void> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await submittedVersion(db, actor, ref, diagnosisId, number)
  assertRevision(revision, version.revision)
  const now = new Date().toISOString()
  await withTransaction(db, async (trx) => {
    const superseded = await trx
      .updateTable('diagnosis_report_versions')
      .set({ status: 'superseded', updated_at: now })
      .where('diagnosis_id', '=', diagnosisId)
      .where('status', '=', 'confirmed')
      .returning('id')
      .execute()
    const result = await trx
      .updateTable('diagnosis_report_versions')
      .set({
        status: 'confirmed',
        confirmed_by: actor.userId,
        confirmed_at: now,
        updated_at: now,
        revision: version.revision + 1,
      })
      .where('id', '=', version.id)
      .where('status', '=', 'submitted')
      .where('revision', '=', version.revision)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    if (diagnosis.status === 'active') {
      await trx
        .updateTable('diagnoses')
        .set({ status: 'completed', completed_at: now, updated_at: now })
        .where('id', '=', diagnosisId)
        .execute()
    } else {
      await trx.updateTable('diagnoses').set({ updated_at: now }).where('id', '=', diagnosisId).execute()
    }
    await recordAudit(trx, {
      action: 'report.confirmed',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      detail: {
        diagnosisId,
        version: version.version,
        changes: { status: ['submitted', 'confirmed'] },
        superseded: superseded.map((s) => s.id),
      },
    })
  })
}

/** The enterprise's owner returns a submitted version to the diagnoser, with the reason. */
export async function returnReport(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  number: number,
  revision: number,
  reason: string,
): Promise<void> {
  const ref = await getReferenceData(db)
  const { diagnosis, version } = await submittedVersion(db, actor, ref, diagnosisId, number)
  assertRevision(revision, version.revision)
  const now = new Date().toISOString()
  await withTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('diagnosis_report_versions')
      .set({ status: 'draft', return_reason: reason, updated_at: now, revision: version.revision + 1 })
      .where('id', '=', version.id)
      .where('status', '=', 'submitted')
      .where('revision', '=', version.revision)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    await trx.updateTable('diagnoses').set({ updated_at: now }).where('id', '=', diagnosisId).execute()
    await recordAudit(trx, {
      action: 'report.returned',
      ...auditActor(actor),
      regionCode: diagnosis.regionCode,
      objectType: REPORT_OBJECT_TYPE,
      objectId: version.id,
      detail: { diagnosisId, version: version.version, reason, changes: { status: ['submitted', 'draft'] } },
    })
  })
}

/**
 * The diagnoser starts an amendment: version n+1, a draft copied from the latest
 * confirmed version (its texts, weaknesses and recommended providers; not its
 * attachments, which stay with it).
 */
export async function amendReport(db: Database, actor: Actor, diagnosisId: number): Promise<{ version: number }> {
  const ref = await getReferenceData(db)
  const { diagnosis } = await diagnosisFor(db, actor, ref, diagnosisId)
  await assertDiagnoser(db, actor, ref, diagnosis.providerOrgId)
  if (diagnosis.status !== 'completed' && diagnosis.status !== 'active') {
    throw new AppError('INVALID_STATE', 'diagnosis.e.notActive')
  }
  const latest = await latestVersion(db, diagnosisId)
  if (!latest || latest.status !== 'confirmed') throw new AppError('INVALID_STATE', 'diagnosis.e.amendNeedsConfirmed')
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      const created = await trx
        .insertInto('diagnosis_report_versions')
        .values({
          diagnosis_id: diagnosisId,
          version: latest.version + 1,
          status: 'draft',
          basics: latest.basics,
          solution: latest.solution,
          benchmark_peer: latest.benchmark_peer,
          benchmark_notes: latest.benchmark_notes,
          maturity_level: latest.maturity_level,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const weaknesses = await trx.selectFrom('diagnosis_weaknesses').selectAll().where('version_id', '=', latest.id).execute()
      if (weaknesses.length) {
        await trx
          .insertInto('diagnosis_weaknesses')
          .values(weaknesses.map(({ id: _id, version_id: _v, ...w }) => ({ ...w, version_id: created.id })))
          .execute()
      }
      const recs = await trx.selectFrom('diagnosis_recommendations').selectAll().where('version_id', '=', latest.id).execute()
      if (recs.length) {
        await trx
          .insertInto('diagnosis_recommendations')
          .values(recs.map((r) => ({ ...r, version_id: created.id })))
          .execute()
      }
      await trx.updateTable('diagnoses').set({ updated_at: now }).where('id', '=', diagnosisId).execute()
      await recordAudit(trx, {
        action: 'report.amended',
        ...auditActor(actor),
        regionCode: diagnosis.regionCode,
        objectType: REPORT_OBJECT_TYPE,
        objectId: created.id,
        detail: { diagnosisId, version: latest.version + 1, from: latest.version },
      })
      return { version: latest.version + 1 }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'diagnosis.e.stale')
    throw error
  }
}

export interface VersionPage {
  diagnosisId: number
  enterpriseName: string
  providerName: string
  kind: DiagnosisKind
  side: DiagnosisAccess['side']
  version: ReportVersionView
  /** The enterprise may turn this (confirmed) version's weaknesses into needs. */
  toNeed: boolean
}

/** One version to read or print; NOT_FOUND for a draft the viewer may not read. */
export async function getVersionPage(
  db: Database,
  actor: Actor,
  diagnosisId: number,
  number: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<VersionPage> {
  const ref = await getReferenceData(db)
  const { diagnosis, side } = await diagnosisFor(db, actor, ref, diagnosisId)
  const row = await db
    .selectFrom('diagnosis_report_versions')
    .select(['id', 'status'])
    .where('diagnosis_id', '=', diagnosisId)
    .where('version', '=', number)
    .executeTakeFirst()
  if (!row || !readsVersion(side, row.status)) throw new AppError('NOT_FOUND', 'errors.notFound')
  const version = await loadVersionView(db, ref, row.id, locale)
  return {
    diagnosisId,
    enterpriseName: diagnosis.enterpriseName,
    providerName: diagnosis.providerName,
    kind: diagnosis.kind,
    side,
    version,
    toNeed: side === 'enterprise' && row.status === 'confirmed' && actor.org?.orgId === diagnosis.enterpriseOrgId,
  }
}
