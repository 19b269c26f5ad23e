import type { Database } from '../../../db/connection.js'
import type { AppealStatus, EvaluationTier } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { AppealDecision } from './schema.js'
import { notFound, schemeFor } from './schemes.server.js'
import { EVALUATION_LIMITS } from './scoring.js'
import { isoText as iso } from './iso.js'

/*
 * Appeals (申诉, issue 15 §4). The provider's owners ('appeal:evaluation:own') appeal a
 * published result of theirs ONCE (evaluation_appeals_uq on the result), with a reason,
 * until the scheme's appeal_until (a China date). A pending appeal changes nothing: the
 * result and its tier stay in force — matching reads them — until the agency decides.
 * The agency (manage:evaluation:own of the scheme's agency) decides: upheld sets the
 * tier it names (the computed one stays on record); dismissed changes nothing. Both are
 * audited and the provider's owners told.
 */

export async function fileAppeal(
  db: Database,
  actor: Actor,
  resultId: number,
  reason: string,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  try {
    await withTransaction(db, async (trx) => {
      const result = await trx
        .selectFrom('evaluation_results as r')
        .innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
        .select(['r.id', 'r.scheme_id', 'r.provider_org_id', 's.results_published_at', 's.appeal_until', 's.agency_org_id'])
        .where('r.id', '=', resultId)
        .executeTakeFirst()
      // Someone else's result, or one not yet published, is not there for this reader.
      if (!result || result.results_published_at === null || result.provider_org_id !== actor.org?.orgId) throw notFound()
      authorize(actor, ref, 'appeal:evaluation:own', { orgId: result.provider_org_id })
      const until = iso(result.appeal_until)?.slice(0, 10) ?? null
      if (until === null || chinaDate(now) > until) throw new AppError('CONFLICT', 'evaluation.e.appealClosed')
      await trx
        .insertInto('evaluation_appeals')
        .values({
          result_id: result.id,
          scheme_id: result.scheme_id,
          provider_org_id: result.provider_org_id,
          reason,
          created_by: actor.userId,
          created_at: now.toISOString(),
        })
        .execute()
      await recordAudit(trx, {
        action: 'evaluation.appealed',
        ...auditActor(actor),
        objectType: 'evaluation_result',
        objectId: result.id,
        detail: { scheme: result.scheme_id },
      })
    })
  } catch (error) {
    if (uniqueViolation(error))
      throw new AppError('CONFLICT', 'evaluation.e.appealedOnce', { fieldErrors: { reason: 'evaluation.e.appealedOnce' } })
    throw error
  }
}

export interface AppealRow {
  id: number
  resultId: number
  providerOrgId: number
  providerName: string
  reason: string
  status: AppealStatus
  decision: string
  tier: EvaluationTier
  computedTier: EvaluationTier
  newTier: EvaluationTier | null
  totalX100: number
  createdAt: string
  decidedAt: string | null
}

export async function listAppeals(
  db: Database,
  actor: Actor,
  schemeId: number,
  page: number,
): Promise<{
  scheme: { id: number; year: number; title: string }
  appeals: AppealRow[]
  mayDecide: boolean
  page: number
  pageCount: number
  total: number
}> {
  const { scheme, agencyOrgId, ref } = await schemeFor(db, actor, schemeId, false)
  const size = EVALUATION_LIMITS.pageSize
  const count = await db
    .selectFrom('evaluation_appeals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scheme_id', '=', schemeId)
    .executeTakeFirstOrThrow()
  const total = Number(count.n)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('evaluation_appeals as a')
    .innerJoin('evaluation_results as r', 'r.id', 'a.result_id')
    .innerJoin('organisations as o', 'o.id', 'a.provider_org_id')
    .select([
      'a.id',
      'a.result_id',
      'a.provider_org_id',
      'o.name',
      'a.reason',
      'a.status',
      'a.decision',
      'a.new_tier',
      'a.created_at',
      'a.decided_at',
      'r.tier',
      'r.computed_tier',
      'r.total_x100',
    ])
    .where('a.scheme_id', '=', schemeId)
    // Pending first, then the newest.
    .orderBy((eb) => eb.case().when('a.status', '=', 'pending').then(0).else(1).end())
    .orderBy('a.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  return {
    scheme: { id: scheme.id, year: scheme.year, title: scheme.title },
    appeals: rows.map((r) => ({
      id: r.id,
      resultId: r.result_id,
      providerOrgId: r.provider_org_id,
      providerName: r.name,
      reason: r.reason,
      status: r.status,
      decision: r.decision,
      tier: r.tier,
      computedTier: r.computed_tier,
      newTier: r.new_tier,
      totalX100: r.total_x100,
      createdAt: iso(r.created_at) ?? '',
      decidedAt: iso(r.decided_at),
    })),
    mayDecide: can(actor, ref, 'manage:evaluation:own', { orgId: agencyOrgId }),
    page: current,
    pageCount,
    total,
  }
}

export async function decideAppeal(db: Database, actor: Actor, schemeId: number, input: AppealDecision): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const { scheme, agencyOrgId } = await schemeFor(trx, actor, schemeId, true)
    const appeal = await trx
      .selectFrom('evaluation_appeals')
      .select(['id', 'result_id', 'provider_org_id', 'status'])
      .where('id', '=', input.appealId)
      .where('scheme_id', '=', schemeId)
      .executeTakeFirst()
    if (!appeal) throw notFound()
    if (appeal.status !== 'pending') throw new AppError('CONFLICT', 'evaluation.e.appealDecided')
    const now = new Date().toISOString()
    const newTier = input.decision === 'upheld' ? (input.newTier ?? null) : null
    const updated = await trx
      .updateTable('evaluation_appeals')
      .set({ status: input.decision, decision: input.note, new_tier: newTier, decided_by: actor.userId, decided_at: now })
      .where('id', '=', appeal.id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'evaluation.e.appealDecided')
    if (newTier !== null) {
      await trx.updateTable('evaluation_results').set({ tier: newTier }).where('id', '=', appeal.result_id).execute()
    }
    const agency = await trx.selectFrom('organisations').select('name').where('id', '=', agencyOrgId).executeTakeFirstOrThrow()
    await notify(db, trx, afterCommit, {
      kind: 'evaluation_appeal_decided',
      orgId: appeal.provider_org_id,
      params: {
        agency: agency.name,
        scheme: scheme.title,
        // Keys, not words: the notice reads in its reader's language (localizedParams).
        ...(newTier !== null
          ? { decisionKey: 'evaluation.appeal.upheldTier', tierKey: `evaluation.tier.${newTier}` }
          : { decisionKey: 'evaluation.appeal.dismissed' }),
      },
      link: '/provider/evaluation',
    })
    await recordAudit(trx, {
      action: 'evaluation.appeal_decided',
      ...auditActor(actor),
      objectType: 'evaluation_appeal',
      objectId: appeal.id,
      detail: { decision: input.decision, tier: newTier ?? '' },
    })
  })
}
