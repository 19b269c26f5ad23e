import { checkA11y, expect, gotoReady, test } from './support.js'

test('a visitor searches needs for 视觉, narrows by region and opens one', async ({ page }) => {
  await gotoReady(page, '/')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('智改数转供需对接平台')
  await page.getByRole('link', { name: '需求大厅', exact: true }).first().click()
  await expect(page).toHaveURL(/\/needs$/)
  // A client navigation: focus moves to the new page's h1, and the title follows.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  await expect(page).toHaveTitle('需求大厅 · 对接')
  await checkA11y(page)

  await page.getByRole('searchbox', { name: '关键词' }).fill('视觉')
  await page.getByRole('button', { name: '搜索' }).click()
  await expect(page).toHaveURL(/q=%E8%A7%86%E8%A7%89/)
  // A new search: focus goes to the results heading, which reads the count.
  await expect(page.locator('#results-title')).toBeFocused()

  const status = page.getByRole('status')
  await expect(status).toContainText(/共 [\d,]+ 条需求/)
  const total = Number((await status.innerText()).replace(/[^\d]/g, ''))
  expect(total).toBeGreaterThan(0)
  const cards = page.locator('.need-card')
  await expect(cards.first()).toContainText('视觉')

  // Pick the first province the facets say has results, and filter by it.
  const region = page.getByLabel('地区')
  const option = region
    .locator('option')
    .filter({ hasText: /（[1-9]\d*）/ })
    .first()
  const optionText = (await option.innerText()).trim()
  const provinceName = optionText.replace(/（\d+）$/, '')
  const provinceCount = Number(/（(\d+)）$/.exec(optionText)?.[1])
  await region.selectOption({ label: optionText })
  await page.getByRole('button', { name: '应用筛选' }).click()
  await expect(page).toHaveURL(/region=\d{6}/)
  await expect(page).toHaveURL(/q=%E8%A7%86%E8%A7%89/)
  await expect(status).toHaveText(`共 ${provinceCount} 条需求`)
  await expect(cards.first()).toContainText(provinceName)

  // The query survives a reload: the URL holds all of it.
  await page.reload()
  await expect(status).toHaveText(`共 ${provinceCount} 条需求`)
  await expect(page.getByRole('searchbox', { name: '关键词' })).toHaveValue('视觉')

  const firstTitle = (await cards.first().getByRole('heading').innerText()).trim()
  await cards.first().getByRole('link').first().click()
  await expect(page).toHaveURL(/\/needs\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstTitle)
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  await expect(page).toHaveTitle(`${firstTitle} · 对接`)
  await expect(page.getByRole('heading', { name: '需求描述' })).toBeVisible()
  const facts = page.getByRole('complementary')
  await expect(facts).toContainText('预算范围')
  await expect(facts).toContainText(provinceName)
  await expect(facts).toContainText('万元')
  await checkA11y(page)
})

test('an unknown need shows a Chinese 404 page', async ({ page }) => {
  const response = await page.goto('/needs/99999999')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在')
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible()
  await checkA11y(page)
})

test('hostile search text returns a page, not an error', async ({ page }) => {
  // The form caps input at 200 characters; a hand-made URL can carry far more.
  for (const q of ['"', 'NEAR(视觉', '-*', 'AND OR NOT', '视觉 AND "检测 '.repeat(60), 'NEAR(a,b) '.repeat(200)]) {
    const response = await page.goto(`/needs?q=${encodeURIComponent(q)}`)
    expect(response?.status(), q.slice(0, 20)).toBe(200)
    await expect(page.getByRole('status')).toContainText('条需求')
  }
  await checkA11y(page)
})

test('the needs page works at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 })
  await page.goto('/needs?q=数字化')
  await expect(page.getByRole('searchbox', { name: '关键词' })).toBeVisible()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await checkA11y(page)
})
