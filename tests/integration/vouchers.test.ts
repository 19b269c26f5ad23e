import { describe, expect, it } from 'vitest'
import { chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import {
  contractVoucher,
  createScheme,
  getVoucherPage,
  getVouchersPage,
  issueVoucher,
  takeStep,
} from '../../app/domain/vouchers/vouchers.server.js'
import * as voucherRoute from '../../app/routes/vouchers.$id.js'
import * as issueRoute from '../../app/routes/vouchers.new.js'
import * as schemeRoute from '../../app/routes/vouchers.schemes.new.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'
import { contractWorld, type ContractWorld } from './contract-world.js'
import { db, type Person } from './matching-world.js'

/*
 * 服务券 (issue 16 §5, decision 016): the scheme's caps and yearly budget (under parallel
 * issuance too), no voucher without an appointed supervisor, the flow issued → submitted →
 * signed_off → confirmed → released with its timeline, audit and notices, the ways back
 * (a rejected sign-off, a dispute), cancelling, two clicks → one transition, and who may
 * read and act (404 for those who do not see it).
 */

const year = () => Number(chinaDate().slice(0, 4))

async function scheme(w: ContractWorld, over: Partial<Parameters<typeof createScheme>[2]> = {}) {
  return createScheme(services().db, w.agencyOver.actor, {
    name: '扬州市智改数转服务券',
    document: '《扬州市智改数转服务券管理办法（试行）》',
    validFrom: `${year()}-01-01`,
    validTo: `${year()}-12-31`,
    yearlyBudget: 50_000, // 500 万元
    maxSharePct: 30,
    maxPerVoucher: 10_000, // 100 万元
    ...over,
  })
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (error instanceof AppError) return `${error.code}:${String(error.key)}`
    throw error
  }
}

const eventsOf = (voucherId: number) =>
  db().selectFrom('voucher_events').selectAll().where('voucher_id', '=', voucherId).orderBy('id').execute()
const committed = async (schemeId: number) =>
  Number(
    (
      await db()
        .selectFrom('voucher_budgets')
        .select('committed_wan_x100')
        .where('scheme_id', '=', schemeId)
        .where('year', '=', year())
        .executeTakeFirst()
    )?.committed_wan_x100 ?? 0,
  )

async function issued(options: { status?: 'active' | 'completed'; amountWan?: number } = {}) {
  const w = await contractWorld({ supervised: true, status: options.status ?? 'completed', amountWan: options.amountWan ?? 200 })
  const schemeId = await scheme(w)
  const id = await issueVoucher(services().db, w.agencyOver.actor, {
    schemeId,
    contractId: w.contractId,
    amount: 5_000,
    note: '',
  })
  return { w, schemeId, id }
}

const step = (who: Person, id: number, s: Parameters<typeof takeStep>[3]) => takeStep(services().db, who.actor, id, s)

