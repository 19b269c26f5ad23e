import { beforeAll, describe, expect, it } from 'vitest'
import {
  bidLinkFor,
  countBidsForNeed,
  getBidForViewer,
  listBidsForNeed,
  listMyBids,
  reviseBid,
  submitBid,
  withdrawBid,
} from '../../app/domain/bids/bids.server.js'
import { ZBidInput, type BidInput } from '../../app/domain/bids/schema.js'
import { mayReadFilesOf } from '../../app/domain/files/files.server.js'
import * as bidForm from '../../app/routes/needs.$id_.bid.js'
import * as bidPage from '../../app/routes/bids.$id.js'
import * as mine from '../../app/routes/provider.bids.js'
import * as received from '../../app/routes/enterprise.needs.$id.bids.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * Bids (方案, issue 14 §1): who may bid, one live bid per need and provider (a race
 * included: one bid and a 409, never a 500), revise and withdraw rules and the
 * deadline, mass assignment, a rival cannot read a bid by id, the owner sees all,
 * agencies over the need's region read; every write audited and announced by e-mail.
 */

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

const w = {} as {
  enterprise: number
  owner: Person
  ownerMember: Person
  needId: number
  otherNeed: number
  pastNeed: number
  draftNeed: number
  restrictedNeed: number
  providerA: Person
  providerAOther: Person
  providerB: Person
  consultancy: Person
  pendingProvider: Person
  otherEnterprise: Person
  agencyOver: Person
  agencyElsewhere: Person
  ownTemplateVersion: number
  officialVersion: number
  rivalTemplateVersion: number
  lead: Person
  consortiumId: number
}

