import type { Database } from '../../../db/connection.js'
import type { SearchEngine } from '../../../search/engine.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { bayesianRating } from '../matching/factors.js'
import { loadNeedForMatching, loadProvidersForMatching } from '../matching/data.server.js'
import { candidateRelevance } from '../matching/need-matches.server.js'
import { rankProviders } from '../matching/rank.js'
import type { MatchResult } from '../matching/types.js'
import { weightsForRegion } from '../matching/weights.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { allowedBidActions, type BidStatus } from './lifecycle.js'
import { BID_LIMITS } from './limits.js'
import type { BidComparison, CompareBid, CompareTemplate } from './views.js'
import { wanText } from '../../utils/format.js'

/*
 * 比较方案 (issue 14 §2): the need's live bids side by side — price, duration, the
 * template terms (construction days, warranty, the milestones' split, price model), the
 * bidder's match score for this need and its breakdown (matching's own ranking: the same
 * weights and factors as the need's match list; a bidder the hard filters drop still
 * shows, with the reason), its cases (how many, how many 平台验证) and its platform
 * rating. For the need's enterprise (members shortlist and reject, owners award) and the
 * agencies over its region (read only); anyone else — a bidder included — gets 404.
 *
 * Bounded per request: at most BID_LIMITS.compareMax bids (the awarded one, then the
 * shortlisted, then by price), the need's candidate search for the text relevance (as
 * the match list: the same query, scores over the best), one load of the bidders'
 * matching data (not of every candidate).
 */

const SHOWN: readonly BidStatus[] = ['awarded', 'shortlisted', 'submitted']
const DECIDING_NEED = ['published', 'shortlisting']

function milestonePercents(json: string): number[] {
  try {
    const list: unknown = JSON.parse(json)
    if (!Array.isArray(list)) return []
    return list.map((m) => Number((m as { percent?: unknown }).percent)).filter((n) => Number.isFinite(n))
  } catch {
    return []
  }
}

