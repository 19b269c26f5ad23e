import type { SearchEngine, SearchQuery } from './engine.js'
import { LEXICON } from './lexicon.js'
import { MAX_QUERY_CHARS } from './tokenizer.js'

/*
 * "Did you mean": when a text query finds nothing, a corrected query that does find
 * something. Candidates come from the field's vocabulary (the lexicon's terms plus the
 * reference data's scenario and industry names, handed in by the caller):
 *
 * - a Chinese stretch spelled with the right sounds but wrong characters (homophone
 *   typos of pinyin input: 试觉检测 → 视觉检测, 仓出管理 → 仓储管理): same toneless pinyin as
 *   a vocabulary word, differing in at most half of its characters;
 * - a Latin word one or two edits from a vocabulary word (MSE → MES, WSM → WMS, ERPP →
 *   ERP; transpositions count one edit; words of up to four letters get one edit);
 * - a query of several words without one of them (every word must match, so one stray
 *   word empties the list): unknown words are dropped first, from the last.
 *
 * Each candidate is verified by running it through the engine with the query's
 * filters (at most `maxQueries`, default 5, and only after a query found nothing);
 * the first that finds something is the suggestion. No jieba here: words are told
 * apart by spaces, scripts and the vocabulary, so the server's thread never loads the
 * dictionary (the FTS5 engine cuts on its worker thread).
 */

export interface Vocabulary {
  /** Latin words, lower-cased (mes, wms, erp). */
  readonly latin: readonly string[]
  readonly latinSet: ReadonlySet<string>
  /** Chinese words by their toneless pinyin, syllables joined by spaces. */
  readonly byPinyin: ReadonlyMap<string, readonly string[]>
  readonly han: ReadonlySet<string>
  /** Characters of the longest Chinese word. */
  readonly maxHan: number
}

export interface Suggestion {
  /** The corrected query text. */
  text: string
  /** What it finds with the same filters. */
  total: number
}

type Pinyin = (text: string) => string[]

const HAN_ONLY = /^\p{Script=Han}+$/u
const LATIN_ONLY = /^[a-z0-9]+$/
const PART = /\p{Script=Han}+|[A-Za-z0-9]+/gu
const HAS_LETTER = /[a-z]/
const MAX_WORD_CHARS = 12

let pinyinOf: Pinyin | undefined

