import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import type { ContractSide, DisputeFault, DisputeOutcome, DisputeStatus } from '../../../db/enums.js'
import { withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { attachFile, listFiles, prepareUpload, type UploadedFile } from '../files/files.server.js'
import type { FileView } from '../files/views.js'
import { transitionNeed } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { overseeingRegions } from '../reference/jurisdiction.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { contractFor, type ContractRole, type ContractRow } from './access.server.js'
import { DISPUTE_FAULT_CHOICES, DISPUTE_LIMITS, DISPUTE_OUTCOME_CHOICES } from './dispute-limits.js'
import { recordContractEvent } from './events.server.js'
import { disputeTransitionOf, nextContractStatus, nextDisputeStatus } from './lifecycle.js'

/*
 * Disputes (纠纷, issue 14 §5). A party's members (the enterprise's or the provider's)
 * open one on an ACTIVE contract — a subject, a description, optionally one milestone of
 * that contract, up to five evidence files —, at most three open at once per contract.
 * The opener's side withdraws it while it is open. The contract's appointed 监理机构
 * (any active member) or an agency owner/reviewer over the contract's region
 * ('resolve:dispute:jurisdiction') resolves it: a resolution text, an outcome
 * (continue | terminate) and the fault (enterprise | provider | none; matching counts
 * the disputes a provider lost). Outcome terminate ends the contract (system:
 * terminated, closed_at, status_reason) and closes the need when it is contracted.
 * An open dispute does not freeze the contract: milestones go on (recorded decision).
 *
 * Reading: whoever reads the contract (contractFor: parties, supervisor, agencies over
 * the region); anyone else gets 404, the same answer as for a dispute that does not
 * exist. Writers who read but may not write get 403.
 *
 * Notices: dispute_opened to the other party, the supervisor (when appointed) and the
 * agencies that would resolve it — the verified agencies of the NEAREST region above
 * the contract's that has any (its county, else its city, else its province; ≤ 5
 * organisations; the kind's audience, owners, receive it). Farther agencies still find
 * it in 合同监管 (有未决纠纷). dispute_resolved to both parties.
 */

export { DISPUTE_LIMITS } from './dispute-limits.js'

/** Evidence of a dispute is files of this object type (purpose dispute_evidence). */
export const DISPUTE_FILE_OBJECT = 'dispute'
/** The need's status_reason when a dispute ends its contract. */
const TERMINATED_NEED_REASON = '合同终止'
const MAX_AGENCIES_TOLD = 5

/* ------------------------------------------------------------------ input */

export const ZOpenDispute = z.object({
  subject: z
    .string({ error: 'disputes.v.subject' })
    .trim()
    .min(1, 'disputes.v.subject')
    .max(DISPUTE_LIMITS.subjectMax, 'disputes.v.subjectTooLong'),
  description: z
    .string({ error: 'disputes.v.description' })
    .trim()
    .min(1, 'disputes.v.description')
    .max(DISPUTE_LIMITS.descriptionMax, 'disputes.v.descriptionTooLong'),
  milestoneId: z
    .string({ error: 'disputes.v.milestone' })
    .trim()
    .default('')
    .refine((v) => v === '' || /^[1-9]\d{0,9}$/.test(v), 'disputes.v.milestone')
    .transform((v) => (v === '' ? null : Number(v))),
})
export type OpenDisputeInput = z.output<typeof ZOpenDispute>

export const ZResolveDispute = z.object({
  resolution: z
    .string({ error: 'disputes.v.resolution' })
    .trim()
    .min(DISPUTE_LIMITS.resolutionMin, 'disputes.v.resolution')
    .max(DISPUTE_LIMITS.resolutionMax, 'disputes.v.resolutionTooLong'),
  outcome: z.enum(DISPUTE_OUTCOME_CHOICES, { error: 'disputes.v.outcome' }),
  fault: z.enum(DISPUTE_FAULT_CHOICES, { error: 'disputes.v.fault' }),
})
export type ResolveDisputeInput = z.output<typeof ZResolveDispute>

export const ZDisputeIntent = z.object({ intent: z.enum(['withdraw', 'resolve'], { error: 'errors.notFound' }) })
export const ZDisputesQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) })

