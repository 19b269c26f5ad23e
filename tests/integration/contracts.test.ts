import { describe, expect, it } from 'vitest'
import {
  appointSupervisor,
  confirmContract,
  getContractEditForm,
  getContractPage,
  getContractPrint,
  linkCase,
  searchSupervisorCandidates,
  updateDraft,
  type ContractDraftInput,
} from '../../app/domain/contracts/contracts.server.js'
import * as editRoute from '../../app/routes/contracts.$id_.edit.js'
import * as pageRoute from '../../app/routes/contracts.$id.js'
import * as printRoute from '../../app/routes/contracts.$id_.print.js'
import { AppError } from '../../app/utils/errors.js'
import { call } from '../support/http.js'
import { contractWorld, isoDate, supervisorOrg, type ContractWorld } from './contract-world.js'
import { db } from './matching-world.js'

/*
 * Contracts (issue 14 §3): who reads a contract page and what each may do there; the
 * draft's edit rules (optimistic revision, sum 100 named, due dates, confirmations
 * cleared); 电子确认 by both owners activating it exactly once, also in parallel, and
 * moving the need to contracted; the agency's supervisor appointment; the provider's
 * case link; and nothing a client posts beyond the form's fields changes anything.
 */

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function contractRow(id: number) {
  return db().selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function events(id: number) {
  return db()
    .selectFrom('contract_events')
    .select(['kind', 'actor_user_id', 'detail'])
    .where('contract_id', '=', id)
    .orderBy('id')
    .execute()
}

async function audits(id: number, action: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('object_type', '=', 'contract')
    .where('object_id', '=', String(id))
    .where('action', '=', action)
    .execute()
}

function draftOf(_w: ContractWorld, over: Partial<ContractDraftInput> = {}): ContractDraftInput {
  return {
    startDate: isoDate(10),
    constructionDays: 100,
    technicalStandards: ['GB/T 39116-2020'],
    acceptanceStandards: '设备联网率不低于 95%。',
    qualityTerms: '质量符合国家标准。',
    warrantyMonths: 24,
    disputeClause: '提交仲裁委员会仲裁。',
    milestones: [
      { name: '预付款', percent: 20, dueDate: isoDate(10), criteria: '合同生效。' },
      { name: '上线', percent: 50, dueDate: isoDate(60), criteria: '系统上线。' },
      { name: '验收', percent: 30, dueDate: isoDate(110), criteria: '竣工验收。' },
    ],
    ...over,
  }
}

/** The edit form's fields for a draft input (the rows as the page posts them). */
function formOf(input: ContractDraftInput, revision: number, extra: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {
    revision: String(revision),
    startDate: input.startDate,
    constructionDays: String(input.constructionDays),
    technicalStandards: input.technicalStandards.join('\n'),
    acceptanceStandards: input.acceptanceStandards,
    qualityTerms: input.qualityTerms,
    warrantyMonths: String(input.warrantyMonths),
    disputeClause: input.disputeClause,
    ...extra,
  }
  input.milestones.forEach((m, i) => {
    form[`ms${i + 1}Name`] = m.name
    form[`ms${i + 1}Percent`] = String(m.percent)
    form[`ms${i + 1}Due`] = m.dueDate
    form[`ms${i + 1}Criteria`] = m.criteria
  })
  return form
}

describe('who reads the contract page, and what each may do', () => {
  it('gives each reader its role, actions and links', async () => {
    const w = await contractWorld({ status: 'draft' })
    const asEnterprise = await getContractPage(db(), w.enterprise.actor, w.contractId)
    expect(asEnterprise.role).toBe('enterprise')
    expect(asEnterprise.offer.actions).toEqual(['edit', 'confirm'])
    expect(asEnterprise.offer.links).toEqual(['print'])
    expect(asEnterprise.milestones).toHaveLength(2)
    expect(asEnterprise.money).toMatchObject({ totalWan: '200', acceptedWan: '0', remainingWan: '200' })

    const member = await getContractPage(db(), w.enterpriseMember.actor, w.contractId)
    expect(member.offer.actions).toEqual(['edit'])
    expect(member.ownerConfirms).toBe(true)

    const provider = await getContractPage(db(), w.providerMember.actor, w.contractId)
    expect(provider.offer.actions).toEqual(['edit', 'linkCase'])

    const agency = await getContractPage(db(), w.agencyOver.actor, w.contractId, { page: 1, sq: '' })
    expect(agency.offer.actions).toEqual(['appoint'])
    expect(agency.candidates?.map((c) => c.id)).toContain(w.supervisor.orgId)
    expect(agency.candidates?.map((c) => c.id)).not.toContain(w.notSupervisor.orgId)

    const viewer = await getContractPage(db(), w.agencyViewer.actor, w.contractId, { page: 1, sq: '' })
    expect(viewer.offer.actions).toEqual([])
    expect(viewer.candidates).toBeNull()
  })

  it('answers 404 to a rival bidder, an unappointed supervisor, an agency elsewhere and an outsider', async () => {
    const w = await contractWorld({ status: 'active' })
    for (const p of [w.rival, w.supervisor, w.notSupervisor, w.agencyElsewhere, w.outsider]) {
      expect((await refusal(getContractPage(db(), p.actor, w.contractId))).code).toBe('NOT_FOUND')
      expect((await refusal(getContractPrint(db(), p.actor, w.contractId))).code).toBe('NOT_FOUND')
      const page = await call(pageRoute, {
        path: `/contracts/${w.contractId}`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(404)
    }
    for (const p of [w.enterprise, w.providerMember, w.agencyViewer]) {
      const page = await call(pageRoute, {
        path: `/contracts/${w.contractId}`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(200)
      const print = await call(printRoute, {
        path: `/contracts/${w.contractId}/print`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(print.status).toBe(200)
    }
  })

  it('links the pages of a contract in force, and reads the timeline newest first, 20 a page', async () => {
    const w = await contractWorld({ status: 'active', supervised: true })
    const now = new Date().toISOString()
    await db()
      .insertInto('contract_events')
      .values(
        Array.from({ length: 25 }, (_, i) => ({
          contract_id: w.contractId,
          kind: i === 24 ? 'case_linked' : 'updated',
          actor_user_id: w.provider.userId,
          actor_org_id: w.provider.orgId,
          detail: JSON.stringify(i === 24 ? { case: '案例甲' } : { revision: i + 2 }),
          created_at: now,
        })),
      )
      .execute()
    const page = await getContractPage(db(), w.supervisor.actor, w.contractId)
    expect(page.role).toBe('supervisor')
    expect(page.offer).toEqual({ actions: [], links: ['print', 'milestones', 'supervision', 'disputes'] })
    expect(page.timeline.total).toBe(25)
    expect(page.timeline.pageCount).toBe(2)
    expect(page.timeline.items).toHaveLength(20)
    expect(page.timeline.items[0]).toMatchObject({ kind: 'case_linked', detail: { case: '案例甲' } })
    const second = await getContractPage(db(), w.supervisor.actor, w.contractId, { page: 2 })
    expect(second.timeline.items).toHaveLength(5)
    const completed = await contractWorld({ status: 'completed' })
    const done = await getContractPage(db(), completed.enterprise.actor, completed.contractId)
    expect(done.offer.links).toContain('ratings')
    expect(done.money).toMatchObject({ acceptedWan: '200', remainingWan: '0', acceptedPercent: 100 })
  })

  it('flags late milestones and sums their amounts', async () => {
    const w = await contractWorld({
      status: 'active',
      milestones: [
        { percent: 40, dueDate: isoDate(-3) },
        { percent: 60, dueDate: isoDate(30) },
      ],
    })
    const page = await getContractPage(db(), w.enterprise.actor, w.contractId)
    expect(page.milestones.map((m) => m.late)).toEqual([true, false])
    expect(page.money.lateWan).toBe('80')
  })
})

describe('editing the draft', () => {
  it('either party’s member saves it: a new revision, amounts recomputed, confirmations cleared, event and audit', async () => {
    const w = await contractWorld({ status: 'draft' })
    await confirmContract(db(), w.enterprise.actor, w.contractId, 1)
    expect((await contractRow(w.contractId)).enterprise_confirmed_at).not.toBeNull()

    const saved = await updateDraft(db(), w.providerMember.actor, w.contractId, 1, draftOf(w))
    expect(saved).toEqual({ changed: true, revision: 2 })
    const row = await contractRow(w.contractId)
    expect(row).toMatchObject({
      revision: 2,
      status: 'draft',
      start_date: isoDate(10),
      construction_days: 100,
      warranty_months: 24,
      amount_wan_x100: 20_000,
      enterprise_confirmed_by: null,
      enterprise_confirmed_at: null,
      provider_confirmed_at: null,
    })
    const ms = await db()
      .selectFrom('contract_milestones')
      .select(['id', 'seq', 'name', 'percent', 'amount_wan_x100', 'due_date'])
      .where('contract_id', '=', w.contractId)
      .orderBy('seq')
      .execute()
    expect(ms.map((m) => [m.seq, m.name, m.percent, m.amount_wan_x100])).toEqual([
      [1, '预付款', 20, 4000],
      [2, '上线', 50, 10_000],
      [3, '验收', 30, 6000],
    ])
    // Rows kept by sequence: the first two keep their ids.
    expect(ms.slice(0, 2).map((m) => m.id)).toEqual(w.milestoneIds)
    const kinds = (await events(w.contractId)).map((e) => e.kind)
    expect(kinds).toEqual(['confirmed', 'updated'])
    const audit = await audits(w.contractId, 'contract.updated')
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail ?? '{}')).toMatchObject({ revision: 2, confirmationsCleared: true })

    // The same again changes nothing.
    expect(await updateDraft(db(), w.enterprise.actor, w.contractId, 2, draftOf(w))).toEqual({ changed: false, revision: 2 })
    // Fewer milestones: the extra rows go.
    await updateDraft(
      db(),
      w.enterprise.actor,
      w.contractId,
      2,
      draftOf(w, { milestones: [{ name: '一次付清', percent: 100, dueDate: isoDate(110), criteria: '' }] }),
    )
    const one = await db()
      .selectFrom('contract_milestones')
      .select(['amount_wan_x100'])
      .where('contract_id', '=', w.contractId)
      .execute()
    expect(one).toEqual([{ amount_wan_x100: 20_000 }])
  })

  it('refuses a stale revision (CONFLICT), a sum other than 100 (naming it), bad due dates', async () => {
    const w = await contractWorld({ status: 'draft' })
    await updateDraft(db(), w.enterprise.actor, w.contractId, 1, draftOf(w))
    const stale = await refusal(updateDraft(db(), w.provider.actor, w.contractId, 1, draftOf(w, { warrantyMonths: 6 })))
    expect(stale.code).toBe('CONFLICT')
    expect(stale.key).toBe('contracts.e.stale')

    const sum = await refusal(
      updateDraft(
        db(),
        w.enterprise.actor,
        w.contractId,
        2,
        draftOf(w, {
          milestones: [
            { name: 'A', percent: 30, dueDate: isoDate(20), criteria: '' },
            { name: 'B', percent: 60, dueDate: isoDate(40), criteria: '' },
          ],
        }),
      ),
    )
    expect(sum.code).toBe('VALIDATION')
    expect(sum.key).toBe('contracts.v.milestoneSum')
    expect(sum.params).toEqual({ sum: 90 })

    const early = await refusal(
      updateDraft(
        db(),
        w.enterprise.actor,
        w.contractId,
        2,
        draftOf(w, { milestones: [{ name: 'A', percent: 100, dueDate: isoDate(5), criteria: '' }] }),
      ),
    )
    expect(early.fieldErrors).toEqual({ ms1Due: 'contracts.v.dueBeforeStartField' })
    expect((await contractRow(w.contractId)).revision).toBe(2)

    // Through the page: the sum is named in the answer, and what was typed comes back.
    const input = draftOf(w)
    input.milestones[2]!.percent = 40
    const res = await call(editRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/edit`,
      params: { id: String(w.contractId) },
      cookie: w.enterprise.cookie,
      form: formOf(input, 2),
    })
    expect(res.status).toBe(400)
    const body = JSON.parse(res.body) as {
      formError: string
      formParams: { sum: number }
      fieldErrors: Record<string, string>
      values: Record<string, string>
    }
    expect(body.formError).toBe('contracts.v.milestoneSum')
    expect(body.formParams.sum).toBe(110)
    expect(body.fieldErrors.milestones).toBe('contracts.v.milestoneSumField')
    expect(body.values.ms3Percent).toBe('40')
  })

  it('is refused to the supervisor and the agency, and once the contract is in force', async () => {
    const w = await contractWorld({ status: 'draft', supervised: true })
    for (const p of [w.supervisor, w.agencyOver]) {
      expect((await refusal(updateDraft(db(), p.actor, w.contractId, 1, draftOf(w)))).code).toBe('FORBIDDEN')
      expect((await refusal(getContractEditForm(db(), p.actor, w.contractId))).code).toBe('FORBIDDEN')
    }
    expect((await refusal(updateDraft(db(), w.rival.actor, w.contractId, 1, draftOf(w)))).code).toBe('NOT_FOUND')
    const active = await contractWorld({ status: 'active' })
    const error = await refusal(updateDraft(db(), active.enterprise.actor, active.contractId, 1, draftOf(active)))
    expect(error.code).toBe('CONFLICT')
    expect(error.key).toBe('contracts.e.transition')
    const page = await call(editRoute, {
      path: `/contracts/${active.contractId}/edit`,
      params: { id: String(active.contractId) },
      cookie: active.enterprise.cookie,
    })
    expect(page.status).toBe(409)
  })

  it('mass assignment: extra fields posted change nothing', async () => {
    const w = await contractWorld({ status: 'draft' })
    const before = await contractRow(w.contractId)
    const res = await call(editRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/edit`,
      params: { id: String(w.contractId) },
      cookie: w.enterpriseMember.cookie,
      form: formOf(draftOf(w), 1, {
        status: 'active',
        amount: '1',
        amount_wan_x100: '1',
        providerId: String(w.rival.orgId),
        provider_org_id: String(w.rival.orgId),
        supervisor_org_id: String(w.supervisor.orgId),
        revision_: '9',
        title: '改过的标题',
        enterprise_confirmed_by: String(w.enterpriseMember.userId),
      }),
    })
    expect(res.status).toBe(302)
    const after = await contractRow(w.contractId)
    expect(after).toMatchObject({
      status: 'draft',
      amount_wan_x100: before.amount_wan_x100,
      provider_org_id: before.provider_org_id,
      supervisor_org_id: null,
      title: before.title,
      enterprise_confirmed_by: null,
      revision: 2,
    })
    // The page's confirmation does not take a status either.
    const confirm = await call(pageRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}`,
      params: { id: String(w.contractId) },
      cookie: w.enterprise.cookie,
      form: { intent: 'confirm', revision: '2', agree: 'on', status: 'active', provider_confirmed_at: new Date().toISOString() },
    })
    expect(confirm.status).toBe(302)
    expect(await contractRow(w.contractId)).toMatchObject({ status: 'draft', provider_confirmed_at: null })
  })
})

describe('电子确认', () => {
  it('both owners confirm: active, the need contracted, events, audit and notices', async () => {
    const w = await contractWorld({ status: 'draft' })
    expect(await confirmContract(db(), w.enterprise.actor, w.contractId, 1)).toEqual({ status: 'draft', already: false })
    expect(await confirmContract(db(), w.enterprise.actor, w.contractId, 1)).toEqual({ status: 'draft', already: true })
    const toConfirm = await db()
      .selectFrom('notifications')
      .select(['user_id', 'link'])
      .where('kind', '=', 'contract_to_confirm')
      .where('user_id', 'in', [w.provider.userId, w.providerMember.userId])
      .execute()
    // Sent to the provider's owners only.
    expect(toConfirm.map((n) => n.user_id)).toEqual([w.provider.userId])
    expect(toConfirm[0]!.link).toBe(`/contracts/${w.contractId}`)

    expect(await confirmContract(db(), w.provider.actor, w.contractId, 1)).toEqual({ status: 'active', already: false })
    const row = await contractRow(w.contractId)
    expect(row.status).toBe('active')
    expect(row.activated_at).not.toBeNull()
    expect(row.enterprise_confirmed_by).toBe(w.enterprise.userId)
    expect(row.provider_confirmed_by).toBe(w.provider.userId)
    const need = await db().selectFrom('needs').select('status').where('id', '=', w.needId).executeTakeFirstOrThrow()
    expect(need.status).toBe('contracted')
    expect((await events(w.contractId)).map((e) => e.kind)).toEqual(['confirmed', 'confirmed', 'activated'])
    expect(await audits(w.contractId, 'contract.confirmed')).toHaveLength(2)
    expect(await audits(w.contractId, 'contract.activated')).toHaveLength(1)
    const confirmed = await db()
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'contract_confirmed')
      .where('user_id', 'in', [w.enterprise.userId, w.enterpriseMember.userId])
      .execute()
    expect(confirmed.map((n) => n.user_id).sort()).toEqual([w.enterprise.userId, w.enterpriseMember.userId].sort())
    // Again, on an active contract: nothing happens.
    expect(await confirmContract(db(), w.provider.actor, w.contractId, 1)).toEqual({ status: 'active', already: true })
  })

  it('is an owner’s, on the revision read', async () => {
    const w = await contractWorld({ status: 'draft', supervised: true })
    for (const p of [w.enterpriseMember, w.providerMember, w.supervisor, w.agencyOver]) {
      expect((await refusal(confirmContract(db(), p.actor, w.contractId, 1))).code).toBe('FORBIDDEN')
    }
    expect((await refusal(confirmContract(db(), w.rival.actor, w.contractId, 1))).code).toBe('NOT_FOUND')
    const stale = await refusal(confirmContract(db(), w.enterprise.actor, w.contractId, 7))
    expect(stale.key).toBe('contracts.e.stale')
    // The page asks for the box to be ticked.
    const res = await call(pageRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}`,
      params: { id: String(w.contractId) },
      cookie: w.enterprise.cookie,
      form: { intent: 'confirm', revision: '1' },
    })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).fieldErrors).toEqual({ agree: 'contracts.v.agree' })
    // An edit after one side confirmed: that confirmation no longer counts.
    await confirmContract(db(), w.enterprise.actor, w.contractId, 1)
    await updateDraft(db(), w.providerMember.actor, w.contractId, 1, draftOf(w))
    expect(await confirmContract(db(), w.provider.actor, w.contractId, 2)).toEqual({ status: 'draft', already: false })
    expect((await contractRow(w.contractId)).status).toBe('draft')
  })

  it('parallel confirmations of both sides activate it exactly once, with no error', async () => {
    for (let round = 0; round < 3; round++) {
      const w = await contractWorld({ status: 'draft' })
      const results = await Promise.allSettled([
        confirmContract(db(), w.enterprise.actor, w.contractId, 1),
        confirmContract(db(), w.provider.actor, w.contractId, 1),
        confirmContract(db(), w.enterprise.actor, w.contractId, 1),
        confirmContract(db(), w.provider.actor, w.contractId, 1),
      ])
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
      const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ status: string; already: boolean }>).value)
      expect(outcomes.filter((o) => o.status === 'active' && !o.already)).toHaveLength(1)
      expect((await contractRow(w.contractId)).status).toBe('active')
      const kinds = (await events(w.contractId)).map((e) => e.kind)
      expect(kinds.filter((k) => k === 'activated')).toHaveLength(1)
      expect(kinds.filter((k) => k === 'confirmed')).toHaveLength(2)
      expect(await audits(w.contractId, 'contract.activated')).toHaveLength(1)
      const need = await db().selectFrom('needs').select('status').where('id', '=', w.needId).executeTakeFirstOrThrow()
      expect(need.status).toBe('contracted')
    }
  })
})

