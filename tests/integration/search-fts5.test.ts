import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import { createFts5Engine, toMatchExpression } from '../../search/fts5-engine.js'
import { CONTRACT_DOCS, CONTRACT_SETTINGS, runSearchEngineContract } from './search-contract.js'

const databasePath = process.env.DATABASE_PATH
if (!databasePath) throw new Error('DATABASE_PATH is set by tests/support/worker-db.ts')
const { db, sqlite } = createDb(databasePath)

afterAll(async () => {
  await db.destroy()
})

runSearchEngineContract('sqlite-fts5', async () => ({
  engine: createFts5Engine(sqlite),
  index: 'contract',
  otherIndex: 'contract_other',
}))

// The same behaviour through the strategies large result sets take: facets counted
// per hit or per attribute row, sorted pages sorted in full or walked off the index.
runSearchEngineContract('sqlite-fts5, large-result strategies', async () => ({
  engine: createFts5Engine(sqlite, { perHitFacetShare: 0, sortInFullMax: 0 }),
  index: 'contract_large',
  otherIndex: 'contract_large_other',
}))

runSearchEngineContract('sqlite-fts5, per-hit facets with index walk', async () => ({
  engine: createFts5Engine(sqlite, { perHitFacetShare: 1, sortInFullMax: 0 }),
  index: 'contract_mixed',
  otherIndex: 'contract_mixed_other',
}))

describe('sqlite-fts5 specifics', () => {
  it('quotes every word, doubling quotes, and ANDs them', () => {
    expect(toMatchExpression('视觉检测')).toBe('"视觉" "检测"')
    expect(toMatchExpression('NEAR(视觉 OR 检测)')).toBe('"near" "视觉" "or" "检测"')
    expect(toMatchExpression('!!! 🤖')).toBeNull()
    expect(toMatchExpression(undefined)).toBeNull()
  })

  it('creates its tables idempotently and leaves existing documents alone', async () => {
    const engine = createFts5Engine(sqlite)
    await engine.ensureIndex('idempotent', CONTRACT_SETTINGS)
    await engine.upsert('idempotent', CONTRACT_DOCS)
    await createFts5Engine(sqlite).ensureIndex('idempotent', CONTRACT_SETTINGS)
    expect(await engine.count('idempotent')).toBe(CONTRACT_DOCS.length)
  })

  it('waits for an open transaction on the shared connection before writing', async () => {
    const engine = createFts5Engine(sqlite)
    await engine.ensureIndex('tx', CONTRACT_SETTINGS)
    await engine.clear('tx')
    let written = false
    let pending: Promise<void> = Promise.resolve()
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('regions').select('code').limit(1).execute()
      pending = engine.upsert('tx', CONTRACT_DOCS.slice(0, 1)).then(() => {
        written = true
      })
      await new Promise((resolve) => setTimeout(resolve, 30))
      // Still inside another transaction: the engine has not written.
      expect(written).toBe(false)
    })
    await pending
    expect(written).toBe(true)
    expect(await engine.count('tx')).toBe(1)
  })
})
