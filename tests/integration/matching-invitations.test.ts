import { beforeAll, describe, expect, it } from 'vitest'
import {
  inviteProviders,
  listInvitationsForProvider,
  recommendProvider,
  unreadInvitationCount,
} from '../../app/domain/matching/invitations.server.js'
import * as matches from '../../app/routes/needs.$id_.matches.js'
import * as inbox from '../../app/routes/provider.invitations.js'
import { services } from '../../app/web/services.server.js'
import { AppError } from '../../app/utils/errors.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { agency, db, enterpriseWithNeed, fitting, indexedProviders, personOf, type Person } from './matching-world.js'

/*
 * 邀请投标 and 推荐对接 (issue 13, slice C1): only the need's owner invites, only
 * eligible providers, within the limits, once; the invited provider (and nobody else)
 * reads them; agencies recommend with a note; every pairing is audited and announced.
 */

const w = {} as {
  owner: Person
  enterpriseId: number
  needId: number
  providers: number[]
  consultancy: number
  pending: number
  providerOwner: Person
  otherProvider: Person
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

const auditRows = (action: string, needId: number) =>
  db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action as never)
    .where('object_type', '=', 'need')
    .where('object_id', '=', String(needId))
    .orderBy('id')
    .execute()

beforeAll(async () => {
  const e = await enterpriseWithNeed()
  w.owner = e.owner
  w.enterpriseId = e.orgId
  w.needId = e.needId
  w.providers = await indexedProviders(Array.from({ length: 12 }, (_, i) => fitting(`邀请测试集成商${i + 1}号`)))
  w.consultancy = await insertOrg(db(), { kind: 'provider', region: '321003' })
  await db().updateTable('organisations').set({ provider_kinds: '["consultancy"]' }).where('id', '=', w.consultancy).execute()
  w.pending = await insertOrg(db(), { kind: 'provider', region: '321003', status: 'pending' })
  w.providerOwner = await personOf(w.providers[0]!, 'owner', `owner-${w.providers[0]}@example.com`)
  w.otherProvider = await personOf(w.providers[11]!)
})

