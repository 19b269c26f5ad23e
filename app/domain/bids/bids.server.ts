import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { attachFile, countFiles, deleteFile, listFiles, prepareUpload, type UploadedFile } from '../files/files.server.js'
import { DELIVERING_KINDS } from '../matching/rank.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { isVisibleNeed } from '../needs/visibility.js'
import { notify } from '../notifications/notify.server.js'
import { assertConsortiumCanBid } from '../providers/consortia.server.js'
import { bidReaderSide } from './access.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { allowedBidActions, LIVE_BID_STATUSES, mayRevise, needOpenForBids, nextBidStatus, type BidStatus } from './lifecycle.js'
import { BID_LIMITS, type BidInput, type MyBidTab } from './schema.js'
import type { BidDetail, BidForm, ConsortiumChoice, MyBidRow, MyBidsPage, NeedBidsPage, TemplateChoice } from './views.js'
import { wanText } from '../../utils/format.js'

/*
 * Bids (方案, issue 14 §1). A verified provider of a delivering kind (equipment,
 * it_engineering, integrator), or the lead of a ready consortium, submits one live bid
 * per need while the need is published, visible to it and before its deadline; revises
 * it (optimistic revision) until the deadline; withdraws it, with a reason, until award.
 * Bidders never see each other's bids (another's bid by id is 404); the need's owner
 * sees all; agencies over the need's region read them. Every write is audited (filed
 * under the need's region) and the need's enterprise is told (notify: in-app and e-mail).
 */

export { ZBidInput, ZBidIntent, ZBidRef, ZBidRevision, ZMyBidsQuery, ZPageQuery, ZRemoveFile, ZWithdrawInput } from './schema.js'
export type { BidDetail, BidForm, MyBidsPage, NeedBidsPage } from './views.js'

/** Attachments of a bid are files of this object type (purpose bid_attachment). */
export const BID_FILE_OBJECT = 'bid'

interface NeedRow {
  id: number
  org_id: number
  title: string
  status: string
  deadline: string | null
  region_code: string
  org_name: string
  budget_min_wan: number
  budget_max_wan: number
}

/** The columns of a need (with its enterprise's name) the bid use cases read. */
function selectNeedRow(db: Kysely<DB>) {
  return db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      'n.id',
      'n.org_id',
      'n.title',
      'n.status',
      'n.deadline',
      'n.region_code',
      'o.name as org_name',
      'n.budget_min_wan',
      'n.budget_max_wan',
    ])
}

/** The need as a would-be bidder sees it: visible to verified providers, else 404 (nothing learnt). */
async function visibleNeed(db: Kysely<DB>, needId: number): Promise<NeedRow> {
  const row = await selectNeedRow(db)
    .where('n.id', '=', needId)
    .where(isVisibleNeed(['public', 'verified_providers']))
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'need.e.notFound')
  return row
}

function assertOpen(need: Pick<NeedRow, 'status' | 'deadline'>, now: Date): void {
  if (need.status !== 'published') throw new AppError('INVALID_STATE', 'bids.e.needClosed')
  if (!needOpenForBids(need, chinaDate(now))) throw new AppError('INVALID_STATE', 'bids.e.deadlinePassed')
}

/** The bidder: a verified provider the actor acts for; of a delivering kind unless it bids as a consortium's lead. */
async function bidder(db: Kysely<DB>, actor: Actor, ref: ReferenceData, asConsortium: boolean) {
  const acting = authorize(actor, ref, 'bid:need:role')
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'status', 'provider_kinds'])
    .where('id', '=', acting.orgId)
    .executeTakeFirstOrThrow()
  if (org.kind !== 'provider' || org.status !== 'verified') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'bid:need:role' } })
  }
  if (!asConsortium && !deliversProjects(org.provider_kinds)) {
    throw new AppError('FORBIDDEN', 'bids.e.kind', { detail: { permission: 'bid:need:role' } })
  }
  return org
}

function deliversProjects(kindsJson: string): boolean {
  try {
    const kinds: unknown = JSON.parse(kindsJson)
    return Array.isArray(kinds) && kinds.some((k) => typeof k === 'string' && DELIVERING_KINDS.includes(k))
  } catch {
    return false
  }
}