function input(
  overrides: Partial<Record<'price' | 'durationDays' | 'plan' | 'templateVersionId' | 'consortiumId', string>> = {},
): BidInput {
  return ZBidInput.parse({
    price: '128.50',
    durationDays: '120',
    plan: '设备联网、数据采集平台与 MES 对接，分三期实施。',
    ...overrides,
  })
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function template(orgId: number, official: 0 | 1, title: string): Promise<number> {
  const now = new Date().toISOString()
  const t = await db()
    .insertInto('contract_templates')
    .values({ org_id: orgId, is_official: official, title, industry_code: 'C34', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const v = await db()
    .insertInto('contract_template_versions')
    .values({
      template_id: t.id,
      version: 1,
      construction_days: 180,
      technical_standards: '[]',
      acceptance_standards: '逐项验收',
      warranty_months: 12,
      price_model: 'quote',
      price_min_wan: null,
      price_max_wan: null,
      milestones: JSON.stringify([
        { name: '预付款', percent: 30, criteria: '签订' },
        { name: '验收款', percent: 70, criteria: '验收' },
      ]),
      dispute_clause: '仲裁',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return v.id
}

const store = () => services().storage

beforeAll(async () => {
  w.enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
  w.owner = await personOf(w.enterprise, 'owner', `bid-owner-${w.enterprise}@example.com`)
  w.ownerMember = await personOf(w.enterprise, 'member')
  w.needId = await insertNeed(db(), w.enterprise, { title: '投标测试：冲压车间设备联网' })
  w.otherNeed = await insertNeed(db(), w.enterprise, { title: '投标测试：仓储数字化' })
  w.pastNeed = await insertNeed(db(), w.enterprise, { title: '投标测试：已过截止' })
  await db().updateTable('needs').set({ deadline: '2020-01-01' }).where('id', '=', w.pastNeed).execute()
  await db().updateTable('needs').set({ deadline: '2099-12-31' }).where('id', '=', w.needId).execute()
  w.draftNeed = await insertNeed(db(), w.enterprise, { status: 'draft' })
  w.restrictedNeed = await insertNeed(db(), w.enterprise, { visibility: 'verified_providers' })
  w.providerA = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003', name: '投标测试集成商甲' }))
  w.providerAOther = await personOf(w.providerA.orgId, 'member')
  w.providerB = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003', name: '投标测试集成商乙' }))
  const consultancy = await insertOrg(db(), { kind: 'provider', region: '321003' })
  await db().updateTable('organisations').set({ provider_kinds: '["consultancy"]' }).where('id', '=', consultancy).execute()
  w.consultancy = await personOf(consultancy)
  w.pendingProvider = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003', status: 'pending' }))
  w.otherEnterprise = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321023' }))
  w.agencyOver = await agency('321000', 'viewer')
  w.agencyElsewhere = await agency('620000')
  w.ownTemplateVersion = await template(w.providerA.orgId, 0, '甲的自有范本')
  w.officialVersion = await template(w.agencyOver.orgId, 1, '官方示范文本')
  w.rivalTemplateVersion = await template(w.providerB.orgId, 0, '乙的自有范本')
  // A ready consortium led by a consultancy (not a delivering kind: it may bid as the lead).
  w.lead = w.consultancy
  const now = new Date().toISOString()
  const c = await db()
    .insertInto('consortia')
    .values({ lead_org_id: w.lead.orgId, name: '投标测试联合体', status: 'ready', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  w.consortiumId = c.id
  await db()
    .insertInto('consortium_members')
    .values([
      { consortium_id: c.id, org_id: w.lead.orgId, role: 'lead', scope: '总体设计', share_percent: 40, status: 'confirmed' },
      {
        consortium_id: c.id,
        org_id: w.providerB.orgId,
        role: 'member',
        scope: '设备联网',
        share_percent: 60,
        status: 'confirmed',
      },
    ])
    .execute()
})

describe('who may bid', () => {
  it('a verified provider of a delivering kind submits: row, audit under the need’s region, e-mail to the owner', async () => {
    const outcome = await call(bidForm, {
      method: 'POST',
      path: `/needs/${w.needId}/bid`,
      params: { id: String(w.needId) },
      cookie: w.providerA.cookie,
      form: {
        intent: 'save',
        price: '128.50',
        durationDays: '120',
        plan: '分三期实施。',
        templateVersionId: String(w.ownTemplateVersion),
        // Mass assignment: none of these may change anything.
        status: 'awarded',
        amount: '1',
        providerId: String(w.providerB.orgId),
        provider_org_id: String(w.providerB.orgId),
        need_id: String(w.otherNeed),
        needId: String(w.otherNeed),
        revision: '99',
        created_by: '1',
      },
      files: { attachments: { name: '技术方案.pdf', bytes: PDF, type: 'application/pdf' } },
    })
    expect(outcome.status).toBe(302)
    const bid = await db().selectFrom('bids').selectAll().where('need_id', '=', w.needId).executeTakeFirstOrThrow()
    expect(outcome.location).toBe(`/bids/${bid.id}`)
    expect(bid).toMatchObject({
      provider_org_id: w.providerA.orgId,
      consortium_id: null,
      price_wan_x100: 12850,
      duration_days: 120,
      status: 'submitted',
      revision: 1,
      created_by: w.providerA.userId,
      template_version_id: w.ownTemplateVersion,
    })
    expect(await db().selectFrom('bids').select('id').where('need_id', '=', w.otherNeed).execute()).toEqual([])
    const files = await db()
      .selectFrom('files')
      .selectAll()
      .where('object_type', '=', 'bid')
      .where('object_id', '=', bid.id)
      .execute()
    expect(files.map((f) => [f.purpose, f.org_id])).toEqual([['bid_attachment', w.providerA.orgId]])
    // Referenced, not yet marked in use (the award does that).
    const version = await db()
      .selectFrom('contract_template_versions')
      .select('in_use')
      .where('id', '=', w.ownTemplateVersion)
      .executeTakeFirstOrThrow()
    expect(version.in_use).toBe(0)
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'bid.submitted')
      .where('object_id', '=', String(bid.id))
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.region_code).toBe('321023')
    expect(audit[0]!.actor_org_id).toBe(w.providerA.orgId)
    const mail = await db()
      .selectFrom('message_outbox')
      .select(['channel', 'body'])
      .where('destination', '=', `bid-owner-${w.enterprise}@example.com`)
      .execute()
    expect(mail).toHaveLength(1)
    expect(mail[0]!.body).toContain(`/enterprise/needs/${w.needId}/bids`)
    // In-app: every member of the need's enterprise (notify, kind bid_new).
    const notices = await db()
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'link'])
      .where('org_id', '=', w.enterprise)
      .where('kind', '=', 'bid_new')
      .orderBy('user_id')
      .execute()
    expect(notices.map((n) => n.user_id)).toEqual([w.owner.userId, w.ownerMember.userId])
    expect(notices[0]!.link).toBe(`/enterprise/needs/${w.needId}/bids`)
  })

  it('refuses the wrong kinds of bidders and needs', async () => {
    expect((await refusal(submitBid(db(), store(), w.consultancy.actor, w.otherNeed, input()))).key).toBe('bids.e.kind')
    expect((await refusal(submitBid(db(), store(), w.pendingProvider.actor, w.otherNeed, input()))).code).toBe('FORBIDDEN')
    expect((await refusal(submitBid(db(), store(), w.otherEnterprise.actor, w.otherNeed, input()))).code).toBe('FORBIDDEN')
    expect((await refusal(submitBid(db(), store(), w.agencyOver.actor, w.otherNeed, input()))).code).toBe('FORBIDDEN')
    expect((await refusal(submitBid(db(), store(), w.providerB.actor, w.draftNeed, input()))).code).toBe('NOT_FOUND')
    expect((await refusal(submitBid(db(), store(), w.providerB.actor, 99_999_999, input()))).code).toBe('NOT_FOUND')
    const past = await refusal(submitBid(db(), store(), w.providerB.actor, w.pastNeed, input()))
    expect([past.code, past.key]).toEqual(['INVALID_STATE', 'bids.e.deadlinePassed'])
    // Visible to verified providers only: a verified provider may bid on it.
    await submitBid(db(), store(), w.providerB.actor, w.restrictedNeed, input())
    // A template that is neither its own nor official.
    const rival = await refusal(
      submitBid(db(), store(), w.providerA.actor, w.otherNeed, input({ templateVersionId: String(w.rivalTemplateVersion) })),
    )
    expect(rival.fieldErrors).toEqual({ templateVersionId: 'bids.v.template' })
    // An official template is fine.
    await submitBid(db(), store(), w.providerA.actor, w.otherNeed, input({ templateVersionId: String(w.officialVersion) }))
  })

  it('a consortium lead bids as its consortium (any kind); the split is frozen with the bid', async () => {
    const notLead = await refusal(
      submitBid(db(), store(), w.providerB.actor, w.otherNeed, input({ consortiumId: String(w.consortiumId) })),
    )
    expect(notLead.key).toBe('consortium.e.notLead')
    const { bidId } = await submitBid(db(), store(), w.lead.actor, w.otherNeed, input({ consortiumId: String(w.consortiumId) }))
    await db().updateTable('consortium_members').set({ share_percent: 50 }).where('consortium_id', '=', w.consortiumId).execute()
    const bid = await getBidForViewer(db(), w.lead.actor, bidId)
    expect(bid.consortiumName).toBe('投标测试联合体')
    expect(bid.shares.map((s) => [s.orgId, s.role, s.sharePercent])).toEqual([
      [w.lead.orgId, 'lead', 40],
      [w.providerB.orgId, 'member', 60],
    ])
  })
})

describe('one live bid', () => {
  it('a second submission is a 409 with the message, never a 500', async () => {
    const again = await call(bidForm, {
      method: 'POST',
      path: `/needs/${w.needId}/bid`,
      params: { id: String(w.needId) },
      cookie: w.providerAOther.cookie,
      form: { intent: 'save', price: '100', durationDays: '90', plan: '再来一份' },
    })
    expect(again.status).toBe(409)
    expect(again.body).toContain('bids.e.alreadyBid')
  })

  it('a race of two submissions leaves one bid and a 409', async () => {
    const need = await insertNeed(db(), w.enterprise, { title: '投标测试：并发' })
    const request = (cookie: string) =>
      call(bidForm, {
        method: 'POST',
        path: `/needs/${need}/bid`,
        params: { id: String(need) },
        cookie,
        form: { intent: 'save', price: '99.9', durationDays: '60', plan: '并发提交' },
      })
    const outcomes = await Promise.all([request(w.providerB.cookie), request(w.providerB.cookie), request(w.providerB.cookie)])
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409, 409])
    const rows = await db().selectFrom('bids').select('id').where('need_id', '=', need).execute()
    expect(rows).toHaveLength(1)
    // The use case directly, in parallel: one wins, the others are CONFLICT.
    const need2 = await insertNeed(db(), w.enterprise)
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => submitBid(db(), store(), w.providerB.actor, need2, input())),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('CONFLICT')
  })

  it('after withdrawing, the provider may bid again', async () => {
    const need = await insertNeed(db(), w.enterprise)
    const first = await submitBid(db(), store(), w.providerB.actor, need, input())
    await withdrawBid(db(), w.providerB.actor, first.bidId, '报价有误')
    const second = await submitBid(db(), store(), w.providerB.actor, need, input({ price: '120' }))
    expect(second.bidId).not.toBe(first.bidId)
  })
})