/* ------------------------------------------------------------------ views */

export interface DisputeContract {
  id: number
  title: string
  status: ContractRow['status']
  enterpriseName: string
  providerName: string
  supervisorName: string | null
}

export interface DisputeRow {
  id: number
  subject: string
  status: DisputeStatus
  openedSide: ContractSide
  openedOrgName: string
  milestoneName: string | null
  outcome: DisputeOutcome | null
  createdAt: string
  resolvedAt: string | null
}

export interface DisputesPage {
  contract: DisputeContract
  role: ContractRole
  items: DisputeRow[]
  openCount: number
  total: number
  page: number
  pageCount: number
  /** The open form is offered (a party, the contract active, fewer than three open). */
  mayOpen: boolean
  /** Why a party cannot open one now: null when it can, or when the reader is no party. */
  cannotOpen: 'notActive' | 'tooMany' | null
  milestones: { id: number; seq: number; name: string }[]
}

export interface DisputeDetail extends DisputeRow {
  contract: DisputeContract
  role: ContractRole
  description: string
  milestoneId: number | null
  openedByName: string
  resolution: string
  fault: DisputeFault | null
  resolvedOrgName: string | null
  resolvedByName: string | null
  updatedAt: string
  files: FileView[]
  mayWithdraw: boolean
  mayResolve: boolean
  /** terminate is offered only while the contract is active. */
  mayTerminate: boolean
}

/* ------------------------------------------------------------------ helpers */

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'disputes.e.notFound')
}

function forbidden(permission: string): AppError {
  return new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission } })
}

function isParty(role: ContractRole): role is ContractSide {
  return role === 'enterprise' || role === 'provider'
}

/** The supervisor's members, or an agency owner/reviewer over the contract's region. */
function mayResolveOn(actor: Actor, ref: ReferenceData, contract: ContractRow, role: ContractRole): boolean {
  if (role === 'supervisor') return true
  return can(actor, ref, 'resolve:dispute:jurisdiction', { regionCode: contract.region_code })
}

interface DisputeRecord {
  id: number
  contract_id: number
  milestone_id: number | null
  opened_side: ContractSide
  opened_org_id: number
  opened_by: number
  subject: string
  description: string
  status: DisputeStatus
  resolution: string
  outcome: DisputeOutcome | null
  fault: DisputeFault | null
  resolved_org_id: number | null
  resolved_by: number | null
  resolved_at: string | null
  created_at: string
  updated_at: string
}

async function loadDispute(db: Kysely<DB>, disputeId: number): Promise<DisputeRecord | undefined> {
  return db
    .selectFrom('disputes')
    .select([
      'id',
      'contract_id',
      'milestone_id',
      'opened_side',
      'opened_org_id',
      'opened_by',
      'subject',
      'description',
      'status',
      'resolution',
      'outcome',
      'fault',
      'resolved_org_id',
      'resolved_by',
      'resolved_at',
      'created_at',
      'updated_at',
    ])
    .where('id', '=', disputeId)
    .executeTakeFirst()
}

/** The dispute and its contract as the actor may read them; 404 'disputes.e.notFound' otherwise. */
async function disputeFor(db: Kysely<DB>, actor: Actor, disputeId: number, ref: ReferenceData) {
  const dispute = await loadDispute(db, disputeId)
  if (!dispute) throw notFound()
  try {
    const { contract, role } = await contractFor(db, actor, dispute.contract_id, ref)
    return { dispute, contract, role }
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw notFound()
    throw error
  }
}

