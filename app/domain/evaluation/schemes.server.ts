import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { EvaluationMetric, EvaluationSchemeStatus, EvaluationTier } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import { uniqueViolation } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { listWorkbook, xlsxHeaders } from '../spreadsheets/workbook.server.js'
import { loadMetricFacts } from './facts.server.js'
import type { DimensionInput, SchemeInput } from './schema.js'
import { EVALUATION_LIMITS, evaluateProvider, metricValue, NO_FACTS, schemeProblem, type DimensionInputs } from './scoring.js'
import { isoDay, isoText as iso } from './iso.js'

/*
 * Evaluation schemes (供应商评价, issue 15 §4; docs/decisions/012-evaluation.md). An agency
 * (owners and reviewers: manage:evaluation:own; its viewers read: read:evaluation:own)
 * keeps one scheme per year:
 * - draft: title, thresholds and dimensions editable (a new scheme starts with the five
 *   dimensions of the issue, weights summing to 100);
 * - published (公布评价办法): the weights must sum to 100; from then on the scheme is
 *   fixed; the agency enters its judgements (0–100 per dimension that has a share of
 *   judgement) and computes the results for the verified providers seated in its
 *   jurisdiction from the platform records of the scheme's year (facts.server.ts), as
 *   often as it likes until it publishes them;
 * - results published: frozen; each provider is told (its owners), may appeal once
 *   within EVALUATION_LIMITS.appealDays days (appeals.server.ts), and matching reads the
 *   tiers (tiers.server.ts).
 * Another agency's scheme is 404 (the same answer as a missing one). Every write is one
 * transaction with an audit row.
 */

export const EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

/** The five dimensions of the issue a new scheme starts with (the agency edits them while a draft). */
export const STARTING_DIMENSIONS: readonly Omit<DimensionInput, 'description'>[] = [
  { name: '经营力', weight: 20, metric: 'disputes', judgementPercent: 50 },
  { name: '技术力', weight: 20, metric: 'indicators', judgementPercent: 50 },
  { name: '服务力', weight: 25, metric: 'ratings', judgementPercent: 20 },
  { name: '资源整合力', weight: 20, metric: 'on_time', judgementPercent: 50 },
  { name: '创新推广力', weight: 15, metric: 'none', judgementPercent: 100 },
]

export interface SchemeRow {
  id: number
  agency_org_id: number
  year: number
  title: string
  description: string
  preferred_min: number
  excluded_below: number
  status: EvaluationSchemeStatus
  published_at: string | null
  computed_at: string | null
  results_published_at: string | null
  appeal_until: string | null
}

export interface DimensionView {
  id: number
  position: number
  name: string
  description: string
  weight: number
  metric: EvaluationMetric
  judgementPercent: number
}

export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'evaluation.e.notFound')
}

function conflict(key: string, params?: Record<string, string | number>): AppError {
  return new AppError('CONFLICT', key as never, params ? { params } : {})
}

/** The acting agency's id, when the actor may read (or, with `write`, manage) its evaluations; 403 otherwise. */
export function agencyOf(actor: Actor, ref: ReferenceData, write: boolean): number {
  const org = actor.org
  if (!org || org.kind !== 'agency') throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'evaluation' } })
  authorize(actor, ref, write ? 'manage:evaluation:own' : 'read:evaluation:own', { orgId: org.orgId })
  return org.orgId
}

async function loadScheme(db: Kysely<DB>, id: number): Promise<SchemeRow | undefined> {
  const row = await db
    .selectFrom('evaluation_schemes')
    .select([
      'id',
      'agency_org_id',
      'year',
      'title',
      'description',
      'preferred_min',
      'excluded_below',
      'status',
      'published_at',
      'computed_at',
      'results_published_at',
      'appeal_until',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    ...row,
    published_at: iso(row.published_at),
    computed_at: iso(row.computed_at),
    results_published_at: iso(row.results_published_at),
    appeal_until: isoDay(row.appeal_until),
  }
}

/** The scheme of the acting agency (404 for anyone else's) with the agency's id. */
export async function schemeFor(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  write: boolean,
  ref?: ReferenceData,
): Promise<{ scheme: SchemeRow; agencyOrgId: number; ref: ReferenceData }> {
  const reference = ref ?? (await getReferenceData(db))
  const agencyOrgId = agencyOf(actor, reference, write)
  const scheme = await loadScheme(db, id)
  if (!scheme || scheme.agency_org_id !== agencyOrgId) throw notFound()
  return { scheme, agencyOrgId, ref: reference }
}

export async function loadDimensions(db: Kysely<DB>, schemeId: number): Promise<DimensionView[]> {
  const rows = await db
    .selectFrom('evaluation_dimensions')
    .select(['id', 'position', 'name', 'description', 'weight', 'metric', 'judgement_percent'])
    .where('scheme_id', '=', schemeId)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    name: r.name,
    description: r.description,
    weight: r.weight,
    metric: r.metric,
    judgementPercent: r.judgement_percent,
  }))
}

