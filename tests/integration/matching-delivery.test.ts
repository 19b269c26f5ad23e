import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { isPostgres } from '../../db/dialect.js'
import { rateContract } from '../../app/domain/contracts/ratings.server.js'
import { loadContractFacts, loadNeedForMatching, loadProvidersForMatching } from '../../app/domain/matching/data.server.js'
import { capacityFactor, deliveryFactor, ratingFactor } from '../../app/domain/matching/factors.js'
import { rankProviders } from '../../app/domain/matching/rank.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { contractWorld, isoDate } from './contract-world.js'
import { db } from './matching-world.js'
import { insertProvider } from './provider-directory-fixtures.js'

/*
 * Contracts feed matching (issue 14 §6): the enterprises' ratings join the diagnosis
 * surveys in the rating factor, milestones on time / late and disputes lost make the
 * delivery record, active contracts the capacity. Both dialects.
 */

const spec = (name: string) => ({
  name,
  kinds: ['integrator'],
  description: '设备联网、数据采集与工业互联网平台建设。',
  industries: ['C34'],
  scenarios: ['S401'],
  regions: ['321000'],
  teamSize: 20,
})

/** A contract of `providerOrgId` in the status asked for (a contract world, its provider swapped). */
async function contractOf(providerOrgId: number, status: 'active' | 'completed', dueDates: string[]) {
  const w = await contractWorld({
    status,
    milestones: dueDates.map((dueDate, i) => ({ percent: i === dueDates.length - 1 ? 100 - 10 * i : 10, dueDate })),
  })
  await db().updateTable('contracts').set({ provider_org_id: providerOrgId }).where('id', '=', w.contractId).execute()
  return w
}

async function accept(milestoneId: number, acceptedAt: string) {
  await db()
    .updateTable('contract_milestones')
    .set({ status: 'accepted', accepted_at: acceptedAt })
    .where('id', '=', milestoneId)
    .execute()
}

async function scores(needId: number, ids: number[]) {
  const need = (await loadNeedForMatching(db(), needId))!
  const providers = await loadProvidersForMatching(db(), new Map(ids.map((id) => [id, 1])))
  const result = rankProviders(need, providers, DEFAULT_WEIGHTS, { diversify: false })
  return new Map(result.ranked.map((r) => [r.orgId, r]))
}

