import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { SearchEngine } from '../../../search/engine.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { auditActor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { PUBLIC_NEED_STATUSES } from '../needs/enums.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { loadNeedForMatching, loadProvidersForMatching } from './data.server.js'
import type { InvitationRow, InvitationsPage } from './match-views.js'
import {
  INVITES_PER_NEED,
  INVITES_PER_REQUEST,
  isOpenForPairing,
  needForMatchesReader,
  type NeedAccessRow,
} from './need-matches.server.js'
import { exclusionReason } from './rank.js'
import type { NeedForMatching } from './types.js'

/*
 * Pairing actions on a need (issue 13 §5): the enterprise invites providers from its
 * match list to bid (邀请投标, kind 'invite'), an agency of the need's region recommends
 * a provider to it with a note (推荐对接, kind 'recommend'). One row per (need,
 * provider, kind): asking again is answered as done, a double submit included. Each
 * new one is audited (region: the need's, so its agencies see it) and announced to the
 * provider's active members (app/domain/notifications: an in-app notice, and e-mail or
 * SMS as each person chose, e-mail by default); the provider reads them on
 * /provider/invitations (unread until opened there).
 */

export const NOTE_MAX = 500
export const INVITATIONS_PAGE_SIZE = 20
/** Where a provider reads what it received (the notices link there). */
const INBOX_PATH = '/provider/invitations'

export interface PairingOutcome {
  /** Providers newly paired by this request. */
  added: number[]
  /** Providers that were already paired with the need (same kind): nothing done for them. */
  already: number[]
}

/** The need for a pairing action: it exists for the actor (else 404) and is open for bids (else 409). */
function openNeed(db: Database, actor: Actor, needId: number) {
  return needForMatchesReader(db, actor, needId)
}

function assertOpen(need: NeedAccessRow): void {
  if (!isOpenForPairing(need.status)) throw new AppError('INVALID_STATE', 'matching.e.needNotOpen')
}

/**
 * The ids among `providerIds` that may be paired with the need: verified providers of a
 * delivering kind that serve its industry or a scenario and are not excluded — the
 * ranking's hard filters (rank.ts exclusionReason), applied to them alone.
 */
async function eligibleProviders(
  db: Database,
  need: NeedForMatching,
  providerIds: readonly number[],
): Promise<Map<number, string>> {
  const providers = await loadProvidersForMatching(db, new Map(providerIds.map((id) => [id, 0])))
  return new Map(providers.filter((p) => exclusionReason(need, p) === null).map((p) => [p.orgId, p.name]))
}

