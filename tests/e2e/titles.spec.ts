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
 * 称号管理 (issue 16 §7): the 扬州 agency reads the demo's titles (seed/titles.ts) — the counts
 * per title, the two due for review within 3 months, filtered — opens one, records 复核通过,
 * sees its expiry move on by the rule's years and the review in its history; the list's review
 * record shows the 先进级 downgraded to 基础级. Then the page in English and on a 390 px phone.
 * axe on every page.
 */

function plusYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y + years, m - 1, 1))
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

test('the 扬州 agency reads its titles, passes a review that is due and reads the downgrade on record', async ({ page }) => {
  test.setTimeout(180_000)
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)

  await gotoReady(page, '/agency/titles')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('称号管理')
  await checkA11y(page)

  // Counts per title: the demo's 基础级 (two held, one of them due) and 先进级 (one due, one downgraded).
  const counts = page.getByRole('region', { name: '各称号持有情况' })
  const basic = counts.getByRole('row').filter({ hasText: '基础级' })
  const advanced = counts.getByRole('row').filter({ hasText: '先进级' })
  await expect(basic).toHaveCount(1)
  await expect(advanced).toHaveCount(1)
  await expect(advanced.getByRole('cell').nth(2)).toHaveText('1') // 待复核
  await expect(advanced.getByRole('cell').nth(4)).toHaveText('1') // 已降级
  await expect(basic.getByRole('cell').nth(2)).toHaveText('1') // 待复核

  // Filter 待复核: the two due within 3 months.
  await page.getByLabel('状态').selectOption({ label: '待复核' })
  await page.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/state=review_due/)
  await expect(page.getByText('共 2 项')).toBeVisible()
  const list = page.getByRole('region', { name: '辖区企业称号（待复核在前）' })
  const due = list.getByRole('row').filter({ hasText: '待复核' })
  await expect(due).toHaveCount(2)
  await checkA11y(page)

  // The 先进级 due for review: open it.
  await due
    .filter({ hasText: '先进级' })
    .getByRole('link', { name: /查看与复核/ })
    .click()
  await expect(page).toHaveURL(/\/agency\/titles\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('先进级智能工厂')
  const facts = page.getByRole('region', { name: '称号信息' })
  const expiryCell = facts.locator('dt:has-text("有效期至") + dd')
  const oldExpiry = (await expiryCell.textContent())!.trim().slice(0, 10)
  expect(oldExpiry).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  const rule = await facts.locator('dt:has-text("有效期规则") + dd').textContent()
  const years = Number(/有效期 (\d+) 年/.exec(rule ?? '')![1])
  await expect(page.getByText('还没有复核记录。')).toBeVisible()
  await checkA11y(page)

  // 复核通过 (no confirm step: passing changes nothing irreversible).
  await expect(page.getByLabel('复核结果')).toHaveValue('passed')
  await page.getByLabel('说明', { exact: false }).fill('复核材料齐全，继续保持先进级')
  await page.getByRole('button', { name: '提交复核决定' }).click()
  await expect(page.getByText('复核决定已记录')).toBeVisible()
  const newExpiry = plusYears(oldExpiry, years)
  await expect(expiryCell).toHaveText(newExpiry)
  await expect(facts.getByText('有效', { exact: true })).toBeVisible()
  const history = page.getByRole('region', { name: '复核记录' })
  await expect(history.getByRole('row').filter({ hasText: '复核通过' })).toContainText('复核材料齐全，继续保持先进级')
  await checkA11y(page)

  // Back on the list: one fewer due, the review on record next to the downgrade.
  await page.getByRole('link', { name: '返回称号管理' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('称号管理')
  await expect(
    page.getByRole('region', { name: '各称号持有情况' }).getByRole('row').filter({ hasText: '先进级' }).getByRole('cell').nth(2),
  ).toHaveText('0')
  const reviews = page.getByRole('region', { name: '复核记录（最新在前）' })
  const downgrade = reviews.getByRole('row').filter({ hasText: '降级为基础级' })
  await expect(downgrade).toHaveCount(1)
  await expect(downgrade).toContainText('先进级')
  await expect(downgrade).toContainText('关键工序数控化率未达到先进级要求')
  await expect(reviews.getByRole('row').filter({ hasText: '复核通过' })).toHaveCount(1)
  await checkA11y(page)

  // The downgraded title's own page: its review, and no form.
  await downgrade.getByRole('link').click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('先进级智能工厂')
  await expect(page.getByText('该称号已降级，不能再次复核。', { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: '提交复核决定' })).toHaveCount(0)
  await expect(page.getByRole('region', { name: '复核记录' }).getByRole('row').filter({ hasText: '降级为基础级' })).toHaveCount(1)
  await checkA11y(page)

  // English: no Chinese outside data.
  await gotoReady(page, '/agency/titles')
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('称号管理')
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await gotoReady(page, '/agency/titles?state=review_due')
  expect(await chineseOutsideData(page)).toEqual([])
  const open = page.locator('a[href^="/agency/titles/"]').first()
  await open.click()
  await expect(page).toHaveURL(/\/agency\/titles\/\d+$/)
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await chooseLanguage(page, 'zh-CN')

  // A phone: the list and a title fit in 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/agency/titles')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await gotoReady(page, '/agency/titles?state=review_due')
  await page.locator('a[href^="/agency/titles/"]').first().click()
  await expect(page).toHaveURL(/\/agency\/titles\/\d+$/)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
