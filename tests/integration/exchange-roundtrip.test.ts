import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExchangeRecord } from '../../app/domain/exchange/exchange-type.server.js'
import { planExport } from '../../app/domain/exchange/export.server.js'
import { importExchangeFile, type ByteSource } from '../../app/domain/exchange/import.server.js'
import { EXCHANGE_TYPES } from '../../app/domain/exchange/registry.server.js'
import type { Database } from '../../db/connection.js'
import type { OpenedDatabase } from '../../db/open.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { insertUser } from '../support/factories.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 11, item 8: `npm run export -- --type provider` writes the format `npm run
 * import` reads; exported from a seeded database and imported into an empty one, the
 * providers, their profiles, cases and templates come out the same, and exporting the
 * copy gives the same file again.
 */

const fresh: FreshTestDb[] = []
let source: OpenedDatabase
let copy: OpenedDatabase
let lines: string[]

async function exportLines(db: Database, region?: string): Promise<string[]> {
  const plan = await planExport(db, { kind: 'provider', regionCode: region })
  const out: string[] = []
  for await (const record of plan.records()) out.push(JSON.stringify(record))
  expect(out).toHaveLength(plan.total)
  return out
}

function bytes(text: readonly string[]): ByteSource {
  const data = Buffer.from(text.join('\n') + '\n')
  return {
    name: 'providers.jsonl',
    async *open() {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024)
    },
  }
}

beforeAll(async () => {
  const a = await freshTestDb('exchange_a')
  const b = await freshTestDb('exchange_b')
  fresh.push(a, b)
  source = a.open()
  copy = b.open()
  await generateDemo(source.db, source.sqlite, {
    needs: 120,
    providers: 60,
    seed: 11,
    accounts: false,
  })
  lines = await exportLines(source.db)
}, 120_000)

afterAll(async () => {
  await source?.close()
  await copy?.close()
  for (const target of fresh) await target.drop()
})

type Row = Record<string, unknown>

/** Official templates some provider's template derives from: an export of providers carries these. */
const BASES = `select b.template_id from contract_template_versions v join contract_template_versions b on b.id = v.derived_from_version_id`

/** What the format carries, by natural keys (names, titles) instead of ids. */
async function dump(db: Database) {
  const q = (text: string) => all<Row>(db, text)
  return {
    organisations: await q(`
      select kind, name, uscc, region_code, industry_code, provider_kinds, agency_level, contact_name, contact_phone,
             description, status
        from organisations
       where status <> 'rejected' and (kind = 'provider' or id in (select org_id from contract_templates where id in (${BASES})))
       order by name`),
    profiles: await q(`
      select o.name, p.team_size, p.founded_year, p.nationwide, p.website
        from provider_profiles p join organisations o on o.id = p.org_id where o.status <> 'rejected' order by o.name`),
    served: await q(`
      select o.name, 'i' as t, x.industry_code as code from provider_industries x join organisations o on o.id = x.org_id where o.status <> 'rejected'
      union all select o.name, 's', x.scenario_code from provider_scenarios x join organisations o on o.id = x.org_id where o.status <> 'rejected'
      union all select o.name, 'r', x.region_code from provider_regions x join organisations o on o.id = x.org_id where o.status <> 'rejected'
       order by 1, 2, 3`),
    qualifications: await q(`
      select o.name as org, q.name, q.issuer, q.certificate_no, q.valid_from, q.valid_until
        from provider_qualifications q join organisations o on o.id = q.org_id where o.status <> 'rejected' order by o.name, q.id`),
    cases: await q(`
      select o.name as org, c.title, c.client_name, c.client_anonymised, c.industry_code, c.region_code, c.investment_wan,
             c.year, c.summary
        from provider_cases c join organisations o on o.id = c.org_id where o.status <> 'rejected' order by o.name, c.id`),
    caseDetails: await q(`
      select o.name as org, c.title, m.seq, m.name, m.before_value, m.after_value, m.unit
        from case_metrics m join provider_cases c on c.id = m.case_id join organisations o on o.id = c.org_id
       where o.status <> 'rejected' order by o.name, c.id, m.seq`),
    caseScenarios: await q(`
      select o.name as org, c.title, s.scenario_code
        from case_scenarios s join provider_cases c on c.id = s.case_id join organisations o on o.id = c.org_id
       where o.status <> 'rejected' order by o.name, c.id, s.scenario_code`),
    templates: await q(`
      select o.name as org, t.is_official, t.title, t.industry_code, t.status, v.construction_days, v.technical_standards,
             v.acceptance_standards, v.quality_terms, v.warranty_months, v.price_model, v.price_min_wan, v.price_max_wan,
             v.milestones, v.dispute_clause, bt.title as base
        from contract_templates t join organisations o on o.id = t.org_id
        join contract_template_versions v on v.template_id = t.id and v.version = t.current_version
        left join contract_template_versions b on b.id = v.derived_from_version_id
        left join contract_templates bt on bt.id = b.template_id
       where o.status <> 'rejected' and (o.kind = 'provider' or t.id in (${BASES}))
       order by o.name, t.id`),
  }
}

