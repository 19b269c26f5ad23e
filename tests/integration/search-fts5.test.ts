import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import type { SearchEngine } from '../../search/engine.js'
import { createFts5Engine, toMatchExpression } from '../../search/fts5-engine.js'
import { onPostgres, sqliteOnly } from '../support/test-db.js'
import { CONTRACT_DOCS, CONTRACT_SETTINGS, runSearchEngineContract } from './search-contract.js'

// SQLite's own engine: under `npm run test:pg` these skip (PostgreSQL's engine passes the
// same contract in search-pg.pg.test.ts).
const SKIP = { skip: onPostgres }
const ONLY = sqliteOnly('FTS5 is the SQLite engine')

const databasePath = process.env.DATABASE_PATH
if (!databasePath) throw new Error('DATABASE_PATH is set by tests/support/worker-db.ts')
const { db, sqlite } = createDb(databasePath)

afterAll(async () => {
  await db.destroy()
})

runSearchEngineContract(
  `sqlite-fts5${ONLY}`,
  async () => ({
    engine: createFts5Engine(sqlite),
    index: 'contract',
    otherIndex: 'contract_other',
  }),
  SKIP,
)

// The engine keeps the attributes in memory. Searched through another engine object
// than the one writing, that copy is read again after every write (as after a write
// from another process); searched before every write, it is kept up to date by the
// writes themselves.
function readThrough(writer: SearchEngine, reader: SearchEngine): SearchEngine {
  return {
    name: writer.name,
    ensureIndex: (index, settings) => writer.ensureIndex(index, settings),
    upsert: (index, docs) => writer.upsert(index, docs),
    delete: (index, ids) => writer.delete(index, ids),
    clear: (index) => writer.clear(index),
    count: (index) => reader.count(index),
    search: (index, query) => reader.search(index, query),
  }
}

function searchedBeforeWrites(engine: SearchEngine): SearchEngine {
  const loadEveryColumn = async (index: string) => {
    for (const by of CONTRACT_SETTINGS.sortable) {
      await engine.search(index, { facets: CONTRACT_SETTINGS.filterable, sort: { by, direction: 'asc' } })
    }
  }
  return {
    ...engine,
    upsert: async (index, docs) => {
      await loadEveryColumn(index)
      await engine.upsert(index, docs)
    },
    delete: async (index, ids) => {
      await loadEveryColumn(index)
      await engine.delete(index, ids)
    },
  }
}

runSearchEngineContract(
  `sqlite-fts5, written and searched by different engine objects${ONLY}`,
  async () => ({
    engine: readThrough(createFts5Engine(sqlite), createFts5Engine(sqlite)),
    index: 'contract_split',
    otherIndex: 'contract_split_other',
  }),
  SKIP,
)

runSearchEngineContract(
  `sqlite-fts5, searched before every write${ONLY}`,
  async () => ({
    engine: searchedBeforeWrites(createFts5Engine(sqlite)),
    index: 'contract_kept',
    otherIndex: 'contract_kept_other',
  }),
  SKIP,
)

