import type { Database } from '../../../db/connection.js'
import type { AppealStatus, EvaluationMetric, EvaluationTier } from '../../../db/enums.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { sanctionsOf, type SanctionRow } from './sanctions.server.js'
import { isoDay as day } from './iso.js'

/*
 * /provider/evaluation: a provider's own PUBLISHED results (any agency; unpublished ones
 * are never shown), each with every dimension's metric, judgement and score, its tier in
 * force and its appeal; the sanctions it has. Any active member reads
 * (read:evaluation:own); the owners appeal (appeal:evaluation:own) once per result until
 * the scheme's appeal_until.
 */

export interface ProviderResult {
  id: number
  agencyName: string
  year: number
  title: string
  preferredMin: number
  excludedBelow: number
  totalX100: number
  tier: EvaluationTier
  computedTier: EvaluationTier
  appealUntil: string | null
  appeal: { status: AppealStatus; reason: string; decision: string; newTier: EvaluationTier | null } | null
  mayAppeal: boolean
  dimensions: {
    id: number
    name: string
    weight: number
    metric: EvaluationMetric
    judgementPercent: number
    metricX100: number | null
    records: number
    judgement: number | null
    scoreX100: number
  }[]
}

export async function getProviderEvaluation(
  db: Database,
  actor: Actor,
  now: Date = new Date(),
): Promise<{ results: ProviderResult[]; sanctions: SanctionRow[]; isOwner: boolean }> {
  const ref = await getReferenceData(db)
  const org = actor.org
  if (!org || org.kind !== 'provider')
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:evaluation:own' } })
  authorize(actor, ref, 'read:evaluation:own', { orgId: org.orgId })
  const isOwner = can(actor, ref, 'appeal:evaluation:own', { orgId: org.orgId })
  const today = chinaDate(now)
  const rows = await db
    .selectFrom('evaluation_results as r')
    .innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
    .innerJoin('organisations as o', 'o.id', 's.agency_org_id')
    .leftJoin('evaluation_appeals as a', 'a.result_id', 'r.id')
    .select([
      'r.id',
      'r.scheme_id',
      'o.name',
      's.year',
      's.title',
      's.preferred_min',
      's.excluded_below',
      's.appeal_until',
      'r.total_x100',
      'r.tier',
      'r.computed_tier',
      'a.status as appeal_status',
      'a.reason as appeal_reason',
      'a.decision as appeal_decision',
      'a.new_tier as appeal_tier',
    ])
    .where('r.provider_org_id', '=', org.orgId)
    .where('s.results_published_at', 'is not', null)
    .orderBy('s.year', 'desc')
    .orderBy('r.id', 'desc')
    .limit(20)
    .execute()
  const schemeIds = [...new Set(rows.map((r) => r.scheme_id))]
  const [dims, scores] = schemeIds.length
    ? await Promise.all([
        db
          .selectFrom('evaluation_dimensions')
          .select(['id', 'scheme_id', 'position', 'name', 'weight', 'metric', 'judgement_percent'])
          .where('scheme_id', 'in', schemeIds)
          .orderBy('position')
          .execute(),
        db
          .selectFrom('evaluation_result_scores')
          .select(['result_id', 'dimension_id', 'metric_x100', 'records', 'judgement', 'score_x100'])
          .where(
            'result_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute(),
      ])
    : [[], []]
  const results: ProviderResult[] = rows.map((r) => {
    const appealUntil = day(r.appeal_until)
    const appeal =
      r.appeal_status === null || r.appeal_status === undefined
        ? null
        : {
            status: r.appeal_status,
            reason: r.appeal_reason ?? '',
            decision: r.appeal_decision ?? '',
            newTier: r.appeal_tier ?? null,
          }
    return {
      id: r.id,
      agencyName: r.name,
      year: r.year,
      title: r.title,
      preferredMin: r.preferred_min,
      excludedBelow: r.excluded_below,
      totalX100: r.total_x100,
      tier: r.tier,
      computedTier: r.computed_tier,
      appealUntil,
      appeal,
      mayAppeal: isOwner && appeal === null && appealUntil !== null && today <= appealUntil,
      dimensions: dims
        .filter((d) => d.scheme_id === r.scheme_id)
        .map((d) => {
          const s = scores.find((x) => x.result_id === r.id && x.dimension_id === d.id)
          return {
            id: d.id,
            name: d.name,
            weight: d.weight,
            metric: d.metric,
            judgementPercent: d.judgement_percent,
            metricX100: s?.metric_x100 ?? null,
            records: s?.records ?? 0,
            judgement: s?.judgement ?? null,
            scoreX100: s?.score_x100 ?? 0,
          }
        }),
    }
  })
  return { results, sanctions: await sanctionsOf(db, org.orgId, now), isOwner }
}
