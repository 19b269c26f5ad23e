import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DiagnosisKind, DiagnosisStatus, ServiceRecordKind } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import {
  attachFile,
  countFiles,
  deleteFile,
  deleteFilesOf,
  listFiles,
  prepareUpload,
  type FileView,
  type PreparedUpload,
  type UploadedFile,
} from '../files/files.server.js'
import { todayInChina } from '../providers/schema.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { diagnosisFor, ENGAGED_STATUSES, type DiagnosisAccess, type DiagnosisSide } from './access.server.js'
import { recordFlags, serviceProgress, type RecordFlag, type ServiceProgress } from './minimums.js'
import { minutesToHours, PHOTOS_FIELD, PHOTOS_PER_RECORD, type TServiceRecordInput } from './service-records-schema.js'

/*
 * 考勤 (seed 002 §三 (一)): after every site visit, training or briefing the diagnosing
 * provider records it — date, length, team, leader, what was done, up to 9 photos — and
 * everyone who may see the diagnosis (its enterprise, its provider, the agencies of the
 * enterprise's jurisdiction: diagnosisFor) reads the records and the progress against the
 * minimums of the diagnosis's kind (minimums.ts). A record under the rules (a visit under
 * 3 hours or with fewer than 5 people, a training under 2 hours) is listed with its flags
 * and does not count.
 *
 * Writes: an active member of the project's provider ('diagnose:enterprise:own' on it),
 * which must be a 诊断咨询机构 (provider_kinds holds 'consultancy'), while the project is
 * active or completed. Dates: not in the future (China's calendar) and not more than
 * RECORD_DATE_MARGIN_DAYS before the project was created on the platform (a project often
 * starts before it is registered here; a visit a year earlier is a typing error).
 * Editing carries the record's updated_at as its version: a stale form is refused (409).
 */

/** The file attachments' object type of a record (photos: purpose 'service_photo'). */
export const SERVICE_RECORD_OBJECT_TYPE = 'diagnosis_service_record'

/** How long before the project's creation a record may be dated. */
export const RECORD_DATE_MARGIN_DAYS = 90

/** Records per page of the list. */
export const RECORDS_PAGE_SIZE = 50

export interface ServiceRecordView {
  id: number
  kind: ServiceRecordKind
  occurredOn: string
  minutes: number
  /** Hours with one decimal, as the form shows them. */
  hours: string
  teamSize: number
  leader: string
  teamMembers: string
  content: string
  flags: RecordFlag[]
  photos: FileView[]
  createdAt: string
  /** The version an edit form carries. */
  updatedAt: string
}

/** What the records' pages show of the project. */
export interface RecordsDiagnosis {
  id: number
  kind: DiagnosisKind
  status: DiagnosisStatus
  enterpriseName: string
  providerName: string
  createdAt: string
}

function diagnosisSummary(access: DiagnosisAccess): RecordsDiagnosis {
  const d = access.diagnosis
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    enterpriseName: d.enterpriseName,
    providerName: d.providerName,
    createdAt: d.createdAt,
  }
}

type RecordRow = {
  id: number
  kind: ServiceRecordKind
  occurred_on: string
  minutes: number
  team_size: number
  leader: string
  team_members: string
  content: string
  created_at: string
  updated_at: string
}

const RECORD_COLUMNS = [
  'id',
  'kind',
  'occurred_on',
  'minutes',
  'team_size',
  'leader',
  'team_members',
  'content',
  'created_at',
  'updated_at',
] as const

function toView(row: RecordRow, photos: FileView[]): ServiceRecordView {
  return {
    id: row.id,
    kind: row.kind,
    occurredOn: String(row.occurred_on),
    minutes: row.minutes,
    hours: minutesToHours(row.minutes),
    teamSize: row.team_size,
    leader: row.leader,
    teamMembers: row.team_members,
    content: row.content,
    flags: recordFlags({ kind: row.kind, minutes: row.minutes, teamSize: row.team_size }),
    photos,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  }
}

/** Progress of a diagnosis against its minimums: one small query over its records (the project page uses it too). */
export async function serviceProgressOf(db: Kysely<DB>, diagnosisId: number, kind: DiagnosisKind): Promise<ServiceProgress> {
  const facts = await db
    .selectFrom('diagnosis_service_records')
    .select(['kind', 'minutes', 'team_size'])
    .where('diagnosis_id', '=', diagnosisId)
    .execute()
  return serviceProgress(
    kind,
    facts.map((f) => ({ kind: f.kind, minutes: f.minutes, teamSize: f.team_size })),
  )
}

