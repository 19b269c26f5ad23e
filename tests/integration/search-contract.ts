import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { IndexSettings, SearchDocument, SearchEngine, SearchQuery } from '../../search/engine.js'
import { highlightSegments } from '../../search/highlight.js'

/**
 * The behaviour every search engine must have. Each engine's test file calls
 * this with a factory; the documents are synthetic so the suite says nothing
 * about needs, only about the engine.
 */

export interface ContractSubject {
  engine: SearchEngine
  /** A fresh index name the suite may fill and clear. */
  index: string
  /** Another index name, to check that indexes do not see each other. */
  otherIndex: string
  cleanup?: () => Promise<void>
}

export const CONTRACT_SETTINGS: IndexSettings = {
  filterable: ['industry', 'regions', 'level', 'tags', 'budgetMin', 'budgetMax'],
  sortable: ['publishedAt', 'budgetMax'],
}

interface Spec {
  title: string
  body: string
  industry: string
  regions: string[]
  level: string
  tags: string[]
  budget?: [number, number]
  publishedAt?: number
}

function doc(id: string, s: Spec): SearchDocument {
  const attributes: SearchDocument['attributes'] = {
    industry: s.industry,
    regions: s.regions,
    level: s.level,
    tags: s.tags,
  }
  if (s.budget) {
    attributes.budgetMin = s.budget[0]
    attributes.budgetMax = s.budget[1]
  }
  if (s.publishedAt !== undefined) attributes.publishedAt = s.publishedAt
  return {
    id,
    title: s.title,
    body: s.body,
    attributes,
    display: { title: s.title, budgetMaxWan: s.budget?.[1] ?? null, note: `${id} 的展示字段` },
  }
}

const T0 = 1_700_000_000

export const CONTRACT_DOCS: readonly SearchDocument[] = [
  doc('doc-a', {
    title: '数字化车间改造',
    body: '对冲压车间进行数字化改造，部署制造执行系统。',
    industry: 'C34',
    regions: ['320000', '321000', '321023'],
    level: 'digital_workshop',
    tags: ['S101', 'S301'],
    budget: [100, 300],
    publishedAt: T0 + 100,
  }),
  doc('doc-b', {
    title: '机器视觉检测设备采购',
    body: '产线在线视觉检测，替代人工质检。',
    industry: 'C38',
    regions: ['320000', '321000', '321002'],
    level: 'smart_line',
    tags: ['S305'],
    budget: [50, 80],
    publishedAt: T0 + 200,
  }),
  doc('doc-c', {
    title: '智能制造成熟度诊断服务',
    body: '邀请服务商开展智能制造能力成熟度诊断，出具报告。',
    industry: 'C34',
    regions: ['320000', '320100', '320102'],
    level: 'smart_factory',
    tags: ['S101'],
    budget: [20, 40],
    publishedAt: T0 + 300,
  }),
  doc('doc-d', {
    title: '设备故障诊断与预测性维护',
    body: '采集电机振动数据，实现故障预警。',
    industry: 'C35',
    regions: ['330000', '330100', '330106'],
    level: 'smart_factory',
    tags: ['S402'],
    budget: [200, 500],
    publishedAt: T0 + 400,
  }),
  doc('doc-e', {
    title: '智能仓储物流升级',
    body: '建设立体仓库，引入搬运机器人。',
    industry: 'C13',
    regions: ['330000', '330200'],
    level: 'digital_workshop',
    tags: ['S307', 'S308'],
    budget: [300, 800],
    publishedAt: T0 + 500,
  }),
  doc('doc-f', {
    title: '焊接机器人上下料改造',
    body: '通过视觉引导机器人定位工件。',
    industry: 'C34',
    regions: ['320000', '321000', '321023'],
    level: 'smart_line',
    tags: ['S304'],
    budget: [80, 150],
    publishedAt: T0 + 600,
  }),
  doc('doc-g', {
    title: '数字孪生工厂建设',
    body: '建设工厂三维模型与数据平台。',
    industry: 'C39',
    regions: ['440000', '440300'],
    level: 'future_factory',
    tags: ['S102'],
    budget: [1000, 3000],
    publishedAt: T0 + 700,
  }),
  // No budget and no publication time: sorts after everything else.
  doc('doc-h', {
    title: '能耗监测平台建设',
    body: '对空压机能耗进行在线监测。',
    industry: 'C26',
    regions: ['320000', '321000'],
    level: 'smart_line',
    tags: ['S403'],
  }),
]

