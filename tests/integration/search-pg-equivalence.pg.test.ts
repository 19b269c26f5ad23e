import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import type { Database } from '../../db/connection.js'
import { createPostgresDb } from '../../db/postgres.js'
import { resolveSort, type IndexSettings, type SearchDocument, type SearchQuery } from '../../search/engine.js'
import { createFts5Engine, toMatchExpression } from '../../search/fts5-engine.js'
import { createPgEngine } from '../../search/pg-engine.js'
import { pgUnavailableReason } from '../support/pg-server.js'
import { pgTestDatabase } from '../support/pg-test-db.js'

/**
 * The PostgreSQL engine against the FTS5 engine (itself checked against plain SQL in
 * search-fts5-equivalence.test.ts): random documents, queries and writes, the same
 * totals, facets and pages wherever the order is defined by attributes (relevance
 * is bm25 in one and ts_rank_cd in the other, so only its totals are compared).
 * Writes alternate between two PostgreSQL engine objects, as two app instances would.
 */

const unavailable = pgUnavailableReason()
if (unavailable) console.warn(unavailable)

const databasePath = process.env.DATABASE_PATH
if (!databasePath) throw new Error('DATABASE_PATH is set by tests/support/worker-db.ts')
const sqlite = createDb(databasePath)

let pg: { db: Database; drop: () => Promise<void> } | undefined

afterAll(async () => {
  await sqlite.db.destroy()
  await pg?.db.destroy()
  await pg?.drop()
})

const SETTINGS: IndexSettings = {
  filterable: ['kind', 'tags', 'place', 'price', 'rating', 'mixed'],
  sortable: ['ts', 'price'],
}
const UNSORTED: IndexSettings = { filterable: SETTINGS.filterable, sortable: [] }

// With synonyms (search/lexicon.json): MES / 制造执行系统, 机器视觉 / 视觉检测.
const WORDS = [
  '视觉',
  '检测',
  '仓储',
  '机器人',
  '数字化',
  '平台',
  '数据',
  'alpha',
  'beta',
  'gamma',
  'MES',
  '制造执行系统',
  '机器视觉',
]
const KINDS = ['k1', 'k2', 'k3', 'k4', 'k5']
const TAGS = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']
const PLACES = ['p1', 'p2', 'p3', 'p4']