/** Whether the actor may bid on needs at all (the need page shows 投标 only then). */
export async function mayBidOnNeeds(db: Database, actor: Actor | null): Promise<boolean> {
  if (!actor?.org || !can(actor, await getReferenceData(db), 'bid:need:role')) return false
  const org = await db.selectFrom('organisations').select('provider_kinds').where('id', '=', actor.org.orgId).executeTakeFirst()
  if (!org) return false
  if (deliversProjects(org.provider_kinds)) return true
  const led = await db
    .selectFrom('consortia')
    .select('id')
    .where('lead_org_id', '=', actor.org.orgId)
    .where('status', '=', 'ready')
    .executeTakeFirst()
  return led !== undefined
}

/** A template version the bidder may propose: one of its own active templates, or an official one. */
async function checkTemplate(db: Kysely<DB>, orgId: number, versionId: number | null): Promise<void> {
  if (versionId === null) return
  const row = await db
    .selectFrom('contract_template_versions as v')
    .innerJoin('contract_templates as t', 't.id', 'v.template_id')
    .select(['t.org_id', 't.is_official', 't.status'])
    .where('v.id', '=', versionId)
    .executeTakeFirst()
  if (!row || row.status !== 'active' || (row.org_id !== orgId && row.is_official !== 1)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { templateVersionId: 'bids.v.template' } })
  }
}

function tooManyFiles(): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', {
    fieldErrors: { attachments: 'bids.v.tooManyFiles' },
    params: { max: BID_LIMITS.attachmentsPerBid },
  })
}

/**
 * Tells the need's enterprise (its members, each as they chose: in-app, e-mail) through
 * the notifications context: a new bid (bid_new) or a withdrawn one (bid_withdrawn). A
 * revision is not announced: the list shows when each bid last changed.
 */
async function tellOwner(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  need: Pick<NeedRow, 'id' | 'org_id' | 'title'>,
  event: 'submitted' | 'withdrawn',
  providerName: string,
): Promise<void> {
  await notify(db, trx, afterCommit, {
    kind: event === 'submitted' ? 'bid_new' : 'bid_withdrawn',
    orgId: need.org_id,
    params: { need: need.title, provider: providerName },
    link: `/enterprise/needs/${need.id}/bids`,
  })
}

function alreadyBid(): AppError {
  return new AppError('CONFLICT', 'bids.e.alreadyBid', { fieldErrors: { price: 'bids.e.alreadyBid' } })
}

/**
 * 提交方案. Only the whitelisted fields of `input` are used (ZBidInput); the bidder is
 * the actor's organisation and the need the one named. A second live bid is CONFLICT
 * 'bids.e.alreadyBid' (409), a race included (the partial unique index decides).
 */
