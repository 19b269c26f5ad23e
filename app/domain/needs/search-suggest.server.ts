import type { Database } from '../../../db/connection.js'
import type { SearchEngine, SearchHit, SearchQuery } from '../../../search/engine.js'
import { snippetAround } from '../../../search/highlight.js'
import { buildVocabulary, didYouMean, lexiconWords, type Vocabulary } from '../../../search/suggest.js'
import type { ReferenceData } from '../reference/reference.server.js'

/*
 * Search that understands the field, for the needs hall and the provider directory:
 * "did you mean" on an empty result (search/suggest.ts) and excerpts cut around the
 * first matched word (search/highlight.ts).
 */

export interface QuerySuggestion {
  /** The corrected words, for the `q` of a link that keeps the other filters. */
  q: string
  total: number
}

const vocabularies = new WeakMap<ReferenceData, Promise<Vocabulary>>()

/** The lexicon's terms with the Chinese scenario and industry names (built once per reference data). */
export function searchVocabulary(ref: ReferenceData): Promise<Vocabulary> {
  let pending = vocabularies.get(ref)
  if (!pending) {
    pending = buildVocabulary([...lexiconWords(), ...ref.scenarios.map((s) => s.name), ...ref.industries.map((i) => i.name)])
    vocabularies.set(ref, pending)
    pending.catch(() => vocabularies.delete(ref))
  }
  return pending
}

/**
 * A corrected query for a text query that found nothing (null otherwise): at most a
 * few more searches, with the same filters, and only after an empty result.
 */
export async function suggestQuery(
  engine: SearchEngine,
  index: string,
  query: SearchQuery,
  found: { total: number },
  ref: ReferenceData,
): Promise<QuerySuggestion | null> {
  if (found.total > 0 || !query.text?.trim()) return null
  const suggestion = await didYouMean(engine, index, query, await searchVocabulary(ref))
  return suggestion ? { q: suggestion.text, total: suggestion.total } : null
}

/** Characters of an excerpt in a result list (the documents' own excerpts hold 120 too). */
export const EXCERPT_CHARS = 120

/**
 * Excerpts around the first matched word, for the hits of a text search: one query for
 * the texts of the page's rows (`table`.description by id), since a document keeps
 * only the beginning of its text. A row whose text matches nowhere past its beginning
 * keeps its document's excerpt (the words matched the title, the cases …). Bounded by the page size.
 */
export async function excerptsAroundTerms(
  db: Database,
  table: 'needs' | 'organisations',
  ids: readonly number[],
  terms: readonly string[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  if (terms.length === 0 || ids.length === 0) return out
  const rows = await db
    .selectFrom(table)
    .select(['id', 'description'])
    .where('id', 'in', [...ids])
    .execute()
  for (const row of rows) {
    const description = row.description ?? ''
    const snippet = snippetAround(description, terms, EXCERPT_CHARS)
    // It starts with … only when it moved to a match past the beginning (which the document's excerpt shows).
    if (snippet.startsWith('…')) out.set(row.id, snippet)
  }
  return out
}

/** Document ids of hits, parsed by the type's parser, without the other types' ids. */
export function hitIds(hits: readonly SearchHit[], parse: (id: string) => number | null): number[] {
  return hits.map((h) => parse(h.id)).filter((id): id is number => id !== null)
}
