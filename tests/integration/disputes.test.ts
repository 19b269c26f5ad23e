import { beforeAll, describe, expect, it } from 'vitest'
import {
  getDispute,
  listDisputes,
  openDispute,
  resolveDispute,
  withdrawDispute,
  type OpenDisputeInput,
} from '../../app/domain/contracts/disputes.server.js'
import { mayReadFilesOf } from '../../app/domain/files/files.server.js'
import * as listPage from '../../app/routes/contracts.$id_.disputes.js'
import * as disputePage from '../../app/routes/disputes.$id.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'
import { contractWorld, type ContractWorld } from './contract-world.js'
import { db, type Person } from './matching-world.js'

/*
 * Disputes (纠纷, issue 14 §5): a party's members open one on an active contract (a
 * milestone of THAT contract, ≤ 5 files, ≤ 3 open); its side withdraws it; the
 * supervisor or an agency owner/reviewer over the region resolves it — a viewer, a
 * party or an agency elsewhere cannot (403 / 404); terminate ends the contract and
 * closes the need; two resolvers racing leave one resolution and a 409, never a 500;
 * extra fields change nothing; an outsider learns nothing (404).
 */

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const store = () => services().storage
const input = (extra: Partial<OpenDisputeInput> = {}): OpenDisputeInput => ({
  subject: '交付延期',
  description: '第一期设备联网比约定晚了两周，要求说明原因并给出补救计划。',
  milestoneId: null,
  ...extra,
})

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return `${(error as AppError).code} ${(error as AppError).key}`
}

let w: ContractWorld
let plain: ContractWorld

beforeAll(async () => {
  w = await contractWorld({ supervised: true })
  plain = await contractWorld()
})

async function noticesOf(person: Person, kind: string) {
  return db()
    .selectFrom('notifications')
    .select(['user_id', 'link'])
    .where('user_id', '=', person.userId)
    .where('kind', '=', kind)
    .execute()
}

