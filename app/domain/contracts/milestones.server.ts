import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { ReviewSide } from '../../../db/enums.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { attachFile, listFiles, prepareUpload, type UploadedFile } from '../files/files.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { contractFor, type ContractRole, type ContractRow } from './access.server.js'
import { completeContractIfDone } from './completion.server.js'
import { recordContractEvent } from './events.server.js'
import { milestoneTransitionOf, milestoneVerdict, nextMilestoneStatus, requiredReviewSides } from './lifecycle.js'
import { MILESTONE_LIMITS } from './milestone-limits.js'
import type { ReviewMilestoneInput, SubmitMilestoneInput } from './milestone-schema.js'
import type { ContractSummary, MilestonePage, MilestoneReviewView, MilestoneSubmissionView } from './milestone-views.js'
import { wanText } from '../../utils/format.js'

/*
 * Milestones (里程碑, issue 14 §4). The provider's members submit a milestone of an
 * active contract (evidence text and up to five photos or documents) while it is
 * pending or rejected; each submission is a new round. The enterprise's members (side
 * 'enterprise') and, where an agency appointed one, the supervisor's members (side
 * 'supervisor') decide the current round; `milestoneVerdict` turns the decisions into
 * accepted, rejected or still waiting. When the last milestone is accepted the
 * contract completes in the same transaction (completion.server.ts).
 *
 * Races: a submission changes the milestone only from the status and round it read (a
 * double submit makes one round and a 409); a review first locks the contract's row
 * (an update that changes nothing), so parallel decisions on one contract run one
 * after another and each sees the others' — the enterprise and the supervisor
 * accepting at once accept it once and complete the contract once; the unique key
 * (milestone, round, side) makes a repeated decision a no-op returning the state.
 */

export {
  ZLogsQuery,
  ZMilestoneIntent,
  ZMilestoneParams,
  ZReviewMilestone,
  ZSubmitMilestone,
  ZSupervisionLog,
} from './milestone-schema.js'
export type { MilestonePage, SupervisionPage } from './milestone-views.js'

/** Evidence files are files of this object type (purpose milestone_evidence), id = milestone_submissions.id. */
export const MILESTONE_FILE_OBJECT = 'milestone_submission'

type MilestoneRow = {
  id: number
  contract_id: number
  seq: number
  name: string
  percent: number
  amount_wan_x100: number
  due_date: string
  criteria: string
  status: 'pending' | 'submitted' | 'accepted' | 'rejected'
  round: number
  submitted_at: string | null
  accepted_at: string | null
  late_flagged_at: string | null
}

async function loadMilestone(db: Kysely<DB>, contractId: number, milestoneId: number): Promise<MilestoneRow> {
  const row = await db
    .selectFrom('contract_milestones')
    .select([
      'id',
      'contract_id',
      'seq',
      'name',
      'percent',
      'amount_wan_x100',
      'due_date',
      'criteria',
      'status',
      'round',
      'submitted_at',
      'accepted_at',
      'late_flagged_at',
    ])
    .where('id', '=', milestoneId)
    .where('contract_id', '=', contractId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'milestones.e.notFound')
  return { ...row, due_date: dateText(row.due_date) }
}

/** A date column as YYYY-MM-DD (PostgreSQL's `date` may come back as a Date). */
export function dateText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}

/** Which side a reader decides for: the enterprise's members and the appointed supervisor's. */
export function reviewSideOf(role: ContractRole): ReviewSide | null {
  return role === 'enterprise' ? 'enterprise' : role === 'supervisor' ? 'supervisor' : null
}

function contractNotActive(): AppError {
  return new AppError('INVALID_STATE', 'milestones.e.contractNotActive')
}

export async function contractSummary(db: Kysely<DB>, contract: ContractRow): Promise<ContractSummary> {
  const ids = [contract.enterprise_org_id, contract.provider_org_id, contract.supervisor_org_id].filter(
    (id): id is number => id !== null,
  )
  const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute()
  const name = (id: number | null) => (id === null ? null : (orgs.find((o) => o.id === id)?.name ?? ''))
  return {
    id: contract.id,
    title: contract.title,
    status: contract.status,
    enterpriseName: name(contract.enterprise_org_id) ?? '',
    providerName: name(contract.provider_org_id) ?? '',
    supervisorName: name(contract.supervisor_org_id),
    startDate: contract.start_date === null ? null : dateText(contract.start_date),
  }
}

/** The decisions of one round of a milestone. */
async function decisionsOf(db: Kysely<DB>, milestoneId: number, round: number) {
  return db
    .selectFrom('milestone_reviews')
    .select(['side', 'decision'])
    .where('milestone_id', '=', milestoneId)
    .where('round', '=', round)
    .execute()
}

