import { describe, expect, it } from 'vitest'
import { hashToken } from '../../app/domain/accounts/sessions.server.js'
import * as joinByCode from '../../app/routes/join.$code.js'
import * as join from '../../app/routes/join._index.js'
import * as orgIndex from '../../app/routes/org._index.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db
const body = (outcome: { body: string }) => JSON.parse(outcome.body)

/** An organisation with an owner and a plain member, each signed in acting for it. */
async function team(region = '321023') {
  const orgId = await insertOrg(db(), { region })
  const owner = await insertUser(db(), { name: '管理员' })
  const member = await insertUser(db(), { name: '成员' })
  await addMember(db(), owner.id, orgId, 'owner')
  await addMember(db(), member.id, orgId, 'member')
  return {
    orgId,
    owner: { ...owner, ...(await signIn(db(), owner.id, orgId)) },
    member: { ...member, ...(await signIn(db(), member.id, orgId)) },
  }
}

/** A new invitation: its link's token and code come back from the action, this once. */
async function inviteOf(cookie: string): Promise<{ id: number; token: string; code: string }> {
  const made = await call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'createInvite' }, cookie })
  expect(made.status).toBe(200)
  return body(made).created
}

describe('invitations', () => {
  it('are revoked only by an owner of the invitation’s own organisation (403 otherwise, recorded)', async () => {
    const a = await team()
    const b = await team('321002')
    const invite = await inviteOf(b.owner.cookie)

    const foreign = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'revokeInvite', inviteId: String(invite.id) },
      cookie: a.owner.cookie,
    })
    expect(foreign.status).toBe(403)
    const byMember = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'revokeInvite', inviteId: String(invite.id) },
      cookie: b.member.cookie,
    })
    expect(byMember.status).toBe(403)
    const row = await db().selectFrom('invitations').select('revoked_at').where('id', '=', invite.id).executeTakeFirstOrThrow()
    expect(row.revoked_at).toBeNull()
    const denial = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'access.denied')
      .where('actor_user_id', '=', a.owner.id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(denial.detail)).toMatchObject({ permission: 'manage:members:own' })

    const missing = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'revokeInvite', inviteId: '99999999' },
      cookie: b.owner.cookie,
    })
    expect(missing.status).toBe(404)
    for (const inviteId of ['0x10', '1e3', '-1', '']) {
      const malformed = await call(orgIndex, {
        method: 'POST',
        path: '/org',
        form: { intent: 'revokeInvite', inviteId },
        cookie: b.owner.cookie,
      })
      expect(malformed.status, inviteId).toBe(400)
    }

    const own = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'revokeInvite', inviteId: String(invite.id) },
      cookie: b.owner.cookie,
    })
    expect(own.status).toBe(200)
    expect(body(await call(orgIndex, { path: '/org', cookie: b.owner.cookie })).invites).toEqual([])
  })

  it('are created by owners only', async () => {
    const { member } = await team()
    expect(
      (await call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'createInvite' }, cookie: member.cookie })).status,
    ).toBe(403)
    const nobody = await insertUser(db())
    const { cookie } = await signIn(db(), nobody.id, null)
    expect((await call(orgIndex, { method: 'POST', path: '/org', form: { intent: 'createInvite' }, cookie })).status).toBe(403)
  })

  it('make the person who redeems one a member once, acting for the organisation in that session', async () => {
    const { orgId, owner } = await team()
    const invite = await inviteOf(owner.cookie)
    const joiner = await insertUser(db())
    const other = await insertOrg(db(), { region: '321002' })
    await addMember(db(), joiner.id, other)
    const session = await signIn(db(), joiner.id, other)

    const preview = await call(joinByCode, {
      path: `/join/${invite.token}`,
      params: { code: invite.token },
      cookie: session.cookie,
    })
    expect(body(preview).invite).toMatchObject({ orgKind: 'enterprise' })
    for (let i = 0; i < 2; i++) {
      const joined = await call(joinByCode, {
        method: 'POST',
        path: `/join/${invite.token}`,
        params: { code: invite.token },
        cookie: session.cookie,
      })
      expect(joined.status).toBe(302)
    }
    const memberships = await db()
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_id', '=', joiner.id)
      .execute()
    expect(memberships).toEqual([{ role: 'member' }])
    const uses = await db().selectFrom('invitations').select('uses').where('id', '=', invite.id).executeTakeFirstOrThrow()
    expect(uses.uses).toBe(1)
    const row = await db()
      .selectFrom('sessions')
      .select('active_org_id')
      .where('id_hash', '=', hashToken(session.token))
      .executeTakeFirstOrThrow()
    expect(row.active_org_id).toBe(orgId)
  })

  it('answer 404 for a /join/:code that is not a link token, and a form error on the code field for a dead one', async () => {
    const { owner } = await team()
    const dead = 'Z'.repeat(43)
    for (const code of ['0x10', 'ABC', 'ABCDEFGH', 'ABCD-EFGH-JKLM', `${dead}=`, '%20', ' ', `${dead}Z`]) {
      expect(
        (await call(joinByCode, { path: `/join/${encodeURIComponent(code)}`, params: { code }, cookie: owner.cookie })).status,
        code,
      ).toBe(404)
      expect(
        (
          await call(joinByCode, {
            method: 'POST',
            path: `/join/${encodeURIComponent(code)}`,
            params: { code },
            cookie: owner.cookie,
          })
        ).status,
        code,
      ).toBe(404)
    }
    const unknown = await call(joinByCode, { path: `/join/${dead}`, params: { code: dead }, cookie: owner.cookie })
    expect(unknown.status).toBe(200)
    expect(body(unknown).invite).toBeNull()
    const refused = await call(joinByCode, {
      method: 'POST',
      path: `/join/${dead}`,
      params: { code: dead },
      cookie: owner.cookie,
    })
    expect(refused.status).toBe(400)
    expect(body(refused)).toMatchObject({ code: 'VALIDATION', fieldErrors: { code: 'join.v.invalid' } })
  })

  it('typed into /join are checked on the code field, one message each', async () => {
    const { owner } = await team()
    const cases: [string, string][] = [
      ['', 'join.v.codeRequired'],
      ['abc', 'join.v.codeFormat'],
      ['ZZZZZZZZ', 'join.v.codeFormat'],
      ['ZZZZ-ZZZZ-ZZZ1', 'join.v.codeFormat'],
      ['zzzz zzzz zzzz', 'join.v.invalid'],
    ]
    for (const [code, key] of cases) {
      const outcome = await call(join, { method: 'POST', path: '/join', form: { code }, cookie: owner.cookie })
      expect(outcome.status, code).toBe(400)
      expect(body(outcome).fieldErrors, code).toEqual({ code: key })
    }
  })
})

