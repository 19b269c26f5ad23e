import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import {
  activeFilters,
  activeRanges,
  normalizePaging,
  resolveSort,
  type IndexSettings,
  type SearchDocument,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
} from '../../search/engine.js'
import { createFts5Engine, fts5Rank, fts5TableName, toMatchExpression, type Fts5EngineOptions } from '../../search/fts5-engine.js'

/**
 * The FTS5 engine counts, filters and sorts from an in-memory copy of the
 * attributes. Here random documents, queries and writes are checked against the
 * same answers computed by plain SQL over the engine's tables.
 */

const databasePath = process.env.DATABASE_PATH
if (!databasePath) throw new Error('DATABASE_PATH is set by tests/support/worker-db.ts')
const { db, sqlite } = createDb(databasePath)

afterAll(async () => {
  await db.destroy()
})

const SORTED: IndexSettings = {
  filterable: ['kind', 'tags', 'place', 'price', 'rating', 'mixed'],
  sortable: ['ts', 'price'],
}
// Without a sortable attribute, results without text come newest-indexed first.
const UNSORTED: IndexSettings = { filterable: SORTED.filterable, sortable: [] }

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

/** mulberry32: a small seeded generator, so a failure can be replayed. */
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
    // Few distinct prices and ratings, so sorts and facets meet ties; 0.1 + 0.2 needs all 17 digits.
    if (chance(0.85)) attributes.price = chance(0.1) ? 0.1 + 0.2 : int(12) * 10
    if (chance(0.9)) attributes.rating = 1 + int(5)
    if (chance(0.9)) attributes.ts = 1_700_000_000 + int(50)
    // Text in some documents, a number in others, and both print as "5" in some.
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

/** The answer by plain SQL: one EXISTS per filter and range, GROUP BY for facets, ORDER BY for the page. */
function expected(index: string, settings: IndexSettings, query: SearchQuery): SearchResult {
  const match = toMatchExpression(query.text, query.match)
  const where: string[] = ['d.idx = ?']
  const params: (string | number)[] = [index]
  if (match) {
    where.push(`d.rowid IN (SELECT rowid FROM ${fts5TableName(index)} WHERE ${fts5TableName(index)} MATCH ?)`)
    params.push(match)
  }
  for (const [field, values] of activeFilters(query)) {
    where.push(
      `EXISTS (SELECT 1 FROM search_attrs x WHERE x.doc = d.rowid AND x.field = ? AND x.text IN (SELECT value FROM json_each(?)))`,
    )
    params.push(field, JSON.stringify(values))
  }
  for (const [field, { min, max }] of activeRanges(query)) {
    where.push(`EXISTS (SELECT 1 FROM search_attrs x WHERE x.doc = d.rowid AND x.field = ? AND x.num >= ? AND x.num <= ?)`)
    params.push(field, min ?? -Number.MAX_VALUE, max ?? Number.MAX_VALUE)
  }
  const hits = sqlite
    .prepare(`SELECT d.rowid FROM search_docs d WHERE ${where.join(' AND ')}`)
    .pluck()
    .all(...params) as number[]
  const hitsJson = JSON.stringify(hits)

  const facets: SearchResult['facets'] = {}
  for (const field of query.facets ?? []) {
    const counts: Record<string, number> = {}
    const rows = sqlite
      .prepare(
        `SELECT text, num, count(*) AS n FROM search_attrs WHERE field = ? AND doc IN (SELECT value FROM json_each(?)) GROUP BY text, num`,
      )
      .all(field, hitsJson) as { text: string | null; num: number | null; n: number }[]
    for (const r of rows) {
      const key = r.text ?? String(r.num)
      counts[key] = (counts[key] ?? 0) + r.n
    }
    facets[field] = counts
  }

  const { page, pageSize } = normalizePaging(query)
  const sort = resolveSort(query, settings, match !== null)
  let ordered: number[]
  const scores = new Map<number, number>()
  if (sort === 'relevance' && match) {
    const fts = fts5TableName(index)
    const rows = sqlite
      .prepare(
        `SELECT rowid, ${fts5Rank(index)} AS rank FROM ${fts} WHERE ${fts} MATCH ? AND rowid IN (SELECT value FROM json_each(?)) ORDER BY rank, rowid`,
      )
      .all(match, hitsJson) as { rowid: number; rank: number }[]
    ordered = rows.map((r) => r.rowid)
    for (const r of rows) scores.set(r.rowid, -r.rank)
  } else if (sort === 'relevance' || sort === 'none') {
    ordered = [...hits].sort((a, b) => b - a)
  } else {
    const dir = sort.direction === 'asc' ? 'ASC' : 'DESC'
    ordered = sqlite
      .prepare(
        `SELECT h.value FROM json_each(?) h
          ORDER BY (SELECT x.num FROM search_attrs x WHERE x.doc = h.value AND x.field = ? AND x.num IS NOT NULL) IS NULL,
                   (SELECT x.num FROM search_attrs x WHERE x.doc = h.value AND x.field = ? AND x.num IS NOT NULL) ${dir},
                   h.value ${dir}`,
      )
      .pluck()
      .all(hitsJson, sort.by, sort.by) as number[]
  }
  const pageRowids = ordered.slice((page - 1) * pageSize, page * pageSize)
  const idOf = sqlite.prepare('SELECT doc_id FROM search_docs WHERE rowid = ?').pluck()
  return {
    hits: pageRowids.map((rowid) => ({ id: idOf.get(rowid) as string, display: {}, score: scores.get(rowid) })),
    total: hits.length,
    page,
    pageSize,
    facets,
    terms: [],
  }
}

