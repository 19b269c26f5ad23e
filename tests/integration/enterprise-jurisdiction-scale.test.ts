import { beforeAll, describe, expect, it } from 'vitest'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import * as listRoute from '../../app/routes/agency.enterprises.js'
import { DIAGNOSIS_KINDS } from '../../db/enums.js'
import { insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { db, parse, person, type Person } from '../support/provider-world.js'

/*
 * /agency/enterprises stays bounded at 10 000+ enterprises: a province agency's list
 * (count, a page of 20, the page's profiles, diagnoses and needs in grouped reads) and
 * the coverage box (aggregates) answer in well under a second, and what they count
 * agrees with counting the rows one by one. 新疆 (650000) is this file's own province.
 */

const ENTERPRISES = 10_500

interface DiagnosisRow {
  enterprise_org_id: number
  provider_org_id: number
  kind: (typeof DIAGNOSIS_KINDS)[number]
  status: 'active' | 'completed'
  origin: 'enterprise'
  created_at: string
  updated_at: string
}
let agency: Person
const truth = { aboveScale: 0, diagnosed: new Set<number>(), byKind: new Map<string, Set<number>>() }

beforeAll(async () => {
  const counties = (await db().selectFrom('regions').select(['code', 'level']).where('code', 'like', '65%').execute())
    .filter((r) => r.level === 'county')
    .map((r) => r.code)
  expect(counties.length).toBeGreaterThan(10)
  let seed = 20261203
  const rand = () => {
    seed = (seed * 48271) % 2147483647
    return seed / 2147483647
  }
  const now = new Date().toISOString()
  const usccs = new Set<string>()
  for (let start = 0; start < ENTERPRISES; start += 500) {
    const rows = []
    for (let i = start; i < Math.min(start + 500, ENTERPRISES); i += 1) {
      const region = counties[i % counties.length]!
      let uscc = generateUscc(rand, region)
      while (usccs.has(uscc)) uscc = generateUscc(rand, region)
      usccs.add(uscc)
      rows.push({
        kind: 'enterprise' as const,
        name: `新疆规模测试企业${String(i).padStart(5, '0')}`,
        region_code: region,
        uscc,
        status: 'verified' as const,
        industry_code: 'C34',
        provider_kinds: '[]',
        created_at: now,
      })
    }
    const ids = (await db().insertInto('organisations').values(rows).returning('id').execute()).map((r) => r.id)
    const profiles = ids
      .filter((_, k) => k % 3 !== 2)
      .map((id, k): { org_id: number; above_scale: 0 | 1; size_band: 'medium'; updated_at: string } => ({
        org_id: id,
        above_scale: k % 2 === 0 ? 1 : 0,
        size_band: 'medium' as const,
        updated_at: now,
      }))
    await db().insertInto('enterprise_profiles').values(profiles).execute()
    const above = new Set(profiles.filter((p) => p.above_scale === 1).map((p) => p.org_id))
    truth.aboveScale += above.size
    const provider = await insertOrg(db(), { kind: 'provider', region: '650100' })
    const diagnoses = ids
      .filter((_, k) => k % 5 === 0)
      .map((id, k): DiagnosisRow => ({
        enterprise_org_id: id,
        provider_org_id: provider,
        kind: DIAGNOSIS_KINDS[k % DIAGNOSIS_KINDS.length]!,
        status: k % 4 === 3 ? 'active' : 'completed',
        origin: 'enterprise' as const,
        created_at: now,
        updated_at: now,
      }))
    await db().insertInto('diagnoses').values(diagnoses).execute()
    for (const d of diagnoses) {
      if (d.status !== 'completed' || !above.has(d.enterprise_org_id)) continue
      truth.diagnosed.add(d.enterprise_org_id)
      const set = truth.byKind.get(d.kind) ?? new Set<number>()
      set.add(d.enterprise_org_id)
      truth.byKind.set(d.kind, set)
    }
  }
  agency = await person({ kind: 'agency', region: '650000' })
  await db().updateTable('organisations').set({ agency_level: 'province' }).where('id', '=', agency.orgId).execute()
}, 120_000)

async function timed(query: string) {
  const started = performance.now()
  const outcome = await call(listRoute, { path: `/agency/enterprises${query}`, cookie: agency.cookie })
  return { ms: performance.now() - started, outcome }
}

describe('/agency/enterprises at 10 000+ enterprises', () => {
  it('counts the coverage exactly', async () => {
    const { outcome } = await timed('')
    expect(outcome.status).toBe(200)
    const { list } = parse(outcome)
    expect(list.total).toBe(ENTERPRISES)
    expect(list.items).toHaveLength(20)
    expect(list.coverage.aboveScale).toBe(truth.aboveScale)
    expect(list.coverage.diagnosed).toBe(truth.diagnosed.size)
    for (const kind of DIAGNOSIS_KINDS) expect(list.coverage.byKind[kind]).toBe(truth.byKind.get(kind)?.size ?? 0)
  })

  it('answers a province, a filtered view and a deep page in well under a second', async () => {
    for (const query of ['', '?aboveScale=1', '?diagnosed=no', '?aboveScale=1&diagnosed=yes&page=100', '?page=525']) {
      await timed(query) // warm
      const runs = [await timed(query), await timed(query), await timed(query)].map((r) => r.ms).sort((a, b) => a - b)
      const median = runs[1]!
      if (process.env.SHOW_TIMINGS) console.log(`${query || '(all)'}: median ${median.toFixed(1)} ms`)
      // Measured 30–115 ms (SQLite) and 35–85 ms (PostgreSQL) on the development machine (SHOW_TIMINGS=1 prints them); the bound leaves room for a slow CI.
      expect(median, query).toBeLessThan(800)
    }
  }, 60_000)
})