describe('appointing a supervisor', () => {
  it('an agency owner over the region appoints a verified 监理机构; re-appointing replaces it', async () => {
    const w = await contractWorld({ status: 'draft' })
    expect(await appointSupervisor(db(), w.agencyOver.actor, w.contractId, w.supervisor.orgId)).toEqual({ changed: true })
    expect(await appointSupervisor(db(), w.agencyOver.actor, w.contractId, w.supervisor.orgId)).toEqual({ changed: false })
    let row = await contractRow(w.contractId)
    expect(row).toMatchObject({
      supervisor_org_id: w.supervisor.orgId,
      supervisor_appointed_by: w.agencyOver.userId,
      supervisor_appointed_org_id: w.agencyOver.orgId,
    })
    // The supervisor now reads the contract, and was told.
    expect((await getContractPage(db(), w.supervisor.actor, w.contractId)).role).toBe('supervisor')
    const told = await db()
      .selectFrom('notifications')
      .select('link')
      .where('kind', '=', 'supervisor_appointed')
      .where('user_id', '=', w.supervisor.userId)
      .execute()
    expect(told).toEqual([{ link: `/contracts/${w.contractId}` }])

    const other = await supervisorOrg()
    await appointSupervisor(db(), w.agencyOver.actor, w.contractId, other.orgId)
    row = await contractRow(w.contractId)
    expect(row.supervisor_org_id).toBe(other.orgId)
    expect((await refusal(getContractPage(db(), w.supervisor.actor, w.contractId))).code).toBe('NOT_FOUND')
    const appointed = (await events(w.contractId)).filter((e) => e.kind === 'supervisor_appointed')
    expect(appointed).toHaveLength(2)
    expect(JSON.parse(appointed[1]!.detail)).toHaveProperty('previous')
    expect(await audits(w.contractId, 'contract.supervisor_appointed')).toHaveLength(2)
  })

  it('refuses anyone else, a provider that is not a 监理机构, a party, and a closed contract', async () => {
    const w = await contractWorld({ status: 'active' })
    for (const p of [w.agencyViewer, w.enterprise, w.provider]) {
      expect((await refusal(appointSupervisor(db(), p.actor, w.contractId, w.supervisor.orgId))).code).toBe('FORBIDDEN')
    }
    for (const p of [w.agencyElsewhere, w.outsider, w.supervisor]) {
      expect((await refusal(appointSupervisor(db(), p.actor, w.contractId, w.supervisor.orgId))).code).toBe('NOT_FOUND')
    }
    const notKind = await refusal(appointSupervisor(db(), w.agencyOver.actor, w.contractId, w.notSupervisor.orgId))
    expect(notKind.fieldErrors).toEqual({ supervisorOrgId: 'contracts.v.notSupervisor' })
    // A party that is also a 监理机构 cannot supervise its own contract.
    await db()
      .updateTable('organisations')
      .set({ provider_kinds: '["it_engineering","supervisor"]' })
      .where('id', '=', w.provider.orgId)
      .execute()
    const party = await refusal(appointSupervisor(db(), w.agencyOver.actor, w.contractId, w.provider.orgId))
    expect(party.fieldErrors).toEqual({ supervisorOrgId: 'contracts.v.notSupervisor' })
  })

  it('a completed contract takes no supervisor', async () => {
    const w = await contractWorld({ status: 'completed' })
    const error = await refusal(appointSupervisor(db(), w.agencyOver.actor, w.contractId, w.supervisor.orgId))
    expect(error.code).toBe('CONFLICT')
    expect(error.key).toBe('contracts.e.transition')
  })

  it('searches candidates by name, at most 20, never a party or a non-supervisor', async () => {
    const w = await contractWorld({ status: 'draft' })
    const name = (
      await db().selectFrom('organisations').select('name').where('id', '=', w.supervisor.orgId).executeTakeFirstOrThrow()
    ).name
    const found = await searchSupervisorCandidates(db(), w.agencyOver.actor, w.contractId, name)
    expect(found.map((c) => c.id)).toEqual([w.supervisor.orgId])
    expect(await searchSupervisorCandidates(db(), w.agencyOver.actor, w.contractId, '%')).toEqual([])
    for (let i = 0; i < 21; i++) await supervisorOrg()
    expect((await searchSupervisorCandidates(db(), w.agencyOver.actor, w.contractId, '')).length).toBe(20)
    expect((await refusal(searchSupervisorCandidates(db(), w.agencyViewer.actor, w.contractId, ''))).code).toBe('FORBIDDEN')
    // Through the page: the appointment posts an id only.
    const res = await call(pageRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}`,
      params: { id: String(w.contractId) },
      cookie: w.agencyOver.cookie,
      form: { intent: 'appoint', supervisorOrgId: String(w.supervisor.orgId), status: 'active' },
    })
    expect(res.status).toBe(302)
    expect(await contractRow(w.contractId)).toMatchObject({ supervisor_org_id: w.supervisor.orgId, status: 'draft' })
  })
})

describe('linking a case', () => {
  async function caseOf(orgId: number, title = '设备联网案例') {
    const now = new Date().toISOString()
    const row = await db()
      .insertInto('provider_cases')
      .values({
        org_id: orgId,
        title,
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
    return row.id
  }

  it('the provider’s members link one of its own unverified cases before completion', async () => {
    const w = await contractWorld({ status: 'active' })
    const own = await caseOf(w.provider.orgId)
    const rivals = await caseOf(w.rival.orgId)
    const page = await getContractPage(db(), w.providerMember.actor, w.contractId)
    expect(page.cases.map((c) => c.id)).toEqual([own])
    await linkCase(db(), w.providerMember.actor, w.contractId, own)
    expect((await contractRow(w.contractId)).case_id).toBe(own)
    expect((await events(w.contractId)).map((e) => e.kind)).toEqual(['case_linked'])
    expect(await audits(w.contractId, 'contract.case_linked')).toHaveLength(1)
    expect((await refusal(linkCase(db(), w.provider.actor, w.contractId, rivals))).fieldErrors).toEqual({
      caseId: 'contracts.v.case',
    })
    expect((await refusal(linkCase(db(), w.enterprise.actor, w.contractId, own))).code).toBe('FORBIDDEN')
    expect((await refusal(linkCase(db(), w.rival.actor, w.contractId, rivals))).code).toBe('NOT_FOUND')
    const done = await contractWorld({ status: 'completed' })
    const late = await caseOf(done.provider.orgId)
    expect((await refusal(linkCase(db(), done.provider.actor, done.contractId, late))).key).toBe('contracts.e.transition')
  })
})
