import { insertNeed, insertOrg } from '../support/factories.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * A contract and everyone around it (issue 14 §2–§6), written straight into the tables
 * so each slice's tests start from the state they need without running the others'
 * use cases: an enterprise (owner + member) with a need, the winning provider (owner +
 * member) with its awarded bid, a rival bidder, a 监理机构, agencies over and outside
 * the region, an outsider; the contract in the status asked for, with milestones.
 */

export interface ContractWorld {
  region: string
  enterprise: Person
  enterpriseMember: Person
  provider: Person
  providerMember: Person
  rival: Person
  supervisor: Person
  /** A provider that is not a 监理机构 (cannot be appointed). */
  notSupervisor: Person
  agencyOver: Person
  agencyViewer: Person
  agencyElsewhere: Person
  outsider: Person
  needId: number
  bidId: number
  rivalBidId: number
  contractId: number
  milestoneIds: number[]
}

export interface ContractWorldOptions {
  status?: 'draft' | 'active' | 'completed' | 'terminated'
  /** Appoint the supervisor (default: no). */
  supervised?: boolean
  /** Milestones: percent and due date (default 30 % due in 30 days, 70 % in 90). */
  milestones?: Array<{ percent: number; dueDate: string; name?: string }>
  /** Amount in 万元 (default 200). */
  amountWan?: number
}

export function isoDate(offsetDays: number, from: Date = new Date()): string {
  return new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10)
}

export async function supervisorOrg(region = '321000'): Promise<Person> {
  const orgId = await insertOrg(db(), { kind: 'provider', region, name: `测试监理${Math.floor(Math.random() * 1e6)}` })
  await db().updateTable('organisations').set({ provider_kinds: '["supervisor"]' }).where('id', '=', orgId).execute()
  return personOf(orgId)
}

export async function contractWorld(options: ContractWorldOptions = {}): Promise<ContractWorld> {
  const region = '321023'
  const status = options.status ?? 'active'
  const now = new Date().toISOString()
  const enterpriseOrg = await insertOrg(db(), { kind: 'enterprise', region })
  const enterprise = await personOf(enterpriseOrg)
  const enterpriseMember = await personOf(enterpriseOrg, 'member')
  const providerOrg = await insertOrg(db(), { kind: 'provider', region: '321003' })
  const provider = await personOf(providerOrg)
  const providerMember = await personOf(providerOrg, 'member')
  const rival = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
  const supervisor = await supervisorOrg()
  const notSupervisor = await personOf(await insertOrg(db(), { kind: 'provider', region: '321000' }))
  const agencyOver = await agency('321000')
  const agencyViewer = await agency('321000', 'viewer')
  const agencyElsewhere = await agency('320500')
  const outsider = await personOf(await insertOrg(db(), { kind: 'enterprise', region }))

  const needId = await insertNeed(db(), enterpriseOrg, {
    region,
    status: status === 'draft' ? 'awarded' : status === 'completed' ? 'closed' : 'contracted',
  })
  const bid = (orgId: number, userId: number, st: 'awarded' | 'rejected') =>
    db()
      .insertInto('bids')
      .values({
        need_id: needId,
        provider_org_id: orgId,
        price_wan_x100: (options.amountWan ?? 200) * 100,
        duration_days: 120,
        plan: '设备联网、数据采集平台与 MES 对接，分两期实施。',
        status: st,
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const bidId = (await bid(providerOrg, provider.userId, 'awarded')).id
  const rivalBidId = (await bid(rival.orgId, rival.userId, 'rejected')).id

  const confirmed = status !== 'draft'
  const closed = status === 'completed' || status === 'terminated'
  const contract = await db()
    .insertInto('contracts')
    .values({
      need_id: needId,
      bid_id: bidId,
      enterprise_org_id: enterpriseOrg,
      provider_org_id: providerOrg,
      region_code: region,
      title: '冲压车间设备联网与数据采集项目合同',
      amount_wan_x100: (options.amountWan ?? 200) * 100,
      start_date: isoDate(0),
      construction_days: 120,
      technical_standards: JSON.stringify(['GB/T 39116-2020']),
      acceptance_standards: '设备联网率不低于 95%，数据采集延迟小于 1 秒。',
      quality_terms: '质量符合国家标准。',
      warranty_months: 12,
      dispute_clause: '协商不成的，提交项目所在地仲裁委员会仲裁。',
      status,
      enterprise_confirmed_by: confirmed ? enterprise.userId : null,
      enterprise_confirmed_at: confirmed ? now : null,
      provider_confirmed_by: confirmed ? provider.userId : null,
      provider_confirmed_at: confirmed ? now : null,
      supervisor_org_id: options.supervised ? supervisor.orgId : null,
      supervisor_appointed_by: options.supervised ? agencyOver.userId : null,
      supervisor_appointed_org_id: options.supervised ? agencyOver.orgId : null,
      supervisor_appointed_at: options.supervised ? now : null,
      created_by: enterprise.userId,
      created_at: now,
      updated_at: now,
      activated_at: confirmed ? now : null,
      closed_at: closed ? now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  const specs = options.milestones ?? [
    { percent: 30, dueDate: isoDate(30), name: '设备联网完成' },
    { percent: 70, dueDate: isoDate(90), name: '系统上线验收' },
  ]
  const amount = (options.amountWan ?? 200) * 100
  const milestoneIds: number[] = []
  for (const [i, m] of specs.entries()) {
    const row = await db()
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq: i + 1,
        name: m.name ?? `里程碑${i + 1}`,
        percent: m.percent,
        amount_wan_x100: Math.round((amount * m.percent) / 100),
        due_date: m.dueDate,
        criteria: '按合同约定的验收标准验收。',
        status: status === 'completed' ? 'accepted' : 'pending',
        accepted_at: status === 'completed' ? now : null,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    milestoneIds.push(row.id)
  }

  return {
    region,
    enterprise,
    enterpriseMember,
    provider,
    providerMember,
    rival,
    supervisor,
    notSupervisor,
    agencyOver,
    agencyViewer,
    agencyElsewhere,
    outsider,
    needId,
    bidId,
    rivalBidId,
    contractId: contract.id,
    milestoneIds,
  }
}