/** Inputs that are FTS5 or Meilisearch syntax, or just awkward. None may throw. */
export const HOSTILE_INPUTS: readonly string[] = [
  '"',
  '""',
  '"视觉',
  '视觉"检测',
  "'",
  '*',
  '视觉*',
  '*视觉',
  'NEAR(',
  'NEAR(视觉 检测, 2)',
  'near(',
  '-',
  '-视觉',
  '视觉 -检测',
  'AND',
  'OR',
  'NOT',
  'AND OR NOT',
  '视觉 AND',
  'OR 检测',
  '视觉 NOT 检测',
  '^',
  '^视觉',
  ':',
  'title:视觉',
  'body : 检测',
  '(',
  ')',
  '(视觉) OR (检测',
  '{title body}: 视觉',
  '+',
  '!!!',
  '。，、；：？！',
  '……——',
  '\\',
  '\u0000',
  '\t\n',
  '🤖',
  '🔥视觉🔥',
  '👨‍👩‍👧',
  "'; DROP TABLE search_docs; --",
  'x'.repeat(2000),
  '视觉'.repeat(1000),
  '检测 '.repeat(700),
]

const ALL_IDS = CONTRACT_DOCS.map((d) => d.id)

/** Documents of the field's vocabulary (search/lexicon.json): synonyms and words jieba cuts badly. */
export const VOCABULARY_DOCS: readonly SearchDocument[] = [
  { id: 'voc-mes', title: 'MES 上线', body: '车间部署 MES，打通工单。', attributes: {}, display: {} },
  { id: 'voc-zh', title: '制造执行系统建设', body: '建设覆盖冲压与装配的生产管理。', attributes: {}, display: {} },
  { id: 'voc-furnace', title: '热处理炉温在线监测', body: '对热处理炉温进行实时采集与报警。', attributes: {}, display: {} },
  { id: 'voc-vision', title: '机器视觉定位', body: '引导机械手抓取工件。', attributes: {}, display: {} },
  { id: 'voc-qc', title: '视觉质检工作站', body: '替代人工目检。', attributes: {}, display: {} },
  { id: 'voc-wms', title: '仓储管理系统升级', body: '原材料与成品库位管理。', attributes: {}, display: {} },
]