describe('the delivery feed', () => {
  it('a provider with good ratings and milestones on time scores higher than before, and than its twin', async () => {
    const good = await insertProvider(db(), spec('交付良好科技'))
    const twin = await insertProvider(db(), spec('交付未知科技'))
    const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
    const needId = await insertNeed(db(), enterprise, { industry: 'C34', region: '321023', scenarios: ['S401'] })

    const before = await scores(needId, [good, twin])
    expect(before.get(good)!.score).toBe(before.get(twin)!.score)

    for (let i = 0; i < 3; i += 1) {
      const w = await contractOf(good, 'completed', ['2026-03-10', '2026-06-30'])
      // On time: accepted on the due date in China (23:59, 15:59 UTC) and earlier.
      await accept(w.milestoneIds[0]!, '2026-03-10T15:59:00.000Z')
      await accept(w.milestoneIds[1]!, '2026-06-20T02:00:00.000Z')
      await rateContract(db(), w.enterprise.actor, w.contractId, {
        item1: 'very_good',
        item2: 'very_good',
        item3: 'good',
        item4: 'very_good',
        item5: 'very_good',
        overall: 'satisfied',
        comment: '',
      })
    }

    const [p] = await loadProvidersForMatching(db(), new Map([[good, 1]]))
    expect(p!.delivery).toEqual({ milestonesOnTime: 6, milestonesLate: 0, disputesLost: 0, contractsCompleted: 3 })
    expect(p!.activeContracts).toBe(0)
    expect(p!.ratings).toHaveLength(3)
    expect(ratingFactor(p!).value).toBeGreaterThan(0.7)
    expect(deliveryFactor(p!)).toMatchObject({ value: 1, neutral: false })

    const after = await scores(needId, [good, twin])
    expect(after.get(good)!.score).toBeGreaterThan(before.get(good)!.score)
    expect(after.get(good)!.score).toBeGreaterThan(after.get(twin)!.score)
    expect(after.get(twin)!.score).toBe(before.get(twin)!.score)
  })

  it('late milestones and a lost dispute lower the delivery value', async () => {
    const late = await insertProvider(db(), spec('交付迟延科技'))
    const w = await contractOf(late, 'active', ['2026-03-10', '2026-04-10', '2026-05-10', '2026-12-31'])
    await accept(w.milestoneIds[0]!, '2026-03-10T10:00:00.000Z') // on time
    await accept(w.milestoneIds[1]!, '2026-04-10T16:00:00.000Z') // 00:00 the next day in China: late
    await db()
      .updateTable('contract_milestones')
      .set({ late_flagged_at: '2026-05-11T01:00:00.000Z' })
      .where('id', '=', w.milestoneIds[2]!)
      .execute() // flagged late, not accepted
    // Pending and not due: counts neither way.

    let [p] = await loadProvidersForMatching(db(), new Map([[late, 1]]))
    expect(p!.delivery).toEqual({ milestonesOnTime: 1, milestonesLate: 2, disputesLost: 0, contractsCompleted: 0 })
    const withoutDispute = deliveryFactor(p!).value
    expect(withoutDispute).toBeCloseTo(1 / 3, 5)

    const now = new Date().toISOString()
    const dispute = (fault: 'provider' | 'enterprise', status: 'resolved' | 'open') =>
      db()
        .insertInto('disputes')
        .values({
          contract_id: w.contractId,
          opened_side: 'enterprise',
          opened_org_id: w.enterprise.orgId,
          opened_by: w.enterprise.userId,
          subject: '进度严重滞后',
          description: '第二期里程碑逾期。',
          status,
          resolution: status === 'resolved' ? '服务商承担逾期责任。' : '',
          outcome: status === 'resolved' ? 'continue' : null,
          fault: status === 'resolved' ? fault : null,
          resolved_org_id: status === 'resolved' ? w.agencyOver.orgId : null,
          resolved_by: status === 'resolved' ? w.agencyOver.userId : null,
          resolved_at: status === 'resolved' ? now : null,
          created_at: now,
          updated_at: now,
        })
        .execute()
    await dispute('provider', 'resolved')
    await dispute('enterprise', 'resolved') // lost by the enterprise: not the provider's
    await dispute('provider', 'open') // not resolved yet
    ;[p] = await loadProvidersForMatching(db(), new Map([[late, 1]]))
    expect(p!.delivery.disputesLost).toBe(1)
    expect(deliveryFactor(p!).value).toBeLessThan(withoutDispute)
    expect(deliveryFactor(p!).reason.key).toBe('matching.why.deliveryDisputes')
  })

  it('active contracts feed capacity', async () => {
    const busy = await insertProvider(db(), spec('项目繁忙科技'))
    const [idle] = await loadProvidersForMatching(db(), new Map([[busy, 1]]))
    expect(capacityFactor(idle!).neutral).toBe(true)
    await contractOf(busy, 'active', [isoDate(30)])
    await contractOf(busy, 'active', [isoDate(60)])
    const [p] = await loadProvidersForMatching(db(), new Map([[busy, 1]]))
    expect(p!.activeContracts).toBe(2)
    // A team of 20: four project slots, two taken.
    expect(capacityFactor(p!)).toMatchObject({ value: 0.5, neutral: false })
  })

  it('ignores the supervisor’s score and the provider’s rating of the enterprise', async () => {
    const provider = await insertProvider(db(), spec('只有监理评分科技'))
    const w = await contractWorld({ status: 'completed', supervised: true })
    await db().updateTable('contracts').set({ provider_org_id: provider }).where('id', '=', w.contractId).execute()
    const grades = { item1: 'poor', item2: 'poor', item3: 'poor', item4: 'poor', item5: 'poor' } as const
    await rateContract(db(), w.supervisor.actor, w.contractId, { ...grades, overall: 'dissatisfied', comment: '' })
    const [p] = await loadProvidersForMatching(db(), new Map([[provider, 1]]))
    expect(p!.ratings).toEqual([])
  })

  it('reads the contract facts through the provider index, in three queries for many ids (SQLite plan)', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => 1_000_000 + i)
    const facts = await loadContractFacts(db(), ids)
    expect(facts.size).toBe(0)
    if (isPostgres(db())) return
    const compiled = db()
      .selectFrom('contracts as c')
      .select(['c.provider_org_id', sql<number>`sum(case when c.status = 'active' then 1 else 0 end)`.as('active')])
      .where('c.provider_org_id', 'in', ids)
      .groupBy('c.provider_org_id')
      .compile()
    const explain = (q: typeof compiled) => db().executeQuery<{ detail: string }>({ ...q, sql: `explain query plan ${q.sql}` })
    const rows = await explain(compiled)
    const details = rows.rows.map((r) => r.detail).join('\n')
    expect(details).toContain('contracts_provider_idx')
    const milestones = db()
      .selectFrom('contract_milestones as m')
      .innerJoin('contracts as c', 'c.id', 'm.contract_id')
      .select(['c.provider_org_id', sql<number>`count(*)`.as('n')])
      .where('c.provider_org_id', 'in', ids)
      .where('c.status', 'in', ['active', 'completed', 'terminated'])
      .groupBy('c.provider_org_id')
      .compile()
    const mPlan = await explain(milestones)
    const mDetails = mPlan.rows.map((r) => r.detail).join('\n')
    expect(mDetails).toContain('contracts_provider_idx')
    expect(mDetails).not.toMatch(/SCAN (m|contract_milestones)\b(?! USING)/)
  })
})
