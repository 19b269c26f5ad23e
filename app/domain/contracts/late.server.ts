import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { recordContractEvent } from './events.server.js'

/*
 * Late milestones (逾期, issue 14 §4): a milestone of an active contract whose due date
 * (a China date) has passed while it is not accepted is flagged once (late_flagged_at),
 * with a timeline event, an audit entry without a person and a notice to both parties.
 * Late is a flag, not a status: the milestone is still submitted / accepted as before,
 * and "on time" for matching is accepted_at's China date ≤ due_date.
 *
 * Run on a schedule (the `milestone-late` job in app/web/jobs.server.ts, hourly) or by
 * hand (`npm run contracts:late`), never on page views. Bounded: batches of 500 in id
 * order over the partial index contract_milestones_due_idx (status, due_date) where
 * late_flagged_at is null — a flagged milestone leaves the index — each batch its own
 * short transaction, at most `maxBatches` per run.
 */

export const LATE_BATCH = 500
const OPEN_STATUSES = ['pending', 'submitted', 'rejected'] as const

export interface LateResult {
  flagged: number
  batches: number
}

export async function flagLateMilestones(
  db: Database,
  now: Date = new Date(),
  { batchSize = LATE_BATCH, maxBatches = 20 }: { batchSize?: number; maxBatches?: number } = {},
): Promise<LateResult> {
  const today = chinaDate(now)
  const at = now.toISOString()
  let flagged = 0
  let batches = 0
  let afterId = 0
  while (batches < maxBatches) {
    const rows = await db
      .selectFrom('contract_milestones as m')
      .innerJoin('contracts as c', 'c.id', 'm.contract_id')
      .select(['m.id'])
      .where('m.status', 'in', OPEN_STATUSES)
      .where('m.due_date', '<', today)
      .where('m.late_flagged_at', 'is', null)
      .where('c.status', '=', 'active')
      .where('m.id', '>', afterId)
      .orderBy('m.id')
      .limit(batchSize)
      .execute()
    if (rows.length === 0) break
    batches += 1
    afterId = rows[rows.length - 1]!.id
    flagged += await withTransaction(db, async (trx, afterCommit) => {
      let n = 0
      for (const { id } of rows) {
        // Flag it only if still open and unflagged (accepted meanwhile, or another run took it: skip).
        const changed = await trx
          .updateTable('contract_milestones')
          .set({ late_flagged_at: at })
          .where('id', '=', id)
          .where('late_flagged_at', 'is', null)
          .where('status', 'in', OPEN_STATUSES)
          .executeTakeFirst()
        if (Number(changed.numUpdatedRows) !== 1) continue
        const m = await trx
          .selectFrom('contract_milestones as m')
          .innerJoin('contracts as c', 'c.id', 'm.contract_id')
          .select([
            'm.id',
            'm.name',
            'm.due_date',
            'm.contract_id',
            'c.title',
            'c.region_code',
            'c.enterprise_org_id',
            'c.provider_org_id',
          ])
          .where('m.id', '=', id)
          .executeTakeFirstOrThrow()
        const due = String(m.due_date).slice(0, 10)
        await recordContractEvent(trx, {
          contractId: m.contract_id,
          kind: 'milestone_late',
          milestoneId: m.id,
          detail: { milestone: m.name, due },
          at,
        })
        await recordAudit(trx, {
          action: 'milestone.late',
          // No person: the platform flags it.
          actorUserId: null,
          actorOrgId: null,
          ip: '',
          regionCode: m.region_code,
          objectType: 'contract_milestone',
          objectId: m.id,
          detail: { contractId: m.contract_id, milestone: m.name, due, today },
        })
        const link = `/contracts/${m.contract_id}/milestones/${m.id}`
        const params = { contract: m.title, milestone: m.name, due }
        for (const orgId of [m.enterprise_org_id, m.provider_org_id]) {
          await notify(db, trx, afterCommit, { kind: 'milestone_late', orgId, params, link })
        }
        n += 1
      }
      return n
    })
    if (rows.length < batchSize) break
  }
  return { flagged, batches }
}
