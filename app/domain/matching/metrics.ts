/**
 * Relevance and exposure metrics (issue 13: the eval harness and the bench). Pure.
 *
 * - ndcgAt: graded gains 2^g − 1 (grades 0–3), discount log2(position + 1); the ideal
 *   ranking is every judged id sorted by grade. Unjudged ids gain 0. No positive grade
 *   among the judgements: 0 (callers averaging over needs should skip such needs).
 * - recallAt: relevant = grade ≥ 2; the share of relevant ids found in the first k. None
 *   relevant: 0 (skip such needs likewise).
 * - exposureShare: over many top lists, the share of the first `slots` places held by the
 *   `mostExposed` providers appearing most often (1 = they hold every slot).
 */

const gain = (g: number) => Math.pow(2, Math.max(0, g)) - 1

/** NDCG@k of a ranking against graded judgements (id → grade 0–3). */
export function ndcgAt(k: number, rankedIds: readonly number[], grades: ReadonlyMap<number, number>): number {
  if (k <= 0) return 0
  let dcg = 0
  const seen = new Set<number>()
  let position = 0
  for (const id of rankedIds) {
    if (position >= k) break
    if (seen.has(id)) continue
    seen.add(id)
    dcg += gain(grades.get(id) ?? 0) / Math.log2(position + 2)
    position += 1
  }
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k)
  let idcg = 0
  ideal.forEach((g, i) => {
    idcg += gain(g) / Math.log2(i + 2)
  })
  return idcg > 0 ? dcg / idcg : 0
}

/** The grade at or above which a judged id counts as relevant for recall. */
export const RELEVANT_GRADE = 2

/** Recall@k: relevant (grade ≥ 2) ids found in the first k over all relevant ids. */
export function recallAt(k: number, rankedIds: readonly number[], grades: ReadonlyMap<number, number>): number {
  const relevant = new Set([...grades].filter(([, g]) => g >= RELEVANT_GRADE).map(([id]) => id))
  if (relevant.size === 0) return 0
  const top = new Set(rankedIds.slice(0, Math.max(0, k)))
  let found = 0
  for (const id of relevant) if (top.has(id)) found += 1
  return found / relevant.size
}

/** Share (0–1) of the top-`slots` places of all lists held by the `mostExposed` most frequent ids. */
export function exposureShare(topLists: readonly (readonly number[])[], slots = 5, mostExposed = 10): number {
  const counts = new Map<number, number>()
  let total = 0
  for (const list of topLists) {
    for (const id of list.slice(0, Math.max(0, slots))) {
      counts.set(id, (counts.get(id) ?? 0) + 1)
      total += 1
    }
  }
  if (total === 0) return 0
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, Math.max(0, mostExposed))
  return top.reduce((a, b) => a + b, 0) / total
}
