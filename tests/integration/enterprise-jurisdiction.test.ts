import { beforeAll, describe, expect, it } from 'vitest'
import * as listRoute from '../../app/routes/agency.enterprises.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { db, parse, person, type Person } from '../support/provider-world.js'

/*
 * /agency/enterprises: the verified enterprises of an agency's jurisdiction with their
 * archive completeness, diagnoses by kind and status and needs; filters (region inside
 * the jurisdiction, 规上 only, diagnosed or not), pages; and the diagnosis coverage box:
 * of the 规上 enterprises in view, how many have a completed diagnosis, by kind.
 * Ningxia (640000) is this file's own province: nothing else writes there.
 */

type Kind = 'chain' | 'factory' | 'workshop' | 'digital_app'
type Status = 'proposed' | 'active' | 'completed' | 'declined' | 'cancelled'

async function enterprise(
  name: string,
  region: string,
  o: { aboveScale?: boolean; status?: 'pending' | 'verified'; filled?: boolean } = {},
) {
  const id = await insertOrg(db(), { kind: 'enterprise', name, region, status: o.status ?? 'verified' })
  if (o.aboveScale !== undefined || o.filled) {
    await db()
      .insertInto('enterprise_profiles')
      .values({
        org_id: id,
        above_scale: o.aboveScale ? 1 : 0,
        size_band: o.filled ? 'medium' : null,
        revenue_band: o.filled ? '10k_40k' : null,
        updated_at: new Date().toISOString(),
      })
      .execute()
  }
  return id
}