async function expectSameAnswers(engine: SearchEngine, index: string, settings: IndexSettings, queries: readonly SearchQuery[]) {
  // Each query is asked again for a later page, as paging does: cached counts, and a
  // page past what was ranked or walked for the first one.
  for (const query of queries.flatMap((q) => [q, { ...q, page: (q.page ?? 1) + 2 }])) {
    const actual = await engine.search(index, query)
    const wanted = expected(index, settings, query)
    const label = JSON.stringify(query)
    expect(actual.total, label).toBe(wanted.total)
    expect(actual.facets, label).toEqual(wanted.facets)
    expect(
      actual.hits.map((h) => h.id),
      label,
    ).toEqual(wanted.hits.map((h) => h.id))
    actual.hits.forEach((hit, i) => {
      const score = wanted.hits[i]?.score
      if (score === undefined) expect(hit.score, label).toBeUndefined()
      else expect(hit.score, label).toBeCloseTo(score, 9)
    })
  }
}

// A page is taken from the cached hits when they are few, else by walking a sort
// order kept up to date by writes of few documents and sorted again after larger
// ones; a bm25 page from a ranked prefix of the hits, extended when a page goes past
// it. With a few hundred documents everything is "few" and within the prefix by
// default, so the other paths are reached by lowering the thresholds. The memory copy
// is read on a worker thread by default (the database is a file), else in the search.
const PATHS: [string, Fts5EngineOptions][] = [
  ['defaults', {}],
  ['walking orders kept by every write', { smallHits: 0, orderUpdateMax: 1_000, rankedMin: 1 }],
  ['walking orders sorted again after every write', { smallHits: 0, orderUpdateMax: 0, rankedMin: 1 }],
  ['some hits cached, orders kept by small writes', { smallHits: 20, orderUpdateMax: 10, rankedMin: 7 }],
  ['copies read in the search, not on the worker thread', { loadInWorker: false }],
]

describe.each(PATHS)('sqlite-fts5 in-memory attributes, against plain SQL (%s)', (name, options) => {
  const tag = PATHS.findIndex(([n]) => n === name)
  it.each([1, 2, 3])('answers random queries alike through random writes (seed %i)', async (seed) => {
    const g = generator(seed)
    const engine = createFts5Engine(sqlite, options)
    // Another engine object on the same connection stands for another process: its
    // writes leave `engine`'s copy at an older generation, to be read again.
    const other = createFts5Engine(sqlite, options)
    const indexes = [
      { index: `equiv_${tag}_${seed}`, settings: SORTED },
      { index: `equiv_unsorted_${tag}_${seed}`, settings: UNSORTED },
    ]
    let nextId = 0
    let ids: string[] = []
    const fresh = (n: number) => Array.from({ length: n }, () => g.doc(`d${nextId++}`))
    const initial = fresh(300)
    ids = initial.map((d) => d.id)
    for (const { index, settings } of indexes) {
      await engine.ensureIndex(index, settings)
      await engine.clear(index)
      await engine.upsert(index, initial)
    }

    for (let round = 0; round < 6; round++) {
      for (const { index, settings } of indexes) {
        await expectSameAnswers(
          engine,
          index,
          settings,
          Array.from({ length: 40 }, () => g.query(settings)),
        )
      }
      // Replace some documents, add some, delete some, mostly through `engine`.
      const replaced = Array.from({ length: 1 + g.int(30) }, () => g.doc(g.pick(ids)))
      const added = fresh(g.int(20))
      const deleted = Array.from({ length: g.int(20) }, () => g.pick(ids))
      ids = [...ids.filter((id) => !deleted.includes(id)), ...added.map((d) => d.id)]
      const writer = g.chance(0.3) ? other : engine
      for (const { index } of indexes) {
        await writer.upsert(index, [...replaced, ...added])
        await writer.delete(index, [...deleted, 'no-such-document'])
      }
    }
    expect(await engine.count(indexes[0]?.index ?? '')).toBe(new Set(ids).size)
  })

  it('keeps answering alike while list values are replaced over and over', async () => {
    // Replaced lists leave garbage in the copy, compacted now and then.
    const g = generator(4)
    const engine = createFts5Engine(sqlite, options)
    const index = `equiv_churn_${tag}`
    await engine.ensureIndex(index, SORTED)
    await engine.clear(index)
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`)
    for (let round = 0; round < 30; round++) {
      await engine.upsert(
        index,
        ids.map((id) => g.doc(id)),
      )
      await expectSameAnswers(engine, index, SORTED, [
        { facets: ['tags', 'place'] },
        { filters: { tags: ['t1', 't2'] }, facets: ['place'], sort: { by: 'ts', direction: 'asc' }, pageSize: 100 },
        ...Array.from({ length: 5 }, () => g.query(SORTED)),
      ])
    }
  })
})
