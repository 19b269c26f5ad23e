import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { FollowupOutcome } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { eventToManage } from './access.server.js'
import { FOLLOWUP_AFTER_DAYS } from './limits.js'
import type { FollowupView } from './views.js'

/*
 * 服务跟进 (issue 15 §1): each letter of intent gets follow-ups at 30, 90 and 180 days
 * after signing, written with it. The organiser records each once — contracted,
 * still negotiating, dropped — with a note; the platform proposes the contract of
 * that need and provider when one exists (the newest), and the follow-up keeps its id
 * and its status at that time. Open while intents and follow-ups are (after closing too).
 */

type Db = Kysely<DB> | Transaction<DB>

/** The three follow-ups of an intent signed on `signedOn`. */
export async function writeFollowups(trx: Transaction<DB>, intentId: number, signedOn: string): Promise<void> {
  await trx
    .insertInto('event_followups')
    .values(FOLLOWUP_AFTER_DAYS.map((days) => ({ intent_id: intentId, after_days: days, due_on: addDays(signedOn, days) })))
    .execute()
}

/** The newest contract of this need with this provider on the platform, if any. */
export async function contractOf(db: Db, needId: number, providerOrgId: number): Promise<{ id: number; status: string } | null> {
  const row = await db
    .selectFrom('contracts')
    .select(['id', 'status'])
    .where('need_id', '=', needId)
    .where('provider_org_id', '=', providerOrgId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row ? { id: row.id, status: row.status } : null
}

/** Follow-ups of these intents, by intent. */
export async function followupsOf(db: Db, intentIds: number[], today: string): Promise<Map<number, FollowupView[]>> {
  const out = new Map<number, FollowupView[]>()
  if (intentIds.length === 0) return out
  const rows = await db
    .selectFrom('event_followups')
    .selectAll()
    .where('intent_id', 'in', intentIds)
    .orderBy('intent_id')
    .orderBy('after_days')
    .execute()
  for (const r of rows) {
    const dueOn = String(r.due_on).slice(0, 10)
    const list = out.get(r.intent_id) ?? []
    list.push({
      id: r.id,
      afterDays: r.after_days,
      dueOn,
      overdue: r.recorded_at === null && dueOn <= today,
      outcome: r.outcome,
      note: r.note,
      recordedAt: r.recorded_at === null ? null : String(r.recorded_at),
      contract: r.contract_id === null ? null : { id: r.contract_id, status: r.contract_status },
    })
    out.set(r.intent_id, list)
  }
  return out
}

/** Record a follow-up once: outcome and note; the contract of the intent's need and provider is attached when there is one. */
export async function recordFollowup(
  db: Database,
  actor: Actor,
  eventId: number,
  input: { followupId: number; outcome: FollowupOutcome; note: string },
  now: Date = new Date(),
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'followUps')
    const row = await trx
      .selectFrom('event_followups as f')
      .innerJoin('event_intents as i', 'i.id', 'f.intent_id')
      .select(['f.id', 'f.recorded_at', 'f.after_days', 'i.id as intent_id', 'i.need_id', 'i.provider_org_id', 'i.withdrawn_at'])
      .where('f.id', '=', input.followupId)
      .where('i.event_id', '=', eventId)
      .executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'events.e.followupNotFound')
    if (row.withdrawn_at !== null) throw new AppError('CONFLICT', 'events.e.intentWithdrawn')
    if (row.recorded_at !== null) throw new AppError('CONFLICT', 'events.e.followupRecorded')
    const contract = await contractOf(trx, row.need_id, row.provider_org_id)
    const updated = await trx
      .updateTable('event_followups')
      .set({
        outcome: input.outcome,
        note: input.note,
        contract_id: contract?.id ?? null,
        contract_status: contract?.status ?? '',
        recorded_by: actor.userId,
        recorded_at: now.toISOString(),
      })
      .where('id', '=', row.id)
      .where('recorded_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'events.e.followupRecorded')
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.followup_recorded',
      objectType: 'event',
      objectId: eventId,
      detail: { intentId: row.intent_id, afterDays: row.after_days, outcome: input.outcome, contractId: contract?.id ?? null },
    })
  })
}

export const todayInChina = (now: Date = new Date()) => chinaDate(now)
