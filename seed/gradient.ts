/**
 * The demo's 梯度自评 (issue 16 §3–§4): 企业 C (13900000004, a verified enterprise in 甘肃,
 * whose 2025 gradient rules the platform holds) has archive indicators and 梯度自评 answers
 * under which 基础级 is met and 先进级 is missed (研发设计工具 75 % of 80 %, MES 40 % of 60 %,
 * two links missing), and holds an 优秀场景 awarded a year ago with 30 万元 received — so
 * /enterprise/gradient shows the deduction of 第十九条 (基础级 at most 70, 先进级 270).
 * Skipped when the account is missing, has no archive, is not above scale, or already has answers. Deterministic
 * (`now` is the demo's clock).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import { addMonths } from '../app/domain/policy/gradient.js'

export const DEMO_ENTERPRISE_C = '13900000004'

/** `today`: the demo's China date (YYYY-MM-DD). */
export async function writeGradientData(db: Kysely<DB>, now: string, today: string): Promise<void> {
  const owner = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId'])
    .where('u.phone', '=', DEMO_ENTERPRISE_C)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', 'enterprise')
    .executeTakeFirst()
  if (!owner) return
  const done = await db.selectFrom('gradient_answers').select('org_id').where('org_id', '=', owner.orgId).executeTakeFirst()
  if (done) return
  // The archive the demo generator wrote for it (bands, 规上) keeps its shape; only the indicators are set.
  // Without one (a generator plan that gave this enterprise none) the step is skipped.
  const profile = await db
    .selectFrom('enterprise_profiles')
    .select('above_scale')
    .where('org_id', '=', owner.orgId)
    .executeTakeFirst()
  // Titles go to above-scale enterprises only (as the generator's own).
  if (!profile || Number(profile.above_scale) !== 1) return
  await db
    .updateTable('enterprise_profiles')
    .set({
      rd_tools_pct: 75,
      equipment_nc_pct: 72,
      key_process_nc_pct: 65,
      mgmt_digital_pct: 70,
      mes_coverage_pct: 40,
      maturity_level: 2,
      indicators_year: Number(today.slice(0, 4)),
      updated_at: now,
    })
    .where('org_id', '=', owner.orgId)
    .execute()
  await db
    .insertInto('gradient_answers')
    .values({
      org_id: owner.orgId,
      answers: JSON.stringify({
        pdm_in_use: true,
        erp_in_use: true,
        line_investment_wan: 1200,
        safety_record_clean: true,
        links_covered: ['production_ops'],
        quality_traceability: false,
        scenario_in_guide: true,
        scenario_months_running: 14,
        scenario_effect_measured: true,
        scenario_applications_this_year: 0,
      }),
      updated_by: owner.userId,
      updated_at: now,
    })
    .execute()
  const awardedOn = addMonths(today, -12)
  await db
    .insertInto('enterprise_titles')
    .values({
      org_id: owner.orgId,
      title: 'excellent_scenario',
      scene: '智能在线检测',
      issuer: '甘肃省工业和信息化厅',
      awarded_on: awardedOn,
      expires_on: addMonths(awardedOn, 36),
      status: 'held',
      reward_wan_x100: 3000,
      created_at: now,
    })
    .execute()
}