/**
 * A milestone's page: the milestone, its submissions (newest round first) with their
 * evidence files and each side's decision, and what this reader may do now. Anyone
 * who reads the contract reads it; anyone else gets 404.
 */
export async function getMilestonePage(
  db: Database,
  actor: Actor,
  contractId: number,
  milestoneId: number,
): Promise<MilestonePage> {
  const { contract, role } = await contractFor(db, actor, contractId)
  const m = await loadMilestone(db, contractId, milestoneId)
  const submissions = await db
    .selectFrom('milestone_submissions as s')
    .innerJoin('users as u', 'u.id', 's.submitted_by')
    .select(['s.id', 's.round', 's.evidence', 's.submitted_at', 'u.name as author'])
    .where('s.milestone_id', '=', milestoneId)
    .orderBy('s.round', 'desc')
    .execute()
  const reviews = await db
    .selectFrom('milestone_reviews as r')
    .innerJoin('users as u', 'u.id', 'r.decided_by')
    .innerJoin('organisations as o', 'o.id', 'r.org_id')
    .select(['r.round', 'r.side', 'r.decision', 'r.reason', 'r.decided_at', 'u.name as decider', 'o.name as org_name'])
    .where('r.milestone_id', '=', milestoneId)
    .orderBy('r.id')
    .execute()
  const files = await listFiles(
    db,
    MILESTONE_FILE_OBJECT,
    submissions.map((s) => s.id),
  )
  const hasSupervisor = contract.supervisor_org_id !== null
  const active = contract.status === 'active'
  const side = reviewSideOf(role)
  const current = reviews.filter((r) => r.round === m.round)
  const required = requiredReviewSides(hasSupervisor)
  const mayReview =
    active && side !== null && required.includes(side) && m.status === 'submitted' && !current.some((r) => r.side === side)
  const views: MilestoneSubmissionView[] = submissions.map((s) => ({
    id: s.id,
    round: s.round,
    evidence: s.evidence,
    submittedBy: s.author,
    submittedAt: String(s.submitted_at),
    files: files.get(s.id) ?? [],
    reviews: reviews
      .filter((r) => r.round === s.round)
      .map((r): MilestoneReviewView => ({
        side: r.side,
        decision: r.decision,
        reason: r.reason,
        orgName: r.org_name,
        decidedBy: r.decider,
        decidedAt: String(r.decided_at),
      })),
  }))
  const acceptedDay = m.accepted_at ? chinaDate(new Date(m.accepted_at)) : null
  return {
    contract: await contractSummary(db, contract),
    role,
    milestone: {
      id: m.id,
      seq: m.seq,
      name: m.name,
      percent: m.percent,
      amountWan: wanText(m.amount_wan_x100),
      dueDate: m.due_date,
      criteria: m.criteria,
      status: m.status,
      round: m.round,
      submittedAt: m.submitted_at === null ? null : String(m.submitted_at),
      acceptedAt: m.accepted_at === null ? null : String(m.accepted_at),
      late: m.late_flagged_at !== null,
      onTime: acceptedDay === null ? null : acceptedDay <= m.due_date,
    },
    requiredSides: required,
    submissions: views,
    may: {
      submit: active && role === 'provider' && milestoneTransitionOf(m.status, 'submit') !== null,
      review: mayReview ? side : null,
      filesLeft: MILESTONE_LIMITS.filesPerSubmission,
    },
    waitingFor: m.status === 'submitted' ? required.filter((s) => !current.some((r) => r.side === s)) : [],
  }
}

function tooManyFiles(): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', {
    fieldErrors: { evidenceFiles: 'milestones.v.tooManyFiles' },
    params: { max: MILESTONE_LIMITS.filesPerSubmission },
  })
}

function staleSubmission(): AppError {
  return new AppError('CONFLICT', 'milestones.e.stale')
}

/**
 * 提交验收: the provider's members, the contract active, the milestone pending or
 * rejected. Opens round + 1 with the evidence and files; tells the enterprise and the
 * supervisor. Only `input.evidence` is read.
 */
