import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  enqueueNeedChange,
  loadNeedDocuments,
  NEEDS_INDEX,
  NEEDS_INDEX_SETTINGS,
  needsSearchIndex,
  parseNeedDocumentId,
} from '../../app/domain/needs/search-index.server.js'
import { sql } from 'kysely'
import type { OpenedDatabase } from '../../db/open.js'
import { withTransaction } from '../../db/transaction.js'
import type { NewNeed } from '../../db/types.js'
import type { SearchEngine } from '../../search/engine.js'
import { createFts5Engine } from '../../search/fts5-engine.js'
import { createPgEngine } from '../../search/pg-engine.js'
import { createIndexer, storedDocumentVersion, type IndexedType, type Indexer } from '../../search/indexer.js'
import { LEXICON_VERSION } from '../../search/lexicon.js'
import { enqueueSearchChange } from '../../search/outbox.js'
import { openTestDb } from '../support/test-db.js'

// The indexer against the database's own engine: FTS5 on SQLite, full-text search on PostgreSQL.
const engineOf = (database: OpenedDatabase): SearchEngine =>
  database.sqlite ? createFts5Engine(database.sqlite) : createPgEngine(database.db)
const opened = openTestDb()
const { db } = opened
const engine = engineOf(opened)
const indexer = createIndexer(db, engine, [needsSearchIndex])
const processOutbox = (using: SearchEngine = engine, options?: { batchSize?: number }) =>
  createIndexer(db, using, [needsSearchIndex]).processOutbox(options)

const NOW = '2026-11-20T08:00:00.000Z'
let enterpriseId = 0

afterAll(async () => {
  await opened.close()
})

