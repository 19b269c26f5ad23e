import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isValidUscc } from '~/domain/orgs/uscc'
import { DEMO_AGENCIES, LEVEL_BUDGET_WAN, demoCounts, segmentOf } from '../../seed/demo'
import { generateDemo, resetDemoData, type GenerateDemoResult } from '../../seed/demo-writer'
import { all as allOf, one as oneOf, onPostgres, openTestDb } from '../support/test-db'

const NEEDS = 3000
const { db, sqlite, close } = openTestDb()
let result: GenerateDemoResult
const progress: [number, number][] = []

beforeAll(async () => {
  result = await generateDemo(db, sqlite, { needs: NEEDS, seed: 7, onProgress: (d, t) => progress.push([d, t]) })
})
afterAll(async () => {
  await close()
})

const all = <T>(query: string, ...params: unknown[]) => allOf<T>(db, query, ...params)
const one = <T>(query: string, ...params: unknown[]) => oneOf<T>(db, query, ...params)

describe('generateDemo', () => {
  it('creates the scaled number of organisations and needs', async () => {
    const counts = demoCounts(NEEDS)
    expect(result.needs).toBe(NEEDS)
    expect(result.enterprises).toHaveLength(counts.enterprises)
    expect(result.providers).toHaveLength(counts.providers)
    expect(result.agencies).toHaveLength(DEMO_AGENCIES.length)
    expect(result.organisations).toBe(counts.enterprises + counts.providers + DEMO_AGENCIES.length)
    expect(result.records).toHaveLength(result.organisations)
    const byKind = await all<{ kind: string; n: number }>(
      'select kind, count(*) n from organisations group by kind order by kind',
    )
    expect(byKind).toEqual([
      { kind: 'agency', n: DEMO_AGENCIES.length },
      { kind: 'enterprise', n: counts.enterprises },
      { kind: 'provider', n: counts.providers },
    ])
    expect((await one<{ n: number }>('select count(*) n from needs')).n).toBe(NEEDS)
    const ns = (await one<{ n: number }>('select count(*) n from need_scenarios')).n
    expect(ns).toBeGreaterThanOrEqual(NEEDS)
    expect(ns).toBeLessThanOrEqual(3 * NEEDS)
  })

  it('reports progress up to the total', async () => {
    expect(progress.at(-1)).toEqual([NEEDS, NEEDS])
    for (let i = 1; i < progress.length; i++) expect(progress[i]?.[0]).toBeGreaterThanOrEqual(progress[i - 1]?.[0] ?? 0)
  })

  it('writes nothing to the search outbox', async () => {
    expect((await one<{ n: number }>('select count(*) n from search_outbox')).n).toBe(0)
  })

  it('creates the seed documents’ agencies at province, city and county level', async () => {
    const agencies = await all<{ name: string; region_code: string }>(
      "select name, region_code from organisations where kind = 'agency'",
    )
    const codes = new Set(agencies.map((a) => a.region_code))
    for (const code of [
      '620000',
      '620100',
      '620171',
      '320000',
      '321000',
      '321023',
      '321084',
      '321081',
      '321012',
      '321003',
      '321002',
      '330000',
    ]) {
      expect(codes.has(code), code).toBe(true)
    }
    expect(agencies.find((a) => a.region_code === '321023')?.name).toBe('宝应县工业和信息化局')
    expect(agencies.filter((a) => a.region_code.startsWith('33') && a.region_code !== '330000').length).toBeGreaterThanOrEqual(2)
  })

  it('gives every organisation a unique name and a valid, unique USCC matching its region', async () => {
    const names = (await all<{ name: string }>('select name from organisations')).map((r) => r.name)
    expect(new Set(names).size).toBe(names.length)
    const usccs = new Set<string>()
    for (const r of result.records) {
      expect(isValidUscc(r.uscc), `${r.name} ${r.uscc}`).toBe(true)
      usccs.add(r.uscc)
      expect(r.uscc.slice(0, 2)).toBe(r.kind === 'agency' ? '11' : '91')
      const region = /^\d{6}$/.test(r.regionCode) ? r.regionCode : r.regionCode.slice(0, 4) + '00'
      expect(r.uscc.slice(2, 8), r.name).toBe(region)
      expect(r.id).toBeGreaterThan(0)
    }
    expect(usccs.size).toBe(result.records.length)
    for (const r of result.records.filter((o) => o.kind === 'enterprise')) {
      expect(r.name).toMatch(/(有限公司|有限责任公司)$/)
      expect(r.industryCode).toMatch(/^C\d{2}$/)
      // The name's business word comes from the enterprise's own sub-sector.
      const words = segmentOf(r.industryCode ?? '', r.industrySegment ?? 0).nameWords
      expect(
        words.some((w) => r.name.includes(w)),
        r.name,
      ).toBe(true)
    }
    for (const r of result.records.filter((o) => o.kind === 'provider')) {
      expect(r.providerKinds.length).toBeGreaterThanOrEqual(1)
      expect(new Set(r.providerKinds).size).toBe(r.providerKinds.length)
    }
    for (const r of result.records.filter((o) => o.kind === 'agency')) {
      expect(r.agencyLevel).not.toBeNull()
      expect(r.status).toBe('verified')
    }
    for (const r of result.records) {
      expect(r.status === 'rejected').toBe(r.rejectionReason !== null)
      expect(r.status === 'pending').toBe(r.reviewedAt === null)
    }
  })

  it('stores the record fields in whichever organisation columns the schema has', async () => {
    const columns = new Set(
      (
        await all<{ name: string }>(
          onPostgres
            ? "select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = 'organisations'"
            : "select name from pragma_table_info('organisations')",
        )
      ).map((c) => c.name),
    )
    const rows = new Map(
      (await all<Record<string, unknown> & { id: number }>('select * from organisations')).map((r) => [r.id, r]),
    )
    const expected: Record<string, (o: (typeof result.records)[number]) => unknown> = {
      name: (o) => o.name,
      kind: (o) => o.kind,
      region_code: (o) => o.regionCode,
      created_at: (o) => o.createdAt,
      uscc: (o) => o.uscc,
      status: (o) => o.status,
      industry_code: (o) => o.industryCode,
      agency_level: (o) => o.agencyLevel,
      provider_kinds: (o) => JSON.stringify(o.providerKinds),
      rejection_reason: (o) => o.rejectionReason,
    }
    for (const o of result.records) {
      const row = rows.get(o.id)
      for (const [column, value] of Object.entries(expected))
        if (columns.has(column)) {
          // JSON columns: PostgreSQL's jsonb prints its own spacing, so compare what they hold.
          const stored = column === 'provider_kinds' ? JSON.parse(String(row?.[column])) : row?.[column]
          expect(stored, column).toEqual(column === 'provider_kinds' ? o.providerKinds : value(o))
        }
    }
  })

  it('places enterprises in county-level regions of the seed provinces, weighted to Yangzhou and Gansu', async () => {
    const rows = await all<{ region_code: string; level: string; children: number }>(
      `select o.region_code, r.level, (select count(*) from regions c where c.parent_code = r.code) children
       from organisations o join regions r on r.code = o.region_code where o.kind = 'enterprise'`,
    )
    const share = (p: (c: string) => boolean) => rows.filter((r) => p(r.region_code)).length / rows.length
    expect(share((c) => /^(62|32|33)/.test(c))).toBe(1)
    expect(rows.every((r) => r.children === 0 && r.level !== 'province')).toBe(true)
    expect(share((c) => c.startsWith('3210'))).toBeGreaterThan(0.25)
    expect(share((c) => c.startsWith('62'))).toBeGreaterThan(0.15)
    expect(share((c) => c.startsWith('33'))).toBeGreaterThan(0.1)
    expect(share((c) => c.startsWith('32') && !c.startsWith('3210'))).toBeGreaterThan(0.1)
  })

  it('ties every need to an enterprise, with the enterprise’s industry and region', async () => {
    const records = new Map(result.records.map((r) => [r.id, r]))
    const needs = await all<{
      id: number
      org_id: number
      industry_code: string
      region_code: string
      kind: string
      org_region: string
    }>(
      `select n.id, n.org_id, n.industry_code, n.region_code, o.kind, o.region_code org_region
       from needs n join organisations o on o.id = n.org_id`,
    )
    expect(needs).toHaveLength(NEEDS)
    for (const n of needs) {
      expect(n.kind).toBe('enterprise')
      expect(records.get(n.org_id)?.status).toBe('verified')
      expect(n.region_code).toBe(n.org_region)
      expect(n.industry_code).toBe(records.get(n.org_id)?.industryCode)
    }
    // Some enterprises publish several needs.
    const perOrg = await all<{ n: number }>('select count(*) n from needs group by org_id order by n desc')
    expect(perOrg[0]?.n).toBeGreaterThan(3)
  })

  it('keeps budgets inside the level ranges', async () => {
    for (const [level, [lo, hi]] of Object.entries(LEVEL_BUDGET_WAN)) {
      const bad = await one<{ n: number }>(
        // SQLite's columns take any type: the budgets must have been written as integers (PostgreSQL's are integer columns).
        `select count(*) n from needs where target_level = ? and (budget_min_wan < ? or budget_max_wan > ? or budget_max_wan < budget_min_wan
           ${onPostgres ? '' : "or typeof(budget_min_wan) != 'integer' or typeof(budget_max_wan) != 'integer'"})`,
        level,
        lo,
        hi,
      )
      expect(bad.n, level).toBe(0)
    }
    expect((await one<{ n: number }>('select count(*) n from needs where duration_months not between 3 and 24')).n).toBe(0)
  })

  it('gives every need 1–3 scenarios', async () => {
    const counts = await all<{ n: number }>(
      'select (select count(*) from need_scenarios s where s.need_id = n.id) n from needs n',
    )
    expect(counts.every((c) => c.n >= 1 && c.n <= 3)).toBe(true)
    expect((await one<{ n: number }>('select count(distinct scenario_code) n from need_scenarios')).n).toBeGreaterThanOrEqual(20)
  })

  it('mixes statuses as specified and sets published_at for every non-draft', async () => {
    const rows = await all<{ status: string; n: number }>('select status, count(*) n from needs group by status')
    const share = new Map(rows.map((r) => [r.status, r.n / NEEDS]))
    expect(share.get('published')).toBeGreaterThan(0.65)
    expect(share.get('published')).toBeLessThan(0.75)
    for (const s of ['shortlisting', 'awarded', 'contracted', 'closed', 'draft', 'withdrawn', 'expired']) {
      expect(share.get(s), s).toBeGreaterThan(0.01)
    }
    expect((await one<{ n: number }>("select count(*) n from needs where (status = 'draft') != (published_at is null)")).n).toBe(
      0,
    )
    const vis = (await one<{ n: number }>("select count(*) n from needs where visibility = 'verified_providers'")).n / NEEDS
    expect(vis).toBeGreaterThan(0.05)
    expect(vis).toBeLessThan(0.3)
  })

  it('assigns ids in creation order, all before now', async () => {
    const rows = await all<{ created_at: string; updated_at: string }>('select created_at, updated_at from needs order by id')
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.created_at >= rows[i - 1]!.created_at).toBe(true)
    expect(rows.every((r) => r.created_at <= '2026-11-01T00:00:00.000Z' && r.updated_at <= '2026-11-01T00:00:00.000Z')).toBe(true)
  })

  it('creates organisations before their needs', async () => {
    const bad = await one<{ n: number }>(
      'select count(*) n from needs n join organisations o on o.id = n.org_id where o.created_at > n.created_at',
    )
    expect(bad.n).toBe(0)
  })

  it('resetDemoData empties the tables and a re-run with the same seed reproduces the same ids and rows', async () => {
    const before = await all<Record<string, unknown>>('select * from needs order by id')
    const beforeOrgs = await all<Record<string, unknown>>('select * from organisations order by id')
    await db
      .insertInto('search_outbox')
      .values({ entity_type: 'need', entity_id: 1, created_at: '2026-11-01T00:00:00.000Z' })
      .execute()
    await resetDemoData(db)
    for (const t of ['needs', 'need_scenarios', 'organisations', 'search_outbox']) {
      expect((await one<{ n: number }>(`select count(*) n from ${t}`)).n, t).toBe(0)
    }
    expect((await one<{ n: number }>('select count(*) n from regions')).n).toBeGreaterThan(3000)
    await generateDemo(db, sqlite, { needs: NEEDS, seed: 7 })
    expect(await all<Record<string, unknown>>('select * from organisations order by id')).toEqual(beforeOrgs)
    expect(await all<Record<string, unknown>>('select * from needs order by id')).toEqual(before)
  })
})
