/*
 * Saved searches as pages show them (browser-safe: no zod, no database).
 */

export const SAVED_SEARCH_LIMITS = {
  /** Saved searches one organisation keeps at most. */
  perOrg: 20,
  /** Characters of a name. */
  nameMax: 60,
} as const

/**
 * The hall's query parameters a saved search keeps (the /needs URL's names; `page` is
 * not kept). Stored as the strings of the URL, so the hall link is exactly the search.
 */
export const SAVED_QUERY_KEYS = [
  'q',
  'industry',
  'region',
  'scenario',
  'level',
  'status',
  'budgetMin',
  'budgetMax',
  'sort',
] as const
export type SavedQueryKey = (typeof SAVED_QUERY_KEYS)[number]
export type SavedQuery = Partial<Record<SavedQueryKey, string>>

/** One criterion of a saved search, for a line of chips: a catalogue key of its label and its value, named. */
export interface SavedSearchCriterion {
  key: SavedQueryKey
  value: string
}

export interface SavedSearchItem {
  id: number
  name: string
  notify: boolean
  query: SavedQuery
  /** The criteria in words (reference names in the reader's language). */
  criteria: SavedSearchCriterion[]
  /** /needs?… : the hall showing this search. */
  hallHref: string
  /** Needs published since it was last checked (saved, or last notified). */
  newCount: number
  checkedUntil: string
  createdAt: string
  createdBy: string
}

/** The hall's URL of a saved query. */
export function hallHref(query: SavedQuery): string {
  const params = new URLSearchParams()
  for (const key of SAVED_QUERY_KEYS) {
    const value = query[key]
    if (value) params.set(key, value)
  }
  const qs = params.toString()
  return qs ? `/needs?${qs}` : '/needs'
}
