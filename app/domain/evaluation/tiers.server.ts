import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import type { ProviderTier } from '../matching/types.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { tierForMatching, type PublishedTier } from './scoring.js'

/**
 * The tier matching uses for each provider named (docs/decisions/012-evaluation.md;
 * tierForMatching in scoring.ts): the published results (results_published_at set) of
 * this year's and last year's schemes — the tier in force, so a pending appeal changes
 * nothing until it is upheld — and active 移出 sanctions. Two queries per call over the
 * ids (≤ 300: matching's chunk), through evaluation_results_provider_idx and
 * provider_sanctions_provider_idx. Providers never evaluated are 'normal'.
 */
export async function loadTiers(
  db: Kysely<DB>,
  providerIds: readonly number[],
  now: Date = new Date(),
): Promise<Map<number, ProviderTier>> {
  const out = new Map<number, ProviderTier>()
  if (providerIds.length === 0) return out
  const year = Number(chinaDate(now).slice(0, 4))
  const [results, removals] = await Promise.all([
    db
      .selectFrom('evaluation_results as r')
      .innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
      .select(['r.provider_org_id', 's.agency_org_id', 's.year', 'r.tier'])
      .where('r.provider_org_id', 'in', providerIds)
      .where('s.results_published_at', 'is not', null)
      .where('s.year', '>=', year - 1)
      .execute(),
    db
      .selectFrom('provider_sanctions')
      .select('provider_org_id')
      .where('provider_org_id', 'in', providerIds)
      .where('status', '=', 'active')
      .where('level', '=', 'removal')
      .execute(),
  ])
  const byProvider = new Map<number, PublishedTier[]>()
  for (const r of results) {
    const list = byProvider.get(r.provider_org_id) ?? []
    list.push({ agencyOrgId: r.agency_org_id, year: r.year, tier: r.tier })
    byProvider.set(r.provider_org_id, list)
  }
  const removed = new Set(removals.map((r) => r.provider_org_id))
  for (const id of new Set([...byProvider.keys(), ...removed])) {
    out.set(id, tierForMatching(byProvider.get(id) ?? [], removed.has(id), year))
  }
  return out
}
