import type { Insertable } from 'kysely'
import type { Database } from '../../db/connection.js'
import type { DB } from '../../db/types.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { randomUscc } from '../support/factories.js'
import { testDialect } from '../support/test-db.js'

/*
 * Verified providers at scale for capability-map-scale.test.ts: profiles, served
 * industries, scenarios and regions (10 % nationwide, 20 % a province, else one to
 * three cities, now and then a county), qualifications and about four cases each
 * (15 % verified), deterministic.
 */

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = [
  '视觉检测',
  '设备联网',
  'MES',
  '数字孪生',
  '能耗监测',
  '智能仓储',
  '预测性维护',
  '焊装',
  '冲压',
  '质量追溯',
  'AGV',
  '排产',
]

async function insertMany<T extends keyof DB>(db: Database, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 400))
      .execute()
  }
}

/** `count` verified providers with profiles, served lists, qualifications and cases (about 4 a provider, 15 % verified). */
export async function seedProviders(db: Database, count: number): Promise<void> {
  const ref = await getReferenceData(db)
  const rnd = random(42)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!
  const some = <T>(list: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(rnd() * (max - min + 1))
    return [...new Set(Array.from({ length: n }, () => pick(list)))]
  }
  const industries = ref.industries.map((i) => i.code)
  const scenarios = ref.scenarios.map((s) => s.code)
  const provinces = ref.provinces.map((p) => p.code)
  const citiesOf = (p: string) => (ref.childrenByCode.get(p) ?? []).map((c) => c.code)
  const focus = ['320000', '330000', '620000']
  const now = new Date().toISOString()

  const first = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  let orgId = Number(first?.id ?? 0)
  const caseStart = await db
    .selectFrom('provider_cases')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  let caseId = Number(caseStart?.id ?? 0)
  const orgs: Insertable<DB['organisations']>[] = []
  const usccs = new Set<string>()
  const profiles: Insertable<DB['provider_profiles']>[] = []
  const pi: Insertable<DB['provider_industries']>[] = []
  const ps: Insertable<DB['provider_scenarios']>[] = []
  const pr: Insertable<DB['provider_regions']>[] = []
  const quals: Insertable<DB['provider_qualifications']>[] = []
  const cases: Insertable<DB['provider_cases']>[] = []
  const caseScenarios: Insertable<DB['case_scenarios']>[] = []
  for (let n = 0; n < count; n++) {
    orgId += 1
    const province = rnd() < 0.7 ? pick(focus) : pick(provinces)
    const cities = citiesOf(province)
    const seat = cities.length > 0 ? pick(cities) : province
    let uscc = randomUscc(seat)
    while (usccs.has(uscc)) uscc = randomUscc(seat)
    usccs.add(uscc)
    orgs.push({
      id: orgId,
      kind: 'provider',
      name: `规模测试服务商${n}号${pick(WORDS)}有限公司`,
      region_code: seat,
      uscc,
      status: 'verified',
      provider_kinds: JSON.stringify(some(['equipment', 'it_engineering', 'integrator', 'consultancy', 'supervisor'], 1, 2)),
      description: `提供${some(WORDS, 2, 4).join('、')}等服务。`,
      created_at: now,
      submitted_at: now,
      updated_at: now,
    })
    const roll = rnd()
    const nationwide = roll < 0.1
    profiles.push({
      org_id: orgId,
      team_size: 5 + Math.floor(rnd() * 300),
      founded_year: 2000 + Math.floor(rnd() * 24),
      nationwide: nationwide ? 1 : 0,
      updated_at: now,
    })
    if (!nationwide) {
      const served = roll < 0.3 ? [province] : some(cities.length > 0 ? cities : [province], 1, 3)
      if (roll > 0.9) {
        const counties = (ref.childrenByCode.get(served[0]!) ?? []).map((c) => c.code)
        if (counties.length > 0) served.push(pick(counties))
      }
      for (const code of new Set(served)) pr.push({ org_id: orgId, region_code: code })
    }
    const own = some(industries, 1, 5)
    for (const code of own) pi.push({ org_id: orgId, industry_code: code })
    for (const code of some(scenarios, 2, 8)) ps.push({ org_id: orgId, scenario_code: code })
    for (const name of some(['省级智能制造服务商', '两化融合管理体系贯标', 'ISO 9001 质量管理体系', '高新技术企业'], 0, 2)) {
      quals.push({ org_id: orgId, name, valid_until: rnd() < 0.2 ? '2020-01-01' : null, created_at: now })
    }
    const caseCount = Math.floor(rnd() * 9)
    for (let c = 0; c < caseCount; c++) {
      caseId += 1
      const verified = rnd() < 0.15
      cases.push({
        id: caseId,
        org_id: orgId,
        title: `${pick(WORDS)}改造项目第${c + 1}期`,
        client_name: '某制造企业',
        client_anonymised: 1,
        industry_code: rnd() < 0.8 ? pick(own) : pick(industries),
        year: 2018 + Math.floor(rnd() * 8),
        summary: `实施${some(WORDS, 1, 3).join('、')}，效果显著。`,
        verified_contract_id: verified ? 1 : null,
        verified_at: verified ? now : null,
        created_at: now,
        updated_at: now,
      })
      for (const code of some(scenarios, 1, 3)) caseScenarios.push({ case_id: caseId, scenario_code: code })
    }
  }
  await insertMany(db, 'organisations', orgs)
  await insertMany(db, 'provider_profiles', profiles)
  await insertMany(db, 'provider_industries', pi)
  await insertMany(db, 'provider_scenarios', ps)
  await insertMany(db, 'provider_regions', pr)
  await insertMany(db, 'provider_qualifications', quals)
  await insertMany(db, 'provider_cases', cases)
  await insertMany(db, 'case_scenarios', caseScenarios)
  if (testDialect === 'postgres') {
    // Ids were given explicitly: move the identity sequences past them.
    const { sql } = await import('kysely')
    for (const table of ['organisations', 'provider_cases']) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db)
    }
  }
  console.log(
    `seeded ${count} providers: ${pi.length} industries, ${ps.length} scenarios, ${pr.length} regions, ${cases.length} cases, ${caseScenarios.length} case scenarios`,
  )
}
