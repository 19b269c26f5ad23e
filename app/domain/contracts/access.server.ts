import type { Kysely, Selectable } from 'kysely'
import type { ContractsTable, DB } from '../../../db/types.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { AppError } from '../../utils/errors.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'

/*
 * Who reads a contract (issue 14 §3): its two parties (the enterprise that owns the
 * need, the provider — a consortium's lead — that won it), the 监理机构 an agency
 * appointed, and the agencies over the need's region. Nobody else learns it exists
 * (404). Shared by every contract slice (contracts, milestones, supervision, disputes,
 * ratings) and by the read rule of their files, so it imports nothing of those.
 *
 * The role decides what a person may do; permissions with a role (confirm, appoint,
 * resolve) are checked again by the use case that needs them.
 */

export type ContractRow = Selectable<ContractsTable>
export type ContractRole = 'enterprise' | 'provider' | 'supervisor' | 'agency'

type ContractParties = Pick<ContractRow, 'enterprise_org_id' | 'provider_org_id' | 'supervisor_org_id' | 'region_code'>

export function contractRole(actor: Actor | null, ref: ReferenceData, contract: ContractParties): ContractRole | null {
  if (can(actor, ref, 'read:contract:own', { orgId: contract.enterprise_org_id })) return 'enterprise'
  if (can(actor, ref, 'read:contract:own', { orgId: contract.provider_org_id })) return 'provider'
  if (contract.supervisor_org_id !== null && can(actor, ref, 'supervise:contract:own', { orgId: contract.supervisor_org_id })) {
    return 'supervisor'
  }
  if (can(actor, ref, 'read:contract:jurisdiction', { regionCode: contract.region_code })) return 'agency'
  return null
}

/** The org a party acts for on this contract (its own side). */
export function partyOrgId(
  contract: Pick<ContractRow, 'enterprise_org_id' | 'provider_org_id'>,
  side: 'enterprise' | 'provider',
): number {
  return side === 'enterprise' ? contract.enterprise_org_id : contract.provider_org_id
}

/**
 * The contract and the actor's role on it; NOT_FOUND 'contracts.e.notFound' when it
 * does not exist or the actor may not read it (the same answer). Pass a transaction to
 * read inside one.
 */
export async function contractFor(
  db: Kysely<DB>,
  actor: Actor,
  contractId: number,
  ref?: ReferenceData,
): Promise<{ contract: ContractRow; role: ContractRole }> {
  const contract = await db.selectFrom('contracts').selectAll().where('id', '=', contractId).executeTakeFirst()
  const role = contract ? contractRole(actor, ref ?? (await getReferenceData(db)), contract) : null
  if (!contract || !role) throw new AppError('NOT_FOUND', 'contracts.e.notFound')
  return { contract, role }
}

/** The read rule of a contract's files (milestone evidence, supervision photos, dispute evidence). */
export async function mayReadContract(db: Kysely<DB>, actor: Actor | null, contractId: number): Promise<boolean> {
  if (!actor?.org) return false
  const contract = await db
    .selectFrom('contracts')
    .select(['enterprise_org_id', 'provider_org_id', 'supervisor_org_id', 'region_code'])
    .where('id', '=', contractId)
    .executeTakeFirst()
  if (!contract) return false
  return contractRole(actor, await getReferenceData(db), contract) !== null
}
