import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { getReferenceData } from '../reference/reference.server.js'

/*
 * Who reaches a pool round and its applications: the agency that runs it — its owners
 * and reviewers decide (manage:pool:own), its viewers read. Anyone else gets "not
 * found" (another agency's rounds do not exist for them).
 */

type Conn = Kysely<DB> | Transaction<DB>

export async function loadRound(db: Conn, roundId: number) {
  return db.selectFrom('pool_rounds').selectAll().where('id', '=', roundId).executeTakeFirst()
}
export type RoundRow = NonNullable<Awaited<ReturnType<typeof loadRound>>>

/**
 * Reads the agency's pool: an active member of that verified agency (viewers too; a
 * member waiting for confirmation sees the organisation and nothing more).
 */
export function readsPool(actor: Actor, ref: Awaited<ReturnType<typeof getReferenceData>>, agencyOrgId: number): boolean {
  const org = actor.org
  return (
    org?.kind === 'agency' &&
    org.status === 'verified' &&
    org.membership === 'active' &&
    can(actor, ref, 'read:org:own', { orgId: agencyOrgId })
  )
}

/** The round as its agency sees it; `manage`: the actor must decide (owner, reviewer). */
export async function roundOfAgency(db: Conn, actor: Actor, roundId: number, mode: 'read' | 'manage'): Promise<RoundRow> {
  const round = await loadRound(db, roundId)
  const ref = await getReferenceData(db)
  const reads = round && readsPool(actor, ref, round.agency_org_id)
  if (!round || !reads) throw new AppError('NOT_FOUND', 'pool.e.roundNotFound')
  if (mode === 'manage') authorize(actor, ref, 'manage:pool:own', { orgId: round.agency_org_id })
  return round
}

export async function loadApplication(db: Conn, applicationId: number) {
  return db.selectFrom('pool_applications').selectAll().where('id', '=', applicationId).executeTakeFirst()
}
export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof loadApplication>>>

/** An application of one of the agency's rounds, for its owners and reviewers to decide. */
export async function applicationToManage(
  db: Conn,
  actor: Actor,
  applicationId: number,
): Promise<{ application: ApplicationRow; round: RoundRow }> {
  const application = await loadApplication(db, applicationId)
  if (!application) throw new AppError('NOT_FOUND', 'pool.e.applicationNotFound')
  const round = await roundOfAgency(db, actor, application.round_id, 'manage')
  return { application, round }
}

/**
 * Is the expert tied to the provider: employed by it (experts.employer_org_id) or an
 * active member of it? Such an expert never reviews its application.
 */
export async function isTied(db: Conn, expert: { user_id: number; employer_org_id: number | null }, providerOrgId: number) {
  if (expert.employer_org_id === providerOrgId) return true
  const member = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('user_id', '=', expert.user_id)
    .where('org_id', '=', providerOrgId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return member !== undefined
}

/** An organisation's provider kinds (JSON text on SQLite, jsonb on PostgreSQL). */
export function kindsOf(value: unknown): string[] {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : []
  } catch {
    return []
  }
}
