import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { XLSX_MIME } from '../../app/domain/spreadsheets/workbook.server.js'
import { districtCompletion } from '../../app/domain/targets/actuals.server.js'
import { metricRecords } from '../../app/domain/targets/records.server.js'
import { ZAdjustmentInput, ZEntryInput, ZPlanForm, ZWorkInput } from '../../app/domain/targets/schema.js'
import {
  addActualEntry,
  addAdjustment,
  exportTargetsYear,
  saveTargetPlan,
  setWorkItem,
  targetsIndex,
  targetsYearPage,
  withdrawActualEntry,
} from '../../app/domain/targets/targets.server.js'
import { YANGZHOU_2022 } from '../../app/domain/targets/yangzhou-2022.js'
import { deleteTargetsData, writeTargetsData } from '../../seed/targets.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { contractWorld } from './contract-world.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * District targets (issue 15 §5): a city agency's plan for the 8 districts of 扬州, counts that
 * link to their records, evidence entry, and jurisdiction — a district agency sees and reports
 * only its own district. Each test uses its own year (the plans of one database accumulate).
 */

const YEAR_NOW = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()))

function planForm(year: number, extra: Record<string, string> = {}, revision?: number) {
  const raw: Record<string, string> = { year: String(year), note: '测试目标' }
  if (revision !== undefined) raw.revision = String(revision)
  for (const d of YANGZHOU_2022) {
    for (const [metric, target] of Object.entries(d.targets)) raw[`t_${d.regionCode}_${metric}`] = String(target)
  }
  return ZPlanForm.parse({ ...raw, ...extra })
}

async function cityPlan(year: number): Promise<Person> {
  const city = await agency('321000')
  await saveTargetPlan(db(), city.actor, planForm(year))
  return city
}