describe('issuing', () => {
  it('a contract without an appointed supervisor cannot get a voucher (clear error)', async () => {
    const w = await contractWorld({ supervised: false })
    const schemeId = await scheme(w)
    expect(
      await code(issueVoucher(services().db, w.agencyOver.actor, { schemeId, contractId: w.contractId, amount: 1000, note: '' })),
    ).toBe('VALIDATION:vouchers.e.noSupervisor')
    const page = await contractVoucher(services().db, w.agencyOver.actor, w.contractId)
    expect(page).toEqual({ voucher: null, mayIssue: false })
  })

  it('caps: the share of the contract and the largest voucher; the budget left; one live voucher per contract', async () => {
    const w = await contractWorld({ supervised: true, amountWan: 200 })
    const schemeId = await scheme(w, { yearlyBudget: 7_000 })
    const issue = (amount: number) =>
      code(issueVoucher(services().db, w.agencyOver.actor, { schemeId, contractId: w.contractId, amount, note: '' }))
    // 30 % of 200 万 = 60 万 (below the 100 万 per voucher).
    expect(await issue(6_001)).toBe('VALIDATION:vouchers.e.overCap')
    expect(await issue(6_000)).toBe('ok')
    expect(await committed(schemeId)).toBe(6_000)
    expect(await issue(100)).toBe('VALIDATION:vouchers.e.hasVoucher')
    // Another contract: 10 万 left of the 70 万 budget.
    const other = await contractWorld({ supervised: true, amountWan: 200 })
    await db().updateTable('contracts').set({ region_code: w.region }).where('id', '=', other.contractId).execute()
    expect(
      await code(
        issueVoucher(services().db, w.agencyOver.actor, { schemeId, contractId: other.contractId, amount: 1_001, note: '' }),
      ),
    ).toBe('VALIDATION:vouchers.e.overBudget')
    // The largest voucher: a 1000 万 contract at 30 % would allow 300, the scheme 100.
    const big = await contractWorld({ supervised: true, amountWan: 1000 })
    const roomy = await scheme(w, { yearlyBudget: 100_000 })
    expect(
      await code(
        issueVoucher(services().db, w.agencyOver.actor, {
          schemeId: roomy,
          contractId: big.contractId,
          amount: 10_001,
          note: '',
        }),
      ),
    ).toBe('VALIDATION:vouchers.e.overCap')
  })

  it('parallel issuance never exceeds the yearly budget', async () => {
    const worlds = await Promise.all([1, 2, 3, 4].map(() => contractWorld({ supervised: true, amountWan: 200 })))
    const schemeId = await scheme(worlds[0]!, { yearlyBudget: 10_000 })
    const results = await Promise.all(
      worlds.map((w) =>
        code(
          issueVoucher(services().db, worlds[0]!.agencyOver.actor, {
            schemeId,
            contractId: w.contractId,
            amount: 4_000,
            note: '',
          }),
        ),
      ),
    )
    expect(results.filter((r) => r === 'ok')).toHaveLength(2)
    expect(results.filter((r) => r !== 'ok').every((r) => /overBudget/.test(r))).toBe(true)
    expect(await committed(schemeId)).toBe(8_000)
  })

  it('outside the scheme’s validity, another agency’s scheme, a contract outside the jurisdiction: refused', async () => {
    const w = await contractWorld({ supervised: true })
    const old = await scheme(w, { validFrom: '2020-01-01', validTo: '2020-12-31' })
    const db_ = services().db
    expect(
      await code(issueVoucher(db_, w.agencyOver.actor, { schemeId: old, contractId: w.contractId, amount: 100, note: '' })),
    ).toBe('VALIDATION:vouchers.e.outsideValidity')
    const mine = await scheme(w)
    expect(
      await code(issueVoucher(db_, w.agencyElsewhere.actor, { schemeId: mine, contractId: w.contractId, amount: 100, note: '' })),
    ).toBe('VALIDATION:vouchers.v.scheme')
    const theirs = await createScheme(db_, w.agencyElsewhere.actor, {
      name: '苏州服务券',
      document: '苏州文件',
      validFrom: `${year()}-01-01`,
      validTo: `${year()}-12-31`,
      yearlyBudget: 10_000,
      maxSharePct: 50,
      maxPerVoucher: 10_000,
    })
    expect(
      await code(
        issueVoucher(db_, w.agencyElsewhere.actor, { schemeId: theirs, contractId: w.contractId, amount: 100, note: '' }),
      ),
    ).toBe('VALIDATION:vouchers.v.contract')
    expect(
      await code(
        createScheme(db_, w.agencyViewer.actor, {
          name: '方案',
          document: '文件',
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
          yearlyBudget: 1,
          maxSharePct: 1,
          maxPerVoucher: 1,
        }),
      ),
    ).toMatch(/^FORBIDDEN/)
    expect(
      await code(
        createScheme(db_, w.enterprise.actor, {
          name: '方案',
          document: '文件',
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
          yearlyBudget: 1,
          maxSharePct: 1,
          maxPerVoucher: 1,
        }),
      ),
    ).toMatch(/^FORBIDDEN/)
  })
})

