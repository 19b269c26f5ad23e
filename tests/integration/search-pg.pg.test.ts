import { afterAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { dialectOf } from '../../db/dialect.js'
import { createPostgresDb } from '../../db/postgres.js'
import type { SearchEngine } from '../../search/engine.js'
import { createSearchEngine } from '../../search/index.js'
import { createPgEngine, toTsqueryInput, toTsvectorInput } from '../../search/pg-engine.js'
import { pgUnavailableReason } from '../support/pg-server.js'
import { pgTestDatabase } from '../support/pg-test-db.js'
import { CONTRACT_DOCS, CONTRACT_SETTINGS, HOSTILE_INPUTS, runSearchEngineContract } from './search-contract.js'

// The PostgreSQL engine against the same contract as FTS5 (npm run test:pg).
const unavailable = pgUnavailableReason()
if (unavailable) console.warn(unavailable)
const skip = unavailable !== null

let opened: Promise<{ db: Database; drop: () => Promise<void> }> | undefined
function database(): Promise<Database> {
  opened ??= pgTestDatabase('search').then(({ url, drop }) => ({ db: createPostgresDb(url).db, drop }))
  return opened.then((o) => o.db)
}

afterAll(async () => {
  if (!opened) return
  const { db, drop } = await opened
  await db.destroy()
  await drop()
})

runSearchEngineContract(
  'postgresql',
  async () => ({ engine: createPgEngine(await database()), index: 'contract', otherIndex: 'contract_other' }),
  { skip },
)

// Two engine objects stand for two app instances on one database: the reader's
// cached counts must not outlive a write made through the other.
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

runSearchEngineContract(
  'postgresql, written and searched by different engine objects',
  async () => {
    const db = await database()
    return {
      engine: readThrough(createPgEngine(db), createPgEngine(db)),
      index: 'contract_split',
      otherIndex: 'contract_split_other',
    }
  },
  { skip },
)

describe.skipIf(skip)('postgresql engine specifics', () => {
  it('quotes every word as a lexeme and ANDs them', () => {
    expect(toTsqueryInput('视觉引导')).toBe("'视觉' & '引导'")
    expect(toTsqueryInput("it's c:* a\\b | !x")).toBe("'it' & 's' & 'c' & 'a' & 'b' & 'x'")
    expect(toTsqueryInput('!!! 🤖')).toBeNull()
    expect(toTsqueryInput(undefined)).toBeNull()
  })

  it('ORs a word with its synonyms, and every word in any mode', () => {
    expect(toTsqueryInput('MES 改造')).toBe("('mes' | '制造执行系统' | '生产执行系统') & '改造'")
    expect(toTsqueryInput("MES 改造 it's 的", 'any')).toBe("'mes' | '制造执行系统' | '生产执行系统' | '改造' | 'it'")
  })

  it('builds the tsvector from the words, title at A and body at B', () => {
    expect(toTsvectorInput(['数字', '数字化', "o'k"], ['数字', 'a\\b'])).toBe("'数字':1A,4B '数字化':2A 'o''k':3A 'a\\\\b':5B")
  })

  it("leaves out, in 'any' mode over a large index, the words most documents hold", async () => {
    const db = await database()
    const text = '改造 视觉 仓储 诊断 数字孪生 机器人 监测 数字化 区块链'
    const found = async (anyPruning: { minDocs: number; maxShare: number; keep: number }) => {
      const engine = createPgEngine(db, { anyPruning })
      await engine.ensureIndex('any_pruning', CONTRACT_SETTINGS)
      await engine.clear('any_pruning')
      await engine.upsert('any_pruning', CONTRACT_DOCS)
      const result = await engine.search('any_pruning', { text, match: 'any', pageSize: 100 })
      expect(result.terms).toContain('改造')
      return result.hits.map((h) => h.id).sort()
    }
    // As the FTS5 engine (search-fts5.test.ts): each of 改造, 视觉, 诊断, 机器人 is in 2 of 8.
    expect(await found({ minDocs: 1, maxShare: 0.2, keep: 2 })).toEqual(['doc-a', 'doc-e', 'doc-g', 'doc-h'])
    expect(await found({ minDocs: 1, maxShare: 0.2, keep: 9 })).toHaveLength(6)
    expect(await found({ minDocs: 9, maxShare: 0.2, keep: 2 })).toHaveLength(8)
  })

  it('runs on the Postgres dialect, chosen through createSearchEngine', async () => {
    const db = await database()
    expect(createSearchEngine({ kind: 'postgres', db }).name).toBe('postgresql')
    expect(dialectOf(db)).toBe('postgres')
    await db.transaction().execute(async (trx) => expect(dialectOf(trx)).toBe('postgres'))
  })

  it('keeps odd lexemes and attribute values exact', async () => {
    const engine = createPgEngine(await database())
    await engine.ensureIndex('odd', CONTRACT_SETTINGS)
    await engine.clear('odd')
    const base = CONTRACT_DOCS[0]!
    const odd = ["it's", 'a\\b', 'x\u0000y', '%_', 'ind:ustry', '{a,b}', '"q"']
    await engine.upsert(
      'odd',
      odd.map((value, i) => ({
        ...base,
        id: `odd-${i}`,
        title: `${value} 标题`,
        attributes: { industry: value, tags: [value, `${value}2`] },
        display: { value },
      })),
    )
    for (const [i, value] of odd.entries()) {
      const result = await engine.search('odd', { filters: { industry: [value] }, facets: ['industry', 'tags'] })
      expect(result.hits.map((h) => h.id)).toEqual([`odd-${i}`])
      expect(result.facets.industry).toEqual({ [value]: 1 })
      expect(result.facets.tags).toEqual({ [value]: 1, [`${value}2`]: 1 })
      // NUL cannot be stored in PostgreSQL text; the display JSON keeps it escaped.
      expect(result.hits[0]?.display).toEqual({ value })
    }
    expect((await engine.search('odd', { filters: { industry: ['x'] } })).total).toBe(0)
  })

  it('answers hostile text with parameters only, never an SQL or tsquery error', async () => {
    const engine = createPgEngine(await database())
    await engine.ensureIndex('hostile', CONTRACT_SETTINGS)
    await engine.clear('hostile')
    await engine.upsert(
      'hostile',
      HOSTILE_INPUTS.map((text, i) => ({ ...CONTRACT_DOCS[1]!, id: `h-${i}`, title: text, body: text, display: { i } })),
    )
    for (const text of HOSTILE_INPUTS) {
      const result = await engine.search('hostile', { text, facets: ['industry'] })
      expect(result.total).toBeGreaterThanOrEqual(0)
    }
    expect((await engine.search('hostile', { text: 'NEAR(' })).hits.map((h) => h.id)).toContain('h-8')
  })

  it('counts numeric facets, merged with text that prints alike', async () => {
    const engine = createPgEngine(await database())
    const settings = { filterable: ['mixed'], sortable: [] }
    await engine.ensureIndex('mixed', settings)
    await engine.clear('mixed')
    const doc = (id: string, mixed: string | number) => ({ id, title: 't', body: 'b', attributes: { mixed }, display: {} })
    await engine.upsert('mixed', [doc('a', '5'), doc('b', 5), doc('c', 0.1 + 0.2), doc('d', 'x')])
    expect((await engine.search('mixed', { facets: ['mixed'] })).facets.mixed).toEqual({ '5': 2, x: 1, '0.30000000000000004': 1 })
    expect((await engine.search('mixed', { filters: { mixed: ['5'] } })).hits.map((h) => h.id)).toEqual(['a'])
    expect((await engine.search('mixed', { ranges: { mixed: { min: 0.3, max: 5 } } })).total).toBe(2)
  })

  it('pages a relevance order alike within and beyond its cached first 200', async () => {
    const engine = createPgEngine(await database())
    await engine.ensureIndex('ranked', CONTRACT_SETTINGS)
    await engine.clear('ranked')
    const docs = Array.from({ length: 260 }, (_, i) => ({
      ...CONTRACT_DOCS[0]!,
      id: `r-${i}`,
      title: i % 3 === 0 ? '视觉检测' : '数据平台',
      body: '视觉 '.repeat(1 + (i % 7)),
    }))
    await engine.upsert('ranked', docs)
    const bySmallPages: string[] = []
    for (let page = 1; page <= 14; page++) {
      const result = await engine.search('ranked', { text: '视觉', page, pageSize: 20 })
      expect(result.total).toBe(260)
      bySmallPages.push(...result.hits.map((h) => h.id))
    }
    expect(new Set(bySmallPages).size).toBe(260)
    const byLargePages: string[] = []
    for (let page = 1; page <= 3; page++) {
      byLargePages.push(...(await engine.search('ranked', { text: '视觉', page, pageSize: 100 })).hits.map((h) => h.id))
    }
    expect(byLargePages).toEqual(bySmallPages)
    // Title matches first.
    expect(bySmallPages.slice(0, 87).every((id) => Number(id.slice(2)) % 3 === 0)).toBe(true)
  })

  it('creates its tables idempotently and leaves existing documents alone', async () => {
    const db = await database()
    await createPgEngine(db).ensureIndex('idempotent', CONTRACT_SETTINGS)
    await createPgEngine(db).upsert('idempotent', CONTRACT_DOCS)
    await Promise.all([
      createPgEngine(db).ensureIndex('idempotent', CONTRACT_SETTINGS),
      createPgEngine(db).ensureIndex('idempotent', CONTRACT_SETTINGS),
    ])
    expect(await createPgEngine(db).count('idempotent')).toBe(CONTRACT_DOCS.length)
  })
})