/** JSON columns as values (PostgreSQL's jsonb hands them back re-spaced). */
function canonical(d: Awaited<ReturnType<typeof dump>>) {
  const parse = (rows: Row[], columns: string[]) =>
    rows.map((r) => ({ ...r, ...Object.fromEntries(columns.map((c) => [c, JSON.parse(String(r[c]))])) }))
  return {
    ...d,
    organisations: parse(d.organisations, ['provider_kinds']),
    templates: parse(d.templates, ['technical_standards', 'milestones']),
  }
}

describe('export → import round trip', () => {
  it('writes lines every schema accepts: the demo data keeps the domain rules (milestones sum to 100 …)', () => {
    const types = new Map(EXCHANGE_TYPES.map((t) => [t.type, t]))
    const counts: Record<string, number> = {}
    for (const [i, line] of lines.entries()) {
      const record = JSON.parse(line) as ExchangeRecord & { milestones?: { percent: number }[] }
      counts[record.type] = (counts[record.type] ?? 0) + 1
      const result = types.get(record.type)?.schemas[record.version]?.safeParse(record)
      expect(result?.success, `line ${i + 1}: ${JSON.stringify(result?.error?.issues)}`).toBe(true)
      if (record.milestones) expect(record.milestones.reduce((s, m) => s + m.percent, 0)).toBe(100)
    }
    expect(counts.organisation).toBeGreaterThan(40)
    expect(counts.provider_profile).toBeGreaterThan(40)
    expect(counts.case).toBeGreaterThan(60)
    expect(counts.contract_template).toBeGreaterThan(5)
  })

  it('imports into an empty database with the same rows, and exports the same file again', async () => {
    const operator = await insertUser(copy.db, { name: '导入运维' })
    const result = await importExchangeFile(copy.db, bytes(lines), {
      markVerified: true,
      operator: { userId: operator.id },
      source: 'providers.jsonl',
    })
    expect(result.ok, JSON.stringify(result)).toBe(true)
    expect(canonical(await dump(copy.db))).toEqual(canonical(await dump(source.db)))
    expect(await exportLines(copy.db)).toEqual(lines)
  })

  it('exports a region: its providers and what their templates derive from', async () => {
    const jiangsu = await exportLines(source.db, '320000')
    const orgs = jiangsu.map((l) => JSON.parse(l) as { type: string; kind?: string; regionCode?: string })
    const providers = orgs.filter((o) => o.type === 'organisation' && o.kind === 'provider')
    expect(providers.length).toBeGreaterThan(0)
    expect(providers.every((o) => o.regionCode?.startsWith('32'))).toBe(true)
    expect(jiangsu.length).toBeLessThan(lines.length)
    // Agencies come along only as owners of the official templates the region's templates derive from.
    const agencies = orgs.filter((o) => o.type === 'organisation' && o.kind === 'agency').length
    const officials = orgs.filter((o) => o.type === 'contract_template' && (o as { official?: boolean }).official).length
    expect(agencies).toBeLessThanOrEqual(officials)
  })
})
