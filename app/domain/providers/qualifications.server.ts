import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
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

/** /provider/qualifications: the acting provider's qualifications. */
export async function listOwnQualifications(
  db: Database,
  actor: Actor,
): Promise<{ orgId: number; name: string; qualifications: QualificationItem[]; limit: number }> {
  const org = await ownProvider(db, actor, await getReferenceData(db), actingProviderId(actor))
  return {
    orgId: org.id,
    name: org.name,
    qualifications: await qualificationsOf(db, org.id),
    limit: PROVIDER_LIMITS.qualificationsPerProvider,
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

/** Adds a qualification to the acting provider. */
export async function addQualification(db: Database, actor: Actor, input: TQualificationInput): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
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
    await recordAudit(trx, {
      action: 'provider.qualification_added',
      ...auditFor(actor, org),
      objectType: 'provider_qualification',
      objectId: row.id,
      detail: auditDetail(input),
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
  actor: Actor,
  id: number,
  version: string,
  input: TQualificationInput,
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
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
      objectType: 'provider_qualification',
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
    await trx.deleteFrom('provider_qualifications').where('id', '=', row.id).execute()
    await recordAudit(trx, {
      action: 'provider.qualification_removed',
      ...auditFor(actor, org),
      objectType: 'provider_qualification',
      objectId: row.id,
      detail: { name: row.name, issuer: row.issuer || null, validUntil: row.valid_until },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
  })
}
