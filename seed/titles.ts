/**
 * The demo's titles for the agencies' 称号管理 (issue 16 §7): in the jurisdictions of the
 * 扬州 agency (13900000021) and the 甘肃 agency (13900000022), a few enterprises without a
 * demo account get 智能工厂梯度 titles dated from the demo's day: two due for review within
 * 3 months, one held and valid, one past its expiry, and one 先进级 downgraded to 基础级 a
 * month ago with its review (复核) recorded by the agency's demo account (and the 基础级
 * the enterprise then holds). Deterministic; skipped for an agency that is missing, has no
 * enterprise, or already recorded a review. The demo reset deletes titles and reviews.
 */
import type { Kysely } from 'kysely'
import type { GradientTitle, TitleStatus } from '../db/enums.js'
import type { DB } from '../db/types.js'
import { addMonths } from '../app/domain/policy/gradient.js'

const DEMO_AGENCIES = ['13900000021', '13900000022'] as const

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Awarded so that the title expires `daysLeft` days from today (3-year validity). */
function awardedFor(today: string, daysLeft: number): string {
  return addMonths(addDays(today, daysLeft), -36)
}

interface Planned {
  slot: number
  title: GradientTitle
  scene: string
  awardedOn: string
  status: TitleStatus
}

/** `today`: the demo's China date (YYYY-MM-DD). */
export async function writeTitleData(db: Kysely<DB>, now: string, today: string): Promise<void> {
  for (const phone of DEMO_AGENCIES) {
    const agency = await db
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['u.id as userId', 'o.id as orgId', 'o.region_code'])
      .where('u.phone', '=', phone)
      .where('u.is_demo', '=', 1)
      .where('o.kind', '=', 'agency')
      .executeTakeFirst()
    if (!agency) continue
    const done = await db.selectFrom('title_reviews').select('id').where('agency_org_id', '=', agency.orgId).executeTakeFirst()
    if (done) continue
    const prefix = agency.region_code.endsWith('0000') ? agency.region_code.slice(0, 2) : agency.region_code.slice(0, 4)
    // Enterprises of the jurisdiction without a demo account (their pages stay as other journeys expect).
    // Above-scale enterprises with an archive (as the generator's own titles are).
    const enterprises = await db
      .selectFrom('organisations as o')
      .innerJoin('enterprise_profiles as p', 'p.org_id', 'o.id')
      .select(['o.id'])
      .where('o.kind', '=', 'enterprise')
      .where('p.above_scale', '=', 1)
      .where('o.region_code', 'like', `${prefix}%`)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('memberships as m')
              .innerJoin('users as u', 'u.id', 'm.user_id')
              .select('m.user_id')
              .whereRef('m.org_id', '=', 'o.id')
              .where('u.is_demo', '=', 1),
          ),
        ),
      )
      .orderBy('o.status', 'desc')
      .orderBy('o.id')
      .limit(4)
      .execute()
    if (enterprises.length === 0) continue
    const issuer = prefix === '62' ? '甘肃省工业和信息化厅' : '江苏省工业和信息化厅'
    const plan: Planned[] = [
      { slot: 0, title: 'basic', scene: '', awardedOn: awardedFor(today, 25), status: 'held' },
      { slot: 1, title: 'advanced', scene: '', awardedOn: awardedFor(today, 70), status: 'held' },
      { slot: 2, title: 'excellent_scenario', scene: '智能仓储', awardedOn: addMonths(today, -14), status: 'held' },
      { slot: 0, title: 'excellent_scenario', scene: '质量精准追溯', awardedOn: awardedFor(today, -12), status: 'held' },
      { slot: 3, title: 'advanced', scene: '', awardedOn: awardedFor(today, 20), status: 'downgraded' },
    ]
    const decidedOn = addDays(today, -30)
    await db.transaction().execute(async (trx) => {
      for (const p of plan) {
        const org = enterprises[p.slot % enterprises.length]!.id
        const row = await trx
          .insertInto('enterprise_titles')
          .values({
            org_id: org,
            title: p.title,
            scene: p.scene,
            issuer,
            awarded_on: p.awardedOn,
            expires_on: addMonths(p.awardedOn, 36),
            status: p.status,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        if (p.status !== 'downgraded') continue
        const lower = await trx
          .insertInto('enterprise_titles')
          .values({
            org_id: org,
            title: 'basic',
            scene: '',
            issuer,
            awarded_on: decidedOn,
            expires_on: addMonths(decidedOn, 36),
            status: 'held',
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('title_reviews')
          .values({
            title_id: row.id,
            agency_org_id: agency.orgId,
            outcome: 'downgraded',
            downgraded_to: 'basic',
            new_title_id: lower.id,
            reason: '演示数据：复核时关键工序数控化率未达到先进级要求，降为基础级',
            decided_on: decidedOn,
            decided_by: agency.userId,
            created_at: now,
          })
          .execute()
      }
    })
  }
}
