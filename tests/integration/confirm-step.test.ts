import { describe, expect, it } from 'vitest'
import * as account from '../../app/routes/account.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as orgIndex from '../../app/routes/org._index.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

/*
 * Irreversible actions without scripts (components/confirm.tsx): the button sends
 * `_confirm=ask`, the action checks the input and answers with the fields to confirm,
 * changing nothing; the same fields without the flag act.
 */

const db = () => services().db

describe('the confirm step of irreversible actions', () => {
  it('an approval asked to confirm changes nothing; confirmed, it approves', async () => {
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const reviewer = await insertUser(db())
    await addMember(db(), reviewer.id, agency)
    const { cookie } = await signIn(db(), reviewer.id, agency)
    const org = await insertOrg(db(), { region: '321023', status: 'pending' })
    const request = (form: Record<string, string>) =>
      call(auditDetail, { method: 'POST', path: `/agency/audits/${org}`, params: { orgId: String(org) }, form, cookie })
    const status = async () =>
      (await db().selectFrom('organisations').select('status').where('id', '=', org).executeTakeFirstOrThrow()).status

    const asked = await request({ intent: 'approve', revision: '1', _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(JSON.parse(asked.body)).toEqual({ confirm: { fields: { intent: 'approve', revision: '1' } } })
    expect(await status()).toBe('pending')

    // A rejection without a reason is refused before anything is asked.
    const incomplete = await request({ intent: 'reject', revision: '1', reason: '', _confirm: 'ask' })
    expect(incomplete.status).toBe(400)
    expect(JSON.parse(incomplete.body).fieldErrors).toHaveProperty('reason')

    // So is a decision on a revision the reviewer no longer has in front of them.
    const stale = await request({ intent: 'approve', revision: '2', _confirm: 'ask' })
    expect(stale.status).toBe(409)
    expect(JSON.parse(stale.body).fieldErrors).toEqual({ intent: 'audits.e.stale' })

    // Someone who may not decide here is refused at the first step too.
    const outsider = await insertUser(db())
    const other = await insertOrg(db(), { kind: 'agency', region: '620000', agencyLevel: 'province' })
    await addMember(db(), outsider.id, other)
    const denied = await call(auditDetail, {
      method: 'POST',
      path: `/agency/audits/${org}`,
      params: { orgId: String(org) },
      form: { intent: 'approve', revision: '1', _confirm: 'ask' },
      cookie: (await signIn(db(), outsider.id, other)).cookie,
    })
    expect(denied.status).toBe(403)

    const confirmed = await request({ intent: 'approve', revision: '1' })
    expect(confirmed.status).toBe(302)
    expect(await status()).toBe('verified')
  })

  it('removing a member and ending the other sessions ask first, then act', async () => {
    const org = await insertOrg(db(), { region: '321023' })
    const owner = await insertUser(db())
    const member = await insertUser(db())
    await addMember(db(), owner.id, org)
    await addMember(db(), member.id, org, 'member')
    const { cookie } = await signIn(db(), owner.id, org)
    const isMember = async () =>
      Boolean(
        await db()
          .selectFrom('memberships')
          .select('user_id')
          .where('user_id', '=', member.id)
          .where('org_id', '=', org)
          .executeTakeFirst(),
      )

    const asked = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(member.id), _confirm: 'ask' },
      cookie,
    })
    expect(JSON.parse(asked.body)).toEqual({ confirm: { fields: { intent: 'removeMember', userId: String(member.id) } } })
    expect(await isMember()).toBe(true)
    const removed = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(member.id) },
      cookie,
    })
    expect(removed.status).toBe(200)
    expect(await isMember()).toBe(false)

    await signIn(db(), owner.id, org) // a second device
    const sessions = () => db().selectFrom('sessions').select('id_hash').where('user_id', '=', owner.id).execute()
    expect(await sessions()).toHaveLength(2)
    const askEnd = await call(account, {
      method: 'POST',
      path: '/account',
      form: { intent: 'endOthers', _confirm: 'ask' },
      cookie,
    })
    expect(JSON.parse(askEnd.body)).toEqual({ confirm: { fields: { intent: 'endOthers' } } })
    expect(await sessions()).toHaveLength(2)
    const ended = await call(account, { method: 'POST', path: '/account', form: { intent: 'endOthers' }, cookie })
    expect(JSON.parse(ended.body)).toMatchObject({ ok: true, ended: 1 })
    expect(await sessions()).toHaveLength(1)
  })
})
