/**
 * The demo's district targets (issue 15 §5, seed 001): the 扬州市工信局's 2022 targets for its
 * 8 评分对象 exactly as the seed's table has them, with actuals entered with evidence (the
 * platform holds no 2022 records), 五个一 and a few bonus and deduction items — including one
 * the 评分细则 excludes (星级上云 as a provincial item) — so /agency/targets/2022 shows a full
 * ranking; and the same targets for the demo's own year, counted from the demo's records.
 * Deterministic; written after the demo accounts (it needs the demo agency), skipped when the
 * agency is missing or already has the plans.
 */
import type { Kysely } from 'kysely'
import type { TargetAdjustmentKind, TargetAdjustmentSubject, TargetWorkItem } from '../db/enums.js'
import type { DB } from '../db/types.js'
import { YANGZHOU_2022 } from '../app/domain/targets/yangzhou-2022.js'

const DEMO_AGENCY_PHONE = '13900000021'

/** 2022 actuals per district: 智能化改造, 上云用数, 数字画像, 数字标杆 (entered with evidence). */
const ACTUALS_2022: Record<string, readonly [number, number, number, number]> = {
  '321023': [33, 72, 58, 20],
  '321084': [40, 66, 85, 25],
  '321081': [36, 70, 45, 18],
  '321012': [44, 90, 80, 30],
  '321003': [20, 75, 62, 25],
  '321002': [9, 15, 33, 12],
  '321071': [4, 16, 9, 26],
  '3210Z1': [6, 5, 10, 5],
}

const EVIDENCE = {
  smart_retrofit: '演示数据：2022 年度县级以上智能化改造奖补资金拨付凭证汇总表',
  cloud: '演示数据：2022 年度星级上云企业认定文件',
  diagnosis: '演示数据：2022 年度“数字画像”诊断合作协议、采购合同及诊断报告',
  benchmark: '演示数据：2022 年度智能车间、智能工厂等认定文件',
} as const

/** 五个一 done per district (the rest not done). */
const WORK_2022: Record<string, readonly TargetWorkItem[]> = {
  '321023': ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'],
  '321084': ['task_force', 'action_plan', 'subsidy_policy', 'activities'],
  '321081': ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'],
  '321012': ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'],
  '321003': ['task_force', 'action_plan', 'subsidy_policy', 'industry_chain'],
  '321002': ['task_force', 'action_plan', 'activities'],
  '321071': ['task_force', 'subsidy_policy'],
  '3210Z1': ['task_force', 'action_plan'],
}

const ADJUSTMENTS_2022: readonly [string, TargetAdjustmentKind, TargetAdjustmentSubject, string, string][] = [
  ['321012', 'national_funded', 'other', '国家级工业互联网试点示范项目（资金类）', '2022-09-15'],
  ['321012', 'provincial_recognised', 'other', '省级智能制造示范工厂', '2022-11-20'],
  ['321023', 'provincial_funded', 'other', '省级工业互联网标杆工厂专项资金', '2022-08-10'],
  ['321023', 'provincial_recognised', 'star_cloud', '省五星级上云企业（不算作省级项目加分项）', '2022-10-12'],
  ['321081', 'national_recognised', 'integration_standard', '两化融合管理体系贯标 3A 级（不算作国家级项目加分项）', '2022-07-01'],
  ['321081', 'commendation', 'other', '“智改数转”工作获省工信厅通报表扬', '2022-12-20'],
  ['321003', 'late_task', 'other', '未按时报送第三季度“智改数转”项目调度表', '2022-10-10'],
  ['321002', 'late_task', 'other', '未按时完成省级诊断服务核查材料', '2022-11-05'],
]

export async function writeTargetsData(db: Kysely<DB>, now: string, demoYear: number): Promise<void> {
  const agency = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId', 'o.region_code'])
    .where('u.phone', '=', DEMO_AGENCY_PHONE)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', 'agency')
    .executeTakeFirst()
  if (!agency || agency.region_code !== '321000') return
  const years = [...new Set([2022, demoYear])]
  await db.transaction().execute(async (trx) => {
    for (const year of years) {
      const exists = await trx
        .selectFrom('target_plans')
        .select('id')
        .where('agency_org_id', '=', agency.orgId)
        .where('year', '=', year)
        .executeTakeFirst()
      if (exists) continue
      const plan = await trx
        .insertInto('target_plans')
        .values({
          agency_org_id: agency.orgId,
          region_code: '321000',
          year,
          note:
            year === 2022 ? '扬府发〔2022〕20号 附件2：2022年扬州市“智改数转”目标' : '演示：沿用 2022 年的目标，实际数由平台统计',
          created_by: agency.userId,
          created_at: now,
          updated_by: agency.userId,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('district_targets')
        .values(
          YANGZHOU_2022.flatMap((d) =>
            Object.entries(d.targets).map(([metric, target]) => ({
              plan_id: plan.id,
              region_code: d.regionCode,
              metric: metric as keyof typeof d.targets,
              target,
            })),
          ),
        )
        .execute()
      if (year !== 2022) continue
      const who = { entered_by: agency.userId, entered_org_id: agency.orgId, created_at: now }
      await trx
        .insertInto('target_actual_entries')
        .values(
          Object.entries(ACTUALS_2022).flatMap(([region_code, values]) =>
            (['smart_retrofit', 'cloud', 'diagnosis', 'benchmark'] as const)
              .map((metric, i) => ({ metric, quantity: values[i]! }))
              .filter((e) => e.quantity > 0)
              .map((e) => ({ plan_id: plan.id, region_code, ...e, evidence: EVIDENCE[e.metric], ...who })),
          ),
        )
        .execute()
      await trx
        .insertInto('target_work_items')
        .values(
          Object.entries(WORK_2022).flatMap(([region_code, items]) =>
            items.map((item) => ({
              plan_id: plan.id,
              region_code,
              item,
              done: 1 as const,
              evidence: '演示数据：相关文件、新闻报道及活动照片',
              updated_by: agency.userId,
              updated_org_id: agency.orgId,
              updated_at: now,
            })),
          ),
        )
        .execute()
      await trx
        .insertInto('target_adjustments')
        .values(
          ADJUSTMENTS_2022.map(([region_code, kind, subject, title, occurred_on]) => ({
            plan_id: plan.id,
            region_code,
            kind,
            subject,
            title,
            evidence: '演示数据：认定或通报文件',
            occurred_on,
            ...who,
          })),
        )
        .execute()
    }
  })
}

/** The demo reset: the district targets name organisations and users. */
export async function deleteTargetsData(db: Kysely<DB>): Promise<void> {
  for (const table of [
    'target_adjustments',
    'target_work_items',
    'target_actual_entries',
    'district_targets',
    'target_plans',
  ] as const)
    await db.deleteFrom(table).execute()
}