describe('revise and withdraw', () => {
  it('revises on the revision read; a stale revision is 409; extra fields change nothing', async () => {
    const need = await insertNeed(db(), w.enterprise)
    const { bidId } = await submitBid(db(), store(), w.providerA.actor, need, input())
    const outcome = await call(bidForm, {
      method: 'POST',
      path: `/needs/${need}/bid`,
      params: { id: String(need) },
      cookie: w.providerA.cookie,
      form: {
        intent: 'save',
        bidId: String(bidId),
        revision: '1',
        price: '150',
        durationDays: '100',
        plan: '修改后的方案',
        status: 'awarded',
        provider_org_id: String(w.providerB.orgId),
      },
      files: { attachments: { name: '报价单.pdf', bytes: PDF, type: 'application/pdf' } },
    })
    expect(outcome.status).toBe(302)
    const row = await db().selectFrom('bids').selectAll().where('id', '=', bidId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      price_wan_x100: 15000,
      duration_days: 100,
      plan: '修改后的方案',
      revision: 2,
      status: 'submitted',
      provider_org_id: w.providerA.orgId,
    })
    const stale = await refusal(reviseBid(db(), store(), w.providerA.actor, bidId, 1, input()))
    expect([stale.code, stale.key]).toEqual(['CONFLICT', 'bids.e.stale'])
    const audit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'bid.revised')
      .where('object_id', '=', String(bidId))
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ price: '128.5 → 150', filesAdded: 1 })
  })

  it('no revising after the deadline or once the need is no longer published; withdrawing still works', async () => {
    const need = await insertNeed(db(), w.enterprise)
    const { bidId } = await submitBid(db(), store(), w.providerA.actor, need, input())
    await db().updateTable('needs').set({ deadline: '2020-01-01' }).where('id', '=', need).execute()
    expect((await refusal(reviseBid(db(), store(), w.providerA.actor, bidId, 1, input()))).key).toBe('bids.e.deadlinePassed')
    expect((await getBidForViewer(db(), w.providerA.actor, bidId)).actions).toEqual(['withdraw'])
    await db().updateTable('needs').set({ deadline: null, status: 'shortlisting' }).where('id', '=', need).execute()
    expect((await refusal(reviseBid(db(), store(), w.providerA.actor, bidId, 1, input()))).key).toBe('bids.e.needClosed')
    const empty = await call(bidPage, {
      method: 'POST',
      path: `/bids/${bidId}`,
      params: { id: String(bidId) },
      cookie: w.providerA.cookie,
      form: { reason: ' ' },
    })
    expect(empty.status).toBe(400)
    expect(empty.body).toContain('bids.v.reason')
    const done = await call(bidPage, {
      method: 'POST',
      path: `/bids/${bidId}`,
      params: { id: String(bidId) },
      cookie: w.providerA.cookie,
      form: { reason: '资源调整', status: 'awarded' },
    })
    expect(done.status).toBe(302)
    const row = await db().selectFrom('bids').selectAll().where('id', '=', bidId).executeTakeFirstOrThrow()
    expect(row.status).toBe('withdrawn')
    expect(row.status_reason).toBe('资源调整')
    expect(row.withdrawn_at).not.toBeNull()
    const audit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'bid.withdrawn')
      .where('object_id', '=', String(bidId))
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail)).toMatchObject({ reason: '资源调整', from: 'submitted' })
    const withdrawnNotices = await db()
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'bid_withdrawn')
      .where('link', '=', `/enterprise/needs/${need}/bids`)
      .execute()
    expect(withdrawnNotices).toHaveLength(2)
    const twice = await refusal(withdrawBid(db(), w.providerA.actor, bidId, '再撤一次'))
    expect([twice.code, twice.key]).toEqual(['CONFLICT', 'bids.e.transition'])
    // Final statuses: an awarded bid is neither revised nor withdrawn.
    const need2 = await insertNeed(db(), w.enterprise)
    const b2 = await submitBid(db(), store(), w.providerA.actor, need2, input())
    await db().updateTable('bids').set({ status: 'awarded' }).where('id', '=', b2.bidId).execute()
    expect((await refusal(withdrawBid(db(), w.providerA.actor, b2.bidId, '不做了'))).key).toBe('bids.e.transition')
  })

  it('only the bidder’s members revise or withdraw: others get 404', async () => {
    const bid = await db().selectFrom('bids').select('id').where('need_id', '=', w.needId).executeTakeFirstOrThrow()
    for (const p of [w.providerB, w.owner, w.agencyOver]) {
      expect((await refusal(withdrawBid(db(), p.actor, bid.id, '冒名'))).code).toBe('NOT_FOUND')
      expect((await refusal(reviseBid(db(), store(), p.actor, bid.id, 1, input()))).code).toBe('NOT_FOUND')
    }
  })
})

