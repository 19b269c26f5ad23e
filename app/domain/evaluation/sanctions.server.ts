import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { EvaluationTier, SanctionLevel, SanctionStatus } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { removeFromPool } from '../pool/membership.server.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import type { SanctionInput } from './schema.js'
import { agencyOf } from './schemes.server.js'
import { EVALUATION_LIMITS, nextSanctionLevel } from './scoring.js'
import { isoText as iso } from './iso.js'

/*
 * Sanctions (处理, issue 15 §4): an agency's owners and reviewers (manage:evaluation:own)
 * sanction a verified provider seated in its jurisdiction along the ladder warning (警告)
 * → rectification with a deadline (限期整改) → removal (移出), one step at a time
 * (nextSanctionLevel): removal only once the rectification's deadline has passed
 * without it being lifted. One active sanction per level (a partial unique index: two
 * parallel requests → one wins, the other 409). Removal ends the provider's membership
 * of the agency's 服务商资源池 (removeFromPool, slice P) and, while active, makes its
 * matching tier 不再推荐 (tiers.server.ts). Lifting (解除: rectified, or revoked) keeps the
 * row as history; lifting a removal does not re-admit the provider to the pool (it
 * applies again). Every step is audited; the provider's owners are told of a sanction.
 */

export interface SanctionRow {
  id: number
  providerOrgId: number
  providerName: string
  level: SanctionLevel
  reason: string
  rectifyBy: string | null
  status: SanctionStatus
  poolRemoved: boolean
  createdAt: string
  liftedAt: string | null
  liftReason: string
  /** A rectification whose deadline has passed (due for the recheck: lift or escalate). */
  overdue: boolean
}

async function providerInJurisdiction(db: Kysely<DB>, ref: ReferenceData, agencyOrgId: number, providerOrgId: number) {
  const [agency, provider] = await Promise.all([
    db.selectFrom('organisations').select(['name', 'region_code']).where('id', '=', agencyOrgId).executeTakeFirstOrThrow(),
    db
      .selectFrom('organisations')
      .select(['id', 'name', 'region_code'])
      .where('id', '=', providerOrgId)
      .where('kind', '=', 'provider')
      .where('status', '=', 'verified')
      .executeTakeFirst(),
  ])
  if (!provider || !jurisdictionCodes(ref, agency.region_code).includes(provider.region_code)) {
    throw new AppError('VALIDATION', 'evaluation.v.provider', { fieldErrors: { providerOrgId: 'evaluation.v.provider' } })
  }
  return { agency, provider }
}

export async function imposeSanction(db: Database, actor: Actor, input: SanctionInput, now: Date = new Date()): Promise<number> {
  const ref = await getReferenceData(db)
  const agencyOrgId = agencyOf(actor, ref, true)
  const today = chinaDate(now)
  if (input.level === 'rectification' && (input.rectifyBy ?? '') <= today) {
    throw new AppError('VALIDATION', 'evaluation.v.rectifyBy', { fieldErrors: { rectifyBy: 'evaluation.v.rectifyByFuture' } })
  }
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const { agency, provider } = await providerInJurisdiction(trx, ref, agencyOrgId, input.providerOrgId)
      const active = await trx
        .selectFrom('provider_sanctions')
        .select(['level', 'rectify_by'])
        .where('agency_org_id', '=', agencyOrgId)
        .where('provider_org_id', '=', provider.id)
        .where('status', '=', 'active')
        .execute()
      const next = nextSanctionLevel(
        active.map((s) => ({ level: s.level, rectifyBy: iso(s.rectify_by)?.slice(0, 10) ?? null })),
        today,
      )
      if (next.level !== input.level) {
        const key =
          next.level === null
            ? next.why === 'removed'
              ? 'evaluation.e.alreadyRemoved'
              : 'evaluation.e.rectifying'
            : 'evaluation.e.ladder'
        throw new AppError('CONFLICT', key, {
          // The field's message has no params (the form's message names the next step).
          fieldErrors: { level: key === 'evaluation.e.ladder' ? 'evaluation.e.ladderField' : key },
          // A key, not words: the error reads in its reader's language (localizedParams).
          params: next.level === null ? { next: '' } : { nextKey: `evaluation.level.${next.level}` },
        })
      }
      let poolRemoved = 0
      if (input.level === 'removal') {
        const ended = await removeFromPool(trx, {
          agencyOrgId,
          providerOrgId: provider.id,
          userId: actor.userId,
          reason: input.reason,
        })
        poolRemoved = ended > 0 ? 1 : 0
      }
      const { id } = await trx
        .insertInto('provider_sanctions')
        .values({
          agency_org_id: agencyOrgId,
          provider_org_id: provider.id,
          level: input.level,
          reason: input.reason,
          rectify_by: input.level === 'rectification' ? (input.rectifyBy ?? null) : null,
          pool_removed: poolRemoved as 0 | 1,
          created_by: actor.userId,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await notify(db, trx, afterCommit, {
        kind: 'sanction_imposed',
        orgId: provider.id,
        params: {
          agency: agency.name,
          provider: provider.name,
          // Keys, not words: the notice reads in its reader's language (localizedParams).
          ...(input.level === 'rectification'
            ? { levelKey: 'evaluation.level.rectificationBy', rectifyBy: input.rectifyBy ?? '' }
            : { levelKey: `evaluation.level.${input.level}` }),
          reason: input.reason,
        },
        link: '/provider/evaluation',
      })
      await recordAudit(trx, {
        action: 'sanction.imposed',
        ...auditActor(actor),
        objectType: 'organisation',
        objectId: provider.id,
        regionCode: provider.region_code,
        detail: { sanction: id, level: input.level, rectifyBy: input.rectifyBy ?? '', poolRemoved },
      })
      return id
    })
  } catch (error) {
    if (uniqueViolation(error))
      // A colleague's sanction on the same provider landed first: the ladder has moved on.
      throw new AppError('CONFLICT', 'evaluation.e.sanctionRace', {
        fieldErrors: { level: 'evaluation.e.ladderField' },
      })
    throw error
  }
}

