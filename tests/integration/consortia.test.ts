import { beforeAll, describe, expect, it } from 'vitest'
import { assertConsortiumCanBid, createConsortium, searchProvidersToInvite } from '../../app/domain/providers/consortia.server.js'
import * as consortiumPage from '../../app/routes/provider.consortia.$id.js'
import * as consortiaList from '../../app/routes/provider.consortia._index.js'
import * as newConsortium from '../../app/routes/provider.consortia.new.js'
import { call } from '../support/http.js'
import { db, org, person, type Person } from './templates-fixtures.js'

/*
 * Consortia (issue 11 item 5): a verified provider's owner forms one with other verified
 * providers (shares including the lead's sum to 100); members' owners confirm or
 * decline; ready once all confirmed, back to forming on a decline or any change; the
 * lead dissolves it; only members see it; assertConsortiumCanBid for the bids issue.
 */

const body = (outcome: { body: string }) => JSON.parse(outcome.body)

let lead: Person
let leadColleague: Person
let memberB: Person
let memberBColleague: Person
let memberC: Person
let outsider: Person
let enterprise: Person
let pendingProvider: number

const form = (
  members: { orgId: number; share: number; scope?: string }[],
  leadShare: number,
  extra: Record<string, string> = {},
) => {
  const out: Record<string, string> = {
    name: '扬州智能工厂联合体',
    leadScope: '总体设计与系统集成',
    leadShare: String(leadShare),
    ...extra,
  }
  members.forEach((m, i) => {
    out[`m${i + 1}Org`] = String(m.orgId)
    out[`m${i + 1}Share`] = String(m.share)
    out[`m${i + 1}Scope`] = m.scope ?? '分包实施'
  })
  return out
}

const create = (who: Person, f: Record<string, string>) =>
  call(newConsortium, { method: 'POST', path: '/provider/consortia/new', form: f, cookie: who.cookie })
const idFrom = (location: string | null) => Number(/\/provider\/consortia\/(\d+)/.exec(location ?? '')?.[1])
const page = (who: Person, id: number) =>
  call(consortiumPage, { path: `/provider/consortia/${id}`, params: { id: String(id) }, cookie: who.cookie })
const post = (who: Person, id: number, f: Record<string, string>) =>
  call(consortiumPage, {
    method: 'POST',
    path: `/provider/consortia/${id}`,
    params: { id: String(id) },
    form: f,
    cookie: who.cookie,
  })