export async function submitMilestone(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  contractId: number,
  milestoneId: number,
  input: SubmitMilestoneInput,
  files: readonly UploadedFile[] = [],
  now: Date = new Date(),
): Promise<{ round: number }> {
  const { role } = await contractFor(db, actor, contractId)
  if (role !== 'provider') throw new AppError('FORBIDDEN', 'milestones.e.notProvider')
  if (files.length > MILESTONE_LIMITS.filesPerSubmission) throw tooManyFiles()
  const prepared = await Promise.all(files.map((f) => prepareUpload('milestone_evidence', f)))
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const { contract } = await contractFor(trx, actor, contractId)
      if (contract.status !== 'active') throw contractNotActive()
      const m = await loadMilestone(trx, contractId, milestoneId)
      const to = nextMilestoneStatus(m.status, 'submit')
      const round = m.round + 1
      const at = now.toISOString()
      const changed = await trx
        .updateTable('contract_milestones')
        .set({ status: to, round, submitted_at: at, updated_at: at })
        .where('id', '=', m.id)
        .where('status', '=', m.status)
        .where('round', '=', m.round)
        .executeTakeFirst()
      if (Number(changed.numUpdatedRows) !== 1) throw staleSubmission()
      const row = await trx
        .insertInto('milestone_submissions')
        .values({ milestone_id: m.id, round, evidence: input.evidence, submitted_by: actor.userId, submitted_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const file of prepared) {
        await attachFile(trx, storage, actor, {
          purpose: 'milestone_evidence',
          orgId: contract.provider_org_id,
          objectType: MILESTONE_FILE_OBJECT,
          objectId: row.id,
          file,
        })
      }
      await recordContractEvent(trx, {
        contractId,
        kind: 'milestone_submitted',
        milestoneId: m.id,
        actorUserId: actor.userId,
        actorOrgId: contract.provider_org_id,
        objectId: row.id,
        detail: { milestone: m.name, round },
        at,
      })
      await recordAudit(trx, {
        ...auditActor(actor),
        actorOrgId: contract.provider_org_id,
        regionCode: contract.region_code,
        action: 'milestone.submitted',
        objectType: 'contract_milestone',
        objectId: m.id,
        detail: { contractId, milestone: m.name, round, files: prepared.length },
      })
      const link = `/contracts/${contractId}/milestones/${m.id}`
      const params = { contract: contract.title, milestone: m.name }
      await notify(db, trx, afterCommit, { kind: 'milestone_submitted', orgId: contract.enterprise_org_id, params, link })
      if (contract.supervisor_org_id !== null) {
        await notify(db, trx, afterCommit, { kind: 'milestone_submitted', orgId: contract.supervisor_org_id, params, link })
      }
      return { round }
    })
  } catch (error) {
    // Two submissions of one round at once: the loser's insert or update finds it taken.
    if (uniqueViolation(error)) throw staleSubmission()
    throw error
  }
}

export interface ReviewOutcome {
  status: MilestoneRow['status']
  round: number
  /** false: the same decision was already recorded (nothing changed). */
  recorded: boolean
  completed: boolean
}

/** Serialises the decisions on one contract: an update that changes nothing takes the row's lock. */
async function lockContract(trx: Transaction<DB>, contractId: number): Promise<void> {
  await trx
    .updateTable('contracts')
    .set((eb) => ({ revision: eb.ref('revision') }))
    .where('id', '=', contractId)
    .execute()
}

/**
 * 验收 / 驳回 the current round: the enterprise's members for side 'enterprise', the
 * appointed supervisor's for side 'supervisor'. A rejection needs a reason. The same
 * decision again (a double click, ten parallel requests) is a no-op that returns the
 * state; a different decision of a side that already decided is 409.
 */
export async function reviewMilestone(
  db: Database,
  actor: Actor,
  contractId: number,
  milestoneId: number,
  input: ReviewMilestoneInput,
  now: Date = new Date(),
): Promise<ReviewOutcome> {
  const reason = input.decision === 'rejected' ? input.reason.trim() : ''
  if (input.decision === 'rejected' && Array.from(reason).length < MILESTONE_LIMITS.reasonMin) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { reason: 'milestones.v.reason' } })
  }
  const { role } = await contractFor(db, actor, contractId)
  const side = reviewSideOf(role)
  if (side === null) throw new AppError('FORBIDDEN', 'milestones.e.notReviewer')
  try {
    return await withTransaction(db, (trx, afterCommit) =>
      decide(db, trx, afterCommit, actor, contractId, milestoneId, side, { ...input, reason }, now),
    )
  } catch (error) {
    if (!uniqueViolation(error)) throw error
    // Belt and braces (the insert skips a conflict): the side's decision is there now.
    const m = await loadMilestone(db, contractId, milestoneId)
    const existing = await db
      .selectFrom('milestone_reviews')
      .select('decision')
      .where('milestone_id', '=', milestoneId)
      .where('round', '=', input.round)
      .where('side', '=', side)
      .executeTakeFirst()
    if (existing?.decision !== input.decision) throw new AppError('CONFLICT', 'milestones.e.alreadyDecided')
    return { status: m.status, round: m.round, recorded: false, completed: false }
  }
}