export async function liftSanction(db: Database, actor: Actor, sanctionId: number, liftReason: string): Promise<void> {
  const ref = await getReferenceData(db)
  const agencyOrgId = agencyOf(actor, ref, true)
  await withTransaction(db, async (trx) => {
    const sanction = await trx
      .selectFrom('provider_sanctions')
      .select(['id', 'provider_org_id', 'level', 'status'])
      .where('id', '=', sanctionId)
      .where('agency_org_id', '=', agencyOrgId)
      .executeTakeFirst()
    if (!sanction) throw new AppError('NOT_FOUND', 'evaluation.e.notFound')
    const updated = await trx
      .updateTable('provider_sanctions')
      .set({ status: 'lifted', lifted_by: actor.userId, lifted_at: new Date().toISOString(), lift_reason: liftReason })
      .where('id', '=', sanction.id)
      .where('status', '=', 'active')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'evaluation.e.lifted')
    await recordAudit(trx, {
      action: 'sanction.lifted',
      ...auditActor(actor),
      objectType: 'organisation',
      objectId: sanction.provider_org_id,
      detail: { sanction: sanction.id, level: sanction.level },
    })
  })
}

function toRow(
  r: {
    id: number
    provider_org_id: number
    name: string
    level: SanctionLevel
    reason: string
    rectify_by: unknown
    status: SanctionStatus
    pool_removed: number
    created_at: unknown
    lifted_at: unknown
    lift_reason: string
  },
  today: string,
): SanctionRow {
  const rectifyBy = iso(r.rectify_by)?.slice(0, 10) ?? null
  return {
    id: r.id,
    providerOrgId: r.provider_org_id,
    providerName: r.name,
    level: r.level,
    reason: r.reason,
    rectifyBy,
    status: r.status,
    poolRemoved: Number(r.pool_removed) === 1,
    createdAt: iso(r.created_at) ?? '',
    liftedAt: iso(r.lifted_at),
    liftReason: r.lift_reason,
    overdue: r.status === 'active' && r.level === 'rectification' && rectifyBy !== null && rectifyBy < today,
  }
}

export interface SanctionsPage {
  sanctions: SanctionRow[]
  page: number
  pageCount: number
  total: number
  mayManage: boolean
  /** Verified providers of the jurisdiction to pick from (≤ 500, by name). */
  providers: { id: number; name: string }[]
  /** The provider picked (?provider=) and the level its ladder allows next. */
  chosen: { id: number; name: string; next: SanctionLevel | null; why: 'removed' | 'rectifying' | null } | null
  /** 年度复核: providers whose latest published result of this agency is older than this year (≤ 20). */
  recheck: { providerOrgId: number; providerName: string; year: number; tier: EvaluationTier }[]
  /** Rectifications past their deadline (the recheck of a rectification: lift it or remove). */
  overdue: SanctionRow[]
  /** Qualifications the job found expired, of providers in the jurisdiction (newest first, ≤ 20). */
  expired: { id: number; providerOrgId: number; providerName: string; name: string; validUntil: string }[]
}

