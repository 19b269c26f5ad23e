import crypto from 'node:crypto'
import type { Page } from '@playwright/test'
import {
  checkA11y,
  DEMO,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
  verifiedOrgThroughPages,
} from './support.js'

/*
 * 一企一档 (issue 12): an enterprise's owner fills in the archive, records a title and
 * sees the history of changes on the archive page; the 扬州 agency finds the enterprise
 * in /agency/enterprises, opens its archive and revokes the title; the enterprise then
 * finds the decided title locked but for its reward. Port 3410 (E2E_PORT).
 */

const PASSWORD = 'Enterprise-archive-2026'

/** A new enterprise in 宝应县, approved by the 扬州 agency. */
const verifiedEnterprise = (page: Page, phone: string, orgName: string) =>
  verifiedOrgThroughPages(
    page,
    { person: '孙厂长', phone, password: PASSWORD },
    { name: orgName, district: '宝应县', districtCode: '321023', industry: 'C34', contactName: '孙经理' },
  )

const percentOf = async (page: Page) => Number((await page.getByTestId('completeness-percent').textContent())!.replace(/\D/g, ''))

test('an enterprise fills its archive and adds a title; the agency opens it from its list of enterprises', async ({ page }) => {
  test.setTimeout(240_000)
  const phone = freshPhone('137')
  const orgName = `宝应精密冲压件有限公司${crypto.randomInt(1000)}`
  await verifiedEnterprise(page, phone, orgName)

  await signIn(page, phone, PASSWORD)
  await gotoReady(page, '/enterprise/archive')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('一企一档')
  await expect(page.getByRole('navigation', { name: '企业工作台' }).getByRole('link', { name: '一企一档' })).toHaveAttribute(
    'aria-current',
    'page',
  )
  const before = await percentOf(page)
  expect(before).toBeLessThan(50)

  // An impossible percentage: the summary takes focus and names the field.
  await page.getByLabel('企业规模').selectOption('medium')
  await page.getByLabel('规模以上工业企业（规上）').check()
  await page.getByLabel('营业收入').selectOption('10k_40k')
  await page.getByLabel('从业人员').selectOption('300_999')
  await page.getByLabel('主要产品').fill('汽车冲压件、精密模具')
  await page.getByLabel('数字化研发设计工具普及率（%）').fill('120')
  await page.getByLabel('生产装备数控化率（%）').fill('62')
  await page.getByLabel('关键工序数控化率（%）').fill('70.5')
  await page.getByLabel('经营管理数字化普及率（%）').fill('90')
  await page.getByLabel('MES 覆盖率（%）').fill('40')
  await page.getByLabel('智能制造能力成熟度（GB/T 39116）').selectOption('3')
  await page.getByLabel('指标所属年份').fill('2025')
  await page.getByRole('button', { name: '保存档案' }).click()
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('#rdToolsPct-error')).toHaveText('请填写 0–100 之间的数值，最多一位小数')
  await checkA11y(page)

  await page.getByLabel('数字化研发设计工具普及率（%）').fill('85.5')
  await page.getByRole('button', { name: '保存档案' }).click()
  await expect(page.getByText('一企一档已保存')).toBeVisible()
  await expect(page.getByTestId('completeness-percent')).toHaveText('已完成 100%')
  await checkA11y(page)

  // A title held: its expiry defaults to three years after the award.
  await page.getByRole('combobox', { name: '称号', exact: true }).selectOption('advanced')
  await page.getByLabel('认定单位').fill('江苏省工业和信息化厅')
  await page.getByLabel('认定日期').fill('2024-05-20')
  await page.getByRole('button', { name: '添加称号' }).click()
  await expect(page.getByText('称号已添加')).toBeVisible()
  const row = page.getByRole('row', { name: /先进级智能工厂/ })
  await expect(row).toContainText('2027-05-20')
  await checkA11y(page)

  // On a phone, the archive page fits and shows the history of changes, newest first.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByRole('link', { name: '查看档案页' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  const history = page.locator('#history')
  await expect(history.getByText('添加梯度称号')).toBeVisible()
  await expect(history.getByText('更新一企一档')).toBeVisible()
  await expect(history.getByText('数字化研发设计工具普及率：未填 → 85.5%')).toBeVisible()
  await expect(page.getByText('合同将在签约功能上线后显示。')).toBeVisible()
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 800 })
  await signOut(page)

  // The 扬州 agency finds it among the 规上 enterprises of its jurisdiction and opens its archive.
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/agency/enterprises?aboveScale=1')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('辖区企业')
  await expect(page.getByTestId('coverage')).toBeVisible()
  await page.getByLabel('地区').selectOption('321023')
  await page.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/region=321023/)
  await checkA11y(page)
  const listed = page.getByRole('row', { name: new RegExp(orgName) })
  await expect(listed).toContainText('100%')
  await listed.getByRole('link', { name: orgName }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await expect(page.getByText('您以辖区主管部门身份查阅此档案。', { exact: false })).toBeVisible()
  await expect(page.locator('strong', { hasText: '先进级智能工厂' })).toBeVisible()
  await checkA11y(page)

  // From the archive the agency opens the title and revokes it (issue 16 §7). (A revocation,
  // not a downgrade: the titles journey counts the demo's downgrades in this jurisdiction.)
  await page.getByRole('link', { name: '查看与复核 先进级智能工厂' }).click()
  await expect(page).toHaveURL(/\/agency\/titles\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('先进级智能工厂')
  await page.getByLabel('复核结果').selectOption('revoked')
  await page.getByLabel('说明', { exact: false }).fill('申报材料与实际不符')
  await page.getByRole('button', { name: '提交复核决定' }).click()
  await expect(page.getByText('复核决定已记录')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The enterprise: the revoked title is the agency's record now — it cannot be removed, and
  // only the reward is still the enterprise's to record.
  await signIn(page, phone, PASSWORD)
  await gotoReady(page, '/enterprise/archive')
  const advancedRow = page.getByRole('row', { name: /先进级智能工厂/ })
  await expect(advancedRow).toContainText('已撤销')
  await expect(advancedRow).toContainText(/\d{4}-\d{2}-\d{2} 撤销/)
  await expect(advancedRow.getByRole('button', { name: /删除/ })).toHaveCount(0)
  await advancedRow.getByRole('link', { name: /修改/ }).click()
  await expect(page.getByRole('note').filter({ hasText: '以工信部门的复核决定为准' })).toBeVisible()
  await expect(page.getByLabel('认定日期')).toHaveCount(0)
  await page.getByLabel('已获奖励（万元）').fill('100')
  await page.getByRole('button', { name: '保存称号' }).click()
  await expect(page.getByText('称号已修改')).toBeVisible()
  await checkA11y(page)
})
