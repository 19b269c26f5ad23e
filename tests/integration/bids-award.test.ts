import { beforeAll, describe, expect, it } from 'vitest'
import { awardBid, rejectBid, shortlistBid } from '../../app/domain/bids/award.server.js'
import { getBidForViewer, submitBid, withdrawBid } from '../../app/domain/bids/bids.server.js'
import { getBidComparison } from '../../app/domain/bids/compare.server.js'
import { getBidThread, postBidMessage } from '../../app/domain/bids/messages.server.js'
import { ZBidInput, type BidInput } from '../../app/domain/bids/schema.js'
import * as bidPage from '../../app/routes/bids.$id.js'
import * as comparePage from '../../app/routes/enterprise.needs.$id.compare.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { agency, db, fitting, indexedProviders, personOf, type Person } from './matching-world.js'

/*
 * Compare and award (issue 14 §2): the comparison (price, terms, match score with its
 * breakdown, a bidder the hard filters drop shown with its reason), shortlist / reject
 * by members, award by owners only — atomic: 50 parallel awards on one need leave one
 * awarded bid, one contract and the need awarded; the others CONFLICT, never a 500 (the
 * use case and HTTP) —, the winner told award_won, every other bidder award_lost; the
 * question thread per bid (both sides, the other told, 50 at most, rivals 404); mass
 * assignment changes nothing.
 */

const w = {} as {
  enterprise: number
  owner: Person
  secondOwner: Person
  member: Person
  agencyOver: Person
  agencyElsewhere: Person
  outsider: Person
  /** Providers that fit the need (C34, S401), and one that does not (no_fit). */
  fit: Person[]
  unfit: Person
  versionOfFit0: number
}

const store = () => services().storage