export async function submitBid(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  needId: number,
  input: BidInput,
  files: readonly UploadedFile[] = [],
  now: Date = new Date(),
): Promise<{ bidId: number }> {
  const ref = await getReferenceData(db)
  const org = await bidder(db, actor, ref, input.consortiumId !== null)
  const need = await visibleNeed(db, needId)
  assertOpen(need, now)
  await checkTemplate(db, org.id, input.templateVersionId)
  if (files.length > BID_LIMITS.attachmentsPerBid) throw tooManyFiles()
  const live = await db
    .selectFrom('bids')
    .select('id')
    .where('need_id', '=', needId)
    .where('provider_org_id', '=', org.id)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirst()
  if (live) throw alreadyBid()
  const prepared = await Promise.all(files.map((f) => prepareUpload('bid_attachment', f)))
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const consortium = input.consortiumId === null ? null : await assertConsortiumCanBid(trx, input.consortiumId, org.id)
      if (consortium && consortium.members.reduce((sum, m) => sum + m.sharePercent, 0) !== 100) {
        throw new AppError('INVALID_STATE', 'bids.e.sharesNot100')
      }
      const at = now.toISOString()
      const row = await trx
        .insertInto('bids')
        .values({
          need_id: needId,
          provider_org_id: org.id,
          consortium_id: consortium?.id ?? null,
          price_wan_x100: input.price,
          duration_days: input.durationDays,
          plan: input.plan,
          template_version_id: input.templateVersionId,
          status: 'submitted',
          created_by: actor.userId,
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (consortium) {
        await trx
          .insertInto('bid_shares')
          .values(
            consortium.members.map((m) => ({
              bid_id: row.id,
              org_id: m.orgId,
              role: m.role,
              scope: m.scope,
              share_percent: m.sharePercent,
            })),
          )
          .execute()
      }
      for (const file of prepared) {
        await attachFile(trx, storage, actor, {
          purpose: 'bid_attachment',
          orgId: org.id,
          objectType: BID_FILE_OBJECT,
          objectId: row.id,
          file,
        })
      }
      await recordAudit(trx, {
        ...auditActor(actor),
        actorOrgId: org.id,
        regionCode: need.region_code,
        action: 'bid.submitted',
        objectType: 'bid',
        objectId: row.id,
        detail: {
          needId,
          price: wanText(input.price),
          durationDays: input.durationDays,
          consortiumId: consortium?.id ?? '',
          templateVersionId: input.templateVersionId ?? '',
          files: prepared.length,
        },
      })
      await tellOwner(db, trx, afterCommit, need, 'submitted', consortium ? `${org.name}（${consortium.name}）` : org.name)
      return { bidId: row.id }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw alreadyBid()
    throw error
  }
}

interface BidRow {
  id: number
  need_id: number
  provider_org_id: number
  consortium_id: number | null
  price_wan_x100: number
  duration_days: number
  plan: string
  template_version_id: number | null
  status: BidStatus
  status_reason: string
  revision: number
  created_at: string
  updated_at: string
  withdrawn_at: string | null
}

async function loadBid(db: Kysely<DB>, bidId: number): Promise<BidRow | undefined> {
  return db
    .selectFrom('bids')
    .select([
      'id',
      'need_id',
      'provider_org_id',
      'consortium_id',
      'price_wan_x100',
      'duration_days',
      'plan',
      'template_version_id',
      'status',
      'status_reason',
      'revision',
      'created_at',
      'updated_at',
      'withdrawn_at',
    ])
    .where('id', '=', bidId)
    .executeTakeFirst()
}

/** The bid for its bidder's writes: NOT_FOUND unless the actor acts (actively) for the bidder. */
async function ownBid(db: Kysely<DB>, actor: Actor, ref: ReferenceData, bidId: number) {
  const bid = await loadBid(db, bidId)
  if (!bid || !can(actor, ref, 'manage:bid:own', { orgId: bid.provider_org_id })) {
    throw new AppError('NOT_FOUND', 'bids.e.notFound')
  }
  const need = await selectNeedRow(db).where('n.id', '=', bid.need_id).executeTakeFirstOrThrow()
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', '=', bid.provider_org_id)
    .executeTakeFirstOrThrow()
  return { bid, need, org }
}

/**
 * 修改方案: the bidder, while the bid is submitted and the need open (before its
 * deadline), on the revision it read (else CONFLICT bids.e.stale). Attachments may be
 * added up to five in all. The consortium chosen at submission stays.
 */
export async function reviseBid(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  bidId: number,
  revision: number,
  input: BidInput,
  files: readonly UploadedFile[] = [],
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need, org } = await ownBid(db, actor, ref, bidId)
  nextBidStatus(bid.status, 'revise')
  assertOpen(need, now)
  if (input.consortiumId !== bid.consortium_id) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { consortiumId: 'bids.v.consortiumFixed' } })
  }
  await checkTemplate(db, org.id, input.templateVersionId)
  if ((await countFiles(db, BID_FILE_OBJECT, bidId)) + files.length > BID_LIMITS.attachmentsPerBid) throw tooManyFiles()
  const prepared = await Promise.all(files.map((f) => prepareUpload('bid_attachment', f)))
  await withTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('bids')
      .set({
        price_wan_x100: input.price,
        duration_days: input.durationDays,
        plan: input.plan,
        template_version_id: input.templateVersionId,
        revision: revision + 1,
        updated_at: now.toISOString(),
      })
      .where('id', '=', bidId)
      .where('revision', '=', revision)
      .where('status', '=', 'submitted')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'bids.e.stale')
    if ((await countFiles(trx, BID_FILE_OBJECT, bidId)) + prepared.length > BID_LIMITS.attachmentsPerBid) throw tooManyFiles()
    for (const file of prepared) {
      await attachFile(trx, storage, actor, {
        purpose: 'bid_attachment',
        orgId: org.id,
        objectType: BID_FILE_OBJECT,
        objectId: bidId,
        file,
      })
    }
    const changes: Record<string, string | number> = { needId: need.id, revision: revision + 1 }
    if (bid.price_wan_x100 !== input.price) changes.price = `${wanText(bid.price_wan_x100)} → ${wanText(input.price)}`
    if (bid.duration_days !== input.durationDays) changes.durationDays = `${bid.duration_days} → ${input.durationDays}`
    if (bid.plan !== input.plan) changes.plan = 'changed'
    if (bid.template_version_id !== input.templateVersionId)
      changes.templateVersionId = `${bid.template_version_id ?? '—'} → ${input.templateVersionId ?? '—'}`
    if (prepared.length > 0) changes.filesAdded = prepared.length
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: need.region_code,
      action: 'bid.revised',
      objectType: 'bid',
      objectId: bidId,
      detail: changes,
    })
  })
}

