import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import type { MatchMode } from './engine.js'
import { LEXICON, type Lexicon } from './lexicon.js'

/** Longest query text looked at in 'all' mode; anything longer is a paste, not a search. */
export const MAX_QUERY_CHARS = 200
/** Most words an 'all' query keeps: each one is an AND term, so more only narrows to nothing. */
export const MAX_QUERY_TOKENS = 32
/**
 * An 'any' query is a whole text (a need's title, description and expected results):
 * longer, and each word only widens the result, ranked by how many and how rare.
 */
export const MAX_ANY_QUERY_CHARS = 2000
export const MAX_ANY_QUERY_TOKENS = 64

export function queryLimits(match: MatchMode = 'all'): { chars: number; tokens: number } {
  return match === 'any'
    ? { chars: MAX_ANY_QUERY_CHARS, tokens: MAX_ANY_QUERY_TOKENS }
    : { chars: MAX_QUERY_CHARS, tokens: MAX_QUERY_TOKENS }
}

const WORD = /[\p{L}\p{N}]/u
const ASCII_ALNUM = /[a-z0-9]/

let jieba: Jieba | undefined

// Loading the dictionary takes ~100 ms, so it happens on first use, once per process.
// The default dictionary, unchanged: loading the lexicon into it would change how
// search mode cuts (高级排产 → 高级, 高级排产, losing 排产); lexicon terms are found
// beside jieba instead (lexiconOccurrences).
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict)
  return jieba
}

function clean(tokens: readonly string[]): string[] {
  const out: string[] = []
  for (const raw of tokens) {
    const token = raw.trim().toLowerCase()
    if (token && WORD.test(token)) out.push(token)
  }
  return out
}

/** Latin capitals lower-cased, nothing else: offsets stay those of the text. */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase())
}

/** Offsets at which jieba's precise cut starts or ends a word; null if its pieces do not add up to the text. */
function cutBoundaries(text: string): Set<number> | null {
  const boundaries = new Set<number>([0])
  let at = 0
  for (const piece of segmenter().cut(text, true)) {
    at += piece.length
    boundaries.add(at)
  }
  return at === text.length ? boundaries : null
}

/**
 * Where lexicon terms occur in `text` as words: a case-insensitive substring, unless
 * a Latin term continues a Latin word (mes in times) or both its ends fall inside
 * words of jieba's precise cut (数采 in 多数/采用, 排产 in 安排/产能, 点检 in 重点/检查);
 * one end on a boundary is enough (炉温 in 热处理炉/温). `[start, end, term]`, by start.
 */
export function lexiconOccurrences(text: string, lexicon: Lexicon = LEXICON): [number, number, string][] {
  const found = substringOccurrences(text, lexicon)
  if (found.length === 0) return found
  const boundaries = cutBoundaries(text)
  return boundaries ? found.filter(([start, end]) => boundaries.has(start) || boundaries.has(end)) : found
}

/** Lexicon terms as substrings of `text`, not continuing a Latin word; by start. */
function substringOccurrences(text: string, lexicon: Lexicon): [number, number, string][] {
  const lower = lowerAscii(text)
  const found: [number, number, string][] = []
  // Where each term may next start: one term's occurrences do not overlap.
  const next = new Map<string, number>()
  for (let start = 0; start < lower.length; start++) {
    const candidates = lexicon.byFirst.get(lower[start]!)
    if (!candidates) continue
    for (const term of candidates) {
      if (!lower.startsWith(term, start) || (next.get(term) ?? 0) > start) continue
      const end = start + term.length
      if (ASCII_ALNUM.test(term[0]!) && start > 0 && ASCII_ALNUM.test(lower[start - 1]!)) continue
      if (ASCII_ALNUM.test(term[term.length - 1]!) && end < lower.length && ASCII_ALNUM.test(lower[end]!)) continue
      next.set(term, end)
      found.push([start, end, term])
    }
  }
  return found.sort((a, b) => a[0] - b[0] || b[1] - a[1])
}

/**
 * Words to index. Search mode also emits the shorter words inside long ones
 * (数字化 → 数字, 数字化; 预测性 → 预测, 预测性), so a query for the short word finds
 * the document too. Then every lexicon term the text holds (lexiconOccurrences), as
 * often as it occurs, unless jieba already gave it that often (热处理炉温 → 热处理炉, 温,
 * and 炉温; 制造执行系统 is jieba's word already): a query word of a synonym group
 * matches any member, so each member must be one word of the document.
 */
export function segmentForIndex(text: string): string[] {
  if (!text) return []
  const words = clean(segmenter().cutForSearch(text, true))
  const occurrences = substringOccurrences(text, LEXICON)
  if (occurrences.length === 0) return words
  // Per term: occurrences beyond those jieba gave as words. Only those need the
  // boundary check, which cuts the text once more.
  const extra = new Map<string, number>()
  for (const [, , term] of occurrences) extra.set(term, (extra.get(term) ?? 0) + 1)
  for (const word of words) {
    const n = extra.get(word)
    if (n !== undefined) extra.set(word, n - 1)
  }
  if (![...extra.values()].some((n) => n > 0)) return words
  const boundaries = cutBoundaries(text)
  const added = new Map<string, number>()
  for (const [start, end, term] of occurrences) {
    if ((extra.get(term) ?? 0) <= 0) continue
    if (boundaries && !boundaries.has(start) && !boundaries.has(end)) continue
    added.set(term, (added.get(term) ?? 0) + 1)
  }
  for (const [term, accepted] of added) {
    // As often as the text holds it as a word, less what jieba gave already.
    const n = accepted - (occurrences.filter((o) => o[2] === term).length - (extra.get(term) ?? 0))
    for (let i = 0; i < n; i++) words.push(term)
  }
  return words
}