/** Whether the actor may add, edit and delete this diagnosis's records (no throw). */
async function writeRefusal(
  db: Kysely<DB>,
  actor: Actor | null,
  ref: ReferenceData,
  access: DiagnosisAccess,
): Promise<AppError | null> {
  if (!actor) return new AppError('FORBIDDEN', 'errors.forbidden')
  try {
    authorize(actor, ref, 'diagnose:enterprise:own', { orgId: access.diagnosis.providerOrgId })
  } catch (error) {
    return error as AppError
  }
  const org = await db
    .selectFrom('organisations')
    .select('provider_kinds')
    .where('id', '=', access.diagnosis.providerOrgId)
    .executeTakeFirst()
  if (!org || !providerKinds(org.provider_kinds).includes('consultancy')) {
    return new AppError('FORBIDDEN', 'records.e.notConsultancy', { detail: { permission: 'diagnose:enterprise:own' } })
  }
  if (!(ENGAGED_STATUSES as readonly string[]).includes(access.diagnosis.status)) {
    return new AppError('CONFLICT', 'records.e.status', { params: { status: access.diagnosis.status } })
  }
  return null
}

function providerKinds(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** The diagnosis, once the actor may write its records: 404 when it may not see it, 403 / 409 otherwise. */
async function diagnosisForWrite(
  db: Kysely<DB>,
  actor: Actor,
  ref: ReferenceData,
  diagnosisId: number,
): Promise<DiagnosisAccess> {
  const access = await diagnosisFor(db, actor, ref, diagnosisId)
  const refusal = await writeRefusal(db, actor, ref, access)
  if (refusal) throw refusal
  return access
}

/** The record `recordId` of the diagnosis, or NOT_FOUND. */
async function loadRecord(db: Kysely<DB>, diagnosisId: number, recordId: number): Promise<RecordRow> {
  const row = await db
    .selectFrom('diagnosis_service_records')
    .select(RECORD_COLUMNS)
    .where('id', '=', recordId)
    .where('diagnosis_id', '=', diagnosisId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  return row
}

/** Days before `isoDate` (YYYY-MM-DD), as YYYY-MM-DD. */
function daysBefore(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - days)
  return d.toISOString().slice(0, 10)
}

/** The earliest date a record of this project may carry. */
export function earliestRecordDate(projectCreatedAt: string): string {
  const created = new Date(projectCreatedAt)
  const day = Number.isNaN(created.getTime()) ? todayInChina() : todayInChina(created)
  return daysBefore(day, RECORD_DATE_MARGIN_DAYS)
}

/** What zod cannot check: the date is not in the future, nor long before the project. */
function assertRecordDate(input: TServiceRecordInput, projectCreatedAt: string): void {
  if (input.occurredOn > todayInChina()) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { occurredOn: 'records.v.dateFuture' } })
  }
  const earliest = earliestRecordDate(projectCreatedAt)
  if (input.occurredOn < earliest) {
    throw new AppError('VALIDATION', 'errors.validationOne', {
      fieldErrors: { occurredOn: 'records.v.dateTooEarly' },
      params: { date: earliest },
    })
  }
}

function tooManyPhotos(): AppError {
  return new AppError('VALIDATION', 'records.e.tooManyPhotos', {
    params: { limit: PHOTOS_PER_RECORD },
    fieldErrors: { [PHOTOS_FIELD]: 'records.e.tooManyPhotos' },
  })
}

/** Checks the photos (type by content, size, decoding) before any transaction. */
async function preparePhotos(photos: readonly UploadedFile[]): Promise<PreparedUpload[]> {
  if (photos.length > PHOTOS_PER_RECORD) throw tooManyPhotos()
  const prepared: PreparedUpload[] = []
  for (const photo of photos) prepared.push(await prepareUpload('service_photo', { ...photo, field: PHOTOS_FIELD }))
  return prepared
}

async function attachPhotos(
  trx: Transaction<DB>,
  storage: FileStorage,
  actor: Actor,
  orgId: number,
  recordId: number,
  photos: readonly PreparedUpload[],
): Promise<string[]> {
  if (photos.length === 0) return []
  const existing = await countFiles(trx, SERVICE_RECORD_OBJECT_TYPE, recordId)
  if (existing + photos.length > PHOTOS_PER_RECORD) throw tooManyPhotos()
  const names: string[] = []
  for (const file of photos) {
    const view = await attachFile(trx, storage, actor, {
      purpose: 'service_photo',
      orgId,
      objectType: SERVICE_RECORD_OBJECT_TYPE,
      objectId: recordId,
      file,
    })
    names.push(view.name)
  }
  return names
}

function recordColumns(input: TServiceRecordInput) {
  return {
    kind: input.kind,
    occurred_on: input.occurredOn,
    minutes: input.hours,
    team_size: input.teamSize,
    leader: input.leader,
    team_members: input.teamMembers,
    content: input.content,
  }
}

