import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { flagLateMilestones } from '../../app/domain/contracts/late.server.js'
import { getMilestonePage, reviewMilestone, submitMilestone } from '../../app/domain/contracts/milestones.server.js'
import { mayReadFilesOf } from '../../app/domain/files/files.server.js'
import * as milestoneRoute from '../../app/routes/contracts.$id_.milestones.$mid.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { call, type TestFile } from '../support/http.js'
import { contractWorld, isoDate, type ContractWorld } from './contract-world.js'
import { db, type Person } from './matching-world.js'

/*
 * Milestones (issue 14 §4): the provider submits (pending or rejected, contract
 * active, a new round each time), the enterprise — and the supervisor where one is
 * appointed — decide the current round; ten identical acceptances at once make one
 * review and accept once; the enterprise and the supervisor accepting the last
 * milestone at once complete the contract once (need closed, linked case verified);
 * the late job flags once and tells both parties, page views never; mass assignment;
 * a rival or an outsider gets 404.
 */

const store = () => services().storage

async function png(name: string): Promise<TestFile> {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer(),
  )
  return { name, bytes, type: 'image/png' }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

const milestone = (id: number) =>
  db().selectFrom('contract_milestones').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const events = (contractId: number, kind: string) =>
  db().selectFrom('contract_events').selectAll().where('contract_id', '=', contractId).where('kind', '=', kind).execute()
const noticesTo = (userId: number, kind: string) =>
  db().selectFrom('notifications').selectAll().where('user_id', '=', userId).where('kind', '=', kind).execute()

function post(w: ContractWorld, mid: number, who: Person, form: Record<string, string>, files?: TestFile[]) {
  return call(milestoneRoute, {
    method: 'POST',
    path: `/contracts/${w.contractId}/milestones/${mid}`,
    params: { id: String(w.contractId), mid: String(mid) },
    cookie: who.cookie,
    form,
    ...(files ? { files: { evidenceFiles: files } } : {}),
  })
}

const evidence = { evidence: '已完成 48 台设备联网，数据采集平台试运行一周，附现场照片。' }

