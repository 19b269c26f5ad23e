import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as needDetail from '../../app/routes/needs.$id.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'
import { startServer, type TestServer } from '../support/server.js'

/*
 * A need published to verified providers only, opened by someone who may not see it:
 * a 403 whose answer is the reason for this viewer (a catalogue key the page turns into
 * 登录后查看 / 仅向认证服务商公开 with the next step), and nothing of the need. Drafts,
 * withdrawn and expired needs, needs of organisations not verified, unknown and
 * malformed ids stay 404 for everyone.
 */

const db = () => services().db
const TITLE = '仅认证服务商可见的产线改造需求'
const ORG_NAME = '扬州受限需求测试企业有限公司'
const ids: Record<string, number> = {}

type Kind = 'enterprise' | 'provider' | 'agency'

async function viewer(
  kind: Kind | null,
  o: {
    status?: 'verified' | 'pending' | 'rejected'
    role?: 'owner' | 'member' | 'viewer'
    membership?: 'active' | 'pending'
  } = {},
) {
  const user = await insertUser(db())
  if (!kind) return (await signIn(db(), user.id, null)).cookie
  const org = await insertOrg(db(), {
    kind,
    status: o.status ?? 'verified',
    region: kind === 'agency' ? '321000' : '321002',
    agencyLevel: 'city',
  })
  await addMember(db(), user.id, org, o.role ?? 'owner', o.membership ?? 'active')
  return (await signIn(db(), user.id, org)).cookie
}

const open = (id: number | string, cookie: string | null = null) =>
  call(needDetail, { path: `/needs/${id}`, params: { id: String(id) }, cookie })

beforeAll(async () => {
  const org = await insertOrg(db(), { name: ORG_NAME, region: '321023' })
  const pendingOrg = await insertOrg(db(), { region: '321023', status: 'pending' })
  const restricted = { visibility: 'verified_providers' as const, title: TITLE }
  ids.restricted = await insertNeed(db(), org, restricted)
  ids.shortlisting = await insertNeed(db(), org, { ...restricted, status: 'shortlisting' })
  ids.draft = await insertNeed(db(), org, { ...restricted, status: 'draft' })
  ids.withdrawn = await insertNeed(db(), org, { ...restricted, status: 'withdrawn' })
  ids.expired = await insertNeed(db(), org, { ...restricted, status: 'expired' })
  ids.ofPendingOrg = await insertNeed(db(), pendingOrg, restricted)
})

describe('a need for verified providers only', () => {
  it('is refused to each kind of viewer that may not see it, with the reason for that viewer and nothing of the need', async () => {
    const cases: [string, string | null, string][] = [
      ['visitor', null, 'need.e.restricted.signIn'],
      ['signed in, in no organisation', await viewer(null), 'need.e.restricted.noOrg'],
      ['verified enterprise owner', await viewer('enterprise'), 'need.e.restricted.providersOnly'],
      ['verified enterprise member', await viewer('enterprise', { role: 'member' }), 'need.e.restricted.providersOnly'],
      ['pending enterprise', await viewer('enterprise', { status: 'pending' }), 'need.e.restricted.providersOnly'],
      ['pending provider', await viewer('provider', { status: 'pending' }), 'need.e.restricted.providerUnverified'],
      ['rejected provider', await viewer('provider', { status: 'rejected' }), 'need.e.restricted.providerUnverified'],
      [
        'agency member awaiting confirmation',
        await viewer('agency', { role: 'viewer', membership: 'pending' }),
        'need.e.restricted.membershipPending',
      ],
    ]
    for (const [who, cookie, reason] of cases) {
      for (const id of [ids.restricted!, ids.shortlisting!]) {
        const outcome = await open(id, cookie)
        expect(outcome.status, who).toBe(403)
        // The answer is the reason's key alone: no title, no organisation, no facts.
        expect(outcome.body, who).toBe(reason)
        expect(outcome.body).not.toContain(TITLE)
        expect(outcome.body).not.toContain(ORG_NAME)
      }
    }
  })

  it('is shown to verified providers (owner or member) and to agencies, whatever their role', async () => {
    for (const cookie of [
      await viewer('provider'),
      await viewer('provider', { role: 'member' }),
      await viewer('agency'),
      await viewer('agency', { role: 'viewer' }),
    ]) {
      const outcome = await open(ids.restricted!, cookie)
      expect(outcome.status).toBe(200)
      expect(JSON.parse(outcome.body).need).toMatchObject({ title: TITLE, orgName: ORG_NAME })
    }
  })

  it('stays a 404 for everyone when it is a draft, withdrawn, expired, of an organisation not verified, unknown or malformed', async () => {
    const viewers = [null, await viewer('enterprise'), await viewer('provider', { status: 'pending' }), await viewer('provider')]
    for (const cookie of viewers) {
      for (const id of [ids.draft!, ids.withdrawn!, ids.expired!, ids.ofPendingOrg!, 99999999, '0x10', '007']) {
        const outcome = await open(id, cookie)
        expect(outcome.status, `${id}`).toBe(404)
        expect(outcome.body).not.toContain(TITLE)
      }
    }
  })

  it('records the refusal as a denial of the permission, counted per viewer and page', async () => {
    const cookie = await viewer('enterprise')
    await open(ids.restricted!, cookie)
    const rows = await db()
      .selectFrom('audit_log')
      .select(['detail', 'object_type'])
      .where('action', '=', 'access.denied')
      .where('object_id', '=', `/needs/${ids.restricted}`)
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.object_type === 'route')).toBe(true)
    expect(rows.map((r) => JSON.parse(r.detail).permission)).toContain('read:need-restricted:role')
  })
})

describe('the page a refused viewer gets (server-rendered)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  }, 180_000)
  afterAll(() => server?.close())

  const page = async (id: number, cookie: string | null = null) => {
    const response = await fetch(`${server.origin}/needs/${id}`, {
      headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) },
    })
    return { status: response.status, html: await response.text() }
  }
  const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]

  it('asks a visitor to sign in and come back, and shows nothing of the need', async () => {
    const { status, html } = await page(ids.restricted!)
    expect(status).toBe(403)
    expect(title(html)).toBe('登录后查看 · 对接')
    expect(html).toContain('仅向通过入驻审核的服务商公开')
    expect(html).toContain(`href="/login?redirectTo=%2Fneeds%2F${ids.restricted}"`)
    expect(html).not.toContain(TITLE)
    expect(html).not.toContain(ORG_NAME)
  })

  it('tells an enterprise the need is for verified providers only, and where to go', async () => {
    const { status, html } = await page(ids.restricted!, await viewer('enterprise'))
    expect(status).toBe(403)
    expect(title(html)).toBe('仅向认证服务商公开 · 对接')
    expect(html).toContain('您当前代表的组织不是服务商')
    expect(html).toContain('href="/org"')
    expect(html).not.toContain('/login?redirectTo')
    expect(html).not.toContain(TITLE)
    expect(html).not.toContain(ORG_NAME)
  })

  it('still shows the 404 page for a draft, and the need itself to a verified provider', async () => {
    const draft = await page(ids.draft!)
    expect(draft.status).toBe(404)
    expect(title(draft.html)).toBe('页面不存在 · 对接')
    expect(draft.html).not.toContain(TITLE)
    const shown = await page(ids.restricted!, await viewer('provider'))
    expect(shown.status).toBe(200)
    expect(shown.html).toContain(TITLE)
  })
})
