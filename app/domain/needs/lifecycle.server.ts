import type { Kysely } from 'kysely'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit, type AuditDetailValue } from '../audit/audit-log.server.js'
import type { ReferenceData } from '../reference/reference.server.js'
import type { NeedStatus } from './enums.js'
import {
  actorMayTake,
  DEADLINE_REQUIRED,
  NEED_ACTION_AUDIT,
  nextNeedStatus,
  REASON_REQUIRED,
  type NeedAction,
} from './lifecycle.js'
import { NEED_LIMITS } from './need-form-schema.js'
import { enqueueNeedChange } from './search-index.server.js'

/*
 * Applying the life-cycle table (lifecycle.ts) to a stored need: the one place a need's
 * status changes. Every change checks who acts (the owner enterprise or the platform),
 * asks the table, writes the status with the row's revision and the status it was read
 * in (a concurrent change loses with 409), records the audit event (object 'need') and
 * enqueues the need for the search index, so a published need is found at once and a
 * withdrawn or expired one is gone at once.
 *
 * Issue 14 calls `transitionNeed` for shortlist / award / contract inside its own
 * transaction.
 */

/** Who changes a need's status: an owner (checked against 'publish:need:own' on the need) or the platform. */
export type NeedActor =
  | { kind: 'owner'; actor: Actor; ref: ReferenceData }
  /** The expiry job, issue 14's event flow. `actor` names the person behind it, when one is (an agency's user). */
  | { kind: 'system'; actor?: Actor | null }

/** The stored need as the life cycle and the owner's gate read it. */
export interface NeedRecord {
  id: number
  org_id: number
  title: string
  status: NeedStatus
  deadline: string | null
  published_at: string | null
  revision: number
  org_status: string
  org_region: string
}

export async function loadNeedRecord(db: Kysely<DB>, needId: number): Promise<NeedRecord | undefined> {
  const row = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      'n.id',
      'n.org_id',
      'n.title',
      'n.status',
      'n.deadline',
      'n.published_at',
      'n.revision',
      'o.status as org_status',
      'o.region_code as org_region',
    ])
    .where('n.id', '=', needId)
    .executeTakeFirst()
  if (!row) return undefined
  return { ...row, deadline: row.deadline === null ? null : String(row.deadline).slice(0, 10) }
}

/**
 * The owner's gate of every write to a need: the need (NOT_FOUND when there is none or
 * it belongs to another organisation, so nobody learns of another's drafts), and the
 * actor allowed 'publish:need:own' on it (an active member of the verified enterprise).
 */
export async function ownNeedForWrite(db: Kysely<DB>, actor: Actor, ref: ReferenceData, needId: number): Promise<NeedRecord> {
  const need = await loadNeedRecord(db, needId)
  if (!need || actor.org?.orgId !== need.org_id) throw new AppError('NOT_FOUND', 'errors.notFound')
  authorize(actor, ref, 'publish:need:own', { orgId: need.org_id })
  // The session's view of the organisation is the permission's input; the row is the last word.
  if (need.org_status !== 'verified') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'publish:need:own' } })
  }
  return need
}

/** Today in China (the zone deadlines are set in), YYYY-MM-DD. */
export function chinaDate(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** A date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * The deadline (投标截止) check of publishing: today or later (China), at most
 * NEED_LIMITS.deadlineMaxDays ahead. The field error under `deadline`.
 */
export function deadlineProblem(
  deadline: string | null,
  now: Date = new Date(),
): 'needs.v.deadlineRequired' | 'needs.v.deadlinePast' | 'needs.v.deadlineFar' | null {
  if (!deadline) return 'needs.v.deadlineRequired'
  const today = chinaDate(now)
  if (deadline < today) return 'needs.v.deadlinePast'
  if (deadline > addDays(today, NEED_LIMITS.deadlineMaxDays)) return 'needs.v.deadlineFar'
  return null
}

export interface TransitionOptions {
  /** withdraw (required), close (optional): kept in needs.status_reason. */
  reason?: string
  /** publish (else the stored one), republish (required): the new 投标截止. */
  deadline?: string | null
  now?: Date
  /** Check everything (who, the table, reason, deadline) and change nothing: a confirm step asks first. */
  dryRun?: boolean
  /** Facts of the caller's own to add to the audit detail (issue 14: the event, the bid). */
  detail?: Record<string, AuditDetailValue>
}

export interface TransitionResult {
  id: number
  from: NeedStatus
  to: NeedStatus
}

function stale(): AppError {
  return new AppError('CONFLICT', 'needs.e.stale')
}

/**
 * Changes need `needId`'s status by `action` (not `edit`: authoring.server.ts edits),
 * inside the caller's transaction. Refuses: an unknown need or one of another
 * organisation (NOT_FOUND), an actor of the wrong kind or without the permission
 * (FORBIDDEN), a transition the table does not list (CONFLICT needs.e.transition
 * { from, action }), a missing reason or a deadline out of range (VALIDATION), a need
 * changed meanwhile (CONFLICT needs.e.stale).
 */
export async function transitionNeed(
  trx: Kysely<DB>,
  afterCommit: AfterCommit,
  by: NeedActor,
  needId: number,
  action: Exclude<NeedAction, 'edit'>,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  const now = options.now ?? new Date()
  if (!actorMayTake(by.kind, action)) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: `need:${action}:${by.kind}` } })
  }
  const need = by.kind === 'owner' ? await ownNeedForWrite(trx, by.actor, by.ref, needId) : await loadNeedRecord(trx, needId)
  if (!need) throw new AppError('NOT_FOUND', 'errors.notFound')
  const to = nextNeedStatus(need.status, action)

  const reason = (options.reason ?? '').trim().slice(0, NEED_LIMITS.reasonMax)
  if (REASON_REQUIRED.has(action) && reason.length < 2) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { reason: 'needs.v.reason' } })
  }
  let deadline = need.deadline
  if (DEADLINE_REQUIRED.has(action)) {
    deadline = action === 'republish' ? (options.deadline ?? null) : (options.deadline ?? need.deadline)
    const problem = deadlineProblem(deadline, now)
    if (problem) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { deadline: problem } })
  }

  if (options.dryRun) return { id: need.id, from: need.status, to }

  const at = now.toISOString()
  const publishing = action === 'publish' || action === 'republish'
  const result = await trx
    .updateTable('needs')
    .set({
      status: to,
      revision: need.revision + 1,
      updated_at: at,
      status_reason: reason,
      deadline,
      // Published (again): it is new in the hall from now.
      ...(publishing ? { published_at: at } : {}),
    })
    .where('id', '=', need.id)
    .where('status', '=', need.status)
    .where('revision', '=', need.revision)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw stale()

  const who =
    by.kind === 'owner'
      ? { ...auditActor(by.actor), actorOrgId: need.org_id }
      : by.actor
        ? auditActor(by.actor)
        : { actorUserId: null, actorOrgId: null, ip: '' }
  await recordAudit(trx, {
    action: NEED_ACTION_AUDIT[action],
    ...who,
    objectType: 'need',
    objectId: need.id,
    regionCode: need.org_region,
    detail: {
      from: need.status,
      to,
      by: by.kind,
      ...(reason ? { reason } : {}),
      ...(DEADLINE_REQUIRED.has(action) ? { deadline } : {}),
      ...options.detail,
    },
  })
  await enqueueNeedChange(trx, afterCommit, need.id)
  return { id: need.id, from: need.status, to }
}
