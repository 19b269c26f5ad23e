import type { Database } from '../../../db/connection.js'
import type { SearchEngine, SearchQuery } from '../../../search/engine.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { ensureNeedsIndex, NEEDS_INDEX, parseNeedDocumentId } from '../needs/search-index.server.js'
import type { NeedVisibility } from '../needs/schema.js'
import { getReferenceData, industryName, regionLabel, scenarioName, type ReferenceData } from '../reference/reference.server.js'
import { loadNeedsForMatching, loadProviderForMatching } from './data.server.js'
import { rankNeeds } from './rank.js'
import type { FactorScore, MatchWeights, NeedCandidate, ProviderForMatching, RankedNeed } from './types.js'
import { weightsForRegion } from './weights.server.js'

/*
 * Provider → needs (推荐需求, issue 13): the needs a provider should bid on, ranked by
 * the pair factors (text, scenario, industry, region, price; PAIR_FACTORS) with the
 * reasons of each score.
 *
 * Candidates come from ONE query through the SearchEngine on the needs index, in 'any'
 * mode, asked with the provider's own words: the names of the scenarios and industries
 * it serves, the titles of its latest cases and its description (most telling first,
 * so an engine that clips a long text keeps the best words). Filters keep to what the
 * provider could bid on: open needs (status 'published'; shortlisting and later are no
 * longer taking bids), of a visibility a verified provider sees (public and
 * verified_providers, as the hall shows them), in a region it serves (a need whose
 * region is at or below a served region, by the index's `regions` path attribute, as
 * the hall's region filter works; nationwide providers: anywhere; a provider naming no
 * region serves its seat). The best 200 by text relevance are ranked (two pages of
 * 100): a need whose text does not match at all would rarely rank, and the page stays
 * bounded at 100 000 needs.
 */

/** Needs per page of 推荐需求. */
export const RECOMMENDED_PAGE_SIZE = 20
/** Candidates ranked at most (the engine's top by text relevance). */
export const MAX_CANDIDATE_NEEDS = 200
const CANDIDATE_PAGE_SIZE = 100
/** Latest cases whose titles join the query text. */
const CASE_TITLES = 8
/** The query text, at most (the engine clips further to what it looks at). */
const QUERY_TEXT_CHARS = 600

/** Visibilities a verified provider sees in the hall (needs.server.ts visibleNeedVisibilities). */
const PROVIDER_VISIBILITIES: readonly NeedVisibility[] = ['public', 'verified_providers']

type ProviderData = Omit<ProviderForMatching, 'textRelevance'>

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  return chars.length > max ? chars.slice(0, max).join('') : chars.join('')
}

/**
 * The words a provider is matched by, most telling first: scenario names, industry
 * names, latest case titles, then its description; one bounded text.
 */
export async function providerQueryText(db: Database, ref: ReferenceData, provider: ProviderData): Promise<string> {
  const [org, cases] = await Promise.all([
    db.selectFrom('organisations').select('description').where('id', '=', provider.orgId).executeTakeFirst(),
    db
      .selectFrom('provider_cases')
      .select('title')
      .where('org_id', '=', provider.orgId)
      .orderBy('year', 'desc')
      .orderBy('id', 'desc')
      .limit(CASE_TITLES)
      .execute(),
  ])
  const parts = [
    ...provider.scenarioCodes.map((code) => scenarioName(ref, code) ?? ''),
    ...provider.industryCodes.map((code) => industryName(ref, code) ?? ''),
    ...cases.map((c) => c.title),
    org?.description ?? '',
  ]
  return clip(parts.filter((p) => p.trim().length > 0).join(' '), QUERY_TEXT_CHARS)
}

/** The hard filters of a provider's candidates, in the needs index's terms. */
export function providerNeedFilters(provider: ProviderData): Record<string, string[]> {
  const filters: Record<string, string[]> = { status: ['published'], visibility: [...PROVIDER_VISIBILITIES] }
  if (!provider.nationwide) {
    filters.regions = provider.servedRegionCodes.length > 0 ? [...provider.servedRegionCodes] : [provider.seat.code]
  }
  return filters
}

/**
 * The needs a provider might bid on: the engine's best 200 by text relevance to the
 * provider's words, within its regions, as matching data with textRelevance = score /
 * best score. Empty when the provider has no words to be matched by.
 */
export async function candidateNeedsForProvider(
  db: Database,
  search: SearchEngine,
  provider: ProviderData,
): Promise<NeedCandidate[]> {
  const ref = await getReferenceData(db)
  const text = await providerQueryText(db, ref, provider)
  if (!text) return []
  await ensureNeedsIndex(search)
  const query: SearchQuery = {
    text,
    match: 'any',
    filters: providerNeedFilters(provider),
    sort: 'relevance',
    pageSize: CANDIDATE_PAGE_SIZE,
  }
  const scores = new Map<number, number>()
  for (let page = 1; page <= MAX_CANDIDATE_NEEDS / CANDIDATE_PAGE_SIZE; page++) {
    const result = await search.search(NEEDS_INDEX, { ...query, page })
    result.hits.forEach((hit, i) => {
      const id = parseNeedDocumentId(hit.id)
      // An engine without scores: by position, best first.
      const position = (page - 1) * CANDIDATE_PAGE_SIZE + i
      if (id !== null && !scores.has(id)) scores.set(id, hit.score ?? MAX_CANDIDATE_NEEDS - position)
    })
    if (result.hits.length < CANDIDATE_PAGE_SIZE || page * CANDIDATE_PAGE_SIZE >= result.total) break
  }
  if (scores.size === 0) return []
  const best = Math.max(...scores.values())
  const needs = await loadNeedsForMatching(db, [...scores.keys()])
  return needs.map((need) => ({ ...need, textRelevance: best > 0 ? (scores.get(need.id) ?? 0) / best : 0 }))
}