const status = async (id: number) =>
  (await db().selectFrom('consortia').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
const memberStatuses = async (id: number) =>
  Object.fromEntries(
    (await db().selectFrom('consortium_members').select(['org_id', 'status']).where('consortium_id', '=', id).execute()).map(
      (m) => [m.org_id, m.status],
    ),
  )

async function formed(): Promise<number> {
  const outcome = await create(
    lead,
    form(
      [
        { orgId: memberB.orgId, share: 30 },
        { orgId: memberC.orgId, share: 20 },
      ],
      50,
    ),
  )
  expect(outcome.status).toBe(302)
  return idFrom(outcome.location)
}

beforeAll(async () => {
  const leadOrg = await org('provider', { name: '扬州总包系统集成有限公司' })
  lead = await person(leadOrg, 'owner', '总包负责人')
  leadColleague = await person(leadOrg, 'member', '总包同事')
  const b = await org('provider', { name: '扬州分包自动化设备有限公司' })
  memberB = await person(b, 'owner', '分包乙负责人')
  memberBColleague = await person(b, 'member', '分包乙同事')
  memberC = await person(await org('provider', { name: '邗江分包软件有限公司' }), 'owner', '分包丙负责人')
  outsider = await person(await org('provider', { name: '局外服务商有限公司' }), 'owner', '局外人')
  enterprise = await person(await org('enterprise'), 'owner', '企业负责人')
  pendingProvider = await org('provider', { name: '扬州分包待审核有限公司', status: 'pending' })
})

describe('forming a consortium', () => {
  it('refuses shares that do not sum to 100, with the sum (400), writing nothing', async () => {
    const before = await db().selectFrom('consortia').select('id').execute()
    const outcome = await create(lead, form([{ orgId: memberB.orgId, share: 30 }], 60))
    expect(outcome.status).toBe(400)
    expect(body(outcome)).toMatchObject({
      formError: 'consortium.v.shareSum',
      formParams: { sum: 90 },
      fieldErrors: { shares: 'consortium.v.shareSumField' },
      values: { m1Share: '30', leadShare: '60' },
    })
    expect(await db().selectFrom('consortia').select('id').execute()).toHaveLength(before.length)
  })

  it('invites only other verified providers, and needs at least one', async () => {
    const self = body(await create(lead, form([{ orgId: lead.orgId, share: 50 }], 50)))
    expect(self.fieldErrors).toMatchObject({ m1Org: 'consortium.v.member' })
    const pending = body(await create(lead, form([{ orgId: pendingProvider, share: 50 }], 50)))
    expect(pending.fieldErrors).toMatchObject({ m1Org: 'consortium.v.member' })
    const enterpriseMember = body(await create(lead, form([{ orgId: enterprise.orgId, share: 50 }], 50)))
    expect(enterpriseMember.fieldErrors).toMatchObject({ m1Org: 'consortium.v.member' })
    const none = body(await create(lead, form([], 100)))
    expect(none.fieldErrors).toMatchObject({ members: 'consortium.v.membersRequired' })
  })

  it('is for a verified provider’s owner only (403 for a member, an enterprise)', async () => {
    for (const who of [leadColleague, enterprise]) {
      expect((await create(who, form([{ orgId: memberB.orgId, share: 50 }], 50))).status).toBe(403)
      expect((await call(newConsortium, { path: '/provider/consortia/new', cookie: who.cookie })).status).toBe(403)
    }
    expect((await call(consortiaList, { path: '/provider/consortia', cookie: enterprise.cookie })).status).toBe(403)
    expect((await call(consortiaList, { path: '/provider/consortia', cookie: leadColleague.cookie })).status).toBe(200)
  })

  it('finds verified providers by name for the picker, never the lead, the picked or unverified ones', async () => {
    const found = await searchProvidersToInvite(db(), lead.actor, '分包', [memberC.orgId])
    expect(found.map((p) => p.name)).toEqual(['扬州分包自动化设备有限公司'])
    expect(await searchProvidersToInvite(db(), lead.actor, '总包', [])).toEqual([])
    expect(await searchProvidersToInvite(db(), lead.actor, '%', [])).toEqual([])
    const pagePicker = body(
      await call(newConsortium, {
        path: `/provider/consortia/new?q=${encodeURIComponent('分包')}&m=${memberB.orgId}&m=x`,
        cookie: lead.cookie,
      }),
    )
    expect(pagePicker.picked.map((p: { orgId: number }) => p.orgId)).toEqual([memberB.orgId])
    expect(pagePicker.results.map((p: { name: string }) => p.name)).toEqual(['邗江分包软件有限公司'])
  })
})

describe('confirming', () => {
  it('invites the members; ready once every member confirmed; a decline sends it back to forming', async () => {
    const id = await formed()
    expect(await status(id)).toBe('forming')
    expect(await memberStatuses(id)).toEqual({
      [lead.orgId]: 'confirmed',
      [memberB.orgId]: 'invited',
      [memberC.orgId]: 'invited',
    })
    const seen = body(await page(memberB, id)).consortium.updatedAt as string

    // An invited member's colleague sees it, but only its owner answers.
    expect(body(await page(memberBColleague, id)).consortium).toMatchObject({ canRespond: false })
    expect((await post(memberBColleague, id, { intent: 'confirm', seen })).status).toBe(403)

    expect((await post(memberB, id, { intent: 'confirm', seen })).status).toBe(302)
    expect(await status(id)).toBe('forming')
    await expect(assertConsortiumCanBid(db(), id, lead.orgId)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      key: 'consortium.e.notReady',
    })
    expect((await post(memberC, id, { intent: 'confirm', seen })).status).toBe(302)
    expect(await status(id)).toBe('ready')
    const bidding = await assertConsortiumCanBid(db(), id, lead.orgId)
    expect(bidding.members.map((m) => [m.role, m.sharePercent])).toEqual([
      ['lead', 50],
      ['member', 30],
      ['member', 20],
    ])

    expect((await post(memberC, id, { intent: 'decline', seen })).status).toBe(302)
    expect(await status(id)).toBe('forming')
    expect((await memberStatuses(id))[memberC.orgId]).toBe('declined')
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'consortium')
      .where('object_id', '=', String(id))
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual([
      'consortium.formed',
      'consortium.confirmed',
      'consortium.confirmed',
      'consortium.declined',
    ])
  })

  it('a change by the lead asks everyone again (back to forming); confirming terms changed meanwhile is refused (409)', async () => {
    const id = await formed()
    const seen = body(await page(memberB, id)).consortium.updatedAt as string
    await post(memberB, id, { intent: 'confirm', seen })
    await post(memberC, id, { intent: 'confirm', seen })
    expect(await status(id)).toBe('ready')

    // Same terms again: nothing changes.
    const same = await post(lead, id, {
      intent: 'update',
      ...form(
        [
          { orgId: memberB.orgId, share: 30 },
          { orgId: memberC.orgId, share: 20 },
        ],
        50,
      ),
    })
    expect(same.status).toBe(302)
    expect(await status(id)).toBe('ready')

    // C leaves, B's share grows: every member is asked again.
    const changed = await post(lead, id, {
      intent: 'update',
      ...form(
        [
          { orgId: memberB.orgId, share: 40 },
          { orgId: memberC.orgId, share: 20 },
        ],
        60,
        { m2Remove: '1' },
      ),
    })
    expect(changed.status).toBe(302)
    expect(await status(id)).toBe('forming')
    expect(await memberStatuses(id)).toEqual({ [lead.orgId]: 'confirmed', [memberB.orgId]: 'invited' })
    expect((await page(memberC, id)).status).toBe(404)

    const stale = await post(memberB, id, { intent: 'confirm', seen })
    expect(stale.status).toBe(409)
    expect(body(stale).formError).toBe('consortium.e.changed')

    // Only the lead's owner changes it.
    const byMember = await post(memberB, id, { intent: 'update', ...form([{ orgId: memberB.orgId, share: 50 }], 50) })
    expect(byMember.status).toBe(403)
    const badSum = await post(lead, id, { intent: 'update', ...form([{ orgId: memberB.orgId, share: 50 }], 40) })
    expect(body(badSum)).toMatchObject({ formError: 'consortium.v.shareSum', formParams: { sum: 90 } })
  })

  it('the lead dissolves it: final, no more answers, no bidding', async () => {
    const id = await formed()
    expect((await post(memberB, id, { intent: 'dissolve' })).status).toBe(403)
    const asked = await post(lead, id, { intent: 'dissolve', _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(await status(id)).toBe('forming')
    expect((await post(lead, id, { intent: 'dissolve' })).status).toBe(302)
    expect(await status(id)).toBe('dissolved')
    const late = await post(memberB, id, { intent: 'confirm' })
    expect(late.status).toBe(409)
    expect(body(late).formError).toBe('consortium.e.dissolved')
    await expect(assertConsortiumCanBid(db(), id, lead.orgId)).rejects.toMatchObject({ code: 'INVALID_STATE' })
  })
})

describe('who sees it', () => {
  it('a provider that is not a member, an enterprise and the lead’s own members see what they may', async () => {
    const id = await formed()
    expect((await page(outsider, id)).status).toBe(404)
    expect((await page(enterprise, id)).status).toBe(404)
    expect((await post(outsider, id, { intent: 'confirm' })).status).toBe(404)
    expect((await post(outsider, id, { intent: 'dissolve' })).status).toBe(404)
    expect((await page(lead, 2_000_000_000)).status).toBe(404)
    expect(body(await page(leadColleague, id)).consortium).toMatchObject({ canManage: false, canRespond: false })
    expect(body(await page(lead, id)).consortium).toMatchObject({ canManage: true, canRespond: false, status: 'forming' })
  })

  it('lists a provider’s consortia with pending invitations first', async () => {
    const answered = await formed()
    await post(memberB, answered, { intent: 'confirm' })
    const pending = await formed()
    const list = body(await call(consortiaList, { path: '/provider/consortia', cookie: memberB.cookie }))
    const ids = list.items.map((i: { id: number }) => i.id)
    expect(ids.indexOf(pending)).toBeLessThan(ids.indexOf(answered))
    expect(list.items.find((i: { id: number }) => i.id === answered)).toMatchObject({ role: 'member', myStatus: 'confirmed' })
    expect(list.canCreate).toBe(true)
    expect(ids).not.toContain(undefined)
    expect(body(await call(consortiaList, { path: '/provider/consortia', cookie: outsider.cookie })).items).toEqual([])
  })
})

describe('assertConsortiumCanBid', () => {
  it('needs the consortium, its lead, ready, and every member still a verified provider', async () => {
    const { consortiumId } = await createConsortium(db(), lead.actor, {
      name: '可投标联合体',
      leadScope: '',
      leadShare: 70,
      members: [{ orgId: memberB.orgId, scope: '', sharePercent: 30 }],
    })
    await post(memberB, consortiumId, { intent: 'confirm' })
    expect(await status(consortiumId)).toBe('ready')
    await expect(assertConsortiumCanBid(db(), consortiumId, lead.orgId)).resolves.toMatchObject({
      id: consortiumId,
      name: '可投标联合体',
    })
    await expect(assertConsortiumCanBid(db(), consortiumId, memberB.orgId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      key: 'consortium.e.notLead',
    })
    await expect(assertConsortiumCanBid(db(), 2_000_000_000, lead.orgId)).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // A member sent back to review can no longer bid with it.
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', memberB.orgId).execute()
    try {
      await expect(assertConsortiumCanBid(db(), consortiumId, lead.orgId)).rejects.toMatchObject({
        code: 'INVALID_STATE',
        key: 'consortium.e.memberNotVerified',
        params: { name: '扬州分包自动化设备有限公司' },
      })
      expect(body(await page(lead, consortiumId)).consortium.members[1]).toMatchObject({ verified: false })
    } finally {
      await db().updateTable('organisations').set({ status: 'verified' }).where('id', '=', memberB.orgId).execute()
    }
  })
})
