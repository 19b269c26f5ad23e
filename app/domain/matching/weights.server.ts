/**
 * The matching weights that apply in a region (issue 13): the `matching_weights` row of
 * the nearest region at or above it (county, then city, then province), else the
 * defaults. One query: the region's path comes from the cached reference data. A stored
 * row that no longer passes ZMatchWeights (hand-edited, or a factor added since) is
 * skipped as if absent, so a bad row never breaks a match list.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { MatchWeights } from './types.js'
import { DEFAULT_WEIGHTS } from './weights.js'
import { ZMatchWeights } from './weights-schema.js'

/** The region and its ancestors, nearest first. */
async function nearestFirst(db: Kysely<DB>, regionCode: string): Promise<string[]> {
  const ref = await getReferenceData(db)
  const out: string[] = []
  let current = ref.regionsByCode.get(regionCode)
  if (!current) return [regionCode]
  while (current && !out.includes(current.code)) {
    out.push(current.code)
    current = current.parent_code ? ref.regionsByCode.get(current.parent_code) : undefined
  }
  return out
}

/** Parse a stored weights JSON, or null when it is not a valid config. */
export function parseStoredWeights(json: string): MatchWeights | null {
  try {
    const parsed = ZMatchWeights.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The weights for a need in `regionCode`, and the region whose row supplied them (null: the defaults). */
export async function weightsForRegion(
  db: Kysely<DB>,
  regionCode: string,
): Promise<{ weights: MatchWeights; regionCode: string | null }> {
  const path = await nearestFirst(db, regionCode)
  const rows = await db
    .selectFrom('matching_weights')
    .select(['region_code', 'weights'])
    .where('region_code', 'in', path)
    .execute()
  const byCode = new Map(rows.map((r) => [r.region_code, r.weights]))
  for (const code of path) {
    const json = byCode.get(code)
    if (json === undefined) continue
    const weights = parseStoredWeights(json)
    if (weights) return { weights, regionCode: code }
  }
  return { weights: { ...DEFAULT_WEIGHTS }, regionCode: null }
}
