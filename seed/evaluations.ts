/**
 * The demo's provider evaluation (issue 15 §4): the 扬州市工信局's published 2025 scheme
 * (the five dimensions a new scheme starts with) and its published results — 服务商 A
 * 优先推荐 (88.55), 服务商 B 正常 (73.10) — judged by the agency (the demo has no 2025
 * records, so each dimension's score is the agency's judgement). Matching reads them in
 * 2026: 服务商 A's tier is 优先推荐. Deterministic (fixed dates); written after the demo
 * accounts, skipped when the agency is missing or already has a 2025 scheme.
 */
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/types.js'
import { STARTING_DIMENSIONS } from '../app/domain/evaluation/schemes.server.js'
import { evaluateProvider } from '../app/domain/evaluation/scoring.js'

const DEMO_AGENCY_PHONE = '13900000021'
const YEAR = 2025

/** Judgements per starting dimension (经营力, 技术力, 服务力, 资源整合力, 创新推广力). */
const JUDGED: readonly [phone: string, scores: readonly number[]][] = [
  ['13900000011', [90, 88, 92, 86, 85]],
  ['13900000012', [75, 72, 78, 70, 68]],
]

async function orgOfPhone(db: Kysely<DB>, phone: string, kind: 'agency' | 'provider') {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId', 'o.region_code'])
    .where('u.phone', '=', phone)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', kind)
    .executeTakeFirst()
}

export async function writeEvaluationData(db: Kysely<DB>): Promise<void> {
  const agency = await orgOfPhone(db, DEMO_AGENCY_PHONE, 'agency')
  if (!agency || agency.region_code !== '321000') return
  const exists = await db
    .selectFrom('evaluation_schemes')
    .select('id')
    .where('agency_org_id', '=', agency.orgId)
    .where('year', '=', YEAR)
    .executeTakeFirst()
  if (exists) return
  await db.transaction().execute(async (trx) => {
    const { id: schemeId } = await trx
      .insertInto('evaluation_schemes')
      .values({
        agency_org_id: agency.orgId,
        year: YEAR,
        title: '2025 年度扬州市智改数转服务商评价',
        description: '演示数据：依据平台履约记录与主管部门评定，评价结果作为 2026 年度推荐的依据。',
        preferred_min: 85,
        excluded_below: 60,
        status: 'published',
        published_by: agency.userId,
        published_at: '2025-12-10T02:00:00.000Z',
        computed_at: '2026-01-08T02:00:00.000Z',
        results_published_by: agency.userId,
        results_published_at: '2026-01-10T02:00:00.000Z',
        appeal_until: '2026-01-25',
        created_by: agency.userId,
        created_at: '2025-12-01T02:00:00.000Z',
        updated_at: '2026-01-10T02:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const dims = []
    for (const [i, d] of STARTING_DIMENSIONS.entries()) {
      const { id } = await trx
        .insertInto('evaluation_dimensions')
        .values({
          scheme_id: schemeId,
          position: i + 1,
          name: d.name,
          weight: d.weight,
          metric: d.metric,
          judgement_percent: d.judgementPercent,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      dims.push({ id, weight: d.weight, metric: d.metric, judgementPercent: d.judgementPercent })
    }
    for (const [phone, scores] of JUDGED) {
      const provider = await orgOfPhone(trx, phone, 'provider')
      if (!provider) continue
      const inputs = new Map(dims.map((d, i) => [d.id, { metric: null, judgement: scores[i] ?? null }]))
      const result = evaluateProvider(dims, inputs, { preferredMin: 85, excludedBelow: 60 })
      await trx
        .insertInto('evaluation_judgements')
        .values(
          dims.map((d, i) => ({
            dimension_id: d.id,
            scheme_id: schemeId,
            provider_org_id: provider.orgId,
            score: scores[i] ?? 0,
            scored_by: agency.userId,
            scored_at: '2026-01-05T02:00:00.000Z',
          })),
        )
        .execute()
      const { id: resultId } = await trx
        .insertInto('evaluation_results')
        .values({
          scheme_id: schemeId,
          provider_org_id: provider.orgId,
          total_x100: result.totalX100,
          computed_tier: result.tier,
          tier: result.tier,
          computed_at: '2026-01-08T02:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('evaluation_result_scores')
        .values(
          result.scores.map((s) => ({
            result_id: resultId,
            dimension_id: s.dimensionId,
            metric_x100: null,
            records: 0,
            judgement: s.judgement,
            score_x100: Math.round(s.score * 100),
          })),
        )
        .execute()
    }
  })
}

/** Empties the evaluation tables (they name organisations and users), children first. */
export async function deleteEvaluationData(trx: Transaction<DB>): Promise<void> {
  for (const table of [
    'qualification_expiry_flags',
    'provider_sanctions',
    'evaluation_appeals',
    'evaluation_result_scores',
    'evaluation_results',
    'evaluation_judgements',
    'evaluation_dimensions',
    'evaluation_schemes',
  ] as const) {
    await trx.deleteFrom(table).execute()
  }
}
