import crypto from 'node:crypto'
import type { Page } from '@playwright/test'
import {
  answerConfirmDialog,
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
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

const PASSWORD = 'Factory-upgrade-2026'

/** A new enterprise in 宝应县, approved by the 扬州 agency (the demo's verified enterprises stay as they are). */
const verifiedEnterprise = (page: Page, phone: string, orgName: string) =>
  verifiedOrgThroughPages(
    page,
    { person: '孙工', phone, password: PASSWORD },
    { name: orgName, district: '宝应县', districtCode: '321023', industry: 'C34', contactName: '赵经理' },
  )

test('the owner of a verified enterprise updates its contact at once; changing its name sends it back to review', async ({
  page,
}) => {
  const phone = freshPhone('137')
  const suffix = crypto.randomInt(1000)
  const orgName = `扬州宝应数智机械有限公司${suffix}`
  const newName = `扬州宝应智能装备有限公司${suffix}`
  await verifiedEnterprise(page, phone, orgName)

  // The organisation page leads to the profile.
  await signIn(page, phone, PASSWORD)
  await gotoReady(page, '/org')
  await expect(page.locator('.badge', { hasText: '已认证' })).toBeVisible()
  await page.getByRole('link', { name: '修改组织信息' }).click()
  await expect(page).toHaveURL(/\/org\/edit$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改组织信息')
  await expect(page).toHaveTitle('修改组织信息 · 对接')
  await checkA11y(page)

  // A wrong phone: the error summary takes focus and links to the field.
  await page.getByLabel('联系人', { exact: true }).fill('钱经理')
  await page.getByLabel('联系电话').fill('打这个电话')
  await page.getByRole('button', { name: '保存联系信息' }).click()
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('.error-summary a[href="#contactPhone"]')).toBeVisible()
  await expect(page.locator('#contactPhone-error')).toHaveText('联系电话格式不正确')
  await checkA11y(page)

  // By keyboard: from the summary's link to the field, corrected, sent with Enter.
  await page.keyboard.press('Tab')
  await expect(page.locator('.error-summary a[href="#contactPhone"]')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByLabel('联系电话')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('0514-86668888')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/org$/)
  await expect(page.getByRole('status').filter({ hasText: '联系信息已更新。' })).toBeVisible()
  await expect(page.locator('.badge', { hasText: '已认证' })).toBeVisible()
  await expect(page.locator('.facts')).toContainText('钱经理 0514-86668888')
  await checkA11y(page)

  // On a phone: the page fits, and the registration change asks first, naming what follows.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/org/edit')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await expect(page.getByText('修改其中任何一项，组织都将回到待审核状态')).toBeVisible()
  await page.getByLabel('组织名称').fill(newName)
  await page.getByRole('button', { name: '提交修改并重新审核' }).click()
  // Cancel changes nothing.
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()
  await page.getByRole('button', { name: '提交修改并重新审核' }).click()
  await expect(page.getByRole('dialog')).toContainText('已发布的需求也不在需求大厅显示')
  const box = await page.getByRole('dialog').boundingBox()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(390)
  await answerConfirmDialog(page, `修改 ${orgName} 的登记信息并重新提交审核？`, '提交修改并重新审核')
  await expect(page).toHaveURL(/\/org$/)
  await expect(page.getByRole('status').filter({ hasText: '登记信息已提交审核' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(newName)
  await expect(page.locator('.badge', { hasText: '待审核' })).toBeVisible()
  await expect(page.getByText(/审核部门：.*扬州市工业和信息化局/)).toBeVisible()
  await checkA11y(page)

  // The edit page in English: the pending application to correct, in English.
  await page.setViewportSize({ width: 1280, height: 900 })
  await chooseLanguage(page, 'en')
  await gotoReady(page, '/org/edit')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit application')
  expect(await chineseOutsideData(page)).toEqual([])
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)
  await signOut(page)

  // The agency reads both in words, and finds the application in its queue again.
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/agency/audit-log')
  await expect(page.getByText(`修改了 ${newName} 的登记信息，重新提交审核`).first()).toBeVisible()
  await expect(page.getByText(`更新了 ${newName} 的联系信息`).first()).toBeVisible()
  await gotoReady(page, `/agency/audits?q=${encodeURIComponent(newName)}`)
  await expect(page.getByRole('row', { name: new RegExp(newName) })).toBeVisible()
})

test('a verified organisation’s profile page reads in English', async ({ page }) => {
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await chooseLanguage(page, 'en')
  await gotoReady(page, '/org/edit')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit organisation details')
  await expect(page.getByRole('heading', { name: 'Contact details' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Registration' })).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
})
