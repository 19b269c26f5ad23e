import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import { AGENCY_YANGZHOU } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, test } from './support.js'

/*
 * 导入导出 (issue 15 §7): the 扬州 agency exports its enterprises from the enterprises page
 * (the task runs in the server's scheduled job while the page polls its progress) and
 * downloads the workbook with Chinese headers; uploads a list with one bad row and reads
 * the row and column named, nothing written; uploads a good one, previews it and confirms;
 * the page fits a 390 px phone. axe on every page.
 */

const rand = () => crypto.randomInt(1_000_000) / 1_000_000

async function workbookOf(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('导入模板')
  sheet.addRow(['企业名称*', '统一社会信用代码*', '所在地区*', '所属行业*', '规上企业', '联系人', '联系电话'])
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

test('the 扬州 agency exports its enterprises and imports a list: row errors first, then a preview and 确认导入', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)

  // 导出 Excel from the enterprises page, with its filter.
  await gotoReady(page, '/agency/enterprises?aboveScale=1')
  await page.getByRole('button', { name: /^导出 Excel/ }).click()
  await expect(page).toHaveURL(/\/agency\/exports$/)
  await expect(page.getByText('导出任务已开始，完成后可在下方下载。')).toBeVisible()
  await checkA11y(page)
  // The scheduled job runs it; the page polls until the download appears.
  const download = page.getByRole('link', { name: /^下载企业名单（任务/ }).first()
  await expect(download).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('cell', { name: '已完成' }).first()).toBeVisible()
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/)
  const workbook = new ExcelJS.Workbook()
  const bytes = await fs.readFile(await file.path())
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  await workbook.xlsx.load(copy.buffer)
  const sheet = workbook.worksheets[0]!
  expect(sheet.getRow(1).getCell(1).text).toContain('企业名单')
  expect(sheet.getRow(2).getCell(1).value).toBe('企业名称')
  expect(sheet.getRow(2).getCell(2).value).toBe('统一社会信用代码')

  // An import with one bad row: nothing written, the row and the column named.
  const good = generateUscc(rand, '321003')
  const bad = good.slice(0, 17) + (good.charAt(17) === '0' ? '1' : '0')
  const name = `扬州导入演示${crypto.randomInt(1e6)}机械有限公司`
  await page.getByLabel('导入的名单').selectOption('enterprises')
  await page.getByLabel('Excel 文件（.xlsx）').setInputFiles({
    name: 'enterprises.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await workbookOf([
      [name, good, '邗江区', 'C34', '是', '王经理', '0514-87654321'],
      [`${name}分公司`, bad, '邗江区', 'C34', '否', '', ''],
    ]),
  })
  await page.getByRole('button', { name: '上传并检查' }).click()
  await expect(page).toHaveURL(/\/agency\/exports\/\d+$/)
  await expect(page.getByRole('heading', { name: '有错误，未导入' })).toBeVisible({ timeout: 60_000 })
  const issues = page.getByRole('table', { name: '错误清单（按行排列）' })
  const row = issues.getByRole('row').filter({ hasText: '第 3 行' })
  await expect(row).toContainText('B 列（统一社会信用代码）')
  await expect(row).toContainText('校验')
  await expect(page.getByText('没有写入任何数据', { exact: false })).toBeVisible()
  await checkA11y(page)
  await page.getByRole('button', { name: '放弃' }).click()
  await expect(page.getByText('已放弃该导入。')).toBeVisible()

  // The corrected file: a preview, then 确认导入 writes it.
  await gotoReady(page, '/agency/exports')
  await page.getByLabel('导入的名单').selectOption('enterprises')
  await page.getByLabel('Excel 文件（.xlsx）').setInputFiles({
    name: 'enterprises.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await workbookOf([[name, good, '邗江区', 'C34', '是', '王经理', '0514-87654321']]),
  })
  await page.getByRole('button', { name: '上传并检查' }).click()
  await expect(page.getByRole('heading', { name: '待确认导入' })).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('table', { name: /^预览/ }).getByRole('row').filter({ hasText: name })).toHaveCount(1)
  await checkA11y(page)
  await page.getByRole('button', { name: '确认导入' }).click()
  await expect(page.getByText('已导入 1 行。', { exact: false })).toBeVisible({ timeout: 60_000 })
  await checkA11y(page)

  // The task list on a phone.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/agency/exports')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
