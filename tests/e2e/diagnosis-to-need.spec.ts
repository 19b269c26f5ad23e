import type { Page } from '@playwright/test'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, signIn, signOut, test } from './support.js'
import { serverDb } from './server-db.js'

/*
 * The demand side end to end (issue 12): from diagnosis to a published need.
 * The demo enterprise B chooses the demo 诊断咨询机构; the diagnoser writes a report with
 * two weaknesses and logs a site visit; the enterprise's owner confirms the report and
 * fills the satisfaction survey, turns a weakness into a need (prefilled from it) and
 * publishes it; a visitor finds the need in the hall by a Chinese word of the weakness.
 */

const ENTERPRISE_B = '13900000002'
const CONSULTANCY = '13900000013'

const chinaDay = (daysFromNow: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + daysFromNow * 86_400_000),
  )

async function fillWeakness(
  page: Page,
  n: number,
  w: { scenario: string; severity: string; title: string; description: string },
) {
  const row = page.getByRole('group', { name: `第 ${n} 条短板` })
  await row.getByLabel('场景').selectOption({ label: w.scenario })
  await row.getByLabel('严重程度').selectOption({ label: w.severity })
  await row.getByLabel('短板标题').fill(w.title)
  await row.getByLabel('问题描述').fill(w.description)
}