/** Inserts the pairing unless it exists (a race loses quietly): true when this call added it. */
async function insertPairing(
  trx: Transaction<DB>,
  values: { needId: number; providerOrgId: number; kind: 'invite' | 'recommend'; note: string; actor: Actor; byOrgId: number },
): Promise<boolean> {
  const row = await trx
    .insertInto('need_invitations')
    .values({
      need_id: values.needId,
      provider_org_id: values.providerOrgId,
      kind: values.kind,
      note: values.note,
      by_org_id: values.byOrgId,
      by_user_id: values.actor.userId,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['need_id', 'provider_org_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * 邀请投标: the need's enterprise invites providers (1–10 per request, 30 per need) to
 * bid on its published need. Each must pass the hard filters for the need. Providers
 * already invited are counted as done.
 */
export async function inviteProviders(
  db: Database,
  _search: SearchEngine,
  actor: Actor,
  needId: number,
  providerOrgIds: readonly number[],
): Promise<PairingOutcome> {
  const { need: row } = await openNeed(db, actor, needId)
  const acting = authorize(actor, await getReferenceData(db), 'invite:provider:own', { orgId: row.org_id })
  assertOpen(row)
  const wanted = [...new Set(providerOrgIds)]
  if (wanted.length === 0) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { providers: 'matching.v.pickProviders' } })
  }
  if (wanted.length > INVITES_PER_REQUEST) {
    throw new AppError('VALIDATION', 'errors.validationOne', {
      fieldErrors: { providers: 'matching.v.tooManyAtOnce' },
      params: { max: INVITES_PER_REQUEST },
    })
  }
  const existing = await db
    .selectFrom('need_invitations')
    .select('provider_org_id')
    .where('need_id', '=', needId)
    .where('kind', '=', 'invite')
    .execute()
  const invitedAlready = new Set(existing.map((e) => e.provider_org_id))
  const fresh = wanted.filter((id) => !invitedAlready.has(id))
  const already = wanted.filter((id) => invitedAlready.has(id))
  if (fresh.length === 0) return { added: [], already }
  if (invitedAlready.size + fresh.length > INVITES_PER_NEED) {
    throw new AppError('CONFLICT', 'matching.e.inviteLimit', {
      params: { max: INVITES_PER_NEED, left: Math.max(0, INVITES_PER_NEED - invitedAlready.size) },
      fieldErrors: { providers: 'matching.e.inviteLimitField' },
    })
  }
  const need = await loadNeedForMatching(db, needId)
  if (!need) throw new AppError('NOT_FOUND', 'errors.notFound')
  const eligible = await eligibleProviders(db, need, fresh)
  if (fresh.some((id) => !eligible.has(id))) {
    throw new AppError('VALIDATION', 'errors.validationOne', {
      fieldErrors: { providers: 'matching.e.notEligible' },
      detail: { refused: fresh.filter((id) => !eligible.has(id)).join(',') },
    })
  }
  const added: number[] = []
  await withTransaction(db, async (trx, afterCommit) => {
    for (const providerOrgId of fresh) {
      const inserted = await insertPairing(trx, { needId, providerOrgId, kind: 'invite', note: '', actor, byOrgId: acting.orgId })
      if (!inserted) {
        already.push(providerOrgId)
        continue
      }
      added.push(providerOrgId)
      await recordAudit(trx, {
        ...auditActor(actor),
        regionCode: row.region_code,
        action: 'matching.invited',
        objectType: 'need',
        objectId: needId,
        detail: { providerOrgId, providerName: eligible.get(providerOrgId) ?? '' },
      })
      await notify(db, trx, afterCommit, {
        orgId: providerOrgId,
        kind: 'invitation_received',
        params: { enterprise: acting.orgName, need: row.title, provider: eligible.get(providerOrgId) ?? '' },
        link: INBOX_PATH,
      })
    }
  })
  return { added, already }
}

/**
 * 推荐对接: an agency over the need's region (owners and reviewers) recommends a
 * provider to the published need, with a note (≤ 500) the provider and the enterprise read.
 */
export async function recommendProvider(
  db: Database,
  actor: Actor,
  needId: number,
  providerOrgId: number,
  note: string,
): Promise<PairingOutcome> {
  const { need: row, ref } = await openNeed(db, actor, needId)
  const acting = authorize(actor, ref, 'recommend:provider:jurisdiction', { regionCode: row.region_code })
  assertOpen(row)
  const text = note.trim()
  if (Array.from(text).length > NOTE_MAX) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { note: 'matching.v.noteTooLong' } })
  }
  const existing = await db
    .selectFrom('need_invitations')
    .select('id')
    .where('need_id', '=', needId)
    .where('provider_org_id', '=', providerOrgId)
    .where('kind', '=', 'recommend')
    .executeTakeFirst()
  if (existing) return { added: [], already: [providerOrgId] }
  const need = await loadNeedForMatching(db, needId)
  if (!need) throw new AppError('NOT_FOUND', 'errors.notFound')
  const eligible = await eligibleProviders(db, need, [providerOrgId])
  if (!eligible.has(providerOrgId)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { provider: 'matching.e.notEligible' } })
  }
  let inserted = false
  await withTransaction(db, async (trx, afterCommit) => {
    inserted = await insertPairing(trx, { needId, providerOrgId, kind: 'recommend', note: text, actor, byOrgId: acting.orgId })
    if (!inserted) return
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: row.region_code,
      action: 'matching.recommended',
      objectType: 'need',
      objectId: needId,
      detail: { providerOrgId, providerName: eligible.get(providerOrgId) ?? '', note: text },
    })
    await notify(db, trx, afterCommit, {
      orgId: providerOrgId,
      kind: 'recommendation_received',
      params: { agency: acting.orgName, need: row.title, ...(text ? { note: text } : { noteKey: 'matching.mail.noNote' }) },
      link: INBOX_PATH,
    })
  })
  return inserted ? { added: [providerOrgId], already: [] } : { added: [], already: [providerOrgId] }
}