async function decide(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  actor: Actor,
  contractId: number,
  milestoneId: number,
  side: ReviewSide,
  input: ReviewMilestoneInput,
  now: Date,
): Promise<ReviewOutcome> {
  await lockContract(trx, contractId)
  const { contract, role } = await contractFor(trx, actor, contractId)
  if (reviewSideOf(role) !== side) throw new AppError('FORBIDDEN', 'milestones.e.notReviewer')
  const hasSupervisor = contract.supervisor_org_id !== null
  if (!requiredReviewSides(hasSupervisor).includes(side)) throw new AppError('FORBIDDEN', 'milestones.e.notReviewer')
  const m = await loadMilestone(trx, contractId, milestoneId)
  const existing = await trx
    .selectFrom('milestone_reviews')
    .select('decision')
    .where('milestone_id', '=', m.id)
    .where('round', '=', input.round)
    .where('side', '=', side)
    .executeTakeFirst()
  if (existing) {
    if (existing.decision === input.decision) return { status: m.status, round: m.round, recorded: false, completed: false }
    throw new AppError('CONFLICT', 'milestones.e.alreadyDecided')
  }
  if (contract.status !== 'active') throw contractNotActive()
  if (input.round !== m.round) throw new AppError('CONFLICT', 'milestones.e.staleRound')
  // Accepting or rejecting must be a move the table allows from here (submitted).
  nextMilestoneStatus(m.status, input.decision === 'accepted' ? 'accept' : 'reject')

  const orgId = side === 'enterprise' ? contract.enterprise_org_id : contract.supervisor_org_id!
  const at = now.toISOString()
  const inserted = await trx
    .insertInto('milestone_reviews')
    .values({
      milestone_id: m.id,
      round: m.round,
      side,
      decision: input.decision,
      reason: input.reason,
      org_id: orgId,
      decided_by: actor.userId,
      decided_at: at,
    })
    .onConflict((oc) => oc.columns(['milestone_id', 'round', 'side']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) {
    const now2 = await trx
      .selectFrom('milestone_reviews')
      .select('decision')
      .where('milestone_id', '=', m.id)
      .where('round', '=', m.round)
      .where('side', '=', side)
      .executeTakeFirst()
    if (now2?.decision !== input.decision) throw new AppError('CONFLICT', 'milestones.e.alreadyDecided')
    return { status: m.status, round: m.round, recorded: false, completed: false }
  }

  const verdict = milestoneVerdict(await decisionsOf(trx, m.id, m.round), hasSupervisor)
  const link = `/contracts/${contractId}/milestones/${m.id}`
  const params = { contract: contract.title, milestone: m.name }
  const who = { ...auditActor(actor), actorOrgId: orgId, regionCode: contract.region_code }
  let status = m.status
  if (verdict !== 'waiting') {
    const changed = await trx
      .updateTable('contract_milestones')
      .set(
        verdict === 'accepted' ? { status: 'accepted', accepted_at: at, updated_at: at } : { status: 'rejected', updated_at: at },
      )
      .where('id', '=', m.id)
      .where('status', '=', 'submitted')
      .where('round', '=', m.round)
      .executeTakeFirst()
    if (Number(changed.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'milestones.e.staleRound')
    status = verdict
  }
  await recordContractEvent(trx, {
    contractId,
    kind: verdict === 'accepted' ? 'milestone_accepted' : verdict === 'rejected' ? 'milestone_rejected' : 'milestone_review',
    milestoneId: m.id,
    actorUserId: actor.userId,
    actorOrgId: orgId,
    objectId: inserted.id,
    detail: {
      milestone: m.name,
      round: m.round,
      side,
      decision: input.decision,
      ...(input.reason ? { reason: input.reason } : {}),
    },
    at,
  })
  await recordAudit(trx, {
    ...who,
    action: input.decision === 'accepted' ? 'milestone.accepted' : 'milestone.rejected',
    objectType: 'contract_milestone',
    objectId: m.id,
    detail: {
      contractId,
      milestone: m.name,
      round: m.round,
      side,
      verdict,
      ...(input.reason ? { reason: input.reason } : {}),
    },
  })
  let completed = false
  if (verdict === 'accepted') {
    await notify(db, trx, afterCommit, { kind: 'milestone_accepted', orgId: contract.provider_org_id, params, link })
    completed = await completeContractIfDone(db, trx, afterCommit, contract, { now, triggeredBy: actor.userId })
  } else if (verdict === 'rejected') {
    // The reason is on the page the notice links to (the notice names the milestone only).
    await notify(db, trx, afterCommit, { kind: 'milestone_rejected', orgId: contract.provider_org_id, params, link })
  }
  return { status, round: m.round, recorded: true, completed }
}
