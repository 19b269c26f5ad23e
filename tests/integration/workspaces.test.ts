import { beforeAll, describe, expect, it } from 'vitest'
import {
  agencyContracts,
  enterpriseProjects,
  providerContracts,
  supervisorProjects,
} from '../../app/domain/workspaces/workspaces.server.js'
import * as agencyPage from '../../app/routes/agency.contracts.js'
import * as enterprisePage from '../../app/routes/enterprise.projects.js'
import * as providerPage from '../../app/routes/provider.contracts.js'
import * as supervisorPage from '../../app/routes/supervisor.projects.js'
import type { AppError } from '../../app/utils/errors.js'
import { insertNeed } from '../support/factories.js'
import { call } from '../support/http.js'
import { contractWorld, isoDate, type ContractWorld } from './contract-world.js'
import { db } from './matching-world.js'

/*
 * The workspaces (issue 14 §7): 我的项目, 我的合同, 监理项目, 合同监管 — counts per tab,
 * each row's next action, every list narrowed to the actor's organisation (or
 * jurisdiction), 20 a page.
 */

let w: ContractWorld

/** Another contract between w's parties (a need, its awarded bid, two milestones). */
async function addContract(
  status: 'draft' | 'active' | 'completed' | 'terminated',
  options: { enterpriseConfirmed?: boolean; providerConfirmed?: boolean; supervised?: boolean } = {},
): Promise<{ contractId: number; milestoneIds: number[] }> {
  const now = new Date().toISOString()
  const needId = await insertNeed(db(), w.enterprise.orgId, { region: w.region, status: 'contracted' })
  const bid = await db()
    .insertInto('bids')
    .values({
      need_id: needId,
      provider_org_id: w.provider.orgId,
      price_wan_x100: 10_000,
      duration_days: 60,
      plan: '工作台测试方案',
      status: 'awarded',
      created_by: w.provider.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const ec = options.enterpriseConfirmed ?? status !== 'draft'
  const pc = options.providerConfirmed ?? status !== 'draft'
  const contract = await db()
    .insertInto('contracts')
    .values({
      need_id: needId,
      bid_id: bid.id,
      enterprise_org_id: w.enterprise.orgId,
      provider_org_id: w.provider.orgId,
      region_code: w.region,
      title: `工作台测试合同 ${status}`,
      amount_wan_x100: 10_000,
      construction_days: 60,
      warranty_months: 12,
      status,
      enterprise_confirmed_by: ec ? w.enterprise.userId : null,
      enterprise_confirmed_at: ec ? now : null,
      provider_confirmed_by: pc ? w.provider.userId : null,
      provider_confirmed_at: pc ? now : null,
      supervisor_org_id: options.supervised ? w.supervisor.orgId : null,
      supervisor_appointed_by: options.supervised ? w.agencyOver.userId : null,
      supervisor_appointed_org_id: options.supervised ? w.agencyOver.orgId : null,
      supervisor_appointed_at: options.supervised ? now : null,
      created_by: w.enterprise.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const milestoneIds: number[] = []
  for (const seq of [1, 2]) {
    const m = await db()
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq,
        name: `阶段${seq}`,
        percent: 50,
        amount_wan_x100: 5_000,
        due_date: isoDate(30 * seq),
        status: status === 'completed' ? 'accepted' : 'pending',
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    milestoneIds.push(m.id)
  }
  return { contractId: contract.id, milestoneIds }
}

async function rate(contractId: number, side: 'enterprise' | 'provider' | 'supervisor') {
  const rater = side === 'enterprise' ? w.enterprise : side === 'provider' ? w.provider : w.supervisor
  await db()
    .insertInto('contract_ratings')
    .values({
      contract_id: contractId,
      side,
      rater_org_id: rater.orgId,
      rated_org_id: side === 'provider' ? w.enterprise.orgId : w.provider.orgId,
      rated_by: rater.userId,
      item_1: 'good',
      item_2: 'good',
      item_3: 'good',
      item_4: 'good',
      item_5: 'good',
      overall: 'satisfied',
      created_at: new Date().toISOString(),
    })
    .execute()
}

async function bidOn(needId: number, status: 'submitted' | 'shortlisted' | 'withdrawn') {
  const now = new Date().toISOString()
  const provider = await db().selectFrom('organisations').select('id').where('id', '=', w.rival.orgId).executeTakeFirstOrThrow()
  // One live bid per need and provider: the rival for live ones, w's provider for withdrawn ones.
  await db()
    .insertInto('bids')
    .values({
      need_id: needId,
      provider_org_id: status === 'withdrawn' ? w.provider.orgId : provider.id,
      price_wan_x100: 5_000,
      duration_days: 30,
      plan: '方案',
      status,
      created_by: status === 'withdrawn' ? w.provider.userId : w.rival.userId,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

const c = {} as {
  draftToConfirm: Awaited<ReturnType<typeof addContract>>
  draftConfirmed: Awaited<ReturnType<typeof addContract>>
  completedUnrated: Awaited<ReturnType<typeof addContract>>
  completedRated: Awaited<ReturnType<typeof addContract>>
  terminated: Awaited<ReturnType<typeof addContract>>
  deciding: number[]
  notDeciding: number
}

beforeAll(async () => {
  w = await contractWorld({ supervised: true })
  c.draftToConfirm = await addContract('draft', { providerConfirmed: true })
  c.draftConfirmed = await addContract('draft', { enterpriseConfirmed: true })
  c.completedUnrated = await addContract('completed', { supervised: true })
  c.completedRated = await addContract('completed')
  await rate(c.completedRated.contractId, 'enterprise')
  await rate(c.completedRated.contractId, 'provider')
  c.terminated = await addContract('terminated')
  // Needs waiting for a decision: published with two live bids, shortlisting with one;
  // not: a published need whose only bid was withdrawn, a draft.
  const a = await insertNeed(db(), w.enterprise.orgId, { region: w.region, title: '待定标需求甲' })
  await bidOn(a, 'submitted')
  await bidOn(a, 'withdrawn')
  const b = await insertNeed(db(), w.enterprise.orgId, { region: w.region, title: '待定标需求乙', status: 'shortlisting' })
  await bidOn(b, 'shortlisted')
  c.notDeciding = await insertNeed(db(), w.enterprise.orgId, { region: w.region })
  await bidOn(c.notDeciding, 'withdrawn')
  c.deciding = [b, a]
})

describe('我的项目 (enterprise)', () => {
  it('counts per tab and the next action of each row', async () => {
    const page = await enterpriseProjects(db(), w.enterpriseMember.actor, { tab: 'deciding', page: 1 })
    expect(page.counts).toEqual({ deciding: 2, draft: 2, active: 1, completed: 2, terminated: 1 })
    expect(page.needs.map((n) => n.id)).toEqual(c.deciding)
    expect(page.needs.map((n) => n.bidsWaiting)).toEqual([1, 1])
    expect(page.needs[0]!.next).toEqual({ action: 'compare', href: `/enterprise/needs/${c.deciding[0]}/compare` })

    const drafts = await enterpriseProjects(db(), w.enterprise.actor, { tab: 'draft', page: 1 })
    const next = new Map(drafts.contracts.map((r) => [r.id, r.next]))
    expect(next.get(c.draftToConfirm.contractId)).toEqual({
      action: 'confirm',
      href: `/contracts/${c.draftToConfirm.contractId}`,
    })
    expect(next.get(c.draftConfirmed.contractId)?.action).toBe('waitConfirm')

    const completed = await enterpriseProjects(db(), w.enterprise.actor, { tab: 'completed', page: 1 })
    const done = new Map(completed.contracts.map((r) => [r.id, r.next]))
    expect(done.get(c.completedUnrated.contractId)).toEqual({
      action: 'rate',
      href: `/contracts/${c.completedUnrated.contractId}/ratings`,
    })
    expect(done.get(c.completedRated.contractId)?.action).toBe('view')
    expect(completed.contracts.find((r) => r.id === c.completedRated.contractId)).toMatchObject({
      milestonesAccepted: 2,
      milestonesTotal: 2,
    })
  })

  it('active: 验收里程碑 while a submitted milestone waits for the enterprise', async () => {
    const at = new Date().toISOString()
    await db()
      .updateTable('contract_milestones')
      .set({ status: 'submitted', round: 1, submitted_at: at })
      .where('id', '=', w.milestoneIds[0]!)
      .execute()
    const page = await enterpriseProjects(db(), w.enterprise.actor, { tab: 'active', page: 1 })
    expect(page.contracts.map((r) => r.id)).toEqual([w.contractId])
    expect(page.contracts[0]!.next).toEqual({
      action: 'review',
      href: `/contracts/${w.contractId}/milestones/${w.milestoneIds[0]}`,
    })
    // The supervisor too, until it decides.
    const sup = await supervisorProjects(db(), w.supervisor.actor, { tab: 'active', page: 1 })
    expect(sup.contracts[0]!.next.action).toBe('review')
    await db()
      .insertInto('milestone_reviews')
      .values({
        milestone_id: w.milestoneIds[0]!,
        round: 1,
        side: 'enterprise',
        decision: 'accepted',
        org_id: w.enterprise.orgId,
        decided_by: w.enterprise.userId,
        decided_at: at,
      })
      .execute()
    const after = await enterpriseProjects(db(), w.enterprise.actor, { tab: 'active', page: 1 })
    expect(after.contracts[0]!.next.action).toBe('view')
    expect((await supervisorProjects(db(), w.supervisor.actor, { tab: 'active', page: 1 })).contracts[0]!.next.action).toBe(
      'review',
    )
  })

  it('only the enterprise’s own; others refused', async () => {
    const other = await enterpriseProjects(db(), w.outsider.actor, { tab: 'draft', page: 1 })
    expect(other.counts).toEqual({ deciding: 0, draft: 0, active: 0, completed: 0, terminated: 0 })
    for (const p of [w.provider, w.supervisor, w.agencyOver]) {
      const error = await enterpriseProjects(db(), p.actor, { tab: 'deciding', page: 1 }).catch((e: unknown) => e)
      expect((error as AppError).code).toBe('FORBIDDEN')
    }
    expect((await call(enterprisePage, { path: '/enterprise/projects?tab=active', cookie: w.enterprise.cookie })).status).toBe(
      200,
    )
    expect(
      (await call(enterprisePage, { path: '/enterprise/projects?tab=nonsense&page=x', cookie: w.enterprise.cookie })).status,
    ).toBe(200)
    expect((await call(enterprisePage, { path: '/enterprise/projects', cookie: w.provider.cookie })).status).toBe(403)
    expect((await call(enterprisePage, { path: '/enterprise/projects' })).status).toBe(302)
  })
})

describe('我的合同 (provider)', () => {
  it('counts per tab; 提交里程碑 for a rejected milestone first, then a pending one; 评价 once completed', async () => {
    const page = await providerContracts(db(), w.providerMember.actor, { tab: 'active', page: 1 })
    expect(page.counts).toEqual({ draft: 2, active: 1, completed: 2, terminated: 1 })
    // w's first milestone is submitted (above): the next pending one is to submit.
    expect(page.contracts[0]!.next).toEqual({
      action: 'submit',
      href: `/contracts/${w.contractId}/milestones/${w.milestoneIds[1]}`,
    })
    await db().updateTable('contract_milestones').set({ status: 'rejected' }).where('id', '=', w.milestoneIds[0]!).execute()
    expect((await providerContracts(db(), w.provider.actor, { tab: 'active', page: 1 })).contracts[0]!.next.href).toBe(
      `/contracts/${w.contractId}/milestones/${w.milestoneIds[0]}`,
    )
    await db().updateTable('contract_milestones').set({ status: 'submitted' }).where('id', '=', w.milestoneIds[0]!).execute()

    const drafts = await providerContracts(db(), w.provider.actor, { tab: 'draft', page: 1 })
    const next = new Map(drafts.contracts.map((r) => [r.id, r.next.action]))
    expect(next.get(c.draftToConfirm.contractId)).toBe('waitConfirm')
    expect(next.get(c.draftConfirmed.contractId)).toBe('confirm')
    const completed = await providerContracts(db(), w.provider.actor, { tab: 'completed', page: 1 })
    const done = new Map(completed.contracts.map((r) => [r.id, r.next.action]))
    expect(done.get(c.completedUnrated.contractId)).toBe('rate')
    expect(done.get(c.completedRated.contractId)).toBe('view')
  })

  it('only the provider’s own; pages of 20', async () => {
    const rival = await providerContracts(db(), w.rival.actor, { tab: 'active', page: 1 })
    expect(rival.counts).toEqual({ draft: 0, active: 0, completed: 0, terminated: 0 })
    const error = await providerContracts(db(), w.enterprise.actor, { tab: 'active', page: 1 }).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('FORBIDDEN')
    expect((await call(providerPage, { path: '/provider/contracts?tab=terminated', cookie: w.provider.cookie })).status).toBe(200)
    expect((await call(providerPage, { path: '/provider/contracts', cookie: w.enterprise.cookie })).status).toBe(403)

    const world = await contractWorld({ status: 'terminated' })
    const saved = w
    w = world
    try {
      for (let i = 0; i < 24; i++) await addContract('terminated')
    } finally {
      w = saved
    }
    const first = await providerContracts(db(), world.provider.actor, { tab: 'terminated', page: 1 })
    expect(first.counts.terminated).toBe(25)
    expect(first.contracts).toHaveLength(20)
    expect(first.pageCount).toBe(2)
    const second = await providerContracts(db(), world.provider.actor, { tab: 'terminated', page: 2 })
    expect(second.contracts).toHaveLength(5)
    expect(new Set([...first.contracts, ...second.contracts].map((r) => r.id)).size).toBe(25)
    const beyond = await providerContracts(db(), world.provider.actor, { tab: 'terminated', page: 99 })
    expect(beyond.page).toBe(2)
  })
})

describe('监理项目 (supervisor)', () => {
  it('the contracts it supervises; 处理纠纷 first, then 审核里程碑, else 写监理日志', async () => {
    const page = await supervisorProjects(db(), w.supervisor.actor, { tab: 'active', page: 1 })
    expect(page.counts).toEqual({ draft: 0, active: 1, completed: 1, terminated: 0 })
    const now = new Date().toISOString()
    const dispute = await db()
      .insertInto('disputes')
      .values({
        contract_id: w.contractId,
        opened_side: 'provider',
        opened_org_id: w.provider.orgId,
        opened_by: w.provider.userId,
        subject: '工作台纠纷',
        description: '说明',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const withDispute = await supervisorProjects(db(), w.supervisor.actor, { tab: 'active', page: 1 })
    expect(withDispute.contracts[0]!.next).toEqual({ action: 'dispute', href: `/disputes/${dispute.id}` })
    expect(withDispute.contracts[0]!.openDisputes).toBe(1)
    await db()
      .insertInto('milestone_reviews')
      .values({
        milestone_id: w.milestoneIds[0]!,
        round: 1,
        side: 'supervisor',
        decision: 'accepted',
        org_id: w.supervisor.orgId,
        decided_by: w.supervisor.userId,
        decided_at: now,
      })
      .execute()
    await db().updateTable('disputes').set({ status: 'withdrawn' }).where('id', '=', dispute.id).execute()
    const quiet = await supervisorProjects(db(), w.supervisor.actor, { tab: 'active', page: 1 })
    expect(quiet.contracts[0]!.next).toEqual({ action: 'log', href: `/contracts/${w.contractId}/supervision` })
    const completed = await supervisorProjects(db(), w.supervisor.actor, { tab: 'completed', page: 1 })
    expect(completed.contracts.map((r) => [r.id, r.next.action])).toEqual([[c.completedUnrated.contractId, 'rate']])
  })

  it('another 监理机构 sees none; an enterprise is refused', async () => {
    const other = await contractWorld()
    const page = await supervisorProjects(db(), other.supervisor.actor, { tab: 'active', page: 1 })
    expect(page.counts).toEqual({ draft: 0, active: 0, completed: 0, terminated: 0 })
    const error = await supervisorProjects(db(), w.enterprise.actor, { tab: 'active', page: 1 }).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('FORBIDDEN')
    expect((await call(supervisorPage, { path: '/supervisor/projects', cookie: w.supervisor.cookie })).status).toBe(200)
    expect((await call(supervisorPage, { path: '/supervisor/projects', cookie: w.agencyOver.cookie })).status).toBe(403)
  })
})

describe('合同监管 (agency)', () => {
  it('the jurisdiction’s contracts, filtered, with counts; links for owners and reviewers', async () => {
    const unsupervised = await addContract('active')
    const lateOne = await addContract('active', { supervised: true })
    await db()
      .updateTable('contract_milestones')
      .set({ late_flagged_at: new Date().toISOString() })
      .where('id', '=', lateOne.milestoneIds[0]!)
      .execute()
    const now = new Date().toISOString()
    const dispute = await db()
      .insertInto('disputes')
      .values({
        contract_id: lateOne.contractId,
        opened_side: 'enterprise',
        opened_org_id: w.enterprise.orgId,
        opened_by: w.enterprise.userId,
        subject: '监管纠纷',
        description: '说明',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Every page of the filter (the first page's answer kept for its counts and rows).
    const ids = async (filter: 'all' | 'unsupervised' | 'late' | 'disputed', actor = w.agencyOver.actor) => {
      const page = await agencyContracts(db(), actor, { filter, page: 1 })
      const all = page.contracts.map((r) => r.id)
      for (let p = 2; p <= page.pageCount; p++) {
        const next = await agencyContracts(db(), actor, { filter, page: p })
        expect(next.contracts.length).toBeLessThanOrEqual(20)
        all.push(...next.contracts.map((r) => r.id))
      }
      return { page, ids: all }
    }
    const all = await ids('all')
    expect(all.ids).toEqual(expect.arrayContaining([w.contractId, unsupervised.contractId, lateOne.contractId]))
    const total = await db()
      .selectFrom('contracts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('region_code', 'like', '3210%')
      .executeTakeFirstOrThrow()
    expect(all.page.counts.all).toBe(Number(total.n))
    expect(all.ids).toHaveLength(Number(total.n))
    const un = await ids('unsupervised')
    expect(un.ids).toContain(unsupervised.contractId)
    expect(un.ids).toContain(c.draftToConfirm.contractId)
    expect(un.ids).not.toContain(w.contractId)
    expect(un.ids).not.toContain(c.terminated.contractId)
    expect(un.page.contracts.find((r) => r.id === unsupervised.contractId)?.next).toEqual({
      // newest first: on page 1
      action: 'appoint',
      href: `/contracts/${unsupervised.contractId}`,
    })
    const late = await ids('late')
    expect(late.ids).toEqual([lateOne.contractId])
    expect(late.page.counts.late).toBe(1)
    // Accepted, it is no longer late.
    const disputed = await ids('disputed')
    expect(disputed.ids).toEqual([lateOne.contractId])
    expect(disputed.page.contracts[0]!.next).toEqual({ action: 'dispute', href: `/disputes/${dispute.id}` })
    await db().updateTable('contract_milestones').set({ status: 'accepted' }).where('id', '=', lateOne.milestoneIds[0]!).execute()
    expect((await ids('late')).ids).toEqual([])
    // A viewer reads the same list, with no action but 查看.
    const viewer = await ids('disputed', w.agencyViewer.actor)
    expect(viewer.page.mayAct).toBe(false)
    expect(viewer.page.contracts[0]!.next.action).toBe('view')
    // Elsewhere: none of them.
    const elsewhere = await ids('all', w.agencyElsewhere.actor)
    expect(elsewhere.ids).not.toContain(w.contractId)
    expect(elsewhere.page.counts.all).toBe(0)
  })

  it('agencies only', async () => {
    for (const p of [w.enterprise, w.provider, w.supervisor]) {
      const error = await agencyContracts(db(), p.actor, { filter: 'all', page: 1 }).catch((e: unknown) => e)
      expect((error as AppError).code).toBe('FORBIDDEN')
    }
    expect((await call(agencyPage, { path: '/agency/contracts?filter=late', cookie: w.agencyViewer.cookie })).status).toBe(200)
    expect((await call(agencyPage, { path: '/agency/contracts', cookie: w.provider.cookie })).status).toBe(403)
  })
})