describe.skipIf(onPostgres)(`sqlite-fts5 specifics${ONLY}`, () => {
  it('quotes every word, doubling quotes, and ANDs them', () => {
    expect(toMatchExpression('视觉引导')).toBe('"视觉" AND "引导"')
    expect(toMatchExpression('NEAR(视觉 OR 检测)')).toBe('"near" AND "视觉" AND "or" AND "检测"')
    expect(toMatchExpression('!!! 🤖')).toBeNull()
    expect(toMatchExpression(undefined)).toBeNull()
  })

  it('ORs a word with its synonyms, and every word in any mode', () => {
    expect(toMatchExpression('MES 改造')).toBe('("mes" OR "制造执行系统" OR "生产执行系统") AND "改造"')
    expect(toMatchExpression('MES 改造', 'any')).toBe('"mes" OR "制造执行系统" OR "生产执行系统" OR "改造"')
    expect(toMatchExpression('"MES" NEAR( 改造 的', 'any')).toBe('"mes" OR "制造执行系统" OR "生产执行系统" OR "near" OR "改造"')
  })

  it("leaves out, in 'any' mode over a large index, the words most documents hold", async () => {
    const text = '改造 视觉 仓储 诊断 数字孪生 机器人 监测 数字化 区块链'
    const found = async (anyPruning: { minDocs: number; maxShare: number; keep: number }) => {
      const engine = createFts5Engine(sqlite, { anyPruning })
      await engine.ensureIndex('any_pruning', CONTRACT_SETTINGS)
      await engine.clear('any_pruning')
      await engine.upsert('any_pruning', CONTRACT_DOCS)
      const result = await engine.search('any_pruning', { text, match: 'any', pageSize: 100 })
      // The words reported are all of the query's, pruned or not.
      expect(result.terms).toContain('改造')
      return result.hits.map((h) => h.id).sort()
    }
    // Each of 改造, 视觉, 诊断, 机器人 is in 2 of the 8 documents: above 20 %.
    expect(await found({ minDocs: 1, maxShare: 0.2, keep: 2 })).toEqual(['doc-a', 'doc-e', 'doc-g', 'doc-h'])
    // Fewer rare words than `keep`: the `keep` rarest (数字孪生's synonyms 虚拟工厂 and 数字双胞胎,
    // in no document, count among them), so 4 + 2 of the common words' documents.
    expect(await found({ minDocs: 1, maxShare: 0.2, keep: 9 })).toHaveLength(6)
    // No more words (synonyms included) than `keep`: nothing left out.
    expect(await found({ minDocs: 1, maxShare: 0.2, keep: 11 })).toHaveLength(8)
    // Below minDocs nothing is left out.
    expect(await found({ minDocs: 9, maxShare: 0.2, keep: 2 })).toHaveLength(8)
  })

  it('creates its tables idempotently and leaves existing documents alone', async () => {
    const engine = createFts5Engine(sqlite)
    await engine.ensureIndex('idempotent', CONTRACT_SETTINGS)
    await engine.upsert('idempotent', CONTRACT_DOCS)
    await createFts5Engine(sqlite).ensureIndex('idempotent', CONTRACT_SETTINGS)
    expect(await engine.count('idempotent')).toBe(CONTRACT_DOCS.length)
  })

  it('reads its memory copy on a worker thread, or in the search when told to', async () => {
    const writer = createFts5Engine(sqlite)
    await writer.ensureIndex('off_thread', CONTRACT_SETTINGS)
    await writer.clear('off_thread')
    await writer.upsert('off_thread', CONTRACT_DOCS)
    const query = {
      facets: CONTRACT_SETTINGS.filterable,
      sort: { by: CONTRACT_SETTINGS.sortable[0]!, direction: 'asc' as const },
    }
    const expected = await writer.search('off_thread', query)

    const reads: string[] = []
    const reader = createFts5Engine(sqlite, { onCopyRead: (index, where) => reads.push(`${index} ${where}`) })
    expect(await reader.search('off_thread', query)).toEqual(expected)
    expect(reads).toEqual(['off_thread worker'])
    // Current: no read.
    await reader.search('off_thread', { text: '视觉' })
    expect(reads).toHaveLength(1)
    // After a write from another engine object (another process), read on the worker again.
    await writer.upsert('off_thread', CONTRACT_DOCS.slice(0, 1))
    expect(await reader.search('off_thread', query)).toEqual(await writer.search('off_thread', query))
    expect(reads).toEqual(['off_thread worker', 'off_thread worker'])

    const inline: string[] = []
    const inSearch = createFts5Engine(sqlite, {
      loadInWorker: false,
      onCopyRead: (index, where) => inline.push(`${index} ${where}`),
    })
    expect(await inSearch.search('off_thread', query)).toEqual(await writer.search('off_thread', query))
    expect(inline).toEqual(['off_thread search'])
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