describe('the flow', () => {
  it('issued → submitted → signed_off → confirmed → released: timeline, audit, notices, budget', async () => {
    const { w, schemeId, id } = await issued()
    await step(w.providerMember, id, {
      step: 'submit',
      input: { milestone: [w.milestoneIds[0]!], note: '设备联网完成，附验收记录。' },
    })
    await step(w.supervisor, id, { step: 'signoff', note: '现场核实' })
    await step(w.enterprise, id, { step: 'confirm', note: '' })
    await step(w.agencyOver, id, {
      step: 'release',
      input: { amount: 4_000, reference: '扬财拨〔2026〕12号', releasedOn: chinaDate(), note: '' },
    })
    const v = await db().selectFrom('vouchers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(v).toMatchObject({ status: 'released', released_wan_x100: 4_000, released_ref: '扬财拨〔2026〕12号' })
    expect(JSON.parse(v.evidence_milestones)).toEqual([w.milestoneIds[0]])
    // The unpaid 10 万 goes back to the budget.
    expect(await committed(schemeId)).toBe(4_000)
    const events = await eventsOf(id)
    expect(events.map((e) => [e.action, e.from_status, e.to_status, e.actor_org_id])).toEqual([
      ['issued', null, 'issued', w.agencyOver.orgId],
      ['submitted', 'issued', 'submitted', w.provider.orgId],
      ['signed_off', 'submitted', 'signed_off', w.supervisor.orgId],
      ['confirmed', 'signed_off', 'confirmed', w.enterprise.orgId],
      ['released', 'confirmed', 'released', w.agencyOver.orgId],
    ])
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'voucher')
      .where('object_id', '=', String(id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'voucher.issued',
      'voucher.submitted',
      'voucher.signed_off',
      'voucher.confirmed',
      'voucher.released',
    ])
    const notices = await db()
      .selectFrom('notifications')
      .select(['user_id'])
      .where('kind', '=', 'voucher_step')
      .where('link', '=', `/vouchers/${id}`)
      .execute()
    const to = new Set(notices.map((n) => n.user_id))
    for (const p of [w.provider, w.supervisor, w.enterprise, w.agencyOver]) expect(to.has(p.userId)).toBe(true)
    expect(to.has(w.outsider.userId)).toBe(false)
    // Everyone on the voucher reads it with the whole timeline; the closed voucher offers no step.
    const page = await getVoucherPage(services().db, w.enterprise.actor, id)
    expect(page.events).toHaveLength(5)
    expect(page.steps).toEqual([])
    expect(page.evidence.map((m) => m.id)).toEqual([w.milestoneIds[0]])
  })

  it('the supervisor sends it back, the enterprise disputes: back to the provider, with the reason in the timeline', async () => {
    const { w, id } = await issued()
    const submit = () => step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[1]!], note: '' } })
    await submit()
    await step(w.supervisor, id, { step: 'reject', note: '缺少现场照片' })
    await submit()
    await step(w.supervisor, id, { step: 'signoff', note: '' })
    await step(w.enterprise, id, { step: 'dispute', note: '数据采集延迟未达标' })
    const events = await eventsOf(id)
    expect(events.map((e) => e.action)).toEqual([
      'issued',
      'submitted',
      'signoff_rejected',
      'submitted',
      'signed_off',
      'disputed',
    ])
    expect(events[2]!.note).toBe('缺少现场照片')
    expect(events.at(-1)).toMatchObject({ from_status: 'signed_off', to_status: 'issued', note: '数据采集延迟未达标' })
  })

  it('only accepted milestones of this contract are evidence; the release is at most the face value, not in the future', async () => {
    const { w, id } = await issued({ status: 'active' })
    expect(await code(step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!], note: '' } }))).toBe(
      'VALIDATION:vouchers.v.evidenceAccepted',
    )
    await db().updateTable('contract_milestones').set({ status: 'accepted' }).where('id', '=', w.milestoneIds[0]!).execute()
    const other = await contractWorld({ status: 'completed' })
    expect(
      await code(
        step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!, other.milestoneIds[0]!], note: '' } }),
      ),
    ).toBe('VALIDATION:vouchers.v.evidenceAccepted')
    await step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!], note: '' } })
    await step(w.supervisor, id, { step: 'signoff', note: '' })
    await step(w.enterprise, id, { step: 'confirm', note: '' })
    const release = (amount: number, releasedOn = chinaDate()) =>
      code(step(w.agencyOver, id, { step: 'release', input: { amount, reference: 'R-1', releasedOn, note: '' } }))
    expect(await release(5_001)).toBe('VALIDATION:vouchers.e.releaseOver')
    expect(await release(100, '2999-01-01')).toBe('VALIDATION:vouchers.v.releasedOnFuture')
    expect(await release(5_000)).toBe('ok')
  })

  it('two clicks: one transition, the other a 409; a step out of turn is a 409', async () => {
    const { w, id } = await issued()
    await step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!], note: '' } })
    const both = await Promise.all([
      code(step(w.supervisor, id, { step: 'signoff', note: '' })),
      code(step(w.supervisor, id, { step: 'signoff', note: '' })),
    ])
    expect(both.sort()).toEqual(['CONFLICT:vouchers.e.stale', 'ok'])
    expect((await eventsOf(id)).filter((e) => e.action === 'signed_off')).toHaveLength(1)
    expect(
      await code(
        step(w.agencyOver, id, { step: 'release', input: { amount: 1, reference: 'x', releasedOn: chinaDate(), note: '' } }),
      ),
    ).toBe('CONFLICT:vouchers.e.stale')
  })

  it('cancelling gives the face value back to the budget and lets the contract get a new voucher', async () => {
    const { w, schemeId, id } = await issued()
    expect(await committed(schemeId)).toBe(5_000)
    await step(w.agencyOver, id, { step: 'cancel', note: '企业申请撤回' })
    expect(await committed(schemeId)).toBe(0)
    expect(await code(step(w.agencyOver, id, { step: 'cancel', note: '再次' }))).toBe('CONFLICT:vouchers.e.stale')
    const again = await issueVoucher(services().db, w.agencyOver.actor, {
      schemeId,
      contractId: w.contractId,
      amount: 1_000,
      note: '',
    })
    expect(again).toBeGreaterThan(id)
    expect((await contractVoucher(services().db, w.enterprise.actor, w.contractId)).voucher?.id).toBe(again)
  })
})

