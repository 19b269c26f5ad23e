/**
 * Expensive anonymous requests are bounded (issue 7, item 12). A search the engine has
 * answered recently is cheap: its counts and facets are cached per index generation.
 * A combination of words and filters nobody asked for lately is not: it counts facets
 * over the matching documents on the event loop (tens of milliseconds at 100 000
 * needs). So each client (a signed-in person, else an address) gets a budget of new
 * combinations — a burst, refilled at a steady rate — and repeats are free. One client
 * walking through thousands of filter combinations is answered 429 after the burst,
 * while everyone else's searches go on.
 *
 * The bookkeeping is in memory and bounded (at most SEEN_MAX queries and CLIENTS_MAX
 * clients, oldest dropped first); several instances each keep their own, which only
 * makes the bound per instance.
 */
export const SEARCH_BURST = 40
export const SEARCH_REFILL_PER_SECOND = 1
const SEEN_TTL_MS = 120_000
const SEEN_MAX = 20_000
const CLIENTS_MAX = 20_000

interface Bucket {
  tokens: number
  at: number
}

export class SearchBudget {
  private readonly seen = new Map<string, number>()
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly burst = SEARCH_BURST,
    private readonly refillPerSecond = SEARCH_REFILL_PER_SECOND,
  ) {}

  /**
   * Charges `client` for `query` unless the query was asked recently (by anyone).
   * Returns 0 when the search may run, else the seconds to wait.
   */
  charge(client: string, query: string, now = Date.now()): number {
    const seenAt = this.seen.get(query)
    if (seenAt !== undefined && now - seenAt < SEEN_TTL_MS) return 0
    const bucket = this.bucketOf(client, now)
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerSecond))
    bucket.tokens -= 1
    this.remember(this.seen, query, now, SEEN_MAX)
    return 0
  }

  private bucketOf(client: string, now: number): Bucket {
    const previous = this.buckets.get(client)
    const tokens = previous
      ? Math.min(this.burst, previous.tokens + ((now - previous.at) / 1000) * this.refillPerSecond)
      : this.burst
    const bucket = { tokens, at: now }
    this.remember(this.buckets, client, bucket, CLIENTS_MAX)
    return bucket
  }

  /** Insert as newest; drop the oldest entries beyond `max` (a Map keeps insertion order). */
  private remember<V>(map: Map<string, V>, key: string, value: V, max: number) {
    map.delete(key)
    map.set(key, value)
    while (map.size > max) map.delete(map.keys().next().value!)
  }
}

/** The process's budget, shared by every request. */
export const searchBudget = new SearchBudget()
