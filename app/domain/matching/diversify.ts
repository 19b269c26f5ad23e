/**
 * Fair exposure (issue 13; docs/decisions/009-matching.md): providers whose scores lie
 * within `band` points of each other are treated as equal, and within such a band the
 * order rotates by a stable hash of (need id, provider id), so the same few providers do
 * not top every list of a region while a clearly better provider keeps its lead.
 *
 * Bands are cut greedily from the top: a band opens at the best remaining score s and
 * holds every following item scoring ≥ s − band. Deterministic: the same need and the
 * same scores always give the same order; the set never changes, and an item only moves
 * within its band. Ties of the hash (practically never) fall back to the org id.
 */

/** The default band, in points of the 0–100 score. */
export const DIVERSIFY_BAND = 3

/** FNV-1a (32-bit) of a string: a small, stable, well-spread hash. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** The band index of each position of a list sorted best first. */
export function bandsOf(scores: readonly number[], band: number): number[] {
  const out: number[] = []
  let index = -1
  let top = Infinity
  for (const s of scores) {
    if (index < 0 || s < top - band) {
      index += 1
      top = s
    }
    out.push(index)
  }
  return out
}

/**
 * `ranked` (best first) reordered within bands of `band` points by hash(needId, orgId).
 * A band ≤ 0 leaves the order as it is.
 */
export function diversify<T extends { orgId: number; score: number }>(
  ranked: readonly T[],
  needId: number,
  band: number = DIVERSIFY_BAND,
): T[] {
  if (!(band > 0) || ranked.length < 2) return [...ranked]
  const bands = bandsOf(
    ranked.map((r) => r.score),
    band,
  )
  const keyed = ranked.map((item, i) => ({ item, band: bands[i]!, hash: stableHash(`${needId}:${item.orgId}`) }))
  keyed.sort((a, b) => a.band - b.band || a.hash - b.hash || a.item.orgId - b.item.orgId)
  return keyed.map((k) => k.item)
}