export async function getBidComparison(
  db: Database,
  search: SearchEngine,
  actor: Actor,
  needId: number,
  now: Date = new Date(),
): Promise<BidComparison> {
  const ref = await getReferenceData(db)
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'title', 'status', 'deadline', 'region_code'])
    .where('id', '=', needId)
    .executeTakeFirst()
  if (!need) throw new AppError('NOT_FOUND', 'need.e.notFound')
  const viewer = can(actor, ref, 'read:bids:own', { orgId: need.org_id })
    ? 'owner'
    : can(actor, ref, 'read:bids:jurisdiction', { regionCode: need.region_code })
      ? 'agency'
      : null
  if (!viewer) throw new AppError('NOT_FOUND', 'need.e.notFound')

  const totalRow = await db
    .selectFrom('bids')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('need_id', '=', needId)
    .where('status', 'in', SHOWN)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('bids as b')
    .innerJoin('organisations as o', 'o.id', 'b.provider_org_id')
    .leftJoin('consortia as c', 'c.id', 'b.consortium_id')
    .leftJoin('contract_template_versions as v', 'v.id', 'b.template_version_id')
    .leftJoin('contract_templates as t', 't.id', 'v.template_id')
    .select([
      'b.id',
      'b.provider_org_id',
      'o.name as provider_name',
      'c.name as consortium_name',
      'b.status',
      'b.price_wan_x100',
      'b.duration_days',
      'v.id as version_id',
      'v.template_id',
      'v.version',
      'v.construction_days',
      'v.warranty_months',
      'v.milestones',
      'v.price_model',
      't.title as template_title',
      't.is_official',
    ])
    .where('b.need_id', '=', needId)
    .where('b.status', 'in', SHOWN)
    .orderBy((eb) =>
      eb.case().when('b.status', '=', 'awarded').then(0).when('b.status', '=', 'shortlisted').then(1).else(2).end(),
    )
    .orderBy('b.price_wan_x100')
    .orderBy('b.id')
    .limit(BID_LIMITS.compareMax)
    .execute()

  const bidIds = rows.map((r) => r.id)
  const bidderIds = [...new Set(rows.map((r) => r.provider_org_id))]
  const [messageRows, contract, scoring] = await Promise.all([
    bidIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('bid_messages')
          .select(['bid_id', (eb) => eb.fn.countAll<string | number>().as('n')])
          .where('bid_id', 'in', bidIds)
          .groupBy('bid_id')
          .execute(),
    db.selectFrom('contracts').select(['id', 'bid_id']).where('need_id', '=', needId).executeTakeFirst(),
    scoreBidders(db, search, needId, need.region_code, bidderIds, now),
  ])
  const messages = new Map(messageRows.map((m) => [m.bid_id, Number(m.n)]))

  const mayDecide = viewer === 'owner' && can(actor, ref, 'read:bids:own', { orgId: need.org_id })
  const mayAward = mayDecide && can(actor, ref, 'award:bid:own', { orgId: need.org_id })
  const deciding = DECIDING_NEED.includes(need.status)

  const bids: CompareBid[] = rows.map((r) => {
    const template: CompareTemplate | null =
      r.version_id === null || r.template_id === null
        ? null
        : {
            templateId: r.template_id,
            title: r.template_title ?? '',
            version: r.version ?? 1,
            official: r.is_official === 1,
            constructionDays: r.construction_days ?? 0,
            warrantyMonths: r.warranty_months ?? 0,
            milestonePercents: milestonePercents(r.milestones ?? '[]'),
            priceModel: r.price_model ?? 'quote',
          }
    const provider = scoring.providers.get(r.provider_org_id)
    const ranked = scoring.result.ranked.find((x) => x.orgId === r.provider_org_id)
    const excluded = scoring.result.excluded.find((x) => x.orgId === r.provider_org_id)
    const ratings = provider?.ratings ?? []
    const actions = mayDecide && deciding ? allowedBidActions(r.status, 'owner').filter((a) => a !== 'award' || mayAward) : []
    return {
      id: r.id,
      providerOrgId: r.provider_org_id,
      providerName: r.provider_name,
      consortiumName: r.consortium_name,
      status: r.status,
      priceWan: wanText(r.price_wan_x100),
      priceX100: r.price_wan_x100,
      durationDays: r.duration_days,
      template,
      match: ranked ? { score: ranked.score, factors: ranked.factors } : null,
      excluded: ranked ? null : (excluded?.reason ?? 'not_verified'),
      cases: { total: provider?.cases.length ?? 0, verified: provider?.cases.filter((c) => c.verified).length ?? 0 },
      rating: {
        count: ratings.length,
        percent: ratings.length === 0 ? null : Math.round(bayesianRating(ratings, now).mean * 100),
      },
      messageCount: messages.get(r.id) ?? 0,
      actions: actions.filter((a): a is 'shortlist' | 'reject' | 'award' => a !== 'revise' && a !== 'withdraw'),
    }
  })

  return {
    need: { id: need.id, title: need.title, status: need.status, deadline: need.deadline },
    viewer,
    bids,
    total: Number(totalRow.n),
    lowestPriceX100: bids.length > 1 ? Math.min(...bids.map((b) => b.priceX100)) : null,
    shortestDays: bids.length > 1 ? Math.min(...bids.map((b) => b.durationDays)) : null,
    mayDecide: mayDecide && deciding,
    mayAward: mayAward && deciding,
    contractId: contract?.id ?? null,
    awardedBidId: contract?.bid_id ?? null,
  }
}

/**
 * The bidders scored for the need as its match list scores them: the text relevance
 * from the need's candidate search (0 for a bidder the text did not find among its 200), the weights
 * of the need's region, no diversification (the comparison orders by status and price).
 */
async function scoreBidders(
  db: Database,
  search: SearchEngine,
  needId: number,
  regionCode: string,
  bidderIds: readonly number[],
  now: Date,
): Promise<{ result: MatchResult; providers: Map<number, Awaited<ReturnType<typeof loadProvidersForMatching>>[number]> }> {
  const empty = { result: { ranked: [], excluded: [] }, providers: new Map() }
  if (bidderIds.length === 0) return empty
  const need = await loadNeedForMatching(db, needId)
  if (!need) return empty
  const { weights } = await weightsForRegion(db, regionCode)
  const relevance = await candidateRelevance(db, search, need)
  const bidders = await loadProvidersForMatching(db, new Map(bidderIds.map((id) => [id, relevance.get(id) ?? 0])))
  const result = rankProviders(need, bidders, weights, { diversify: false, now })
  return { result, providers: new Map(bidders.map((b) => [b.orgId, b])) }
}