describe('district targets', () => {
  it('saves a city agency’s plan for its 8 districts, whitelisted, with an optimistic revision', async () => {
    const city = await agency('321000')
    const index = await targetsIndex(db(), city.actor, 2022, 'zh-CN')
    expect(index.mayManage).toBe(true)
    expect(index.form!.districts.map((d) => d.code)).toEqual([
      '321002',
      '321003',
      '321012',
      '321023',
      '321071',
      '321081',
      '321084',
      '3210Z1',
    ])
    // Extra fields (another region, the agency, a revision of a plan that does not exist yet) are not read.
    await saveTargetPlan(db(), city.actor, planForm(2022, { t_620100_cloud: '9', agency_org_id: '1', created_by: '1' }))
    const plan = await db()
      .selectFrom('target_plans')
      .selectAll()
      .where('agency_org_id', '=', city.orgId)
      .where('year', '=', 2022)
      .executeTakeFirstOrThrow()
    expect([plan.region_code, plan.created_by, plan.revision]).toEqual(['321000', city.userId, 1])
    const rows = await db().selectFrom('district_targets').selectAll().where('plan_id', '=', plan.id).execute()
    expect(rows).toHaveLength(40)
    expect(rows.find((r) => r.region_code === '3210Z1' && r.metric === 'diagnosis')!.target).toBe(10)

    // A second save without the revision it read, or with a stale one: CONFLICT.
    await expect(saveTargetPlan(db(), city.actor, planForm(2022))).rejects.toMatchObject({ code: 'CONFLICT' })
    await saveTargetPlan(db(), city.actor, planForm(2022, {}, 1))
    await expect(saveTargetPlan(db(), city.actor, planForm(2022, {}, 1))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'targets.e.stale',
    })
    // A bad target names its field.
    await expect(saveTargetPlan(db(), city.actor, planForm(2022, { t_321003_coverage: '120' }, 2))).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { t_321003_coverage: 'targets.v.coverage' },
    })

    const viewer = await personOf(city.orgId, 'viewer')
    await expect(saveTargetPlan(db(), viewer.actor, planForm(2023))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const enterprise = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321003' }))
    await expect(targetsIndex(db(), enterprise.actor, null, 'zh-CN')).rejects.toMatchObject({ code: 'FORBIDDEN' })

    // The ranked page: all 8 districts, nothing done → every banded metric 0, rate-ranked ones tied 1st.
    const page = await targetsYearPage(db(), viewer.actor, 2022, null, 'zh-CN')
    expect(page.rows).toHaveLength(8)
    expect(page.hidden).toBe(0)
    expect(page.reportDistricts).toEqual([])
    expect(page.rows.every((r) => r.metrics.cloud.points === 0 && r.metrics.benchmark.points === 15)).toBe(true)
  })

  it('counts contracts, diagnoses, titles and coverage from platform records, each linking to them', async () => {
    const year = YEAR_NOW
    const city = await cityPlan(year)
    const world = await contractWorld({ status: 'active' }) // in 321023 宝应, in force now
    await db()
      .updateTable('contracts')
      .set({ activated_at: new Date().toISOString() })
      .where('id', '=', world.contractId)
      .execute()
    const enterpriseOrg = world.enterprise.orgId
    const now = new Date().toISOString()
    await db().insertInto('enterprise_profiles').values({ org_id: enterpriseOrg, above_scale: 1, updated_at: now }).execute()
    const otherAboveScale = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
    await db().insertInto('enterprise_profiles').values({ org_id: otherAboveScale, above_scale: 1, updated_at: now }).execute()
    const diagnosis = await db()
      .insertInto('diagnoses')
      .values({
        enterprise_org_id: enterpriseOrg,
        provider_org_id: world.provider.orgId,
        kind: 'workshop',
        status: 'completed',
        origin: 'enterprise',
        completed_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('enterprise_titles')
      .values({ org_id: enterpriseOrg, title: 'basic', awarded_on: `${year}-03-01`, status: 'held', created_at: now })
      .execute()
    // A revoked title and a title of another year do not count.
    await db()
      .insertInto('enterprise_titles')
      .values([
        { org_id: enterpriseOrg, title: 'advanced', awarded_on: `${year}-05-01`, status: 'revoked', created_at: now },
        { org_id: enterpriseOrg, title: 'excellent_scenario', awarded_on: `${year - 1}-05-01`, status: 'held', created_at: now },
      ])
      .execute()

    const page = await targetsYearPage(db(), city.actor, year, null, 'zh-CN')
    const baoying = page.rows.find((r) => r.regionCode === '321023')!
    expect(baoying.counted.smart_retrofit).toBeGreaterThanOrEqual(1)
    expect(baoying.counted.diagnosis).toBeGreaterThanOrEqual(1)
    expect(baoying.counted.benchmark).toBeGreaterThanOrEqual(1)
    expect(baoying.aboveScale).toBeGreaterThanOrEqual(2)
    expect(baoying.counted.coverage).toBeGreaterThanOrEqual(1)

    const params = (metric: 'smart_retrofit' | 'diagnosis' | 'benchmark' | 'coverage') => ({
      year,
      region: '321023',
      metric,
    })
    const q = { plan: null, page: 1 }
    const contracts = await metricRecords(db(), city.actor, params('smart_retrofit'), q, 'zh-CN')
    expect(contracts.total).toBe(baoying.counted.smart_retrofit)
    expect(contracts.records.map((r) => r.href)).toContain(`/contracts/${world.contractId}`)
    const diagnoses = await metricRecords(db(), city.actor, params('diagnosis'), q, 'zh-CN')
    expect(diagnoses.records.map((r) => r.href)).toContain(`/diagnoses/${diagnosis.id}`)
    const titles = await metricRecords(db(), city.actor, params('benchmark'), q, 'zh-CN')
    expect(titles.total).toBe(baoying.counted.benchmark)
    expect(titles.records.filter((r) => r.href === `/enterprises/${enterpriseOrg}`)).toHaveLength(1)
    const coverage = await metricRecords(db(), city.actor, params('coverage'), q, 'zh-CN')
    expect(coverage.total).toBe(baoying.aboveScale)
    expect(coverage.records.find((r) => r.id === enterpriseOrg)!.extra).toBe('yes')
    expect(coverage.records.find((r) => r.id === otherAboveScale)!.extra).toBe('no')

    // The dashboard's view of the same plan.
    const completion = await districtCompletion(db(), city.orgId, year)
    expect(completion).toHaveLength(8)
    const row = completion.find((c) => c.regionCode === '321023')!
    expect(row.metrics.find((m) => m.metric === 'smart_retrofit')).toMatchObject({
      target: 30,
      actual: baoying.counted.smart_retrofit,
    })
    expect(await districtCompletion(db(), city.orgId, 2031)).toEqual([])
  })

  it('takes actuals, 五个一 and bonus items with evidence from an agency over the district only', async () => {
    const year = 2024
    const city = await cityPlan(year)
    const hanjiang = await agency('321003')
    const hanjiangViewer = await personOf(hanjiang.orgId, 'viewer')

    // The district agency reads its own district's row only; places still count all 8.
    const own = await targetsYearPage(db(), hanjiang.actor, year, null, 'zh-CN')
    expect(own.rows.map((r) => r.regionCode)).toEqual(['321003'])
    expect(own.hidden).toBe(7)
    expect(own.reportDistricts.map((d) => d.code)).toEqual(['321003'])
    await expect(
      metricRecords(db(), hanjiang.actor, { year, region: '321002', metric: 'cloud' }, { plan: null, page: 1 }, 'zh-CN'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })

    const entry = (region: string, quantity: number) =>
      ZEntryInput.parse({
        region,
        metric: 'cloud',
        quantity: String(quantity),
        evidence: '星级上云认定文件 2024-17 号',
        extra: 'x',
      })
    await addActualEntry(db(), hanjiang.actor, year, null, entry('321003', 50))
    await expect(addActualEntry(db(), hanjiang.actor, year, null, entry('321002', 5))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(addActualEntry(db(), hanjiangViewer.actor, year, null, entry('321003', 5))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    // A region outside the plan names the field.
    await expect(addActualEntry(db(), city.actor, year, null, entry('620102', 5))).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { region: 'targets.v.region' },
    })
    // The city enters for any of its districts.
    await addActualEntry(db(), city.actor, year, null, entry('321002', 30))

    await setWorkItem(
      db(),
      hanjiang.actor,
      year,
      null,
      ZWorkInput.parse({ region: '321003', item: 'task_force', done: '1', evidence: '扬邗政办〔2024〕1号' }),
    )
    await expect(
      setWorkItem(db(), hanjiang.actor, year, null, ZWorkInput.parse({ region: '321003', item: 'action_plan', done: '1' })),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { evidence: 'targets.v.evidence' } })
    const adjust = (kind: string, subject: string) =>
      ZAdjustmentInput.parse({ region: '321003', kind, subject, title: '测试项目', occurredOn: `${year}-06-01` })
    await addAdjustment(db(), hanjiang.actor, year, null, adjust('provincial_funded', 'other'))
    await addAdjustment(db(), hanjiang.actor, year, null, adjust('provincial_recognised', 'star_cloud'))
    await addAdjustment(db(), hanjiang.actor, year, null, adjust('late_task', 'other'))

    const page = await targetsYearPage(db(), city.actor, year, null, 'zh-CN')
    const h = page.rows.find((r) => r.regionCode === '321003')!
    const g = page.rows.find((r) => r.regionCode === '321002')!
    expect(h.entered.cloud).toBe(50) // 50 / 70 = 71 % → the ≥ 50 % band
    expect(h.metrics.cloud).toMatchObject({ band: 'half', points: 10 })
    expect(g.metrics.cloud).toMatchObject({ band: 'met', place: 1, points: 15 }) // 30 / 30
    expect(h.workPoints).toBe(5)
    expect([h.bonus, h.deductions]).toEqual([0.5, 0.2])
    expect(page.adjustments.find((a) => a.subject === 'star_cloud')!.excluded).toBe('star_cloud_not_provincial')

    // A struck-out entry no longer counts.
    const entryId = page.entries.find((e) => e.regionCode === '321003')!.id
    await expect(withdrawActualEntry(db(), hanjiangViewer.actor, year, null, entryId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await withdrawActualEntry(db(), hanjiang.actor, year, null, entryId)
    const after = await targetsYearPage(db(), city.actor, year, null, 'zh-CN')
    expect(after.rows.find((r) => r.regionCode === '321003')!.entered.cloud).toBe(0)

    // Audited.
    const actions = await db().selectFrom('audit_log').select('action').where('actor_user_id', '=', hanjiang.userId).execute()
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set(['targets.actual_entered', 'targets.work_item_set', 'targets.adjustment_added', 'targets.actual_withdrawn']),
    )

    // An agency elsewhere sees nothing of it.
    const elsewhere = await agency('620000')
    await expect(targetsYearPage(db(), elsewhere.actor, year, null, 'zh-CN')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const plan = page.plan.id
    await expect(targetsYearPage(db(), elsewhere.actor, year, plan, 'zh-CN')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // The province over 扬州 reads every district of it (by the plan's id).
    const jiangsu = await agency('320000')
    const provincial = await targetsYearPage(db(), jiangsu.actor, year, plan, 'zh-CN')
    expect(provincial.rows).toHaveLength(8)
  })

  it('seeds the 扬州 agency with the seed’s 2022 table and a full ranking, deterministically', async () => {
    const orgId = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const user = await insertUser(db(), { phone: '13900000021' })
    await db().updateTable('users').set({ is_demo: 1 }).where('id', '=', user.id).execute()
    await addMember(db(), user.id, orgId, 'owner')
    await signIn(db(), user.id, orgId)
    const owner = await personOf(orgId, 'viewer')
    await writeTargetsData(db(), new Date().toISOString(), 2026)
    await writeTargetsData(db(), new Date().toISOString(), 2026) // a second run adds nothing
    const plans = await db().selectFrom('target_plans').select(['id', 'year']).where('agency_org_id', '=', orgId).execute()
    expect(plans.map((p) => p.year).sort()).toEqual([2022, 2026])

    const page = await targetsYearPage(db(), owner.actor, 2022, null, 'zh-CN')
    expect(page.rows).toHaveLength(8)
    const row = (code: string) => page.rows.find((r) => r.regionCode === code)!
    // 宝应 entered 33 of 30 智能化改造 projects, 72 of 70 上云用数, 58 of 60 诊断 (half band), 20 of 25 标杆.
    expect(row('321023').metrics.smart_retrofit).toMatchObject({ target: 30, actual: 33, band: 'met' })
    expect(row('321023').metrics.diagnosis.band).toBe('half')
    expect(row('321023').workPoints).toBe(25)
    // Its 星级上云 item is not a provincial bonus: +0.5 only.
    expect(row('321023').bonus).toBe(0.5)
    expect(row('321081').bonus).toBe(0.2) // the national 两化融合贯标 item unscored
    expect(row('321003').deductions).toBe(0.2)
    expect(page.rows.map((r) => r.place)).toEqual([...page.rows.map((r) => r.place)].sort((a, b) => a - b))
    expect(page.rows[0]!.regionCode).toBe('321012') // 江都: met everything, 25 + 1.2 bonus

    // The same table as a workbook: a title line, the header, the 8 districts in place order.
    const response = await exportTargetsYear(db(), owner.actor, 2022, null, 'zh-CN')
    expect(response.headers.get('Content-Type')).toBe(XLSX_MIME)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const sheet = workbook.worksheets[0]!
    expect(sheet.getRow(2).getCell(2).value).toBe('地区')
    expect(Array.from({ length: 8 }, (_, i) => sheet.getRow(3 + i).getCell(1).value)).toEqual(page.rows.map((r) => r.place))

    await deleteTargetsData(db())
    expect(await db().selectFrom('target_plans').select('id').execute()).toEqual([])
  })
})
