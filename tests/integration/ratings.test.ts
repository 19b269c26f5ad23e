import { beforeAll, describe, expect, it } from 'vitest'
import {
  enterpriseRatingSummary,
  getContractRatings,
  providerRatingsSection,
  rateContract,
  replyToRating,
  type TRatingInput,
} from '../../app/domain/contracts/ratings.server.js'
import { getContractPage } from '../../app/domain/contracts/contracts.server.js'
import { AppError } from '../../app/utils/errors.js'
import * as ratingsRoute from '../../app/routes/contracts.$id_.ratings.js'
import * as providerPage from '../../app/routes/providers.$id.js'
import * as needPage from '../../app/routes/needs.$id.js'
import { call } from '../support/http.js'
import { contractWorld, type ContractWorld } from './contract-world.js'
import { db } from './matching-world.js'

/*
 * Ratings on a contract (issue 14 §6): only the parties and the supervisor rate, only a
 * completed contract, one per side (a race included: one row, the others CONFLICT),
 * the provider replies once; the provider's rating of the enterprise is for providers
 * only; nothing but the form's fields is read.
 */

const good: TRatingInput = {
  item1: 'very_good',
  item2: 'good',
  item3: 'very_good',
  item4: 'very_good',
  item5: 'good',
  overall: 'satisfied',
  comment: '按期上线，现场响应及时。',
}

const form = (extra: Record<string, string> = {}) => ({
  intent: 'rate',
  item1: 'very_good',
  item2: 'good',
  item3: 'very_good',
  item4: 'good',
  item5: 'good',
  overall: 'satisfied',
  comment: '实施规范。',
  ...extra,
})

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

const rows = (contractId: number) =>
  db().selectFrom('contract_ratings').selectAll().where('contract_id', '=', contractId).orderBy('id').execute()

let w: ContractWorld

beforeAll(async () => {
  w = await contractWorld({ status: 'completed', supervised: true })
})

