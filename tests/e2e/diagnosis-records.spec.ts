import type { Page } from '@playwright/test'
import sharp from 'sharp'
import type { Database } from '../../db/connection.js'
import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  DEMO,
  DEMO_PASSWORD,
  expect,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
} from './support.js'
import { serverDb } from './server-db.js'

/*
 * Service records and the satisfaction survey (issue 12, port 3430): the demo 诊断咨询机构
 * logs a site visit with a photo and a short visit with a small team (flagged, not
 * counted) and sees the progress; once the report is confirmed the enterprise fills the
 * seed 002 survey; the 扬州 agency adds its opinion. The project and its confirmed report
 * are written straight into the test server's database (the project pages are another
 * slice's): a completed project, so it never meets a live project of the same pair.
 */

const CONSULTANCY = '13900000013'

async function orgOf(db: Database, phone: string): Promise<{ orgId: number; userId: number }> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .select(['m.org_id', 'u.id'])
    .where('u.phone', '=', phone)
    .executeTakeFirstOrThrow()
  return { orgId: row.org_id, userId: row.id }
}

const chinaDay = (daysBefore: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() - daysBefore * 86_400_000),
  )

async function fillRecord(
  page: Page,
  r: { kind: string; day: string; hours: string; team: string; leader: string; content: string },
) {
  await page.getByLabel('服务类型').selectOption({ label: r.kind })
  await page.getByLabel('日期').fill(r.day)
  await page.getByLabel('时长（小时）').fill(r.hours)
  await page.getByLabel('参加人数').fill(r.team)
  await page.getByLabel('组长', { exact: true }).fill(r.leader)
  await page.getByLabel('服务内容').fill(r.content)
}