describe('submitting a milestone', () => {
  it('the provider’s member submits with a photo: round 1, event, audit, the enterprise and the supervisor told', async () => {
    const w = await contractWorld({ supervised: true })
    const mid = w.milestoneIds[0]!
    const outcome = await post(
      w,
      mid,
      w.providerMember,
      {
        intent: 'submit',
        ...evidence,
        // Mass assignment: none of these may change anything.
        status: 'accepted',
        round: '7',
        amount_wan_x100: '1',
        contract_id: String(w.contractId + 1),
        submitted_by: String(w.enterprise.userId),
        accepted_at: new Date().toISOString(),
      },
      [await png('现场.png')],
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/contracts/${w.contractId}/milestones/${mid}`)
    const m = await milestone(mid)
    expect(m).toMatchObject({ status: 'submitted', round: 1, accepted_at: null, amount_wan_x100: 6000 })
    const subs = await db().selectFrom('milestone_submissions').selectAll().where('milestone_id', '=', mid).execute()
    expect(subs).toHaveLength(1)
    expect(subs[0]).toMatchObject({ round: 1, submitted_by: w.providerMember.userId })
    const files = await db()
      .selectFrom('files')
      .selectAll()
      .where('object_type', '=', 'milestone_submission')
      .where('object_id', '=', subs[0]!.id)
      .execute()
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ purpose: 'milestone_evidence', mime: 'image/png', org_id: w.provider.orgId })
    // Whoever reads the contract reads the evidence; a rival does not.
    expect(await mayReadFilesOf(db(), w.enterprise.actor, 'milestone_submission', subs[0]!.id)).toBe(true)
    expect(await mayReadFilesOf(db(), w.supervisor.actor, 'milestone_submission', subs[0]!.id)).toBe(true)
    expect(await mayReadFilesOf(db(), w.rival.actor, 'milestone_submission', subs[0]!.id)).toBe(false)
    expect(await events(w.contractId, 'milestone_submitted')).toHaveLength(1)
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'milestone.submitted')
      .where('object_id', '=', String(mid))
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_user_id: w.providerMember.userId, region_code: w.region })
    expect(await noticesTo(w.enterprise.userId, 'milestone_submitted')).toHaveLength(1)
    expect(await noticesTo(w.enterpriseMember.userId, 'milestone_submitted')).toHaveLength(1)
    expect(await noticesTo(w.supervisor.userId, 'milestone_submitted')).toHaveLength(1)
    expect(await noticesTo(w.provider.userId, 'milestone_submitted')).toHaveLength(0)

    // Submitted already: a second submission is refused (409), nothing added.
    const again = await post(w, mid, w.provider, { intent: 'submit', ...evidence })
    expect(again.status).toBe(409)
    expect(await db().selectFrom('milestone_submissions').select('id').where('milestone_id', '=', mid).execute()).toHaveLength(1)
  })

  it('only the provider submits; a rival, an outsider and an unappointed supervisor get 404', async () => {
    const w = await contractWorld({ supervised: true })
    const mid = w.milestoneIds[0]!
    for (const p of [w.enterprise, w.supervisor, w.agencyOver]) {
      expect((await post(w, mid, p, { intent: 'submit', ...evidence })).status).toBe(403)
    }
    for (const p of [w.rival, w.outsider, w.notSupervisor, w.agencyElsewhere]) {
      expect((await post(w, mid, p, { intent: 'submit', ...evidence })).status).toBe(404)
      const page = await call(milestoneRoute, {
        path: `/contracts/${w.contractId}/milestones/${mid}`,
        params: { id: String(w.contractId), mid: String(mid) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(404)
    }
    // A milestone of another contract under this contract's URL: 404.
    const other = await contractWorld()
    const wrong = await post(w, other.milestoneIds[0]!, w.provider, { intent: 'submit', ...evidence })
    expect(wrong.status).toBe(404)
    expect((await milestone(mid)).status).toBe('pending')
  })

  it('refuses empty evidence and more than five files (400 with the field)', async () => {
    const w = await contractWorld()
    const mid = w.milestoneIds[0]!
    const empty = await post(w, mid, w.provider, { intent: 'submit', evidence: '  ' })
    expect(empty.status).toBe(400)
    expect(JSON.parse(empty.body).fieldErrors).toMatchObject({ evidence: 'milestones.v.evidence' })
    const six = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => png(`p${i}.png`)))
    const many = await post(w, mid, w.provider, { intent: 'submit', ...evidence }, six)
    expect([400, 413]).toContain(many.status)
    expect((await milestone(mid)).status).toBe('pending')
  })

  it('a draft or completed contract takes no submission (409)', async () => {
    for (const status of ['draft', 'completed'] as const) {
      const w = await contractWorld({ status })
      const error = await refusal(
        submitMilestone(db(), store(), w.provider.actor, w.contractId, w.milestoneIds[0]!, { evidence: 'x' }),
      )
      expect(error.code).toMatch(/CONFLICT|INVALID_STATE/)
    }
  })

  it('a double submit makes one round (the other 409, never 500)', async () => {
    const w = await contractWorld()
    const mid = w.milestoneIds[0]!
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, { evidence: '同时提交' }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('CONFLICT')
    expect(await db().selectFrom('milestone_submissions').select('id').where('milestone_id', '=', mid).execute()).toHaveLength(1)
    expect((await milestone(mid)).round).toBe(1)
  })
})

describe('reviewing a milestone', () => {
  it('without a supervisor the enterprise alone accepts; the provider is told', async () => {
    const w = await contractWorld()
    const mid = w.milestoneIds[0]!
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const outcome = await post(w, mid, w.enterpriseMember, {
      intent: 'review',
      round: '1',
      decision: 'accepted',
      // Mass assignment: the side comes from the role, never from the form.
      side: 'supervisor',
      org_id: String(w.supervisor.orgId),
      status: 'rejected',
    })
    expect(outcome.status).toBe(302)
    expect((await milestone(mid)).status).toBe('accepted')
    const reviews = await db().selectFrom('milestone_reviews').selectAll().where('milestone_id', '=', mid).execute()
    expect(reviews).toHaveLength(1)
    expect(reviews[0]).toMatchObject({ side: 'enterprise', org_id: w.enterprise.orgId, decided_by: w.enterpriseMember.userId })
    expect(await noticesTo(w.provider.userId, 'milestone_accepted')).toHaveLength(1)
    // One of two milestones: the contract stays active.
    const c = await db().selectFrom('contracts').select('status').where('id', '=', w.contractId).executeTakeFirstOrThrow()
    expect(c.status).toBe('active')
  })

  it('with a supervisor both sides are needed; a rejection needs a reason; the provider resubmits a new round', async () => {
    const w = await contractWorld({ supervised: true })
    const mid = w.milestoneIds[0]!
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const first = await reviewMilestone(db(), w.enterprise.actor, w.contractId, mid, {
      round: 1,
      decision: 'accepted',
      reason: '',
    })
    expect(first).toMatchObject({ status: 'submitted', recorded: true })
    expect(await events(w.contractId, 'milestone_review')).toHaveLength(1)
    const page = await getMilestonePage(db(), w.supervisor.actor, w.contractId, mid)
    expect(page.may.review).toBe('supervisor')
    expect(page.waitingFor).toEqual(['supervisor'])

    // The provider, an agency: not reviewers (403).
    for (const p of [w.provider, w.agencyOver]) {
      const error = await refusal(
        reviewMilestone(db(), p.actor, w.contractId, mid, { round: 1, decision: 'accepted', reason: '' }),
      )
      expect(error.code).toBe('FORBIDDEN')
    }
    // A rejection without a reason: 400 on the field.
    const noReason = await post(w, mid, w.supervisor, { intent: 'review', round: '1', decision: 'rejected', reason: ' x ' })
    expect(noReason.status).toBe(400)
    expect(JSON.parse(noReason.body).fieldErrors).toMatchObject({ reason: 'milestones.v.reason' })

    const rejected = await post(w, mid, w.supervisor, {
      intent: 'review',
      round: '1',
      decision: 'rejected',
      reason: '部分设备未联网，数据延迟超过 1 秒。',
    })
    expect(rejected.status).toBe(302)
    expect((await milestone(mid)).status).toBe('rejected')
    expect(await noticesTo(w.provider.userId, 'milestone_rejected')).toHaveLength(1)
    // The enterprise cannot change its decision of round 1; the same decision is a no-op.
    const changed = await refusal(
      reviewMilestone(db(), w.enterprise.actor, w.contractId, mid, { round: 1, decision: 'rejected', reason: '改主意' }),
    )
    expect(changed.code).toBe('CONFLICT')
    const same = await reviewMilestone(db(), w.enterprise.actor, w.contractId, mid, {
      round: 1,
      decision: 'accepted',
      reason: '',
    })
    expect(same).toMatchObject({ recorded: false, status: 'rejected' })

    // Resubmitted: round 2, both decide again.
    await submitMilestone(db(), store(), w.providerMember.actor, w.contractId, mid, { evidence: '已整改，全部设备联网。' })
    expect(await milestone(mid)).toMatchObject({ status: 'submitted', round: 2 })
    const stale = await refusal(
      reviewMilestone(db(), w.supervisor.actor, w.contractId, mid, { round: 1, decision: 'accepted', reason: '' }),
    )
    expect(stale.code).toBe('CONFLICT')
    await reviewMilestone(db(), w.supervisor.actor, w.contractId, mid, { round: 2, decision: 'accepted', reason: '' })
    expect((await milestone(mid)).status).toBe('submitted')
    const done = await reviewMilestone(db(), w.enterpriseMember.actor, w.contractId, mid, {
      round: 2,
      decision: 'accepted',
      reason: '',
    })
    expect(done).toMatchObject({ status: 'accepted', recorded: true, completed: false })
    const m = await milestone(mid)
    expect(m.accepted_at).not.toBeNull()
    const history = await getMilestonePage(db(), w.agencyOver.actor, w.contractId, mid)
    expect(history.submissions.map((s) => [s.round, s.reviews.map((r) => `${r.side}:${r.decision}`).sort()])).toEqual([
      [2, ['enterprise:accepted', 'supervisor:accepted']],
      [1, ['enterprise:accepted', 'supervisor:rejected']],
    ])
    expect(history.milestone.onTime).toBe(true)
    expect(history.may).toMatchObject({ submit: false, review: null })
  })

  it('ten identical acceptances at once: one review row, accepted once, no error', async () => {
    const w = await contractWorld()
    const mid = w.milestoneIds[0]!
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        reviewMilestone(db(), (i % 2 ? w.enterprise : w.enterpriseMember).actor, w.contractId, mid, {
          round: 1,
          decision: 'accepted',
          reason: '',
        }),
      ),
    )
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ recorded: boolean; status: string }>).value)
    expect(outcomes.filter((o) => o.recorded)).toHaveLength(1)
    expect(outcomes.every((o) => o.status === 'accepted' || o.recorded)).toBe(true)
    expect(await db().selectFrom('milestone_reviews').select('id').where('milestone_id', '=', mid).execute()).toHaveLength(1)
    expect(await events(w.contractId, 'milestone_accepted')).toHaveLength(1)
    expect(await noticesTo(w.provider.userId, 'milestone_accepted')).toHaveLength(1)
  })

  it('over HTTP a repeated acceptance answers 302 (never 500)', async () => {
    const w = await contractWorld()
    const mid = w.milestoneIds[0]!
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const form = { intent: 'review', round: '1', decision: 'accepted' }
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => post(w, mid, w.enterprise, form)))
    expect(outcomes.map((o) => o.status)).toEqual([302, 302, 302, 302])
  })
})

describe('completion', () => {
  it('the enterprise and the supervisor accept the last milestone at once: accepted once, completed once', async () => {
    const w = await contractWorld({ supervised: true, milestones: [{ percent: 100, dueDate: isoDate(60) }] })
    const mid = w.milestoneIds[0]!
    const now = new Date().toISOString()
    const kase = await db()
      .insertInto('provider_cases')
      .values({
        org_id: w.provider.orgId,
        title: '冲压车间设备联网案例',
        client_name: '某汽车零部件企业',
        client_anonymised: 1,
        industry_code: 'C36',
        region_code: '321023',
        investment_wan: 200,
        year: 2026,
        summary: '设备联网与数据采集。',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db().updateTable('contracts').set({ case_id: kase.id }).where('id', '=', w.contractId).execute()
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const input = { round: 1, decision: 'accepted' as const, reason: '' }
    const results = await Promise.allSettled([
      reviewMilestone(db(), w.enterprise.actor, w.contractId, mid, input),
      reviewMilestone(db(), w.supervisor.actor, w.contractId, mid, input),
      reviewMilestone(db(), w.enterpriseMember.actor, w.contractId, mid, input),
    ])
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const completedCalls = results.filter((r) => r.status === 'fulfilled' && r.value.completed)
    expect(completedCalls).toHaveLength(1)
    expect(await db().selectFrom('milestone_reviews').select('side').where('milestone_id', '=', mid).execute()).toHaveLength(2)
    expect(await events(w.contractId, 'milestone_accepted')).toHaveLength(1)
    expect(await events(w.contractId, 'completed')).toHaveLength(1)

    const contract = await db().selectFrom('contracts').selectAll().where('id', '=', w.contractId).executeTakeFirstOrThrow()
    expect(contract.status).toBe('completed')
    expect(contract.closed_at).not.toBeNull()
    const need = await db()
      .selectFrom('needs')
      .select(['status', 'status_reason'])
      .where('id', '=', w.needId)
      .executeTakeFirstOrThrow()
    expect(need).toEqual({ status: 'closed', status_reason: '合同已完成' })
    const verified = await db()
      .selectFrom('provider_cases')
      .select(['verified_contract_id', 'verified_at'])
      .where('id', '=', kase.id)
      .executeTakeFirstOrThrow()
    expect(verified.verified_contract_id).toBe(w.contractId)
    expect(verified.verified_at).not.toBeNull()
    const audits = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'contract.completed')
      .where('object_id', '=', String(w.contractId))
      .execute()
    expect(audits).toHaveLength(1)
    expect(audits[0]!.actor_user_id).toBeNull()
    for (const p of [w.enterprise, w.enterpriseMember, w.provider, w.providerMember]) {
      const notices = await noticesTo(p.userId, 'contract_completed')
      expect(notices).toHaveLength(1)
      expect(notices[0]!.link).toBe(`/contracts/${w.contractId}/ratings`)
    }
    // Completed: nothing more to submit or review.
    const page = await getMilestonePage(db(), w.provider.actor, w.contractId, mid)
    expect(page.may).toMatchObject({ submit: false, review: null })
  })

  it('accepting the last two milestones at once completes the contract exactly once', async () => {
    const w = await contractWorld()
    const [a, b] = w.milestoneIds as [number, number]
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, a, evidence)
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, b, evidence)
    const input = { round: 1, decision: 'accepted' as const, reason: '' }
    const results = await Promise.all([
      reviewMilestone(db(), w.enterprise.actor, w.contractId, a, input),
      reviewMilestone(db(), w.enterpriseMember.actor, w.contractId, b, input),
    ])
    expect(results.filter((r) => r.completed)).toHaveLength(1)
    expect(await events(w.contractId, 'completed')).toHaveLength(1)
    const c = await db().selectFrom('contracts').select('status').where('id', '=', w.contractId).executeTakeFirstOrThrow()
    expect(c.status).toBe('completed')
  })
  it('leaves a need that is not contracted as it is, and completes the contract all the same', async () => {
    const w = await contractWorld({ milestones: [{ percent: 100, dueDate: isoDate(60) }] })
    const mid = w.milestoneIds[0]!
    // Its owner closed it already.
    await db().updateTable('needs').set({ status: 'closed', status_reason: '企业自行关闭' }).where('id', '=', w.needId).execute()
    await submitMilestone(db(), store(), w.provider.actor, w.contractId, mid, evidence)
    const outcome = await reviewMilestone(db(), w.enterprise.actor, w.contractId, mid, {
      round: 1,
      decision: 'accepted',
      reason: '',
    })
    expect(outcome).toMatchObject({ status: 'accepted', completed: true })
    const need = await db()
      .selectFrom('needs')
      .select(['status', 'status_reason'])
      .where('id', '=', w.needId)
      .executeTakeFirstOrThrow()
    expect(need).toEqual({ status: 'closed', status_reason: '企业自行关闭' })
    const audit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'contract.completed')
      .where('object_id', '=', String(w.contractId))
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail)).toMatchObject({ needClosed: false, caseVerified: false })
  })
})

describe('the late job', () => {
  it('flags an overdue milestone once, tells both parties, and page views flag nothing', async () => {
    const w = await contractWorld({
      milestones: [
        { percent: 40, dueDate: isoDate(-3) },
        { percent: 60, dueDate: isoDate(30) },
      ],
    })
    const viewed = await contractWorld({ milestones: [{ percent: 100, dueDate: isoDate(-5) }] })
    const draft = await contractWorld({ status: 'draft', milestones: [{ percent: 100, dueDate: isoDate(-5) }] })
    const [late, future] = w.milestoneIds as [number, number]

    // A page view is not the job.
    await getMilestonePage(db(), viewed.enterprise.actor, viewed.contractId, viewed.milestoneIds[0]!)
    await call(milestoneRoute, {
      path: `/contracts/${viewed.contractId}/milestones/${viewed.milestoneIds[0]}`,
      params: { id: String(viewed.contractId), mid: String(viewed.milestoneIds[0]) },
      cookie: viewed.provider.cookie,
    })
    expect((await milestone(viewed.milestoneIds[0]!)).late_flagged_at).toBeNull()

    const first = await flagLateMilestones(db())
    expect(first.flagged).toBeGreaterThanOrEqual(2)
    expect((await milestone(late)).late_flagged_at).not.toBeNull()
    expect((await milestone(future)).late_flagged_at).toBeNull()
    expect((await milestone(draft.milestoneIds[0]!)).late_flagged_at).toBeNull()
    expect(await events(w.contractId, 'milestone_late')).toHaveLength(1)
    for (const p of [w.enterprise, w.enterpriseMember, w.provider, w.providerMember]) {
      expect(await noticesTo(p.userId, 'milestone_late')).toHaveLength(1)
    }
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'milestone.late')
      .where('object_id', '=', String(late))
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor_user_id).toBeNull()

    // Once: a second run finds nothing more of these.
    const flaggedAt = (await milestone(late)).late_flagged_at
    await flagLateMilestones(db())
    expect((await milestone(late)).late_flagged_at).toBe(flaggedAt)
    expect(await events(w.contractId, 'milestone_late')).toHaveLength(1)
    expect(await noticesTo(w.provider.userId, 'milestone_late')).toHaveLength(1)
    const page = await getMilestonePage(db(), w.provider.actor, w.contractId, late)
    expect(page.milestone.late).toBe(true)
  })

  it('works in bounded batches', async () => {
    const worlds = await Promise.all([1, 2, 3].map(() => contractWorld({ milestones: [{ percent: 100, dueDate: isoDate(-2) }] })))
    const result = await flagLateMilestones(db(), new Date(), { batchSize: 1, maxBatches: 2 })
    expect(result).toEqual({ flagged: 2, batches: 2 })
    await flagLateMilestones(db())
    for (const w of worlds) expect((await milestone(w.milestoneIds[0]!)).late_flagged_at).not.toBeNull()
  })
})
