import type { Kysely } from 'kysely'
import type { DB } from '../../../../db/types.js'
import type { ExchangeType, Facts, WriteContext } from '../exchange-type.server.js'
import { ZContractRatingV1, type TContractRatingV1 } from '../schemas/contract-rating.v1.js'
import { actorsFor, isoOrNull } from './actors.server.js'
import { CONTRACT } from './contract.server.js'

export const CONTRACT_RATING = 'contract_rating'
const CHUNK = 500

type Side = TContractRatingV1['side']
type Grade = TContractRatingV1['items'][number]

function ratingColumns(r: {
  item_1: Grade
  item_2: Grade
  item_3: Grade
  item_4: Grade
  item_5: Grade
  overall: TContractRatingV1['overall']
  comment: string
  reply: string
  created_at: string
  replied_at: string | null
}) {
  return {
    item_1: r.item_1,
    item_2: r.item_2,
    item_3: r.item_3,
    item_4: r.item_4,
    item_5: r.item_5,
    overall: r.overall,
    comment: r.comment,
    reply: r.reply,
    created_at: new Date(r.created_at).toISOString(),
    replied_at: isoOrNull(r.replied_at),
  }
}

async function loadRatings(db: Kysely<DB>, contractIds: readonly number[]) {
  const out: (ReturnType<typeof ratingColumns> & { id: number; contract_id: number; side: Side })[] = []
  for (let i = 0; i < contractIds.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('contract_ratings')
      .select([
        'id',
        'contract_id',
        'side',
        'item_1',
        'item_2',
        'item_3',
        'item_4',
        'item_5',
        'overall',
        'comment',
        'reply',
        'created_at',
        'replied_at',
      ])
      .where('contract_id', 'in', contractIds.slice(i, i + CHUNK))
      .orderBy('contract_id')
      .orderBy('id')
      .execute())
      out.push({
        id: r.id,
        contract_id: r.contract_id,
        side: r.side,
        ...ratingColumns({ ...r, replied_at: r.replied_at ?? null }),
      })
  }
  return out
}

async function writeRatings(ctx: WriteContext, batch: readonly { line: number; record: TContractRatingV1 }[]): Promise<void> {
  const { trx, ids } = ctx
  await ids.load(
    CONTRACT,
    batch.map((b) => b.record.contract),
    trx,
  )
  const contractIds = [...new Set(batch.map((b) => ids.require(CONTRACT, b.record.contract)))]
  const parties = new Map<number, { enterprise: number; provider: number; supervisor: number | null }>()
  for (let i = 0; i < contractIds.length; i += CHUNK) {
    for (const c of await trx
      .selectFrom('contracts')
      .select(['id', 'enterprise_org_id', 'provider_org_id', 'supervisor_org_id'])
      .where('id', 'in', contractIds.slice(i, i + CHUNK))
      .execute())
      parties.set(c.id, { enterprise: c.enterprise_org_id, provider: c.provider_org_id, supervisor: c.supervisor_org_id ?? null })
  }
  const orgsOf = (contractId: number, side: Side) => {
    const p = parties.get(contractId)!
    const rater = side === 'enterprise' ? p.enterprise : side === 'provider' ? p.provider : p.supervisor!
    // The supervisor scores the provider's delivery.
    const rated = side === 'provider' ? p.enterprise : p.provider
    return { rater, rated }
  }
  const actor = await actorsFor(
    trx,
    ctx.options,
    batch.flatMap((b) => {
      const { rater, rated } = orgsOf(ids.require(CONTRACT, b.record.contract), b.record.side)
      return [rater, rated]
    }),
  )
  const current = new Map((await loadRatings(trx, contractIds)).map((r) => [`${r.contract_id}:${r.side}`, r]))
  for (const { record } of batch) {
    const contractId = ids.require(CONTRACT, record.contract)
    const { rater, rated } = orgsOf(contractId, record.side)
    const [item_1, item_2, item_3, item_4, item_5] = record.items as [Grade, Grade, Grade, Grade, Grade]
    const columns = ratingColumns({
      item_1,
      item_2,
      item_3,
      item_4,
      item_5,
      overall: record.overall,
      comment: record.comment,
      reply: record.reply,
      created_at: record.createdAt,
      replied_at: record.repliedAt,
    })
    const was = current.get(`${contractId}:${record.side}`)
    if (!was) {
      await trx
        .insertInto('contract_ratings')
        .values({
          contract_id: contractId,
          side: record.side,
          rater_org_id: rater,
          rated_org_id: rated,
          rated_by: actor(rater),
          replied_by: columns.replied_at === null ? null : actor(rated),
          ...columns,
        })
        .execute()
      ctx.count(CONTRACT_RATING, 'created')
      continue
    }
    const { id, contract_id: _c, side: _s, ...before } = was
    if (JSON.stringify(before) === JSON.stringify(columns)) {
      ctx.count(CONTRACT_RATING, 'unchanged')
      continue
    }
    await trx
      .updateTable('contract_ratings')
      .set({
        ...columns,
        ...(columns.replied_at === null
          ? { replied_by: null }
          : before.replied_at === columns.replied_at
            ? {}
            : { replied_by: actor(rated) }),
      })
      .where('id', '=', id)
      .execute()
    ctx.count(CONTRACT_RATING, 'updated')
  }
}

export const contractRatingType: ExchangeType<TContractRatingV1> = {
  type: CONTRACT_RATING,
  current: 1,
  schemas: { 1: ZContractRatingV1 },
  key: (r) => `${r.contract}:${r.side}`,
  references: (r) => {
    const facts: Facts = r.side === 'supervisor' ? { status: 'completed', supervised: true } : { status: 'completed' }
    const key = r.side === 'supervisor' ? 'exchange.v.ratingNotSupervised' : 'exchange.v.ratingNotCompleted'
    return [{ path: ['contract'], space: CONTRACT, externalId: r.contract, expect: { facts, key } }]
  },
  checkCodes: () => [],
  // After the contracts they rate.
  phase: () => 7,
  write: writeRatings,
}

// ---------------------------------------------------------------- reading (export)

const SIDE_ORDER: Record<Side, number> = { enterprise: 0, provider: 1, supervisor: 2 }

/** The ratings of these contracts, contract by contract in the order given, sides in order. */
export async function* readContractRatings(
  db: Kysely<DB>,
  contractIds: readonly number[],
  contractExternalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TContractRatingV1> {
  for (let i = 0; i < contractIds.length; i += CHUNK) {
    const part = contractIds.slice(i, i + CHUNK)
    const order = new Map(part.map((id, k) => [id, k]))
    const ratings = (await loadRatings(db, part)).sort(
      (a, b) => (order.get(a.contract_id) ?? 0) - (order.get(b.contract_id) ?? 0) || SIDE_ORDER[a.side] - SIDE_ORDER[b.side],
    )
    for (const r of ratings) {
      yield {
        type: 'contract_rating',
        version: 1,
        contract: contractExternalIds.get(r.contract_id) ?? '',
        side: r.side,
        items: [r.item_1, r.item_2, r.item_3, r.item_4, r.item_5],
        overall: r.overall,
        comment: r.comment,
        reply: r.reply,
        createdAt: r.created_at,
        repliedAt: r.replied_at,
      }
    }
  }
}