function input(price = '120', durationDays = '90', templateVersionId = ''): BidInput {
  return ZBidInput.parse({ price, durationDays, plan: '设备联网与数据采集，分两期实施。', templateVersionId })
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function template(orgId: number): Promise<number> {
  const now = new Date().toISOString()
  const t = await db()
    .insertInto('contract_templates')
    .values({ org_id: orgId, is_official: 0, title: '授标测试范本', industry_code: 'C34', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const v = await db()
    .insertInto('contract_template_versions')
    .values({
      template_id: t.id,
      version: 1,
      construction_days: 150,
      technical_standards: '[]',
      acceptance_standards: '逐项验收',
      warranty_months: 18,
      price_model: 'fixed',
      price_min_wan: null,
      price_max_wan: null,
      milestones: JSON.stringify([
        { name: '预付款', percent: 30, criteria: '签订' },
        { name: '上线', percent: 40, criteria: '上线' },
        { name: '验收款', percent: 30, criteria: '验收' },
      ]),
      dispute_clause: '仲裁',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return v.id
}

/** A published need of the enterprise (deadline ahead) with one bid from each of `bidders`. */
async function needWithBids(bidders: Person[], title = '授标测试：冲压车间设备联网') {
  const needId = await insertNeed(db(), w.enterprise, { title })
  await db().updateTable('needs').set({ deadline: '2099-12-31' }).where('id', '=', needId).execute()
  const bids: number[] = []
  for (const [i, p] of bidders.entries()) {
    const tpl = p === w.fit[0] ? String(w.versionOfFit0) : ''
    bids.push((await submitBid(db(), store(), p.actor, needId, input(String(100 + i * 10), String(60 + i), tpl))).bidId)
  }
  return { needId, bids }
}

async function noticesOf(kind: string, orgId: number) {
  return db()
    .selectFrom('notifications')
    .select(['user_id', 'link', 'params'])
    .where('kind', '=', kind)
    .where('org_id', '=', orgId)
    .execute()
}

beforeAll(async () => {
  w.enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
  w.owner = await personOf(w.enterprise, 'owner', `award-owner-${w.enterprise}@example.com`)
  w.secondOwner = await personOf(w.enterprise, 'owner')
  w.member = await personOf(w.enterprise, 'member')
  w.agencyOver = await agency('321000', 'viewer')
  w.agencyElsewhere = await agency('620000')
  w.outsider = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321023' }))
  const ids = await indexedProviders([
    fitting('授标测试集成商一'),
    fitting('授标测试集成商二'),
    fitting('授标测试集成商三'),
    fitting('授标测试集成商四'),
    fitting('授标测试集成商五'),
    { ...fitting('授标测试不相符的服务商'), industries: ['C38'], scenarios: ['S305'] },
  ])
  w.fit = []
  for (const id of ids.slice(0, 5)) w.fit.push(await personOf(id))
  w.unfit = await personOf(ids[5]!)
  w.versionOfFit0 = await template(w.fit[0]!.orgId)
})

describe('the comparison', () => {
  it('shows each live bid with its terms and match; a bidder the filters drop shows with its reason', async () => {
    const { needId, bids } = await needWithBids([w.fit[0]!, w.fit[1]!, w.unfit])
    const page = await getBidComparison(db(), services().search, w.owner.actor, needId)
    expect(page.viewer).toBe('owner')
    expect(page.mayDecide && page.mayAward).toBe(true)
    expect(page.total).toBe(3)
    // By price, lowest first (none shortlisted yet).
    expect(page.bids.map((b) => b.id)).toEqual(bids)
    const [first, second, unfit] = page.bids
    expect(first!.template).toMatchObject({
      constructionDays: 150,
      warrantyMonths: 18,
      milestonePercents: [30, 40, 30],
      priceModel: 'fixed',
    })
    expect(second!.template).toBeNull()
    expect(first!.match!.score).toBeGreaterThan(0)
    expect(first!.match!.factors.map((f) => f.factor)).toContain('scenario')
    expect(unfit!.match).toBeNull()
    expect(unfit!.excluded).toBe('no_fit')
    expect(first!.actions).toEqual(['shortlist', 'reject', 'award'])
    expect(page.lowestPriceX100).toBe(10_000)
    expect(first!.rating).toEqual({ count: 0, percent: null })
    expect(first!.cases).toEqual({ total: 0, verified: 0 })

    // A member decides but does not award; an agency over the region reads only.
    const member = await getBidComparison(db(), services().search, w.member.actor, needId)
    expect([member.mayDecide, member.mayAward]).toEqual([true, false])
    expect(member.bids[0]!.actions).toEqual(['shortlist', 'reject'])
    const agencyView = await getBidComparison(db(), services().search, w.agencyOver.actor, needId)
    expect(agencyView.viewer).toBe('agency')
    expect(agencyView.bids.every((b) => b.actions.length === 0)).toBe(true)

    // Over HTTP: the owner 200; a bidder, an outsider, an agency elsewhere 404.
    const path = `/enterprise/needs/${needId}/compare`
    const ok = await call(comparePage, { path, params: { id: String(needId) }, cookie: w.owner.cookie })
    expect(ok.status).toBe(200)
    for (const p of [w.fit[0]!, w.outsider, w.agencyElsewhere]) {
      const refused = await call(comparePage, { path, params: { id: String(needId) }, cookie: p.cookie })
      expect(refused.status).toBe(404)
    }
  })
})

describe('shortlist and reject', () => {
  it('a member shortlists: the bid is shortlisted, the published need moves to shortlisting, audited', async () => {
    const { needId, bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    const out = await call(comparePage, {
      method: 'POST',
      path: `/enterprise/needs/${needId}/compare`,
      params: { id: String(needId) },
      cookie: w.member.cookie,
      form: { intent: 'shortlist', bidId: String(bids[0]), status: 'awarded', price_wan_x100: '1' },
    })
    expect(out.status).toBe(302)
    const bid = await db().selectFrom('bids').selectAll().where('id', '=', bids[0]!).executeTakeFirstOrThrow()
    expect(bid).toMatchObject({ status: 'shortlisted', price_wan_x100: 10_000 })
    const need = await db().selectFrom('needs').select('status').where('id', '=', needId).executeTakeFirstOrThrow()
    expect(need.status).toBe('shortlisting')
    // The second shortlisting leaves the need as it is; bidding is closed meanwhile.
    await shortlistBid(db(), w.member.actor, bids[1]!)
    expect((await refusal(submitBid(db(), store(), w.fit[2]!.actor, needId, input()))).key).toBe('bids.e.needClosed')
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_org_id', 'region_code'])
      .where('object_type', '=', 'bid')
      .where('object_id', '=', String(bids[0]))
      .where('action', '=', 'bid.shortlisted')
      .execute()
    expect(audit).toEqual([{ action: 'bid.shortlisted', actor_org_id: w.enterprise, region_code: '321023' }])
    const needAudit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'need')
      .where('object_id', '=', String(needId))
      .where('action', '=', 'need.shortlisted')
      .execute()
    expect(needAudit).toHaveLength(1)
    // Shortlisted twice: the table refuses.
    expect((await refusal(shortlistBid(db(), w.member.actor, bids[0]!))).key).toBe('bids.e.transition')
  })

  it('rejects with a reason (shown to the bidder); no reason is a 400 on that bid’s field; extra fields change nothing', async () => {
    const { needId, bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    const path = `/enterprise/needs/${needId}/compare`
    const empty = await call(comparePage, {
      method: 'POST',
      path,
      params: { id: String(needId) },
      cookie: w.member.cookie,
      form: { intent: 'reject', bidId: String(bids[1]), reason: ' ' },
    })
    expect(empty.status).toBe(400)
    expect(JSON.parse(empty.body).fieldErrors).toEqual({ [`reason-${bids[1]}`]: 'bids.v.rejectReason' })
    const done = await call(comparePage, {
      method: 'POST',
      path,
      params: { id: String(needId) },
      cookie: w.member.cookie,
      form: {
        intent: 'reject',
        bidId: String(bids[1]),
        reason: '工期过长',
        status: 'awarded',
        providerId: String(w.fit[3]!.orgId),
        provider_org_id: String(w.fit[3]!.orgId),
        need_id: '1',
        amount: '1',
      },
    })
    expect(done.status).toBe(302)
    const row = await db().selectFrom('bids').selectAll().where('id', '=', bids[1]!).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'rejected',
      status_reason: '工期过长',
      provider_org_id: w.fit[1]!.orgId,
      need_id: needId,
    })
    const seen = await getBidForViewer(db(), w.fit[1]!.actor, bids[1]!)
    expect([seen.status, seen.statusReason]).toEqual(['rejected', '工期过长'])
    // A bid of another need through this page's address: 404.
    const other = await needWithBids([w.fit[2]!])
    const wrongNeed = await call(comparePage, {
      method: 'POST',
      path,
      params: { id: String(needId) },
      cookie: w.owner.cookie,
      form: { intent: 'shortlist', bidId: String(other.bids[0]) },
    })
    expect(wrongNeed.status).toBe(404)
  })

  it('only the need’s enterprise decides: agencies 403, bidders and outsiders 404', async () => {
    const { needId, bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    expect((await refusal(shortlistBid(db(), w.agencyOver.actor, bids[0]!))).code).toBe('FORBIDDEN')
    expect((await refusal(rejectBid(db(), w.agencyOver.actor, bids[0]!, '不合适'))).code).toBe('FORBIDDEN')
    for (const p of [w.fit[0]!, w.fit[1]!, w.outsider, w.agencyElsewhere]) {
      expect((await refusal(shortlistBid(db(), p.actor, bids[0]!))).code).toBe('NOT_FOUND')
      expect((await refusal(awardBid(db(), p.actor, bids[1]!))).code).toBe('NOT_FOUND')
    }
    // A member may not award: 403, nothing changed.
    const byMember = await call(comparePage, {
      method: 'POST',
      path: `/enterprise/needs/${needId}/compare`,
      params: { id: String(needId) },
      cookie: w.member.cookie,
      form: { intent: 'award', bidId: String(bids[0]) },
    })
    expect(byMember.status).toBe(403)
    const statuses = await db().selectFrom('bids').select('status').where('need_id', '=', needId).execute()
    expect(statuses.map((s) => s.status)).toEqual(['submitted', 'submitted'])
  })
})

describe('award', () => {
  it('50 parallel awards on one need leave exactly one awarded bid, one contract, the need awarded; the rest CONFLICT', async () => {
    const { needId, bids } = await needWithBids(w.fit)
    // One bidder withdrew: it is not told of the award.
    await withdrawBid(db(), w.fit[4]!.actor, bids[4]!, '资源调整')
    const live = bids.slice(0, 4)
    const owners = [w.owner, w.secondOwner]
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => awardBid(db(), owners[i % 2]!.actor, live[i % live.length]!)),
    )
    const won = results.filter(
      (r): r is PromiseFulfilledResult<{ contractId: number; needId: number }> => r.status === 'fulfilled',
    )
    expect(won).toHaveLength(1)
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(AppError)
        expect((r.reason as AppError).code).toBe('CONFLICT')
      }
    }
    const rows = await db()
      .selectFrom('bids')
      .select(['id', 'status', 'status_reason', 'provider_org_id'])
      .where('need_id', '=', needId)
      .orderBy('id')
      .execute()
    const awarded = rows.filter((r) => r.status === 'awarded')
    expect(awarded).toHaveLength(1)
    const winner = awarded[0]!
    expect(rows.filter((r) => r.status === 'rejected').map((r) => r.status_reason)).toEqual([
      'not_awarded',
      'not_awarded',
      'not_awarded',
    ])
    expect(rows.find((r) => r.id === bids[4])!.status).toBe('withdrawn')
    const contracts = await db().selectFrom('contracts').selectAll().where('need_id', '=', needId).execute()
    expect(contracts).toHaveLength(1)
    expect(contracts[0]!).toMatchObject({
      bid_id: winner.id,
      id: won[0]!.value.contractId,
      status: 'draft',
      enterprise_org_id: w.enterprise,
    })
    const need = await db().selectFrom('needs').select('status').where('id', '=', needId).executeTakeFirstOrThrow()
    expect(need.status).toBe('awarded')
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'bid')
      .where('action', 'in', ['bid.awarded', 'bid.rejected'])
      .where('object_id', 'in', bids.map(String))
      .execute()
    expect(audits.filter((a) => a.action === 'bid.awarded')).toHaveLength(1)
    expect(audits.filter((a) => a.action === 'bid.rejected')).toHaveLength(3)
    const needAwarded = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('object_type', '=', 'need')
      .where('object_id', '=', String(needId))
      .where('action', '=', 'need.awarded')
      .execute()
    expect(needAwarded).toHaveLength(1)

    // The winner is told award_won (linking the contract); every other bidder that did not withdraw award_lost.
    const winnerOrg = winner.provider_org_id
    expect(await noticesOf('award_won', winnerOrg)).toEqual([expect.objectContaining({ link: `/contracts/${contracts[0]!.id}` })])
    for (const p of w.fit.slice(0, 4)) {
      const lost = await noticesOf('award_lost', p.orgId)
      const mine = rows.find((r) => r.provider_org_id === p.orgId)!
      if (p.orgId === winnerOrg) expect(lost).toEqual([])
      else expect(lost.filter((n) => n.link === `/bids/${mine.id}`)).toHaveLength(1)
    }
    expect((await noticesOf('award_lost', w.fit[4]!.orgId)).filter((n) => n.link === `/bids/${bids[4]}`)).toEqual([])

    // Both parties see the contract link on the bid; the loser sees 未中标 with the reason key; a rival still 404.
    expect((await getBidForViewer(db(), w.owner.actor, winner.id)).contractId).toBe(contracts[0]!.id)
    const winnerPerson = w.fit.find((p) => p.orgId === winnerOrg)!
    expect((await getBidForViewer(db(), winnerPerson.actor, winner.id)).contractId).toBe(contracts[0]!.id)
    const loser = rows.find((r) => r.status === 'rejected')!
    const loserPerson = w.fit.find((p) => p.orgId === loser.provider_org_id)!
    const seen = await getBidForViewer(db(), loserPerson.actor, loser.id)
    expect([seen.status, seen.statusReason, seen.contractId]).toEqual(['rejected', 'not_awarded', null])
    expect((await refusal(getBidForViewer(db(), loserPerson.actor, winner.id))).code).toBe('NOT_FOUND')
    // The comparison now names the contract and offers nothing more.
    const after = await getBidComparison(db(), services().search, w.owner.actor, needId)
    expect(after.contractId).toBe(contracts[0]!.id)
    expect(after.mayDecide).toBe(false)
    expect(after.bids.map((b) => b.id)).toEqual([winner.id])
  })

  it('the winning bid’s template version is marked in use; the contract takes its terms', async () => {
    const { needId, bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    const { contractId } = await awardBid(db(), w.owner.actor, bids[0]!)
    const version = await db()
      .selectFrom('contract_template_versions')
      .select('in_use')
      .where('id', '=', w.versionOfFit0)
      .executeTakeFirstOrThrow()
    expect(version.in_use).toBe(1)
    const contract = await db().selectFrom('contracts').selectAll().where('id', '=', contractId).executeTakeFirstOrThrow()
    expect(contract).toMatchObject({
      need_id: needId,
      amount_wan_x100: 10_000,
      warranty_months: 18,
      template_version_id: w.versionOfFit0,
    })
    const milestones = await db()
      .selectFrom('contract_milestones')
      .select('percent')
      .where('contract_id', '=', contractId)
      .orderBy('seq')
      .execute()
    expect(milestones.map((m) => m.percent)).toEqual([30, 40, 30])
  })

  it('over HTTP: parallel awards give one 302 to the contract and 409s, never a 500; extra fields change nothing', async () => {
    const { needId, bids } = await needWithBids([w.fit[1]!, w.fit[2]!, w.fit[3]!])
    const path = `/enterprise/needs/${needId}/compare`
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(comparePage, {
          method: 'POST',
          path,
          params: { id: String(needId) },
          cookie: (i % 2 ? w.owner : w.secondOwner).cookie,
          form: {
            intent: 'award',
            bidId: String(bids[i % 3]),
            // Mass assignment: none of these may change anything.
            price: '1',
            amount: '1',
            amount_wan_x100: '1',
            status: 'completed',
            providerId: String(w.outsider.orgId),
            provider_org_id: String(w.outsider.orgId),
            needId: '1',
          },
        }),
      ),
    )
    const statuses = outcomes.map((o) => o.status).sort()
    expect(statuses).toEqual([302, 409, 409, 409, 409, 409])
    const contract = await db().selectFrom('contracts').selectAll().where('need_id', '=', needId).executeTakeFirstOrThrow()
    expect(outcomes.find((o) => o.status === 302)!.location).toBe(`/contracts/${contract.id}`)
    const bid = await db().selectFrom('bids').selectAll().where('id', '=', contract.bid_id).executeTakeFirstOrThrow()
    expect(contract.amount_wan_x100).toBe(bid.price_wan_x100)
    expect(contract.provider_org_id).toBe(bid.provider_org_id)
    expect(contract.status).toBe('draft')
    for (const o of outcomes.filter((x) => x.status === 409)) expect(o.body).toMatch(/bids\.e\.(awardConflict|transition)/)
  })

  it('a withdrawn or expired need is not awarded (INVALID_STATE); its comparison offers nothing', async () => {
    const { needId, bids } = await needWithBids([w.fit[3]!])
    await db().updateTable('needs').set({ status: 'expired' }).where('id', '=', needId).execute()
    const refused = await refusal(awardBid(db(), w.owner.actor, bids[0]!))
    expect([refused.code, refused.key]).toEqual(['INVALID_STATE', 'bids.e.needDecided'])
    expect((await refusal(shortlistBid(db(), w.owner.actor, bids[0]!))).key).toBe('bids.e.needDecided')
    const page = await getBidComparison(db(), services().search, w.owner.actor, needId)
    expect([page.mayDecide, page.bids[0]!.actions]).toEqual([false, []])
    expect(await db().selectFrom('contracts').select('id').where('need_id', '=', needId).execute()).toEqual([])
  })

  it('without scripts the award asks first: nothing changes until confirmed', async () => {
    const { needId, bids } = await needWithBids([w.fit[2]!])
    const asked = await call(comparePage, {
      method: 'POST',
      path: `/enterprise/needs/${needId}/compare`,
      params: { id: String(needId) },
      cookie: w.owner.cookie,
      form: { intent: 'award', bidId: String(bids[0]), _confirm: 'ask' },
    })
    expect(asked.status).toBe(200)
    expect(JSON.parse(asked.body)).toEqual({ confirm: { fields: { intent: 'award', bidId: String(bids[0]) } } })
    const row = await db().selectFrom('bids').select('status').where('id', '=', bids[0]!).executeTakeFirstOrThrow()
    expect(row.status).toBe('submitted')
  })
})

