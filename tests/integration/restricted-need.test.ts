import { beforeAll, describe, expect, it } from 'vitest'
import * as needDetail from '../../app/routes/needs.$id.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

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
