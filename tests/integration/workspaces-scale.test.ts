import { beforeAll, describe, expect, it } from 'vitest'
import {
  agencyContracts,
  enterpriseProjects,
  providerContracts,
  supervisorProjects,
} from '../../app/domain/workspaces/workspaces.server.js'
import { insertOrg } from '../support/factories.js'
import { supervisorOrg } from './contract-world.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * The workspaces stay bounded at 10 000 contracts: one enterprise with half of them,
 * one provider with half, a 监理机构 with a fifth, a province agency over all — each
 * page (counts, 20 rows, the rows' milestones, reviews, disputes and ratings) answers
 * well under a second on both dialects, and the counts agree with counting the rows.
 * 新疆 (650000) is this file's own province.
 */

const CONTRACTS = 10_000
const STATUSES = ['draft', 'active', 'active', 'active', 'completed', 'terminated'] as const

let enterprise: Person
let provider: Person
let supervisor: Person
let province: Person
const timings: Record<string, number> = {}

beforeAll(async () => {
  const counties = (await db().selectFrom('regions').select(['code', 'level']).where('code', 'like', '65%').execute())
    .filter((r) => r.level === 'county')
    .map((r) => r.code)
  expect(counties.length).toBeGreaterThan(10)
  const eOrg = await insertOrg(db(), { kind: 'enterprise', region: counties[0]! })
  const pOrg = await insertOrg(db(), { kind: 'provider', region: counties[1]! })
  const otherE = await insertOrg(db(), { kind: 'enterprise', region: counties[2]! })
  const otherP = await insertOrg(db(), { kind: 'provider', region: counties[3]! })
  enterprise = await personOf(eOrg)
  provider = await personOf(pOrg)
  supervisor = await supervisorOrg('650000')
  province = await agency('650000')
  const now = new Date().toISOString()
  for (let start = 0; start < CONTRACTS; start += 500) {
    const range = Array.from({ length: Math.min(500, CONTRACTS - start) }, (_, k) => start + k)
    const needs = await db()
      .insertInto('needs')
      .values(
        range.map((i) => ({
          org_id: i % 2 === 0 ? eOrg : otherE,
          title: `新疆规模测试需求${i}`,
          description: '规模测试',
          industry_code: 'C34',
          region_code: counties[i % counties.length]!,
          target_level: 'digital_workshop' as const,
          budget_min_wan: 100,
          budget_max_wan: 300,
          expected_start: '2027-01-01',
          duration_months: 6,
          visibility: 'public' as const,
          status: 'contracted' as const,
          published_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute()
    const bids = await db()
      .insertInto('bids')
      .values(
        range.map((i, k) => ({
          need_id: needs[k]!.id,
          provider_org_id: i % 2 === 1 || i % 4 === 0 ? pOrg : otherP,
          price_wan_x100: 10_000,
          duration_days: 60,
          plan: '规模测试',
          status: 'awarded' as const,
          created_by: provider.userId,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning(['id', 'need_id', 'provider_org_id'])
      .execute()
    const contracts = await db()
      .insertInto('contracts')
      .values(
        range.map((i, k) => {
          const status = STATUSES[i % STATUSES.length]!
          const confirmed = status !== 'draft'
          const supervised = i % 5 === 0
          return {
            need_id: needs[k]!.id,
            bid_id: bids[k]!.id,
            enterprise_org_id: i % 2 === 0 ? eOrg : otherE,
            provider_org_id: bids[k]!.provider_org_id,
            region_code: counties[i % counties.length]!,
            title: `新疆规模测试合同${i}`,
            amount_wan_x100: 10_000,
            construction_days: 60,
            warranty_months: 12,
            status,
            enterprise_confirmed_by: confirmed ? enterprise.userId : null,
            enterprise_confirmed_at: confirmed ? now : null,
            provider_confirmed_by: confirmed ? provider.userId : null,
            provider_confirmed_at: confirmed ? now : null,
            supervisor_org_id: supervised ? supervisor.orgId : null,
            supervisor_appointed_by: supervised ? province.userId : null,
            supervisor_appointed_org_id: supervised ? province.orgId : null,
            supervisor_appointed_at: supervised ? now : null,
            created_by: enterprise.userId,
            created_at: now,
            updated_at: now,
          }
        }),
      )
      .returning(['id', 'status'])
      .execute()
    await db()
      .insertInto('contract_milestones')
      .values(
        contracts.flatMap((c, k) =>
          [1, 2].map((seq) => ({
            contract_id: c.id,
            seq,
            name: `阶段${seq}`,
            percent: 50,
            amount_wan_x100: 5_000,
            due_date: '2026-01-01',
            status: c.status === 'completed' ? 'accepted' : seq === 1 && k % 3 === 0 ? 'submitted' : 'pending',
            round: c.status !== 'completed' && seq === 1 && k % 3 === 0 ? 1 : 0,
            late_flagged_at: c.status === 'active' && seq === 2 && k % 7 === 0 ? now : null,
            updated_at: now,
          })),
        ),
      )
      .execute()
    const disputed = contracts.filter((_, k) => k % 11 === 0)
    await db()
      .insertInto('disputes')
      .values(
        disputed.map((c) => ({
          contract_id: c.id,
          opened_side: 'provider' as const,
          opened_org_id: pOrg,
          opened_by: provider.userId,
          subject: '规模测试纠纷',
          description: '规模测试',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
  }
}, 300_000)

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  await run() // warm: reference data, prepared statements
  const start = performance.now()
  const result = await run()
  timings[label] = Math.round((performance.now() - start) * 10) / 10
  return result
}

async function countContracts(where: { column: 'enterprise_org_id' | 'provider_org_id' | 'supervisor_org_id'; id: number }) {
  const rows = await db()
    .selectFrom('contracts')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where(where.column, '=', where.id)
    .groupBy('status')
    .execute()
  return Object.fromEntries(
    (['draft', 'active', 'completed', 'terminated'] as const).map((st) => [
      st,
      Number(rows.find((r) => r.status === st)?.n ?? 0),
    ]),
  )
}

describe('workspaces at 10 000 contracts', () => {
  it('我的项目, 我的合同, 监理项目: counts agree, 20 rows, well under a second', async () => {
    const e = await timed('我的项目 active', () => enterpriseProjects(db(), enterprise.actor, { tab: 'active', page: 3 }))
    expect(e.contracts).toHaveLength(20)
    const eTruth = await countContracts({ column: 'enterprise_org_id', id: enterprise.orgId })
    expect({
      draft: e.counts.draft,
      active: e.counts.active,
      completed: e.counts.completed,
      terminated: e.counts.terminated,
    }).toEqual(eTruth)
    expect(e.contracts.some((r) => r.next.action === 'review')).toBe(true)
    const p = await timed('我的合同 active', () => providerContracts(db(), provider.actor, { tab: 'active', page: 10 }))
    expect(p.contracts).toHaveLength(20)
    expect(p.counts).toEqual(await countContracts({ column: 'provider_org_id', id: provider.orgId }))
    const s = await timed('监理项目 active', () => supervisorProjects(db(), supervisor.actor, { tab: 'active', page: 1 }))
    expect(s.contracts).toHaveLength(20)
    expect(s.counts).toEqual(await countContracts({ column: 'supervisor_org_id', id: supervisor.orgId }))
    for (const [label, ms] of Object.entries(timings)) expect(ms, label).toBeLessThan(1000)
  })

  it('合同监管 of the province: each filter counted right, 20 rows, well under a second', async () => {
    const all = await timed('合同监管 all', () => agencyContracts(db(), province.actor, { filter: 'all', page: 1 }))
    expect(all.counts.all).toBe(CONTRACTS)
    const late = await timed('合同监管 late', () => agencyContracts(db(), province.actor, { filter: 'late', page: 2 }))
    const lateTruth = await db()
      .selectFrom('contracts as c')
      .select((eb) => eb.fn.count<string | number>('c.id').distinct().as('n'))
      .innerJoin('contract_milestones as m', 'm.contract_id', 'c.id')
      .where('c.region_code', 'like', '65%')
      .where('c.status', '=', 'active')
      .where('m.late_flagged_at', 'is not', null)
      .where('m.status', '<>', 'accepted')
      .executeTakeFirstOrThrow()
    expect(late.counts.late).toBe(Number(lateTruth.n))
    expect(late.contracts).toHaveLength(20)
    const disputed = await timed('合同监管 disputed', () =>
      agencyContracts(db(), province.actor, { filter: 'disputed', page: 1 }),
    )
    const disputedTruth = await db()
      .selectFrom('disputes')
      .select((eb) => eb.fn.count<string | number>('contract_id').distinct().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    expect(disputed.counts.disputed).toBe(Number(disputedTruth.n))
    expect(disputed.contracts.every((r) => r.next.action === 'dispute')).toBe(true)
    const unsupervised = await timed('合同监管 unsupervised', () =>
      agencyContracts(db(), province.actor, { filter: 'unsupervised', page: 1 }),
    )
    expect(unsupervised.contracts.every((r) => r.supervisorName === null)).toBe(true)
    console.log('workspaces at 10 000 contracts (ms):', JSON.stringify(timings))
    for (const [label, ms] of Object.entries(timings)) expect(ms, label).toBeLessThan(1000)
  })
})