/** Verified providers seated in the agency's jurisdiction, ordered by id (bounded by `limit`). */
async function jurisdictionProviders(
  db: Kysely<DB>,
  ref: ReferenceData,
  agencyRegion: string,
  limit = 5_000,
): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where('region_code', 'in', jurisdictionCodes(ref, agencyRegion))
    .orderBy('id')
    .limit(limit)
    .execute()
}

async function agencyRegion(db: Kysely<DB>, agencyOrgId: number): Promise<{ region: string; name: string }> {
  const row = await db
    .selectFrom('organisations')
    .select(['region_code', 'name'])
    .where('id', '=', agencyOrgId)
    .executeTakeFirstOrThrow()
  return { region: row.region_code, name: row.name }
}

function audit(trx: Transaction<DB>, actor: Actor, action: Parameters<typeof recordAudit>[1]['action'], id: number, detail = {}) {
  return recordAudit(trx, { action, ...auditActor(actor), objectType: 'evaluation_scheme', objectId: id, detail })
}

/* ------------------------------------------------------------------ the list */

export interface SchemeListItem {
  id: number
  year: number
  title: string
  status: EvaluationSchemeStatus
  resultsPublished: boolean
  results: number
  pendingAppeals: number
}

export async function listSchemes(
  db: Database,
  actor: Actor,
): Promise<{ schemes: SchemeListItem[]; mayManage: boolean; year: number }> {
  const ref = await getReferenceData(db)
  const agencyOrgId = agencyOf(actor, ref, false)
  const rows = await db
    .selectFrom('evaluation_schemes as s')
    .select((eb) => [
      's.id',
      's.year',
      's.title',
      's.status',
      's.results_published_at',
      eb
        .selectFrom('evaluation_results as r')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('r.scheme_id', '=', 's.id')
        .as('results'),
      eb
        .selectFrom('evaluation_appeals as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.scheme_id', '=', 's.id')
        .where('a.status', '=', 'pending')
        .as('pending'),
    ])
    .where('s.agency_org_id', '=', agencyOrgId)
    .orderBy('s.year', 'desc')
    .limit(100)
    .execute()
  return {
    schemes: rows.map((r) => ({
      id: r.id,
      year: r.year,
      title: r.title,
      status: r.status,
      resultsPublished: r.results_published_at !== null,
      results: Number(r.results ?? 0),
      pendingAppeals: Number(r.pending ?? 0),
    })),
    mayManage: can(actor, ref, 'manage:evaluation:own', { orgId: agencyOrgId }),
    year: Number(chinaDate().slice(0, 4)),
  }
}

/* ------------------------------------------------------------------ drafting */

export async function createScheme(db: Database, actor: Actor, input: SchemeInput): Promise<number> {
  const ref = await getReferenceData(db)
  const agencyOrgId = agencyOf(actor, ref, true)
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      const { id } = await trx
        .insertInto('evaluation_schemes')
        .values({
          agency_org_id: agencyOrgId,
          year: input.year,
          title: input.title,
          description: input.description,
          preferred_min: input.preferredMin,
          excluded_below: input.excludedBelow,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('evaluation_dimensions')
        .values(
          STARTING_DIMENSIONS.map((d, i) => ({
            scheme_id: id,
            position: i + 1,
            name: d.name,
            weight: d.weight,
            metric: d.metric,
            judgement_percent: d.judgementPercent,
          })),
        )
        .execute()
      await audit(trx, actor, 'evaluation.scheme_created', id, { year: input.year })
      return id
    })
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('CONFLICT', 'evaluation.e.yearTaken', { fieldErrors: { year: 'evaluation.e.yearTaken' } })
    }
    throw error
  }
}

