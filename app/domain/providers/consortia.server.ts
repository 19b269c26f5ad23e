import { sql, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { memberField, type ConsortiumInput } from './consortium-schema.js'
import type { ConsortiumMemberStatus, ConsortiumStatus } from './enums.js'
import type { ConsortiumDetail, ConsortiumListItem, ConsortiumMemberView, ProviderPick } from './template-views.js'

export type { ConsortiumDetail, ConsortiumListItem, ProviderPick } from './template-views.js'
/** The schemas for loaders and actions: through this .server module, zod stays out of the browser bundle. */
export { ZConsortiumInput, ZConsortiumIntent, ZConsortiumPickQuery } from './consortium-schema.js'

/*
 * Consortia (总承包 + 分包, Zhejiang 2022 §(四)): a verified provider leads (总承包商) and
 * brings in other verified providers as subcontractors (分包商), each with a scope of
 * work and a share; the shares, the lead's included, sum to exactly 100.
 *
 * Who: the owners of the organisations involved ('manage:consortium:own', checked on
 * the organisation each acts for) — the lead's owner forms, changes and dissolves it; a
 * member's owner confirms or declines its own place. Any member of an organisation in
 * it may read it; to anyone else it does not exist (NOT_FOUND).
 *
 * Life cycle: forming → ready once every member has confirmed; a decline, or any change
 * by the lead (name, members, scopes, shares: every member is asked again), sends it
 * back to forming; dissolved is final. Only a ready consortium whose members are all
 * still verified providers may bid (assertConsortiumCanBid, for the bids issue).
 */

/** How many providers the member search offers at once. */
export const PROVIDER_SEARCH_LIMIT = 10

function shareSum(input: ConsortiumInput): number {
  return input.leadShare + input.members.reduce((total, m) => total + m.sharePercent, 0)
}

function assertShares(input: ConsortiumInput): void {
  const sum = shareSum(input)
  if (sum !== 100) {
    throw new AppError('VALIDATION', 'consortium.v.shareSum', {
      params: { sum },
      fieldErrors: { shares: 'consortium.v.shareSumField' },
    })
  }
}

/** Each member a verified provider other than the lead: refused on its row otherwise. */
async function assertMembers(
  db: Database | Transaction<DB>,
  leadOrgId: number,
  input: ConsortiumInput,
  rowOf: (orgId: number) => number,
) {
  const ids = input.members.map((m) => m.orgId)
  const found = new Set(
    (
      await db
        .selectFrom('organisations')
        .select('id')
        .where('id', 'in', ids.length ? ids : [0])
        .where('kind', '=', 'provider')
        .where('status', '=', 'verified')
        .execute()
    ).map((r) => r.id),
  )
  const fieldErrors: Record<string, 'consortium.v.member'> = {}
  for (const id of ids) {
    if (id === leadOrgId || !found.has(id)) fieldErrors[memberField(rowOf(id), 'Org')] = 'consortium.v.member'
  }
  if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
}

/** The row number (1-based) each member came in on, for errors on its fields. */
function rowNumbers(input: ConsortiumInput): (orgId: number) => number {
  const rows = new Map(input.members.map((m, i) => [m.orgId, i + 1]))
  return (orgId) => rows.get(orgId) ?? 1
}

/**
 * Verified providers whose name holds `q`, for the member picker: at most
 * PROVIDER_SEARCH_LIMIT, never the acting organisation or those already picked.
 */
export async function searchProvidersToInvite(
  db: Database,
  actor: Actor,
  q: string,
  exclude: readonly number[],
  locale: Locale = DEFAULT_LOCALE,
): Promise<ProviderPick[]> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:consortium:own', { orgId: actor.org?.orgId ?? 0 })
  const words = q.trim()
  if (!words) return []
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where('id', 'not in', [org.orgId, ...exclude])
    .where(sql<boolean>`name like ${pattern} escape '\\'`)
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .limit(PROVIDER_SEARCH_LIMIT)
    .execute()
  return rows.map((r) => ({ orgId: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }))
}