describe('who reads and acts', () => {
  it('sides read; others get 404; each step only for its side (an enterprise member may not confirm)', async () => {
    const { w, id } = await issued()
    const db_ = services().db
    for (const p of [w.enterprise, w.enterpriseMember, w.provider, w.supervisor, w.agencyOver, w.agencyViewer]) {
      expect((await getVoucherPage(db_, p.actor, id)).id).toBe(id)
    }
    for (const p of [w.rival, w.outsider, w.agencyElsewhere, w.notSupervisor]) {
      expect(await code(getVoucherPage(db_, p.actor, id))).toBe('NOT_FOUND:vouchers.e.notFound')
      expect(await code(step(p, id, { step: 'cancel', note: '试试' }))).toBe('NOT_FOUND:vouchers.e.notFound')
    }
    expect(await code(step(w.supervisor, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!], note: '' } }))).toBe(
      'FORBIDDEN:vouchers.e.notYour.provider',
    )
    expect(await code(step(w.agencyViewer, id, { step: 'cancel', note: '试试' }))).toBe('FORBIDDEN:vouchers.e.notYour.agency')
    await step(w.provider, id, { step: 'submit', input: { milestone: [w.milestoneIds[0]!], note: '' } })
    expect(await code(step(w.provider, id, { step: 'signoff', note: '' }))).toBe('FORBIDDEN:vouchers.e.notYour.supervisor')
    await step(w.supervisor, id, { step: 'signoff', note: '' })
    expect(await code(step(w.enterpriseMember, id, { step: 'confirm', note: '' }))).toBe(
      'FORBIDDEN:vouchers.e.notYour.enterprise',
    )
    // Lists: the agency over the region, each side; not the other agency.
    expect((await getVouchersPage(db_, w.agencyOver.actor, { page: 1, status: null })).vouchers.map((v) => v.id)).toContain(id)
    expect((await getVouchersPage(db_, w.supervisor.actor, { page: 1, status: null })).vouchers.map((v) => v.id)).toEqual([id])
    expect((await getVouchersPage(db_, w.enterprise.actor, { page: 1, status: 'signed_off' })).waiting).toBe(1)
    expect(
      (await getVouchersPage(db_, w.agencyElsewhere.actor, { page: 1, status: null })).vouchers.map((v) => v.id),
    ).not.toContain(id)
  })
})

describe('routes', () => {
  it('bad input is a 400 with message keys, never a 500; posted fields beyond the form change nothing', async () => {
    const { w, id } = await issued()
    const scheme = await call(schemeRoute, {
      method: 'POST',
      path: '/vouchers/schemes/new',
      cookie: w.agencyOver.cookie,
      form: {
        name: 'x',
        document: '',
        validFrom: '2026-13-01',
        validTo: '2026-01-01',
        yearlyBudget: '-1',
        maxSharePct: '101',
        maxPerVoucher: '1.234',
      },
    })
    expect(scheme.status).toBe(400)
    const issue = await call(issueRoute, {
      method: 'POST',
      path: '/vouchers/new',
      cookie: w.agencyOver.cookie,
      form: { schemeId: 'abc', contractId: String(w.contractId), amount: '1e9' },
    })
    expect(issue.status).toBe(400)
    const stepOutcome = await call(voucherRoute, {
      method: 'POST',
      path: `/vouchers/${id}`,
      params: { id: String(id) },
      cookie: w.provider.cookie,
      form: { step: 'submit', milestone: String(w.milestoneIds[0]), note: '', status: 'released', amount_wan_x100: '1' },
    })
    expect(stepOutcome.status).toBe(302)
    const v = await db()
      .selectFrom('vouchers')
      .select(['status', 'amount_wan_x100'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(v).toEqual({ status: 'submitted', amount_wan_x100: 5_000 })
    const forms: Record<string, string>[] = [
      { step: 'nope' },
      { step: 'submit' },
      { step: 'reject', note: '' },
      { step: 'release', amount: 'x' },
    ]
    for (const form of forms) {
      const outcome = await call(voucherRoute, {
        method: 'POST',
        path: `/vouchers/${id}`,
        params: { id: String(id) },
        cookie: w.supervisor.cookie,
        form,
      })
      expect([400, 403, 404, 409]).toContain(outcome.status)
    }
    const missing = await call(voucherRoute, {
      method: 'GET',
      path: '/vouchers/999999',
      params: { id: '999999' },
      cookie: w.enterprise.cookie,
    })
    expect(missing.status).toBe(404)
  })
})
