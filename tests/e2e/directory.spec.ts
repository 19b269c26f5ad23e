import crypto from 'node:crypto'
import type { Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  expect,
  freshPhone,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
  verifiedOrgThroughPages,
} from './support.js'

const PASSWORD = 'Directory-map-2026'

/**
 * A provider in 邗江区 made through the pages: applied for, approved by the 扬州 agency,
 * its profile (汽车制造业, 智能在线检测, serving 扬州市) and one case filled in.
 */
async function providerWithCase(page: Page, orgName: string, caseTitle: string) {
  const phone = freshPhone('137')
  await verifiedOrgThroughPages(
    page,
    { person: '孙工', phone, password: PASSWORD },
    { name: orgName, district: '邗江区', districtCode: '321003', providerKind: '系统解决方案供应商', contactName: '孙经理' },
  )

  await signIn(page, phone, PASSWORD)
  await gotoReady(page, '/provider/profile')
  await page.getByLabel('团队规模（人）').fill('36')
  await page.getByLabel('简介').fill('汽车焊装与总装车间的机器视觉检测、质量追溯系统集成。')
  await page.getByLabel('C36 汽车制造业').check()
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('省份').selectOption({ label: '江苏省' })
  await page.getByLabel('城市').selectOption({ label: '扬州市' })
  await page.getByRole('button', { name: '保存能力画像' }).click()
  await expect(page.getByRole('status').filter({ hasText: '能力画像已保存。' })).toBeVisible()
  await checkA11y(page)

  await gotoReady(page, '/provider/cases/new')
  await page.getByLabel('案例标题').fill(caseTitle)
  await page.getByLabel('匿名展示').check()
  await page.getByLabel('匿名描述').fill('某汽车零部件企业')
  await page.getByLabel('客户所属行业').selectOption('C36')
  await page.getByLabel('实施年份').fill('2025')
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('实施内容').fill('焊装线部署焊缝视觉检测工位，替代人工目检，缺陷数据接入质量追溯。')
  await page.locator('#metric-0-name').fill('焊缝漏检率')
  await page.locator('#metric-0-before').fill('3.2')
  await page.locator('#metric-0-after').fill('0.4')
  await page.locator('#metric-0-unit').fill('%')
  await page.getByRole('button', { name: '保存案例' }).click()
  await expect(page.getByRole('status').filter({ hasText: '案例已添加。' })).toBeVisible()
  await checkA11y(page)
  await signOut(page)
}

