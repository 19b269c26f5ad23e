/**
 * The demo's provider pool (issue 15 §4, 服务商资源池): the 扬州市工信局 (agency account
 * 13900000021) runs an open admission round for the category of 服务商 B (13900000012)
 * with a quota for its sub-industry; 服务商 B's application is under expert review by the
 * demo expert (13900000031), who finds it at /expert/pool. Deterministic; skipped when an
 * account is missing or the agency already has a round. The demo reset deletes it.
 */
import type { Kysely, Transaction } from 'kysely'
import type { PoolCategory } from '../db/enums.js'
import type { DB } from '../db/types.js'

const DEMO_AGENCY = '13900000021'
const DEMO_PROVIDER_B = '13900000012'
const DEMO_EXPERT = '13900000031'

async function orgOf(db: Kysely<DB>, phone: string, kind: 'agency' | 'provider') {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId', 'o.provider_kinds'])
    .where('u.phone', '=', phone)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', kind)
    .executeTakeFirst()
}

function firstKind(value: unknown): PoolCategory {
  try {
    const kinds: unknown = typeof value === 'string' ? JSON.parse(value) : value
    if (Array.isArray(kinds) && typeof kinds[0] === 'string') return kinds[0] as PoolCategory
  } catch {
    // fall through
  }
  return 'integrator'
}

/** `today`: the demo's China date (YYYY-MM-DD). */
export async function writePoolData(db: Kysely<DB>, now: string, today: string): Promise<void> {
  const agency = await orgOf(db, DEMO_AGENCY, 'agency')
  const provider = await orgOf(db, DEMO_PROVIDER_B, 'provider')
  if (!agency || !provider) return
  const existing = await db.selectFrom('pool_rounds').select('id').where('agency_org_id', '=', agency.orgId).executeTakeFirst()
  if (existing) return
  const category = firstKind(provider.provider_kinds)
  const industry =
    (
      await db
        .selectFrom('provider_industries')
        .select('industry_code')
        .where('org_id', '=', provider.orgId)
        .orderBy('industry_code')
        .executeTakeFirst()
    )?.industry_code ?? 'C34'
  const applyUntil = new Date(Date.parse(`${today}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10)
  const year = today.slice(0, 4)
  await db.transaction().execute(async (trx) => {
    const round = await trx
      .insertInto('pool_rounds')
      .values({
        agency_org_id: agency.orgId,
        category,
        title: `${year} 年扬州市智能制造服务商资源池（第一批）`,
        description: '面向在扬开展智能化改造、数字化转型服务的服务商，经专家评审、公示无异议后入库，有效期一年。',
        apply_until: applyUntil,
        created_by: agency.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('pool_quotas').values({ round_id: round.id, industry_code: industry, quota: 3 }).execute()
    const application = await trx
      .insertInto('pool_applications')
      .values({
        round_id: round.id,
        provider_org_id: provider.orgId,
        industry_code: industry,
        statement: '近三年完成同行业智能化改造项目 6 个，具备设备联网、MES 实施和数据治理能力，团队 40 人，其中高级工程师 8 人。',
        status: 'reviewing',
        created_by: provider.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await assignDemoExpert(trx, agency.orgId, agency.userId, application.id, now)
  })
}

async function assignDemoExpert(
  trx: Transaction<DB>,
  agencyOrgId: number,
  agencyUserId: number,
  applicationId: number,
  now: string,
) {
  const expert = await trx
    .selectFrom('experts as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select('e.id')
    .where('u.phone', '=', DEMO_EXPERT)
    .where('e.agency_org_id', '=', agencyOrgId)
    .executeTakeFirst()
  if (!expert) return
  await trx
    .insertInto('pool_reviews')
    .values({ application_id: applicationId, expert_id: expert.id, assigned_by: agencyUserId, assigned_at: now })
    .execute()
}

/** The demo reset: every pool row (they name organisations, users and experts). */
export async function deletePoolData(trx: Transaction<DB>): Promise<void> {
  for (const table of [
    'pool_memberships',
    'pool_objections',
    'pool_reviews',
    'pool_applications',
    'pool_quotas',
    'pool_rounds',
  ] as const) {
    await trx.deleteFrom(table).execute()
  }
}
