import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { attachFile, listFiles, prepareUpload, type UploadedFile } from '../files/files.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { contractFor, type ContractRow } from './access.server.js'
import { recordContractEvent } from './events.server.js'
import { MILESTONE_LIMITS } from './milestone-limits.js'
import type { SupervisionLogInput } from './milestone-schema.js'
import type { SupervisionPage } from './milestone-views.js'
import { contractSummary, dateText } from './milestones.server.js'

/*
 * 监理日志 (issue 14 §4): the appointed 监理机构's members keep a log of site
 * inspections on an active contract — the date (not in the future, not earlier than 30
 * days before the contract's start), findings, a quality and a schedule judgement,
 * optionally the milestone it is about, up to nine photos. Everyone who reads the
 * contract reads the log (its parties, the supervisor, the agencies over its region);
 * a draft, completed or terminated contract takes no new entry.
 */

/** Photos of a log entry are files of this object type (purpose supervision_photo). */
export const SUPERVISION_FILE_OBJECT = 'supervision_log'

/** The dates a log entry may carry: [start − 30 days (or today − 30 without a start), today], China dates. */
function dateBounds(contract: Pick<ContractRow, 'start_date'>, now: Date): { min: string; max: string } {
  const today = chinaDate(now)
  const start = contract.start_date === null ? today : dateText(contract.start_date)
  return { min: addDays(start, -MILESTONE_LIMITS.logDaysBeforeStart), max: today }
}

export async function listSupervisionLogs(
  db: Database,
  actor: Actor,
  contractId: number,
  page: number,
  now: Date = new Date(),
): Promise<SupervisionPage> {
  const { contract, role } = await contractFor(db, actor, contractId)
  const size = MILESTONE_LIMITS.logsPerPage
  const total = Number(
    (
      await db
        .selectFrom('supervision_logs')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('contract_id', '=', contractId)
        .executeTakeFirstOrThrow()
    ).n,
  )
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('supervision_logs as l')
    .innerJoin('users as u', 'u.id', 'l.author_id')
    .innerJoin('organisations as o', 'o.id', 'l.org_id')
    .leftJoin('contract_milestones as m', 'm.id', 'l.milestone_id')
    .select([
      'l.id',
      'l.log_date',
      'l.findings',
      'l.quality',
      'l.schedule',
      'l.created_at',
      'u.name as author',
      'o.name as org_name',
      'm.name as milestone_name',
    ])
    .where('l.contract_id', '=', contractId)
    .orderBy('l.log_date', 'desc')
    .orderBy('l.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const photos = await listFiles(
    db,
    SUPERVISION_FILE_OBJECT,
    rows.map((r) => r.id),
  )
  const milestones = await db
    .selectFrom('contract_milestones')
    .select(['id', 'seq', 'name'])
    .where('contract_id', '=', contractId)
    .orderBy('seq')
    .execute()
  const bounds = dateBounds(contract, now)
  return {
    contract: await contractSummary(db, contract),
    role,
    logs: rows.map((r) => ({
      id: r.id,
      logDate: dateText(r.log_date),
      findings: r.findings,
      quality: r.quality,
      schedule: r.schedule,
      milestoneName: r.milestone_name,
      author: r.author,
      orgName: r.org_name,
      createdAt: String(r.created_at),
      photos: photos.get(r.id) ?? [],
    })),
    page: current,
    pageCount,
    total,
    mayLog: role === 'supervisor' && contract.status === 'active',
    minDate: bounds.min,
    maxDate: bounds.max,
    milestones,
  }
}

function invalid(
  field: string,
  key: 'milestones.v.logDateFuture' | 'milestones.v.logDateEarly' | 'milestones.v.milestone' | 'milestones.v.tooManyPhotos',
): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', {
    fieldErrors: { [field]: key },
    params: { max: MILESTONE_LIMITS.photosPerLog },
  })
}

/** 记录监理日志: the appointed supervisor's members, on an active contract. Only the fields of `input` are read. */
export async function addSupervisionLog(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  contractId: number,
  input: SupervisionLogInput,
  photos: readonly UploadedFile[] = [],
  now: Date = new Date(),
): Promise<{ logId: number }> {
  const { role } = await contractFor(db, actor, contractId)
  if (role !== 'supervisor') throw new AppError('FORBIDDEN', 'milestones.e.notSupervisor')
  if (photos.length > MILESTONE_LIMITS.photosPerLog) throw invalid('photos', 'milestones.v.tooManyPhotos')
  const prepared = await Promise.all(photos.map((f) => prepareUpload('supervision_photo', f)))
  return withTransaction(db, async (trx) => {
    const { contract, role: again } = await contractFor(trx, actor, contractId)
    if (again !== 'supervisor') throw new AppError('FORBIDDEN', 'milestones.e.notSupervisor')
    if (contract.status !== 'active') throw new AppError('INVALID_STATE', 'milestones.e.contractNotActive')
    const bounds = dateBounds(contract, now)
    if (input.logDate > bounds.max) throw invalid('logDate', 'milestones.v.logDateFuture')
    if (input.logDate < bounds.min) throw invalid('logDate', 'milestones.v.logDateEarly')
    let milestoneName = ''
    if (input.milestoneId !== null) {
      const m = await trx
        .selectFrom('contract_milestones')
        .select(['id', 'name'])
        .where('id', '=', input.milestoneId)
        .where('contract_id', '=', contractId)
        .executeTakeFirst()
      if (!m) throw invalid('milestoneId', 'milestones.v.milestone')
      milestoneName = m.name
    }
    const orgId = contract.supervisor_org_id!
    const at = now.toISOString()
    const row = await trx
      .insertInto('supervision_logs')
      .values({
        contract_id: contractId,
        milestone_id: input.milestoneId,
        org_id: orgId,
        author_id: actor.userId,
        log_date: input.logDate,
        findings: input.findings,
        quality: input.quality,
        schedule: input.schedule,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const file of prepared) {
      await attachFile(trx, storage, actor, {
        purpose: 'supervision_photo',
        orgId,
        objectType: SUPERVISION_FILE_OBJECT,
        objectId: row.id,
        file,
      })
    }
    await recordContractEvent(trx, {
      contractId,
      kind: 'supervision_logged',
      milestoneId: input.milestoneId,
      actorUserId: actor.userId,
      actorOrgId: orgId,
      objectId: row.id,
      detail: { date: input.logDate, quality: input.quality, schedule: input.schedule },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: orgId,
      regionCode: contract.region_code,
      action: 'supervision.logged',
      objectType: 'supervision_log',
      objectId: row.id,
      detail: {
        contractId,
        date: input.logDate,
        quality: input.quality,
        schedule: input.schedule,
        milestone: milestoneName,
        photos: prepared.length,
      },
    })
    return { logId: row.id }
  })
}
