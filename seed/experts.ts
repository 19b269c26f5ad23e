/**
 * The demo's expert (issue 15, 方案评选): a person with an account (no organisation of
 * their own) in the 扬州市工信局's 专家库, so a visitor can try /expert once the agency
 * appoints them to an event. Written after the demo accounts (it needs the demo agency's
 * organisation), deterministic, skipped when the phone is taken or the agency is missing.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import type { DemoAccount } from './accounts.js'

export const DEMO_EXPERT = '13900000031'
export const DEMO_EXPERT_ROLE = '评审专家（扬州市工信局专家库）'
const DEMO_EXPERT_AGENCY = '13900000021'

const EXPERT = {
  name: '王建平',
  title: '正高级工程师',
  employer: '扬州大学机械工程学院',
  fields: '智能制造、工业互联网、数字化车间',
}

/** The 扬州 agency the demo agency account owns, with that owner: null without demo accounts. */
async function demoAgency(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId', 'o.name as orgName'])
    .where('u.phone', '=', DEMO_EXPERT_AGENCY)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', 'agency')
    .executeTakeFirst()
}

export async function writeExpertData(db: Kysely<DB>, passwordHash: string, now: string): Promise<DemoAccount[]> {
  const agency = await demoAgency(db)
  if (!agency) return []
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('phone', '=', DEMO_EXPERT).executeTakeFirst()
    if (taken) return []
    const user = await trx
      .insertInto('users')
      .values({
        name: EXPERT.name,
        phone: DEMO_EXPERT,
        password_hash: passwordHash,
        created_at: now,
        is_demo: 1,
        phone_verified_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('experts')
      .values({
        agency_org_id: agency.orgId,
        user_id: user.id,
        name: EXPERT.name,
        title: EXPERT.title,
        employer: EXPERT.employer,
        fields: EXPERT.fields,
        active: 1,
        created_by: agency.userId,
        created_at: now,
      })
      .execute()
    return [{ role: DEMO_EXPERT_ROLE, name: EXPERT.name, phone: DEMO_EXPERT, orgName: `${agency.orgName} 专家库` }]
  })
}

/** The demo expert as a demo account (for listDemoAccounts after a restart), when present. */
export async function listDemoExpert(db: Kysely<DB>): Promise<DemoAccount[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('experts as e', 'e.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'e.agency_org_id')
    .select(['u.name', 'o.name as orgName'])
    .where('u.phone', '=', DEMO_EXPERT)
    .where('u.is_demo', '=', 1)
    .orderBy('e.id')
    .limit(1)
    .execute()
  return rows.map((r) => ({ role: DEMO_EXPERT_ROLE, name: r.name, phone: DEMO_EXPERT, orgName: `${r.orgName} 专家库` }))
}
