import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

/** Longest query text looked at; anything longer is a paste, not a search. */
export const MAX_QUERY_CHARS = 200
/** Most words a query keeps: each one is an AND term, so more only narrows to nothing. */
export const MAX_QUERY_TOKENS = 32

const WORD = /[\p{L}\p{N}]/u

let jieba: Jieba | undefined

// Loading the dictionary takes ~100 ms, so it happens on first use, once per process.
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

/**
 * Words to index. Search mode also emits the shorter words inside long ones
 * (数字化 → 数字, 数字化; 预测性 → 预测, 预测性), so a query for the short word finds
 * the document too.
 */
export function segmentForIndex(text: string): string[] {
  if (!text) return []
  return clean(segmenter().cutForSearch(text, true))
}

/**
 * Words of a user's query, in order, without duplicates. Precise mode: the query
 * word must be a whole word of the document (or one of its search-mode parts).
 */
export function segmentQuery(text: string): string[] {
  const trimmed = Array.from(text.trim()).slice(0, MAX_QUERY_CHARS).join('')
  if (!trimmed) return []
  const unique = [...new Set(clean(segmenter().cut(trimmed, true)))]
  return unique.slice(0, MAX_QUERY_TOKENS)
}
