import crypto from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import type { Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import {
  attachFile,
  countFiles,
  deleteFile,
  deleteFilesOf,
  listFiles,
  prepareUpload,
  type PreparedUpload,
  type UploadedFile,
} from '../files/files.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { PROVIDER_LIMITS } from './enums.js'
import { actingProviderId, auditFor, changeText, ownProvider } from './own-provider.server.js'
import { todayInChina, type TQualificationInput } from './schema.js'
import { enqueueProviderChange } from './search-index.server.js'
import type { QualificationItem } from './views.js'

/*
 * A provider's qualifications (资质: 省级智能制造服务商, 两化融合贯标, ISO 9001 …), with
 * issuer, certificate number and validity. Any active member of the verified provider
 * adds, changes and removes them ('edit:provider-profile:own'); each write is audited
 * and re-indexes the provider (the directory filters by qualification). One whose
 * validity ended before today (in China) is shown as expired, not hidden: the public
 * sees what the provider claims and how current it is.
 *
 * Two colleagues editing one qualification: the form carries the version it was read
 * at (a digest of the row's content), and an edit made on an older one is refused
 * (409) rather than silently overwriting the other's.
 */

type QualificationRow = {
  id: number
  org_id: number
  name: string
  issuer: string
  certificate_no: string
  valid_from: string | null
  valid_until: string | null
}

/** The row's content as a short digest: what an edit names as the version it was made on. */
export function qualificationVersion(row: Omit<QualificationRow, 'org_id'>): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([row.id, row.name, row.issuer, row.certificate_no, row.valid_from, row.valid_until]))
    .digest('base64url')
    .slice(0, 22)
}

export function toQualificationItem(row: Omit<QualificationRow, 'org_id'>, today: string): QualificationItem {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    certificateNo: row.certificate_no,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    expired: row.valid_until !== null && row.valid_until < today,
    version: qualificationVersion(row),
    scans: [],
  }
}

/** A provider's qualifications, current ones first, then by name. */
export async function qualificationsOf(db: Kysely<DB>, orgId: number, today = todayInChina()): Promise<QualificationItem[]> {
  const rows = await db
    .selectFrom('provider_qualifications')
    .select(['id', 'name', 'issuer', 'certificate_no', 'valid_from', 'valid_until'])
    .where('org_id', '=', orgId)
    .orderBy('name')
    .orderBy('id')
    .execute()
  const items = rows.map((r) => toQualificationItem(r, today))
  return [...items.filter((q) => !q.expired), ...items.filter((q) => q.expired)]
}

/** The file attachments' object type of a qualification (scans: purpose 'qualification_scan', private). */
export const QUALIFICATION_OBJECT_TYPE = 'provider_qualification'

/** The scan field of the qualification form. */
export const QUALIFICATION_SCAN_FIELD = 'scan'

/** Scans one qualification may have (a certificate's pages). */
export const QUALIFICATION_SCANS_MAX = 5

async function prepareScan(scan: UploadedFile | undefined): Promise<PreparedUpload | null> {
  return scan ? prepareUpload('qualification_scan', { ...scan, field: QUALIFICATION_SCAN_FIELD }) : null
}

/** Attaches a checked scan to a qualification, within the number of scans it may have. */
async function attachScan(
  trx: Transaction<DB>,
  storage: FileStorage,
  actor: Actor,
  orgId: number,
  qualificationId: number,
  scan: PreparedUpload | null,
): Promise<string | null> {
  if (!scan) return null
  if ((await countFiles(trx, QUALIFICATION_OBJECT_TYPE, qualificationId)) >= QUALIFICATION_SCANS_MAX) {
    throw new AppError('VALIDATION', 'providers.e.tooManyScans', {
      params: { limit: QUALIFICATION_SCANS_MAX },
      fieldErrors: { [QUALIFICATION_SCAN_FIELD]: 'providers.e.tooManyScans' },
    })
  }
  const view = await attachFile(trx, storage, actor, {
    purpose: 'qualification_scan',
    orgId,
    objectType: QUALIFICATION_OBJECT_TYPE,
    objectId: qualificationId,
    file: scan,
  })
  return view.name
}

