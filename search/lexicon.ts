import data from './lexicon.json'

/**
 * The field's vocabulary (search/lexicon.json, docs/decisions/001-search.md
 * "Synonyms and 'any' mode"): synonym groups, domain words jieba cuts badly inside
 * longer text, and the stop words an 'any' query leaves out. No jieba here: the
 * server's thread expands a query's words into its plan without loading the
 * dictionary (tokenizer.ts cuts, on the FTS5 engine's worker thread).
 *
 * Its `version` is part of every index's stored document version (indexer.ts), so a
 * changed lexicon rebuilds the indexes at start-up: documents carry every lexicon term
 * they contain as a word of its own.
 */

export interface Lexicon {
  readonly version: number
  /** Every term (synonym members and words), lower-cased, longest first. */
  readonly terms: readonly string[]
  /** A term of a synonym group → all members of its group (itself included, in file order). */
  readonly groupOf: ReadonlyMap<string, readonly string[]>
  readonly stopwords: ReadonlySet<string>
  /** Terms by their first UTF-16 code unit, longest first: a text is scanned once, not once per term. */
  readonly byFirst: ReadonlyMap<string, readonly string[]>
}

const TERM = /^[\p{L}\p{N}]+$/u

/** Checks and indexes the file's content; throws on a malformed lexicon (a term twice, punctuation …). */
export function buildLexicon(raw: { version: unknown; synonyms?: unknown; words?: unknown; stopwords?: unknown }): Lexicon {
  const { version } = raw
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 999) {
    throw new Error('search lexicon: version must be an integer 1–999')
  }
  const strings = (value: unknown, what: string): string[] => {
    if (value === undefined) return []
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw new Error(`search lexicon: ${what} must be strings`)
    return value as string[]
  }
  const term = (value: string): string => {
    const t = value.trim().toLowerCase()
    if (!TERM.test(t)) throw new Error(`search lexicon: ${JSON.stringify(value)} is not letters and digits only`)
    return t
  }
  const groupOf = new Map<string, readonly string[]>()
  const all = new Set<string>()
  if (raw.synonyms !== undefined && !Array.isArray(raw.synonyms)) throw new Error('search lexicon: synonyms must be a list')
  for (const list of (raw.synonyms ?? []) as unknown[]) {
    const group = [...new Set(strings(list, 'a synonym group').map(term))]
    if (group.length < 2) throw new Error(`search lexicon: synonym group ${JSON.stringify(list)} has fewer than two terms`)
    for (const member of group) {
      if (groupOf.has(member)) throw new Error(`search lexicon: ${member} is in two synonym groups`)
      groupOf.set(member, group)
      all.add(member)
    }
  }
  for (const word of strings(raw.words, 'words')) all.add(term(word))
  const stopwords = new Set(strings(raw.stopwords, 'stopwords').map((w) => w.trim().toLowerCase()))
  const terms = [...all].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  const byFirst = new Map<string, string[]>()
  for (const t of terms) {
    const list = byFirst.get(t[0]!) ?? []
    list.push(t)
    byFirst.set(t[0]!, list)
  }
  return { version, terms, groupOf, stopwords, byFirst }
}

export const LEXICON: Lexicon = buildLexicon(data)

/** The lexicon file's version (folded into every index's stored document version). */
export const LEXICON_VERSION = LEXICON.version