/** A timestamp after `previous`: the version an edit leaves behind always differs from the one it replaced. */
function nextTimestamp(previous: string): string {
  const now = Date.now()
  const before = Date.parse(previous)
  return new Date(Number.isNaN(before) || now > before ? now : before + 1).toISOString()
}

function auditWhere(actor: Actor, access: DiagnosisAccess) {
  // The enterprise's region: the agencies over it follow the diagnosis in their log.
  return { ...auditActor(actor), regionCode: access.diagnosis.regionCode }
}

export interface RecordsPage {
  diagnosis: RecordsDiagnosis
  side: DiagnosisSide
  /** The actor may add records (the project's provider, consultancy, project active or completed). */
  canWrite: boolean
  progress: ServiceProgress
  records: ServiceRecordView[]
  total: number
  page: number
  pageCount: number
  /** The earliest and latest dates the form accepts. */
  dateRange: { min: string; max: string }
}

/** /diagnoses/:id/records: progress, then the records newest first, a page of RECORDS_PAGE_SIZE. */
export async function listServiceRecords(
  db: Database,
  actor: Actor | null,
  diagnosisId: number,
  { page = 1 }: { page?: number } = {},
): Promise<RecordsPage> {
  const ref = await getReferenceData(db)
  const access = await diagnosisFor(db, actor, ref, diagnosisId)
  const canWrite = (await writeRefusal(db, actor, ref, access)) === null
  const progress = await serviceProgressOf(db, diagnosisId, access.diagnosis.kind)
  const total = progress.lines.reduce((n, l) => n + l.total, 0)
  const pageCount = Math.max(1, Math.ceil(total / RECORDS_PAGE_SIZE))
  const current = Math.min(page, pageCount)
  const rows = (await db
    .selectFrom('diagnosis_service_records')
    .select(RECORD_COLUMNS)
    .where('diagnosis_id', '=', diagnosisId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .limit(RECORDS_PAGE_SIZE)
    .offset((current - 1) * RECORDS_PAGE_SIZE)
    .execute()) as RecordRow[]
  const photos = await listFiles(
    db,
    SERVICE_RECORD_OBJECT_TYPE,
    rows.map((r) => r.id),
  )
  return {
    diagnosis: diagnosisSummary(access),
    side: access.side,
    canWrite,
    progress,
    records: rows.map((r) => toView(r, photos.get(r.id) ?? [])),
    total,
    page: current,
    pageCount,
    dateRange: { min: earliestRecordDate(access.diagnosis.createdAt), max: todayInChina() },
  }
}

export interface RecordPage {
  diagnosis: RecordsDiagnosis
  side: DiagnosisSide
  canWrite: boolean
  record: ServiceRecordView
  dateRange: { min: string; max: string }
}

/** /diagnoses/:id/records/:recordId: one record, for everyone who may see the diagnosis; its form for the provider. */
export async function getServiceRecord(
  db: Database,
  actor: Actor | null,
  diagnosisId: number,
  recordId: number,
): Promise<RecordPage> {
  const ref = await getReferenceData(db)
  const access = await diagnosisFor(db, actor, ref, diagnosisId)
  const row = await loadRecord(db, diagnosisId, recordId)
  const canWrite = (await writeRefusal(db, actor, ref, access)) === null
  const photos = await listFiles(db, SERVICE_RECORD_OBJECT_TYPE, [row.id])
  return {
    diagnosis: diagnosisSummary(access),
    side: access.side,
    canWrite,
    record: toView(row, photos.get(row.id) ?? []),
    dateRange: { min: earliestRecordDate(access.diagnosis.createdAt), max: todayInChina() },
  }
}

/** Records a site visit, training or briefing with its photos (purpose 'service_photo'). */
export async function addServiceRecord(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  input: TServiceRecordInput,
  photos: readonly UploadedFile[] = [],
): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  // Who may, before the photos are decoded.
  const first = await diagnosisForWrite(db, actor, ref, diagnosisId)
  assertRecordDate(input, first.diagnosis.createdAt)
  const prepared = await preparePhotos(photos)
  return withTransaction(db, async (trx) => {
    const access = await diagnosisForWrite(trx, actor, ref, diagnosisId)
    const now = new Date().toISOString()
    const row = await trx
      .insertInto('diagnosis_service_records')
      .values({ diagnosis_id: diagnosisId, ...recordColumns(input), created_by: actor.userId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    const names = await attachPhotos(trx, storage, actor, access.diagnosis.providerOrgId, row.id, prepared)
    await recordAudit(trx, {
      action: 'service_record.added',
      ...auditWhere(actor, access),
      objectType: SERVICE_RECORD_OBJECT_TYPE,
      objectId: row.id,
      detail: {
        diagnosisId,
        kind: input.kind,
        occurredOn: input.occurredOn,
        minutes: input.hours,
        teamSize: input.teamSize,
        flags: recordFlags({ kind: input.kind, minutes: input.hours, teamSize: input.teamSize }),
        photos: names,
      },
    })
    return { id: row.id }
  })
}

function stale(): AppError {
  return new AppError('CONFLICT', 'records.e.stale')
}

/** Changes a record (and adds photos); `version` is the updated_at the form was filled in on. */
export async function updateServiceRecord(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  recordId: number,
  version: string,
  input: TServiceRecordInput,
  photos: readonly UploadedFile[] = [],
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
  const first = await diagnosisForWrite(db, actor, ref, diagnosisId)
  await loadRecord(db, diagnosisId, recordId)
  assertRecordDate(input, first.diagnosis.createdAt)
  const prepared = await preparePhotos(photos)
  return withTransaction(db, async (trx) => {
    const access = await diagnosisForWrite(trx, actor, ref, diagnosisId)
    const row = await loadRecord(trx, diagnosisId, recordId)
    if (String(row.updated_at) !== version) throw stale()
    const next = recordColumns(input)
    const changes: Record<string, [string | number, string | number]> = {}
    for (const [column, value] of Object.entries(next) as [keyof typeof next, string | number][]) {
      const before = column === 'occurred_on' ? String(row[column]) : row[column]
      if (before !== value) changes[column] = [before, value]
    }
    const names = await attachPhotos(trx, storage, actor, access.diagnosis.providerOrgId, row.id, prepared)
    const changed = Object.keys(changes)
    if (names.length) changed.push('photos')
    if (changed.length === 0) return { changed }
    const result = await trx
      .updateTable('diagnosis_service_records')
      .set({ ...next, updated_at: nextTimestamp(String(row.updated_at)) })
      .where('id', '=', row.id)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw stale()
    await recordAudit(trx, {
      action: 'service_record.updated',
      ...auditWhere(actor, access),
      objectType: SERVICE_RECORD_OBJECT_TYPE,
      objectId: row.id,
      detail: { diagnosisId, changes, ...(names.length ? { photosAdded: names } : {}) },
    })
    return { changed }
  })
}

/**
 * Deletes a record with its photos. With `apply: false` it only checks that the actor
 * may (what the confirmation step asks on) and writes nothing.
 */
export async function deleteServiceRecord(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  recordId: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  if (!apply) {
    await diagnosisForWrite(db, actor, ref, diagnosisId)
    await loadRecord(db, diagnosisId, recordId)
    return
  }
  await withTransaction(db, async (trx) => {
    const access = await diagnosisForWrite(trx, actor, ref, diagnosisId)
    const row = await loadRecord(trx, diagnosisId, recordId)
    await deleteFilesOf(trx, storage, SERVICE_RECORD_OBJECT_TYPE, row.id)
    await trx.deleteFrom('diagnosis_service_records').where('id', '=', row.id).execute()
    await recordAudit(trx, {
      action: 'service_record.removed',
      ...auditWhere(actor, access),
      objectType: SERVICE_RECORD_OBJECT_TYPE,
      objectId: row.id,
      detail: {
        diagnosisId,
        kind: row.kind,
        occurredOn: String(row.occurred_on),
        minutes: row.minutes,
        teamSize: row.team_size,
        content: row.content,
      },
    })
  })
}

/** Removes one photo of a record (the record's version moves on). `apply: false` only checks. */
export async function removeServiceRecordPhoto(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  diagnosisId: number,
  recordId: number,
  fileId: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  if (!apply) {
    await diagnosisForWrite(db, actor, ref, diagnosisId)
    await loadRecord(db, diagnosisId, recordId)
    return
  }
  await withTransaction(db, async (trx) => {
    const access = await diagnosisForWrite(trx, actor, ref, diagnosisId)
    const row = await loadRecord(trx, diagnosisId, recordId)
    const file = await trx
      .selectFrom('files')
      .select('name')
      .where('id', '=', fileId)
      .where('object_type', '=', SERVICE_RECORD_OBJECT_TYPE)
      .where('object_id', '=', row.id)
      .executeTakeFirst()
    await deleteFile(trx, storage, actor, fileId, { objectType: SERVICE_RECORD_OBJECT_TYPE, objectId: row.id })
    await trx
      .updateTable('diagnosis_service_records')
      .set({ updated_at: nextTimestamp(String(row.updated_at)) })
      .where('id', '=', row.id)
      .execute()
    await recordAudit(trx, {
      action: 'service_record.updated',
      ...auditWhere(actor, access),
      objectType: SERVICE_RECORD_OBJECT_TYPE,
      objectId: row.id,
      detail: { diagnosisId, photosRemoved: [file?.name ?? String(fileId)] },
    })
  })
}