export async function getSanctionsPage(
  db: Database,
  actor: Actor,
  query: { page: number; provider: number | null },
  now: Date = new Date(),
): Promise<SanctionsPage> {
  const ref = await getReferenceData(db)
  const agencyOrgId = agencyOf(actor, ref, false)
  const mayManage = can(actor, ref, 'manage:evaluation:own', { orgId: agencyOrgId })
  const today = chinaDate(now)
  const agency = await db
    .selectFrom('organisations')
    .select('region_code')
    .where('id', '=', agencyOrgId)
    .executeTakeFirstOrThrow()
  const codes = jurisdictionCodes(ref, agency.region_code)
  const size = EVALUATION_LIMITS.pageSize
  const count = await db
    .selectFrom('provider_sanctions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_org_id', '=', agencyOrgId)
    .executeTakeFirstOrThrow()
  const total = Number(count.n)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(query.page, pageCount)
  const base = db
    .selectFrom('provider_sanctions as s')
    .innerJoin('organisations as o', 'o.id', 's.provider_org_id')
    .select([
      's.id',
      's.provider_org_id',
      'o.name',
      's.level',
      's.reason',
      's.rectify_by',
      's.status',
      's.pool_removed',
      's.created_at',
      's.lifted_at',
      's.lift_reason',
    ])
    .where('s.agency_org_id', '=', agencyOrgId)
  const [rows, overdue, providers, latest, expired] = await Promise.all([
    base
      .orderBy((eb) => eb.case().when('s.status', '=', 'active').then(0).else(1).end())
      .orderBy('s.id', 'desc')
      .limit(size)
      .offset((current - 1) * size)
      .execute(),
    base
      .where('s.status', '=', 'active')
      .where('s.level', '=', 'rectification')
      .where('s.rectify_by', '<', today)
      .orderBy('s.rectify_by')
      .limit(20)
      .execute(),
    mayManage
      ? db
          .selectFrom('organisations')
          .select(['id', 'name'])
          .where('kind', '=', 'provider')
          .where('status', '=', 'verified')
          .where('region_code', 'in', codes)
          .orderBy('name')
          .limit(500)
          .execute()
      : Promise.resolve([]),
    // The latest published result of this agency per provider, when older than this year.
    db
      .selectFrom('evaluation_results as r')
      .innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
      .innerJoin('organisations as o', 'o.id', 'r.provider_org_id')
      .select(['r.provider_org_id', 'o.name', 's.year', 'r.tier'])
      .where('s.agency_org_id', '=', agencyOrgId)
      .where('s.results_published_at', 'is not', null)
      .where((eb) =>
        eb(
          's.year',
          '=',
          eb
            .selectFrom('evaluation_results as r2')
            .innerJoin('evaluation_schemes as s2', 's2.id', 'r2.scheme_id')
            .select((e2) => e2.fn.max('s2.year').as('y'))
            .whereRef('r2.provider_org_id', '=', 'r.provider_org_id')
            .where('s2.agency_org_id', '=', agencyOrgId)
            .where('s2.results_published_at', 'is not', null),
        ),
      )
      .where('s.year', '<', Number(today.slice(0, 4)))
      .orderBy('s.year')
      .orderBy('r.provider_org_id')
      .limit(20)
      .execute(),
    db
      .selectFrom('qualification_expiry_flags as f')
      .innerJoin('provider_qualifications as q', 'q.id', 'f.qualification_id')
      .innerJoin('organisations as o', 'o.id', 'f.org_id')
      .select(['f.id', 'f.org_id', 'o.name as org_name', 'q.name', 'f.valid_until'])
      .where('o.region_code', 'in', codes)
      .orderBy('f.id', 'desc')
      .limit(20)
      .execute(),
  ])
  let chosen: SanctionsPage['chosen'] = null
  if (query.provider !== null && mayManage) {
    const p = providers.find((x) => x.id === query.provider)
    if (p) {
      const active = await db
        .selectFrom('provider_sanctions')
        .select(['level', 'rectify_by'])
        .where('agency_org_id', '=', agencyOrgId)
        .where('provider_org_id', '=', p.id)
        .where('status', '=', 'active')
        .execute()
      const next = nextSanctionLevel(
        active.map((s) => ({ level: s.level, rectifyBy: iso(s.rectify_by)?.slice(0, 10) ?? null })),
        today,
      )
      chosen = { id: p.id, name: p.name, next: next.level, why: next.level === null ? next.why : null }
    }
  }
  return {
    sanctions: rows.map((r) => toRow(r, today)),
    page: current,
    pageCount,
    total,
    mayManage,
    providers,
    chosen,
    recheck: latest.map((r) => ({ providerOrgId: r.provider_org_id, providerName: r.name, year: r.year, tier: r.tier })),
    overdue: overdue.map((r) => toRow(r, today)),
    expired: expired.map((e) => ({
      id: e.id,
      providerOrgId: e.org_id,
      providerName: e.org_name,
      name: e.name,
      validUntil: iso(e.valid_until)?.slice(0, 10) ?? '',
    })),
  }
}

/** The active and past sanctions of one provider (any agency), newest first (≤ 50). */
export async function sanctionsOf(db: Kysely<DB>, providerOrgId: number, now: Date = new Date()) {
  const today = chinaDate(now)
  const rows = await db
    .selectFrom('provider_sanctions as s')
    .innerJoin('organisations as o', 'o.id', 's.agency_org_id')
    .select([
      's.id',
      's.provider_org_id',
      'o.name',
      's.level',
      's.reason',
      's.rectify_by',
      's.status',
      's.pool_removed',
      's.created_at',
      's.lifted_at',
      's.lift_reason',
    ])
    .where('s.provider_org_id', '=', providerOrgId)
    .orderBy('s.id', 'desc')
    .limit(50)
    .execute()
  // providerName here is the agency's name (who imposed it).
  return rows.map((r) => toRow(r, today))
}
