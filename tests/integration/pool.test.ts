import { describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/transaction.js'
import { applyToRound, providerPool, withdrawApplication } from '../../app/domain/pool/applications.server.js'
import {
  admitApplication,
  decideObjection,
  fileObjection,
  publicNotices,
  rejectApplication,
  startNotice,
} from '../../app/domain/pool/decisions.server.js'
import { poolMembershipsOf, removeFromPool, validUntilFor } from '../../app/domain/pool/membership.server.js'
import { assignExperts, declareTie, expertPool, submitReview } from '../../app/domain/pool/reviews.server.js'
import { agencyPool, closeRound, createRound, roundPage, setQuota } from '../../app/domain/pool/rounds.server.js'
import { ZRoundInput } from '../../app/domain/pool/schema.js'
import { addDays, chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import { parseForm } from '../../app/web/input.server.js'
import { addMember, insertOrg } from '../support/factories.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * The provider pool (issue 15 §4): application → expert review → 公示 with objections
 * → admission within the sub-industry's quota; ties excluded; each agency only its own.
 */

async function expertOf(agencyOrgId: number, createdBy: number, employerOrgId: number | null, name: string) {
  const person = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321000' }))
  const row = await db()
    .insertInto('experts')
    .values({
      agency_org_id: agencyOrgId,
      user_id: person.userId,
      name,
      employer_org_id: employerOrgId,
      created_by: createdBy,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { expertId: row.id, person }
}

async function world() {
  const owner = await agency('321000')
  const reviewer = await personOf(owner.orgId, 'reviewer')
  const viewer = await personOf(owner.orgId, 'viewer')
  const elsewhere = await agency('620000')
  const providers: Person[] = []
  for (let i = 0; i < 3; i += 1) providers.push(await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' })))
  const providerMember = await personOf(providers[0]!.orgId, 'member')
  const experts = [
    await expertOf(owner.orgId, owner.userId, null, '王工'),
    await expertOf(owner.orgId, owner.userId, providers[0]!.orgId, '李工'),
    await expertOf(owner.orgId, owner.userId, null, '赵工'),
  ]
  // experts[2] is also an active member of providers[1]: a tie by membership.
  await addMember(db(), experts[2]!.person.userId, providers[1]!.orgId, 'member')
  const outsider = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321023' }))
  return { owner, reviewer, viewer, elsewhere, providers, providerMember, experts, outsider }
}

type World = Awaited<ReturnType<typeof world>>

async function round(w: World, quotas: Array<{ industryCode: string; quota: number }> = [{ industryCode: 'C34', quota: 1 }]) {
  return createRound(db(), w.owner.actor, {
    category: 'integrator',
    title: '2026 年扬州市智能制造系统解决方案供应商资源池',
    description: '',
    applyUntil: addDays(chinaDate(), 30),
    quotas,
  })
}

/** An application reviewed by experts[0] and under a notice that has ended. */
async function noticed(w: World, roundId: number, provider: Person) {
  const id = await applyToRound(db(), provider.actor, { roundId, industryCode: 'C34', statement: '十年汽车零部件产线集成经验' })
  await assignExperts(db(), w.owner.actor, id, [w.experts[0]!.expertId])
  const task = (await expertPool(db(), w.experts[0]!.person.actor, { page: 1 }, 'zh-CN')).tasks.find(
    (t) => t.applicationId === id,
  )!
  await submitReview(db(), w.experts[0]!.person.actor, task.id, { score: 86, opinion: '方案成熟，案例充分', recommend: 'yes' })
  await startNotice(db(), w.owner.actor, id, addDays(chinaDate(), 5))
  await db()
    .updateTable('pool_applications')
    .set({ notice_from: addDays(chinaDate(), -8), notice_until: addDays(chinaDate(), -1) })
    .where('id', '=', id)
    .execute()
  return id
}

describe('provider pool', () => {
  it('runs application → review → 公示 → objection → admission, and removal', async () => {
    const w = await world()
    const roundId = await round(w)
    const p = w.providers[0]!

    // Only the provider's owners apply; once per round.
    await expect(
      applyToRound(db(), w.providerMember.actor, { roundId, industryCode: 'C34', statement: 'x' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const appId = await applyToRound(db(), p.actor, { roundId, industryCode: 'C34', statement: '汽车零部件产线集成' })
    await expect(applyToRound(db(), p.actor, { roundId, industryCode: 'C36', statement: 'again' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'pool.e.alreadyApplied',
    })

    // An expert employed by the applicant is refused; an independent one reviews.
    await expect(assignExperts(db(), w.owner.actor, appId, [w.experts[1]!.expertId])).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { 'expertId[]': 'pool.e.expertTied' },
    })
    await expect(assignExperts(db(), w.viewer.actor, appId, [w.experts[0]!.expertId])).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    expect(await assignExperts(db(), w.reviewer.actor, appId, [w.experts[0]!.expertId])).toBe(1)
    await expect(startNotice(db(), w.owner.actor, appId, addDays(chinaDate(), 7))).rejects.toMatchObject({
      message: 'pool.e.reviewsIncomplete',
    })
    const tasks = await expertPool(db(), w.experts[0]!.person.actor, { page: 1 }, 'zh-CN')
    expect(tasks.tasks).toHaveLength(1)
    // Someone else cannot write the expert's review.
    await expect(
      submitReview(db(), w.experts[2]!.person.actor, tasks.tasks[0]!.id, { score: 50, opinion: 'x', recommend: 'no' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await submitReview(db(), w.experts[0]!.person.actor, tasks.tasks[0]!.id, { score: 88, opinion: '资质齐全', recommend: 'yes' })

    // 公示: at least five days; admission waits for its end.
    await expect(startNotice(db(), w.owner.actor, appId, addDays(chinaDate(), 4))).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { noticeUntil: 'pool.e.noticeTooShort' },
    })
    await startNotice(db(), w.owner.actor, appId, addDays(chinaDate(), 5))
    expect((await publicNotices(db(), { page: 1 }, 'zh-CN')).notices.map((n) => n.id)).toContain(appId)
    await expect(admitApplication(db(), w.owner.actor, appId)).rejects.toMatchObject({ message: 'pool.e.noticeRunning' })

    // Anyone signed in objects, once; an open objection blocks admission until decided.
    await fileObjection(db(), w.outsider.actor, appId, '该单位曾有合同纠纷未结')
    await expect(fileObjection(db(), w.outsider.actor, appId, '再次提出异议')).rejects.toMatchObject({
      message: 'pool.e.objectionExists',
    })
    await db()
      .updateTable('pool_applications')
      .set({ notice_from: addDays(chinaDate(), -8), notice_until: addDays(chinaDate(), -1) })
      .where('id', '=', appId)
      .execute()
    await expect(fileObjection(db(), w.viewer.actor, appId, '期满后的异议')).rejects.toMatchObject({
      message: 'pool.e.noticeClosed',
    })
    await expect(admitApplication(db(), w.owner.actor, appId)).rejects.toMatchObject({ message: 'pool.e.objectionsOpen' })
    const page = await roundPage(db(), w.owner.actor, roundId, { page: 1, app: appId }, 'zh-CN')
    expect(page.applications[0]).toMatchObject({ id: appId, status: 'notice', reviewed: 1, average: 88, openObjections: 1 })
    const objectionId = page.opened!.objections[0]!.id
    await decideObjection(db(), w.owner.actor, objectionId, { outcome: 'dismissed', note: '经核实纠纷已调解' })

    const { validUntil } = await admitApplication(db(), w.owner.actor, appId)
    expect(validUntil).toBe(validUntilFor(chinaDate()))
    await expect(admitApplication(db(), w.owner.actor, appId)).rejects.toMatchObject({ code: 'CONFLICT' })
    const memberships = await poolMembershipsOf(db(), p.orgId)
    expect(memberships).toMatchObject([
      { agencyOrgId: w.owner.orgId, category: 'integrator', industryCode: 'C34', current: true },
    ])
    const own = await providerPool(db(), p.actor, { page: 1 }, 'zh-CN')
    expect(own.applications[0]).toMatchObject({ status: 'admitted', conclusion: { recommended: 1, reviewers: 1, average: 88 } })
    expect(own.memberships).toHaveLength(1)

    const audit = await db().selectFrom('audit_log').select('action').where('action', 'like', 'pool.%').execute()
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set([
        'pool.round_created',
        'pool.applied',
        'pool.experts_assigned',
        'pool.reviewed',
        'pool.notice_started',
        'pool.objection_filed',
        'pool.objection_decided',
        'pool.admitted',
      ]),
    )

    // 移出 (the evaluation's sanction calls this).
    const removed = await withTransaction(db(), (trx) =>
      removeFromPool(trx, {
        agencyOrgId: w.owner.orgId,
        providerOrgId: p.orgId,
        userId: w.owner.userId,
        reason: '年度评价不再推荐',
      }),
    )
    expect(removed).toBe(1)
    expect(await poolMembershipsOf(db(), p.orgId)).toEqual([])
  })

  it('enforces the sub-industry quota at admission, also for parallel admissions', async () => {
    const w = await world()
    const roundId = await round(w)
    const a = await noticed(w, roundId, w.providers[0]!)
    const b = await noticed(w, roundId, w.providers[2]!)
    const results = await Promise.allSettled([
      admitApplication(db(), w.owner.actor, a),
      admitApplication(db(), w.reviewer.actor, b),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(failed.reason).toMatchObject({ code: 'CONFLICT', message: 'pool.e.quotaFull' })
    const quota = await db().selectFrom('pool_quotas').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow()
    expect(quota).toMatchObject({ quota: 1, admitted: 1 })
    expect(await db().selectFrom('pool_memberships').select('id').where('round_id', '=', roundId).execute()).toHaveLength(1)
    // Raising the quota lets the other in; it cannot go below the admissions.
    await expect(setQuota(db(), w.owner.actor, roundId, { industryCode: 'C34', quota: 0 })).rejects.toMatchObject({
      message: 'pool.e.quotaBelowAdmitted',
    })
    await setQuota(db(), w.owner.actor, roundId, { industryCode: 'C34', quota: 2 })
    const other = results[0].status === 'fulfilled' ? b : a
    await admitApplication(db(), w.owner.actor, other)
    expect(
      (await db().selectFrom('pool_quotas').select('admitted').where('round_id', '=', roundId).executeTakeFirstOrThrow())
        .admitted,
    ).toBe(2)
  })

  it('rejects on an upheld objection, and with a reason at any point before admission', async () => {
    const w = await world()
    const roundId = await round(w, [])
    const a = await applyToRound(db(), w.providers[0]!.actor, { roundId, industryCode: 'C34', statement: '申请' })
    await assignExperts(db(), w.owner.actor, a, [w.experts[0]!.expertId])
    const task = (await expertPool(db(), w.experts[0]!.person.actor, { page: 1 }, 'zh-CN')).tasks[0]!
    await submitReview(db(), w.experts[0]!.person.actor, task.id, { score: 60, opinion: '一般', recommend: 'no' })
    await startNotice(db(), w.owner.actor, a, addDays(chinaDate(), 6))
    await fileObjection(db(), w.outsider.actor, a, '资质证书已过期')
    const objection = await db()
      .selectFrom('pool_objections')
      .select('id')
      .where('application_id', '=', a)
      .executeTakeFirstOrThrow()
    await expect(
      decideObjection(db(), w.elsewhere.actor, objection.id, { outcome: 'upheld', note: '属实' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await decideObjection(db(), w.owner.actor, objection.id, { outcome: 'upheld', note: '资质过期属实' })
    expect(
      await db().selectFrom('pool_applications').select(['status', 'reason']).where('id', '=', a).executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'rejected',
      reason: '资质过期属实',
    })
    const notices = await db().selectFrom('notifications').select('kind').where('kind', '=', 'pool_rejected').execute()
    expect(notices.length).toBeGreaterThan(0)

    const b = await applyToRound(db(), w.providers[2]!.actor, { roundId, industryCode: 'C36', statement: '申请' })
    await rejectApplication(db(), w.reviewer.actor, b, '材料不全')
    await expect(rejectApplication(db(), w.owner.actor, b, '再次')).rejects.toMatchObject({ message: 'pool.e.stateChanged' })
    // A withdrawn application may be sent again.
    const c = await applyToRound(db(), w.providers[1]!.actor, { roundId, industryCode: 'C34', statement: '申请' })
    await withdrawApplication(db(), w.providers[1]!.actor, c)
    expect(await applyToRound(db(), w.providers[1]!.actor, { roundId, industryCode: 'C34', statement: '再次申请' })).toBe(c)
  })

  it('excludes experts tied to the applicant: by employer, by membership, or declared', async () => {
    const w = await world()
    const roundId = await round(w, [])
    const a = await applyToRound(db(), w.providers[1]!.actor, { roundId, industryCode: 'C34', statement: '申请' })
    // experts[2] is a member of providers[1].
    await expect(assignExperts(db(), w.owner.actor, a, [w.experts[2]!.expertId])).rejects.toMatchObject({
      fieldErrors: { 'expertId[]': 'pool.e.expertTied' },
    })
    const opened = (await roundPage(db(), w.owner.actor, roundId, { page: 1, app: a }, 'zh-CN')).opened!
    expect(opened.experts.find((e) => e.id === w.experts[2]!.expertId)?.tied).toBe(true)
    expect(opened.experts.find((e) => e.id === w.experts[0]!.expertId)?.tied).toBe(false)

    await assignExperts(db(), w.owner.actor, a, [w.experts[0]!.expertId, w.experts[1]!.expertId])
    const tasks = async (i: number) => (await expertPool(db(), w.experts[i]!.person.actor, { page: 1 }, 'zh-CN')).tasks
    const t1 = (await tasks(1))[0]!
    await declareTie(db(), w.experts[1]!.person.actor, t1.id, '曾为该单位提供咨询')
    expect((await tasks(1))[0]).toMatchObject({ tied: true, open: false })
    await expect(
      submitReview(db(), w.experts[1]!.person.actor, t1.id, { score: 99, opinion: 'x', recommend: 'yes' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    // A later membership tie also stops the review.
    await addMember(db(), w.experts[0]!.person.userId, w.providers[1]!.orgId, 'member')
    const t0 = (await tasks(0))[0]!
    expect(t0.tied).toBe(true)
    await expect(
      submitReview(db(), w.experts[0]!.person.actor, t0.id, { score: 70, opinion: 'x', recommend: 'yes' }),
    ).rejects.toMatchObject({
      message: 'pool.e.tied',
    })
    // With every reviewer excluded, 公示 cannot start.
    await db().updateTable('pool_reviews').set({ tie_declared_at: new Date().toISOString() }).where('id', '=', t0.id).execute()
    await expect(startNotice(db(), w.owner.actor, a, addDays(chinaDate(), 6))).rejects.toMatchObject({
      message: 'pool.e.reviewsIncomplete',
    })
  })

  it('keeps each agency to its own rounds and reads only whitelisted fields', async () => {
    const w = await world()
    const form = new FormData()
    for (const [k, v] of [
      ['category', 'integrator'],
      ['title', '资源池第二批'],
      ['applyUntil', addDays(chinaDate(), 10)],
      ['industry[]', 'C34'],
      ['quota[]', '3'],
      ['agency_org_id', String(w.elsewhere.orgId)],
      ['status', 'closed'],
    ]) {
      form.append(k!, v!)
    }
    const roundId = await createRound(db(), w.owner.actor, parseForm(ZRoundInput, form))
    const row = await db().selectFrom('pool_rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ agency_org_id: w.owner.orgId, status: 'open' })

    await expect(roundPage(db(), w.elsewhere.actor, roundId, { page: 1 }, 'zh-CN')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(roundPage(db(), w.providers[0]!.actor, roundId, { page: 1 }, 'zh-CN')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(closeRound(db(), w.elsewhere.actor, roundId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(closeRound(db(), w.viewer.actor, roundId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await roundPage(db(), w.viewer.actor, roundId, { page: 1 }, 'zh-CN')).canManage).toBe(false)
    await expect(createRound(db(), w.viewer.actor, parseForm(ZRoundInput, form))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await agencyPool(db(), w.elsewhere.actor, { page: 1 }, 'zh-CN')).rounds).toEqual([])
    expect((await agencyPool(db(), w.owner.actor, { page: 1 }, 'zh-CN')).rounds.map((r) => r.id)).toEqual([roundId])
    const a = await applyToRound(db(), w.providers[0]!.actor, { roundId, industryCode: 'C34', statement: '申请' })
    await expect(assignExperts(db(), w.elsewhere.actor, a, [w.experts[0]!.expertId])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // Another agency's expert is not in this library.
    const foreign = await expertOf(w.elsewhere.orgId, w.elsewhere.userId, null, '外地专家')
    await expect(assignExperts(db(), w.owner.actor, a, [foreign.expertId])).rejects.toMatchObject({
      message: 'pool.e.expertUnknown',
    })

    // A closed round takes no application; a provider of another kind cannot apply.
    await closeRound(db(), w.owner.actor, roundId)
    await expect(
      applyToRound(db(), w.providers[2]!.actor, { roundId, industryCode: 'C34', statement: '申请' }),
    ).rejects.toMatchObject({
      message: 'pool.e.roundClosed',
    })
    const equipment = await createRound(db(), w.owner.actor, {
      category: 'equipment',
      title: '装备供应商资源池',
      description: '',
      applyUntil: addDays(chinaDate(), 10),
      quotas: [],
    })
    await expect(
      applyToRound(db(), w.providers[2]!.actor, { roundId: equipment, industryCode: 'C34', statement: '申请' }),
    ).rejects.toMatchObject({ message: 'pool.e.wrongCategory' })
  })

  it('computes a one-year validity', () => {
    expect(validUntilFor('2026-12-03')).toBe('2027-12-02')
    expect(validUntilFor('2028-02-29')).toBe('2029-02-28')
    expect(validUntilFor('2027-01-01')).toBe('2027-12-31')
  })
})
