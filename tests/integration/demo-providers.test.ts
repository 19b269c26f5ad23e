import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZCaseInput, ZProviderProfileInput, ZQualificationInput } from '../../app/domain/providers/schema.js'
import { ZTemplateInput, milestoneField } from '../../app/domain/providers/template-schema.js'
import { assertMilestoneSum } from '../../app/domain/providers/templates.server.js'
import { generateDemo, type GenerateDemoResult } from '../../seed/demo-writer.js'
import { all, openTestDb } from '../support/test-db.js'

/*
 * Issue 11, item 9: the demo providers have realistic profiles, qualifications (a few
 * expired), cases with measured results and contract templates, official ones from
 * agencies and providers' own derived from them; and every one of them passes the
 * rules of the forms that make them in the app.
 */

const { db, sqlite, close } = openTestDb()
let result: GenerateDemoResult
beforeAll(async () => {
  result = await generateDemo(db, sqlite, { needs: 100, providers: 40, seed: 3, accounts: false })
}, 60_000)
afterAll(async () => {
  await close()
})

type Row = Record<string, unknown>
const q = (text: string, ...params: unknown[]) => all<Row>(db, text, ...params)
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '')

/** The raw fields a form would send, as parseForm hands them to the schema (lists for `name[]`). */
function parse<T>(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] }; data?: T } }, raw: object) {
  const r = schema.safeParse(raw)
  expect(r.success, `${JSON.stringify(raw).slice(0, 300)} → ${JSON.stringify(r.error?.issues)}`).toBe(true)
  return r.data as T
}

