import type { Insertable, Kysely } from 'kysely'
import type { BidsTable, DB } from '../../../../db/types.js'
import type { CrossCheck, ExchangeType, IdSpace, ImportOptions, WriteContext } from '../exchange-type.server.js'
import type { ExchangeIssue } from '../issues.js'
import { ZBidV1, type TBidV1 } from '../schemas/bid.v1.js'
import { actorChecks, actorsFor, externalIdsOf, isoOrNull, wanToX100, x100ToWan } from './actors.server.js'
import { CONTRACT_TEMPLATE } from './contract-template.server.js'
import { NEED } from './need.server.js'
import { ORGANISATION } from './organisation.server.js'

export const BID = 'bid'
const CHUNK = 500
const LIVE = (status: string) => status !== 'withdrawn'

export const bidSpace: IdSpace = {
  name: BID,
  table: 'bids',
  exportPrefix: 'bid',
  /** Its status, need and provider (a contract names all three: they must agree). */
  async loadFacts(db, ids) {
    const rows: { id: number; status: string; need_id: number; provider_org_id: number }[] = []
    for (let i = 0; i < ids.length; i += CHUNK) {
      rows.push(
        ...(await db
          .selectFrom('bids')
          .select(['id', 'status', 'need_id', 'provider_org_id'])
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute()),
      )
    }
    const needs = await externalIdsOf(
      db,
      NEED,
      rows.map((r) => r.need_id),
    )
    const orgs = await externalIdsOf(
      db,
      ORGANISATION,
      rows.map((r) => r.provider_org_id),
    )
    return new Map(
      rows.map((r) => [
        r.id,
        { status: r.status, need: needs.get(r.need_id) ?? '', provider: orgs.get(r.provider_org_id) ?? '' },
      ]),
    )
  },
}

function bidColumns(b: {
  need_id: number
  provider_org_id: number
  price_wan_x100: number
  duration_days: number
  plan: string
  template_version_id: number | null
  status: string
  status_reason: string
  revision: number
  created_at: string
  updated_at: string
  withdrawn_at: string | null
}) {
  return {
    need_id: Number(b.need_id),
    provider_org_id: Number(b.provider_org_id),
    price_wan_x100: Number(b.price_wan_x100),
    duration_days: Number(b.duration_days),
    plan: b.plan,
    template_version_id: b.template_version_id === null ? null : Number(b.template_version_id),
    status: b.status as BidsTable['status']['__select__'],
    status_reason: b.status_reason,
    revision: Number(b.revision),
    created_at: new Date(b.created_at).toISOString(),
    updated_at: new Date(b.updated_at).toISOString(),
    withdrawn_at: isoOrNull(b.withdrawn_at),
  }
}

async function loadBids(db: Kysely<DB>, by: 'id' | 'need_id', keys: readonly number[]) {
  const out: (ReturnType<typeof bidColumns> & { id: number })[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('bids')
      .select([
        'id',
        'need_id',
        'provider_org_id',
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
      .where(by, 'in', keys.slice(i, i + CHUNK))
      .orderBy('need_id')
      .orderBy('id')
      .execute())
      out.push({
        id: r.id,
        ...bidColumns({ ...r, withdrawn_at: r.withdrawn_at ?? null, template_version_id: r.template_version_id ?? null }),
      })
  }
  return out
}

/** The current version of each template. */
async function currentVersions(db: Kysely<DB>, templateIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const ids = [...new Set(templateIds)]
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('contract_templates as t')
      .innerJoin('contract_template_versions as v', (j) =>
        j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .select(['t.id', 'v.id as versionId'])
      .where('t.id', 'in', ids.slice(i, i + CHUNK))
      .execute())
      out.set(r.id, r.versionId)
  }
  return out
}