async function contractView(db: Kysely<DB>, contract: ContractRow): Promise<DisputeContract> {
  const ids = [contract.enterprise_org_id, contract.provider_org_id, contract.supervisor_org_id].filter(
    (x): x is number => x !== null,
  )
  const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute()
  const name = (id: number | null) => (id === null ? null : (orgs.find((o) => o.id === id)?.name ?? null))
  return {
    id: contract.id,
    title: contract.title,
    status: contract.status,
    enterpriseName: name(contract.enterprise_org_id) ?? '',
    providerName: name(contract.provider_org_id) ?? '',
    supervisorName: name(contract.supervisor_org_id),
  }
}

async function countOpen(db: Kysely<DB>, contractId: number): Promise<number> {
  const row = await db
    .selectFrom('disputes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('contract_id', '=', contractId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The verified agencies of the nearest region over `regionCode` that has any (≤ MAX_AGENCIES_TOLD). */
async function nearestAgencies(db: Kysely<DB>, ref: ReferenceData, regionCode: string): Promise<number[]> {
  const regions = overseeingRegions(ref, regionCode)
  if (regions.length === 0) return []
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'region_code'])
    .where('kind', '=', 'agency')
    .where('status', '=', 'verified')
    .where('region_code', 'in', regions)
    .orderBy('id')
    .limit(200)
    .execute()
  for (const code of regions) {
    const here = rows.filter((r) => r.region_code === code).map((r) => r.id)
    if (here.length > 0) return here.slice(0, MAX_AGENCIES_TOLD)
  }
  return []
}

/* ------------------------------------------------------------------ reading */

/** 纠纷 of a contract, newest first, for whoever reads the contract; with the open form's state. */
export async function listDisputes(db: Database, actor: Actor, contractId: number, page = 1): Promise<DisputesPage> {
  const ref = await getReferenceData(db)
  const { contract, role } = await contractFor(db, actor, contractId, ref)
  const size = DISPUTE_LIMITS.pageSize
  const counts = await db
    .selectFrom('disputes')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('contract_id', '=', contractId)
    .groupBy('status')
    .execute()
  const total = counts.reduce((s, r) => s + Number(r.n), 0)
  const openCount = Number(counts.find((r) => r.status === 'open')?.n ?? 0)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('disputes as d')
    .innerJoin('organisations as o', 'o.id', 'd.opened_org_id')
    .leftJoin('contract_milestones as m', 'm.id', 'd.milestone_id')
    .select([
      'd.id',
      'd.subject',
      'd.status',
      'd.opened_side',
      'o.name as org_name',
      'm.name as milestone_name',
      'd.outcome',
      'd.created_at',
      'd.resolved_at',
    ])
    .where('d.contract_id', '=', contractId)
    .orderBy('d.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const party = isParty(role)
  const cannotOpen = !party
    ? null
    : contract.status !== 'active'
      ? 'notActive'
      : openCount >= DISPUTE_LIMITS.openPerContract
        ? 'tooMany'
        : null
  const milestones =
    party && cannotOpen === null
      ? await db
          .selectFrom('contract_milestones')
          .select(['id', 'seq', 'name'])
          .where('contract_id', '=', contractId)
          .orderBy('seq')
          .execute()
      : []
  return {
    contract: await contractView(db, contract),
    role,
    items: rows.map((r) => ({
      id: r.id,
      subject: r.subject,
      status: r.status,
      openedSide: r.opened_side,
      openedOrgName: r.org_name,
      milestoneName: r.milestone_name,
      outcome: r.outcome,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
    })),
    openCount,
    total,
    page: current,
    pageCount,
    mayOpen: party && cannotOpen === null,
    cannotOpen,
    milestones,
  }
}

/** One dispute with its evidence, for whoever reads its contract; what the reader may do with it. */
export async function getDispute(db: Database, actor: Actor, disputeId: number): Promise<DisputeDetail> {
  const ref = await getReferenceData(db)
  const { dispute, contract, role } = await disputeFor(db, actor, disputeId, ref)
  const orgIds = [dispute.opened_org_id, dispute.resolved_org_id].filter((x): x is number => x !== null)
  const userIds = [dispute.opened_by, dispute.resolved_by].filter((x): x is number => x !== null)
  const [orgs, users, milestone, files, view] = await Promise.all([
    db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute(),
    db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute(),
    dispute.milestone_id === null
      ? Promise.resolve(undefined)
      : db.selectFrom('contract_milestones').select('name').where('id', '=', dispute.milestone_id).executeTakeFirst(),
    listFiles(db, DISPUTE_FILE_OBJECT, [dispute.id]),
    contractView(db, contract),
  ])
  const orgName = (id: number | null) => (id === null ? null : (orgs.find((o) => o.id === id)?.name ?? null))
  const userName = (id: number | null) => (id === null ? null : (users.find((u) => u.id === id)?.name ?? null))
  const open = disputeTransitionOf(dispute.status, 'resolve') !== null
  const mayResolve = open && mayResolveOn(actor, ref, contract, role)
  return {
    id: dispute.id,
    subject: dispute.subject,
    status: dispute.status,
    openedSide: dispute.opened_side,
    openedOrgName: orgName(dispute.opened_org_id) ?? '',
    milestoneName: milestone?.name ?? null,
    outcome: dispute.outcome,
    createdAt: dispute.created_at,
    resolvedAt: dispute.resolved_at,
    contract: view,
    role,
    description: dispute.description,
    milestoneId: dispute.milestone_id,
    openedByName: userName(dispute.opened_by) ?? '',
    resolution: dispute.resolution,
    fault: dispute.fault,
    resolvedOrgName: orgName(dispute.resolved_org_id),
    resolvedByName: userName(dispute.resolved_by),
    updatedAt: dispute.updated_at,
    files: files.get(dispute.id) ?? [],
    mayWithdraw: disputeTransitionOf(dispute.status, 'withdraw') !== null && role === dispute.opened_side,
    mayResolve,
    mayTerminate: mayResolve && contract.status === 'active',
  }
}

/* ------------------------------------------------------------------ writing */

function tooManyFiles(): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', {
    fieldErrors: { evidence: 'disputes.v.tooManyFiles' },
    params: { max: DISPUTE_LIMITS.filesPerDispute },
  })
}