/** Removes one attachment while the bid may still be revised. */
export async function removeBidFile(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  bidId: number,
  fileId: number,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need, org } = await ownBid(db, actor, ref, bidId)
  nextBidStatus(bid.status, 'revise')
  assertOpen(need, now)
  await withTransaction(db, async (trx) => {
    await deleteFile(trx, storage, actor, fileId, { objectType: BID_FILE_OBJECT, objectId: bidId })
    await trx.updateTable('bids').set({ updated_at: now.toISOString() }).where('id', '=', bidId).execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: need.region_code,
      action: 'bid.revised',
      objectType: 'bid',
      objectId: bidId,
      detail: { needId: need.id, fileRemoved: fileId },
    })
  })
}

/** 撤回方案: the bidder, with a reason, until award (whatever the deadline). */
export async function withdrawBid(
  db: Database,
  actor: Actor,
  bidId: number,
  reason: string,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const { bid, need, org } = await ownBid(db, actor, ref, bidId)
  const to = nextBidStatus(bid.status, 'withdraw')
  await withTransaction(db, async (trx, afterCommit) => {
    const result = await trx
      .updateTable('bids')
      .set({ status: to, status_reason: reason, withdrawn_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', bidId)
      .where('status', '=', bid.status)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'bids.e.stale')
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: org.id,
      regionCode: need.region_code,
      action: 'bid.withdrawn',
      objectType: 'bid',
      objectId: bidId,
      detail: { needId: need.id, from: bid.status, reason },
    })
    await tellOwner(db, trx, afterCommit, need, 'withdrawn', org.name)
  })
}

/* ------------------------------------------------------------------ reading */

async function templateSummaries(db: Kysely<DB>, versionIds: readonly number[]): Promise<Map<number, TemplateChoice>> {
  const out = new Map<number, TemplateChoice>()
  if (versionIds.length === 0) return out
  const rows = await db
    .selectFrom('contract_template_versions as v')
    .innerJoin('contract_templates as t', 't.id', 'v.template_id')
    .select([
      'v.id',
      'v.template_id',
      't.title',
      'v.version',
      't.is_official',
      'v.construction_days',
      'v.warranty_months',
      'v.milestones',
      'v.price_model',
    ])
    .where('v.id', 'in', [...new Set(versionIds)])
    .execute()
  for (const r of rows) out.set(r.id, templateChoiceOf(r))
  return out
}

/** A template version as the bid pages show it (summary and chooser alike). */
function templateChoiceOf(r: {
  id: number
  template_id: number
  title: string
  version: number
  is_official: number
  construction_days: number
  warranty_months: number
  milestones: string
  price_model: string
}): TemplateChoice {
  return {
    versionId: r.id,
    templateId: r.template_id,
    title: r.title,
    version: r.version,
    official: r.is_official === 1,
    constructionDays: r.construction_days,
    warrantyMonths: r.warranty_months,
    milestoneCount: milestoneCount(r.milestones),
    priceModel: r.price_model,
  }
}

function milestoneCount(json: string): number {
  try {
    const list: unknown = JSON.parse(json)
    return Array.isArray(list) ? list.length : 0
  } catch {
    return 0
  }
}

/**
 * One bid, for those who may read it: the bidder's members, the need owner's members,
 * agencies over the need's region. Anyone else — a rival bidder included — gets 404.
 */