describe('members', () => {
  it('removed by an owner stop acting for the organisation in every session at once', async () => {
    const { orgId, owner, member } = await team()
    const page = body(await call(orgIndex, { path: '/org', cookie: owner.cookie }))
    expect(page.members.map((m: { userId: number; removable: boolean }) => [m.userId, m.removable])).toEqual([
      [owner.id, false],
      [member.id, true],
    ])
    const removed = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(member.id) },
      cookie: owner.cookie,
    })
    expect(removed.status).toBe(200)
    const session = await db()
      .selectFrom('sessions')
      .select('active_org_id')
      .where('id_hash', '=', hashToken(member.token))
      .executeTakeFirstOrThrow()
    expect(session.active_org_id).toBeNull()
    expect(body(await call(orgIndex, { path: '/org', cookie: member.cookie })).org).toBeNull()
    const log = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.member_removed')
      .where('object_id', '=', String(member.id))
      .executeTakeFirstOrThrow()
    expect(log).toMatchObject({ actor_user_id: owner.id, actor_org_id: orgId, region_code: '321023' })
  })

  it('of another organisation are not found from this one; plain members remove nobody', async () => {
    const a = await team()
    const b = await team('321002')
    const foreign = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(b.member.id) },
      cookie: a.owner.cookie,
    })
    expect(foreign.status).toBe(404)
    const byMember = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(b.owner.id) },
      cookie: b.member.cookie,
    })
    expect(byMember.status).toBe(403)
    const left = await db().selectFrom('memberships').select('user_id').where('org_id', '=', b.orgId).execute()
    expect(left).toHaveLength(2)
  })

  it('keep their last owner; a second owner may leave', async () => {
    const { orgId, owner, member } = await team()
    const last = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(owner.id) },
      cookie: owner.cookie,
    })
    expect(last.status).toBe(409)
    expect(body(last)).toMatchObject({ code: 'INVALID_STATE', formError: 'org.error.lastOwner' })
    await db()
      .updateTable('memberships')
      .set({ role: 'owner' })
      .where('org_id', '=', orgId)
      .where('user_id', '=', member.id)
      .execute()
    const second = await call(orgIndex, {
      method: 'POST',
      path: '/org',
      form: { intent: 'removeMember', userId: String(owner.id) },
      cookie: member.cookie,
    })
    expect(second.status).toBe(200)
  })
})
