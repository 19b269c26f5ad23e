import type { Insertable, Kysely } from 'kysely'
import type { MilestoneStatus } from '../../../../db/enums.js'
import type { ContractsTable, DB } from '../../../../db/types.js'
import { milestoneAmounts } from '../../contracts/draft.server.js'
import type { CrossCheck, ExchangeType, IdSpace, ImportOptions, Reference, WriteContext } from '../exchange-type.server.js'
import type { ExchangeIssue } from '../issues.js'
import { ZContractV1, type TContractV1 } from '../schemas/contract.v1.js'
import { actorChecks, actorsFor, isoOrNull, wanToX100, x100ToWan } from './actors.server.js'
import { BID } from './bid.server.js'
import { NEED } from './need.server.js'
import { ORGANISATION } from './organisation.server.js'

export const CONTRACT = 'contract'
const CHUNK = 500

export const contractSpace: IdSpace = {
  name: CONTRACT,
  table: 'contracts',
  exportPrefix: 'contract',
  /** Its status and whether a supervisor is appointed (ratings need a completed contract; the supervisor's, a supervised one). */
  async loadFacts(db, ids) {
    const out = new Map<number, { status: string; supervised: boolean }>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const r of await db
        .selectFrom('contracts')
        .select(['id', 'status', 'supervisor_org_id'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute())
        out.set(r.id, { status: r.status, supervised: r.supervisor_org_id !== null })
    }
    return out
  },
}

type MilestoneRow = {
  seq: number
  name: string
  percent: number
  amount_wan_x100: number
  due_date: string
  criteria: string
  status: MilestoneStatus
  round: number
  submitted_at: string | null
  accepted_at: string | null
  late_flagged_at: string | null
}

function contractColumns(c: {
  need_id: number
  bid_id: number
  enterprise_org_id: number
  provider_org_id: number
  title: string
  amount_wan_x100: number
  start_date: string | null
  construction_days: number
  technical_standards: string
  acceptance_standards: string
  quality_terms: string
  warranty_months: number
  dispute_clause: string
  status: string
  status_reason: string
  revision: number
  enterprise_confirmed_at: string | null
  provider_confirmed_at: string | null
  supervisor_org_id: number | null
  supervisor_appointed_org_id: number | null
  supervisor_appointed_at: string | null
  created_at: string
  activated_at: string | null
  closed_at: string | null
}) {
  return {
    need_id: Number(c.need_id),
    bid_id: Number(c.bid_id),
    enterprise_org_id: Number(c.enterprise_org_id),
    provider_org_id: Number(c.provider_org_id),
    title: c.title,
    amount_wan_x100: Number(c.amount_wan_x100),
    start_date: c.start_date === null ? null : String(c.start_date).slice(0, 10),
    construction_days: Number(c.construction_days),
    technical_standards: c.technical_standards,
    acceptance_standards: c.acceptance_standards,
    quality_terms: c.quality_terms,
    warranty_months: Number(c.warranty_months),
    dispute_clause: c.dispute_clause,
    status: c.status as ContractsTable['status']['__select__'],
    status_reason: c.status_reason,
    revision: Number(c.revision),
    enterprise_confirmed_at: isoOrNull(c.enterprise_confirmed_at),
    provider_confirmed_at: isoOrNull(c.provider_confirmed_at),
    supervisor_org_id: c.supervisor_org_id === null ? null : Number(c.supervisor_org_id),
    supervisor_appointed_org_id: c.supervisor_appointed_org_id === null ? null : Number(c.supervisor_appointed_org_id),
    supervisor_appointed_at: isoOrNull(c.supervisor_appointed_at),
    created_at: new Date(c.created_at).toISOString(),
    activated_at: isoOrNull(c.activated_at),
    closed_at: isoOrNull(c.closed_at),
  }
}

function milestoneColumns(m: MilestoneRow): MilestoneRow {
  return {
    seq: Number(m.seq),
    name: m.name,
    percent: Number(m.percent),
    amount_wan_x100: Number(m.amount_wan_x100),
    due_date: String(m.due_date).slice(0, 10),
    criteria: m.criteria,
    status: m.status,
    round: Number(m.round),
    submitted_at: isoOrNull(m.submitted_at),
    accepted_at: isoOrNull(m.accepted_at),
    late_flagged_at: isoOrNull(m.late_flagged_at),
  }
}

