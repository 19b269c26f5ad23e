import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import type { SearchEngine, SearchHit } from '../../../search/engine.js'
import { MAX_PAGE_SIZE } from '../../../search/engine.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { PUBLIC_NEED_STATUSES, type NeedStatus } from '../needs/enums.js'
import { ensureProvidersIndex, parseProviderDocumentId, PROVIDERS_INDEX } from '../providers/search-index.server.js'
import { getReferenceData, industryName, regionLabel, scenarioName, type ReferenceData } from '../reference/reference.server.js'
import { loadNeedForMatching, loadProvidersForMatching } from './data.server.js'
import type { MatchRow, NeedMatchesPage } from './match-views.js'
import { DELIVERING_KINDS, rankProviders } from './rank.js'
import type { MatchResult, MatchWeights, NeedForMatching, ProviderForMatching } from './types.js'
import { weightsForRegion } from './weights.server.js'

/*
 * Need → providers (issue 13, plan "C1"): the candidates come from ONE query on the
 * providers index (match 'any' with the need's words, kinds that deliver upgrade
 * projects, the 200 best by text relevance), plus every provider already invited or
 * recommended to the need; the pure ranking (rank.ts) scores and diversifies them.
 * Bounded per request: two engine pages, one load of ≤ 230 providers (data.server.ts),
 * one ranking, whatever the size of the platform.
 */

/** Engine pages of MAX_PAGE_SIZE fetched: the top 200 by text relevance. */
export const CANDIDATE_PAGES = 2
export const MATCHES_PAGE_SIZE = 20
/** Per need: how many providers its enterprise may invite, in all and per request. */
export const INVITES_PER_NEED = 30
export const INVITES_PER_REQUEST = 10
/**
 * The characters of a need's text sent to the engine in 'any' mode. The engine clips a
 * query to what it accepts (search/tokenizer.ts); the most telling words come first
 * (title, scenarios, industry) so a clip keeps them.
 */
const QUERY_TEXT_CHARS = 600

interface NeedText {
  description: string
  expected_results: string
}

/** The words a need is matched by: title, scenario and industry names, then its description and expected results. */
export function needQueryText(ref: ReferenceData, need: NeedForMatching, text: NeedText): string {
  const parts = [
    need.title,
    need.scenarioCodes.map((c) => scenarioName(ref, c) ?? '').join(' '),
    industryName(ref, need.industryCode) ?? '',
    text.description,
    text.expected_results,
  ]
  const joined = parts
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join(' ')
  return Array.from(joined).slice(0, QUERY_TEXT_CHARS).join('')
}

/** Provider ids with their text relevance (score over the best), from the engine's hits in order. */
function relevanceOf(hits: readonly SearchHit[], into: Map<number, number>): void {
  const best = Math.max(0, ...hits.map((h) => h.score ?? 0))
  hits.forEach((hit, i) => {
    const orgId = parseProviderDocumentId(hit.id)
    if (orgId === null || into.has(orgId)) return
    // An engine without scores: the position stands in (1 for the first, falling to ~0).
    const value = best > 0 && hit.score !== undefined ? hit.score / best : 1 - i / Math.max(1, hits.length)
    into.set(orgId, Math.max(0, Math.min(1, value)))
  })
}

async function pairedProviderIds(db: Kysely<DB>, needId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('need_invitations')
    .select('provider_org_id')
    .where('need_id', '=', needId)
    .distinct()
    .execute()
  return rows.map((r) => r.provider_org_id)
}

/**
 * The text relevance of a need's candidate providers: one engine query (two pages of
 * 100), each provider's score over the best (the comparison of bids reads it for its
 * bidders alone, without loading every candidate).
 */
export async function candidateRelevance(
  db: Database,
  search: SearchEngine,
  need: NeedForMatching,
): Promise<Map<number, number>> {
  const ref = await getReferenceData(db)
  await ensureProvidersIndex(search)
  const text = await db
    .selectFrom('needs')
    .select(['description', 'expected_results'])
    .where('id', '=', need.id)
    .executeTakeFirst()
  const query = needQueryText(ref, need, text ?? { description: '', expected_results: '' })
  const hits: SearchHit[] = []
  for (let page = 1; page <= CANDIDATE_PAGES; page += 1) {
    const found = await search.search(PROVIDERS_INDEX, {
      text: query,
      match: 'any',
      filters: { kinds: DELIVERING_KINDS },
      sort: 'relevance',
      page,
      pageSize: MAX_PAGE_SIZE,
    })
    hits.push(...found.hits)
    if (found.hits.length < MAX_PAGE_SIZE || page * MAX_PAGE_SIZE >= found.total) break
  }
  const relevance = new Map<number, number>()
  relevanceOf(hits, relevance)
  return relevance
}

/**
 * The candidates of a need: one engine query (two pages of 100), the providers already
 * paired with it added with their relevance (0 when their text did not match), loaded
 * as plain data for the ranking.
 */
export async function candidatesForNeed(
  db: Database,
  search: SearchEngine,
  need: NeedForMatching,
): Promise<ProviderForMatching[]> {
  const relevance = await candidateRelevance(db, search, need)
  for (const id of await pairedProviderIds(db, need.id)) if (!relevance.has(id)) relevance.set(id, 0)
  if (relevance.size === 0) return []
  return loadProvidersForMatching(db, relevance)
}

/** Candidates and their ranking for a need under `weights` (eval and bench call this too). */
export async function matchProvidersForNeed(
  db: Database,
  search: SearchEngine,
  need: NeedForMatching,
  options: { weights: MatchWeights; diversify: boolean },
): Promise<MatchResult & { candidates: ProviderForMatching[] }> {
  const candidates = await candidatesForNeed(db, search, need)
  const result = rankProviders(need, candidates, options.weights, { diversify: options.diversify })
  return { ...result, candidates }
}