describe('opening a dispute', () => {
  it('a provider member opens one on a milestone with evidence (the form); everyone concerned is told', async () => {
    const outcome = await call(listPage, {
      method: 'POST',
      path: `/contracts/${w.contractId}/disputes`,
      params: { id: String(w.contractId) },
      cookie: w.providerMember.cookie,
      form: {
        subject: '验收标准争议',
        description: '企业方要求的采集延迟超出合同约定的验收标准。',
        milestoneId: String(w.milestoneIds[0]),
        // Mass assignment: none of these is read.
        status: 'resolved',
        outcome: 'terminate',
        fault: 'enterprise',
        openedSide: 'enterprise',
        opened_side: 'enterprise',
        contractId: String(plain.contractId),
        contract_id: String(plain.contractId),
      },
      files: { evidence: { name: '检测报告.pdf', bytes: PDF, type: 'application/pdf' } },
    })
    expect(outcome.status).toBe(302)
    const id = Number(/\/disputes\/(\d+)$/.exec(outcome.location ?? '')?.[1])
    const row = await db().selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      contract_id: w.contractId,
      milestone_id: w.milestoneIds[0],
      opened_side: 'provider',
      opened_org_id: w.provider.orgId,
      opened_by: w.providerMember.userId,
      status: 'open',
      outcome: null,
      fault: null,
    })
    const files = await db()
      .selectFrom('files')
      .select('id')
      .where('object_type', '=', 'dispute')
      .where('object_id', '=', id)
      .execute()
    expect(files).toHaveLength(1)
    expect(await mayReadFilesOf(db(), w.supervisor.actor, 'dispute', id)).toBe(true)
    expect(await mayReadFilesOf(db(), w.rival.actor, 'dispute', id)).toBe(false)
    const events = await db()
      .selectFrom('contract_events')
      .select(['kind', 'object_id', 'milestone_id', 'actor_org_id'])
      .where('contract_id', '=', w.contractId)
      .where('kind', '=', 'dispute_opened')
      .execute()
    expect(events).toEqual([
      { kind: 'dispute_opened', object_id: id, milestone_id: w.milestoneIds[0], actor_org_id: w.provider.orgId },
    ])
    const audit = await db()
      .selectFrom('audit_log')
      .select(['region_code', 'actor_org_id'])
      .where('action', '=', 'dispute.opened')
      .where('object_id', '=', String(id))
      .execute()
    expect(audit).toEqual([{ region_code: '321023', actor_org_id: w.provider.orgId }])
    // dispute_opened goes to owners: the enterprise's, the supervisor's; not the opener's side.
    expect(await noticesOf(w.enterprise, 'dispute_opened')).toEqual([{ user_id: w.enterprise.userId, link: `/disputes/${id}` }])
    expect(await noticesOf(w.enterpriseMember, 'dispute_opened')).toHaveLength(0)
    expect(await noticesOf(w.supervisor, 'dispute_opened')).toHaveLength(1)
    expect(await noticesOf(w.provider, 'dispute_opened')).toHaveLength(0)
    // The nearest agencies over 321023 (the county's, else the city's — agencyOver at 321000).
    const countyAgency = await db()
      .selectFrom('organisations')
      .select('id')
      .where('kind', '=', 'agency')
      .where('status', '=', 'verified')
      .where('region_code', '=', '321023')
      .executeTakeFirst()
    if (!countyAgency) expect(await noticesOf(w.agencyOver, 'dispute_opened')).toHaveLength(1)
    expect(await noticesOf(w.agencyElsewhere, 'dispute_opened')).toHaveLength(0)
  })

  it('only a party: supervisor and agency readers 403, others 404', async () => {
    for (const p of [w.supervisor, w.agencyOver, w.agencyViewer]) {
      expect(await codeOf(openDispute(db(), store(), p.actor, w.contractId, input()))).toBe('FORBIDDEN errors.forbidden')
    }
    for (const p of [w.rival, w.outsider, w.agencyElsewhere, w.notSupervisor]) {
      expect(await codeOf(openDispute(db(), store(), p.actor, w.contractId, input()))).toBe('NOT_FOUND contracts.e.notFound')
    }
    const enterprise = await openDispute(db(), store(), plain.enterpriseMember.actor, plain.contractId, input())
    const row = await db()
      .selectFrom('disputes')
      .select('opened_side')
      .where('id', '=', enterprise.disputeId)
      .executeTakeFirstOrThrow()
    expect(row.opened_side).toBe('enterprise')
  })

  it('only on an active contract, a milestone of this contract, within the limits', async () => {
    const draft = await contractWorld({ status: 'draft' })
    expect(await codeOf(openDispute(db(), store(), draft.provider.actor, draft.contractId, input()))).toBe(
      'INVALID_STATE disputes.e.notActive',
    )
    const completed = await contractWorld({ status: 'completed' })
    expect(await codeOf(openDispute(db(), store(), completed.provider.actor, completed.contractId, input()))).toBe(
      'INVALID_STATE disputes.e.notActive',
    )
    const other = await codeOf(
      openDispute(db(), store(), plain.provider.actor, plain.contractId, input({ milestoneId: w.milestoneIds[0]! })),
    )
    expect(other).toBe('VALIDATION errors.validationOne')
    const tooMany = Array.from({ length: 6 }, (_, i) => ({ name: `证据${i}.pdf`, bytes: PDF, type: 'application/pdf' }))
    expect(await codeOf(openDispute(db(), store(), plain.provider.actor, plain.contractId, input(), tooMany))).toBe(
      'VALIDATION errors.validationOne',
    )
    const viaForm = await call(listPage, {
      method: 'POST',
      path: `/contracts/${plain.contractId}/disputes`,
      params: { id: String(plain.contractId) },
      cookie: plain.provider.cookie,
      form: { subject: '超', description: '说明' },
      files: { evidence: tooMany },
    })
    expect(viaForm.status).toBe(413)
    const long = await call(listPage, {
      method: 'POST',
      path: `/contracts/${plain.contractId}/disputes`,
      params: { id: String(plain.contractId) },
      cookie: plain.provider.cookie,
      form: { subject: '长'.repeat(201), description: '', milestoneId: 'abc' },
    })
    expect(long.status).toBe(400)
    expect(long.body).toContain('disputes.v.subjectTooLong')
    expect(long.body).toContain('disputes.v.description')
    expect(long.body).toContain('disputes.v.milestone')
  })

  it('at most three open at once, parallel openings included', async () => {
    const c = await contractWorld()
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        openDispute(db(), store(), c.provider.actor, c.contractId, input({ subject: `并发${i}` })),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    for (const r of results) {
      if (r.status === 'rejected')
        expect(`${(r.reason as AppError).code} ${(r.reason as AppError).key}`).toBe('INVALID_STATE disputes.e.tooMany')
    }
    const page = await listDisputes(db(), c.enterprise.actor, c.contractId)
    expect(page.openCount).toBe(3)
    expect(page.mayOpen).toBe(false)
    expect(page.cannotOpen).toBe('tooMany')
    // A withdrawn one frees a place.
    await withdrawDispute(db(), c.providerMember.actor, page.items[0]!.id)
    expect((await listDisputes(db(), c.enterprise.actor, c.contractId)).mayOpen).toBe(true)
  })
})

