import type { Page } from '@playwright/test'
import type { Database } from '../../db/connection.js'
import { checkA11y, DEMO, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'
import { serverDb } from './server-db.js'

/*
 * Diagnosis projects and reports (issue 12, port 3420): the demo enterprise chooses the
 * demo 诊断咨询机构 as its diagnoser; the diagnoser writes a report with two weaknesses
 * (the second row added by the form's own button, as without scripts) and submits it;
 * the enterprise's owner confirms it (签字盖章) and sees 转为需求 per weakness and the
 * printable version with the confirmer; the diagnoser amends it (version 2), the owner
 * confirms that and version 1 is superseded.
 */

const CONSULTANCY = '13900000013'

async function orgOf(db: Database, phone: string): Promise<{ orgId: number; name: string; person: string }> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.org_id', 'o.name', 'u.name as person'])
    .where('u.phone', '=', phone)
    .executeTakeFirstOrThrow()
  return { orgId: row.org_id, name: row.name, person: row.person }
}

async function fillWeakness(
  page: Page,
  n: number,
  w: {
    scenario: string
    severity: string
    title: string
    description: string
    indicator?: string
    current?: string
    target?: string
  },
) {
  const row = page.getByRole('group', { name: `第 ${n} 条短板` })
  await row.getByLabel('场景').selectOption({ label: w.scenario })
  await row.getByLabel('严重程度').selectOption({ label: w.severity })
  await row.getByLabel('短板标题').fill(w.title)
  await row.getByLabel('问题描述').fill(w.description)
  if (w.indicator) await row.getByLabel('指标', { exact: true }).fill(w.indicator)
  if (w.current) await row.getByLabel('现状值').fill(w.current)
  if (w.target) await row.getByLabel('目标值').fill(w.target)
}

