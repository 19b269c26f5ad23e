import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'

/*
 * The contract's timeline (issue 14 §4: "the contract page is a timeline of
 * everything"). Every slice that changes a contract or something on it appends one
 * event in the same transaction as the change; the contract page reads them in order.
 * `kind` names a catalogue entry `contracts.event.<kind>` (params: `detail`), so the
 * timeline reads in Chinese and English. Kinds in use are listed here so the page and
 * the tests agree on them.
 */

export const CONTRACT_EVENT_KINDS = [
  'drafted',
  'updated',
  'confirmed',
  'activated',
  'supervisor_appointed',
  'case_linked',
  'milestone_submitted',
  'milestone_accepted',
  'milestone_rejected',
  'milestone_review',
  'milestone_late',
  'supervision_logged',
  'dispute_opened',
  'dispute_withdrawn',
  'dispute_resolved',
  'completed',
  'terminated',
  'rated',
  'rating_replied',
] as const
export type ContractEventKind = (typeof CONTRACT_EVENT_KINDS)[number]

export interface ContractEventInput {
  contractId: number
  kind: ContractEventKind
  milestoneId?: number | null
  /** The person and the organisation they acted for; null for the system (the late job …). */
  actorUserId?: number | null
  actorOrgId?: number | null
  /** The object the event is about (a submission, a log, a dispute, a rating …). */
  objectId?: number | null
  /** Catalogue params: plain strings and numbers only. */
  detail?: Record<string, string | number>
  at?: string
}

export async function recordContractEvent(trx: Kysely<DB>, input: ContractEventInput): Promise<void> {
  await trx
    .insertInto('contract_events')
    .values({
      contract_id: input.contractId,
      kind: input.kind,
      milestone_id: input.milestoneId ?? null,
      actor_user_id: input.actorUserId ?? null,
      actor_org_id: input.actorOrgId ?? null,
      object_id: input.objectId ?? null,
      detail: JSON.stringify(input.detail ?? {}),
      created_at: input.at ?? new Date().toISOString(),
    })
    .execute()
}
