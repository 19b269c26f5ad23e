import { afterAll, describe, expect, it } from 'vitest'
import { generateDemo, type GenerateDemoOptions } from '../../seed/demo-writer'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db'

// Each run writes into a fresh database (migrated, reference data) on the run's dialect.
const fresh: FreshTestDb[] = []

async function run(opts: GenerateDemoOptions) {
  const target = await freshTestDb('demo_det')
  fresh.push(target)
  const { db, sqlite, close } = target.open()
  try {
    const result = await generateDemo(db, sqlite, opts)
    const dump = (table: string, order: string) => all<unknown>(db, `select * from ${table} order by ${order}`)
    return {
      result,
      needs: await dump('needs', 'id'),
      scenarios: await dump('need_scenarios', 'need_id, scenario_code'),
      organisations: await dump('organisations', 'id'),
      // The providers' profiles, cases and templates (seed/providers.ts).
      providers: {
        profiles: await dump('provider_profiles', 'org_id'),
        industries: await dump('provider_industries', 'org_id, industry_code'),
        scenarios: await dump('provider_scenarios', 'org_id, scenario_code'),
        regions: await dump('provider_regions', 'org_id, region_code'),
        qualifications: await dump('provider_qualifications', 'id'),
        cases: await dump('provider_cases', 'id'),
        caseScenarios: await dump('case_scenarios', 'case_id, scenario_code'),
        metrics: await dump('case_metrics', 'id'),
        templates: await dump('contract_templates', 'id'),
        templateScenarios: await dump('contract_template_scenarios', 'template_id, scenario_code'),
        versions: await dump('contract_template_versions', 'id'),
      },
      // Bids and contracts (seed/contracts.ts).
      contracts: {
        bids: await dump('bids', 'id'),
        contracts: await dump('contracts', 'id'),
        milestones: await dump('contract_milestones', 'id'),
        reviews: await dump('milestone_reviews', 'id'),
        logs: await dump('supervision_logs', 'id'),
        ratings: await dump('contract_ratings', 'id'),
        events: await dump('contract_events', 'id'),
      },
    }
  } finally {
    await close()
  }
}

afterAll(async () => {
  for (const target of fresh) await target.drop()
})

describe('generateDemo determinism', () => {
  it('same seed into two fresh databases → identical rows and records', async () => {
    const a = await run({ needs: 1500, seed: 42 })
    const b = await run({ needs: 1500, seed: 42 })
    expect(a.needs).toHaveLength(1500)
    expect(b.needs).toEqual(a.needs)
    expect(b.scenarios).toEqual(a.scenarios)
    expect(b.organisations).toEqual(a.organisations)
    expect(b.providers).toEqual(a.providers)
    expect(b.contracts).toEqual(a.contracts)
    expect(a.contracts.contracts.length).toBeGreaterThan(50)
    expect(a.providers.cases.length).toBeGreaterThan(100)
    expect(a.providers.templates.length).toBeGreaterThan(5)
    expect(b.result).toEqual(a.result)
  })

  it('--providers sets how many providers there are, deterministically', async () => {
    const a = await run({ needs: 300, seed: 9 })
    const b = await run({ needs: 300, seed: 9, providers: 120 })
    const c = await run({ needs: 300, seed: 9, providers: 120 })
    expect(b.result.providers).toHaveLength(120)
    expect(c.providers).toEqual(b.providers)
    expect(c.needs).toEqual(b.needs)
    expect(b.providers.profiles.length).toBeGreaterThan(a.providers.profiles.length)
  })

  it('the default seed is stable too, and a different seed gives different data', async () => {
    const a = await run({ needs: 300 })
    const b = await run({ needs: 300 })
    const c = await run({ needs: 300, seed: 43 })
    expect(b.needs).toEqual(a.needs)
    expect(c.needs).not.toEqual(a.needs)
    expect(c.organisations).not.toEqual(a.organisations)
  })

  it('moves the timeline with `now` and nothing else', async () => {
    const a = await run({ needs: 200, seed: 5 })
    const b = await run({ needs: 200, seed: 5, now: new Date('2027-11-01T00:00:00.000Z') })
    const strip = (rows: unknown[]) =>
      rows.map((r) => {
        const {
          created_at: _c,
          updated_at: _u,
          published_at: _p,
          expected_start: _e,
          deadline: _d,
          ...rest
        } = r as Record<string, unknown>
        return rest
      })
    expect(strip(b.needs)).toEqual(strip(a.needs))
    const maxCreated = (rows: unknown[]) =>
      rows
        .map((r) => String((r as { created_at: string }).created_at))
        .sort()
        .at(-1) ?? ''
    expect(maxCreated(b.needs) > '2027-01-01').toBe(true)
    expect(maxCreated(a.needs) < '2026-11-01').toBe(true)
  })
})