async function tellOpened(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  ref: ReferenceData,
  contract: ContractRow,
  side: ContractSide,
  disputeId: number,
  openerName: string,
): Promise<void> {
  const params = { org: openerName, contract: contract.title }
  const link = `/disputes/${disputeId}`
  const other = side === 'enterprise' ? contract.provider_org_id : contract.enterprise_org_id
  const orgs = [other]
  if (contract.supervisor_org_id !== null) orgs.push(contract.supervisor_org_id)
  orgs.push(...(await nearestAgencies(trx, ref, contract.region_code)))
  for (const orgId of new Set(orgs)) await notify(db, trx, afterCommit, { kind: 'dispute_opened', orgId, params, link })
}

/**
 * 提出纠纷: a party's member on an active contract. Only the whitelisted fields of
 * `input` are read (ZOpenDispute); the side and its organisation are the actor's role on
 * the contract. INVALID_STATE 'disputes.e.notActive' unless active, 'disputes.e.tooMany'
 * with three open already (parallel openings serialised on the contract's row).
 */
export async function openDispute(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  contractId: number,
  input: OpenDisputeInput,
  files: readonly UploadedFile[] = [],
  now: Date = new Date(),
): Promise<{ disputeId: number }> {
  const ref = await getReferenceData(db)
  // Read first (404 before anything about the files), again inside the transaction.
  const first = await contractFor(db, actor, contractId, ref)
  if (!isParty(first.role)) throw forbidden('read:contract:own')
  if (files.length > DISPUTE_LIMITS.filesPerDispute) throw tooManyFiles()
  const prepared = await Promise.all(files.map((f) => prepareUpload('dispute_evidence', f)))
  return withTransaction(db, async (trx, afterCommit) => {
    const { contract, role } = await contractFor(trx, actor, contractId, ref)
    if (!isParty(role)) throw forbidden('read:contract:own')
    // Takes the contract's row (PostgreSQL: a row lock until commit), so the open count
    // below is read by one opener at a time, and only while the contract is active.
    const locked = await trx
      .updateTable('contracts')
      .set({ status: 'active' })
      .where('id', '=', contractId)
      .where('status', '=', 'active')
      .executeTakeFirst()
    if (Number(locked.numUpdatedRows) !== 1) throw new AppError('INVALID_STATE', 'disputes.e.notActive')
    if (input.milestoneId !== null) {
      const milestone = await trx
        .selectFrom('contract_milestones')
        .select('id')
        .where('id', '=', input.milestoneId)
        .where('contract_id', '=', contractId)
        .executeTakeFirst()
      if (!milestone) {
        throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { milestoneId: 'disputes.v.milestone' } })
      }
    }
    if ((await countOpen(trx, contractId)) >= DISPUTE_LIMITS.openPerContract) {
      throw new AppError('INVALID_STATE', 'disputes.e.tooMany', { params: { max: DISPUTE_LIMITS.openPerContract } })
    }
    const orgId = role === 'enterprise' ? contract.enterprise_org_id : contract.provider_org_id
    const at = now.toISOString()
    const row = await trx
      .insertInto('disputes')
      .values({
        contract_id: contractId,
        milestone_id: input.milestoneId,
        opened_side: role,
        opened_org_id: orgId,
        opened_by: actor.userId,
        subject: input.subject,
        description: input.description,
        status: 'open',
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const file of prepared) {
      await attachFile(trx, storage, actor, {
        purpose: 'dispute_evidence',
        orgId,
        objectType: DISPUTE_FILE_OBJECT,
        objectId: row.id,
        file,
      })
    }
    await recordContractEvent(trx, {
      contractId,
      kind: 'dispute_opened',
      milestoneId: input.milestoneId,
      actorUserId: actor.userId,
      actorOrgId: orgId,
      objectId: row.id,
      detail: { subject: input.subject, side: role },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: orgId,
      regionCode: contract.region_code,
      action: 'dispute.opened',
      objectType: 'dispute',
      objectId: row.id,
      detail: { contractId, side: role, milestoneId: input.milestoneId ?? '', files: prepared.length },
    })
    const opener = await trx.selectFrom('organisations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()
    await tellOpened(db, trx, afterCommit, ref, contract, role, row.id, opener.name)
    return { disputeId: row.id }
  })
}