export function runSearchEngineContract(
  name: string,
  makeSubject: () => Promise<ContractSubject>,
  options: {
    skip?: boolean
    /**
     * The engine's 'any' mode is not a plain OR (Meilisearch's matchingStrategy
     * 'frequency' keeps the rarest word): the cases needing exactly the OR set skip.
     */
    looseAny?: boolean
  } = {},
): void {
  describe.skipIf(options.skip ?? false)(`search engine contract: ${name}`, () => {
    let subject: ContractSubject
    let engine: SearchEngine
    let index: string

    const search = (query: SearchQuery) => engine.search(index, query)
    const ids = async (query: SearchQuery) => (await search(query)).hits.map((h) => h.id)
    const idSet = async (query: SearchQuery) => (await ids({ pageSize: 100, ...query })).sort()

    beforeAll(async () => {
      subject = await makeSubject()
      engine = subject.engine
      index = subject.index
    })

    afterAll(async () => {
      await subject?.cleanup?.()
    })

    beforeEach(async () => {
      await engine.ensureIndex(index, CONTRACT_SETTINGS)
      await engine.clear(index)
      await engine.upsert(index, CONTRACT_DOCS)
    })

    describe('Chinese words', () => {
      it('finds 数字化 only where the word occurs (not 数字孪生)', async () => {
        expect(await idSet({ text: '数字化' })).toEqual(['doc-a'])
      })

      it('finds 诊断 in titles and bodies', async () => {
        expect(await idSet({ text: '诊断' })).toEqual(['doc-c', 'doc-d'])
      })

      it('finds 视觉检测 only where both words occur', async () => {
        expect(await idSet({ text: '视觉检测' })).toEqual(['doc-b'])
      })

      it('finds 视觉 alone, ranking a title match first', async () => {
        expect(await idSet({ text: '视觉' })).toEqual(['doc-b', 'doc-f'])
        expect(await ids({ text: '视觉' })).toEqual(['doc-b', 'doc-f'])
      })

      it.each([
        ['仓储', ['doc-e']],
        ['振动', ['doc-d']],
        ['质检', ['doc-b']],
        ['改造', ['doc-a', 'doc-f']],
        ['预测', ['doc-d']],
        ['机器人', ['doc-e', 'doc-f']],
        ['监测', ['doc-h']],
      ])('finds the two- and three-character word %s', async (word, expected) => {
        expect(await idSet({ text: word })).toEqual(expected)
      })

      it('ANDs the words of a query', async () => {
        expect(await idSet({ text: '机器人 视觉' })).toEqual(['doc-f'])
        expect(await idSet({ text: '仓储 视觉' })).toEqual([])
      })

      it('returns nothing for a word no document has', async () => {
        const result = await search({ text: '区块链' })
        expect(result.hits).toEqual([])
        expect(result.total).toBe(0)
      })

      it('hands back the display fields as stored', async () => {
        const result = await search({ text: '仓储' })
        expect(result.hits.map(({ id, display }) => ({ id, display }))).toEqual([
          { id: 'doc-e', display: { title: '智能仓储物流升级', budgetMaxWan: 800, note: 'doc-e 的展示字段' } },
        ])
        const h = await search({ text: '监测' })
        expect(h.hits[0]?.display.budgetMaxWan).toBeNull()
      })
    })

    describe('filters', () => {
      it('matches any of a list-valued attribute, so an ancestor region finds its descendants', async () => {
        expect(await idSet({ filters: { regions: ['320000'] } })).toEqual(['doc-a', 'doc-b', 'doc-c', 'doc-f', 'doc-h'])
        expect(await idSet({ filters: { regions: ['321000'] } })).toEqual(['doc-a', 'doc-b', 'doc-f', 'doc-h'])
        expect(await idSet({ filters: { regions: ['321023'] } })).toEqual(['doc-a', 'doc-f'])
      })

      it('ORs values within an attribute and ANDs across attributes', async () => {
        expect(await idSet({ filters: { regions: ['321002', '330100'] } })).toEqual(['doc-b', 'doc-d'])
        expect(await idSet({ filters: { industry: ['C34'], level: ['smart_line'] } })).toEqual(['doc-f'])
        expect(await idSet({ filters: { industry: ['C34', 'C35'], level: ['smart_factory'] } })).toEqual(['doc-c', 'doc-d'])
      })

      it('ignores an empty value list', async () => {
        expect(await idSet({ filters: { industry: [] } })).toEqual(ALL_IDS)
      })

      it('combines text and filters', async () => {
        expect(await idSet({ text: '改造', filters: { regions: ['321023'] } })).toEqual(['doc-a', 'doc-f'])
        expect(await idSet({ text: '改造', filters: { level: ['smart_line'] } })).toEqual(['doc-f'])
        expect(await idSet({ text: '诊断', filters: { regions: ['330000'] } })).toEqual(['doc-d'])
      })

      it('applies inclusive numeric ranges, open on a missing bound', async () => {
        expect(await idSet({ ranges: { budgetMax: { min: 150, max: 300 } } })).toEqual(['doc-a', 'doc-f'])
        expect(await idSet({ ranges: { budgetMax: { min: 500 } } })).toEqual(['doc-d', 'doc-e', 'doc-g'])
        expect(await idSet({ ranges: { budgetMax: { max: 80 } } })).toEqual(['doc-b', 'doc-c'])
        // Overlap with an asked 100–200 万: max ≥ 100 and min ≤ 200.
        expect(await idSet({ ranges: { budgetMax: { min: 100 }, budgetMin: { max: 200 } } })).toEqual(['doc-a', 'doc-d', 'doc-f'])
      })

      it('matches nothing for a value no document has', async () => {
        expect((await search({ filters: { industry: ['C99'] } })).total).toBe(0)
      })

      it('treats filter values as data, not syntax', async () => {
        for (const value of ['"', '" OR industry = "C34', '\\', "C34' OR 1=1 --", ']', '']) {
          const result = await search({ filters: { industry: [value] } })
          expect(result.total).toBe(0)
        }
      })
    })

    describe('facets', () => {
      it('counts values over the whole index', async () => {
        const { facets, total } = await search({ facets: ['industry', 'regions'] })
        expect(total).toBe(8)
        expect(facets.industry).toEqual({ C34: 3, C38: 1, C35: 1, C13: 1, C39: 1, C26: 1 })
        expect(facets.regions?.['320000']).toBe(5)
        expect(facets.regions?.['321023']).toBe(2)
        expect(facets.regions?.['440000']).toBe(1)
      })

      it('counts over the filtered result set, once per document for list values', async () => {
        const { facets, total } = await search({
          filters: { regions: ['320000'] },
          facets: ['industry', 'level', 'tags'],
        })
        expect(total).toBe(5)
        expect(facets.industry).toEqual({ C34: 3, C38: 1, C26: 1 })
        expect(facets.level).toEqual({ digital_workshop: 1, smart_line: 3, smart_factory: 1 })
        expect(facets.tags).toEqual({ S101: 2, S301: 1, S305: 1, S304: 1, S403: 1 })
      })

      it('counts over text matches and ranges', async () => {
        const text = await search({ text: '诊断', facets: ['industry'] })
        expect(text.facets.industry).toEqual({ C34: 1, C35: 1 })
        const ranged = await search({ ranges: { budgetMax: { min: 500 } }, facets: ['level'] })
        expect(ranged.facets.level).toEqual({ smart_factory: 1, digital_workshop: 1, future_factory: 1 })
      })

      it('returns an empty count map when nothing matches', async () => {
        const { facets } = await search({ text: '区块链', facets: ['industry'] })
        expect(facets).toEqual({ industry: {} })
      })

      it('returns no facets unless asked', async () => {
        expect((await search({})).facets).toEqual({})
      })
    })

    describe('sorting and paging', () => {
      it('sorts by a numeric attribute both ways, documents without it last', async () => {
        expect(await ids({ sort: { by: 'budgetMax', direction: 'asc' } })).toEqual([
          'doc-c',
          'doc-b',
          'doc-f',
          'doc-a',
          'doc-d',
          'doc-e',
          'doc-g',
          'doc-h',
        ])
        expect(await ids({ sort: { by: 'budgetMax', direction: 'desc' } })).toEqual([
          'doc-g',
          'doc-e',
          'doc-d',
          'doc-a',
          'doc-f',
          'doc-b',
          'doc-c',
          'doc-h',
        ])
      })

      it('without text, defaults to the first sortable attribute, newest first', async () => {
        const expected = ['doc-g', 'doc-f', 'doc-e', 'doc-d', 'doc-c', 'doc-b', 'doc-a', 'doc-h']
        expect(await ids({})).toEqual(expected)
        expect(await ids({ sort: 'relevance' })).toEqual(expected)
        expect(await ids({ text: '!!!' })).toEqual(expected)
      })

      it('sorts text matches by an attribute when asked', async () => {
        expect(await ids({ text: '改造', sort: { by: 'publishedAt', direction: 'asc' } })).toEqual(['doc-a', 'doc-f'])
        expect(await ids({ text: '改造', sort: { by: 'publishedAt', direction: 'desc' } })).toEqual(['doc-f', 'doc-a'])
      })

      it('pages through a sorted result, across the documents without the attribute', async () => {
        const sort = { by: 'budgetMax', direction: 'asc' } as const
        const page = async (n: number, size: number) => {
          const r = await search({ sort, page: n, pageSize: size })
          expect(r.total).toBe(8)
          expect(r.page).toBe(n)
          expect(r.pageSize).toBe(size)
          return r.hits.map((h) => h.id)
        }
        expect(await page(1, 3)).toEqual(['doc-c', 'doc-b', 'doc-f'])
        expect(await page(2, 3)).toEqual(['doc-a', 'doc-d', 'doc-e'])
        expect(await page(3, 3)).toEqual(['doc-g', 'doc-h'])
        expect(await page(4, 3)).toEqual([])
        expect(await page(2, 7)).toEqual(['doc-h'])
      })

      it('pages relevance results with the total of all matches', async () => {
        const first = await search({ text: '视觉', pageSize: 1 })
        const second = await search({ text: '视觉', pageSize: 1, page: 2 })
        expect(first.total).toBe(2)
        expect(second.total).toBe(2)
        expect([...first.hits, ...second.hits].map((h) => h.id)).toEqual(['doc-b', 'doc-f'])
      })

      it('normalises out-of-range paging', async () => {
        const r = await search({ page: 0, pageSize: 100_000 })
        expect(r.page).toBe(1)
        expect(r.pageSize).toBe(100)
        expect(r.hits).toHaveLength(8)
        const tiny = await search({ page: -3, pageSize: 0 })
        expect(tiny.page).toBe(1)
        expect(tiny.pageSize).toBe(1)
        expect(tiny.hits).toHaveLength(1)
      })
    })

    describe('writes', () => {
      it('counts documents', async () => {
        expect(await engine.count(index)).toBe(8)
      })

      it('deletes documents, ignoring unknown ids', async () => {
        await engine.delete(index, ['doc-b', 'doc-nope'])
        expect(await engine.count(index)).toBe(7)
        expect(await idSet({ text: '视觉检测' })).toEqual([])
        expect(await idSet({ text: '视觉' })).toEqual(['doc-f'])
        expect((await search({ facets: ['industry'] })).facets.industry?.C38).toBeUndefined()
      })

      it('replaces a document on upsert: old words and attributes are gone', async () => {
        const original = CONTRACT_DOCS[0]
        if (!original) throw new Error('fixture missing')
        await engine.upsert(index, [
          {
            ...original,
            title: '产线数字化改造二期',
            body: '新增装配工位的数据采集。',
            attributes: { industry: 'C35', regions: ['330000'], level: 'smart_line', tags: [], budgetMin: 10, budgetMax: 20 },
            display: { title: '产线数字化改造二期', budgetMaxWan: 20, note: null },
          },
        ])
        expect(await engine.count(index)).toBe(8)
        expect(await idSet({ text: '冲压' })).toEqual([])
        expect(await idSet({ text: '装配' })).toEqual(['doc-a'])
        expect(await idSet({ filters: { regions: ['321023'] } })).toEqual(['doc-f'])
        expect(await idSet({ filters: { regions: ['330000'] } })).toEqual(['doc-a', 'doc-d', 'doc-e'])
        expect((await search({ facets: ['industry'] })).facets.industry).toMatchObject({ C34: 2, C35: 2 })
        expect((await ids({ sort: { by: 'budgetMax', direction: 'asc' } }))[0]).toBe('doc-a')
        expect((await search({ text: '装配' })).hits[0]?.display).toEqual({
          title: '产线数字化改造二期',
          budgetMaxWan: 20,
          note: null,
        })
      })

      it('clears an index but keeps it usable', async () => {
        await engine.clear(index)
        expect(await engine.count(index)).toBe(0)
        expect((await search({ text: '视觉', facets: ['industry'] })).total).toBe(0)
        await engine.ensureIndex(index, CONTRACT_SETTINGS)
        await engine.upsert(index, CONTRACT_DOCS.slice(0, 2))
        expect(await engine.count(index)).toBe(2)
      })

      it('keeps indexes apart', async () => {
        const other = subject.otherIndex
        await engine.ensureIndex(other, CONTRACT_SETTINGS)
        await engine.clear(other)
        const shared = CONTRACT_DOCS[1]
        if (!shared) throw new Error('fixture missing')
        await engine.upsert(other, [{ ...shared, title: '另一个索引的文档', body: '区块链溯源' }])
        expect(await idSet({ text: '区块链' })).toEqual([])
        expect((await engine.search(other, { text: '区块链' })).hits.map((h) => h.id)).toEqual(['doc-b'])
        await engine.delete(other, ['doc-b'])
        expect(await idSet({ text: '视觉检测' })).toEqual(['doc-b'])
        await engine.upsert(other, [shared])
        await engine.clear(other)
        expect(await engine.count(index)).toBe(8)
        expect(await idSet({ text: '视觉检测' })).toEqual(['doc-b'])
      })
    })

    // The capability map's documents (app/domain/providers/search-index.server.ts, provider_cells):
    // no words at all, no sort attribute, list values holding ':' and '=' (its cells in `tags` here).
    describe('documents without words, values with punctuation', () => {
      it('filters and counts them as data', async () => {
        const other = subject.otherIndex
        await engine.ensureIndex(other, CONTRACT_SETTINGS)
        await engine.clear(other)
        const cells = (id: string, regions: string[], values: string[]): SearchDocument => ({
          id,
          title: '',
          body: '',
          attributes: { regions, tags: values },
          display: {},
        })
        await engine.upsert(other, [
          cells('cells-1', ['320000', '321000', '=321000'], ['C34:S305', 'C36:S305']),
          cells('cells-2', ['nationwide'], ['C34:S305']),
          cells('cells-3', ['620000', '=620000'], ['C36:S401']),
        ])
        const found = await engine.search(other, {
          filters: { regions: ['321023', '=321000', '=320000', 'nationwide'] },
          facets: ['tags'],
          pageSize: 1,
        })
        expect(found.total).toBe(2)
        expect(found.facets.tags).toEqual({ 'C34:S305': 2, 'C36:S305': 1 })
        const all = await engine.search(other, { facets: ['regions', 'tags'] })
        expect(all.total).toBe(3)
        expect(all.facets.regions).toMatchObject({ '=321000': 1, nationwide: 1, '=620000': 1 })
        expect((await engine.search(other, { filters: { tags: ['C36:S401'] } })).hits.map((h) => h.id)).toEqual(['cells-3'])
        await engine.clear(other)
      })
    })

    describe('synonyms and the field vocabulary', () => {
      const vocabulary = async () => {
        const other = subject.otherIndex
        await engine.ensureIndex(other, CONTRACT_SETTINGS)
        await engine.clear(other)
        await engine.upsert(other, VOCABULARY_DOCS)
        return async (query: SearchQuery) =>
          (await engine.search(other, { pageSize: 100, ...query })).hits.map((h) => h.id).sort()
      }

      it('finds MES by 制造执行系统 and back', async () => {
        const find = await vocabulary()
        expect(await find({ text: 'MES' })).toEqual(['voc-mes', 'voc-zh'])
        expect(await find({ text: 'mes' })).toEqual(['voc-mes', 'voc-zh'])
        expect(await find({ text: '制造执行系统' })).toEqual(['voc-mes', 'voc-zh'])
        expect(await find({ text: 'WMS' })).toEqual(['voc-wms'])
        await engine.clear(subject.otherIndex)
      })

      it('finds 机器视觉 by 视觉质检 and back', async () => {
        const find = await vocabulary()
        expect(await find({ text: '视觉质检' })).toEqual(['voc-qc', 'voc-vision'])
        expect(await find({ text: '机器视觉' })).toEqual(['voc-qc', 'voc-vision'])
        // In the main documents too: 机器视觉检测设备采购 holds 机器视觉 and 视觉检测.
        expect(await idSet({ text: '视觉质检' })).toEqual(['doc-b'])
        await engine.clear(subject.otherIndex)
      })

      it('finds 炉温 inside 热处理炉温 (cut 热处理炉/温 by jieba)', async () => {
        const find = await vocabulary()
        expect(await find({ text: '炉温' })).toEqual(['voc-furnace'])
        expect(await find({ text: '热处理 炉温' })).toEqual(['voc-furnace'])
        await engine.clear(subject.otherIndex)
      })

      it('ANDs a synonym group with the other words', async () => {
        const find = await vocabulary()
        expect(await find({ text: 'MES 工单' })).toEqual(['voc-mes'])
        expect(await find({ text: '制造执行系统 装配' })).toEqual(['voc-zh'])
        await engine.clear(subject.otherIndex)
      })

      it('highlights the synonyms a hit was found by, markup in the document staying text', async () => {
        await vocabulary()
        const title = '<b onclick="x()">制造执行系统</b> 与 Mes 上线'
        await engine.upsert(subject.otherIndex, [{ id: 'voc-markup', title, body: '', attributes: {}, display: { title } }])
        const result = await engine.search(subject.otherIndex, { text: 'MES', pageSize: 100 })
        const hit = result.hits.find((h) => h.id === 'voc-markup')
        expect(hit).toBeDefined()
        const segments = highlightSegments(String(hit!.display.title), result.terms)
        expect(segments.filter((x) => x.hit).map((x) => x.text)).toEqual(['制造执行系统', 'Mes'])
        // The segments give back the text exactly; the tags are text to render, never markup.
        expect(segments.map((x) => x.text).join('')).toBe(title)
        expect(segments.find((x) => !x.hit)?.text).toBe('<b onclick="x()">')
        await engine.clear(subject.otherIndex)
      })

      it('names the words matched, synonyms included, lower-cased', async () => {
        const { terms } = await search({ text: 'MES 改造' })
        expect(terms).toEqual(expect.arrayContaining(['mes', '制造执行系统', '改造']))
        expect(terms.every((t) => t === t.toLowerCase())).toBe(true)
        expect((await search({ text: '视觉', match: 'any' })).terms).toEqual(['视觉'])
        expect((await search({})).terms).toEqual([])
        expect((await search({ text: '!!!' })).terms).toEqual([])
      })
    })

    describe("'any' mode", () => {
      it.skipIf(options.looseAny ?? false)('finds documents holding any one of the words', async () => {
        expect(await idSet({ text: '仓储 视觉', match: 'any' })).toEqual(['doc-b', 'doc-e', 'doc-f'])
        expect(await idSet({ text: '区块链 诊断', match: 'any' })).toEqual(['doc-c', 'doc-d'])
        expect((await search({ text: '仓储 视觉', match: 'any' })).total).toBe(3)
        // 'all' still ANDs them.
        expect(await idSet({ text: '仓储 视觉' })).toEqual([])
      })

      it('ranks a document holding more of the words first', async () => {
        const found = await ids({ text: '焊接 机器人 视觉 上下料', match: 'any' })
        expect(found[0]).toBe('doc-f')
        expect(found).toContain('doc-f')
      })

      it.skipIf(options.looseAny ?? false)('applies synonyms, filters and facets to any-mode matches', async () => {
        expect(await idSet({ text: 'MES 立体仓库', match: 'any' })).toEqual(['doc-a', 'doc-e'])
        const filtered = await search({
          text: 'MES 立体仓库',
          match: 'any',
          filters: { industry: ['C13'] },
          facets: ['industry'],
        })
        expect(filtered.hits.map((h) => h.id)).toEqual(['doc-e'])
        expect(filtered.facets.industry).toEqual({ C13: 1 })
      })

      it('reads a whole need text, leaving out stop words and one-character words', async () => {
        const text = `我们企业需要对冲压车间进行数字化改造，实现设备的在线监测。${'另外，'.repeat(200)}`
        const result = await search({ text, match: 'any', pageSize: 100 })
        expect(result.hits.map((h) => h.id)).toContain('doc-a')
        expect(result.terms).not.toContain('的')
        expect(result.terms).not.toContain('进行')
        // Only stop words and single characters: no words, so no text.
        expect((await search({ text: '的 和 进行 车', match: 'any' })).total).toBe(8)
      })
    })

    describe('scores', () => {
      it('gives every hit of a relevance order a positive score, best first', async () => {
        for (const query of [
          { text: '视觉' },
          { text: '改造 数字化', match: 'any' as const },
          { text: '焊接 机器人 视觉 仓储 诊断 数字孪生', match: 'any' as const, pageSize: 3 },
          { text: '焊接 机器人 视觉 仓储 诊断 数字孪生', match: 'any' as const, pageSize: 3, page: 2 },
        ]) {
          const { hits } = await search(query)
          expect(hits.length, JSON.stringify(query)).toBeGreaterThan(0)
          const scores = hits.map((h) => h.score ?? Number.NaN)
          for (const score of scores) expect(score).toBeGreaterThan(0)
          for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!)
        }
        const first = await search({ text: '焊接 机器人 视觉 仓储 诊断 数字孪生', match: 'any', pageSize: 3 })
        const second = await search({ text: '焊接 机器人 视觉 仓储 诊断 数字孪生', match: 'any', pageSize: 3, page: 2 })
        expect(second.hits[0]!.score!).toBeLessThanOrEqual(first.hits.at(-1)!.score!)
      })

      it('gives no score without a relevance order', async () => {
        expect((await search({})).hits.every((h) => h.score === undefined)).toBe(true)
        const sorted = await search({ text: '改造', sort: { by: 'publishedAt', direction: 'asc' } })
        expect(sorted.hits.every((h) => h.score === undefined)).toBe(true)
      })

      it("keeps 'all' and 'any' answers apart in its caches", async () => {
        expect((await search({ text: '仓储 视觉', facets: ['industry'] })).total).toBe(0)
        expect((await search({ text: '仓储 视觉', match: 'any', facets: ['industry'] })).total).toBeGreaterThan(0)
        expect((await search({ text: '仓储 视觉', facets: ['industry'] })).total).toBe(0)
      })
    })

    describe('misuse', () => {
      it('rejects searching an index that was never created', async () => {
        await expect(engine.search(`${index}_missing`, {})).rejects.toThrow()
      })

      it('rejects attributes that are not filterable or sortable', async () => {
        await expect(search({ filters: { title: ['x'] } })).rejects.toThrow()
        await expect(search({ filters: { publishedAt: ['1'] } })).rejects.toThrow()
        await expect(search({ facets: ['nope'] })).rejects.toThrow()
        await expect(search({ sort: { by: 'industry', direction: 'asc' } })).rejects.toThrow()
      })

      it.each(
        HOSTILE_INPUTS.flatMap((input) =>
          (['all', 'any'] as const).map((match) => [`${match} ${JSON.stringify(input).slice(0, 40)}`, input, match] as const),
        ),
      )('never throws on user text %s', async (_label, text, match) => {
        const result = await search({ text, match, facets: ['industry'], pageSize: 5 })
        expect(Array.isArray(result.hits)).toBe(true)
        expect(result.total).toBeGreaterThanOrEqual(0)
        expect(Array.isArray(result.terms)).toBe(true)
        const sorted = await search({
          text,
          match,
          filters: { regions: ['320000'] },
          sort: { by: 'budgetMax', direction: 'desc' },
        })
        expect(sorted.total).toBeLessThanOrEqual(5)
      })

      it('never throws on a long any-mode text of many words', async () => {
        const words = ['焊接', '机器人', '视觉', '仓储', '诊断', '数字孪生', '改造', '能耗', '监测', '振动']
        const text = Array.from({ length: 400 }, (_, i) => `${words[i % words.length]}${i}号`).join('，')
        const result = await search({ text, match: 'any', facets: ['industry'] })
        expect(result.total).toBeGreaterThan(0)
        expect(result.terms.length).toBeLessThanOrEqual(200)
      })

      it('treats text without words as no text', async () => {
        for (const text of ['!!!', '🤖', '*', '"', '', '   ', '。，、']) {
          expect((await search({ text })).total).toBe(8)
          expect((await search({ text, match: 'any' })).total).toBe(8)
        }
      })
    })
  })
}
