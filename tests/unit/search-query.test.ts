import { describe, expect, it } from 'vitest'
import { assertQueryAllowed, normalizePaging, resolveSort, SearchQueryError, type IndexSettings } from '../../search/engine.js'
import {
  buildMeilisearchFilter,
  meilisearchSynonyms,
  quoteFilterValue,
  toMeilisearchQuery,
} from '../../search/meilisearch-engine.js'

const settings: IndexSettings = { filterable: ['industry', 'regions', 'budgetMax'], sortable: ['publishedAt', 'budgetMax'] }

describe('paging and sort defaults', () => {
  it('clamps paging', () => {
    expect(normalizePaging({})).toEqual({ page: 1, pageSize: 20 })
    expect(normalizePaging({ page: 3.7, pageSize: 500 })).toEqual({ page: 3, pageSize: 100 })
    expect(normalizePaging({ page: Number.NaN, pageSize: -1 })).toEqual({ page: 1, pageSize: 1 })
  })

  it('ranks by relevance only when there are words', () => {
    expect(resolveSort({}, settings, true)).toBe('relevance')
    expect(resolveSort({ sort: 'relevance' }, settings, false)).toEqual({ by: 'publishedAt', direction: 'desc' })
    expect(resolveSort({ sort: { by: 'budgetMax', direction: 'asc' } }, settings, true)).toEqual({
      by: 'budgetMax',
      direction: 'asc',
    })
    expect(resolveSort({}, { filterable: [], sortable: [] }, false)).toBe('none')
  })

  it('rejects attributes outside the settings', () => {
    expect(() => assertQueryAllowed({ filters: { industry: ['C34'] }, facets: ['regions'] }, settings)).not.toThrow()
    expect(() => assertQueryAllowed({ filters: { status: ['x'] } }, settings)).toThrow(SearchQueryError)
    expect(() => assertQueryAllowed({ ranges: { publishedAt: { min: 1 } } }, settings)).toThrow(SearchQueryError)
    expect(() => assertQueryAllowed({ sort: { by: 'industry', direction: 'asc' } }, settings)).toThrow(SearchQueryError)
  })
})

describe('Meilisearch query building', () => {
  it('quotes filter values with backslash escapes', () => {
    expect(quoteFilterValue('C34')).toBe('"C34"')
    expect(quoteFilterValue('a"b')).toBe('"a\\"b"')
    expect(quoteFilterValue('a\\"')).toBe('"a\\\\\\""')
  })

  it('builds one expression per constraint', () => {
    expect(
      buildMeilisearchFilter({
        filters: { industry: ['C34', 'C35', 'C34'], regions: [], level: ['x" OR level = "y'] },
        ranges: { budgetMax: { min: 100, max: 300 }, budgetMin: { max: 50 }, other: { min: Number.NaN } },
      }),
    ).toEqual([
      'industry IN ["C34", "C35"]',
      'level IN ["x\\" OR level = \\"y"]',
      'budgetMax >= 100',
      'budgetMax <= 300',
      'budgetMin <= 50',
    ])
  })

  it('refuses attribute names that are not plain identifiers', () => {
    expect(() => buildMeilisearchFilter({ filters: { 'industry = "C34" OR x': ['1'] } })).toThrow(SearchQueryError)
  })

  it('sends words only, so query syntax never reaches the server', () => {
    expect(toMeilisearchQuery('"视觉引导" -人工')).toBe('视觉 引导 人工')
    expect(toMeilisearchQuery('!!!')).toBeNull()
  })

  it('maps every synonym to the other members of its group', () => {
    const synonyms = meilisearchSynonyms()
    expect(synonyms.mes).toEqual(['制造执行系统', '生产执行系统'])
    expect(synonyms['制造执行系统']).toEqual(['mes', '生产执行系统'])
    expect(synonyms['视觉质检']).toContain('机器视觉')
  })
})