async function draftFor(trx: Transaction<DB>, actor: Actor, id: number): Promise<SchemeRow> {
  const { scheme } = await schemeFor(trx, actor, id, true)
  if (scheme.status !== 'draft') throw conflict('evaluation.e.notDraft')
  return scheme
}

export async function updateScheme(db: Database, actor: Actor, id: number, input: SchemeInput): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      await draftFor(trx, actor, id)
      await trx
        .updateTable('evaluation_schemes')
        .set({
          year: input.year,
          title: input.title,
          description: input.description,
          preferred_min: input.preferredMin,
          excluded_below: input.excludedBelow,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .execute()
      await audit(trx, actor, 'evaluation.scheme_updated', id, { year: input.year })
    })
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('CONFLICT', 'evaluation.e.yearTaken', { fieldErrors: { year: 'evaluation.e.yearTaken' } })
    }
    throw error
  }
}

export async function deleteScheme(db: Database, actor: Actor, id: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    await draftFor(trx, actor, id)
    await trx.deleteFrom('evaluation_schemes').where('id', '=', id).where('status', '=', 'draft').execute()
    await audit(trx, actor, 'evaluation.scheme_deleted', id)
  })
}

export async function addDimension(db: Database, actor: Actor, id: number, input: DimensionInput): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      await draftFor(trx, actor, id)
      const dims = await loadDimensions(trx, id)
      if (dims.length >= EVALUATION_LIMITS.dimensionsMax) {
        throw conflict('evaluation.e.tooManyDimensions', { max: EVALUATION_LIMITS.dimensionsMax })
      }
      await trx
        .insertInto('evaluation_dimensions')
        .values({
          scheme_id: id,
          position: Math.max(0, ...dims.map((d) => d.position)) + 1,
          name: input.name,
          description: input.description,
          weight: input.weight,
          metric: input.metric,
          judgement_percent: input.metric === 'none' ? 100 : input.judgementPercent,
        })
        .execute()
      await audit(trx, actor, 'evaluation.scheme_updated', id, { added: input.name })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw conflict('errors.duplicate')
    throw error
  }
}

export async function removeDimension(db: Database, actor: Actor, id: number, dimensionId: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    await draftFor(trx, actor, id)
    const gone = await trx
      .deleteFrom('evaluation_dimensions')
      .where('id', '=', dimensionId)
      .where('scheme_id', '=', id)
      .executeTakeFirst()
    if (Number(gone.numDeletedRows) === 0) throw notFound()
    await audit(trx, actor, 'evaluation.scheme_updated', id, { removed: dimensionId })
  })
}

export async function publishScheme(db: Database, actor: Actor, id: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    await draftFor(trx, actor, id)
    const problem = schemeProblem(await loadDimensions(trx, id))
    if (problem) throw conflict(problem, { max: EVALUATION_LIMITS.dimensionsMax })
    const now = new Date().toISOString()
    await trx
      .updateTable('evaluation_schemes')
      .set({ status: 'published', published_at: now, published_by: actor.userId, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .execute()
    await audit(trx, actor, 'evaluation.scheme_published', id)
  })
}

/* ------------------------------------------------------------------ judging and computing */

async function openSchemeFor(trx: Transaction<DB>, actor: Actor, id: number) {
  const found = await schemeFor(trx, actor, id, true)
  if (found.scheme.status !== 'published') throw conflict('evaluation.e.notPublished')
  if (found.scheme.results_published_at !== null) throw conflict('evaluation.e.resultsPublished')
  return found
}

/** The agency's judgements of one provider: null removes a judgement. The provider must be one the scheme evaluates. */
export async function setJudgements(
  db: Database,
  actor: Actor,
  id: number,
  providerOrgId: number,
  judgements: ReadonlyMap<number, number | null>,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const { agencyOrgId, ref } = await openSchemeFor(trx, actor, id)
    const { region } = await agencyRegion(trx, agencyOrgId)
    const provider = await trx
      .selectFrom('organisations')
      .select(['id', 'region_code'])
      .where('id', '=', providerOrgId)
      .where('kind', '=', 'provider')
      .where('status', '=', 'verified')
      .executeTakeFirst()
    if (!provider || !jurisdictionCodes(ref, region).includes(provider.region_code)) {
      throw new AppError('VALIDATION', 'evaluation.v.provider', { fieldErrors: { providerOrgId: 'evaluation.v.provider' } })
    }
    const dims = (await loadDimensions(trx, id)).filter((d) => d.judgementPercent > 0)
    const now = new Date().toISOString()
    for (const d of dims) {
      if (!judgements.has(d.id)) continue
      const score = judgements.get(d.id) ?? null
      await trx
        .deleteFrom('evaluation_judgements')
        .where('dimension_id', '=', d.id)
        .where('provider_org_id', '=', providerOrgId)
        .execute()
      if (score !== null) {
        await trx
          .insertInto('evaluation_judgements')
          .values({
            dimension_id: d.id,
            scheme_id: id,
            provider_org_id: providerOrgId,
            score,
            scored_by: actor.userId,
            scored_at: now,
          })
          .execute()
      }
    }
    await audit(trx, actor, 'evaluation.judged', id, { provider: providerOrgId })
  })
}

