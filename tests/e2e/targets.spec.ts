import { AGENCY_YANGZHOU } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, test } from './support.js'

/*
 * District targets (issue 15 §5, seed 001 附件2): the 扬州 agency reads the demo's 2022 ranking
 * (the seed's table), sets a new year's targets per district through the form, enters an actual
 * with evidence for 邗江区 (上云用数, which the platform cannot count) and a bonus item the
 * 评分细则 excludes, sees the points by rule and the rules, follows the count to its records,
 * and reads the ranking on a 390 px phone. axe on every page.
 */

test('the 扬州 agency reads the 2022 ranking, sets targets, enters an actual with evidence and follows it to its records', async ({
  page,
}) => {
  // Eight pages with axe, three of them long tables: more than the default minute on a busy machine.
  test.setTimeout(180_000)
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)

  // The demo's 2022 plan: the seed's table for the 8 评分对象, ranked.
  await gotoReady(page, '/agency/targets')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('“智改数转”目标考核')
  await page.getByRole('link', { name: '2022', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('2022 年“智改数转”目标考核')
  await checkA11y(page)
  const ranking = page.getByRole('region', { name: '2022 年各地区得分与排名' })
  await expect(ranking.getByRole('row')).toHaveCount(9)
  for (const name of ['宝应县', '经济技术开发区', '生态科技新城'])
    await expect(ranking.getByRole('row').filter({ hasText: name })).toHaveCount(1)
  await expect(page.getByText('两个名次相加', { exact: false })).toBeVisible()

  // A new year's targets through the form.
  await gotoReady(page, '/agency/targets?year=2027')
  await expect(page.getByRole('heading', { name: '填写年度目标' })).toBeVisible()
  await page.getByLabel(/邗江区 “上云用数”项目/).fill('20')
  await page.getByLabel(/邗江区 规上企业“智改数转”覆盖率/).fill('40')
  await page.getByRole('button', { name: '保存目标' }).click()
  await expect(page).toHaveURL(/\/agency\/targets\/2027$/)
  await expect(page.getByText('年度目标已保存。')).toBeVisible()
  await checkA11y(page)

  // An actual with evidence for 邗江 (上云用数: entered only).
  const entry = page.locator('form').filter({ has: page.getByRole('heading', { name: '填报实际完成数' }) })
  await entry.getByLabel('地区').selectOption('321003')
  await entry.getByLabel('类别').selectOption({ label: '“上云用数”项目' })
  await entry.getByLabel('数量（个）').fill('12')
  await entry.getByLabel('证明材料').fill('星级上云企业认定文件（扬工信〔2027〕12号）')
  await entry.getByRole('button', { name: '提交实际数' }).click()
  await expect(page.getByText('实际数已记录。')).toBeVisible()
  await checkA11y(page)
  // 12 of 20: the ≥ 50 % band, alone in it → 10 points.
  const cloud = page.getByRole('region', { name: '“上云用数”项目：目标、实际、完成率与得分' })
  const hanjiang = cloud.getByRole('row').filter({ hasText: '邗江区' })
  await expect(hanjiang).toContainText('0 + 12')
  await expect(hanjiang).toContainText('完成 50% 以上')
  await expect(hanjiang).toContainText('60%')

  // A bonus item the 评分细则 excludes: shown, not scored.
  const adjust = page.locator('form').filter({ has: page.getByRole('heading', { name: '登记加、减分项' }) })
  await adjust.getByLabel('地区').selectOption('321003')
  await adjust.getByLabel('类型').selectOption({ label: '省级认定类项目' })
  await adjust.getByLabel('涉及事项', { exact: false }).selectOption({ label: '星级上云企业' })
  await adjust.getByLabel('名称').fill('省五星级上云企业')
  await adjust.getByLabel('日期').fill('2027-05-20')
  await adjust.getByRole('button', { name: '登记' }).click()
  await expect(page.getByText('已登记。')).toBeVisible()
  await expect(page.getByText('不计分：星级上云不算作省级项目加分项')).toBeVisible()
  await checkA11y(page)

  // The count links to its records.
  await hanjiang.getByRole('link', { name: '12' }).click()
  await expect(page).toHaveURL(/\/agency\/targets\/2027\/321003\/cloud/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('“上云用数”项目')
  await expect(page.getByText('星级上云企业认定文件（扬工信〔2027〕12号）')).toBeVisible()
  await checkA11y(page)

  // Coverage records: the district's above-scale enterprises.
  await gotoReady(page, '/agency/targets/2027/321003/coverage')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('规上企业“智改数转”覆盖率')

  // On a phone the ranking fits.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/agency/targets/2027')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})