type ContractState = ReturnType<typeof contractColumns> & { id: number; milestones: MilestoneRow[] }

async function loadContracts(db: Kysely<DB>, by: 'id' | 'need_id', keys: readonly number[]): Promise<ContractState[]> {
  const out: ContractState[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .selectFrom('contracts')
      .selectAll()
      .where(by, 'in', keys.slice(i, i + CHUNK))
      .orderBy('need_id')
      .orderBy('id')
      .execute()
    const byId = new Map<number, ContractState>()
    for (const r of rows) {
      const state: ContractState = {
        id: r.id,
        ...contractColumns({
          ...r,
          start_date: r.start_date ?? null,
          enterprise_confirmed_at: r.enterprise_confirmed_at ?? null,
          provider_confirmed_at: r.provider_confirmed_at ?? null,
          supervisor_org_id: r.supervisor_org_id ?? null,
          supervisor_appointed_org_id: r.supervisor_appointed_org_id ?? null,
          supervisor_appointed_at: r.supervisor_appointed_at ?? null,
          activated_at: r.activated_at ?? null,
          closed_at: r.closed_at ?? null,
        }),
        milestones: [],
      }
      byId.set(r.id, state)
      out.push(state)
    }
    const ids = [...byId.keys()]
    for (let j = 0; j < ids.length; j += CHUNK) {
      for (const m of await db
        .selectFrom('contract_milestones')
        .select([
          'contract_id',
          'seq',
          'name',
          'percent',
          'amount_wan_x100',
          'due_date',
          'criteria',
          'status',
          'round',
          'submitted_at',
          'accepted_at',
          'late_flagged_at',
        ])
        .where('contract_id', 'in', ids.slice(j, j + CHUNK))
        .orderBy('contract_id')
        .orderBy('seq')
        .execute())
        byId.get(m.contract_id)?.milestones.push(
          milestoneColumns({
            ...m,
            submitted_at: m.submitted_at ?? null,
            accepted_at: m.accepted_at ?? null,
            late_flagged_at: m.late_flagged_at ?? null,
          }),
        )
    }
  }
  return out
}

function milestonesOf(record: TContractV1, amount: number): MilestoneRow[] {
  const amounts = milestoneAmounts(
    amount,
    record.milestones.map((m) => m.percent),
  )
  return record.milestones.map((m, i) =>
    milestoneColumns({
      seq: i + 1,
      name: m.name,
      percent: m.percent,
      amount_wan_x100: amounts[i]!,
      due_date: m.dueDate,
      criteria: m.criteria,
      status: m.status,
      round: m.round,
      submitted_at: m.submittedAt,
      accepted_at: m.acceptedAt,
      late_flagged_at: m.lateFlaggedAt,
    }),
  )
}