/**
 * Computes (again) the results of every verified provider seated in the jurisdiction:
 * the metrics from the records of the scheme's year, the judgements, the weights and the
 * thresholds (scoring.ts). Replaces the previous unpublished results. Returns their number.
 */
export async function computeResults(db: Database, actor: Actor, id: number, now: Date = new Date()): Promise<number> {
  return withTransaction(db, async (trx) => {
    const { scheme, agencyOrgId, ref } = await openSchemeFor(trx, actor, id)
    const { region } = await agencyRegion(trx, agencyOrgId)
    const providers = await jurisdictionProviders(trx, ref, region)
    const dims = await loadDimensions(trx, id)
    const ids = providers.map((p) => p.id)
    const facts = await loadMetricFacts(trx, ids, scheme.year)
    const judged = await trx
      .selectFrom('evaluation_judgements')
      .select(['dimension_id', 'provider_org_id', 'score'])
      .where('scheme_id', '=', id)
      .execute()
    const judgementOf = new Map<string, number>()
    for (const j of judged) judgementOf.set(`${j.provider_org_id}:${j.dimension_id}`, j.score)
    await trx.deleteFrom('evaluation_results').where('scheme_id', '=', id).execute()
    const at = now.toISOString()
    const thresholds = { preferredMin: scheme.preferred_min, excludedBelow: scheme.excluded_below }
    for (const providerId of ids) {
      const f = facts.get(providerId) ?? NO_FACTS
      const inputs = new Map<number, DimensionInputs & { records: number }>()
      for (const d of dims) {
        const m = metricValue(d.metric, f)
        inputs.set(d.id, { metric: m.value, records: m.records, judgement: judgementOf.get(`${providerId}:${d.id}`) ?? null })
      }
      const result = evaluateProvider(dims, inputs, thresholds)
      const { id: resultId } = await trx
        .insertInto('evaluation_results')
        .values({
          scheme_id: id,
          provider_org_id: providerId,
          total_x100: result.totalX100,
          computed_tier: result.tier,
          tier: result.tier,
          computed_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (result.scores.length) {
        await trx
          .insertInto('evaluation_result_scores')
          .values(
            result.scores.map((s) => ({
              result_id: resultId,
              dimension_id: s.dimensionId,
              metric_x100: s.metric === null ? null : Math.round(s.metric * 100),
              records: inputs.get(s.dimensionId)?.records ?? 0,
              judgement: s.judgement,
              score_x100: Math.round(s.score * 100),
            })),
          )
          .execute()
      }
    }
    await trx.updateTable('evaluation_schemes').set({ computed_at: at, updated_at: at }).where('id', '=', id).execute()
    await audit(trx, actor, 'evaluation.computed', id, { providers: ids.length })
    return ids.length
  })
}

/** Publishes the computed results: frozen from now on; every provider evaluated is told; appeals open. */
export async function publishResults(db: Database, actor: Actor, id: number, now: Date = new Date()): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const { scheme, agencyOrgId } = await openSchemeFor(trx, actor, id)
    if (scheme.computed_at === null) throw conflict('evaluation.e.notComputed')
    const at = now.toISOString()
    const appealUntil = addDays(chinaDate(now), EVALUATION_LIMITS.appealDays)
    const updated = await trx
      .updateTable('evaluation_schemes')
      .set({ results_published_at: at, results_published_by: actor.userId, appeal_until: appealUntil, updated_at: at })
      .where('id', '=', id)
      .where('results_published_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) throw conflict('evaluation.e.resultsPublished')
    const { name } = await agencyRegion(trx, agencyOrgId)
    const results = await trx
      .selectFrom('evaluation_results')
      .select(['provider_org_id', 'tier'])
      .where('scheme_id', '=', id)
      .orderBy('provider_org_id')
      .execute()
    for (const r of results) {
      await notify(db, trx, afterCommit, {
        kind: 'evaluation_published',
        orgId: r.provider_org_id,
        params: {
          year: scheme.year,
          agency: name,
          scheme: scheme.title,
          tierKey: `evaluation.tier.${r.tier}`,
          until: appealUntil,
        },
        link: '/provider/evaluation',
      })
    }
    await audit(trx, actor, 'evaluation.results_published', id, { providers: results.length, appealUntil })
  })
}