describe('who rates', () => {
  it('refuses an active contract, and says why on the page', async () => {
    const active = await contractWorld({ status: 'active', supervised: true })
    const error = await failure(rateContract(db(), active.enterprise.actor, active.contractId, good))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toBe('ratings.e.notCompleted')
    const page = await getContractRatings(db(), active.enterprise.actor, active.contractId)
    expect(page.rateAs).toBeNull()
    expect(page.waiting).toBe('notCompleted')
    expect(await rows(active.contractId)).toHaveLength(0)
  })

  it('gives each side its form: the enterprise, the provider, the supervisor; agencies none', async () => {
    expect((await getContractRatings(db(), w.enterpriseMember.actor, w.contractId)).rateAs).toBe('enterprise')
    expect((await getContractRatings(db(), w.providerMember.actor, w.contractId)).rateAs).toBe('provider')
    expect((await getContractRatings(db(), w.supervisor.actor, w.contractId)).rateAs).toBe('supervisor')
    const agency = await getContractRatings(db(), w.agencyOver.actor, w.contractId)
    expect(agency.rateAs).toBeNull()
    expect(agency.waiting).toBe('noSide')
    const error = await failure(rateContract(db(), w.agencyOver.actor, w.contractId, good))
    expect(error.code).toBe('FORBIDDEN')
  })

  it('answers 404 to outsiders, a rival bidder and an agency elsewhere (page and action)', async () => {
    for (const p of [w.outsider, w.rival, w.notSupervisor, w.agencyElsewhere]) {
      expect((await failure(getContractRatings(db(), p.actor, w.contractId))).code).toBe('NOT_FOUND')
      expect((await failure(rateContract(db(), p.actor, w.contractId, good))).code).toBe('NOT_FOUND')
      const page = await call(ratingsRoute, {
        path: `/contracts/${w.contractId}/ratings`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(404)
    }
  })

  it('one rating per side: five members at once leave one row, the others CONFLICT (never 500)', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(ratingsRoute, {
          method: 'POST',
          path: `/contracts/${w.contractId}/ratings`,
          params: { id: String(w.contractId) },
          cookie: i % 2 === 0 ? w.enterprise.cookie : w.enterpriseMember.cookie,
          form: form(),
        }),
      ),
    )
    const statuses = outcomes.map((o) => o.status).sort()
    expect(statuses.filter((s) => s === 302)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(4)
    for (const o of outcomes.filter((x) => x.status === 409)) expect(o.body).toContain('ratings.e.already')
    const saved = await rows(w.contractId)
    expect(saved.filter((r) => r.side === 'enterprise')).toHaveLength(1)
    const rating = saved.find((r) => r.side === 'enterprise')!
    expect(rating.rated_org_id).toBe(w.provider.orgId)
    expect(rating.rater_org_id).toBe(w.enterprise.orgId)
    // A later one: the same answer.
    const again = await failure(rateContract(db(), w.enterprise.actor, w.contractId, good))
    expect(again.code).toBe('CONFLICT')
    expect(again.message).toBe('ratings.e.already')
    // The timeline, the audit log and the provider's notice.
    const events = await db()
      .selectFrom('contract_events')
      .select(['kind', 'object_id'])
      .where('contract_id', '=', w.contractId)
      .execute()
    expect(events.filter((e) => e.kind === 'rated')).toEqual([{ kind: 'rated', object_id: rating.id }])
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_type', '=', 'contract_rating')
      .where('object_id', '=', String(rating.id))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['rating.given'])
    const notices = await db()
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'link'])
      .where('kind', '=', 'rating_received')
      .where('user_id', 'in', [w.provider.userId, w.providerMember.userId, w.enterprise.userId])
      .execute()
    expect(notices.map((n) => n.user_id).sort()).toEqual([w.provider.userId, w.providerMember.userId].sort())
    expect(notices[0]!.link).toBe(`/contracts/${w.contractId}/ratings`)
  })

  it('reads only the form fields (mass assignment)', async () => {
    const outcome = await call(ratingsRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/ratings`,
      params: { id: String(w.contractId) },
      cookie: w.supervisor.cookie,
      form: form({
        side: 'enterprise',
        rated_org_id: String(w.rival.orgId),
        ratedOrgId: String(w.rival.orgId),
        rater_org_id: String(w.rival.orgId),
        contract_id: '1',
        reply: '自己回复',
        status: 'active',
        created_at: '2020-01-01T00:00:00.000Z',
      }),
    })
    expect(outcome.status).toBe(302)
    const row = (await rows(w.contractId)).find((r) => r.side === 'supervisor')!
    expect(row.rated_org_id).toBe(w.provider.orgId)
    expect(row.rater_org_id).toBe(w.supervisor.orgId)
    expect(row.reply).toBe('')
    expect(row.replied_at).toBeNull()
    expect(String(row.created_at)).not.toContain('2020')
    const contract = await db().selectFrom('contracts').select('status').where('id', '=', w.contractId).executeTakeFirstOrThrow()
    expect(contract.status).toBe('completed')
  })

  it('refuses a form without grades with field errors', async () => {
    const other = await contractWorld({ status: 'completed' })
    const outcome = await call(ratingsRoute, {
      method: 'POST',
      path: `/contracts/${other.contractId}/ratings`,
      params: { id: String(other.contractId) },
      cookie: other.enterprise.cookie,
      form: { intent: 'rate', item1: 'excellent', overall: 'satisfied', comment: 'x'.repeat(1001) },
    })
    expect(outcome.status).toBe(400)
    const body = JSON.parse(outcome.body) as { fieldErrors: Record<string, string> }
    expect(body.fieldErrors.item1).toBe('ratings.v.grade')
    expect(body.fieldErrors.item2).toBe('ratings.v.grade')
    expect(body.fieldErrors.comment).toBe('ratings.v.commentTooLong')
    expect(await rows(other.contractId)).toHaveLength(0)
  })
})

describe('who sees what', () => {
  it("hides the provider's rating of the enterprise from the enterprise, agencies and the public", async () => {
    await rateContract(db(), w.providerMember.actor, w.contractId, {
      ...good,
      overall: 'fairly_satisfied',
      comment: '付款略有延迟。',
    })
    const sides = async (p: ContractWorld['enterprise']) =>
      (await getContractRatings(db(), p.actor, w.contractId)).ratings.map((r) => r.side).sort()
    expect(await sides(w.enterprise)).toEqual(['enterprise', 'supervisor'])
    expect(await sides(w.enterpriseMember)).toEqual(['enterprise', 'supervisor'])
    expect(await sides(w.agencyOver)).toEqual(['enterprise', 'supervisor'])
    expect(await sides(w.provider)).toEqual(['enterprise', 'provider', 'supervisor'])
    expect(await sides(w.supervisor)).toEqual(['enterprise', 'provider', 'supervisor'])

    const page = await call(ratingsRoute, {
      path: `/contracts/${w.contractId}/ratings`,
      params: { id: String(w.contractId) },
      cookie: w.enterprise.cookie,
    })
    expect(page.status).toBe(200)
    expect(page.body).not.toContain('付款略有延迟')
    // The enterprise is not told of it.
    const told = await db()
      .selectFrom('notifications')
      .select('id')
      .where('kind', '=', 'rating_received')
      .where('user_id', 'in', [w.enterprise.userId, w.enterpriseMember.userId])
      .execute()
    expect(told).toHaveLength(0)
    // Nor does the contract's timeline show the enterprise that it was rated; the provider's does.
    const rated = async (p: ContractWorld['enterprise']) =>
      (await getContractPage(db(), p.actor, w.contractId)).timeline.items.filter(
        (e) => e.kind === 'rated' && e.detail.side === 'provider',
      ).length
    expect(await rated(w.enterprise)).toBe(0)
    expect(await rated(w.agencyOver)).toBe(0)
    expect(await rated(w.supervisor)).toBe(0)
    expect(await rated(w.provider)).toBe(1)

    // The provider's public page: the enterprise's rating only, 平台验证, no enterprise name.
    const anonymous = await call(providerPage, {
      path: `/providers/${w.provider.orgId}`,
      params: { id: String(w.provider.orgId) },
    })
    expect(anonymous.status).toBe(200)
    const data = JSON.parse(anonymous.body) as {
      ratings: { count: number; score: number | null; items: { side: string; raterName: string; comment: string }[] }
    }
    expect(data.ratings.count).toBe(1)
    expect(data.ratings.items.map((r) => r.side)).toEqual(['enterprise'])
    expect(data.ratings.items[0]!.raterName).toBe('')
    expect(data.ratings.score).toBeGreaterThan(50)
    expect(anonymous.body).not.toContain('付款略有延迟')
    // The enterprise's own public page is not where it could read it either (the need page: providers only).
    const needForEnterprise = await call(needPage, {
      path: `/needs/${w.needId}`,
      params: { id: String(w.needId) },
      cookie: w.enterprise.cookie,
    })
    if (needForEnterprise.status === 200) expect(JSON.parse(needForEnterprise.body).enterpriseRatings).toBeNull()
  })

  it('summarises the providers’ ratings of an enterprise for provider viewers only', async () => {
    expect(await enterpriseRatingSummary(db(), w.rival.actor, w.needId)).toEqual({ count: 1, satisfiedPercent: 0 })
    expect(await enterpriseRatingSummary(db(), w.enterprise.actor, w.needId)).toBeNull()
    expect(await enterpriseRatingSummary(db(), w.agencyOver.actor, w.needId)).toBeNull()
    expect(await enterpriseRatingSummary(db(), null, w.needId)).toBeNull()
  })
})

describe('replies', () => {
  it('the provider replies once to the enterprise’s rating; nobody else may', async () => {
    const ratings = await rows(w.contractId)
    const ofEnterprise = ratings.find((r) => r.side === 'enterprise')!
    const ofProvider = ratings.find((r) => r.side === 'provider')!
    // The enterprise does not see the provider's rating of it: 404, not 403.
    expect((await failure(replyToRating(db(), w.enterprise.actor, ofProvider.id, '谢谢'))).code).toBe('NOT_FOUND')
    expect((await failure(replyToRating(db(), w.enterprise.actor, ofEnterprise.id, '自己回复'))).code).toBe('FORBIDDEN')
    expect((await failure(replyToRating(db(), w.supervisor.actor, ofEnterprise.id, '监理回复'))).code).toBe('FORBIDDEN')
    expect((await failure(replyToRating(db(), w.outsider.actor, ofEnterprise.id, '路人'))).code).toBe('NOT_FOUND')

    const page = await getContractRatings(db(), w.providerMember.actor, w.contractId)
    expect(
      page.ratings
        .filter((r) => r.canReply)
        .map((r) => r.side)
        .sort(),
    ).toEqual(['enterprise', 'supervisor'])

    const outcomes = await Promise.all(
      [w.provider, w.providerMember, w.provider].map((p) =>
        call(ratingsRoute, {
          method: 'POST',
          path: `/contracts/${w.contractId}/ratings`,
          params: { id: String(w.contractId) },
          cookie: p.cookie,
          form: { intent: 'reply', ratingId: String(ofEnterprise.id), reply: '感谢认可，后续运维我们持续跟进。' },
        }),
      ),
    )
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409, 409])
    const row = await db().selectFrom('contract_ratings').selectAll().where('id', '=', ofEnterprise.id).executeTakeFirstOrThrow()
    expect(row.reply).toBe('感谢认可，后续运维我们持续跟进。')
    expect(row.replied_at).not.toBeNull()
    const again = await failure(replyToRating(db(), w.provider.actor, ofEnterprise.id, '再回复'))
    expect(again.code).toBe('CONFLICT')
    expect(again.message).toBe('ratings.e.replied')
    const events = await db()
      .selectFrom('contract_events')
      .select('kind')
      .where('contract_id', '=', w.contractId)
      .where('kind', '=', 'rating_replied')
      .execute()
    expect(events).toHaveLength(1)
    // The reply shows on the public page.
    const section = await providerRatingsSection(db(), w.provider.orgId)
    expect(section.items[0]!.reply).toBe('感谢认可，后续运维我们持续跟进。')
  })

  it('the provider’s rating of the enterprise takes no reply, and a reply needs text', async () => {
    const ofProvider = (await rows(w.contractId)).find((r) => r.side === 'provider')!
    expect((await failure(replyToRating(db(), w.provider.actor, ofProvider.id, '自己回复'))).code).toBe('FORBIDDEN')
    const ofSupervisor = (await rows(w.contractId)).find((r) => r.side === 'supervisor')!
    const empty = await call(ratingsRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/ratings`,
      params: { id: String(w.contractId) },
      cookie: w.provider.cookie,
      form: { intent: 'reply', ratingId: String(ofSupervisor.id), reply: '  ' },
    })
    expect(empty.status).toBe(400)
    expect((JSON.parse(empty.body) as { fieldErrors: Record<string, string> }).fieldErrors.reply).toBe('ratings.v.replyRequired')
    const bad = await call(ratingsRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/ratings`,
      params: { id: String(w.contractId) },
      cookie: w.provider.cookie,
      form: { intent: 'reply', ratingId: '0x10', reply: '好' },
    })
    expect(bad.status).toBe(400)
    const missing = await call(ratingsRoute, {
      method: 'POST',
      path: `/contracts/${w.contractId}/ratings`,
      params: { id: String(w.contractId) },
      cookie: w.provider.cookie,
      form: { intent: 'reply', ratingId: '999999999', reply: '好' },
    })
    expect(missing.status).toBe(404)
  })
})

describe('the provider page', () => {
  it('pages the enterprises’ ratings ten at a time, newest first', async () => {
    const worlds: ContractWorld[] = []
    // Twelve contracts of one provider, each rated by its enterprise.
    const first = await contractWorld({ status: 'completed' })
    worlds.push(first)
    for (let i = 0; i < 11; i += 1) {
      const other = await contractWorld({ status: 'completed' })
      await db()
        .updateTable('contracts')
        .set({ provider_org_id: first.provider.orgId })
        .where('id', '=', other.contractId)
        .execute()
      worlds.push(other)
    }
    for (const [i, x] of worlds.entries()) {
      await rateContract(db(), x.enterprise.actor, x.contractId, { ...good, comment: `第${i}条` })
    }
    const page1 = await providerRatingsSection(db(), first.provider.orgId, 1)
    expect(page1.count).toBe(12)
    expect(page1.pageCount).toBe(2)
    expect(page1.items).toHaveLength(10)
    expect(page1.items[0]!.comment).toBe('第11条')
    const page2 = await providerRatingsSection(db(), first.provider.orgId, 2)
    expect(page2.items.map((r) => r.comment)).toEqual(['第1条', '第0条'])
    expect(page1.satisfiedPercent).toBe(100)
    // Twelve fresh 满意 ratings: well above the neutral 50.
    expect(page1.score).toBeGreaterThan(80)
  })
})