/** The providers picked so far (ids from the URL): only verified providers other than the acting one. */
export async function pickedProviders(
  db: Database,
  actor: Actor,
  ids: readonly number[],
  locale: Locale = DEFAULT_LOCALE,
): Promise<ProviderPick[]> {
  const ref = await getReferenceData(db)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('id', 'in', [...ids])
    .where('id', '<>', actor.org?.orgId ?? 0)
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    return r ? [{ orgId: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }] : []
  })
}

/** The new-consortium page: who leads (the acting provider); needs 'manage:consortium:own'. */
export async function getConsortiumLead(db: Database, actor: Actor): Promise<{ orgId: number; name: string }> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:consortium:own', { orgId: actor.org?.orgId ?? 0 })
  return { orgId: org.orgId, name: org.orgName }
}

/** Forms a consortium led by the acting provider; its members are invited (they confirm or decline). */
export async function createConsortium(db: Database, actor: Actor, input: ConsortiumInput): Promise<{ consortiumId: number }> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:consortium:own', { orgId: actor.org?.orgId ?? 0 })
  await assertMembers(db, org.orgId, input, rowNumbers(input))
  assertShares(input)
  const now = new Date().toISOString()
  return withTransaction(db, async (trx) => {
    const consortium = await trx
      .insertInto('consortia')
      .values({ lead_org_id: org.orgId, name: input.name, status: 'forming', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('consortium_members')
      .values([
        {
          consortium_id: consortium.id,
          org_id: org.orgId,
          role: 'lead',
          scope: input.leadScope,
          share_percent: input.leadShare,
          status: 'confirmed',
          responded_by: actor.userId,
          responded_at: now,
        },
        ...input.members.map((m) => ({
          consortium_id: consortium.id,
          org_id: m.orgId,
          role: 'member' as const,
          scope: m.scope,
          share_percent: m.sharePercent,
          status: 'invited' as const,
        })),
      ])
      .execute()
    await recordAudit(trx, {
      action: 'consortium.formed',
      ...auditActor(actor),
      objectType: 'consortium',
      objectId: consortium.id,
      detail: {
        name: input.name,
        members: input.members.map((m) => `${m.orgId}:${m.sharePercent}`).join(','),
        leadShare: input.leadShare,
      },
    })
    return { consortiumId: consortium.id }
  })
}

interface MemberRow {
  org_id: number
  org_name: string
  org_status: string
  org_kind: string
  role: 'lead' | 'member'
  scope: string
  share_percent: number
  status: ConsortiumMemberStatus
  responded_at: string | null
}

async function loadMembers(db: Database | Transaction<DB>, consortiumId: number): Promise<MemberRow[]> {
  return await db
    .selectFrom('consortium_members as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select([
      'm.org_id',
      'o.name as org_name',
      'o.status as org_status',
      'o.kind as org_kind',
      'm.role',
      'm.scope',
      'm.share_percent',
      'm.status',
      'm.responded_at',
    ])
    .where('m.consortium_id', '=', consortiumId)
    // The lead first, then the largest shares.
    .orderBy(sql`case when m.role = 'lead' then 0 else 1 end`)
    .orderBy('m.share_percent', 'desc')
    .orderBy('o.name')
    .execute()
}

function memberView(r: MemberRow): ConsortiumMemberView {
  return {
    orgId: r.org_id,
    orgName: r.org_name,
    role: r.role,
    scope: r.scope,
    sharePercent: r.share_percent,
    status: r.status,
    respondedAt: r.responded_at === null ? null : String(r.responded_at),
    verified: r.org_status === 'verified' && r.org_kind === 'provider',
  }
}