export async function getBidForViewer(db: Database, actor: Actor, bidId: number, now: Date = new Date()): Promise<BidDetail> {
  const ref = await getReferenceData(db)
  const bid = await loadBid(db, bidId)
  if (!bid) throw new AppError('NOT_FOUND', 'bids.e.notFound')
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'title', 'status', 'deadline', 'region_code'])
    .where('id', '=', bid.need_id)
    .executeTakeFirstOrThrow()
  const side = bidReaderSide(actor, ref, bid, need)
  if (!side) throw new AppError('NOT_FOUND', 'bids.e.notFound')
  const [provider, consortium, templates, files, shares] = await Promise.all([
    db.selectFrom('organisations').select('name').where('id', '=', bid.provider_org_id).executeTakeFirstOrThrow(),
    bid.consortium_id === null
      ? Promise.resolve(undefined)
      : db.selectFrom('consortia').select('name').where('id', '=', bid.consortium_id).executeTakeFirst(),
    templateSummaries(db, bid.template_version_id === null ? [] : [bid.template_version_id]),
    listFiles(db, BID_FILE_OBJECT, [bid.id]),
    db
      .selectFrom('bid_shares as s')
      .innerJoin('organisations as o', 'o.id', 's.org_id')
      .select(['s.org_id', 'o.name', 's.role', 's.scope', 's.share_percent'])
      .where('s.bid_id', '=', bid.id)
      .orderBy('s.role')
      .orderBy('s.org_id')
      .execute(),
  ])
  // The award made a contract (award slice): its readers follow the link (the contract page checks its own rule).
  const contract =
    bid.status === 'awarded'
      ? await db.selectFrom('contracts').select('id').where('bid_id', '=', bid.id).executeTakeFirst()
      : undefined
  const today = chinaDate(now)
  const actions =
    side === 'bidder'
      ? allowedBidActions(bid.status, 'bidder').filter((a) => a !== 'revise' || mayRevise(bid.status, need, today))
      : []
  return {
    id: bid.id,
    needId: need.id,
    needTitle: need.title,
    needDeadline: need.deadline,
    providerOrgId: bid.provider_org_id,
    providerName: provider.name,
    consortiumName: consortium?.name ?? null,
    priceWan: wanText(bid.price_wan_x100),
    durationDays: bid.duration_days,
    plan: bid.plan,
    template: bid.template_version_id === null ? null : (templates.get(bid.template_version_id) ?? null),
    status: bid.status,
    statusReason: bid.status_reason,
    revision: bid.revision,
    createdAt: bid.created_at,
    updatedAt: bid.updated_at,
    withdrawnAt: bid.withdrawn_at,
    shares: shares.map((s) => ({
      orgId: s.org_id,
      orgName: s.name,
      role: s.role,
      scope: s.scope,
      sharePercent: s.share_percent,
    })),
    files: files.get(bid.id) ?? [],
    viewerSide: side,
    actions,
    mayAttach: actions.includes('revise') && (files.get(bid.id)?.length ?? 0) < BID_LIMITS.attachmentsPerBid,
    contractId: contract?.id ?? null,
  }
}

/** 收到的方案: every bid on the need (withdrawn ones last), for its owner and the agencies over its region; paged. */
export async function listBidsForNeed(db: Database, actor: Actor, needId: number, page = 1): Promise<NeedBidsPage> {
  const ref = await getReferenceData(db)
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'title', 'status', 'deadline', 'region_code'])
    .where('id', '=', needId)
    .executeTakeFirst()
  if (
    !need ||
    !(
      can(actor, ref, 'read:bids:own', { orgId: need.org_id }) ||
      can(actor, ref, 'read:bids:jurisdiction', { regionCode: need.region_code })
    )
  ) {
    throw new AppError('NOT_FOUND', 'need.e.notFound')
  }
  const size = BID_LIMITS.pageSize
  const totalRow = await db
    .selectFrom('bids')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('need_id', '=', needId)
    .executeTakeFirstOrThrow()
  const total = Number(totalRow.n)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('bids as b')
    .innerJoin('organisations as o', 'o.id', 'b.provider_org_id')
    .leftJoin('consortia as c', 'c.id', 'b.consortium_id')
    .select([
      'b.id',
      'o.name as provider_name',
      'c.name as consortium_name',
      'b.price_wan_x100',
      'b.duration_days',
      'b.template_version_id',
      'b.status',
      'b.updated_at',
    ])
    .where('b.need_id', '=', needId)
    .orderBy((eb) => eb.case().when('b.status', '=', 'withdrawn').then(1).else(0).end())
    .orderBy('b.id')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const templates = await templateSummaries(
    db,
    rows.flatMap((r) => (r.template_version_id === null ? [] : [r.template_version_id])),
  )
  const files = await listFiles(
    db,
    BID_FILE_OBJECT,
    rows.map((r) => r.id),
  )
  return {
    need: { id: need.id, title: need.title, status: need.status, deadline: need.deadline },
    items: rows.map((r) => {
      const tpl = r.template_version_id === null ? undefined : templates.get(r.template_version_id)
      return {
        id: r.id,
        providerName: r.provider_name,
        consortiumName: r.consortium_name,
        priceWan: wanText(r.price_wan_x100),
        durationDays: r.duration_days,
        templateTitle: tpl ? `${tpl.title} v${tpl.version}` : null,
        status: r.status,
        updatedAt: r.updated_at,
        fileCount: files.get(r.id)?.length ?? 0,
      }
    }),
    total,
    page: current,
    pageCount,
  }
}