let provider = 0
async function diagnosis(enterpriseId: number, kind: Kind, status: Status) {
  const now = new Date().toISOString()
  await db()
    .insertInto('diagnoses')
    .values({
      enterprise_org_id: enterpriseId,
      provider_org_id: provider,
      kind,
      status,
      origin: 'enterprise',
      completed_at: status === 'completed' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

const world = { c1: '', c2: '', other: '', e1: 0, e2: 0, e3: 0, e4: 0 }
let cityAgency: Person
let provinceAgency: Person

const list = (who: Person, query = '') => call(listRoute, { path: `/agency/enterprises${query}`, cookie: who.cookie })

beforeAll(async () => {
  const counties = await db()
    .selectFrom('regions')
    .select('code')
    .where('parent_code', '=', '640100')
    .orderBy('code')
    .limit(2)
    .execute()
  const otherCity = await db()
    .selectFrom('regions')
    .select('code')
    .where('parent_code', '=', '640000')
    .where('code', '<>', '640100')
    .orderBy('code')
    .executeTakeFirstOrThrow()
  world.c1 = counties[0]!.code
  world.c2 = counties[1]!.code
  world.other = otherCity.code
  provider = await insertOrg(db(), { kind: 'provider', region: '320000' })
  cityAgency = await person({ kind: 'agency', region: '640100' })
  provinceAgency = await person({ kind: 'agency', region: '640000' })
  await db().updateTable('organisations').set({ agency_level: 'province' }).where('id', '=', provinceAgency.orgId).execute()

  world.e1 = await enterprise('宁夏甲企业', world.c1, { aboveScale: true, filled: true })
  await diagnosis(world.e1, 'factory', 'completed')
  await diagnosis(world.e1, 'workshop', 'active')
  await insertNeed(db(), world.e1)
  await insertNeed(db(), world.e1, { status: 'draft' })
  world.e2 = await enterprise('宁夏乙企业', world.c1, { aboveScale: true })
  world.e3 = await enterprise('宁夏丙企业', world.c2, { aboveScale: false })
  await diagnosis(world.e3, 'chain', 'completed')
  world.e4 = await enterprise('宁夏丁企业', world.c2, { aboveScale: true })
  await diagnosis(world.e4, 'factory', 'completed')
  await diagnosis(world.e4, 'digital_app', 'completed')
  await diagnosis(world.e4, 'chain', 'cancelled')
  // Not listed: one waiting for its audit; one in another city (the province sees it).
  await enterprise('宁夏待审企业', world.c2, { aboveScale: true, status: 'pending' })
  await enterprise('宁夏外市企业', world.other, { aboveScale: true })
})

describe('/agency/enterprises', () => {
  it('lists the verified enterprises of the jurisdiction with completeness, diagnoses and needs', async () => {
    const outcome = await list(cityAgency)
    expect(outcome.status).toBe(200)
    const { list: page } = parse(outcome)
    expect(page.total).toBe(4)
    expect(page.items.map((e: { id: number }) => e.id).sort()).toEqual([world.e1, world.e2, world.e3, world.e4].sort())
    const e1 = page.items.find((e: { id: number }) => e.id === world.e1)
    expect(e1).toMatchObject({ aboveScale: true, needs: 2, completeness: 25 }) // industry, size, revenue: 3 of 12
    expect(e1.diagnoses).toEqual([
      { kind: 'factory', status: 'completed', count: 1 },
      { kind: 'workshop', status: 'active', count: 1 },
    ])
    const e4 = page.items.find((e: { id: number }) => e.id === world.e4)
    // A cancelled project says nothing of the enterprise.
    expect(e4.diagnoses.map((d: { kind: string }) => d.kind)).toEqual(['factory', 'digital_app'])
    expect(page.regionOptions[0].code).toBe('640100')
  })

  it('counts the diagnosis coverage of the 规上 enterprises, by kind', async () => {
    const { list: page } = parse(await list(cityAgency))
    expect(page.coverage).toEqual({ aboveScale: 3, diagnosed: 2, byKind: { chain: 0, factory: 2, workshop: 0, digital_app: 1 } })
    const { list: province } = parse(await list(provinceAgency))
    expect(province.total).toBe(5)
    expect(province.coverage).toMatchObject({ aboveScale: 4, diagnosed: 2 })
  })

  it('filters: a region inside the jurisdiction, 规上 only, diagnosed or not', async () => {
    const ids = async (query: string) =>
      (parse(await list(cityAgency, query)).list.items as { id: number }[]).map((e) => e.id).sort()
    expect(await ids(`?region=${world.c2}`)).toEqual([world.e3, world.e4].sort())
    expect(parse(await list(cityAgency, `?region=${world.c2}`)).list.coverage).toMatchObject({ aboveScale: 1, diagnosed: 1 })
    expect(await ids('?aboveScale=1')).toEqual([world.e1, world.e2, world.e4].sort())
    expect(await ids('?diagnosed=yes')).toEqual([world.e1, world.e3, world.e4].sort())
    expect(await ids('?diagnosed=no')).toEqual([world.e2])
    expect(await ids('?aboveScale=1&diagnosed=no')).toEqual([world.e2])
    // A region outside the jurisdiction narrows to nothing; nonsense filters read as none.
    const outside = parse(await list(cityAgency, `?region=${world.other}`)).list
    expect(outside).toMatchObject({ total: 0, items: [], coverage: { aboveScale: 0, diagnosed: 0 } })
    expect(parse(await list(cityAgency, '?region=x&diagnosed=maybe&aboveScale=2&page=-1')).list.total).toBe(4)
  })

  it('pages by 20', async () => {
    const city = await db()
      .selectFrom('regions')
      .select('code')
      .where('parent_code', '=', '640000')
      .orderBy('code', 'desc')
      .executeTakeFirstOrThrow()
    const agency = await person({ kind: 'agency', region: city.code })
    for (let i = 0; i < 21; i += 1) await enterprise(`宁夏分页企业${String(i).padStart(2, '0')}`, city.code)
    const first = parse(await list(agency)).list
    expect(first).toMatchObject({ total: 21, page: 1, pageCount: 2 })
    expect(first.items).toHaveLength(20)
    const second = parse(await list(agency, '?page=2')).list
    expect(second.items).toHaveLength(1)
    expect(second.items[0].name).toBe('宁夏分页企业20')
    // Past the last page: the last page.
    expect(parse(await list(agency, '?page=9')).list.page).toBe(2)
  })

  it('is for verified agencies: enterprises, providers and agencies waiting for their audit are refused', async () => {
    const owner = await person({ kind: 'enterprise', region: world.c1 })
    expect((await list(owner)).status).toBe(403)
    expect((await list(await person({ kind: 'provider' }))).status).toBe(403)
    expect((await list(await person({ kind: 'agency', region: '640100', status: 'pending' }))).status).toBe(403)
    expect((await call(listRoute, { path: '/agency/enterprises' })).status).toBe(302)
    // Any confirmed member of the agency reads it (viewers too).
    const viewer = await person({ kind: 'agency', orgId: cityAgency.orgId, role: 'viewer' })
    expect((await list(viewer)).status).toBe(200)
  })
})
