import { beforeAll, describe, expect, it } from 'vitest'
import type { SearchEngine, SearchQuery, SearchResult } from '../../search/engine.js'
import {
  buildVocabulary,
  didYouMean,
  editDistance,
  lexiconWords,
  suggestionCandidates,
  type Vocabulary,
} from '../../search/suggest.js'

let vocabulary: Vocabulary

beforeAll(async () => {
  vocabulary = await buildVocabulary([
    ...lexiconWords(),
    // Scenario and industry names, as the pages pass them.
    '智能在线检测',
    '质量追溯',
    '智能仓储',
    '故障诊断与预测性维护',
    '酒、饮料和精制茶制造业',
    '汽车制造业',
  ])
})

const candidates = (text: string) => suggestionCandidates(text, vocabulary)

describe('buildVocabulary', () => {
  it('keeps Latin and Chinese words, cutting names at punctuation', () => {
    expect(vocabulary.latinSet.has('mes')).toBe(true)
    expect(vocabulary.han.has('视觉检测')).toBe(true)
    expect(vocabulary.han.has('饮料和精制茶制造业')).toBe(true)
    expect(vocabulary.han.has('故障诊断与预测性维护')).toBe(true)
    // One character is no word to correct to.
    expect(vocabulary.han.has('酒')).toBe(false)
    expect(vocabulary.byPinyin.get('shi jue jian ce')).toEqual(['视觉检测'])
  })
})

describe('editDistance', () => {
  it('counts a transposition as one edit and stops past the limit', () => {
    expect(editDistance('mse', 'mes', 2)).toBe(1)
    expect(editDistance('wsm', 'wms', 2)).toBe(1)
    expect(editDistance('erpp', 'erp', 2)).toBe(1)
    expect(editDistance('scdaa', 'scada', 2)).toBe(1)
    expect(editDistance('abc', 'xyz', 1)).toBe(2)
    expect(editDistance('a', 'abcdef', 2)).toBe(3)
  })
})

describe('suggestionCandidates', () => {
  it('replaces Chinese homophone typos by the vocabulary word with the same toneless pinyin', async () => {
    expect((await candidates('试觉检测'))[0]).toBe('视觉检测')
    expect((await candidates('仓出管理'))[0]).toBe('仓储管理')
    expect((await candidates('焊缝试觉检测'))[0]).toBe('焊缝视觉检测')
    expect((await candidates('数彩'))[0]).toBe('数采')
  })

  it('leaves correct words and sound-alikes too far from any word alone', async () => {
    expect(await candidates('视觉检测')).toEqual([])
    // 事绝 sounds like 视觉 but shares no character with it.
    expect(await candidates('事绝')).toEqual([])
  })

  it('corrects Latin words one or two edits away, in the case typed', async () => {
    expect((await candidates('MSE'))[0]).toBe('MES')
    expect((await candidates('WSM'))[0]).toBe('WMS')
    expect((await candidates('ERPP'))[0]).toBe('ERP')
    expect((await candidates('erpp'))[0]).toBe('erp')
    expect((await candidates('ＭＳＥ'))[0]).toBe('MES')
    expect((await candidates('scdaa'))[0]).toBe('scada')
    // Short words get one edit only; numbers are not corrected.
    expect(await candidates('XYZ')).toEqual([])
    expect(await candidates('2024')).toEqual([])
  })

  it('corrects several typos at once first, then each alone', async () => {
    expect(await candidates('MSE 仓出管理')).toEqual(['MES 仓储管理', 'MES 仓出管理', 'MSE 仓储管理', 'MES', '仓储管理'])
  })

  it('drops one word of several, unknown words first and from the last', async () => {
    expect(await candidates('视觉检测 区块链')).toEqual(['视觉检测', '区块链'])
    expect(await candidates('区块链 视觉检测 元宇宙')).toEqual(['区块链 视觉检测', '视觉检测 元宇宙', '区块链 元宇宙'])
    // Words the vocabulary does not know, typed together, are one word: jieba would cut 区块链 as 区块 / 链.
    expect(await candidates('焊接区块链')).toEqual([])
    expect(await candidates('焊接 区块链')).toEqual(['焊接', '区块链'])
    expect(await candidates('视觉检测区块链')).toEqual(['视觉检测', '区块链'])
    expect(await candidates('区块链')).toEqual([])
  })

  it('never fails on hostile text and stays bounded', async () => {
    for (const text of ['', '   ', '"*^(', '😀😀', '<script>', '视'.repeat(2000), 'a'.repeat(500)]) {
      const out = await candidates(text)
      expect(out.length).toBeLessThanOrEqual(5)
    }
  })
})

/** An engine that finds the needs holding all the words of the text, from a fixed list. */
function fakeEngine(docs: string[]): SearchEngine & { queries: SearchQuery[] } {
  const queries: SearchQuery[] = []
  return {
    name: 'fake',
    queries,
    ensureIndex: async () => {},
    upsert: async () => {},
    delete: async () => {},
    clear: async () => {},
    count: async () => docs.length,
    async search(_index, query): Promise<SearchResult> {
      queries.push(query)
      const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean)
      const hits = docs.filter((d) => words.every((w) => d.toLowerCase().includes(w)))
      return { hits: [], total: hits.length, page: 1, pageSize: 1, facets: {}, terms: words }
    },
  }
}

describe('didYouMean', () => {
  it('returns the first candidate that finds something, with its count, keeping the filters', async () => {
    const engine = fakeEngine(['MES 系统实施', '仓储管理 WMS', 'MES 与仓储管理'])
    const query: SearchQuery = { text: 'MSE 仓出管理', filters: { industry: ['C36'] }, ranges: { budgetMax: { min: 5 } } }
    expect(await didYouMean(engine, 'needs', query, vocabulary)).toEqual({ text: 'MES 仓储管理', total: 1 })
    expect(engine.queries[0]).toMatchObject({ filters: { industry: ['C36'] }, ranges: { budgetMax: { min: 5 } }, pageSize: 1 })
  })

  it('runs at most maxQueries searches and answers null when nothing helps', async () => {
    const engine = fakeEngine(['无关内容'])
    expect(await didYouMean(engine, 'needs', { text: 'MSE 仓出管理' }, vocabulary)).toBeNull()
    expect(engine.queries.length).toBeLessThanOrEqual(5)
    const two = fakeEngine([])
    expect(await didYouMean(two, 'needs', { text: 'MSE 仓出管理' }, vocabulary, { maxQueries: 2 })).toBeNull()
    expect(two.queries).toHaveLength(2)
    expect(await didYouMean(two, 'needs', { filters: {} }, vocabulary)).toBeNull()
  })
})