test('a diagnoser logs visits (one flagged) and sees progress; the enterprise fills the survey on a confirmed report; the agency reviews it', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const { db, close } = serverDb()
  let diagnosisId = 0
  let enterpriseOwner = 0
  try {
    const enterprise = await orgOf(db, DEMO.enterpriseA)
    const provider = await orgOf(db, CONSULTANCY)
    enterpriseOwner = enterprise.userId
    const created = new Date(Date.now() - 5 * 86_400_000).toISOString()
    const row = await db
      .insertInto('diagnoses')
      .values({
        enterprise_org_id: enterprise.orgId,
        provider_org_id: provider.orgId,
        kind: 'workshop',
        status: 'completed',
        origin: 'enterprise',
        completed_at: created,
        created_at: created,
        updated_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    diagnosisId = row.id
  } finally {
    await close()
  }
  const records = `/diagnoses/${diagnosisId}/records`

  // The diagnoser: a proper site visit with a photo.
  await signIn(page, CONSULTANCY, DEMO_PASSWORD)
  await gotoReady(page, records)
  const progress = page.getByTestId('service-progress')
  await expect(progress).toContainText('现场诊断 0/3 次')
  await expect(progress).toContainText('培训 0/2 次')
  await fillRecord(page, {
    kind: '现场诊断',
    day: chinaDay(2),
    hours: '3.5',
    team: '6',
    leader: '王建华',
    content: '走访冲压车间，访谈设备与质量负责人，梳理设备联网现状。',
  })
  const photo = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#2a7' } })
    .png()
    .toBuffer()
  await page.getByLabel('照片', { exact: true }).setInputFiles({ name: 'site-visit.png', mimeType: 'image/png', buffer: photo })
  await page.getByRole('button', { name: '保存记录' }).click()
  await expect(page.getByText('服务记录已保存。')).toBeVisible()
  await expect(progress).toContainText('现场诊断 1/3 次')
  await expect(page.getByRole('img', { name: /照片 1/ })).toHaveCount(1)
  await checkA11y(page)

  // A short visit with a small team: listed with its flags, not counted.
  await fillRecord(page, {
    kind: '现场诊断',
    day: chinaDay(1),
    hours: '2',
    team: '4',
    leader: '李明',
    content: '补充调研仓储物流。',
  })
  await page.getByRole('button', { name: '保存记录' }).click()
  await expect(page.getByText('服务记录已保存。')).toBeVisible()
  await expect(page.getByText('现场诊断不足 3 小时')).toBeVisible()
  await expect(page.getByText('诊断组不足 5 人')).toBeVisible()
  await expect(progress).toContainText('现场诊断 1/3 次')
  await expect(progress).toContainText('1 条记录不符合要求，未计入进度。')
  // The form started afresh: the first record's photo was not sent again.
  await expect(page.getByRole('img', { name: /照片 1/ })).toHaveCount(1)
  await checkA11y(page)

  // A form with mistakes names them at the top.
  await fillRecord(page, { kind: '培训', day: chinaDay(1), hours: '1.25', team: '3', leader: '', content: '培训' })
  await page.getByRole('button', { name: '保存记录' }).click()
  await expect(page.getByRole('alert').filter({ hasText: '时长须在 0.1 到 24 小时之间' }).first()).toBeVisible()
  await checkA11y(page)

  // One record's own page.
  await page.getByRole('link', { name: chinaDay(1), exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '修改服务记录' })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The report is confirmed (签字盖章 by the enterprise's owner).
  {
    const { db: db2, close: close2 } = serverDb()
    try {
      const now = new Date().toISOString()
      await db2
        .insertInto('diagnosis_report_versions')
        .values({
          diagnosis_id: diagnosisId,
          version: 1,
          status: 'confirmed',
          basics: '企业基本情况',
          submitted_at: now,
          confirmed_by: enterpriseOwner,
          confirmed_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute()
    } finally {
      await close2()
    }
  }

  // The enterprise sees the records and fills the survey.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, records)
  await expect(page.getByTestId('service-progress')).toContainText('现场诊断 1/3 次')
  await expect(page.getByRole('button', { name: '保存记录' })).toHaveCount(0)
  await gotoReady(page, `/diagnoses/${diagnosisId}/survey`)
  await expect(page.getByRole('heading', { level: 1, name: '服务商诊断服务满意度调查表' })).toBeVisible()
  const grade = (item: RegExp, label: string) =>
    page.getByRole('group', { name: item }).getByLabel(label, { exact: true }).check()
  await grade(/诊断过程/, '很好')
  await grade(/问题分析/, '较好')
  await grade(/方案建议/, '较好')
  await grade(/业务水平/, '很好')
  await grade(/诊断结果/, '一般')
  await page
    .getByRole('group', { name: /总体评价/ })
    .getByLabel('比较满意', { exact: true })
    .check()
  await page.getByLabel('其他意见（选填）').fill('诊断深入，建议可落地。')
  await page.getByRole('button', { name: '提交调查表' }).click()
  await expect(page.getByText('满意度调查表已提交。')).toBeVisible()
  const table = page.getByTestId('survey-table')
  await expect(table.locator('tr[data-item="process"] td[data-checked="yes"]')).toHaveAttribute('data-grade', 'very_good')
  await expect(table.locator('tr[data-item="overall"] td[data-checked="yes"]')).toHaveAttribute(
    'data-overall',
    'fairly_satisfied',
  )
  await expect(page.getByRole('button', { name: '提交调查表' })).toHaveCount(0)
  await checkA11y(page)
  await signOut(page)

  // The 扬州 agency adds its opinion.
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, `/diagnoses/${diagnosisId}/survey`)
  await page.getByRole('textbox', { name: '审核意见' }).fill('诊断服务符合要求，同意验收。')
  await page.getByRole('button', { name: '提交审核意见' }).click()
  await expect(page.getByText('审核意见已提交。')).toBeVisible()
  await expect(page.getByTestId('survey-opinion')).toHaveText('诊断服务符合要求，同意验收。')
  await checkA11y(page)

  // On a phone: nothing sticks out past 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, records)
  await expect(page.getByText('现场诊断不足 3 小时')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)

  // In English: no Chinese outside the data.
  await page.setViewportSize({ width: 1280, height: 900 })
  await chooseLanguage(page, 'en')
  await expect(page.getByText('Site visit under 3 hours')).toBeVisible()
  await checkA11y(page)
  expect(await chineseOutsideData(page)).toEqual([])
  await gotoReady(page, `/diagnoses/${diagnosisId}/survey`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Satisfaction survey on the provider’s diagnosis service')
  expect(await chineseOutsideData(page)).toEqual([])
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)
})