async function writeBids(ctx: WriteContext, batch: readonly { line: number; record: TBidV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    BID,
    batch.map((b) => b.record.externalId),
    trx,
  )
  await ids.load(
    NEED,
    batch.map((b) => b.record.need),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.provider),
    trx,
  )
  const templates = batch.flatMap((b) => (b.record.template ? [b.record.template] : []))
  await ids.load(CONTRACT_TEMPLATE, templates, trx)
  const versions = await currentVersions(
    trx,
    templates.map((t) => ids.require(CONTRACT_TEMPLATE, t)),
  )
  const actor = await actorsFor(
    trx,
    ctx.options,
    batch.map((b) => ids.require(ORGANISATION, b.record.provider)),
  )
  const mapped = batch.map((b) => ids.get(BID, b.record.externalId)).filter((id): id is number => id !== undefined)
  const current = new Map((await loadBids(trx, 'id', mapped)).map((b) => [b.id, b]))
  const created: { record: TBidV1; row: Insertable<BidsTable> }[] = []
  for (const { record } of batch) {
    const providerId = ids.require(ORGANISATION, record.provider)
    const columns = bidColumns({
      need_id: ids.require(NEED, record.need),
      provider_org_id: providerId,
      price_wan_x100: wanToX100(record.priceWan),
      duration_days: record.durationDays,
      plan: record.plan,
      template_version_id: record.template ? (versions.get(ids.require(CONTRACT_TEMPLATE, record.template)) ?? null) : null,
      status: record.status,
      status_reason: record.statusReason,
      revision: record.revision,
      created_at: record.createdAt,
      updated_at: record.updatedAt ?? record.createdAt,
      withdrawn_at: record.withdrawnAt,
    })
    const was = current.get(ids.get(BID, record.externalId) ?? 0)
    if (!was) {
      created.push({ record, row: { ...columns, created_by: actor(providerId) } })
      continue
    }
    const { id, ...before } = was
    if (JSON.stringify(before) === JSON.stringify(columns)) {
      ctx.count(BID, 'unchanged')
      continue
    }
    await trx.updateTable('bids').set(columns).where('id', '=', id).execute()
    ctx.count(BID, 'updated')
  }
  if (created.length === 0) return
  // Bids are few per need: one INSERT … RETURNING each keeps the ids in order on both dialects.
  for (const { record, row } of created) {
    const { id } = await trx.insertInto('bids').values(row).returning('id').executeTakeFirstOrThrow()
    ids.stage(BID, record.externalId, id, now)
    ctx.count(BID, 'created')
  }
}

/**
 * What the bid indexes hold: one awarded bid per need, one live bid (any status but
 * withdrawn) per need and provider — in the file and with the bids already in the
 * database (those the file does not name).
 */
function bidChecks(options: ImportOptions): CrossCheck<TBidV1> {
  const all: { line: number; record: TBidV1 }[] = []
  const awarded = new Map<string, number>()
  const live = new Map<string, number>()
  const extra: CrossCheck<TBidV1> = {
    add(record, line) {
      all.push({ line, record })
      const issues: ExchangeIssue[] = []
      if (record.status === 'awarded') {
        const first = awarded.get(record.need)
        if (first !== undefined) issues.push({ line, path: ['status'], key: 'exchange.v.awardedInFile', params: { line: first } })
        else awarded.set(record.need, line)
      }
      if (LIVE(record.status)) {
        const key = JSON.stringify([record.need, record.provider])
        const first = live.get(key)
        if (first !== undefined)
          issues.push({ line, path: ['provider'], key: 'exchange.v.liveBidInFile', params: { line: first } })
        else live.set(key, line)
      }
      return issues
    },
    async finish(db, ids) {
      if (all.length === 0) return []
      await ids.load(
        BID,
        all.map((a) => a.record.externalId),
        db,
      )
      await ids.load(
        NEED,
        all.map((a) => a.record.need),
        db,
      )
      await ids.load(
        ORGANISATION,
        all.map((a) => a.record.provider),
        db,
      )
      const inFile = new Set(all.map((a) => ids.get(BID, a.record.externalId)).filter((id): id is number => id !== undefined))
      const needIds = [...new Set(all.map((a) => ids.get(NEED, a.record.need)).filter((id): id is number => id !== undefined))]
      const others = (await loadBids(db, 'need_id', needIds)).filter((b) => !inFile.has(b.id))
      const issues: ExchangeIssue[] = []
      for (const { line, record } of all) {
        const needId = ids.get(NEED, record.need)
        const providerId = ids.get(ORGANISATION, record.provider)
        if (needId === undefined) continue
        const clash = others.find(
          (b) =>
            b.need_id === needId &&
            ((record.status === 'awarded' && b.status === 'awarded') ||
              (LIVE(record.status) && LIVE(b.status) && b.provider_org_id === providerId)),
        )
        if (clash) issues.push({ line, path: ['status'], key: 'exchange.v.bidTaken', params: { id: clash.id } })
      }
      return issues
    },
  }
  return actorChecks(options, (b) => [{ path: ['provider'], organisation: b.provider }], extra)
}