/**
 * Words of a user's query, in order, without duplicates: the lexicon terms it holds
 * (longest first, not overlapping) as whole words, and jieba's precise cut of the rest
 * (the query word must be a whole word of the document, or one of its search-mode
 * parts). 'any' mode reads a longer text and leaves out stop words (的, 进行, 实现 …)
 * and one-character words, which would match nearly every document.
 */
export function segmentQuery(text: string, match: MatchMode = 'all'): string[] {
  const limits = queryLimits(match)
  const trimmed = Array.from(text.trim()).slice(0, limits.chars).join('')
  if (!trimmed) return []
  const chosen: [number, number, string][] = []
  for (const occurrence of lexiconOccurrences(trimmed).sort((a, b) => b[1] - b[0] - (a[1] - a[0]) || a[0] - b[0])) {
    if (chosen.every(([s, e]) => occurrence[1] <= s || occurrence[0] >= e)) chosen.push(occurrence)
  }
  chosen.sort((a, b) => a[0] - b[0])
  const cut = (part: string) => (part.trim() ? clean(segmenter().cut(part, true)) : [])
  const words: string[] = []
  let at = 0
  for (const [start, end, term] of chosen) {
    words.push(...cut(trimmed.slice(at, start)), term)
    at = end
  }
  words.push(...cut(trimmed.slice(at)))
  const lexical = (w: string) => LEXICON.groupOf.has(w) || LEXICON.terms.includes(w)
  const kept =
    match === 'any' ? words.filter((w) => lexical(w) || (Array.from(w).length > 1 && !LEXICON.stopwords.has(w))) : words
  return [...new Set(kept)].slice(0, limits.tokens)
}

/**
 * A query as groups of alternative words: each word of segmentQuery, with its synonym
 * group's members when it has one (a group named twice counts once). 'all' asks every
 * group to match, 'any' at least one.
 */
export type QueryPlan = string[][]

export function planOfWords(words: readonly string[], lexicon: Lexicon = LEXICON): QueryPlan {
  const plan: QueryPlan = []
  const seen = new Set<string>()
  for (const word of words) {
    const group = lexicon.groupOf.get(word)
    const key = group ? group[0]! : word
    if (seen.has(key)) continue
    seen.add(key)
    plan.push(group ? [word, ...group.filter((m) => m !== word)] : [word])
  }
  return plan
}

/** Every word of a plan, synonyms included, once each: what a result's `terms` lists. */
export function termsOfPlan(plan: QueryPlan): string[] {
  return [...new Set(plan.flat())]
}

/** The plan for a user's text (segmentQuery, then planOfWords). */
export function queryPlan(text: string | undefined, match: MatchMode = 'all'): QueryPlan {
  return planOfWords(segmentQuery(text ?? '', match))
}

/**
 * An 'any' query over a large index leaves out the words held by more than
 * `maxShare` of its documents (at least `minDocs`), keeping at least the `keep`
 * rarest: such a word adds next to nothing to the ranking (bm25's IDF is near zero)
 * but makes the engine score nearly every document (docs/decisions/001-search.md).
 * `maxDocs` bounds the work in absolute terms too: over 90 000 needs a provider's
 * words held by up to 20 % of them (18 000 each) still made the engine rank ~60 000
 * needs (55 ms p50, 80–120 ms p95); at 5 000 documents a word (IDF ≥ ~2.8 there), a
 * provider's 推荐需求 costs ~25 ms p50, ~38 ms p95.
 */
export const ANY_PRUNING = { minDocs: 1000, maxShare: 0.2, maxDocs: 5000, keep: 8 } as const
export type AnyPruning = { minDocs: number; maxShare: number; maxDocs?: number; keep: number }

/** Whether an 'any' query of these words over `docCount` documents is pruned at all. */
export function anyPruningApplies(terms: readonly string[], docCount: number, pruning: AnyPruning = ANY_PRUNING): boolean {
  return terms.length > pruning.keep && docCount >= pruning.minDocs
}

/** The words kept (in their order), given how many documents hold each (`docs[i]` for `terms[i]`). */
export function pruneAnyTerms(
  terms: readonly string[],
  docs: readonly number[],
  docCount: number,
  pruning: AnyPruning = ANY_PRUNING,
): string[] {
  const limit = Math.min(pruning.maxShare * docCount, pruning.maxDocs ?? Number.POSITIVE_INFINITY)
  const kept = terms.filter((_, i) => docs[i]! <= limit)
  if (kept.length >= pruning.keep) return kept
  // Too few rare words: the `keep` rarest, in the query's order.
  const rarest = new Set(
    terms
      .map((term, i) => [term, docs[i]!] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, pruning.keep)
      .map(([term]) => term),
  )
  return terms.filter((term) => rarest.has(term))
}
