import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { HighlightedText } from '../../app/components/highlighted-text.js'
import { highlightSegments, MAX_HIGHLIGHT_CHARS, prepareTerms, snippetAround, type Segment } from '../../search/highlight.js'

/** The segments written as text with [marks], and a check that they join back to the text. */
function marked(text: string, terms: readonly string[], options?: Parameters<typeof highlightSegments>[2]): string {
  const segments: Segment[] = highlightSegments(text, terms, options)
  expect(segments.map((s) => s.text).join('')).toBe(text)
  for (let i = 1; i < segments.length; i++) expect(segments[i]!.hit).not.toBe(segments[i - 1]!.hit)
  return segments.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('')
}

const render = (text: string, terms: readonly string[]) => renderToStaticMarkup(createElement(HighlightedText, { text, terms }))

describe('highlightSegments', () => {
  it('marks every occurrence of every term, in any case', () => {
    expect(marked('MES 制造执行系统与mes接口', ['mes', '制造执行系统'])).toBe('[MES] [制造执行系统]与[mes]接口')
    expect(marked('视觉检测、机器视觉', ['视觉'])).toBe('[视觉]检测、机器[视觉]')
  })

  it('leaves the text whole without terms or matches', () => {
    expect(marked('焊缝检测', [])).toBe('焊缝检测')
    expect(marked('焊缝检测', ['能耗'])).toBe('焊缝检测')
    expect(highlightSegments('', ['x'])).toEqual([])
  })

  it('prefers the longest term and never overlaps two matches', () => {
    expect(marked('预测性维护', ['预测', '预测性维护', '维护'])).toBe('[预测性维护]')
    // 数字 and 字化 overlap in 数字化: the longer (here equal, first in order) wins, the other is not marked.
    expect(marked('数字化转型', ['字化转', '数字'])).toBe('数[字化转]型')
    // Adjacent matches of different terms read as one marked stretch.
    expect(marked('视觉检测', ['视觉', '检测'])).toBe('[视觉检测]')
  })

  it('matches full-width letters and digits as ASCII ones (NFKC) and keeps the original characters', () => {
    expect(marked('ＭＥＳ系统与ＥＲＰ集成', ['mes', 'erp'])).toBe('[ＭＥＳ]系统与[ＥＲＰ]集成')
    expect(marked('５Ｇ专网', ['5G'])).toBe('[５Ｇ]专网')
    expect(marked('MES system', ['ＭＥＳ'])).toBe('[MES] system')
  })

  it('matches ASCII terms as whole Latin words only', () => {
    expect(marked('Homes and MES', ['mes'])).toBe('Homes and [MES]')
    expect(marked('MES系统', ['mes'])).toBe('[MES]系统')
    expect(marked('ERP/MES', ['mes', 'erp'])).toBe('[ERP]/[MES]')
  })

  it('treats regex metacharacters in terms as plain text', () => {
    expect(marked('a.b 与 axb', ['a.b'])).toBe('[a.b] 与 axb')
    expect(marked('C++ 与 (x) [y] * ? ^$ |', ['c++', '(x)', '[y]', '^$'])).toBe('[C++] 与 [(x)] [[y]] * ? ^$ |')
    expect(marked('价格 $100', ['$100', '.*'])).toBe('价格 [$100]')
  })

  it('keeps markup in documents and terms as text', () => {
    expect(marked('<script>alert(1)</script> 视觉', ['视觉', 'script'])).toBe('<[script]>alert(1)</[script]> [视觉]')
    expect(marked('&lt;b&gt;加粗&lt;/b&gt;', ['&lt;b&gt;'])).toBe('[&lt;b&gt;]加粗&lt;/b&gt;')
    const html = render('<img src=x onerror=alert(1)> 视觉 &lt;', ['视觉', '<img'])
    expect(html).toBe('<mark>&lt;img</mark> src=x onerror=alert(1)&gt; <mark>视觉</mark> &amp;lt;')
    expect(html).not.toContain('<img')
  })

  it('never splits a surrogate pair or a character NFKC expands', () => {
    expect(marked('😀视觉😀检测', ['视觉'])).toBe('😀[视觉]😀检测')
    expect(marked('𠮷野家 𠮷', ['𠮷'])).toBe('[𠮷]野家 [𠮷]')
    // ﬁ folds to "fi": a term matching part of it marks the whole character.
    expect(marked('ﬁle', ['file'])).toBe('[ﬁle]')
    const emojiTerm = marked('a😀b', ['😀b'])
    expect(emojiTerm).toBe('a[😀b]')
  })

  it('is bounded in text and terms', () => {
    const long = `${'视觉'.repeat(MAX_HIGHLIGHT_CHARS)}尾`
    const segments = highlightSegments(long, ['视觉', '尾'])
    expect(segments.map((s) => s.text).join('')).toBe(long)
    expect(segments[segments.length - 1]).toMatchObject({ hit: false })
    expect(segments[segments.length - 1]!.text.endsWith('尾')).toBe(true)
    // A cut at the limit never splits a pair.
    const emoji = '😀'.repeat(10)
    expect(
      highlightSegments(emoji, ['😀'], { maxChars: 5 })
        .map((s) => s.text)
        .join(''),
    ).toBe(emoji)
    const terms = Array.from({ length: 200 }, (_, i) => `t${i}`)
    expect(prepareTerms(terms)).toHaveLength(64)
    expect(marked('t199 t1', terms)).toBe('t199 [t1]')
    expect(prepareTerms(['', '  ', '!!', 'x'.repeat(65), 'ok', 'OK'])).toEqual(['ok'])
  })
})

describe('snippetAround', () => {
  const text = `${'前言部分介绍企业概况。'.repeat(10)}焊接工序依赖人工目检，计划引入视觉检测系统。${'后续内容。'.repeat(20)}`

  it('cuts around the first match, from the start of its sentence, with … where cut', () => {
    const snippet = snippetAround(text, ['视觉'], 80)
    expect(snippet.startsWith('…焊接工序')).toBe(true)
    expect(snippet.endsWith('…')).toBe(true)
    expect(snippet).toContain('视觉检测')
    expect(Array.from(snippet.replaceAll('…', ''))).toHaveLength(80)
    // Without a sentence break near enough, it starts a quarter of the excerpt before the match.
    expect(snippetAround(text, ['视觉'], 40)).toBe(
      '…赖人工目检，计划引入视觉检测系统。后续内容。后续内容。后续内容。后续内容。后续内…',
    )
  })

  it('gives the beginning without a match, and the whole of a short text', () => {
    expect(snippetAround(text, ['能耗'], 10)).toBe('前言部分介绍企业概况…')
    expect(snippetAround('短文本  视觉\n检测', ['视觉'], 40)).toBe('短文本 视觉 检测')
  })

  it('keeps the window full near the end and never splits an emoji', () => {
    const tail = `${'😀'.repeat(50)}视觉`
    const snippet = snippetAround(tail, ['视觉'], 10)
    expect(snippet).toBe(`…${'😀'.repeat(8)}视觉`)
  })
})

describe('HighlightedText', () => {
  it('renders the text as it is without terms', () => {
    expect(render('<b>x</b>', [])).toBe('&lt;b&gt;x&lt;/b&gt;')
  })
})