/* ------------------------------------------------------------------ the scheme page */

export interface ResultRow {
  id: number
  providerOrgId: number
  providerName: string
  totalX100: number
  tier: EvaluationTier
  computedTier: EvaluationTier
  appeal: 'pending' | 'upheld' | 'dismissed' | null
  scores: { dimensionId: number; metricX100: number | null; records: number; judgement: number | null; scoreX100: number }[]
}

export interface SchemePage {
  scheme: SchemeRow
  dimensions: DimensionView[]
  mayManage: boolean
  phase: 'draft' | 'judging' | 'published'
  problem: string | null
  tierCounts: Record<EvaluationTier, number>
  results: ResultRow[]
  total: number
  page: number
  pageCount: number
  pendingAppeals: number
  /** The providers the agency may judge (while judging). */
  providers: { id: number; name: string }[]
  /** The provider being judged (?provider=), with its current judgements. */
  judging: { providerOrgId: number; name: string; judgements: Record<number, number> } | null
}

async function resultRows(db: Kysely<DB>, schemeId: number, page: number): Promise<{ rows: ResultRow[]; total: number }> {
  const size = EVALUATION_LIMITS.pageSize
  const count = await db
    .selectFrom('evaluation_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scheme_id', '=', schemeId)
    .executeTakeFirstOrThrow()
  const total = Number(count.n)
  const rows = await db
    .selectFrom('evaluation_results as r')
    .innerJoin('organisations as o', 'o.id', 'r.provider_org_id')
    .leftJoin('evaluation_appeals as a', 'a.result_id', 'r.id')
    .select(['r.id', 'r.provider_org_id', 'o.name', 'r.total_x100', 'r.tier', 'r.computed_tier', 'a.status as appeal'])
    .where('r.scheme_id', '=', schemeId)
    .orderBy('r.total_x100', 'desc')
    .orderBy('r.provider_org_id')
    .limit(size)
    .offset((page - 1) * size)
    .execute()
  const scores = rows.length
    ? await db
        .selectFrom('evaluation_result_scores')
        .select(['result_id', 'dimension_id', 'metric_x100', 'records', 'judgement', 'score_x100'])
        .where(
          'result_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : []
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      providerOrgId: r.provider_org_id,
      providerName: r.name,
      totalX100: r.total_x100,
      tier: r.tier,
      computedTier: r.computed_tier,
      appeal: r.appeal ?? null,
      scores: scores
        .filter((s) => s.result_id === r.id)
        .map((s) => ({
          dimensionId: s.dimension_id,
          metricX100: s.metric_x100,
          records: s.records,
          judgement: s.judgement,
          scoreX100: s.score_x100,
        })),
    })),
  }
}