/** The consortia the acting provider leads or belongs to: pending invitations first. */
export async function listConsortia(db: Database, actor: Actor): Promise<{ items: ConsortiumListItem[]; canCreate: boolean }> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'read:org:own', { orgId: actor.org?.orgId ?? 0 })
  if (org.kind !== 'provider')
    throw new AppError('FORBIDDEN', 'consortium.e.providersOnly', { detail: { permission: 'read:org:own' } })
  const rows = await db
    .selectFrom('consortium_members as me')
    .innerJoin('consortia as c', 'c.id', 'me.consortium_id')
    .innerJoin('organisations as lead', 'lead.id', 'c.lead_org_id')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.status',
      'c.updated_at',
      'lead.name as lead_name',
      'me.role',
      'me.status as my_status',
      eb
        .selectFrom('consortium_members as cm_all')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('cm_all.consortium_id', '=', 'c.id')
        .as('member_count'),
      eb
        .selectFrom('consortium_members as ok')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ok.consortium_id', '=', 'c.id')
        .where('ok.status', '=', 'confirmed')
        .as('confirmed_count'),
    ])
    .where('me.org_id', '=', org.orgId)
    .orderBy(
      sql`case when me.status = 'invited' and c.status <> 'dissolved' then 0 when c.status = 'dissolved' then 2 else 1 end`,
    )
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(200)
    .execute()
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      leadOrgName: r.lead_name,
      role: r.role,
      myStatus: r.my_status,
      memberCount: Number(r.member_count ?? 0),
      confirmedCount: Number(r.confirmed_count ?? 0),
      updatedAt: String(r.updated_at),
    })),
    canCreate: can(actor, ref, 'manage:consortium:own', { orgId: org.orgId }),
  }
}

async function loadConsortium(db: Database | Transaction<DB>, id: number) {
  return db
    .selectFrom('consortia as c')
    .innerJoin('organisations as o', 'o.id', 'c.lead_org_id')
    .select(['c.id', 'c.name', 'c.status', 'c.lead_org_id', 'c.created_at', 'c.updated_at', 'o.name as lead_name'])
    .where('c.id', '=', id)
    .executeTakeFirst()
}

/** A consortium's page, for a member of one of its organisations; NOT_FOUND for anyone else. */
export async function getConsortium(db: Database, actor: Actor, id: number): Promise<ConsortiumDetail> {
  const ref = await getReferenceData(db)
  const c = await loadConsortium(db, id)
  const orgId = actor.org?.orgId
  const members = c ? await loadMembers(db, id) : []
  const mine = members.find((m) => m.org_id === orgId)
  if (!c || !mine || orgId === undefined || !can(actor, ref, 'read:org:own', { orgId })) {
    throw new AppError('NOT_FOUND', 'consortium.e.notFound')
  }
  const open = c.status !== 'dissolved'
  const owner = can(actor, ref, 'manage:consortium:own', { orgId })
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    leadOrgId: c.lead_org_id,
    leadOrgName: c.lead_name,
    members: members.map(memberView),
    createdAt: String(c.created_at),
    updatedAt: String(c.updated_at),
    mine: memberView(mine),
    canManage: open && owner && mine.role === 'lead',
    canRespond: open && owner && mine.role === 'member',
  }
}

/**
 * The consortium, locked for this transaction (a no-op update: the row on PostgreSQL,
 * the database on SQLite), with the acting organisation's place in it; NOT_FOUND when it
 * has none.
 */
async function lockForMember(trx: Transaction<DB>, actor: Actor, id: number) {
  const locked = await trx
    .updateTable('consortia')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', id)
    .returning(['id', 'name', 'status', 'lead_org_id', 'updated_at'])
    .executeTakeFirst()
  const mine = locked
    ? await trx
        .selectFrom('consortium_members')
        .select(['role', 'status'])
        .where('consortium_id', '=', id)
        .where('org_id', '=', actor.org?.orgId ?? 0)
        .executeTakeFirst()
    : undefined
  if (!locked || !mine) throw new AppError('NOT_FOUND', 'consortium.e.notFound')
  return { consortium: locked, mine }
}