/** pinyin-pro (~30 ms to load) is loaded with the first vocabulary, not with the server. */
async function loadPinyin(): Promise<Pinyin> {
  if (!pinyinOf) {
    const { pinyin } = await import('pinyin-pro')
    pinyinOf = (text) => pinyin(text, { toneType: 'none', type: 'array' })
  }
  return pinyinOf
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** The lexicon's terms (synonyms and domain words), lower-cased. */
export function lexiconWords(): readonly string[] {
  return LEXICON.terms
}

/**
 * The vocabulary of `words` (the lexicon's terms, scenario and industry names …):
 * names are cut at punctuation (酒、饮料和精制茶制造业 gives 酒 and 饮料和精制茶制造业); Chinese
 * words of two characters or more and Latin words of two letters or more are kept.
 */
export async function buildVocabulary(words: Iterable<string>): Promise<Vocabulary> {
  const pinyin = await loadPinyin()
  const latin = new Set<string>()
  const han = new Set<string>()
  for (const raw of words) {
    for (const part of fold(raw).split(/[^\p{L}\p{N}]+/u)) {
      if (LATIN_ONLY.test(part) && part.length >= 2 && part.length <= MAX_WORD_CHARS && HAS_LETTER.test(part)) latin.add(part)
      else if (HAN_ONLY.test(part) && Array.from(part).length >= 2 && Array.from(part).length <= MAX_WORD_CHARS) han.add(part)
    }
  }
  const byPinyin = new Map<string, string[]>()
  let maxHan = 0
  for (const word of han) {
    const key = pinyin(word).join(' ')
    const list = byPinyin.get(key) ?? []
    list.push(word)
    byPinyin.set(key, list)
    maxHan = Math.max(maxHan, Array.from(word).length)
  }
  return { latin: [...latin], latinSet: latin, byPinyin, han, maxHan }
}

/** Optimal string alignment distance (a transposition is one edit), or limit + 1 once past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1)
    row[0] = i
    rows.push(row)
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
      best = Math.min(best, d)
    }
    if (best > limit) return limit + 1
  }
  return Math.min(rows[a.length]![b.length]!, limit + 1)
}

/** A stretch of the query to put a word in place of. */
interface Replacement {
  start: number
  end: number
  word: string
}

/** The closest Latin vocabulary word to `token` (lower-cased), or null. */
function closestLatin(token: string, vocabulary: Vocabulary): string | null {
  if (!HAS_LETTER.test(token) || token.length < 2 || vocabulary.latinSet.has(token)) return null
  const limit = token.length <= 4 ? 1 : 2
  let best: { word: string; rank: number[] } | null = null
  for (const word of vocabulary.latin) {
    const d = editDistance(token, word, limit)
    if (d > limit) continue
    const rank = [d, word[0] === token[0] ? 0 : 1, Math.abs(word.length - token.length)]
    if (!best || compareRanks(rank, best.rank) < 0) best = { word, rank }
  }
  return best?.word ?? null
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

function differing(a: readonly string[], b: readonly string[]): number {
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

/**
 * Homophone corrections inside one run of Chinese characters: from the left, the
 * longest stretch that is a vocabulary word is kept as it is, and the longest whose
 * toneless pinyin is a vocabulary word's (differing in at most half its characters,
 * at least one) is replaced by it.
 */
function hanReplacements(run: string, offset: number, vocabulary: Vocabulary, pinyin: Pinyin): Replacement[] {
  const chars = Array.from(run)
  if (chars.length < 2 || vocabulary.maxHan < 2) return []
  const sounds = pinyin(run)
  if (sounds.length !== chars.length) return []
  // Code-unit offsets of each character in the run (a rare character may be a surrogate pair).
  const at: number[] = [0]
  for (const c of chars) at.push(at[at.length - 1]! + c.length)
  const out: Replacement[] = []
  let i = 0
  while (i < chars.length) {
    let step = 1
    for (let len = Math.min(vocabulary.maxHan, chars.length - i); len >= 2; len--) {
      const piece = chars.slice(i, i + len)
      const text = piece.join('')
      if (vocabulary.han.has(text)) {
        step = len
        break
      }
      const words = vocabulary.byPinyin.get(sounds.slice(i, i + len).join(' '))
      if (!words) continue
      const allowed = Math.max(1, Math.floor(len / 2))
      let best: { word: string; diff: number } | null = null
      for (const word of words) {
        const diff = differing(Array.from(word), piece)
        if (diff <= allowed && (!best || diff < best.diff)) best = { word, diff }
      }
      if (best) {
        out.push({ start: offset + at[i]!, end: offset + at[i + len]!, word: best.word })
        step = len
        break
      }
    }
    i += step
  }
  return out
}

function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  let out = ''
  let from = 0
  for (const r of [...replacements].sort((a, b) => a.start - b.start)) {
    out += text.slice(from, r.start) + r.word
    from = r.end
  }
  return tidy(out + text.slice(from))
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * The query's words, for dropping one: Latin words, the vocabulary's Chinese words
 * found in the text (longest first at each place), and what is left of each run of
 * Chinese characters between them as one unknown word. Not jieba's words: a word the
 * dictionary does not know (区块链 is cut 区块 / 链) would leave half of it behind.
 */
function queryWords(text: string, vocabulary: Vocabulary): { start: number; end: number; known: boolean }[] {
  const folded = fold(text)
  const known = [...vocabulary.han].filter((t) => folded.includes(t))
  known.sort((a, b) => b.length - a.length)
  const words: { start: number; end: number; known: boolean }[] = []
  for (const part of text.matchAll(PART)) {
    const start = part.index
    const value = part[0]
    if (!HAN_ONLY.test(value)) {
      const lower = value.toLowerCase()
      words.push({ start, end: start + value.length, known: vocabulary.latinSet.has(lower) })
      continue
    }
    let i = 0
    let pending = -1
    while (i < value.length) {
      const word = known.find((k) => value.startsWith(k, i))
      if (word) {
        if (pending >= 0) words.push({ start: start + pending, end: start + i, known: false })
        pending = -1
        words.push({ start: start + i, end: start + i + word.length, known: true })
        i += word.length
      } else {
        if (pending < 0) pending = i
        i += value.codePointAt(i)! > 0xffff ? 2 : 1
      }
    }
    if (pending >= 0) words.push({ start: start + pending, end: start + value.length, known: false })
  }
  return words
}

/** Each query without one of its words: unknown words first, from the last. */
function withoutOneWord(text: string, vocabulary: Vocabulary): string[] {
  const words = queryWords(text, vocabulary)
  if (words.length < 2) return []
  const order = [...words.entries()].sort(([ia, a], [ib, b]) => Number(a.known) - Number(b.known) || ib - ia)
  return order.map(([, w]) => tidy(`${text.slice(0, w.start)} ${text.slice(w.end)}`)).filter((t) => t.length > 0)
}

/**
 * Corrected queries for `text`, best first, at most `limit`: all corrections at once,
 * then each alone (when there are several), then the corrected query and the query
 * as typed each without one word.
 */
export async function suggestionCandidates(
  text: string,
  vocabulary: Vocabulary,
  options: { limit?: number } = {},
): Promise<string[]> {
  const limit = options.limit ?? 5
  // The query as the engine reads it (full-width letters as ASCII); its case is kept for Latin words.
  const typed = tidy(Array.from(text.normalize('NFKC')).slice(0, MAX_QUERY_CHARS).join(''))
  if (!typed) return []
  const pinyin = await loadPinyin()
  const replacements: Replacement[] = []
  for (const part of typed.matchAll(PART)) {
    const value = part[0]
    if (HAN_ONLY.test(value)) {
      replacements.push(...hanReplacements(value, part.index, vocabulary, pinyin))
    } else {
      const lower = value.toLowerCase()
      const word = closestLatin(lower, vocabulary)
      if (word) {
        const upper = value === value.toUpperCase()
        replacements.push({ start: part.index, end: part.index + value.length, word: upper ? word.toUpperCase() : word })
      }
    }
  }
  const out: string[] = []
  const add = (candidate: string) => {
    if (candidate && candidate !== typed && fold(candidate) !== fold(typed) && !out.includes(candidate)) out.push(candidate)
  }
  const corrected = replacements.length > 0 ? applyReplacements(typed, replacements) : null
  if (corrected) add(corrected)
  if (replacements.length > 1) for (const r of replacements) add(applyReplacements(typed, [r]))
  if (corrected) for (const c of withoutOneWord(corrected, vocabulary)) add(c)
  for (const c of withoutOneWord(typed, vocabulary)) add(c)
  return out.slice(0, limit)
}

/**
 * The first corrected query that finds something with the query's filters, with its
 * count, or null. Call it only when `query` found nothing: it runs up to
 * `maxQueries` (default 5) more searches, each for one hit and no facets.
 */
export async function didYouMean(
  search: SearchEngine,
  index: string,
  query: SearchQuery,
  vocabulary: Vocabulary,
  options: { maxQueries?: number } = {},
): Promise<Suggestion | null> {
  const text = query.text?.trim()
  if (!text) return null
  const candidates = await suggestionCandidates(text, vocabulary, { limit: options.maxQueries ?? 5 })
  for (const candidate of candidates) {
    const found = await search.search(index, {
      text: candidate,
      match: query.match,
      filters: query.filters,
      ranges: query.ranges,
      page: 1,
      pageSize: 1,
    })
    if (found.total > 0) return { text: candidate, total: found.total }
  }
  return null
}