/** The acting provider, once the actor may read what was sent to it. */
function actingProvider(actor: Actor, ref: Awaited<ReturnType<typeof getReferenceData>>): number {
  const orgId = actor.org?.orgId
  if (!orgId) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:recommended-needs:own' } })
  authorize(actor, ref, 'read:recommended-needs:own', { orgId })
  return orgId
}

/**
 * /provider/invitations: the invitations and recommendations the acting provider
 * received, newest first, a page at a time; those on the page still unread are marked
 * seen by opening it (they show as new this once).
 */
export async function listInvitationsForProvider(
  db: Database,
  actor: Actor,
  { page = 1 }: { page?: number } = {},
): Promise<InvitationsPage> {
  const ref = await getReferenceData(db)
  const orgId = actingProvider(actor, ref)
  const counts = await db
    .selectFrom('need_invitations')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.sum<number>(eb.case().when('seen_at', 'is', null).then(1).else(0).end()).as('unread'),
    ])
    .where('provider_org_id', '=', orgId)
    .executeTakeFirst()
  const total = Number(counts?.total ?? 0)
  const unread = Number(counts?.unread ?? 0)
  const pageCount = Math.max(1, Math.ceil(total / INVITATIONS_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount)
  const rows = await db
    .selectFrom('need_invitations as i')
    .innerJoin('needs as n', 'n.id', 'i.need_id')
    .innerJoin('organisations as o', 'o.id', 'i.by_org_id')
    .select([
      'i.id',
      'i.kind',
      'i.note',
      'i.created_at',
      'i.seen_at',
      'n.id as need_id',
      'n.title as need_title',
      'n.status as need_status',
      'n.deadline',
      'o.name as by_name',
      'o.kind as by_kind',
    ])
    .where('i.provider_org_id', '=', orgId)
    .orderBy('i.id', 'desc')
    .limit(INVITATIONS_PAGE_SIZE)
    .offset((current - 1) * INVITATIONS_PAGE_SIZE)
    .execute()
  const unseen = rows.filter((r) => r.seen_at === null).map((r) => r.id)
  if (unseen.length > 0) {
    await db
      .updateTable('need_invitations')
      .set({ seen_at: new Date().toISOString() })
      .where('id', 'in', unseen)
      .where('seen_at', 'is', null)
      .execute()
  }
  const items: InvitationRow[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    needId: r.need_id,
    needTitle: r.need_title,
    needStatus: r.need_status,
    deadline: r.deadline ? String(r.deadline).slice(0, 10) : null,
    needHref: (PUBLIC_NEED_STATUSES as readonly string[]).includes(r.need_status) ? `/needs/${r.need_id}` : null,
    byOrgName: r.by_name,
    byOrgKind: r.by_kind,
    note: r.note,
    createdAt: r.created_at,
    unread: r.seen_at === null,
  }))
  return { rows: items, total, unread, page: current, pageCount }
}

/** The provider's invitations and recommendations not opened yet (a badge in its navigation). */
export async function unreadInvitationCount(db: Kysely<DB>, orgId: number): Promise<number> {
  const row = await db
    .selectFrom('need_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('provider_org_id', '=', orgId)
    .where('seen_at', 'is', null)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The unread count for the actor's provider, or 0 for anyone else (navigation badges). */
export async function unreadInvitationsForActor(db: Database, actor: Actor | null): Promise<number> {
  if (!actor?.org || actor.org.kind !== 'provider' || actor.org.status !== 'verified' || actor.org.membership !== 'active') {
    return 0
  }
  return unreadInvitationCount(db, actor.org.orgId)
}