export async function getSchemePage(
  db: Database,
  actor: Actor,
  id: number,
  query: { page: number; provider: number | null },
): Promise<SchemePage> {
  const { scheme, agencyOrgId, ref } = await schemeFor(db, actor, id, false)
  const mayManage = can(actor, ref, 'manage:evaluation:own', { orgId: agencyOrgId })
  const dimensions = await loadDimensions(db, id)
  const phase = scheme.status === 'draft' ? 'draft' : scheme.results_published_at === null ? 'judging' : 'published'
  const tiers = await db
    .selectFrom('evaluation_results')
    .select(['tier', (eb) => eb.fn.countAll<number>().as('n')])
    .where('scheme_id', '=', id)
    .groupBy('tier')
    .execute()
  const tierCounts: Record<EvaluationTier, number> = { preferred: 0, normal: 0, excluded: 0 }
  for (const t of tiers) tierCounts[t.tier] = Number(t.n)
  const total = tierCounts.preferred + tierCounts.normal + tierCounts.excluded
  const pageCount = Math.max(1, Math.ceil(total / EVALUATION_LIMITS.pageSize))
  const page = Math.min(query.page, pageCount)
  const { rows } = await resultRows(db, id, page)
  const pending = await db
    .selectFrom('evaluation_appeals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scheme_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  let providers: { id: number; name: string }[] = []
  let judging: SchemePage['judging'] = null
  if (phase === 'judging' && mayManage) {
    const { region } = await agencyRegion(db, agencyOrgId)
    providers = await jurisdictionProviders(db, ref, region, 500)
    const chosen = query.provider === null ? undefined : providers.find((p) => p.id === query.provider)
    if (chosen) {
      const js = await db
        .selectFrom('evaluation_judgements')
        .select(['dimension_id', 'score'])
        .where('scheme_id', '=', id)
        .where('provider_org_id', '=', chosen.id)
        .execute()
      judging = {
        providerOrgId: chosen.id,
        name: chosen.name,
        judgements: Object.fromEntries(js.map((j) => [j.dimension_id, j.score])),
      }
    }
  }
  return {
    scheme,
    dimensions,
    mayManage,
    phase,
    problem: phase === 'draft' ? schemeProblem(dimensions) : null,
    tierCounts,
    results: rows,
    total,
    page,
    pageCount,
    pendingAppeals: Number(pending.n),
    providers,
    judging,
  }
}

/* ------------------------------------------------------------------ xlsx */

const METRIC_KEYS: Record<EvaluationMetric, string> = {
  none: 'evaluation.metric.none',
  ratings: 'evaluation.metric.ratings',
  supervision: 'evaluation.metric.supervision',
  on_time: 'evaluation.metric.on_time',
  disputes: 'evaluation.metric.disputes',
  indicators: 'evaluation.metric.indicators',
}

/** The results with every dimension's metric, judgement and score, as an .xlsx download (rate-limited per person). */
export async function exportResults(
  db: Database,
  actor: Actor,
  id: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  const { scheme, agencyOrgId } = await schemeFor(db, actor, id, false)
  await reserve(db, [{ key: `evaluation-export:user:${actor.userId}`, rule: EXPORT_LIMIT }])
  const t = translator(locale)
  const dims = await loadDimensions(db, id)
  const { name } = await agencyRegion(db, agencyOrgId)
  const rows: (string | number | null)[][] = []
  const size = EVALUATION_LIMITS.pageSize
  const count = await db
    .selectFrom('evaluation_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scheme_id', '=', id)
    .executeTakeFirstOrThrow()
  const pages = Math.ceil(Number(count.n) / size)
  let rank = 0
  for (let p = 1; p <= pages; p += 1) {
    const { rows: part } = await resultRows(db, id, p)
    for (const r of part) {
      rank += 1
      const cells: (string | number | null)[] = [rank, r.providerName]
      for (const d of dims) {
        const s = r.scores.find((x) => x.dimensionId === d.id)
        cells.push(
          s?.metricX100 === null || s?.metricX100 === undefined ? null : s.metricX100 / 100,
          s?.judgement ?? null,
          s ? s.scoreX100 / 100 : null,
        )
      }
      cells.push(r.totalX100 / 100, t(`evaluation.tier.${r.tier}`), r.appeal ? t(`evaluation.appeal.${r.appeal}`) : '')
      rows.push(cells)
    }
  }
  const columns = [
    { header: t('evaluation.results.rank'), width: 6 },
    { header: t('evaluation.results.provider'), width: 30 },
    ...dims.flatMap((d) => [
      { header: `${d.name} · ${t(METRIC_KEYS[d.metric] as never)}`, width: 16 },
      { header: `${d.name} · ${t('evaluation.results.judgement')}`, width: 12 },
      { header: `${d.name} · ${t('evaluation.results.score')} (${d.weight}%)`, width: 14 },
    ]),
    { header: t('evaluation.results.total'), width: 10 },
    { header: t('evaluation.results.tier'), width: 12 },
    { header: t('evaluation.results.appeal'), width: 12 },
  ]
  const title = `${name} · ${scheme.title}`
  const body = await listWorkbook(
    [
      {
        name: String(scheme.year),
        title,
        columns,
        rows,
        notes: [t('evaluation.results.rule', { preferred: scheme.preferred_min, excluded: scheme.excluded_below })],
      },
    ],
    { creator: name },
  )
  return { body, headers: xlsxHeaders(body, `${scheme.year}-${t('evaluation.xlsx.name')}`, `evaluation-${scheme.year}`) }
}