/** 撤回纠纷: a member of the side that opened it, while it is open. */
export async function withdrawDispute(db: Database, actor: Actor, disputeId: number, now: Date = new Date()): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const { dispute, contract, role } = await disputeFor(trx, actor, disputeId, ref)
    if (role !== dispute.opened_side) throw forbidden('read:contract:own')
    const to = nextDisputeStatus(dispute.status, 'withdraw')
    const at = now.toISOString()
    const result = await trx
      .updateTable('disputes')
      .set({ status: to, updated_at: at })
      .where('id', '=', disputeId)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'disputes.e.stale')
    await recordContractEvent(trx, {
      contractId: contract.id,
      kind: 'dispute_withdrawn',
      milestoneId: dispute.milestone_id,
      actorUserId: actor.userId,
      actorOrgId: dispute.opened_org_id,
      objectId: disputeId,
      detail: { subject: dispute.subject },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: dispute.opened_org_id,
      regionCode: contract.region_code,
      action: 'dispute.withdrawn',
      objectType: 'dispute',
      objectId: disputeId,
      detail: { contractId: contract.id },
    })
  })
}

/**
 * 处理纠纷: the supervisor's members or an agency owner/reviewer over the region, while
 * open. The update is conditional on 'open', so of two resolvers racing one wins and
 * the other gets CONFLICT 'disputes.e.stale'. terminate ends the contract (system) and
 * closes its need when contracted.
 */