/** ready when every member has confirmed, forming otherwise (never touches a dissolved one). */
async function settleStatus(trx: Transaction<DB>, id: number): Promise<ConsortiumStatus> {
  const pending = await trx
    .selectFrom('consortium_members')
    .select('org_id')
    .where('consortium_id', '=', id)
    .where('status', '<>', 'confirmed')
    .executeTakeFirst()
  const status: ConsortiumStatus = pending ? 'forming' : 'ready'
  await trx.updateTable('consortia').set({ status }).where('id', '=', id).where('status', '<>', 'dissolved').execute()
  return status
}

/**
 * A member's owner answers the invitation: confirm (the consortium becomes ready once
 * every member has) or decline (back to forming). Either may be changed later while it
 * is not dissolved. `seen` is the consortium's updated_at the member was shown: terms
 * changed since are not confirmed blind (CONFLICT).
 */
export async function respondToConsortium(
  db: Database,
  actor: Actor,
  id: number,
  decision: 'confirm' | 'decline',
  seen: string,
): Promise<{ status: ConsortiumStatus }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx) => {
    const { consortium, mine } = await lockForMember(trx, actor, id)
    if (mine.role === 'lead') throw new AppError('INVALID_STATE', 'consortium.e.leadResponds')
    authorize(actor, ref, 'manage:consortium:own', { orgId: actor.org?.orgId ?? 0 })
    if (consortium.status === 'dissolved') throw new AppError('INVALID_STATE', 'consortium.e.dissolved')
    if (seen && seen !== String(consortium.updated_at)) throw new AppError('CONFLICT', 'consortium.e.changed')
    const now = new Date().toISOString()
    await trx
      .updateTable('consortium_members')
      .set({ status: decision === 'confirm' ? 'confirmed' : 'declined', responded_by: actor.userId, responded_at: now })
      .where('consortium_id', '=', id)
      .where('org_id', '=', actor.org!.orgId)
      .execute()
    const status = await settleStatus(trx, id)
    await recordAudit(trx, {
      action: decision === 'confirm' ? 'consortium.confirmed' : 'consortium.declined',
      ...auditActor(actor),
      objectType: 'consortium',
      objectId: id,
      detail: { name: consortium.name, status },
    })
    return { status }
  })
}

/**
 * The lead's owner changes the consortium: its name, the lead's scope and share, the
 * members (kept, removed, added) with theirs. Any change asks every member again
 * (invited, back to forming); saving the same again changes nothing.
 */
export async function updateConsortium(
  db: Database,
  actor: Actor,
  id: number,
  input: ConsortiumInput,
): Promise<{ changed: boolean }> {
  const ref = await getReferenceData(db)
  const rowOf = rowNumbers(input)
  return withTransaction(db, async (trx) => {
    const { consortium, mine } = await lockForMember(trx, actor, id)
    if (mine.role !== 'lead')
      throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'manage:consortium:own' } })
    const lead = authorize(actor, ref, 'manage:consortium:own', { orgId: consortium.lead_org_id })
    if (consortium.status === 'dissolved') throw new AppError('INVALID_STATE', 'consortium.e.dissolved')
    const before = await loadMembers(trx, id)
    // Members already in it stay even if no longer verified (the lead may keep them, they cannot bid).
    const kept = new Set(before.map((m) => m.org_id))
    await assertMembers(trx, lead.orgId, { ...input, members: input.members.filter((m) => !kept.has(m.orgId)) }, rowOf)
    assertShares(input)
    const leadBefore = before.find((m) => m.role === 'lead')
    const othersBefore = before.filter((m) => m.role === 'member')
    const same =
      consortium.name === input.name &&
      leadBefore?.scope === input.leadScope &&
      leadBefore.share_percent === input.leadShare &&
      othersBefore.length === input.members.length &&
      input.members.every((m) => {
        const b = othersBefore.find((o) => o.org_id === m.orgId)
        return b !== undefined && b.scope === m.scope && b.share_percent === m.sharePercent
      })
    if (same) return { changed: false }
    const now = new Date().toISOString()
    const wanted = new Set(input.members.map((m) => m.orgId))
    const removed = othersBefore.filter((m) => !wanted.has(m.org_id)).map((m) => m.org_id)
    if (removed.length > 0) {
      await trx.deleteFrom('consortium_members').where('consortium_id', '=', id).where('org_id', 'in', removed).execute()
    }
    await trx
      .updateTable('consortium_members')
      .set({ scope: input.leadScope, share_percent: input.leadShare })
      .where('consortium_id', '=', id)
      .where('role', '=', 'lead')
      .execute()
    for (const m of input.members) {
      if (kept.has(m.orgId)) {
        await trx
          .updateTable('consortium_members')
          .set({ scope: m.scope, share_percent: m.sharePercent, status: 'invited', responded_by: null, responded_at: null })
          .where('consortium_id', '=', id)
          .where('org_id', '=', m.orgId)
          .execute()
      } else {
        await trx
          .insertInto('consortium_members')
          .values({
            consortium_id: id,
            org_id: m.orgId,
            role: 'member',
            scope: m.scope,
            share_percent: m.sharePercent,
            status: 'invited',
          })
          .execute()
      }
    }
    await trx
      .updateTable('consortia')
      .set({ name: input.name, status: 'forming', updated_at: now })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      action: 'consortium.updated',
      ...auditActor(actor),
      objectType: 'consortium',
      objectId: id,
      detail: {
        name: input.name,
        members: input.members.map((m) => `${m.orgId}:${m.sharePercent}`).join(','),
        leadShare: input.leadShare,
        removed: removed.join(','),
      },
    })
    return { changed: true }
  })
}