describe('reading', () => {
  it('whoever reads the contract reads its disputes; anyone else 404', async () => {
    const { disputeId } = await openDispute(db(), store(), w.enterprise.actor, w.contractId, input({ subject: '读取测试' }))
    for (const p of [w.enterprise, w.provider, w.supervisor, w.agencyOver, w.agencyViewer]) {
      const page = await call(disputePage, {
        path: `/disputes/${disputeId}`,
        params: { id: String(disputeId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(200)
      const list = await call(listPage, {
        path: `/contracts/${w.contractId}/disputes`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(list.status).toBe(200)
    }
    for (const p of [w.rival, w.outsider, w.agencyElsewhere, w.notSupervisor]) {
      const page = await call(disputePage, {
        path: `/disputes/${disputeId}`,
        params: { id: String(disputeId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(404)
      const list = await call(listPage, {
        path: `/contracts/${w.contractId}/disputes`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(list.status).toBe(404)
    }
    const missing = await call(disputePage, {
      path: '/disputes/999999999',
      params: { id: '999999999' },
      cookie: w.enterprise.cookie,
    })
    expect(missing.status).toBe(404)
    // What each reader may do.
    expect((await getDispute(db(), w.enterpriseMember.actor, disputeId)).mayWithdraw).toBe(true)
    expect((await getDispute(db(), w.provider.actor, disputeId)).mayWithdraw).toBe(false)
    expect((await getDispute(db(), w.provider.actor, disputeId)).mayResolve).toBe(false)
    expect((await getDispute(db(), w.supervisor.actor, disputeId)).mayResolve).toBe(true)
    expect((await getDispute(db(), w.agencyOver.actor, disputeId)).mayResolve).toBe(true)
    expect((await getDispute(db(), w.agencyViewer.actor, disputeId)).mayResolve).toBe(false)
  })
})

describe('withdrawing', () => {
  it('the opener’s side only, while open', async () => {
    const { disputeId } = await openDispute(db(), store(), w.provider.actor, w.contractId, input({ subject: '撤回测试' }))
    for (const p of [w.enterprise, w.supervisor, w.agencyOver]) {
      expect(await codeOf(withdrawDispute(db(), p.actor, disputeId))).toBe('FORBIDDEN errors.forbidden')
    }
    expect(await codeOf(withdrawDispute(db(), w.rival.actor, disputeId))).toBe('NOT_FOUND disputes.e.notFound')
    const outcome = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: w.providerMember.cookie,
      form: { intent: 'withdraw', status: 'resolved' },
    })
    expect(outcome.status).toBe(302)
    const row = await db()
      .selectFrom('disputes')
      .select(['status', 'resolved_at'])
      .where('id', '=', disputeId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'withdrawn', resolved_at: null })
    expect(await codeOf(withdrawDispute(db(), w.provider.actor, disputeId))).toBe('CONFLICT disputes.e.transition')
    expect(
      await codeOf(
        resolveDispute(db(), w.supervisor.actor, disputeId, { resolution: '已撤回', outcome: 'continue', fault: 'none' }),
      ),
    ).toBe('CONFLICT disputes.e.transition')
  })
})

describe('resolving', () => {
  it('the supervisor resolves (continue): both parties are told, the contract goes on', async () => {
    const { disputeId } = await openDispute(db(), store(), w.provider.actor, w.contractId, input({ subject: '继续履行测试' }))
    const outcome = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: w.supervisor.cookie,
      form: {
        intent: 'resolve',
        resolution: '经现场核查，延期系设备到货延迟所致，双方同意顺延两周。',
        outcome: 'continue',
        fault: 'none',
        // Mass assignment.
        status: 'withdrawn',
        resolved_org_id: String(w.agencyOver.orgId),
        resolvedBy: String(w.enterprise.userId),
      },
    })
    expect(outcome.status).toBe(302)
    const row = await db().selectFrom('disputes').selectAll().where('id', '=', disputeId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'resolved',
      outcome: 'continue',
      fault: 'none',
      resolved_org_id: w.supervisor.orgId,
      resolved_by: w.supervisor.userId,
    })
    const contract = await db().selectFrom('contracts').select('status').where('id', '=', w.contractId).executeTakeFirstOrThrow()
    expect(contract.status).toBe('active')
    const notices = await db()
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'dispute_resolved')
      .where('link', '=', `/disputes/${disputeId}`)
      .orderBy('user_id')
      .execute()
    expect(notices.map((n) => n.user_id)).toEqual([w.enterprise.userId, w.provider.userId].sort((a, b) => a - b))
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'dispute.resolved')
      .where('object_id', '=', String(disputeId))
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('who may resolve: agency owner over the region yes; viewer, parties 403; elsewhere, outsiders 404', async () => {
    const { disputeId } = await openDispute(
      db(),
      store(),
      plain.provider.actor,
      plain.contractId,
      input({ subject: '主管部门处理' }),
    )
    const resolution = { resolution: '由主管部门协调处理。', outcome: 'continue', fault: 'provider' } as const
    for (const p of [plain.agencyViewer, plain.enterprise, plain.provider, plain.providerMember]) {
      expect(await codeOf(resolveDispute(db(), p.actor, disputeId, resolution))).toBe('FORBIDDEN errors.forbidden')
    }
    // plain has no supervisor: w's supervisor is a stranger to it.
    for (const p of [plain.agencyElsewhere, plain.outsider, plain.rival, w.supervisor]) {
      expect(await codeOf(resolveDispute(db(), p.actor, disputeId, resolution))).toBe('NOT_FOUND disputes.e.notFound')
    }
    const viewer = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: plain.agencyViewer.cookie,
      form: { intent: 'resolve', ...resolution },
    })
    expect(viewer.status).toBe(403)
    await resolveDispute(db(), plain.agencyOver.actor, disputeId, resolution)
    const row = await db()
      .selectFrom('disputes')
      .select(['status', 'fault', 'resolved_org_id'])
      .where('id', '=', disputeId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'resolved', fault: 'provider', resolved_org_id: plain.agencyOver.orgId })
  })

  it('a bad resolution form is 400 with its fields', async () => {
    const { disputeId } = await openDispute(db(), store(), plain.provider.actor, plain.contractId, input({ subject: '表单校验' }))
    const outcome = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: plain.agencyOver.cookie,
      form: { intent: 'resolve', resolution: '短', outcome: 'cancel', fault: 'both' },
    })
    expect(outcome.status).toBe(400)
    for (const key of ['disputes.v.resolution', 'disputes.v.outcome', 'disputes.v.fault']) expect(outcome.body).toContain(key)
    const bad = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: plain.agencyOver.cookie,
      form: { intent: 'delete' },
    })
    expect(bad.status).toBe(400)
  })

  it('terminate: the contract is terminated and its need closed, in one go', async () => {
    const c = await contractWorld({ supervised: true })
    const { disputeId } = await openDispute(db(), store(), c.enterprise.actor, c.contractId, input({ subject: '终止测试' }))
    const outcome = await call(disputePage, {
      method: 'POST',
      path: `/disputes/${disputeId}`,
      params: { id: String(disputeId) },
      cookie: c.agencyOver.cookie,
      form: { intent: 'resolve', resolution: '服务商无法履约，合同终止。', outcome: 'terminate', fault: 'provider' },
    })
    expect(outcome.status).toBe(302)
    const contract = await db()
      .selectFrom('contracts')
      .select(['status', 'closed_at', 'status_reason'])
      .where('id', '=', c.contractId)
      .executeTakeFirstOrThrow()
    expect(contract.status).toBe('terminated')
    expect(contract.closed_at).not.toBeNull()
    expect(contract.status_reason).toBe('服务商无法履约，合同终止。')
    const need = await db()
      .selectFrom('needs')
      .select(['status', 'status_reason'])
      .where('id', '=', c.needId)
      .executeTakeFirstOrThrow()
    expect(need).toEqual({ status: 'closed', status_reason: '合同终止' })
    const events = await db()
      .selectFrom('contract_events')
      .select('kind')
      .where('contract_id', '=', c.contractId)
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.kind)).toEqual(['dispute_opened', 'dispute_resolved', 'terminated'])
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'contract.terminated')
      .where('object_id', '=', String(c.contractId))
      .execute()
    expect(audit).toHaveLength(1)
    // Nothing more can be opened; another open dispute can still be resolved, but only to continue.
    expect(await codeOf(openDispute(db(), store(), c.provider.actor, c.contractId, input()))).toBe(
      'INVALID_STATE disputes.e.notActive',
    )
  })

  it('terminate needs an active contract; with the need no longer contracted it is left alone', async () => {
    const c = await contractWorld()
    const first = await openDispute(db(), store(), c.provider.actor, c.contractId, input({ subject: '一' }))
    const second = await openDispute(db(), store(), c.provider.actor, c.contractId, input({ subject: '二' }))
    await db().updateTable('needs').set({ status: 'closed' }).where('id', '=', c.needId).execute()
    await resolveDispute(db(), c.agencyOver.actor, first.disputeId, {
      resolution: '终止合同。',
      outcome: 'terminate',
      fault: 'none',
    })
    expect(
      (await db().selectFrom('contracts').select('status').where('id', '=', c.contractId).executeTakeFirstOrThrow()).status,
    ).toBe('terminated')
    expect(
      await codeOf(
        resolveDispute(db(), c.agencyOver.actor, second.disputeId, {
          resolution: '再次终止。',
          outcome: 'terminate',
          fault: 'none',
        }),
      ),
    ).toBe('CONFLICT contracts.e.transition')
    expect((await getDispute(db(), c.agencyOver.actor, second.disputeId)).mayTerminate).toBe(false)
    await resolveDispute(db(), c.agencyOver.actor, second.disputeId, {
      resolution: '合同已终止，结案。',
      outcome: 'continue',
      fault: 'none',
    })
  })

  it('two resolvers at once: one resolution, the other 409, never a 500', async () => {
    const c = await contractWorld({ supervised: true })
    const { disputeId } = await openDispute(db(), store(), c.provider.actor, c.contractId, input({ subject: '并发处理' }))
    const request = (cookie: string, outcome: string) =>
      call(disputePage, {
        method: 'POST',
        path: `/disputes/${disputeId}`,
        params: { id: String(disputeId) },
        cookie,
        form: { intent: 'resolve', resolution: '并发处理意见', outcome, fault: 'none' },
      })
    const outcomes = await Promise.all([
      request(c.supervisor.cookie, 'continue'),
      request(c.agencyOver.cookie, 'terminate'),
      request(c.supervisor.cookie, 'terminate'),
    ])
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409, 409])
    const events = await db()
      .selectFrom('contract_events')
      .select('kind')
      .where('contract_id', '=', c.contractId)
      .where('kind', '=', 'dispute_resolved')
      .execute()
    expect(events).toHaveLength(1)
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'dispute.resolved')
      .where('object_id', '=', String(disputeId))
      .execute()
    expect(audit).toHaveLength(1)
  })
})