async function writeContracts(ctx: WriteContext, batch: readonly { line: number; record: TContractV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    CONTRACT,
    batch.map((b) => b.record.externalId),
    trx,
  )
  await ids.load(
    BID,
    batch.map((b) => b.record.bid),
    trx,
  )
  await ids.load(
    NEED,
    batch.map((b) => b.record.need),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.flatMap((b) => [
      b.record.enterprise,
      b.record.provider,
      ...(b.record.supervisor ? [b.record.supervisor.organisation, b.record.supervisor.appointedBy] : []),
    ]),
    trx,
  )
  // What the contract takes from its bid and need: the template version, the region.
  const bidIds = batch.map((b) => ids.require(BID, b.record.bid))
  const bidInfo = new Map<number, { template_version_id: number | null; region_code: string }>()
  for (let i = 0; i < bidIds.length; i += CHUNK) {
    for (const r of await trx
      .selectFrom('bids as b')
      .innerJoin('needs as n', 'n.id', 'b.need_id')
      .select(['b.id', 'b.template_version_id', 'n.region_code'])
      .where('b.id', 'in', bidIds.slice(i, i + CHUNK))
      .execute())
      bidInfo.set(r.id, { template_version_id: r.template_version_id ?? null, region_code: r.region_code })
  }
  const org = (ext: string) => ids.require(ORGANISATION, ext)
  const actor = await actorsFor(
    trx,
    ctx.options,
    batch.flatMap((b) => [
      org(b.record.enterprise),
      org(b.record.provider),
      ...(b.record.supervisor ? [org(b.record.supervisor.appointedBy)] : []),
    ]),
  )
  const mapped = batch.map((b) => ids.get(CONTRACT, b.record.externalId)).filter((id): id is number => id !== undefined)
  const current = new Map((await loadContracts(trx, 'id', mapped)).map((c) => [c.id, c]))
  for (const { record } of batch) {
    const enterpriseId = org(record.enterprise)
    const providerId = org(record.provider)
    const bidId = ids.require(BID, record.bid)
    const amount = wanToX100(record.amountWan)
    const columns = contractColumns({
      need_id: ids.require(NEED, record.need),
      bid_id: bidId,
      enterprise_org_id: enterpriseId,
      provider_org_id: providerId,
      title: record.title,
      amount_wan_x100: amount,
      start_date: record.startDate,
      construction_days: record.constructionDays,
      technical_standards: JSON.stringify(record.technicalStandards),
      acceptance_standards: record.acceptanceStandards,
      quality_terms: record.qualityTerms,
      warranty_months: record.warrantyMonths,
      dispute_clause: record.disputeClause,
      status: record.status,
      status_reason: record.statusReason,
      revision: record.revision,
      enterprise_confirmed_at: record.confirmations.enterprise?.at ?? null,
      provider_confirmed_at: record.confirmations.provider?.at ?? null,
      supervisor_org_id: record.supervisor ? org(record.supervisor.organisation) : null,
      supervisor_appointed_org_id: record.supervisor ? org(record.supervisor.appointedBy) : null,
      supervisor_appointed_at: record.supervisor?.appointedAt ?? null,
      created_at: record.createdAt,
      activated_at: record.activatedAt,
      closed_at: record.closedAt,
    })
    const milestones = milestonesOf(record, amount)
    const was = current.get(ids.get(CONTRACT, record.externalId) ?? 0)
    // The people: the side's owner (or the operator), kept when the confirmation stays the same.
    const people = {
      enterprise_confirmed_by:
        columns.enterprise_confirmed_at === null
          ? null
          : was && was.enterprise_confirmed_at === columns.enterprise_confirmed_at
            ? undefined
            : actor(enterpriseId),
      provider_confirmed_by:
        columns.provider_confirmed_at === null
          ? null
          : was && was.provider_confirmed_at === columns.provider_confirmed_at
            ? undefined
            : actor(providerId),
      supervisor_appointed_by:
        columns.supervisor_appointed_org_id === null
          ? null
          : was &&
              was.supervisor_appointed_at === columns.supervisor_appointed_at &&
              was.supervisor_appointed_org_id === columns.supervisor_appointed_org_id
            ? undefined
            : actor(columns.supervisor_appointed_org_id),
    }
    const info = bidInfo.get(bidId)
    if (!was) {
      const row: Insertable<ContractsTable> = {
        ...columns,
        enterprise_confirmed_by: people.enterprise_confirmed_by ?? null,
        provider_confirmed_by: people.provider_confirmed_by ?? null,
        supervisor_appointed_by: people.supervisor_appointed_by ?? null,
        template_version_id: info?.template_version_id ?? null,
        region_code: info?.region_code ?? '',
        created_by: actor(enterpriseId),
        updated_at: now,
      }
      const { id } = await trx.insertInto('contracts').values(row).returning('id').executeTakeFirstOrThrow()
      await trx
        .insertInto('contract_milestones')
        .values(milestones.map((m) => ({ ...m, contract_id: id, updated_at: now })))
        .execute()
      ids.stage(CONTRACT, record.externalId, id, now)
      ctx.count(CONTRACT, 'created')
      continue
    }
    const { id, milestones: before, ...beforeColumns } = was
    const rowChanged = JSON.stringify(beforeColumns) !== JSON.stringify(columns)
    const milestonesChanged = JSON.stringify(before) !== JSON.stringify(milestones)
    if (!rowChanged && !milestonesChanged) {
      ctx.count(CONTRACT, 'unchanged')
      continue
    }
    if (rowChanged) {
      const set = Object.fromEntries(Object.entries(people).filter(([, v]) => v !== undefined))
      await trx
        .updateTable('contracts')
        .set({ ...columns, ...set, updated_at: now })
        .where('id', '=', id)
        .execute()
    }
    if (milestonesChanged) {
      // In place by number (submissions, reviews and logs stay attached); extra ones go.
      for (const m of milestones) {
        const old = before.find((b) => b.seq === m.seq)
        if (!old)
          await trx
            .insertInto('contract_milestones')
            .values({ ...m, contract_id: id, updated_at: now })
            .execute()
        else if (JSON.stringify(old) !== JSON.stringify(m)) {
          await trx
            .updateTable('contract_milestones')
            .set({ ...m, updated_at: now })
            .where('contract_id', '=', id)
            .where('seq', '=', m.seq)
            .execute()
        }
      }
      if (before.length > milestones.length) {
        await trx.deleteFrom('contract_milestones').where('contract_id', '=', id).where('seq', '>', milestones.length).execute()
      }
    }
    ctx.count(CONTRACT, 'updated')
  }
}

