import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { SearchBudget } from '../../app/domain/needs/search-budget.server.js'
import { capabilityGridFromIndex, computeCapabilityGrid } from '../../app/domain/providers/capability-map.server.js'
import { browseProviders, ZProviderSearchParams } from '../../app/domain/providers/directory.server.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { services } from '../../app/web/services.server.js'
import { enqueueProviderChange } from '../../app/domain/providers/search-index.server.js'
import { withTransaction } from '../../db/transaction.js'
import { testDialect } from '../support/test-db.js'
import { seedProviders } from './capability-map-scale-seed.js'

/*
 * The capability map and the directory at 10 000 providers, on the run's dialect:
 *
 *   CAPABILITY_MAP_SCALE=10000 npx vitest run tests/integration/capability-map-scale.test.ts
 *   CAPABILITY_MAP_SCALE=10000 npx vitest run --config vitest.pg.config.ts tests/integration/capability-map-scale.test.ts
 *
 * Prints the milliseconds of one map (the whole country, a province, a city, a county;
 * median of several), the rebuild of the providers index, and directory searches
 * (first and repeated). Skipped unless CAPABILITY_MAP_SCALE is set.
 */
const SCALE = Number(process.env.CAPABILITY_MAP_SCALE ?? 0)

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

describe.skipIf(!SCALE)(`capability map and directory at ${SCALE} providers (${testDialect})`, () => {
  it('measures', { timeout: 30 * 60_000 }, async () => {
    const { db, search, indexer } = services()
    let started = performance.now()
    await seedProviders(db, SCALE)
    console.log(`seeding: ${Math.round(performance.now() - started)} ms`)
    if (testDialect === 'postgres') {
      const { sql } = await import('kysely')
      await sql`analyze`.execute(db)
    }
    const ref = await getReferenceData(db)

    const rows: string[] = []
    for (const [label, region] of [
      ['whole country', null],
      ['江苏省 320000', '320000'],
      ['扬州市 321000', '321000'],
      ['宝应县 321023', '321023'],
      ['甘肃省 620000', '620000'],
    ] as const) {
      const grid = await computeCapabilityGrid(db, ref, region)
      const ms = await median(7, () => computeCapabilityGrid(db, ref, region))
      rows.push(`map ${label.padEnd(16)} ${ms.toFixed(1).padStart(8)} ms  (${grid.total} providers)`)
      expect(grid.total).toBeGreaterThan(0)
    }

    if (process.env.CAPABILITY_MAP_SCALE_MAP_ONLY)
      return console.log(`\n${testDialect}, ${SCALE} providers:\n${rows.join('\n')}\n`)
    for (const type of ['provider', 'provider_cells']) {
      started = performance.now()
      const indexed = await indexer.reindexAll({ types: [type] })
      rows.push(`${type} index rebuild: ${indexed} documents in ${Math.round(performance.now() - started)} ms (${search.name})`)
    }
    const regions = [null, '320000', '321000', '321023', '620000'] as const
    for (const region of regions) {
      const first = performance.now()
      const grid = await capabilityGridFromIndex(search, ref, region)
      const firstMs = performance.now() - first
      const again = await median(5, () => capabilityGridFromIndex(search, ref, region))
      const sqlGrid = await computeCapabilityGrid(db, ref, region)
      expect(grid.total).toBe(sqlGrid.total)
      expect(grid.providers.get('C34')?.get('S305')).toBe(sqlGrid.providers.get('C34')?.get('S305'))
      rows.push(
        `map from the index ${String(region).padEnd(8)} first ${firstMs.toFixed(1).padStart(7)} ms, again ${again.toFixed(1).padStart(6)} ms`,
      )
    }
    // After a write the engine's facets are stale: the next map counts again.
    const someone = await db
      .selectFrom('organisations')
      .select('id')
      .where('kind', '=', 'provider')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    for (const region of regions) {
      await withTransaction(db, async (trx, afterCommit) => enqueueProviderChange(trx, afterCommit, someone.id))
      const cold = performance.now()
      await capabilityGridFromIndex(search, ref, region)
      rows.push(
        `map from the index ${String(region).padEnd(8)} after a write ${(performance.now() - cold).toFixed(1).padStart(7)} ms`,
      )
    }
    const budget = new SearchBudget(1_000_000, 1_000)
    for (const query of [
      {},
      { q: '视觉检测' },
      { q: '预测性维护', region: '320000' },
      { industry: 'C36', scenario: 'S305', region: '321000' },
      { kind: 'integrator', qualification: '省级智能制造服务商', sort: 'cases' },
      { q: '数字孪生', page: '5' },
    ]) {
      const params = ZProviderSearchParams.parse(query)
      const first = performance.now()
      const result = await browseProviders(db, search, null, params, '203.0.113.3', 'zh-CN', budget)
      const firstMs = performance.now() - first
      const again = await median(5, () => browseProviders(db, search, null, params, '203.0.113.3', 'zh-CN', budget))
      rows.push(
        `directory ${JSON.stringify(query).padEnd(72)} first ${firstMs.toFixed(1).padStart(7)} ms, again ${again.toFixed(1).padStart(6)} ms (${result.result.total} found)`,
      )
    }
    console.log(`\n${testDialect}, ${SCALE} providers:\n${rows.join('\n')}\n`)
  })
})