function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function generator(seed: number) {
  const next = random(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
  const chance = (p: number) => next() < p
  const some = <T>(list: readonly T[], max: number): T[] => [...new Set(Array.from({ length: int(max + 1) }, () => pick(list)))]
  const words = (max: number) => Array.from({ length: int(max + 1) }, () => pick(WORDS)).join(' ')

  function doc(id: string): SearchDocument {
    const attributes: SearchDocument['attributes'] = {}
    if (chance(0.9)) attributes.kind = pick(KINDS)
    attributes.tags = some(TAGS, 4)
    if (chance(0.8)) attributes.place = chance(0.3) ? some(PLACES, 3) : pick(PLACES)
    if (chance(0.85)) attributes.price = chance(0.1) ? 0.1 + 0.2 : int(12) * 10
    if (chance(0.9)) attributes.rating = 1 + int(5)
    if (chance(0.9)) attributes.ts = 1_700_000_000 + int(50)
    if (chance(0.5)) attributes.mixed = chance(0.5) ? pick(['5', 'x']) : pick([5, 6])
    return { id, title: words(2), body: words(5), attributes, display: { id, n: int(1000) } }
  }

  function query(settings: IndexSettings): SearchQuery {
    const q: SearchQuery = {}
    if (chance(0.5)) {
      q.text = chance(0.1) ? 'nomatch' : words(2) || pick(WORDS)
      if (chance(0.4)) q.match = 'any'
    }
    if (chance(0.7)) {
      const filters: Record<string, string[]> = {}
      if (chance(0.5)) filters.kind = some([...KINDS, 'unknown'], 2)
      if (chance(0.4)) filters.tags = some(TAGS, 3)
      if (chance(0.3)) filters.place = some(PLACES, 2)
      if (chance(0.1)) filters.mixed = some(['5', 'x', '6'], 2)
      if (chance(0.05)) filters.price = ['10']
      q.filters = filters
    }
    if (chance(0.4)) {
      const ranges: NonNullable<SearchQuery['ranges']> = {}
      if (chance(0.6)) ranges.price = chance(0.5) ? { min: int(12) * 10 } : { min: int(6) * 10, max: 60 + int(6) * 10 }
      if (chance(0.3)) ranges.rating = { max: 1 + int(5) }
      if (chance(0.1)) ranges.mixed = { min: 5 }
      if (chance(0.05)) ranges.kind = { min: 0 }
      q.ranges = ranges
    }
    if (chance(0.7)) q.facets = some(settings.filterable, 4)
    if (chance(0.5)) {
      q.sort =
        settings.sortable.length > 0 && chance(0.7)
          ? { by: pick(settings.sortable), direction: chance(0.5) ? 'asc' : 'desc' }
          : 'relevance'
    }
    q.pageSize = pick([1, 5, 20, 100])
    q.page = chance(0.7) ? 1 : 1 + int(8)
    return q
  }

  return { doc, query, int, chance, pick }
}

describe.skipIf(unavailable !== null)('postgresql engine against sqlite-fts5', () => {
  it.each([1, 2, 3])(
    'answers random queries alike through random writes (seed %i)',
    async (seed) => {
      if (!pg) {
        const database = await pgTestDatabase('equiv')
        pg = { db: createPostgresDb(database.url).db, drop: database.drop }
      }
      const g = generator(seed)
      const reference = createFts5Engine(sqlite.sqlite)
      const writers = [createPgEngine(pg.db), createPgEngine(pg.db)]
      const reader = writers[0]!
      const indexes = [
        { index: `pgeq_${seed}`, settings: SETTINGS },
        { index: `pgeq_unsorted_${seed}`, settings: UNSORTED },
      ]
      let nextId = 0
      const fresh = (n: number) => Array.from({ length: n }, () => g.doc(`d${nextId++}`))
      const initial = fresh(300)
      let ids = initial.map((d) => d.id)
      for (const { index, settings } of indexes) {
        for (const engine of [reference, reader]) {
          await engine.ensureIndex(index, settings)
          await engine.clear(index)
          await engine.upsert(index, initial)
        }
      }
      for (let round = 0; round < 4; round++) {
        for (const { index, settings } of indexes) {
          for (let i = 0; i < 30; i++) {
            const query = g.query(settings)
            const label = JSON.stringify(query)
            const [want, got] = await Promise.all([reference.search(index, query), reader.search(index, query)])
            expect(got.total, label).toBe(want.total)
            expect(got.facets, label).toEqual(want.facets)
            expect(got.hits.length, label).toBe(want.hits.length)
            expect(got.terms, label).toEqual(want.terms)
            if (resolveSort(query, settings, toMatchExpression(query.text, query.match) !== null) === 'relevance') {
              // Different measures (ts_rank_cd, bm25), each positive and best first.
              const scores = got.hits.map((h) => h.score ?? 0)
              expect(
                scores.every((x, i) => x > 0 && (i === 0 || x <= scores[i - 1]!)),
                label,
              ).toBe(true)
            } else {
              expect(
                got.hits.map((h) => h.id),
                label,
              ).toEqual(want.hits.map((h) => h.id))
              expect(got.hits, label).toEqual(want.hits)
            }
          }
        }
        const replaced = Array.from({ length: 1 + g.int(30) }, () => g.doc(g.pick(ids)))
        const added = fresh(g.int(20))
        const deleted = Array.from({ length: g.int(20) }, () => g.pick(ids))
        ids = [...ids.filter((id) => !deleted.includes(id)), ...added.map((d) => d.id)]
        const writer = writers[g.int(2)]!
        for (const { index } of indexes) {
          for (const engine of [reference, writer]) {
            await engine.upsert(index, [...replaced, ...added])
            await engine.delete(index, [...deleted, 'no-such-document'])
          }
        }
      }
      expect(await reader.count(indexes[0]!.index)).toBe(new Set(ids).size)
    },
    120_000,
  )
})