/* ------------------------------------------------------------------ who may see a need's matches */

export interface NeedAccessRow {
  id: number
  org_id: number
  title: string
  status: NeedStatus
  region_code: string
  visibility: string
}

export interface NeedAccess {
  need: NeedAccessRow
  ref: ReferenceData
  viewer: 'owner' | 'agency'
}

/**
 * The need and how the actor sees its matches: the members of the verified enterprise
 * that owns it (`read:need-matches:own`), the agencies over its region
 * (`read:need-matches:jurisdiction`). Anyone else is told nothing exists (404), as for
 * the enterprise's own need pages.
 */
export async function needForMatchesReader(db: Database, actor: Actor, needId: number): Promise<NeedAccess> {
  const ref = await getReferenceData(db)
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'title', 'status', 'region_code', 'visibility'])
    .where('id', '=', needId)
    .executeTakeFirst()
  if (!need) throw new AppError('NOT_FOUND', 'errors.notFound')
  if (can(actor, ref, 'read:need-matches:own', { orgId: need.org_id })) return { need, ref, viewer: 'owner' }
  if (can(actor, ref, 'read:need-matches:jurisdiction', { regionCode: need.region_code })) return { need, ref, viewer: 'agency' }
  throw new AppError('NOT_FOUND', 'errors.notFound')
}

/** The match list's address when the actor may read it (the need's page links to it), else null. */
export async function matchesHrefFor(db: Database, actor: Actor | null, needId: number): Promise<string | null> {
  if (!actor?.org) return null
  try {
    await needForMatchesReader(db, actor, needId)
    return `/needs/${needId}/matches`
  } catch (error) {
    if (error instanceof AppError) return null
    throw error
  }
}

/** Whether pairing actions (invite, recommend) apply: the need is open for bids. */
export function isOpenForPairing(status: string): boolean {
  return status === 'published'
}

/**
 * /needs/:id/matches: one page (20) of the need's providers in the diversified order,
 * each with its name, kinds, seat, score and full breakdown, and whether the enterprise
 * invited it or an agency recommended it. Readable for any of the owner's needs (a
 * draft too: the owner sees who would fit before publishing); pairing only once published.
 */
export async function getNeedMatches(
  db: Database,
  search: SearchEngine,
  actor: Actor,
  needId: number,
  { page = 1, locale = DEFAULT_LOCALE }: { page?: number; locale?: Locale } = {},
): Promise<NeedMatchesPage> {
  const { need: row, ref, viewer } = await needForMatchesReader(db, actor, needId)
  const need = await loadNeedForMatching(db, needId)
  if (!need) throw new AppError('NOT_FOUND', 'errors.notFound')
  const { weights, regionCode: weightsRegion } = await weightsForRegion(db, row.region_code)
  const result = await matchProvidersForNeed(db, search, need, { weights, diversify: true })
  const byId = new Map(result.candidates.map((c) => [c.orgId, c]))

  const total = result.ranked.length
  const pageCount = Math.max(1, Math.ceil(total / MATCHES_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount)
  const start = (current - 1) * MATCHES_PAGE_SIZE

  const paired = await db
    .selectFrom('need_invitations')
    .select(['provider_org_id', 'kind'])
    .where('need_id', '=', needId)
    .execute()
  const invited = new Set(paired.filter((p) => p.kind === 'invite').map((p) => p.provider_org_id))
  const recommended = new Set(paired.filter((p) => p.kind === 'recommend').map((p) => p.provider_org_id))
  const rankedIds = new Set(result.ranked.map((r) => r.orgId))
  const pairedOutsideList = new Set(paired.map((p) => p.provider_org_id).filter((id) => !rankedIds.has(id))).size

  const rows: MatchRow[] = result.ranked.slice(start, start + MATCHES_PAGE_SIZE).map((r, i) => {
    const p = byId.get(r.orgId)
    return {
      orgId: r.orgId,
      rank: start + i + 1,
      name: p?.name ?? '',
      kinds: [...(p?.kinds ?? [])],
      seatName: p ? regionLabel(ref, p.seat.code, locale) : '',
      score: r.score,
      factors: r.factors,
      invited: invited.has(r.orgId),
      recommended: recommended.has(r.orgId),
    }
  })

  const open = isOpenForPairing(row.status)
  const canInvite = viewer === 'owner' && open && can(actor, ref, 'invite:provider:own', { orgId: row.org_id })
  const canRecommend =
    viewer === 'agency' && open && can(actor, ref, 'recommend:provider:jurisdiction', { regionCode: row.region_code })
  const publicHref = (PUBLIC_NEED_STATUSES as readonly string[]).includes(row.status) ? `/needs/${row.id}` : null
  return {
    need: {
      id: row.id,
      title: row.title,
      status: row.status,
      regionName: regionLabel(ref, row.region_code, locale),
      publicHref,
      ownHref: viewer === 'owner' ? `/enterprise/needs/${row.id}` : null,
    },
    viewer,
    rows,
    total,
    page: current,
    pageCount,
    pageSize: MATCHES_PAGE_SIZE,
    weights,
    weightsRegionName: weightsRegion ? regionLabel(ref, weightsRegion, locale) : null,
    canInvite,
    canRecommend,
    notOpen: !open,
    invitesLeft: Math.max(0, INVITES_PER_NEED - invited.size),
    invitesPerRequest: INVITES_PER_REQUEST,
    pairedOutsideList,
  }
}

/** The page's query and forms, for the routes: through this .server module, zod stays out of the browser bundle. */
export { ZInvitationsQuery, ZMatchesQuery, ZPairingInput } from './pairing-schema.js'