test('an enterprise chooses a diagnoser; the diagnoser writes and submits a report with two weaknesses; the owner confirms it; the amendment supersedes it', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const { db, close } = serverDb()
  let diagnoser = { orgId: 0, name: '', person: '' }
  let owner = ''
  try {
    const enterprise = await orgOf(db, DEMO.enterpriseA)
    owner = enterprise.person
    diagnoser = await orgOf(db, CONSULTANCY)
    // A run before this one may have left a live project of the pair: one live project per pair.
    await db
      .updateTable('diagnoses')
      .set({ status: 'cancelled' })
      .where('enterprise_org_id', '=', enterprise.orgId)
      .where('provider_org_id', '=', diagnoser.orgId)
      .where('status', 'in', ['proposed', 'active'])
      .execute()
  } finally {
    await close()
  }

  // The enterprise's owner chooses the diagnoser.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, '/diagnoses')
  await expect(page.getByRole('heading', { level: 1, name: '诊断报告' })).toBeVisible()
  await page.getByRole('link', { name: '选择诊断服务商' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: '新建诊断项目' })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('按名称查找诊断服务商').fill(diagnoser.name)
  await page.getByRole('button', { name: '查找' }).click()
  await expect(page.getByLabel(diagnoser.name)).toBeVisible()
  await checkA11y(page)
  await page.getByLabel(diagnoser.name).check()
  await page.getByLabel('诊断类型').selectOption({ label: '智能车间诊断' })
  await page.getByRole('button', { name: '选择该服务商开始诊断' }).click()
  await expect(page.getByText('诊断项目已开始，服务商可以编写诊断报告了。')).toBeVisible()
  const projectUrl = new URL(page.url()).pathname
  expect(projectUrl).toMatch(/^\/diagnoses\/\d+$/)
  await expect(page.getByText('诊断服务商正在编写新版本，提交后在此显示。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The diagnoser writes the report: two weaknesses, the second row added by the form.
  await signIn(page, CONSULTANCY, DEMO_PASSWORD)
  await gotoReady(page, projectUrl)
  await page.getByRole('link', { name: '编写诊断报告' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '编写诊断报告' })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('一、企业基本情况').fill('企业主营汽车冲压件与焊接总成，年产值约 3 亿元，现有冲压线 4 条。')
  await fillWeakness(page, 1, {
    scenario: '智能排产',
    severity: '严重',
    title: '排产依赖人工经验',
    description: '计划员在 Excel 中编制生产计划，插单频繁时交期难以保证。',
    indicator: '计划达成率',
    current: '78%',
    target: '95%',
  })
  await page.getByRole('button', { name: '增加一条短板' }).click()
  await expect(page.getByRole('group', { name: '第 2 条短板' })).toBeVisible()
  await expect(page.getByRole('group', { name: '第 1 条短板' }).getByLabel('短板标题')).toHaveValue('排产依赖人工经验')
  await checkA11y(page)
  await fillWeakness(page, 2, {
    scenario: '设备运行监测',
    severity: '一般',
    title: '冲压设备未联网监测',
    description: '停机原因依靠人工记录，设备综合效率无法统计。',
  })
  await page.getByLabel('三、系统解决方案 / 顶层设计 / 项目改造方案').fill('建设 MES 与设备联网平台，打通计划、生产、质量数据。')
  await page.getByLabel('对标标杆企业').fill('宁波某汽车零部件智能工厂')
  await page.getByLabel('成熟度评估（GB/T 39116）').selectOption({ label: '2 级' })
  await page.getByRole('button', { name: '提交企业确认' }).click()
  await expect(page.getByText('报告已提交，等待企业负责人确认。')).toBeVisible()
  await expect(page.getByRole('cell', { name: /排产依赖人工经验/ })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The enterprise's owner confirms it (签字盖章).
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, projectUrl)
  await expect(page.getByRole('heading', { name: '确认诊断报告（签字盖章）' })).toBeVisible()
  await page.getByRole('button', { name: '确认报告' }).click()
  await expect(page.getByText('报告已确认（签字盖章）。')).toBeVisible()
  await expect(page.getByRole('link', { name: /^转为需求/ })).toHaveCount(2)
  await expect(page.getByRole('link', { name: '转为需求 排产依赖人工经验' })).toHaveAttribute(
    'href',
    /^\/enterprise\/needs\/new\?weakness=\d+$/,
  )
  await checkA11y(page)
  // The printable version carries the confirmer and the time.
  await page.getByRole('link', { name: '打印' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /诊断报告（第 1 版）/ })).toBeVisible()
  await expect(page.getByRole('region', { name: '企业确认（签字盖章）' })).toContainText(owner)
  await checkA11y(page)
  await signOut(page)

  // The diagnoser amends it: version 2, a copy, changed and submitted.
  await signIn(page, CONSULTANCY, DEMO_PASSWORD)
  await gotoReady(page, projectUrl)
  await page.getByRole('button', { name: '修订报告（新建版本）' }).click()
  await expect(page.getByText('已新建第 2 版报告草稿。')).toBeVisible()
  await expect(page.getByRole('group', { name: '第 2 条短板' }).getByLabel('短板标题')).toHaveValue('冲压设备未联网监测')
  await checkA11y(page)
  await page
    .getByLabel('一、企业基本情况')
    .fill('企业主营汽车冲压件与焊接总成，年产值约 3.2 亿元（2025 年数据），现有冲压线 4 条。')
  await page.getByRole('button', { name: '提交企业确认' }).click()
  await expect(page.getByText('报告已提交，等待企业负责人确认。')).toBeVisible()
  await signOut(page)

  // The owner confirms version 2: version 1 is superseded.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, projectUrl)
  await page.getByRole('button', { name: '确认报告' }).click()
  await expect(page.getByText('报告已确认（签字盖章）。')).toBeVisible()
  const versions = page.getByRole('region', { name: '报告的全部版本' })
  await expect(versions).toContainText('已被新版本取代')
  await expect(page.getByText(/3\.2 亿元/)).toBeVisible()
  await checkA11y(page)

  // On a phone: the list, the project and the printable version fit 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  for (const url of ['/diagnoses', projectUrl, `${projectUrl}/versions/2`]) {
    await gotoReady(page, url)
    expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  }
})