/** One contract per bid: in the file, and with the contracts already in the database (those the file does not name). */
function contractChecks(options: ImportOptions): CrossCheck<TContractV1> {
  const all: { line: number; record: TContractV1 }[] = []
  const seen = new Map<string, number>()
  const extra: CrossCheck<TContractV1> = {
    add(record, line) {
      all.push({ line, record })
      const first = seen.get(record.bid)
      if (first !== undefined) return [{ line, path: ['bid'], key: 'exchange.v.contractInFile', params: { line: first } }]
      seen.set(record.bid, line)
      return []
    },
    async finish(db, ids) {
      if (all.length === 0) return []
      await ids.load(
        CONTRACT,
        all.map((a) => a.record.externalId),
        db,
      )
      await ids.load(
        BID,
        all.map((a) => a.record.bid),
        db,
      )
      const inFile = new Set(
        all.map((a) => ids.get(CONTRACT, a.record.externalId)).filter((id): id is number => id !== undefined),
      )
      const bidIds = [...new Set(all.map((a) => ids.get(BID, a.record.bid)).filter((id): id is number => id !== undefined))]
      const holders = new Map<number, number>()
      for (let i = 0; i < bidIds.length; i += CHUNK) {
        for (const r of await db
          .selectFrom('contracts')
          .select(['id', 'bid_id'])
          .where('bid_id', 'in', bidIds.slice(i, i + CHUNK))
          .execute())
          if (!inFile.has(r.id)) holders.set(r.bid_id, r.id)
      }
      const issues: ExchangeIssue[] = []
      for (const { line, record } of all) {
        const holder = holders.get(ids.get(BID, record.bid) ?? 0)
        if (holder !== undefined) issues.push({ line, path: ['bid'], key: 'exchange.v.contractTaken', params: { id: holder } })
      }
      return issues
    },
  }
  return actorChecks(
    options,
    (c) => [
      { path: ['enterprise'], organisation: c.enterprise },
      ...(c.confirmations.provider ? [{ path: ['provider'], organisation: c.provider }] : []),
      ...(c.supervisor ? [{ path: ['supervisor', 'appointedBy'], organisation: c.supervisor.appointedBy }] : []),
    ],
    extra,
  )
}

export const contractType: ExchangeType<TContractV1> = {
  type: CONTRACT,
  current: 1,
  schemas: { 1: ZContractV1 },
  key: (c) => c.externalId,
  defines: (c) => ({ space: CONTRACT, externalId: c.externalId, facts: { status: c.status, supervised: c.supervisor !== null } }),
  references: (c) => {
    const refs: Reference[] = [
      {
        path: ['bid'],
        space: BID,
        externalId: c.bid,
        expect: { facts: { status: 'awarded', need: c.need, provider: c.provider }, key: 'exchange.v.bidNotAwarded' },
      },
      {
        path: ['need'],
        space: NEED,
        externalId: c.need,
        expect: { facts: { organisation: c.enterprise }, key: 'exchange.v.needNotEnterprise' },
      },
      {
        path: ['enterprise'],
        space: ORGANISATION,
        externalId: c.enterprise,
        expect: { facts: { kind: 'enterprise' }, key: 'exchange.v.notEnterprise' },
      },
      {
        path: ['provider'],
        space: ORGANISATION,
        externalId: c.provider,
        expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
      },
    ]
    if (c.supervisor) {
      refs.push(
        {
          path: ['supervisor', 'organisation'],
          space: ORGANISATION,
          externalId: c.supervisor.organisation,
          expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
        },
        {
          path: ['supervisor', 'appointedBy'],
          space: ORGANISATION,
          externalId: c.supervisor.appointedBy,
          expect: { facts: { kind: 'agency' }, key: 'exchange.v.notAgency' },
        },
      )
    }
    return refs
  },
  checkCodes: () => [],
  crossCheck: (options) => contractChecks(options),
  // After the bids they are made from.
  phase: () => 6,
  write: writeContracts,
}