/** /provider/qualifications: the acting provider's qualifications, with their (private) scans. */
export async function listOwnQualifications(
  db: Database,
  actor: Actor,
): Promise<{ orgId: number; name: string; qualifications: QualificationItem[]; limit: number; scansMax: number }> {
  const org = await ownProvider(db, actor, await getReferenceData(db), actingProviderId(actor))
  const qualifications = await qualificationsOf(db, org.id)
  const scans = await listFiles(
    db,
    QUALIFICATION_OBJECT_TYPE,
    qualifications.map((q) => q.id),
  )
  return {
    orgId: org.id,
    name: org.name,
    qualifications: qualifications.map((q) => ({ ...q, scans: scans.get(q.id) ?? [] })),
    limit: PROVIDER_LIMITS.qualificationsPerProvider,
    scansMax: QUALIFICATION_SCANS_MAX,
  }
}

function columns(input: TQualificationInput) {
  return {
    name: input.name,
    issuer: input.issuer,
    certificate_no: input.certificateNo,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
  }
}

function auditDetail(input: TQualificationInput) {
  return {
    name: input.name,
    issuer: input.issuer || null,
    certificateNo: input.certificateNo || null,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
  }
}

/** Adds a qualification to the acting provider, with the scan uploaded along (if any). */
export async function addQualification(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  input: TQualificationInput,
  scan?: UploadedFile,
): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  // Who may, before a scan is decoded.
  if (scan) await ownProvider(db, actor, ref, actingProviderId(actor))
  const prepared = await prepareScan(scan)
  return withTransaction(db, async (trx, afterCommit) => {
    const org = await ownProvider(trx, actor, ref, actingProviderId(actor))
    const { n } = await trx
      .selectFrom('provider_qualifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow()
    if (Number(n) >= PROVIDER_LIMITS.qualificationsPerProvider) {
      throw new AppError('VALIDATION', 'providers.e.tooManyQualifications', {
        params: { limit: PROVIDER_LIMITS.qualificationsPerProvider },
      })
    }
    const row = await trx
      .insertInto('provider_qualifications')
      .values({ org_id: org.id, ...columns(input), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    const scanName = await attachScan(trx, storage, actor, org.id, row.id, prepared)
    await recordAudit(trx, {
      action: 'provider.qualification_added',
      ...auditFor(actor, org),
      objectType: QUALIFICATION_OBJECT_TYPE,
      objectId: row.id,
      detail: { ...auditDetail(input), scan: scanName },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
    return { id: row.id }
  })
}

/** The qualification `id`, once the actor may edit its provider's profile. */
async function loadForWrite(trx: Kysely<DB>, actor: Actor, ref: ReferenceData, id: number) {
  const row = await trx
    .selectFrom('provider_qualifications')
    .select(['id', 'org_id', 'name', 'issuer', 'certificate_no', 'valid_from', 'valid_until'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  const org = await ownProvider(trx, actor, ref, row.org_id)
  return { row, org }
}

/** The qualification changed meanwhile (or removed and another made): the edit is refused. */
function stale(): AppError {
  return new AppError('CONFLICT', 'providers.e.qualificationStale')
}

/** Changes a qualification; `version` is the one the form was filled in on. */
export async function updateQualification(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: number,
  version: string,
  input: TQualificationInput,
  scan?: UploadedFile,
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
  // Who may, before a scan is decoded.
  if (scan) await loadForWrite(db, actor, ref, id)
  const prepared = await prepareScan(scan)
  return withTransaction(db, async (trx, afterCommit) => {
    const { row, org } = await loadForWrite(trx, actor, ref, id)
    if (qualificationVersion(row) !== version) throw stale()
    const next = columns(input)
    const changes: Record<string, string> = {}
    const fields = {
      name: 'name',
      issuer: 'issuer',
      certificateNo: 'certificate_no',
      validFrom: 'valid_from',
      validUntil: 'valid_until',
    } as const
    for (const [field, column] of Object.entries(fields)) {
      if ((row[column] ?? null) !== (next[column] ?? null)) changes[field] = changeText(row[column], next[column])
    }
    const scanName = await attachScan(trx, storage, actor, org.id, row.id, prepared)
    if (scanName) changes.scan = `+ ${scanName}`
    const changed = Object.keys(changes)
    if (changed.length === 0) return { changed }
    // Guarded by what was read: a concurrent edit that committed first wins, this one is refused.
    const result = await trx
      .updateTable('provider_qualifications')
      .set(next)
      .where('id', '=', row.id)
      .where('name', '=', row.name)
      .where('issuer', '=', row.issuer)
      .where('certificate_no', '=', row.certificate_no)
      .where((eb) => (row.valid_from === null ? eb('valid_from', 'is', null) : eb('valid_from', '=', row.valid_from)))
      .where((eb) => (row.valid_until === null ? eb('valid_until', 'is', null) : eb('valid_until', '=', row.valid_until)))
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw stale()
    await recordAudit(trx, {
      action: 'provider.qualification_updated',
      ...auditFor(actor, org),
      objectType: QUALIFICATION_OBJECT_TYPE,
      objectId: row.id,
      detail: { name: input.name, changed: changed.join(','), ...changes },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
    return { changed }
  })
}

/**
 * Removes a qualification (and its scans). With `apply: false` it only checks that the
 * actor may (what the confirmation step asks on) and writes nothing.
 */
export async function removeQualification(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  if (!apply) {
    await loadForWrite(db, actor, ref, id)
    return
  }
  await withTransaction(db, async (trx, afterCommit) => {
    const { row, org } = await loadForWrite(trx, actor, ref, id)
    await deleteFilesOf(trx, storage, QUALIFICATION_OBJECT_TYPE, row.id)
    await trx.deleteFrom('provider_qualifications').where('id', '=', row.id).execute()
    await recordAudit(trx, {
      action: 'provider.qualification_removed',
      ...auditFor(actor, org),
      objectType: QUALIFICATION_OBJECT_TYPE,
      objectId: row.id,
      detail: { name: row.name, issuer: row.issuer || null, validUntil: row.valid_until },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
  })
}

/**
 * Removes one scan of a qualification, named by the file's id. With `apply: false` it
 * only checks that the actor may, writing nothing.
 */
export async function removeQualificationScan(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  fileId: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  const scanOf = (q: Kysely<DB>) =>
    q
      .selectFrom('files')
      .select(['name', 'object_id'])
      .where('id', '=', fileId)
      .where('object_type', '=', QUALIFICATION_OBJECT_TYPE)
      .executeTakeFirst()
  if (!apply) {
    const file = await scanOf(db)
    if (!file) throw new AppError('NOT_FOUND', 'errors.notFound')
    await loadForWrite(db, actor, ref, file.object_id)
    return
  }
  await withTransaction(db, async (trx, afterCommit) => {
    const file = await scanOf(trx)
    if (!file) throw new AppError('NOT_FOUND', 'errors.notFound')
    const { row, org } = await loadForWrite(trx, actor, ref, file.object_id)
    await deleteFile(trx, storage, actor, fileId, { objectType: QUALIFICATION_OBJECT_TYPE, objectId: row.id })
    await recordAudit(trx, {
      action: 'provider.qualification_updated',
      ...auditFor(actor, org),
      objectType: QUALIFICATION_OBJECT_TYPE,
      objectId: row.id,
      detail: { name: row.name, changed: 'scan', scan: `− ${file.name}` },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
  })
}