/** The lead's owner dissolves the consortium: final; it can no longer bid. */
export async function dissolveConsortium(db: Database, actor: Actor, id: number): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const { consortium, mine } = await lockForMember(trx, actor, id)
    if (mine.role !== 'lead')
      throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'manage:consortium:own' } })
    authorize(actor, ref, 'manage:consortium:own', { orgId: consortium.lead_org_id })
    if (consortium.status === 'dissolved') return
    await trx
      .updateTable('consortia')
      .set({ status: 'dissolved', updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      action: 'consortium.dissolved',
      ...auditActor(actor),
      objectType: 'consortium',
      objectId: id,
      detail: { name: consortium.name },
    })
  })
}

export interface BiddingConsortium {
  id: number
  name: string
  members: { orgId: number; role: 'lead' | 'member'; scope: string; sharePercent: number }[]
}

/**
 * For the bids issue: may `leadOrgId` bid as this consortium? It must exist (NOT_FOUND),
 * be led by `leadOrgId` (FORBIDDEN), be ready (INVALID_STATE consortium.e.notReady), and
 * every member must still be a verified provider that has confirmed (INVALID_STATE
 * consortium.e.memberNotVerified, naming the first that is not). Returns the consortium
 * with its members and shares, for the bid to record. Works in a transaction too.
 */
export async function assertConsortiumCanBid(
  db: Database | Transaction<DB>,
  consortiumId: number,
  leadOrgId: number,
): Promise<BiddingConsortium> {
  const c = await loadConsortium(db, consortiumId)
  if (!c) throw new AppError('NOT_FOUND', 'consortium.e.notFound')
  if (c.lead_org_id !== leadOrgId) {
    throw new AppError('FORBIDDEN', 'consortium.e.notLead', { detail: { permission: 'manage:consortium:own' } })
  }
  if (c.status !== 'ready') throw new AppError('INVALID_STATE', 'consortium.e.notReady')
  const members = await loadMembers(db, consortiumId)
  const unfit = members.find((m) => m.org_status !== 'verified' || m.org_kind !== 'provider' || m.status !== 'confirmed')
  if (unfit) throw new AppError('INVALID_STATE', 'consortium.e.memberNotVerified', { params: { name: unfit.org_name } })
  return {
    id: c.id,
    name: c.name,
    members: members.map((m) => ({ orgId: m.org_id, role: m.role, scope: m.scope, sharePercent: m.share_percent })),
  }
}
