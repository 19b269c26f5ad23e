import { AGENCY_YANGZHOU } from './server-db.js'
import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  DEMO_PASSWORD,
  expect,
  gotoReady,
  pageWidth,
  signIn,
  test,
} from './support.js'

/*
 * 项目培育库 (issue 16 §6): the 扬州 agency reads its jurisdiction's projects grouped by
 * level, opens one level from the summary, narrows by status, downloads the workbook of
 * the filter; 扬州 has no gradient rule set, so readiness shows "—". Then in English and
 * on a 390 px phone. axe on every page.
 */

test('the agency reads its project pool by level, filters it and exports it', async ({ page }) => {
  test.setTimeout(180_000)
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/project-pool')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('项目培育库')
  const summary = page.getByRole('table', { name: '各改造层级的项目数与投资（万元）' })
  await expect(summary.getByRole('row')).toHaveCount(5)
  await checkA11y(page)

  // One level, from the summary.
  await page.getByRole('link', { name: '查看智能工厂项目', exact: true }).click()
  await expect(page).toHaveURL(/level=smart_factory/)
  await expect(page.getByRole('heading', { level: 2, name: '智能工厂' })).toBeVisible()
  const list = page.getByRole('table', { name: /项目列表（共 \d+ 个）/ })
  await expect(list).toBeVisible()
  const rows = list.getByRole('row')
  if ((await rows.count()) > 1) {
    // Every row aims at 智能工厂; 扬州 has no gradient rules: readiness "—".
    await expect(rows.nth(1)).toContainText('智能工厂')
    await expect(rows.nth(1).getByTitle('该地区无梯度培育规则')).toBeVisible()
  }
  await checkA11y(page)

  // Narrowed by status, kept with the level.
  await page.getByLabel('项目状态', { exact: true }).selectOption('contracted')
  await page.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/status=contracted/)
  await expect(page).toHaveURL(/level=smart_factory/)
  await checkA11y(page)

  // The workbook of the same filter.
  const href = await page.getByRole('link', { name: '导出 Excel（按当前筛选条件）' }).getAttribute('href')
  expect(href).toContain('/agency/project-pool.xlsx?')
  expect(href).toContain('status=contracted')
  const workbook = await page.request.get(href!)
  expect(workbook.status()).toBe(200)
  expect(workbook.headers()['content-type']).toContain('spreadsheetml')

  // An unreadable filter still shows a page (falls back to "any").
  const odd = await page.request.get('/agency/project-pool?level=%3Cx%3E&year=abc&page=-3&region=620000')
  expect(odd.status()).toBe(200)

  // In English.
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Project pool')
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await chooseLanguage(page, 'zh-CN')

  // A phone: nothing sticks out past 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/agency/project-pool')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
