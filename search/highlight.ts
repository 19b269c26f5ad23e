/**
 * Highlighting the words a search matched (SearchResult.terms) in the text of a hit,
 * and cutting an excerpt around the first of them. Pure and browser-safe: no jieba,
 * no DOM. The result is plain data a component turns into text nodes and <mark>
 * elements (app/components/highlighted-text.tsx), never an HTML string, so nothing a
 * document or a query holds can become markup.
 */

export interface Segment {
  text: string
  /** A stretch of the text one of the terms matched. */
  hit: boolean
}

export interface HighlightOptions {
  /** Only this many UTF-16 code units at the start are searched (the rest is one plain segment). */
  maxChars?: number
  /** Only the first this many distinct terms are looked for. */
  maxTerms?: number
}

/** Highlighting looks at this much of a text: a title or an excerpt, not a whole document. */
export const MAX_HIGHLIGHT_CHARS = 4096
/** Terms looked for at most: a query keeps 32 words, each with a few synonyms at most. */
export const MAX_HIGHLIGHT_TERMS = 64
/** A longer term is no word a search matched. */
const MAX_TERM_CHARS = 64

const WORD = /[\p{L}\p{N}]/u
const ASCII_WORD = /^[a-z0-9]$/

/** How text and terms are compared: full-width letters and digits as ASCII ones (NFKC), any case. */
export function foldForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

interface FoldedText {
  /** The folded text. */
  text: string
  /** For each code unit of the folded text, the original code point it came from: [start, end). */
  starts: Uint32Array
  ends: Uint32Array
}

/**
 * Folds one code point at a time, so every folded code unit knows the original code
 * point it came from (NFKC may turn one into several: ﬁ → fi, ㎏ → kg) and a match
 * never ends inside a surrogate pair.
 */
function foldWithMap(text: string): FoldedText {
  const starts: number[] = []
  const ends: number[] = []
  let out = ''
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i)!
    const len = code > 0xffff ? 2 : 1
    const folded = foldForMatch(text.slice(i, i + len))
    for (let k = 0; k < folded.length; k++) {
      starts.push(i)
      ends.push(i + len)
    }
    out += folded
    i += len
  }
  return { text: out, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) }
}

/** The terms worth looking for: folded, trimmed, holding a letter or digit, distinct, longest first. */
export function prepareTerms(terms: readonly string[], maxTerms = MAX_HIGHLIGHT_TERMS): string[] {
  const seen = new Set<string>()
  for (const raw of terms) {
    if (seen.size >= maxTerms) break
    if (typeof raw !== 'string') continue
    const term = foldForMatch(raw).trim()
    if (!term || term.length > MAX_TERM_CHARS || !WORD.test(term)) continue
    seen.add(term)
  }
  return [...seen].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
}

/** Cuts `end` back so it does not split a surrogate pair. */
function safeEnd(text: string, end: number): number {
  if (end >= text.length) return text.length
  const code = text.charCodeAt(end - 1)
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end
}

/**
 * Marks which code units of `text` the terms match: longest terms first, never two
 * matches over one character. A term of ASCII letters or digits matches whole Latin
 * words only (MES in "MES系统", not in "homes"); Chinese has no spaces, so its terms
 * match anywhere.
 */
function markHits(text: string, terms: readonly string[]): Uint8Array {
  const marked = new Uint8Array(text.length)
  if (terms.length === 0 || text.length === 0) return marked
  const folded = foldWithMap(text)
  const f = folded.text
  for (const term of terms) {
    const latinStart = ASCII_WORD.test(term[0]!)
    const latinEnd = ASCII_WORD.test(term[term.length - 1]!)
    let pos = f.indexOf(term)
    while (pos >= 0) {
      const last = pos + term.length - 1
      const start = folded.starts[pos]!
      const end = folded.ends[last]!
      const bounded =
        (!latinStart || pos === 0 || !ASCII_WORD.test(f[pos - 1]!)) &&
        (!latinEnd || last === f.length - 1 || !ASCII_WORD.test(f[last + 1]!))
      let free = bounded
      for (let i = start; free && i < end; i++) if (marked[i]) free = false
      if (free) {
        marked.fill(1, start, end)
        pos = f.indexOf(term, last + 1)
      } else {
        pos = f.indexOf(term, pos + 1)
      }
    }
  }
  return marked
}

/**
 * `text` cut into plain and matched stretches, in order; joined they give `text` back.
 * Case-insensitive and NFKC-aware (ＭＥＳ matches "mes"); terms are plain text, never
 * patterns. Bounded: the first `maxChars` code units (default 4 096) and the first
 * `maxTerms` terms (default 64) are looked at.
 */
export function highlightSegments(text: string, terms: readonly string[], options: HighlightOptions = {}): Segment[] {
  if (!text) return []
  const prepared = prepareTerms(terms, options.maxTerms ?? MAX_HIGHLIGHT_TERMS)
  if (prepared.length === 0) return [{ text, hit: false }]
  const limit = safeEnd(text, Math.max(0, options.maxChars ?? MAX_HIGHLIGHT_CHARS))
  const head = text.slice(0, limit)
  const marked = markHits(head, prepared)
  const segments: Segment[] = []
  let from = 0
  for (let i = 1; i <= head.length; i++) {
    if (i === head.length || marked[i] !== marked[from]) {
      if (i > from) segments.push({ text: head.slice(from, i), hit: marked[from] === 1 })
      from = i
    }
  }
  if (limit < text.length) {
    const rest = text.slice(limit)
    const previous = segments[segments.length - 1]
    if (previous && !previous.hit) previous.text += rest
    else segments.push({ text: rest, hit: false })
  }
  return segments
}

/** Where a sentence or clause ends: an excerpt may start right after one. */
const BREAK = /[。！？；!?;…\n]/u

/**
 * An excerpt of at most `maxChars` characters (code points) around the first match of
 * the terms, with … where the text was cut: it starts at the beginning of the sentence
 * holding the match when that is near enough (a quarter of the excerpt at most), and
 * with no match it is the text's beginning. Whitespace runs become one space.
 */
export function snippetAround(text: string, terms: readonly string[], maxChars: number): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(clean)
  const size = Math.max(1, Math.floor(maxChars))
  if (chars.length <= size) return clean
  let hitAt = -1
  const segments = highlightSegments(clean, terms)
  let units = 0
  for (const s of segments) {
    if (s.hit) {
      hitAt = Array.from(clean.slice(0, units)).length
      break
    }
    units += s.text.length
  }
  let start = 0
  if (hitAt > 0) {
    const lead = Math.floor(size / 4)
    start = Math.max(0, hitAt - lead)
    // Start after the last break before the match, if the window holds one.
    for (let i = hitAt - 1; i >= start; i--) {
      if (BREAK.test(chars[i]!)) {
        start = i + 1
        break
      }
    }
    start = Math.min(start, chars.length - size)
    while (start < hitAt && chars[start] === ' ') start++
  }
  const end = Math.min(chars.length, start + size)
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`
}