test('diagnosis to need: report with two weaknesses and a visit, confirmed, surveyed, a weakness published as a need and found by a visitor', async ({
  page,
}) => {
  test.setTimeout(300_000)
  const stamp = String(Date.now()).slice(-5)
  const weaknessTitle = `热处理炉温依靠人工巡检${stamp}`
  let diagnoserName = ''
  {
    const { db, close } = serverDb()
    try {
      const of = (phone: string) =>
        db
          .selectFrom('users as u')
          .innerJoin('memberships as m', 'm.user_id', 'u.id')
          .innerJoin('organisations as o', 'o.id', 'm.org_id')
          .select(['o.id', 'o.name'])
          .where('u.phone', '=', phone)
          .executeTakeFirstOrThrow()
      const enterprise = await of(ENTERPRISE_B)
      const diagnoser = await of(CONSULTANCY)
      diagnoserName = diagnoser.name
      // One live project per pair: a run before this one may have left one.
      await db
        .updateTable('diagnoses')
        .set({ status: 'cancelled' })
        .where('enterprise_org_id', '=', enterprise.id)
        .where('provider_org_id', '=', diagnoser.id)
        .where('status', 'in', ['proposed', 'active'])
        .execute()
    } finally {
      await close()
    }
  }

  // The enterprise's owner chooses the diagnoser.
  await signIn(page, ENTERPRISE_B, DEMO_PASSWORD)
  await gotoReady(page, '/diagnoses/new')
  await page.getByLabel('按名称查找诊断服务商').fill(diagnoserName)
  await page.getByRole('button', { name: '查找' }).click()
  await page.getByLabel(diagnoserName).check()
  await page.getByLabel('诊断类型').selectOption({ label: '数字化应用诊断' })
  await page.getByRole('button', { name: '选择该服务商开始诊断' }).click()
  await expect(page.getByText('诊断项目已开始，服务商可以编写诊断报告了。')).toBeVisible()
  const projectUrl = new URL(page.url()).pathname
  expect(projectUrl).toMatch(/^\/diagnoses\/\d+$/)
  await checkA11y(page)
  await signOut(page)

  // The diagnoser logs a site visit and writes the report with two weaknesses.
  await signIn(page, CONSULTANCY, DEMO_PASSWORD)
  await gotoReady(page, `${projectUrl}/records`)
  await page.getByLabel('服务类型').selectOption({ label: '现场诊断' })
  await page.getByLabel('日期').fill(chinaDay(0))
  await page.getByLabel('时长（小时）').fill('4')
  await page.getByLabel('参加人数').fill('5')
  await page.getByLabel('组长', { exact: true }).fill('王建华')
  await page.getByLabel('服务内容').fill('走访热处理车间，查看炉温记录与设备台账。')
  await page.getByRole('button', { name: '保存记录' }).click()
  await expect(page.getByText('服务记录已保存。')).toBeVisible()
  await expect(page.getByTestId('service-progress')).toContainText('现场诊断 1/1 次')
  await checkA11y(page)

  await gotoReady(page, projectUrl)
  await page.getByRole('link', { name: '编写诊断报告' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '编写诊断报告' })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('一、企业基本情况').fill('企业主营齿轮热处理与精加工，现有井式炉 6 台、箱式炉 4 台。')
  await fillWeakness(page, 1, {
    scenario: '设备运行监测',
    severity: '严重',
    title: weaknessTitle,
    description: '热处理炉温依靠人工每两小时巡检记录，超温无法及时发现，批次质量追溯困难。',
  })
  await page.getByRole('button', { name: '增加一条短板' }).click()
  await fillWeakness(page, 2, {
    scenario: '智能仓储',
    severity: '一般',
    title: '半成品库位靠人工记忆',
    description: '半成品出入库无条码，盘点依靠人工，账实不符。',
  })
  await page
    .getByLabel('三、系统解决方案 / 顶层设计 / 项目改造方案')
    .fill('建设炉温在线监测与质量追溯系统，半成品库引入条码管理。')
  await page.getByLabel('对标标杆企业').fill('常州某齿轮智能工厂')
  await page.getByLabel('成熟度评估（GB/T 39116）').selectOption({ label: '1 级' })
  await page.getByRole('button', { name: '提交企业确认' }).click()
  await expect(page.getByText('报告已提交，等待企业负责人确认。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The owner confirms it (签字盖章) and fills the survey.
  await signIn(page, ENTERPRISE_B, DEMO_PASSWORD)
  await gotoReady(page, projectUrl)
  await page.getByRole('button', { name: '确认报告' }).click()
  await expect(page.getByText('报告已确认（签字盖章）。')).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, `${projectUrl}/survey`)
  for (const item of [/诊断过程/, /问题分析/, /方案建议/, /业务水平/, /诊断结果/]) {
    await page.getByRole('group', { name: item }).getByLabel('较好', { exact: true }).check()
  }
  await page
    .getByRole('group', { name: /总体评价/ })
    .getByLabel('满意', { exact: true })
    .check()
  await page.getByRole('button', { name: '提交调查表' }).click()
  await expect(page.getByText('满意度调查表已提交。')).toBeVisible()
  await checkA11y(page)

  // A weakness becomes a need in one action: the form comes prefilled from it.
  await gotoReady(page, projectUrl)
  await page.getByRole('link', { name: `转为需求 ${weaknessTitle}` }).click()
  await expect(page).toHaveURL(/\/enterprise\/needs\/new\?weakness=\d+$/)
  await expect(page.getByLabel('需求标题')).toHaveValue(weaknessTitle)
  await expect(page.getByLabel('需求描述')).toHaveValue(/超温无法及时发现/)
  await checkA11y(page)
  await page.getByLabel('改造目标层级').selectOption('smart_line')
  await page.getByLabel('预算下限（万元）').fill('60')
  await page.getByLabel('预算上限（万元）').fill('120')
  await page.getByLabel('预计开始日期').fill(chinaDay(45))
  await page.getByLabel('预计周期（月）').fill('4')
  await page.getByLabel('投标截止日期').fill(chinaDay(20))
  await page.getByRole('button', { name: '保存并发布' }).click()
  await expect(page).toHaveURL(/\/enterprise\/needs\/\d+$/)
  await expect(page.locator('.notice-success')).toContainText('需求已发布')
  const needId = Number(/(\d+)$/.exec(page.url())![1])
  await checkA11y(page)
  await signOut(page)

  // A visitor finds it by a Chinese word of the weakness, and its page names the report it came from.
  await gotoReady(page, `/needs?q=${encodeURIComponent('热处理')}`)
  await expect(page.getByRole('link', { name: weaknessTitle })).toBeVisible()
  await gotoReady(page, `/needs/${needId}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(weaknessTitle)
  await expect(page.getByText('来自诊断报告')).toBeVisible()
})