/**
 * 推荐需求 as data: the provider's candidates ranked by the pair factors. The weights:
 * those given (the eval and the bench), else those of the provider's seat's
 * jurisdiction (weights.server.ts), else the defaults.
 */
export async function recommendNeedsForProvider(
  db: Database,
  search: SearchEngine,
  providerOrgId: number,
  options: { weights?: MatchWeights; now?: Date } = {},
): Promise<RankedNeed[]> {
  const provider = await loadProviderForMatching(db, providerOrgId)
  if (!provider) return []
  return (await rankedForProvider(db, search, provider, options)).ranked
}

async function rankedForProvider(
  db: Database,
  search: SearchEngine,
  provider: ProviderData,
  options: { weights?: MatchWeights; now?: Date },
): Promise<{ ranked: RankedNeed[]; candidates: NeedCandidate[] }> {
  const [candidates, weights] = await Promise.all([
    candidateNeedsForProvider(db, search, provider),
    options.weights ? Promise.resolve(options.weights) : weightsForRegion(db, provider.seat.code).then((w) => w.weights),
  ])
  const ranked = rankNeeds(provider, candidates, weights, options.now ? { now: options.now } : {})
  return { ranked, candidates }
}

export interface RecommendedNeedItem {
  id: number
  title: string
  regionCode: string
  regionName: string
  industryName: string
  scenarioNames: string[]
  budgetMinWan: number
  budgetMaxWan: number
  /** 投标截止 (YYYY-MM-DD) or null. */
  deadline: string | null
  publishedAt: string | null
  /** 0–100. */
  score: number
  /** The breakdown, factor by factor (reason keys are catalogue keys of matching-factors.ts). */
  factors: FactorScore[]
  /** The enterprise invited the provider to bid (邀请投标). */
  invited: boolean
  /** An agency recommended the provider to the need (推荐对接). */
  recommended: boolean
}

export interface RecommendedNeedsPage {
  items: RecommendedNeedItem[]
  total: number
  page: number
  pageCount: number
  /** The provider names no scenario and no industry: the page asks it to complete its profile. */
  profileIncomplete: boolean
}

/** The acting organisation, once it may read its 推荐需求: a verified provider (any active member). */
export async function actingProviderForRecommendations(db: Database, actor: Actor, ref: ReferenceData): Promise<number> {
  const orgId = actor.org?.orgId
  if (orgId === undefined) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:recommended-needs:own' } })
  }
  authorize(actor, ref, 'read:recommended-needs:own', { orgId })
  // The session's view of the organisation is the permission's input; the row is the last word.
  const org = await db.selectFrom('organisations').select(['kind', 'status']).where('id', '=', orgId).executeTakeFirst()
  if (!org || org.kind !== 'provider' || org.status !== 'verified') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:recommended-needs:own' } })
  }
  return orgId
}

/**
 * /provider/recommended: a page (20) of the acting provider's 推荐需求, best first, each
 * with its score, the reasons, and whether it was invited or recommended to the need.
 */
export async function getRecommendedNeeds(
  db: Database,
  search: SearchEngine,
  actor: Actor,
  { page = 1, locale = DEFAULT_LOCALE, now }: { page?: number; locale?: Locale; now?: Date } = {},
): Promise<RecommendedNeedsPage> {
  const ref = await getReferenceData(db)
  const orgId = await actingProviderForRecommendations(db, actor, ref)
  const provider = await loadProviderForMatching(db, orgId)
  if (!provider) throw new AppError('NOT_FOUND', 'errors.notFound')
  const profileIncomplete = provider.scenarioCodes.length === 0 && provider.industryCodes.length === 0
  const { ranked, candidates } = await rankedForProvider(db, search, provider, now ? { now } : {})
  const pageCount = Math.max(1, Math.ceil(ranked.length / RECOMMENDED_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount)
  const slice = ranked.slice((current - 1) * RECOMMENDED_PAGE_SIZE, current * RECOMMENDED_PAGE_SIZE)
  const byId = new Map(candidates.map((c) => [c.id, c]))
  const ids = slice.map((r) => r.needId)
  const invitations =
    ids.length === 0
      ? []
      : await db
          .selectFrom('need_invitations')
          .select(['need_id', 'kind'])
          .where('provider_org_id', '=', orgId)
          .where('need_id', 'in', ids)
          .execute()
  const invited = new Set(invitations.filter((i) => i.kind === 'invite').map((i) => i.need_id))
  const recommended = new Set(invitations.filter((i) => i.kind === 'recommend').map((i) => i.need_id))
  const items: RecommendedNeedItem[] = []
  for (const r of slice) {
    const need = byId.get(r.needId)
    if (!need) continue
    items.push({
      id: need.id,
      title: need.title,
      regionCode: need.region.code,
      regionName: regionLabel(ref, need.region.code, locale),
      industryName: industryName(ref, need.industryCode, locale) ?? need.industryCode,
      scenarioNames: need.scenarioCodes.map((code) => scenarioName(ref, code, locale) ?? code),
      budgetMinWan: need.budgetMinWan,
      budgetMaxWan: need.budgetMaxWan,
      deadline: need.deadline,
      publishedAt: need.publishedAt,
      score: r.score,
      factors: r.factors,
      invited: invited.has(need.id),
      recommended: recommended.has(need.id),
    })
  }
  return { items, total: ranked.length, page: current, pageCount, profileIncomplete }
}