/** How many live bids a need has (the enterprise page's 收到的方案 (N)); 0 for one the actor may not read. */
export async function countBidsForNeed(db: Database, actor: Actor, needId: number): Promise<number | null> {
  const ref = await getReferenceData(db)
  const need = await db.selectFrom('needs').select(['org_id']).where('id', '=', needId).executeTakeFirst()
  if (!need || !can(actor, ref, 'read:bids:own', { orgId: need.org_id })) return null
  const row = await db
    .selectFrom('bids')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('need_id', '=', needId)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const TAB_STATUSES: Record<MyBidTab, BidStatus[]> = {
  live: ['submitted', 'shortlisted'],
  awarded: ['awarded'],
  rejected: ['rejected'],
  withdrawn: ['withdrawn'],
}

/** 我的投标: the provider's bids by status tab, with counts and the next action; paged. */
export async function listMyBids(
  db: Database,
  actor: Actor,
  query: { tab: MyBidTab; page: number },
  now: Date = new Date(),
): Promise<MyBidsPage> {
  const ref = await getReferenceData(db)
  const orgId = actor.org?.orgId ?? 0
  authorize(actor, ref, 'manage:bid:own', { orgId })
  const countRows = await db
    .selectFrom('bids')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('provider_org_id', '=', orgId)
    .groupBy('status')
    .execute()
  const byStatus = new Map(countRows.map((r) => [r.status, Number(r.n)]))
  const counts = Object.fromEntries(
    (Object.keys(TAB_STATUSES) as MyBidTab[]).map((tab) => [
      tab,
      TAB_STATUSES[tab].reduce((s, st) => s + (byStatus.get(st) ?? 0), 0),
    ]),
  ) as Record<MyBidTab, number>
  const total = counts[query.tab]
  const size = BID_LIMITS.pageSize
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(query.page, pageCount)
  const rows = await db
    .selectFrom('bids as b')
    .innerJoin('needs as n', 'n.id', 'b.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      'b.id',
      'b.need_id',
      'n.title',
      'o.name',
      'b.price_wan_x100',
      'b.duration_days',
      'b.status',
      'b.updated_at',
      'n.deadline',
      'n.status as need_status',
    ])
    .where('b.provider_org_id', '=', orgId)
    .where('b.status', 'in', TAB_STATUSES[query.tab])
    .orderBy('b.updated_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const today = chinaDate(now)
  const items: MyBidRow[] = rows.map((r) => ({
    id: r.id,
    needId: r.need_id,
    needTitle: r.title,
    needOrgName: r.name,
    priceWan: wanText(r.price_wan_x100),
    durationDays: r.duration_days,
    status: r.status,
    updatedAt: r.updated_at,
    deadline: r.deadline,
    next:
      r.status === 'awarded'
        ? 'contract'
        : r.status === 'shortlisted'
          ? 'wait'
          : r.status === 'submitted'
            ? mayRevise(r.status, { status: r.need_status, deadline: r.deadline }, today)
              ? 'revise'
              : 'wait'
            : 'none',
  }))
  return { tab: query.tab, counts, items, total, page: current, pageCount }
}

/* ------------------------------------------------------------------ the form */

/**
 * The submit / revise form of a need: the need, the actor's live bid on it (revising)
 * or none (submitting), its own active templates and the official ones, and the ready
 * consortia it leads. NOT_FOUND for a need it cannot see; INVALID_STATE when closed.
 */
export async function getBidForm(db: Database, actor: Actor, needId: number, now: Date = new Date()): Promise<BidForm> {
  const ref = await getReferenceData(db)
  const acting = authorize(actor, ref, 'bid:need:role')
  const need = await visibleNeed(db, needId)
  assertOpen(need, now)
  const live = await db
    .selectFrom('bids')
    .select(['id', 'status', 'revision', 'price_wan_x100', 'duration_days', 'plan', 'template_version_id', 'consortium_id'])
    .where('need_id', '=', needId)
    .where('provider_org_id', '=', acting.orgId)
    .where('status', 'in', LIVE_BID_STATUSES)
    .executeTakeFirst()
  if (live && live.status !== 'submitted') throw new AppError('INVALID_STATE', 'bids.e.notRevisable')
  const templateRows = await db
    .selectFrom('contract_templates as t')
    .innerJoin('contract_template_versions as v', (j) =>
      j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
    )
    .select([
      'v.id',
      't.id as template_id',
      't.title',
      'v.version',
      't.is_official',
      'v.construction_days',
      'v.warranty_months',
      'v.milestones',
      'v.price_model',
    ])
    .where('t.status', '=', 'active')
    .where((eb) => eb.or([eb('t.org_id', '=', acting.orgId), eb('t.is_official', '=', 1)]))
    .orderBy('t.is_official')
    .orderBy('t.title')
    .limit(100)
    .execute()
  const templates: TemplateChoice[] = templateRows.map(templateChoiceOf)
  // The version a live bid proposes stays choosable though the template has moved on.
  if (live?.template_version_id && !templates.some((x) => x.versionId === live.template_version_id)) {
    const kept = (await templateSummaries(db, [live.template_version_id])).get(live.template_version_id)
    if (kept) templates.unshift(kept)
  }
  const consortiumRows = await db
    .selectFrom('consortia')
    .select(['id', 'name'])
    .where('lead_org_id', '=', acting.orgId)
    .where('status', '=', 'ready')
    .orderBy('id')
    .execute()
  const consortia: ConsortiumChoice[] = []
  for (const c of consortiumRows) {
    const members = await db
      .selectFrom('consortium_members as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['o.name', 'm.role', 'm.scope', 'm.share_percent'])
      .where('m.consortium_id', '=', c.id)
      .orderBy('m.role')
      .execute()
    consortia.push({
      id: c.id,
      name: c.name,
      members: members.map((m) => ({ orgName: m.name, role: m.role, scope: m.scope, sharePercent: m.share_percent })),
    })
  }
  const files = live ? ((await listFiles(db, BID_FILE_OBJECT, [live.id])).get(live.id) ?? []) : []
  return {
    need: {
      id: need.id,
      title: need.title,
      orgName: need.org_name,
      deadline: need.deadline,
      budgetMinWan: need.budget_min_wan,
      budgetMaxWan: need.budget_max_wan,
    },
    bid: live
      ? {
          id: live.id,
          revision: live.revision,
          priceWan: wanText(live.price_wan_x100),
          durationDays: live.duration_days,
          plan: live.plan,
          templateVersionId: live.template_version_id,
          consortiumId: live.consortium_id,
          files,
        }
      : null,
    templates,
    consortia,
    attachmentsLeft: BID_LIMITS.attachmentsPerBid - files.length,
  }
}

export interface BidLink {
  href: string
  kind: 'bid' | 'revise' | 'view'
}

/**
 * The need page's 投标 button: for a provider that may bid, on a need open for bids —
 * 投标 (none yet), 修改我的方案 (its submitted bid), or its bid's page once the bid
 * left 'submitted'. Null for everyone else (the need itself was already shown to them).
 */
export async function bidLinkFor(
  db: Database,
  actor: Actor | null,
  needId: number,
  now: Date = new Date(),
): Promise<BidLink | null> {
  if (!actor?.org || !(await mayBidOnNeeds(db, actor))) return null
  const need = await db.selectFrom('needs').select(['status', 'deadline']).where('id', '=', needId).executeTakeFirst()
  const live = await db
    .selectFrom('bids')
    .select(['id', 'status'])
    .where('need_id', '=', needId)
    .where('provider_org_id', '=', actor.org.orgId)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirst()
  const open = need !== undefined && needOpenForBids(need, chinaDate(now))
  if (live) {
    return live.status === 'submitted' && open
      ? { href: `/needs/${needId}/bid`, kind: 'revise' }
      : { href: `/bids/${live.id}`, kind: 'view' }
  }
  return open ? { href: `/needs/${needId}/bid`, kind: 'bid' } : null
}