export async function resolveDispute(
  db: Database,
  actor: Actor,
  disputeId: number,
  input: ResolveDisputeInput,
  now: Date = new Date(),
): Promise<{ terminated: boolean }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx, afterCommit) => {
    const { dispute, contract, role } = await disputeFor(trx, actor, disputeId, ref)
    const resolverOrgId = actor.org?.orgId
    if (!resolverOrgId || !mayResolveOn(actor, ref, contract, role)) throw forbidden('resolve:dispute:jurisdiction')
    const to = nextDisputeStatus(dispute.status, 'resolve')
    const terminate = input.outcome === 'terminate'
    // Checked before anything is written: terminate needs an active contract.
    const contractTo = terminate ? nextContractStatus(contract.status, 'terminate') : null
    const at = now.toISOString()
    const result = await trx
      .updateTable('disputes')
      .set({
        status: to,
        resolution: input.resolution,
        outcome: input.outcome,
        fault: input.fault,
        resolved_org_id: resolverOrgId,
        resolved_by: actor.userId,
        resolved_at: at,
        updated_at: at,
      })
      .where('id', '=', disputeId)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'disputes.e.stale')
    await recordContractEvent(trx, {
      contractId: contract.id,
      kind: 'dispute_resolved',
      milestoneId: dispute.milestone_id,
      actorUserId: actor.userId,
      actorOrgId: resolverOrgId,
      objectId: disputeId,
      detail: { subject: dispute.subject, outcome: input.outcome, fault: input.fault },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: resolverOrgId,
      regionCode: contract.region_code,
      action: 'dispute.resolved',
      objectType: 'dispute',
      objectId: disputeId,
      detail: { contractId: contract.id, outcome: input.outcome, fault: input.fault, as: role },
    })
    if (contractTo) {
      const reason = Array.from(input.resolution).slice(0, 1000).join('')
      const ended = await trx
        .updateTable('contracts')
        .set({ status: contractTo, closed_at: at, status_reason: reason, updated_at: at })
        .where('id', '=', contract.id)
        .where('status', '=', contract.status)
        .executeTakeFirst()
      // Completed (its last milestone accepted) since it was read: nothing to terminate.
      if (Number(ended.numUpdatedRows) !== 1) {
        throw new AppError('CONFLICT', 'contracts.e.transition', { params: { from: 'completed', action: 'terminate' } })
      }
      await recordContractEvent(trx, {
        contractId: contract.id,
        kind: 'terminated',
        actorUserId: actor.userId,
        actorOrgId: resolverOrgId,
        objectId: disputeId,
        detail: { subject: dispute.subject },
        at,
      })
      await recordAudit(trx, {
        ...auditActor(actor),
        actorOrgId: resolverOrgId,
        regionCode: contract.region_code,
        action: 'contract.terminated',
        objectType: 'contract',
        objectId: contract.id,
        detail: { disputeId, from: contract.status },
      })
      // The need closes only from 'contracted' (its life cycle's one way out); a need in
      // any other state (an agency closed it already …) is left as it is, quietly.
      const need = await trx.selectFrom('needs').select('status').where('id', '=', contract.need_id).executeTakeFirst()
      if (need?.status === 'contracted') {
        await transitionNeed(trx, afterCommit, { kind: 'system', actor }, contract.need_id, 'close', {
          reason: TERMINATED_NEED_REASON,
          now,
        })
      }
    }
    for (const orgId of [contract.enterprise_org_id, contract.provider_org_id]) {
      await notify(db, trx, afterCommit, {
        kind: 'dispute_resolved',
        orgId,
        params: { contract: contract.title },
        link: `/disputes/${disputeId}`,
      })
    }
    return { terminated: contractTo !== null }
  })
}
