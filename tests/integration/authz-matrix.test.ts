import { beforeAll, describe, expect, it } from 'vitest'
import * as account from '../../app/routes/account.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as auditQueue from '../../app/routes/agency.audits._index.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import * as regions from '../../app/routes/api.regions.js'
import * as healthz from '../../app/routes/healthz.js'
import * as home from '../../app/routes/_index.js'
import * as joinByCode from '../../app/routes/join.$code.js'
import * as join from '../../app/routes/join._index.js'
import * as lang from '../../app/routes/lang.js'
import * as login from '../../app/routes/login.js'
import * as logout from '../../app/routes/logout.js'
import * as needDetail from '../../app/routes/needs.$id.js'
import * as needs from '../../app/routes/needs._index.js'
import * as orgIndex from '../../app/routes/org._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as orgSwitch from '../../app/routes/org.switch.js'
import * as orgsNew from '../../app/routes/orgs.new.js'
import * as register from '../../app/routes/register.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call, type RouteModule } from '../support/http.js'

const ROLES = ['anonymous', 'enterpriseA', 'enterpriseB', 'providerA', 'providerB', 'agencyRegion', 'agencyOther'] as const
type Role = (typeof ROLES)[number]

interface World {
  cookies: Record<Role, string | null>
  orgs: Record<Exclude<Role, 'anonymous'>, number>
  pendingOrg: number
  pendingOrgForPost: number
  publicNeed: number
  draftNeed: number
  restrictedNeed: number
  memberOfB: number
  inviteCode: string
}

let world: World

beforeAll(async () => {
  const { db } = services()
  const orgs = {
    enterpriseA: await insertOrg(db, { kind: 'enterprise', region: '321023' }),
    enterpriseB: await insertOrg(db, { kind: 'enterprise', region: '321002' }),
    providerA: await insertOrg(db, { kind: 'provider', region: '321003' }),
    providerB: await insertOrg(db, { kind: 'provider', region: '620102' }),
    // 扬州市 covers every org above in Jiangsu; 甘肃省 covers none of the pending ones.
    agencyRegion: await insertOrg(db, { kind: 'agency', region: '321000', agencyLevel: 'city' }),
    agencyOther: await insertOrg(db, { kind: 'agency', region: '620000', agencyLevel: 'province' }),
  }
  const cookies = { anonymous: null } as Record<Role, string | null>
  for (const role of Object.keys(orgs) as (keyof typeof orgs)[]) {
    const user = await insertUser(db, { name: role })
    await addMember(db, user.id, orgs[role])
    cookies[role] = (await signIn(db, user.id, orgs[role])).cookie
  }
  const member = await insertUser(db, { name: 'B 的成员' })
  await addMember(db, member.id, orgs.enterpriseB, 'member')
  const pendingOrg = await insertOrg(db, { kind: 'enterprise', region: '321081', status: 'pending' })
  const pendingOrgForPost = await insertOrg(db, { kind: 'provider', region: '321084', status: 'pending' })
  const publicNeed = await insertNeed(db, orgs.enterpriseA)
  const draftNeed = await insertNeed(db, orgs.enterpriseB, { status: 'draft' })
  const restrictedNeed = await insertNeed(db, orgs.enterpriseB, { visibility: 'verified_providers' })
  const inviteCode = 'ABCDEFGH'
  await db
    .insertInto('invitations')
    .values({
      org_id: orgs.enterpriseB,
      code: inviteCode,
      created_by: member.id,
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    })
    .execute()
  world = { cookies, orgs, pendingOrg, pendingOrgForPost, publicNeed, draftNeed, restrictedNeed, memberOfB: member.id, inviteCode }
})

type Expected = number | Partial<Record<Role, number>> & { default?: number }

interface Row {
  name: string
  mod: RouteModule
  method: 'GET' | 'POST'
  path: (w: World) => string
  params?: (w: World) => Record<string, string>
  form?: (w: World) => Record<string, string>
  expect: Expected
}

const signedIn = (status: number, extra: Partial<Record<Role, number>> = {}) => ({ anonymous: 302, default: status, ...extra })
const agencyOnly = (status: number) => ({ anonymous: 302, agencyRegion: status, agencyOther: status, default: 403 })