beforeAll(async () => {
  const org = await db
    .insertInto('organisations')
    .values({
      kind: 'enterprise',
      name: '扬州宝应精工机械有限公司',
      region_code: '321023',
      uscc: '91350100M000100Y43',
      status: 'verified',
      created_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  enterpriseId = org.id
})

beforeEach(async () => {
  await db.deleteFrom('search_outbox').execute()
  await db.deleteFrom('need_scenarios').execute()
  await db.deleteFrom('needs').execute()
  await engine.ensureIndex(NEEDS_INDEX, NEEDS_INDEX_SETTINGS)
  await engine.clear(NEEDS_INDEX)
})

/** A distinct source weakness per need (one live need per weakness): 888, 8881, 8882 … */
let weaknessSeq = 0
const nextWeakness = () => Number(`888${weaknessSeq++ || ''}`)

function needValues(overrides: Partial<NewNeed> = {}): NewNeed {
  return {
    org_id: enterpriseId,
    title: '冲压车间视觉检测改造',
    description: '在冲压线末端部署机器视觉检测，替代人工目检，降低漏检率。',
    expected_results: '漏检率降到千分之一以下',
    industry_code: 'C34',
    region_code: '321023',
    target_level: 'digital_workshop',
    budget_min_wan: 100,
    budget_max_wan: 300,
    expected_start: '2027-01-01',
    duration_months: 6,
    status: 'published',
    published_at: '2026-11-18T02:00:00.000Z',
    source_report_id: 777,
    source_weakness_id: nextWeakness(),
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  }
}

/** Creates a need the way a use case would: write and enqueue in one transaction. */
async function createNeed(overrides: Partial<NewNeed> = {}, scenarios: string[] = ['S305']): Promise<number> {
  return withTransaction(db, async (trx, afterCommit) => {
    const { id } = await trx.insertInto('needs').values(needValues(overrides)).returning('id').executeTakeFirstOrThrow()
    if (scenarios.length > 0) {
      await trx
        .insertInto('need_scenarios')
        .values(scenarios.map((code) => ({ need_id: id, scenario_code: code })))
        .execute()
    }
    await enqueueNeedChange(trx, afterCommit, id)
    return id
  })
}

async function outboxCount(): Promise<number> {
  const row = await db
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const hitIds = async (text: string, filters?: Record<string, string[]>) =>
  (await engine.search(NEEDS_INDEX, { text, filters })).hits.map((h) => parseNeedDocumentId(h.id))

describe('need documents', () => {
  it('carries the public fields, region ancestry and scenario names, and nothing private', async () => {
    const id = await createNeed({}, ['S305', 'S101'])
    const doc = (await loadNeedDocuments(db, [id])).get(id)
    expect(doc).toEqual({
      id: `need-${id}`,
      title: '冲压车间视觉检测改造',
      body: expect.stringContaining('替代人工目检'),
      attributes: {
        industry: 'C34',
        regions: ['320000', '321000', '321023'],
        province: '320000',
        city: '321000',
        scenarios: ['S101', 'S305'],
        level: 'digital_workshop',
        status: 'published',
        visibility: 'public',
        budgetMin: 100,
        budgetMax: 300,
        publishedAt: Date.parse('2026-11-18T02:00:00.000Z') / 1000,
      },
      display: {
        title: '冲压车间视觉检测改造',
        orgName: '扬州宝应精工机械有限公司',
        industryName: expect.any(String),
        regionName: '江苏省 扬州市 宝应县',
        industryCode: 'C34',
        regionCode: '321023',
        scenarioCodes: 'S101,S305',
        level: 'digital_workshop',
        status: 'published',
        budgetMinWan: 100,
        budgetMaxWan: 300,
        publishedAt: '2026-11-18T02:00:00.000Z',
        scenarioNames: '工厂数字化设计、智能在线检测',
        excerpt: '在冲压线末端部署机器视觉检测，替代人工目检，降低漏检率。',
      },
    })
    expect(doc?.body).toContain('漏检率降到千分之一以下')
    expect(doc?.body).toContain('智能在线检测')
    expect(doc?.body).toContain('扬州宝应精工机械有限公司')
    const serialized = JSON.stringify(doc)
    expect(serialized).not.toContain('777')
    expect(serialized).not.toContain('888')
    expect(serialized).not.toMatch(/org_?id|source|weakness/i)
  })

  it('maps needs that must not be listed, and unknown ids, to null', async () => {
    const draft = await createNeed({ status: 'draft', published_at: null })
    const withdrawn = await createNeed({ status: 'withdrawn' })
    const expired = await createNeed({ status: 'expired' })
    const closed = await createNeed({ status: 'closed' })
    const docs = await loadNeedDocuments(db, [draft, withdrawn, expired, closed, 999_999])
    expect(docs.get(draft)).toBeNull()
    expect(docs.get(withdrawn)).toBeNull()
    expect(docs.get(expired)).toBeNull()
    expect(docs.get(999_999)).toBeNull()
    expect(docs.get(closed)?.attributes.status).toBe('closed')
  })

  it('cuts the excerpt and handles a region directly under a province', async () => {
    const long = '数字化'.repeat(60)
    const id = await createNeed({ description: long, region_code: '110101' }, [])
    const doc = (await loadNeedDocuments(db, [id])).get(id)
    expect(doc?.display.excerpt).toBe(`${long.slice(0, 120)}…`)
    expect(doc?.attributes.regions).toEqual(['110000', '110101'])
    expect(doc?.attributes.province).toBe('110000')
    expect(doc?.attributes.city).toBeUndefined()
    expect(doc?.display.scenarioNames).toBe('')
  })
})

describe('outbox', () => {
  it('makes a committed write searchable after processOutbox', async () => {
    const id = await createNeed()
    expect(await hitIds('视觉检测')).toEqual([])
    expect(await processOutbox()).toBe(1)
    expect(await hitIds('视觉检测')).toEqual([id])
    expect(await hitIds('检测', { regions: ['320000'] })).toEqual([id])
    expect(await hitIds('检测', { regions: ['330000'] })).toEqual([])
    expect(await outboxCount()).toBe(0)
  })

  it('enqueues nothing when the transaction rolls back', async () => {
    await expect(
      withTransaction(db, async (trx, afterCommit) => {
        const { id } = await trx.insertInto('needs').values(needValues()).returning('id').executeTakeFirstOrThrow()
        await enqueueNeedChange(trx, afterCommit, id)
        throw new Error('validation failed after insert')
      }),
    ).rejects.toThrow('validation failed')
    expect(await outboxCount()).toBe(0)
    expect(await processOutbox()).toBe(0)
    expect(await engine.count(NEEDS_INDEX)).toBe(0)
  })

  it('removes a withdrawn need from the index', async () => {
    const id = await createNeed()
    await processOutbox()
    expect(await hitIds('视觉检测')).toEqual([id])
    await withTransaction(db, async (trx, afterCommit) => {
      await trx.updateTable('needs').set({ status: 'withdrawn', updated_at: NOW }).where('id', '=', id).execute()
      await enqueueNeedChange(trx, afterCommit, id)
    })
    expect(await processOutbox()).toBe(1)
    expect(await hitIds('视觉检测')).toEqual([])
    expect(await engine.count(NEEDS_INDEX)).toBe(0)
  })

  it('applies an edit: old words gone, new words found', async () => {
    const id = await createNeed()
    await processOutbox()
    await withTransaction(db, async (trx, afterCommit) => {
      await trx
        .updateTable('needs')
        .set({ title: '装配线智能排产系统建设', description: '引入高级计划排程，缩短交期。', updated_at: NOW })
        .where('id', '=', id)
        .execute()
      await enqueueNeedChange(trx, afterCommit, id)
    })
    await processOutbox()
    expect(await hitIds('视觉检测')).toEqual([])
    expect(await hitIds('排产')).toEqual([id])
    expect(await engine.count(NEEDS_INDEX)).toBe(1)
  })

  it('processes many rows in id order across batches, each need once per state', async () => {
    const ids: number[] = []
    for (let i = 0; i < 7; i++) ids.push(await createNeed({ title: `第${i + 1}号视觉检测改造项目` }))
    const first = ids[0] ?? 0
    await withTransaction(db, async (trx, afterCommit) => {
      await trx.updateTable('needs').set({ status: 'withdrawn' }).where('id', '=', first).execute()
      await enqueueNeedChange(trx, afterCommit, first)
    })
    expect(await processOutbox(engine, { batchSize: 3 })).toBe(8)
    expect(await engine.count(NEEDS_INDEX)).toBe(6)
    expect(await outboxCount()).toBe(0)
  })

  it('deletes exactly the rows it processed: a row written meanwhile stays', async () => {
    const id = await createNeed()
    let lateId = 0
    // An engine whose upsert lets another request commit a change mid-run.
    const racing: SearchEngine = {
      ...engine,
      name: 'racing',
      ensureIndex: (index, settings) => engine.ensureIndex(index, settings),
      upsert: async (index, docs) => {
        lateId = await createNeed({ title: '同时提交的另一条需求' })
        await engine.upsert(index, docs)
      },
      delete: (index, ids) => engine.delete(index, ids),
    }
    expect(await processOutbox(racing)).toBe(1)
    expect(await hitIds('视觉检测')).toEqual([id])
    const left = await db.selectFrom('search_outbox').select('entity_id').execute()
    expect(left).toEqual([{ entity_id: lateId }])
    expect(await processOutbox()).toBe(1)
    expect(await outboxCount()).toBe(0)
  })

  it('keeps the rows when the engine fails, for a retry', async () => {
    await createNeed()
    const failing: SearchEngine = {
      ...engine,
      name: 'failing',
      ensureIndex: async () => undefined,
      upsert: async () => {
        throw new Error('engine down')
      },
    }
    await expect(processOutbox(failing)).rejects.toThrow('engine down')
    expect(await outboxCount()).toBe(1)
    expect(await processOutbox()).toBe(1)
    expect(await engine.count(NEEDS_INDEX)).toBe(1)
  })
})

describe('reindexAll', () => {
  it('rebuilds from the database, dropping stale documents and the covered outbox rows', async () => {
    const visible = await createNeed()
    await createNeed({ status: 'draft', published_at: null })
    await createNeed({ status: 'withdrawn' })
    const other = await createNeed({ title: '仓储物流智能化升级', region_code: '330106', industry_code: 'C13' }, ['S307'])
    await engine.upsert(NEEDS_INDEX, [
      { id: 'need-424242', title: '过期的文档', body: '', attributes: {}, display: { title: '过期的文档' } },
    ])
    let lateId = 0
    const progress: [number, number][] = []
    const indexed = await indexer.reindexAll({
      batchSize: 1,
      onProgress: (done, total) => {
        progress.push([done, total])
        // A write that lands mid-rebuild keeps its outbox row.
        if (done === 1 && lateId === 0) {
          void createNeed({ title: '重建期间提交的需求' }).then((id) => {
            lateId = id
          })
        }
      },
    })
    expect(indexed).toBeGreaterThanOrEqual(2)
    expect(progress[0]).toEqual([0, 2])
    expect(progress.at(-1)?.[0]).toBe(indexed)
    expect(await hitIds('过期')).toEqual([])
    expect(await hitIds('仓储')).toEqual([other])
    expect(await hitIds('视觉检测')).toContain(visible)
    expect((await engine.search(NEEDS_INDEX, { facets: ['province'] })).facets.province).toMatchObject({ '330000': 1 })
    const left = await db.selectFrom('search_outbox').select('entity_id').execute()
    expect(left).toEqual([{ entity_id: lateId }])
  })

  it('applies the index settings first, so it works on a fresh engine', async () => {
    await createNeed()
    const fresh = openTestDb()
    try {
      const freshEngine = engineOf(fresh)
      expect(await createIndexer(fresh.db, freshEngine, [needsSearchIndex]).reindexAll()).toBe(1)
      const result = await freshEngine.search(NEEDS_INDEX, { text: '视觉', facets: ['industry', 'scenarios'] })
      expect(result.total).toBe(1)
      expect(result.facets.scenarios).toEqual({ S305: 1 })
    } finally {
      await fresh.close()
    }
  })
})

describe('sync', () => {
  it('rebuilds an empty index when visible needs exist, then only applies the outbox', async () => {
    const first = await createNeed()
    await db.deleteFrom('search_outbox').execute()
    expect(await indexer.sync()).toEqual({ reindexed: [{ entityType: 'need', count: 1 }], outbox: 0 })
    expect(await hitIds('视觉检测')).toEqual([first])
    const second = await createNeed({ title: '仓储物流智能化升级' })
    expect(await indexer.sync()).toEqual({ reindexed: [], outbox: 1 })
    expect(await hitIds('仓储')).toEqual([second])
  })

  it('creates the index even when there is nothing to index', async () => {
    const fresh = openTestDb()
    try {
      // The engine's own tables gone, as in a database that was never indexed.
      if (fresh.sqlite) {
        fresh.sqlite.exec('DROP TABLE IF EXISTS search_fts_needs_')
        fresh.sqlite.exec(`DELETE FROM search_indexes WHERE name = 'needs'`)
      } else {
        const found = await sql<{ id: number }>`select id from search_pg_indexes where name = ${NEEDS_INDEX}`.execute(fresh.db)
        for (const { id } of found.rows) await sql.raw(`DROP TABLE IF EXISTS search_pg_docs_${Number(id)}`).execute(fresh.db)
        await sql`delete from search_pg_indexes where name = ${NEEDS_INDEX}`.execute(fresh.db)
      }
      const freshEngine = engineOf(fresh)
      await expect(freshEngine.search(NEEDS_INDEX, {})).rejects.toThrow(/ensureIndex/)
      expect(await createIndexer(fresh.db, freshEngine, [needsSearchIndex]).sync()).toEqual({ reindexed: [], outbox: 0 })
      expect((await freshEngine.search(NEEDS_INDEX, {})).total).toBe(0)
    } finally {
      await fresh.close()
    }
  })
})

describe('registry of indexed types', () => {
  /** A type whose documents come from a map, recording what the indexer asked for. */
  function fakeType(entityType: string, index: string, titles: Map<number, string>) {
    const loaded: number[][] = []
    const type: IndexedType = {
      entityType,
      index,
      settings: { filterable: ['kind'], sortable: [] },
      documentVersion: 1,
      documentId: (id) => `${entityType}-${id}`,
      async loadDocuments(_db, ids) {
        loaded.push([...ids])
        return new Map(
          ids.map((id) => {
            const title = titles.get(id)
            return [
              id,
              title === undefined
                ? null
                : { id: `${entityType}-${id}`, title, body: '', attributes: { kind: entityType }, display: { title } },
            ]
          }),
        )
      },
      async listIds(_db, afterId, limit) {
        return [...titles.keys()]
          .filter((id) => id > afterId)
          .sort((a, b) => a - b)
          .slice(0, limit)
      },
      async countIds() {
        return titles.size
      },
    }
    return { type, loaded }
  }

  async function enqueue(rows: [string, number][]): Promise<void> {
    await withTransaction(db, async (trx, afterCommit) => {
      for (const [entityType, id] of rows) await enqueueSearchChange(trx, afterCommit, entityType, id)
    })
  }

  const titles = async (index: string) => (await engine.search(index, {})).hits.map((h) => h.display.title).sort()

  let alpha: ReturnType<typeof fakeType>
  let beta: ReturnType<typeof fakeType>
  let registryIndexer: Indexer
  beforeEach(async () => {
    alpha = fakeType(
      'alpha',
      'test_alpha',
      new Map([
        [1, '甲一'],
        [3, '甲三'],
      ]),
    )
    beta = fakeType('beta', 'test_beta', new Map([[2, '乙二']]))
    registryIndexer = createIndexer(db, engine, [alpha.type, beta.type])
    await registryIndexer.ensureIndexes()
    await engine.clear('test_alpha')
    await engine.clear('test_beta')
  })

  it('dispatches each outbox row on its entity type, one load per type per batch', async () => {
    await enqueue([
      ['alpha', 1],
      ['beta', 2],
      ['alpha', 3],
      ['alpha', 4],
    ])
    expect(await registryIndexer.processOutbox()).toBe(4)
    expect(alpha.loaded).toEqual([[1, 3, 4]])
    expect(beta.loaded).toEqual([[2]])
    expect(await titles('test_alpha')).toEqual(['甲一', '甲三'])
    expect(await titles('test_beta')).toEqual(['乙二'])
    expect(await outboxCount()).toBe(0)

    // A row whose entity has no document any more deletes it from its own index only.
    alpha.type.loadDocuments = async (_db, ids) => new Map(ids.map((id) => [id, null]))
    await enqueue([['alpha', 1]])
    expect(await registryIndexer.processOutbox()).toBe(1)
    expect(await titles('test_alpha')).toEqual(['甲三'])
    expect(await titles('test_beta')).toEqual(['乙二'])
  })

  it('logs and drops rows of an unknown type, so they cannot block the queue', async () => {
    const errors: unknown[][] = []
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args)
    })
    try {
      await enqueue([
        ['gamma', 7],
        ['alpha', 1],
        ['gamma', 8],
      ])
      expect(await registryIndexer.processOutbox({ batchSize: 2 })).toBe(3)
    } finally {
      spy.mockRestore()
    }
    expect(await outboxCount()).toBe(0)
    expect(await titles('test_alpha')).toEqual(['甲一'])
    expect(errors.map((e) => String(e[0]))).toEqual([expect.stringContaining('"gamma"'), expect.stringContaining('"gamma"')])
  })

  it('rebuilds one type without touching the others or their outbox rows', async () => {
    await engine.upsert('test_beta', [{ id: 'beta-9', title: '乙九', body: '', attributes: {}, display: { title: '乙九' } }])
    await enqueue([
      ['alpha', 3],
      ['beta', 2],
    ])
    const progress: [number, number, string][] = []
    expect(await registryIndexer.reindexAll({ types: ['alpha'], onProgress: (...args) => progress.push(args) })).toBe(2)
    expect(progress).toEqual([
      [0, 2, 'alpha'],
      [2, 2, 'alpha'],
    ])
    expect(await titles('test_alpha')).toEqual(['甲一', '甲三'])
    expect(await titles('test_beta')).toEqual(['乙九'])
    const left = await db.selectFrom('search_outbox').select(['entity_type', 'entity_id']).execute()
    expect(left).toEqual([{ entity_type: 'beta', entity_id: 2 }])
  })

  it('rebuilds every type by default, with progress over all of them', async () => {
    const progress: [number, number, string][] = []
    expect(await registryIndexer.reindexAll({ batchSize: 1, onProgress: (...args) => progress.push(args) })).toBe(3)
    expect(progress.at(0)).toEqual([0, 3, 'alpha'])
    expect(progress.at(-1)).toEqual([3, 3, 'beta'])
    expect(await titles('test_beta')).toEqual(['乙二'])
  })

  it('rebuilds at start-up only the types whose index is empty', async () => {
    await registryIndexer.reindexAll({ types: ['beta'] })
    await enqueue([['beta', 2]])
    expect(await registryIndexer.sync()).toEqual({ reindexed: [{ entityType: 'alpha', count: 2 }], outbox: 1 })
  })

  it('rebuilds at start-up a type whose documents are of another version, once', async () => {
    await registryIndexer.reindexAll()
    expect(await registryIndexer.sync()).toEqual({ reindexed: [], outbox: 0 })
    // The documents change shape: the next start-up rebuilds that type, and only it.
    alpha.type.documentVersion = 2
    alpha.loaded.length = 0
    expect(await registryIndexer.sync()).toEqual({ reindexed: [{ entityType: 'alpha', count: 2 }], outbox: 0 })
    expect(alpha.loaded).toEqual([[1, 3]])
    expect(await titles('test_alpha')).toEqual(['甲一', '甲三'])
    expect(await registryIndexer.sync()).toEqual({ reindexed: [], outbox: 0 })
  })

  it('rebuilds every index at start-up when the lexicon changes, once', async () => {
    await registryIndexer.reindexAll()
    expect(await registryIndexer.sync()).toEqual({ reindexed: [], outbox: 0 })
    const recorded = await db.selectFrom('search_index_versions').select(['index_name', 'document_version']).execute()
    expect(recorded).toEqual(
      expect.arrayContaining([{ index_name: 'test_alpha', document_version: storedDocumentVersion(1, LEXICON_VERSION) }]),
    )
    // search/lexicon.json gets a new version: every type's documents are rebuilt.
    const next = createIndexer(db, engine, [alpha.type, beta.type], { lexiconVersion: LEXICON_VERSION + 1 })
    const synced = await next.sync()
    expect(synced.reindexed.map((r) => r.entityType).sort()).toEqual(['alpha', 'beta'])
    expect(await next.sync()).toEqual({ reindexed: [], outbox: 0 })
    // And back: the indexes were built with the other lexicon.
    expect((await registryIndexer.sync()).reindexed).toHaveLength(2)
    expect(storedDocumentVersion(2, 1)).not.toBe(storedDocumentVersion(1, 2))
  })

  it('refuses a registry naming a type or an index twice, and an unknown type to rebuild', async () => {
    expect(() => createIndexer(db, engine, [alpha.type, alpha.type])).toThrow(/alpha/)
    expect(() => createIndexer(db, engine, [alpha.type, { ...beta.type, index: 'test_alpha' }])).toThrow(/test_alpha/)
    await expect(registryIndexer.reindexAll({ types: ['gamma'] })).rejects.toThrow(/gamma/)
  })
})