// ---------------------------------------------------------------- reading (export)

/** The organisations an export of these needs' contracts must carry: supervisors and the agencies that appointed them. */
export async function partiesOfContracts(db: Kysely<DB>, needIds: readonly number[]): Promise<number[]> {
  const out = new Set<number>()
  for (const c of await loadContracts(db, 'need_id', needIds)) {
    if (c.supervisor_org_id !== null) out.add(c.supervisor_org_id)
    if (c.supervisor_appointed_org_id !== null) out.add(c.supervisor_appointed_org_id)
  }
  return [...out]
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** The contracts of these needs, need by need in the order given. */
export async function* readContracts(
  db: Kysely<DB>,
  needIds: readonly number[],
  externals: {
    need: ReadonlyMap<number, string>
    org: ReadonlyMap<number, string>
    bid: (ids: readonly number[]) => Promise<ReadonlyMap<number, string>>
    contract: (ids: readonly number[]) => Promise<ReadonlyMap<number, string>>
  },
): AsyncGenerator<TContractV1> {
  for (let i = 0; i < needIds.length; i += CHUNK) {
    const part = needIds.slice(i, i + CHUNK)
    const contracts = await loadContracts(db, 'need_id', part)
    const order = new Map(part.map((id, k) => [id, k]))
    contracts.sort((a, b) => (order.get(a.need_id) ?? 0) - (order.get(b.need_id) ?? 0) || a.id - b.id)
    const bids = await externals.bid(contracts.map((c) => c.bid_id))
    const own = await externals.contract(contracts.map((c) => c.id))
    const org = (id: number) => externals.org.get(id) ?? ''
    for (const c of contracts) {
      yield {
        type: 'contract',
        version: 1,
        externalId: own.get(c.id) ?? '',
        bid: bids.get(c.bid_id) ?? '',
        need: externals.need.get(c.need_id) ?? '',
        enterprise: org(c.enterprise_org_id),
        provider: org(c.provider_org_id),
        title: c.title,
        amountWan: x100ToWan(c.amount_wan_x100),
        startDate: c.start_date,
        constructionDays: c.construction_days,
        technicalStandards: parseList(c.technical_standards),
        acceptanceStandards: c.acceptance_standards,
        qualityTerms: c.quality_terms,
        warrantyMonths: c.warranty_months,
        disputeClause: c.dispute_clause,
        status: c.status,
        statusReason: c.status_reason,
        revision: c.revision,
        confirmations: {
          enterprise: c.enterprise_confirmed_at === null ? null : { at: c.enterprise_confirmed_at },
          provider: c.provider_confirmed_at === null ? null : { at: c.provider_confirmed_at },
        },
        supervisor:
          c.supervisor_org_id === null || c.supervisor_appointed_at === null
            ? null
            : {
                organisation: org(c.supervisor_org_id),
                appointedBy: c.supervisor_appointed_org_id === null ? '' : org(c.supervisor_appointed_org_id),
                appointedAt: c.supervisor_appointed_at,
              },
        milestones: c.milestones.map((m) => ({
          name: m.name,
          percent: m.percent,
          dueDate: m.due_date,
          criteria: m.criteria,
          status: m.status,
          round: m.round,
          submittedAt: m.submitted_at,
          acceptedAt: m.accepted_at,
          lateFlaggedAt: m.late_flagged_at,
        })),
        createdAt: c.created_at,
        activatedAt: c.activated_at,
        closedAt: c.closed_at,
      }
    }
  }
}