const TABLE: Row[] = [
  { name: 'home', mod: home, method: 'GET', path: () => '/', expect: 200 },
  { name: 'needs list', mod: needs, method: 'GET', path: () => '/needs?q=设备', expect: 200 },
  { name: 'public need', mod: needDetail, method: 'GET', path: (w) => `/needs/${w.publicNeed}`, params: (w) => ({ id: String(w.publicNeed) }), expect: 200 },
  // Drafts are nobody's business but their owner's, and never public.
  { name: 'draft need', mod: needDetail, method: 'GET', path: (w) => `/needs/${w.draftNeed}`, params: (w) => ({ id: String(w.draftNeed) }), expect: 404 },
  // Published to verified providers only: they and agencies see it, nobody else.
  {
    name: 'restricted need',
    mod: needDetail,
    method: 'GET',
    path: (w) => `/needs/${w.restrictedNeed}`,
    params: (w) => ({ id: String(w.restrictedNeed) }),
    expect: { providerA: 200, providerB: 200, agencyRegion: 200, agencyOther: 200, default: 404 },
  },
  { name: 'healthz', mod: healthz, method: 'GET', path: () => '/healthz', expect: 200 },
  { name: 'regions api', mod: regions, method: 'GET', path: () => '/api/regions?parent=321000', expect: 200 },
  { name: 'lang GET', mod: lang, method: 'GET', path: () => '/lang', expect: 404 },
  { name: 'lang POST', mod: lang, method: 'POST', path: () => '/lang', form: () => ({ lang: 'en', redirectTo: '/' }), expect: 302 },
  { name: 'login page', mod: login, method: 'GET', path: () => '/login', expect: { anonymous: 200, default: 302 } },
  { name: 'register page', mod: register, method: 'GET', path: () => '/register', expect: { anonymous: 200, default: 302 } },
  { name: 'logout GET does nothing', mod: logout, method: 'GET', path: () => '/logout', expect: 302 },
  { name: 'account', mod: account, method: 'GET', path: () => '/account', expect: signedIn(200) },
  { name: 'my org', mod: orgIndex, method: 'GET', path: () => '/org', expect: signedIn(200) },
  { name: 'create org page', mod: orgsNew, method: 'GET', path: () => '/orgs/new', expect: signedIn(200) },
  // Verified organisations have nothing to resubmit: back to /org.
  { name: 'edit org', mod: orgEdit, method: 'GET', path: () => '/org/edit', expect: signedIn(302) },
  { name: 'create invite', mod: orgIndex, method: 'POST', path: () => '/org', form: () => ({ intent: 'createInvite' }), expect: signedIn(200) },
  // Object level: removing B's member while acting for another org finds no such member.
  {
    name: "remove B's member",
    mod: orgIndex,
    method: 'POST',
    path: () => '/org',
    form: (w) => ({ intent: 'removeMember', userId: String(w.memberOfB) }),
    expect: signedIn(404, { enterpriseB: 200 }),
  },
  {
    name: "switch to B's org",
    mod: orgSwitch,
    method: 'POST',
    path: () => '/org/switch',
    form: (w) => ({ orgId: String(w.orgs.enterpriseB) }),
    expect: signedIn(403, { enterpriseB: 302 }),
  },
  { name: 'join page', mod: join, method: 'GET', path: () => '/join', expect: signedIn(200) },
  { name: 'join link', mod: joinByCode, method: 'GET', path: (w) => `/join/${w.inviteCode}`, params: (w) => ({ code: w.inviteCode }), expect: signedIn(200) },
  { name: 'audit queue', mod: auditQueue, method: 'GET', path: () => '/agency/audits', expect: agencyOnly(200) },
  { name: 'audit log', mod: auditLog, method: 'GET', path: () => '/agency/audit-log', expect: agencyOnly(200) },
  {
    name: 'review pending org',
    mod: auditDetail,
    method: 'GET',
    path: (w) => `/agency/audits/${w.pendingOrg}`,
    params: (w) => ({ orgId: String(w.pendingOrg) }),
    expect: { anonymous: 302, agencyRegion: 200, default: 403 },
  },
  {
    name: 'approve pending org',
    mod: auditDetail,
    method: 'POST',
    path: (w) => `/agency/audits/${w.pendingOrgForPost}`,
    params: (w) => ({ orgId: String(w.pendingOrgForPost) }),
    form: () => ({ intent: 'approve' }),
    // agencyRegion runs after agencyOther (ROLES order), so the others meet a pending org.
    expect: { anonymous: 302, agencyRegion: 302, default: 403 },
  },
]

function expectedFor(row: Row, role: Role): number {
  if (typeof row.expect === 'number') return row.expect
  return row.expect[role] ?? row.expect.default ?? 200
}

describe('authorization matrix: every route × method × role', () => {
  it('answers exactly as the table says, with no 5xx', async () => {
    const mismatches: string[] = []
    let crashes = 0
    for (const row of TABLE) {
      for (const role of ROLES) {
        const outcome = await call(row.mod, {
          method: row.method,
          path: row.path(world),
          params: row.params?.(world),
          form: row.form?.(world),
          cookie: world.cookies[role],
        })
        if (outcome.status >= 500) {
          crashes += 1
          console.error(row.name, role, outcome.error)
        }
        const want = expectedFor(row, role)
        if (outcome.status !== want) mismatches.push(`${row.method} ${row.name} as ${role}: got ${outcome.status}, want ${want}`)
      }
    }
    expect(crashes).toBe(0)
    expect(mismatches).toEqual([])
  })

  it('sends anonymous visitors of private pages to sign in, and records denials', async () => {
    const outcome = await call(auditQueue, { path: '/agency/audits' })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/login?redirectTo=%2Fagency%2Faudits')

    const denied = await call(auditQueue, { path: '/agency/audits', cookie: world.cookies.enterpriseA })
    expect(denied.status).toBe(403)
    expect(denied.body).toContain('权限')
    const { db } = services()
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('object_id', '=', '/agency/audits')
      .where('actor_org_id', '=', world.orgs.enterpriseA)
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows[0]!.ip).toBe('203.0.113.7')
  })
})
