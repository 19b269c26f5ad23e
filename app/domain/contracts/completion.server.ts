import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { transitionNeed } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { markCaseVerified } from '../providers/cases.server.js'
import type { ContractRow } from './access.server.js'
import { recordContractEvent } from './events.server.js'
import { contractTransitionOf } from './lifecycle.js'

/*
 * Completion (issue 14 §4): when the last milestone of an active contract is accepted,
 * the platform completes the contract in the same transaction as that acceptance —
 * status completed, closed_at, the need closed (已完成), the linked case 平台验证, the
 * timeline's 'completed', an audit entry without a person (the system acts; the
 * acceptance that triggered it is audited with its person) and a notice to both
 * parties that they may now rate each other.
 *
 * The caller holds the contract's row lock (reviewMilestone locks it first), so two
 * parallel acceptances of the last two milestones see each other's result and exactly
 * one of them completes the contract; the conditional update on status 'active' is the
 * last guard.
 */

/** The need's status_reason when its contract completes (stored text, as the owner's own reasons are). */
export const COMPLETED_NEED_REASON = '合同已完成'

/** Completes `contract` if every milestone is accepted; true when this call completed it. */
export async function completeContractIfDone(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  contract: Pick<
    ContractRow,
    'id' | 'status' | 'need_id' | 'case_id' | 'title' | 'region_code' | 'enterprise_org_id' | 'provider_org_id'
  >,
  { now = new Date(), triggeredBy = null }: { now?: Date; triggeredBy?: number | null } = {},
): Promise<boolean> {
  if (contractTransitionOf(contract.status, 'complete') === null) return false
  const open = await trx
    .selectFrom('contract_milestones')
    .select('id')
    .where('contract_id', '=', contract.id)
    .where('status', '<>', 'accepted')
    .limit(1)
    .executeTakeFirst()
  if (open) return false
  const count = await trx
    .selectFrom('contract_milestones')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('contract_id', '=', contract.id)
    .executeTakeFirstOrThrow()
  // A contract without milestones is not completed by this path (drafts need 1–20).
  if (Number(count.n) === 0) return false

  const at = now.toISOString()
  const result = await trx
    .updateTable('contracts')
    .set({ status: 'completed', closed_at: at, updated_at: at })
    .where('id', '=', contract.id)
    .where('status', '=', 'active')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false

  const need = await trx.selectFrom('needs').select(['id', 'status']).where('id', '=', contract.need_id).executeTakeFirst()
  // The need is closed (已完成) only from 'contracted', the one status the need life cycle
  // closes from. A need in another status — its owner closed it already, or the contract
  // was imported without moving its need — stays as it is: the contract completes
  // whatever its need says, and the audit detail records that the need was left.
  let needClosed = false
  if (need?.status === 'contracted') {
    await transitionNeed(trx, afterCommit, { kind: 'system' }, need.id, 'close', {
      reason: COMPLETED_NEED_REASON,
      now,
      detail: { contractId: contract.id },
    })
    needClosed = true
  }
  const caseVerified = contract.case_id !== null ? await markCaseVerified(trx, afterCommit, contract.case_id, contract.id) : false

  await recordContractEvent(trx, {
    contractId: contract.id,
    kind: 'completed',
    detail: { title: contract.title },
    at,
  })
  await recordAudit(trx, {
    action: 'contract.completed',
    // No person: the platform completes it (the acceptance before it names the person).
    actorUserId: null,
    actorOrgId: null,
    ip: '',
    regionCode: contract.region_code,
    objectType: 'contract',
    objectId: contract.id,
    detail: {
      needId: contract.need_id,
      needClosed,
      caseId: contract.case_id ?? '',
      caseVerified,
      triggeredBy: triggeredBy ?? '',
    },
  })
  for (const orgId of [contract.enterprise_org_id, contract.provider_org_id]) {
    await notify(db, trx, afterCommit, {
      kind: 'contract_completed',
      orgId,
      params: { contract: contract.title },
      link: `/contracts/${contract.id}/ratings`,
    })
  }
  return true
}