describe('inviteProviders', () => {
  it('invites from the match list: rows, audit, an e-mail to the provider’s owners; again is already done', async () => {
    const outcome = await call(matches, {
      method: 'POST',
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: w.owner.cookie,
      form: { intent: 'invite', 'providers[]': [String(w.providers[0]), String(w.providers[1])] },
    })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/needs/${w.needId}/matches`)
    const rows = await db()
      .selectFrom('need_invitations')
      .selectAll()
      .where('need_id', '=', w.needId)
      .orderBy('provider_org_id')
      .execute()
    expect(rows.map((r) => [r.provider_org_id, r.kind, r.by_org_id, r.by_user_id])).toEqual([
      [w.providers[0], 'invite', w.enterpriseId, w.owner.userId],
      [w.providers[1], 'invite', w.enterpriseId, w.owner.userId],
    ])
    const audits = await auditRows('matching.invited', w.needId)
    expect(audits).toHaveLength(2)
    expect(audits[0]!.actor_org_id).toBe(w.enterpriseId)
    expect(audits[0]!.region_code).toBe('321023')
    expect(JSON.parse(audits[0]!.detail)).toMatchObject({ providerOrgId: w.providers[0] })
    const mail = await db()
      .selectFrom('message_outbox')
      .select(['channel', 'subject'])
      .where('destination', '=', `owner-${w.providers[0]}@example.com`)
      .execute()
    expect(mail).toHaveLength(1)
    expect(mail[0]!.channel).toBe('email')

    const again = await inviteProviders(db(), services().search, w.owner.actor, w.needId, [w.providers[0]!, w.providers[1]!])
    expect(again).toEqual({ added: [], already: [w.providers[0], w.providers[1]] })
    expect(await auditRows('matching.invited', w.needId)).toHaveLength(2)
  })

  it('counts a double submit once, never a 500', async () => {
    const form = { intent: 'invite', 'providers[]': String(w.providers[2]) }
    const request = () =>
      call(matches, {
        method: 'POST',
        path: `/needs/${w.needId}/matches`,
        params: { id: String(w.needId) },
        cookie: w.owner.cookie,
        form,
      })
    const outcomes = await Promise.all([request(), request(), request()])
    expect(outcomes.map((o) => o.status)).toEqual([302, 302, 302])
    const rows = await db()
      .selectFrom('need_invitations')
      .select('id')
      .where('need_id', '=', w.needId)
      .where('provider_org_id', '=', w.providers[2]!)
      .execute()
    expect(rows).toHaveLength(1)
  })

  it('refuses anyone but the need’s enterprise', async () => {
    const form = { intent: 'invite', 'providers[]': String(w.providers[3]) }
    const post = (cookie: string) =>
      call(matches, { method: 'POST', path: `/needs/${w.needId}/matches`, params: { id: String(w.needId) }, cookie, form })
    const other = await enterpriseWithNeed()
    expect((await post(other.owner.cookie)).status).toBe(404)
    expect((await post(w.otherProvider.cookie)).status).toBe(404)
    const overseer = await agency('321000')
    expect((await post(overseer.cookie)).status).toBe(403)
    // A member (not only the owner) of the enterprise may invite.
    const member = await personOf(w.enterpriseId, 'member')
    expect((await post(member.cookie)).status).toBe(302)
  })

  it('refuses providers that do not pass the need’s filters, and non-providers', async () => {
    for (const id of [w.consultancy, w.pending, w.enterpriseId, 99_999_999]) {
      const error = await refusal(inviteProviders(db(), services().search, w.owner.actor, w.needId, [id]))
      expect(error.code).toBe('VALIDATION')
      expect(error.fieldErrors).toEqual({ providers: 'matching.e.notEligible' })
    }
    // One bad one refuses the request whole.
    await refusal(inviteProviders(db(), services().search, w.owner.actor, w.needId, [w.providers[4]!, w.consultancy]))
    const row = await db()
      .selectFrom('need_invitations')
      .select('id')
      .where('provider_org_id', '=', w.providers[4]!)
      .executeTakeFirst()
    expect(row).toBeUndefined()
  })

  it('invites 1–10 per request and 30 per need', async () => {
    const none = await refusal(inviteProviders(db(), services().search, w.owner.actor, w.needId, []))
    expect(none.fieldErrors).toEqual({ providers: 'matching.v.pickProviders' })
    const eleven = await refusal(inviteProviders(db(), services().search, w.owner.actor, w.needId, w.providers.slice(0, 11)))
    expect(eleven.fieldErrors).toEqual({ providers: 'matching.v.tooManyAtOnce' })

    const { owner, needId, orgId } = await enterpriseWithNeed()
    // 29 invitations already (rows straight into the table).
    const fillers: number[] = []
    for (let i = 0; i < 29; i += 1) fillers.push(await insertOrg(db(), { kind: 'provider', region: '321003' }))
    await db()
      .insertInto('need_invitations')
      .values(
        fillers.map((p) => ({
          need_id: needId,
          provider_org_id: p,
          kind: 'invite' as const,
          by_org_id: orgId,
          by_user_id: owner.userId,
          created_at: new Date().toISOString(),
        })),
      )
      .execute()
    const over = await refusal(inviteProviders(db(), services().search, owner.actor, needId, [w.providers[5]!, w.providers[6]!]))
    expect(over.code).toBe('CONFLICT')
    expect(over.key).toBe('matching.e.inviteLimit')
    const outcome = await call(matches, {
      method: 'POST',
      path: `/needs/${needId}/matches`,
      params: { id: String(needId) },
      cookie: owner.cookie,
      form: { intent: 'invite', 'providers[]': [String(w.providers[5]), String(w.providers[6])] },
    })
    expect(outcome.status).toBe(409)
    expect(await inviteProviders(db(), services().search, owner.actor, needId, [w.providers[5]!])).toEqual({
      added: [w.providers[5]],
      already: [],
    })
  })

  it('invites only on a published need', async () => {
    const draft = await insertNeed(db(), w.enterpriseId, { status: 'draft' })
    const error = await refusal(inviteProviders(db(), services().search, w.owner.actor, draft, [w.providers[7]!]))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.key).toBe('matching.e.needNotOpen')
  })
})

describe('recommendProvider', () => {
  it('lets an agency over the need recommend a provider with a note, once, audited', async () => {
    const overseer = await agency('321000', 'reviewer')
    const outcome = await call(matches, {
      method: 'POST',
      path: `/needs/${w.needId}/matches`,
      params: { id: String(w.needId) },
      cookie: overseer.cookie,
      form: { intent: 'recommend', provider: String(w.providers[0]), note: '  该服务商在宝应县有三个冲压车间联网案例。 ' },
    })
    expect(outcome.status).toBe(302)
    const row = await db()
      .selectFrom('need_invitations')
      .selectAll()
      .where('need_id', '=', w.needId)
      .where('kind', '=', 'recommend')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      provider_org_id: w.providers[0],
      by_org_id: overseer.orgId,
      note: '该服务商在宝应县有三个冲压车间联网案例。',
    })
    const audits = await auditRows('matching.recommended', w.needId)
    expect(audits).toHaveLength(1)
    expect(JSON.parse(audits[0]!.detail)).toMatchObject({ providerOrgId: w.providers[0], note: row.note })
    expect(await recommendProvider(db(), overseer.actor, w.needId, w.providers[0]!, '再推荐一次')).toEqual({
      added: [],
      already: [w.providers[0]],
    })
  })

  it('refuses viewers, agencies elsewhere, the enterprise, long notes and unfit providers', async () => {
    const post = (cookie: string, form: Record<string, string>) =>
      call(matches, { method: 'POST', path: `/needs/${w.needId}/matches`, params: { id: String(w.needId) }, cookie, form })
    const form = { intent: 'recommend', provider: String(w.providers[1]), note: '' }
    const inside = await agency('321000')
    const viewer = await personOf(inside.orgId, 'viewer')
    expect((await post(viewer.cookie, form)).status).toBe(403)
    expect((await post((await agency('620000')).cookie, form)).status).toBe(404)
    expect((await post(w.owner.cookie, form)).status).toBe(403)
    const long = await post(inside.cookie, { ...form, note: '长'.repeat(501) })
    expect(long.status).toBe(400)
    expect(JSON.parse(long.body).fieldErrors).toEqual({ note: 'matching.v.noteTooLong' })
    const unfit = await post(inside.cookie, { ...form, provider: String(w.consultancy) })
    expect(unfit.status).toBe(400)
    expect(JSON.parse(unfit.body).fieldErrors).toEqual({ provider: 'matching.e.notEligible' })
  })
})

describe('listInvitationsForProvider', () => {
  it('shows the invited provider its invitations and recommendations, unread until opened', async () => {
    const actor = w.providerOwner.actor
    expect(await unreadInvitationCount(db(), w.providers[0]!)).toBe(2)
    const first = await listInvitationsForProvider(db(), actor)
    expect(first.total).toBe(2)
    expect(first.unread).toBe(2)
    expect(first.rows.map((r) => [r.kind, r.needId, r.unread])).toEqual([
      ['recommend', w.needId, true],
      ['invite', w.needId, true],
    ])
    expect(first.rows[0]!.note).toBe('该服务商在宝应县有三个冲压车间联网案例。')
    expect(first.rows[0]!.byOrgKind).toBe('agency')
    expect(first.rows[1]!.needHref).toBe(`/needs/${w.needId}`)
    expect(await unreadInvitationCount(db(), w.providers[0]!)).toBe(0)
    const second = await listInvitationsForProvider(db(), actor)
    expect(second.rows.every((r) => !r.unread)).toBe(true)
  })

  it('shows another provider none of them, and refuses non-providers', async () => {
    const other = await listInvitationsForProvider(db(), w.otherProvider.actor)
    expect(other.rows.some((r) => r.needId === w.needId)).toBe(false)
    const page = await call(inbox, { path: '/provider/invitations', cookie: w.otherProvider.cookie })
    expect(page.status).toBe(200)
    expect((await call(inbox, { path: '/provider/invitations', cookie: w.owner.cookie })).status).toBe(403)
  })
})