describe('the question thread', () => {
  it('the owner asks, the bidder answers, each side told; audited; rivals 404, agencies neither read nor write it', async () => {
    const { bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    const bidId = bids[0]!
    const path = `/bids/${bidId}`
    const asked = await call(bidPage, {
      method: 'POST',
      path,
      params: { id: String(bidId) },
      cookie: w.member.cookie,
      form: { intent: 'message', body: '请说明质保期内的响应时间。', side: 'bidder', org_id: String(w.fit[1]!.orgId) },
    })
    expect(asked.status).toBe(302)
    expect(asked.location).toBe(`/bids/${bidId}#thread`)
    const question = await noticesOf('bid_question', w.fit[0]!.orgId)
    expect(question.filter((n) => n.link === `/bids/${bidId}#thread`)).toHaveLength(1)
    await postBidMessage(db(), w.fit[0]!.actor, bidId, '工作日 4 小时内到场。')
    const answer = await noticesOf('bid_answer', w.enterprise)
    expect(answer.filter((n) => n.link === `/bids/${bidId}#thread`).length).toBe(3) // the enterprise's three members
    const stored = await db().selectFrom('bid_messages').selectAll().where('bid_id', '=', bidId).orderBy('id').execute()
    expect(stored.map((m) => [m.side, m.org_id, m.author_id])).toEqual([
      ['owner', w.enterprise, w.member.userId],
      ['bidder', w.fit[0]!.orgId, w.fit[0]!.userId],
    ])
    const thread = await getBidThread(db(), w.owner.actor, bidId)
    expect(thread!.messages.map((m) => [m.side, m.ours])).toEqual([
      ['owner', true],
      ['bidder', false],
    ])
    expect(thread!.left).toBe(48)
    const bidderView = await getBidThread(db(), w.fit[0]!.actor, bidId)
    expect(bidderView!.messages.map((m) => m.ours)).toEqual([false, true])
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'bid.message_posted')
      .where('object_id', '=', String(bidId))
      .execute()
    expect(audit).toHaveLength(2)

    // A rival bidder on the same need: the bid and its thread do not exist for it.
    expect((await refusal(getBidThread(db(), w.fit[1]!.actor, bidId))).code).toBe('NOT_FOUND')
    const rivalRead = await call(bidPage, { path, params: { id: String(bidId) }, cookie: w.fit[1]!.cookie })
    expect(rivalRead.status).toBe(404)
    const rivalPost = await call(bidPage, {
      method: 'POST',
      path,
      params: { id: String(bidId) },
      cookie: w.fit[1]!.cookie,
      form: { intent: 'message', body: '我也想问' },
    })
    expect(rivalPost.status).toBe(404)
    // Agencies over the region read the bid, not its thread; they cannot write.
    expect(await getBidThread(db(), w.agencyOver.actor, bidId)).toBeNull()
    expect((await refusal(postBidMessage(db(), w.agencyOver.actor, bidId, '监管提问'))).code).toBe('FORBIDDEN')
    expect(await db().selectFrom('bid_messages').select('id').where('bid_id', '=', bidId).execute()).toHaveLength(2)
  })

  it('1–2000 characters; 50 a bid; closed once the bid is rejected or withdrawn', async () => {
    const { bids } = await needWithBids([w.fit[0]!, w.fit[1]!])
    const path = `/bids/${bids[0]}`
    const empty = await call(bidPage, {
      method: 'POST',
      path,
      params: { id: String(bids[0]) },
      cookie: w.owner.cookie,
      form: { intent: 'message', body: '  ' },
    })
    expect(empty.status).toBe(400)
    expect(JSON.parse(empty.body).fieldErrors).toEqual({ body: 'bids.v.message' })
    const long = await call(bidPage, {
      method: 'POST',
      path,
      params: { id: String(bids[0]) },
      cookie: w.owner.cookie,
      form: { intent: 'message', body: 'x'.repeat(2001) },
    })
    expect(long.status).toBe(400)
    const now = new Date().toISOString()
    await db()
      .insertInto('bid_messages')
      .values(
        Array.from({ length: 49 }, (_, i) => ({
          bid_id: bids[0]!,
          side: i % 2 ? ('bidder' as const) : ('owner' as const),
          org_id: i % 2 ? w.fit[0]!.orgId : w.enterprise,
          author_id: i % 2 ? w.fit[0]!.userId : w.owner.userId,
          body: `第 ${i + 1} 条`,
          created_at: now,
        })),
      )
      .execute()
    await postBidMessage(db(), w.owner.actor, bids[0]!, '第五十条')
    const full = await refusal(postBidMessage(db(), w.fit[0]!.actor, bids[0]!, '第五十一条'))
    expect([full.code, full.key, full.fieldErrors]).toEqual(['INVALID_STATE', 'bids.e.threadFull', { body: 'bids.e.threadFull' }])
    const thread = await getBidThread(db(), w.owner.actor, bids[0]!)
    expect([thread!.messages.length, thread!.mayPost, thread!.closedReason]).toEqual([50, false, 'full'])

    await rejectBid(db(), w.owner.actor, bids[1]!, '方案不完整')
    const closed = await refusal(postBidMessage(db(), w.owner.actor, bids[1]!, '还在吗'))
    expect([closed.code, closed.key]).toEqual(['INVALID_STATE', 'bids.e.threadClosed'])
    expect((await getBidThread(db(), w.fit[1]!.actor, bids[1]!))!.closedReason).toBe('decided')
  })
})