describe('reading', () => {
  it('a rival bidder cannot read a bid by id (404), nor its files; bidder, owner and agency over the region can', async () => {
    const bid = await db().selectFrom('bids').select('id').where('need_id', '=', w.needId).executeTakeFirstOrThrow()
    const rival = await call(bidPage, { path: `/bids/${bid.id}`, params: { id: String(bid.id) }, cookie: w.providerB.cookie })
    expect(rival.status).toBe(404)
    expect(rival.body).not.toContain('分三期实施')
    for (const p of [w.providerB, w.otherEnterprise, w.agencyElsewhere]) {
      expect((await refusal(getBidForViewer(db(), p.actor, bid.id))).code).toBe('NOT_FOUND')
      expect(await mayReadFilesOf(db(), p.actor, 'bid', bid.id)).toBe(false)
    }
    expect((await getBidForViewer(db(), w.providerAOther.actor, bid.id)).viewerSide).toBe('bidder')
    expect((await getBidForViewer(db(), w.ownerMember.actor, bid.id)).viewerSide).toBe('owner')
    const agencyView = await getBidForViewer(db(), w.agencyOver.actor, bid.id)
    expect(agencyView.viewerSide).toBe('agency')
    expect(agencyView.actions).toEqual([])
    expect(await mayReadFilesOf(db(), w.ownerMember.actor, 'bid', bid.id)).toBe(true)
    const page = await call(bidPage, { path: `/bids/${bid.id}`, params: { id: String(bid.id) }, cookie: w.owner.cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('分三期实施')
  })

  it('the owner sees every bid on its need with provider, price, template; others are told nothing', async () => {
    const list = await listBidsForNeed(db(), w.ownerMember.actor, w.otherNeed)
    expect(list.items.map((i) => i.providerName).sort()).toHaveLength(2)
    expect(list.items.some((i) => i.templateTitle === '官方示范文本 v1')).toBe(true)
    expect(list.items.some((i) => i.consortiumName === '投标测试联合体')).toBe(true)
    expect(await countBidsForNeed(db(), w.owner.actor, w.otherNeed)).toBe(2)
    expect(await countBidsForNeed(db(), w.providerA.actor, w.otherNeed)).toBeNull()
    expect((await listBidsForNeed(db(), w.agencyOver.actor, w.otherNeed)).total).toBe(2)
    for (const p of [w.providerA, w.otherEnterprise, w.agencyElsewhere]) {
      expect((await refusal(listBidsForNeed(db(), p.actor, w.otherNeed))).code).toBe('NOT_FOUND')
    }
    const page = await call(received, {
      path: `/enterprise/needs/${w.otherNeed}/bids`,
      params: { id: String(w.otherNeed) },
      cookie: w.owner.cookie,
    })
    expect(page.status).toBe(200)
    const refused = await call(received, {
      path: `/enterprise/needs/${w.otherNeed}/bids`,
      params: { id: String(w.otherNeed) },
      cookie: w.providerA.cookie,
    })
    expect(refused.status).toBe(404)
  })

  it('我的投标: tabs with counts, next action, paged', async () => {
    const page = await listMyBids(db(), w.providerA.actor, { tab: 'live', page: 1 })
    expect(page.counts.live).toBeGreaterThanOrEqual(2)
    expect(page.counts.withdrawn).toBe(1)
    expect(page.counts.awarded).toBe(1)
    const onNeed = page.items.find((i) => i.needId === w.needId)
    expect(onNeed?.next).toBe('revise')
    const awarded = await listMyBids(db(), w.providerA.actor, { tab: 'awarded', page: 1 })
    expect(awarded.items.map((i) => i.next)).toEqual(['contract'])
    expect((await refusal(listMyBids(db(), w.owner.actor, { tab: 'live', page: 1 }))).code).toBe('FORBIDDEN')
    const http = await call(mine, { path: '/provider/bids?tab=withdrawn', cookie: w.providerA.cookie })
    expect(http.status).toBe(200)
  })

  it('the form: own and official templates, the ready consortia it leads; closed needs refused', async () => {
    const form = await call(bidForm, {
      path: `/needs/${w.otherNeed}/bid`,
      params: { id: String(w.otherNeed) },
      cookie: w.lead.cookie,
    })
    expect(form.status).toBe(200)
    expect(form.body).toContain('官方示范文本')
    expect(form.body).not.toContain('甲的自有范本')
    const past = await call(bidForm, {
      path: `/needs/${w.pastNeed}/bid`,
      params: { id: String(w.pastNeed) },
      cookie: w.providerA.cookie,
    })
    expect(past.status).toBe(409)
    const draft = await call(bidForm, {
      path: `/needs/${w.draftNeed}/bid`,
      params: { id: String(w.draftNeed) },
      cookie: w.providerA.cookie,
    })
    expect(draft.status).toBe(404)
  })
})

describe('links', () => {
  it('投标 on the need page for providers that may bid; 修改 once they did; nothing for others', async () => {
    const need = await insertNeed(db(), w.enterprise)
    expect(await bidLinkFor(db(), w.providerB.actor, need)).toEqual({ href: `/needs/${need}/bid`, kind: 'bid' })
    expect(await bidLinkFor(db(), w.lead.actor, need)).toEqual({ href: `/needs/${need}/bid`, kind: 'bid' })
    const { bidId } = await submitBid(db(), store(), w.providerB.actor, need, input())
    expect(await bidLinkFor(db(), w.providerB.actor, need)).toEqual({ href: `/needs/${need}/bid`, kind: 'revise' })
    await db().updateTable('bids').set({ status: 'shortlisted' }).where('id', '=', bidId).execute()
    expect(await bidLinkFor(db(), w.providerB.actor, need)).toEqual({ href: `/bids/${bidId}`, kind: 'view' })
    expect(await bidLinkFor(db(), w.providerB.actor, w.pastNeed)).toBeNull()
    for (const actor of [null, w.owner.actor, w.agencyOver.actor, w.pendingProvider.actor]) {
      expect(await bidLinkFor(db(), actor, need)).toBeNull()
    }
    const consultancyAlone = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
    await db()
      .updateTable('organisations')
      .set({ provider_kinds: '["consultancy"]' })
      .where('id', '=', consultancyAlone.orgId)
      .execute()
    expect(await bidLinkFor(db(), consultancyAlone.actor, need)).toBeNull()
  })
})

describe('attachments', () => {
  it('up to 5 per bid; removed by the bidder while it may revise; wrong types refused', async () => {
    const need = await insertNeed(db(), w.enterprise)
    const pdf = (n: number) => ({ name: `附件${n}.pdf`, bytes: PDF })
    const six = await refusal(submitBid(db(), store(), w.providerA.actor, need, input(), [1, 2, 3, 4, 5, 6].map(pdf)))
    expect(six.fieldErrors).toEqual({ attachments: 'bids.v.tooManyFiles' })
    const { bidId } = await submitBid(db(), store(), w.providerA.actor, need, input(), [1, 2, 3, 4].map(pdf))
    const more = await refusal(reviseBid(db(), store(), w.providerA.actor, bidId, 1, input(), [5, 6].map(pdf)))
    expect(more.fieldErrors).toEqual({ attachments: 'bids.v.tooManyFiles' })
    const text = await refusal(
      reviseBid(db(), store(), w.providerA.actor, bidId, 1, input(), [
        { name: 'x.pdf', bytes: new TextEncoder().encode('not a pdf') },
      ]),
    )
    expect(text.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const files = await db()
      .selectFrom('files')
      .select('id')
      .where('object_type', '=', 'bid')
      .where('object_id', '=', bidId)
      .orderBy('id')
      .execute()
    expect(files).toHaveLength(4)
    const rival = await call(bidForm, {
      method: 'POST',
      path: `/needs/${need}/bid`,
      params: { id: String(need) },
      cookie: w.providerB.cookie,
      form: { intent: 'removeFile', bidId: String(bidId), fileId: String(files[0]!.id) },
    })
    expect(rival.status).toBe(404)
    const removed = await call(bidForm, {
      method: 'POST',
      path: `/needs/${need}/bid`,
      params: { id: String(need) },
      cookie: w.providerA.cookie,
      form: { intent: 'removeFile', bidId: String(bidId), fileId: String(files[0]!.id) },
    })
    expect(removed.status).toBe(302)
    expect(
      await db().selectFrom('files').select('id').where('object_type', '=', 'bid').where('object_id', '=', bidId).execute(),
    ).toHaveLength(3)
  })
})
