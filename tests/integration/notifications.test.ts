import { beforeAll, describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/transaction.js'
import { inviteProviders } from '../../app/domain/matching/invitations.server.js'
import { unreadLabel } from '../../app/domain/notifications/kinds.js'
import {
  getNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  unreadNotificationCount,
} from '../../app/domain/notifications/notifications.server.js'
import { notify, type NotifyInput } from '../../app/domain/notifications/notify.server.js'
import * as page from '../../app/routes/notifications.js'
import * as settings from '../../app/routes/account_.notifications.js'
import { services } from '../../app/web/services.server.js'
import { AppError } from '../../app/utils/errors.js'
import { insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { db, enterpriseWithNeed, fitting, indexedProviders, personOf, type Person } from './matching-world.js'

/*
 * The notification centre (issue 14 §7): notify writes a notice for the right people,
 * each person's preference (else the kind's default) decides e-mail and SMS; the bell
 * counts unread notices; a person reads and marks only their own; 邀请投标 notifies the
 * provider's members.
 */

const w = {} as {
  orgId: number
  owner: Person
  member: Person
  outsider: Person
}

async function send(input: NotifyInput) {
  return withTransaction(db(), (trx, afterCommit) => notify(db(), trx, afterCommit, input))
}

const messagesTo = (destination: string) =>
  db().selectFrom('message_outbox').select(['channel', 'subject', 'body']).where('destination', '=', destination).execute()

async function contactsOf(userId: number) {
  return db().selectFrom('users').select(['email', 'phone']).where('id', '=', userId).executeTakeFirstOrThrow()
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

beforeAll(async () => {
  w.orgId = await insertOrg(db(), { kind: 'provider', region: '321003' })
  w.owner = await personOf(w.orgId, 'owner', `n-owner-${w.orgId}@example.com`)
  w.member = await personOf(w.orgId, 'member')
  // The member has a phone (their login) and an e-mail too.
  await db()
    .updateTable('users')
    .set({ email: `n-member-${w.orgId}@example.com` })
    .where('id', '=', w.member.userId)
    .execute()
  const other = await insertOrg(db(), { kind: 'provider', region: '321003' })
  w.outsider = await personOf(other, 'owner', `n-outsider-${other}@example.com`)
})

describe('notify', () => {
  it('writes a notice for each active member of the organisation; e-mail by the kind’s default, no SMS', async () => {
    const outcome = await send({
      orgId: w.orgId,
      kind: 'invitation_received',
      params: { enterprise: '测试企业', need: '视觉检测改造', provider: '测试服务商' },
      link: '/provider/invitations',
    })
    expect(outcome.notified.sort()).toEqual([w.owner.userId, w.member.userId].sort())
    const rows = await db().selectFrom('notifications').selectAll().where('org_id', '=', w.orgId).execute()
    expect(rows).toHaveLength(2)
    expect(rows.every((r) => r.kind === 'invitation_received' && r.link === '/provider/invitations' && r.read_at === null)).toBe(
      true,
    )
    expect(JSON.parse(rows[0]!.params)).toMatchObject({ need: '视觉检测改造' })
    expect(await db().selectFrom('notifications').select('id').where('user_id', '=', w.outsider.userId).execute()).toEqual([])
    const ownerMail = await messagesTo(`n-owner-${w.orgId}@example.com`)
    expect(ownerMail).toHaveLength(1)
    expect(ownerMail[0]!.channel).toBe('email')
    expect(ownerMail[0]!.body).toContain('/provider/invitations')
    expect(ownerMail[0]!.body).toContain('/account/notifications')
    const member = await contactsOf(w.member.userId)
    expect(await messagesTo(member.email!)).toHaveLength(1)
    expect(await messagesTo(member.phone!)).toHaveLength(0)
  })

  it('follows each person’s preference: e-mail off, SMS on', async () => {
    const member = await contactsOf(w.member.userId)
    const outcome = await call(settings, {
      method: 'POST',
      path: '/account/notifications',
      cookie: w.member.cookie,
      // E-mail off for invitations (unchecked: absent), SMS on; fields that are not choices change nothing.
      form: { 'sms.invitation_received': 'on', user_id: String(w.owner.userId), 'email.no_such_kind': 'on' },
    })
    expect(outcome.status).toBe(302)
    const prefs = await getNotificationPreferences(db(), w.member.actor)
    expect(prefs.rows.find((r) => r.kind === 'invitation_received')).toEqual({
      kind: 'invitation_received',
      email: false,
      sms: true,
    })
    // The owner's defaults are untouched.
    const ownerPrefs = await getNotificationPreferences(db(), w.owner.actor)
    expect(ownerPrefs.rows.find((r) => r.kind === 'invitation_received')).toEqual({
      kind: 'invitation_received',
      email: true,
      sms: false,
    })
    const before = (await messagesTo(member.email!)).length
    await send({
      orgId: w.orgId,
      kind: 'invitation_received',
      params: { enterprise: 'A', need: 'B' },
      link: '/provider/invitations',
    })
    expect(await messagesTo(member.email!)).toHaveLength(before)
    const texts = await messagesTo(member.phone!)
    expect(texts).toHaveLength(1)
    expect(texts[0]!.channel).toBe('sms')
    expect(texts[0]!.body).toContain('/provider/invitations')
  })

  it('sends to owners only where the kind says so, and to named people', async () => {
    const owners = await send({ orgId: w.orgId, kind: 'dispute_opened', params: { org: 'X', contract: 'Y' }, link: '/org' })
    expect(owners.notified).toEqual([w.owner.userId])
    const named = await send({ userIds: [w.outsider.userId], kind: 'rating_received', params: {}, link: '/org' })
    expect(named).toEqual({ notified: [w.outsider.userId], emailed: 0, texted: 0 })
  })

  it('writes nothing when the transaction rolls back', async () => {
    const before = await unreadNotificationCount(db(), w.outsider.userId)
    await expect(
      withTransaction(db(), async (trx, afterCommit) => {
        await notify(db(), trx, afterCommit, { userIds: [w.outsider.userId], kind: 'award_won', params: {}, link: '/org' })
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    expect(await unreadNotificationCount(db(), w.outsider.userId)).toBe(before)
  })
})

describe('the centre', () => {
  it('counts unread notices (capped for the bell) and lists newest first, unread filter, 20 a page', async () => {
    const person = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
    expect(await unreadNotificationCount(db(), person.userId)).toBe(0)
    for (let i = 0; i < 25; i++) {
      await send({
        userIds: [person.userId],
        kind: 'saved_search_matches',
        params: { name: `搜索${i}`, count: i },
        link: '/needs',
      })
    }
    expect(await unreadNotificationCount(db(), person.userId)).toBe(25)
    const first = await listNotifications(db(), person.actor)
    expect(first.items).toHaveLength(20)
    expect(first.items[0]!.params.name).toBe('搜索24')
    expect(first).toMatchObject({ total: 25, unread: 25, page: 1, pageCount: 2 })
    await markNotificationRead(db(), person.actor, first.items[0]!.id)
    const unreadOnly = await listNotifications(db(), person.actor, { unreadOnly: true })
    expect(unreadOnly.items[0]!.params.name).toBe('搜索23')
    expect(unreadOnly).toMatchObject({ total: 25, unread: 24 })
    const second = await listNotifications(db(), person.actor, { page: 2 })
    expect(second.items).toHaveLength(5)
    // Past the last page: the last page.
    expect((await listNotifications(db(), person.actor, { page: 9 })).page).toBe(2)
    for (let i = 0; i < 90; i++) await send({ userIds: [person.userId], kind: 'bid_new', params: {}, link: '/org' })
    expect(await unreadNotificationCount(db(), person.userId)).toBe(100)
    expect(unreadLabel(100)).toBe('99+')
    expect(unreadLabel(99)).toBe('99')
  })

  it('marks only one’s own notice read: someone else’s id is 404; all read; the page answers', async () => {
    await send({ userIds: [w.outsider.userId], kind: 'award_lost', params: { need: 'N' }, link: '/org' })
    const theirs = (await listNotifications(db(), w.outsider.actor)).items[0]!
    expect((await refusal(markNotificationRead(db(), w.owner.actor, theirs.id))).code).toBe('NOT_FOUND')
    const viaPage = await call(page, {
      method: 'POST',
      path: '/notifications',
      cookie: w.owner.cookie,
      form: { intent: 'read', id: String(theirs.id) },
    })
    expect(viaPage.status).toBe(404)
    expect((await listNotifications(db(), w.outsider.actor)).items[0]!.unread).toBe(true)

    const mine = (await listNotifications(db(), w.owner.actor)).items[0]!
    const read = await call(page, {
      method: 'POST',
      path: '/notifications?unread=1',
      cookie: w.owner.cookie,
      form: { intent: 'read', id: String(mine.id) },
    })
    expect(read.status).toBe(302)
    expect(read.location).toBe('/notifications?unread=1')
    // Again: still read, no error.
    await markNotificationRead(db(), w.owner.actor, mine.id)
    expect(await unreadNotificationCount(db(), w.owner.userId)).toBeGreaterThan(0)

    const all = await call(page, { method: 'POST', path: '/notifications', cookie: w.owner.cookie, form: { intent: 'readAll' } })
    expect(all.status).toBe(302)
    expect(await unreadNotificationCount(db(), w.owner.userId)).toBe(0)
    expect(await unreadNotificationCount(db(), w.outsider.userId)).toBeGreaterThan(0)
    expect(await markAllNotificationsRead(db(), w.owner.actor)).toBe(0)

    const bad = await call(page, {
      method: 'POST',
      path: '/notifications',
      cookie: w.owner.cookie,
      form: { intent: 'read', id: '0x10' },
    })
    expect(bad.status).toBeLessThan(500)
    const list = await call(page, { path: '/notifications?unread=1&page=abc', cookie: w.owner.cookie })
    expect(list.status).toBe(200)
  })
})

describe('hooks', () => {
  it('an invitation leaves a notice for each member of the provider, linking to 邀请与推荐', async () => {
    const e = await enterpriseWithNeed()
    const [providerId] = await indexedProviders([fitting('通知测试集成商')])
    const owner = await personOf(providerId!, 'owner', `n-inv-owner-${providerId}@example.com`)
    const member = await personOf(providerId!, 'member')
    const outcome = await inviteProviders(db(), services().search, e.owner.actor, e.needId, [providerId!])
    expect(outcome.added).toEqual([providerId])
    for (const person of [owner, member]) {
      const items = (await listNotifications(db(), person.actor)).items
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({ kind: 'invitation_received', link: '/provider/invitations', unread: true })
    }
    // The enterprise's own people are not told.
    expect((await listNotifications(db(), e.owner.actor)).total).toBe(0)
    expect(await messagesTo(`n-inv-owner-${providerId}@example.com`)).toHaveLength(1)
  })
})