export const bidType: ExchangeType<TBidV1> = {
  type: BID,
  current: 1,
  schemas: { 1: ZBidV1 },
  key: (b) => b.externalId,
  defines: (b) => ({ space: BID, externalId: b.externalId, facts: { status: b.status, need: b.need, provider: b.provider } }),
  references: (b) => [
    { path: ['need'], space: NEED, externalId: b.need },
    {
      path: ['provider'],
      space: ORGANISATION,
      externalId: b.provider,
      expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
    },
    ...(b.template ? [{ path: ['template'], space: CONTRACT_TEMPLATE, externalId: b.template }] : []),
  ],
  checkCodes: () => [],
  crossCheck: (options) => bidChecks(options),
  // After the needs they are on (and the templates they propose).
  phase: () => 5,
  write: writeBids,
}

// ---------------------------------------------------------------- reading (export)

/** The template each version belongs to. */
async function templatesOfVersions(db: Kysely<DB>, versionIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const ids = [...new Set(versionIds)]
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('contract_template_versions')
      .select(['id', 'template_id'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute())
      out.set(r.id, r.template_id)
  }
  return out
}

/** The parties an export of these needs' bids must carry: bidders and the templates they proposed. */
export async function partiesOfBids(
  db: Kysely<DB>,
  needIds: readonly number[],
): Promise<{ orgIds: number[]; templateIds: number[] }> {
  const bids = await loadBids(db, 'need_id', needIds)
  const templates = await templatesOfVersions(
    db,
    bids.flatMap((b) => (b.template_version_id === null ? [] : [b.template_version_id])),
  )
  return { orgIds: [...new Set(bids.map((b) => b.provider_org_id))], templateIds: [...new Set(templates.values())] }
}

/** The bids of these needs, need by need in the order given, oldest first. */
export async function* readBids(
  db: Kysely<DB>,
  needIds: readonly number[],
  needExternalIds: ReadonlyMap<number, string>,
  orgExternalIds: ReadonlyMap<number, string>,
  templateExternalIds: ReadonlyMap<number, string>,
  bidExternalId: (bidIds: readonly number[]) => Promise<ReadonlyMap<number, string>>,
): AsyncGenerator<TBidV1> {
  for (let i = 0; i < needIds.length; i += CHUNK) {
    const part = needIds.slice(i, i + CHUNK)
    const bids = await loadBids(db, 'need_id', part)
    const order = new Map(part.map((id, k) => [id, k]))
    bids.sort((a, b) => (order.get(a.need_id) ?? 0) - (order.get(b.need_id) ?? 0) || a.id - b.id)
    const externalIds = await bidExternalId(bids.map((b) => b.id))
    const templates = await templatesOfVersions(
      db,
      bids.flatMap((b) => (b.template_version_id === null ? [] : [b.template_version_id])),
    )
    for (const b of bids) {
      const template = b.template_version_id === null ? undefined : templates.get(b.template_version_id)
      yield {
        type: 'bid',
        version: 1,
        externalId: externalIds.get(b.id) ?? '',
        need: needExternalIds.get(b.need_id) ?? '',
        provider: orgExternalIds.get(b.provider_org_id) ?? '',
        priceWan: x100ToWan(b.price_wan_x100),
        durationDays: b.duration_days,
        plan: b.plan,
        template: template === undefined ? null : (templateExternalIds.get(template) ?? null),
        status: b.status,
        statusReason: b.status_reason,
        revision: b.revision,
        createdAt: b.created_at,
        updatedAt: b.updated_at,
        withdrawnAt: b.withdrawn_at,
      }
    }
  }
}
