import { describe, expect, it } from 'vitest'
import { MAX_QUERY_TOKENS, segmentForIndex, segmentQuery } from '../../search/tokenizer.js'

describe('segmentForIndex', () => {
  it('emits the short words inside long ones, so either finds the text', () => {
    const tokens = segmentForIndex('数字化车间改造，故障诊断与预测性维护')
    expect(tokens).toEqual(
      expect.arrayContaining(['数字', '数字化', '车间', '改造', '故障', '诊断', '故障诊断', '预测', '预测性']),
    )
  })

  it('lowercases latin and drops punctuation, spaces and emoji', () => {
    expect(segmentForIndex('MES 系统！🤖 ERP。')).toEqual(['mes', '系统', 'erp'])
  })

  it('adds the lexicon terms a text holds as words of their own', () => {
    expect(segmentForIndex('热处理炉温')).toEqual(expect.arrayContaining(['热处理炉', '炉温']))
    expect(segmentForIndex('机器视觉检测设备')).toEqual(expect.arrayContaining(['机器视觉', '视觉检测']))
    expect(segmentForIndex('大多数采用人工')).not.toContain('数采')
    expect(segmentForIndex('MES，MES').filter((w) => w === 'mes')).toHaveLength(2)
  })

  it('returns nothing for empty text', () => {
    expect(segmentForIndex('')).toEqual([])
    expect(segmentForIndex(' ，。 ')).toEqual([])
  })
})

describe('segmentQuery', () => {
  it('cuts precisely, without the search-mode sub-words', () => {
    expect(segmentQuery('数字化')).toEqual(['数字化'])
    expect(segmentQuery('视觉引导')).toEqual(['视觉', '引导'])
    expect(segmentQuery('诊断')).toEqual(['诊断'])
  })

  it('keeps lexicon terms whole (search/lexicon.json), cutting the rest', () => {
    expect(segmentQuery('视觉检测')).toEqual(['视觉检测'])
    expect(segmentQuery('热处理炉温')).toEqual(['热处理', '炉温'])
    expect(segmentQuery('部署MES系统')).toEqual(['部署', 'mes', '系统'])
    // Not inside a Latin word, nor where both ends fall inside jieba's words.
    expect(segmentQuery('times')).toEqual(['times'])
    expect(segmentQuery('大多数采用')).toEqual(['大多数', '采用'])
  })

  it('in any mode reads longer text and drops stop words and one-character words', () => {
    const text = `我们需要对热处理车间进行改造，实现炉温监测。${'另'.repeat(300)}扫码追溯`
    expect(segmentQuery(text, 'any')).toEqual(['热处理', '车间', '改造', '炉温', '监测', '扫码', '追溯'])
    expect(segmentQuery(text)).not.toContain('扫码')
  })

  it('keeps words only, lowercased and without duplicates', () => {
    expect(segmentQuery('"视觉" AND -检测* 视觉 NEAR(')).toEqual(['视觉', 'and', '检测', 'near'])
    expect(segmentQuery('!!! 🤖 。，')).toEqual([])
  })

  it('bounds what a pasted wall of text can cost', () => {
    expect(segmentQuery('视觉'.repeat(5000))).toEqual(['视觉'])
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')
    const tokens = segmentQuery(many)
    expect(tokens.length).toBeLessThanOrEqual(MAX_QUERY_TOKENS)
    expect(tokens[0]).toBe('w0')
    // Only the first 200 characters are read.
    expect(segmentQuery(`${'a '.repeat(100)}视觉`)).toEqual(['a'])
  })
})