describe('demo providers', () => {
  it('writes profiles, qualifications, cases and templates for the requested number of providers', () => {
    expect(result.providers).toHaveLength(40)
    expect(result.providerData.profiles).toBeGreaterThan(30)
    expect(result.providerData.cases).toBeGreaterThan(40)
    expect(result.providerData.metrics).toBeGreaterThanOrEqual(result.providerData.cases)
    expect(result.providerData.templates).toBeGreaterThan(5)
  })

  it('gives every verified provider a profile that passes the profile form', async () => {
    const missing = await q(`select o.id from organisations o left join provider_profiles p on p.org_id = o.id
                               where o.kind = 'provider' and o.status = 'verified' and p.org_id is null`)
    expect(missing).toEqual([])
    const profiles = await q('select * from provider_profiles order by org_id')
    const served = await q(`select org_id, 'industries[]' k, industry_code c from provider_industries
                            union all select org_id, 'scenarios[]', scenario_code from provider_scenarios
                            union all select org_id, 'regions[]', region_code from provider_regions`)
    let nationwide = 0
    for (const p of profiles) {
      const lists = (k: string) => served.filter((s) => s.org_id === p.org_id && s.k === k).map((s) => text(s.c))
      const nation = Number(p.nationwide) === 1
      if (nation) nationwide += 1
      else expect(lists('regions[]').length).toBeGreaterThan(0)
      parse(ZProviderProfileInput, {
        revision: '1',
        teamSize: text(p.team_size),
        foundedYear: text(p.founded_year),
        siteUrl: text(p.website),
        'industries[]': lists('industries[]'),
        'scenarios[]': lists('scenarios[]'),
        'regions[]': lists('regions[]'),
        ...(nation ? { nationwide: 'on' } : {}),
      })
      expect(lists('industries[]').length).toBeGreaterThan(0)
      expect(lists('scenarios[]').length).toBeGreaterThanOrEqual(3)
    }
    expect(nationwide).toBeGreaterThan(0)
    expect(nationwide).toBeLessThan(profiles.length)
    // The seeds' places: many serve 江苏/扬州, 甘肃, 浙江.
    const regions = served.filter((s) => s.k === 'regions[]').map((s) => text(s.c))
    for (const prefix of ['32', '62', '33'])
      expect(
        regions.some((r) => r.startsWith(prefix)),
        prefix,
      ).toBe(true)
  })

  it('has qualifications with issuers and validity, most current and a few expired', async () => {
    const rows = await q('select * from provider_qualifications order by id')
    expect(rows.length).toBeGreaterThan(20)
    for (const r of rows) {
      parse(ZQualificationInput, {
        name: text(r.name),
        issuer: text(r.issuer),
        certificateNo: text(r.certificate_no),
        validFrom: text(r.valid_from),
        validUntil: text(r.valid_until),
      })
    }
    const now = '2026-11-01'
    const expired = rows.filter((r) => r.valid_until !== null && text(r.valid_until) < now).length
    expect(expired).toBeGreaterThan(0)
    expect(expired).toBeLessThan(rows.length / 3)
    expect(rows.some((r) => r.name === '省级智能制造服务商')).toBe(true)
  })

  it('has cases with scenarios and measured results that pass the case form', async () => {
    const cases = await q('select * from provider_cases order by id')
    const scenarios = await q('select case_id, scenario_code from case_scenarios')
    const metrics = await q('select * from case_metrics order by case_id, seq')
    for (const c of cases) {
      const own = metrics.filter((m) => m.case_id === c.id)
      expect(own.length, text(c.title)).toBeGreaterThan(0)
      const anonymised = Number(c.client_anonymised) === 1
      parse(ZCaseInput, {
        title: text(c.title),
        ...(anonymised ? { anonymised: 'on', clientAlias: text(c.client_name) } : { clientName: text(c.client_name) }),
        industry: text(c.industry_code),
        'scenarios[]': scenarios.filter((s) => s.case_id === c.id).map((s) => text(s.scenario_code)),
        investmentWan: text(c.investment_wan),
        year: text(c.year),
        region: text(c.region_code),
        summary: text(c.summary),
        ...Object.fromEntries(
          own.flatMap((m, i) => [
            [`metrics[${i}].name`, text(m.name)],
            [`metrics[${i}].before`, text(m.before_value)],
            [`metrics[${i}].after`, text(m.after_value)],
            [`metrics[${i}].unit`, text(m.unit)],
          ]),
        ),
      })
      if (anonymised) expect(text(c.client_name)).toMatch(/某.+企业$/)
    }
    // 不良品率 2.1 % → 0.6 %: a reduction has a before above its after.
    const defects = metrics.filter((m) => m.name === '不良品率')
    for (const m of defects) expect(Number(m.after_value)).toBeLessThan(Number(m.before_value))
  })

  it('has official templates from agencies and providers’ templates derived from them, milestones summing to 100', async () => {
    const templates =
      await q(`select t.*, o.kind, v.*, b.template_id as base_template, bo.kind as base_kind, bt.is_official as base_official
                                 from contract_templates t join organisations o on o.id = t.org_id
                                 join contract_template_versions v on v.template_id = t.id
                                 left join contract_template_versions b on b.id = v.derived_from_version_id
                                 left join contract_templates bt on bt.id = b.template_id
                                 left join organisations bo on bo.id = bt.org_id order by t.id`)
    const scenarios = await q('select template_id, scenario_code from contract_template_scenarios')
    const official = templates.filter((t) => Number(t.is_official) === 1)
    expect(official.map((t) => t.title)).toContain('扬州市智能化改造标准合同（示范文本）')
    expect(official.every((t) => t.kind === 'agency')).toBe(true)
    const yangzhou = official.find((t) => t.title === '扬州市智能化改造标准合同（示范文本）')!
    expect(JSON.parse(text(yangzhou.milestones)).map((m: { percent: number }) => m.percent)).toEqual([30, 40, 25, 5])
    const derived = templates.filter((t) => Number(t.is_official) === 0)
    expect(derived.length).toBeGreaterThan(0)
    for (const t of derived) {
      expect(t.kind).toBe('provider')
      expect(t.base_kind).toBe('agency')
      expect(Number(t.base_official)).toBe(1)
    }
    for (const t of templates) {
      const milestones = JSON.parse(text(t.milestones)) as { name: string; percent: number; criteria: string }[]
      assertMilestoneSum(milestones)
      parse(ZTemplateInput, {
        title: text(t.title),
        industry: text(t.industry_code),
        'scenarios[]': scenarios.filter((s) => s.template_id === t.template_id).map((s) => text(s.scenario_code)),
        constructionDays: text(t.construction_days),
        technicalStandards: (JSON.parse(text(t.technical_standards)) as string[]).join('\n'),
        acceptanceStandards: text(t.acceptance_standards),
        qualityTerms: text(t.quality_terms),
        warrantyMonths: text(t.warranty_months),
        priceModel: text(t.price_model),
        priceMinWan: text(t.price_min_wan),
        priceMaxWan: text(t.price_max_wan),
        disputeClause: text(t.dispute_clause),
        ...Object.fromEntries(
          milestones.flatMap((m, i) => [
            [milestoneField(i + 1, 'Name'), m.name],
            [milestoneField(i + 1, 'Percent'), String(m.percent)],
            [milestoneField(i + 1, 'Criteria'), m.criteria],
          ]),
        ),
      })
    }
  })
})