test('a visitor searches the directory, filters, opens a provider, reads the capability map, follows a cell and exports it', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const suffix = crypto.randomInt(1000, 10000)
  const orgName = `扬州焊视智能装备有限公司${suffix}`
  const caseTitle = `焊装车间焊缝视觉检测${suffix}期`
  await providerWithCase(page, orgName, caseTitle)

  // The header leads to the directory; a word of the case (漏检率 is one of its metrics) finds the provider.
  await gotoReady(page, '/')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '服务商' }).click()
  await expect(page).toHaveURL(/\/providers$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服务商名录')
  await checkA11y(page)
  await page.getByLabel('关键词').fill('焊缝漏检率')
  await page.getByRole('button', { name: '搜索', exact: true }).click()
  await expect(page).toHaveURL(/q=/)
  const card = page.locator('.provider-card', { hasText: orgName })
  await expect(card).toBeVisible()
  await expect(card).toContainText('案例 1 个')
  await expect(card).toContainText('系统解决方案供应商')
  await checkA11y(page)

  // Filters with counts, held in the URL: a kind this provider is not finds nobody, its own kind finds it.
  await page.getByLabel('服务商类型').selectOption('supervisor')
  await page.getByRole('button', { name: '应用筛选' }).click()
  await expect(page).toHaveURL(/kind=supervisor/)
  await expect(page.getByRole('heading', { name: '没有找到符合条件的服务商' })).toBeVisible()
  await expect(page.getByRole('link', { name: '查看服务商能力图谱' }).last()).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('服务商类型').selectOption('integrator')
  await page.getByLabel('服务行业').selectOption('C36')
  await page.getByLabel('服务地区').selectOption('320000')
  await page.getByRole('button', { name: '应用筛选' }).click()
  await expect(page).toHaveURL(/industry=C36/)
  await expect(card).toBeVisible()
  await expect(page.getByLabel('服务行业').locator('option:checked')).toHaveText(/汽车制造业（\d+）/)
  await checkA11y(page)
  // The reload keeps the query.
  await page.reload()
  await expect(card).toBeVisible()
  await checkA11y(page)

  // The provider's public page.
  await card.getByRole('link', { name: orgName }).click()
  await expect(page).toHaveURL(/\/providers\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await checkA11y(page)

  // The capability map: the whole country first, then 江苏省 › 扬州市, as a table and a heat map.
  await gotoReady(page, '/providers')
  await page.getByRole('link', { name: '查看服务商能力图谱' }).first().click()
  await expect(page).toHaveURL(/\/providers\/map$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服务商能力图谱')
  await checkA11y(page)
  await page.getByLabel('地区', { exact: true }).selectOption('320000')
  await page.getByRole('button', { name: '查看', exact: true }).click()
  await expect(page).toHaveURL(/region=320000/)
  await checkA11y(page)
  await page.getByLabel('地区', { exact: true }).selectOption('321000')
  await page.getByRole('button', { name: '查看', exact: true }).click()
  await expect(page).toHaveURL(/region=321000/)
  await expect(page.locator('.map-summary')).toContainText('江苏省 扬州市')
  await expect(page.locator('.map-chart[data-state="ready"] canvas').first()).toBeVisible()
  await checkA11y(page)
  const cell = page.locator('td[data-cell="C36-S305"] a')
  // Named by its row and column headers; the title describes it (the cells carry no aria-label).
  await expect(cell).toHaveAccessibleDescription(/汽车制造业 · 智能在线检测：\d+ 家服务商/)
  const count = Number(await cell.evaluate((a) => a.firstChild?.textContent ?? '0'))
  expect(count).toBeGreaterThanOrEqual(1)

  // The export holds the same numbers, under a Chinese file name.
  const downloading = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 Excel' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('服务商能力图谱-江苏省扬州市.xlsx')
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(await download.path())
  const sheet = workbook.getWorksheet('能力图谱')!
  const header = sheet.getRow(3).values as unknown[]
  const column = header.indexOf('智能在线检测')
  const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === 'C36')!
  expect(row.getCell(column).value).toBe(count)

  // A cell lists its providers in the directory: the same count.
  await cell.click()
  await expect(page).toHaveURL(/\/providers\?industry=C36&scenario=S305&region=321000$/)
  await expect(page.locator('.results-count')).toHaveText(`共 ${count} 家服务商`)
  await expect(card).toBeVisible()
  await checkA11y(page)

  // On a phone: the filters fold away, nothing sticks out; the map's table scrolls in its frame.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, `/providers?q=${encodeURIComponent('焊缝漏检率')}`)
  await expect(page.locator('details.filters')).not.toHaveAttribute('open', '')
  await expect(card).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.locator('details.filters > summary').click()
  await expect(page.getByLabel('服务商类型')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, '/providers/map?region=321000')
  await expect(page.locator('td[data-cell="C36-S305"] a')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})

test('in English nothing of the directory and the map stays Chinese', async ({ page }) => {
  await gotoReady(page, '/providers')
  await chooseLanguage(page, 'en')
  await checkA11y(page)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Provider directory')
  expect(await chineseOutsideData(page)).toEqual([])
  await gotoReady(page, '/providers?industry=C36&region=320000&sort=cases')
  expect(await chineseOutsideData(page)).toEqual([])
  await gotoReady(page, '/providers/map?region=321000')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Provider capability map')
  await expect(page.locator('.map-summary')).toContainText('Yangzhou, Jiangsu')
  expect(await chineseOutsideData(page)).toEqual([])
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)
})

test('without scripts the map is a table whose cells are links', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/providers/map?link=production')
  await checkA11y(page, { scripts: false })
  await expect(page.getByRole('table')).toBeVisible()
  await expect(page.getByRole('columnheader', { name: '智能在线检测' })).toBeVisible()
  await expect(page.getByRole('columnheader', { name: '智能排产' })).toBeVisible()
  await expect(page.getByRole('columnheader', { name: '数字孪生工厂' })).toHaveCount(0)
  await context.close()
})
