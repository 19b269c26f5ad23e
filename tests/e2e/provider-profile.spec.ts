import crypto from 'node:crypto'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import {
  answerConfirmDialog,
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

const PASSWORD = 'Capability-map-2026'

/** A new provider in 邗江区, approved by the 扬州 agency (the demo providers stay as they are). */
const verifiedProvider = (page: Page, phone: string, orgName: string) =>
  verifiedOrgThroughPages(
    page,
    { person: '钱工', phone, password: PASSWORD },
    { name: orgName, district: '邗江区', districtCode: '321003', providerKind: '系统解决方案供应商', contactName: '钱经理' },
  )

const percentOf = async (page: Page) => Number((await page.getByTestId('completeness-percent').textContent())!.replace('%', ''))

test('a provider fills its profile, adds a qualification and a case with metrics and an image, and sees them on its public page', async ({
  page,
}) => {
  test.setTimeout(240_000)
  const phone = freshPhone('136')
  const orgName = `扬州邗江智能视觉科技有限公司${crypto.randomInt(1000)}`
  await verifiedProvider(page, phone, orgName)

  // /org leads to the profile.
  await signIn(page, phone, PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '完善能力画像' }).click()
  await expect(page).toHaveURL(/\/provider\/profile$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('编辑能力画像')
  await expect(page).toHaveTitle('编辑能力画像 · 对接')
  await checkA11y(page)
  const before = await percentOf(page)
  await expect(page.getByRole('link', { name: '服务行业' })).toBeVisible()

  // A founding year from the future: the summary takes focus and leads to the field.
  await page.getByLabel('团队规模（人）').fill('45')
  await page.getByLabel('成立年份').fill('2999')
  await page.getByRole('button', { name: '保存能力画像' }).click()
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('#foundedYear-error')).toHaveText('成立年份应为 1900 年到今年之间的四位年份')
  await checkA11y(page)
  await page.locator('.error-summary a[href="#foundedYear"]').click()
  await expect(page.getByLabel('成立年份')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('2012')

  await page.getByLabel('网站').fill('www.hanjiang-vision.cn')
  await page.getByLabel('简介').fill('面向汽车零部件和电子制造的机器视觉检测与质量追溯系统集成。')
  await page.getByLabel('联系电话').fill('0514-87001234')
  await page.getByLabel('C36 汽车制造业').check()
  await page.getByLabel('C39 计算机、通信和其他电子设备制造业').check()
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('质量追溯').check()
  await page.getByLabel('省份').selectOption({ label: '江苏省' })
  await page.getByLabel('城市').selectOption({ label: '扬州市' })
  await page.getByRole('button', { name: '保存能力画像' }).click()
  await expect(page.getByRole('status').filter({ hasText: '能力画像已保存。' })).toBeVisible()
  await expect(page.getByLabel('江苏省 扬州市')).toBeChecked()
  await checkA11y(page)
  const afterProfile = await percentOf(page)
  expect(afterProfile).toBeGreaterThan(before)

  // A qualification, from the meter's link to what is missing.
  await page.getByRole('link', { name: '资质', exact: true }).click()
  await expect(page).toHaveURL(/\/provider\/qualifications#qualification-form$/)
  await checkA11y(page)
  await page.getByLabel('资质名称').fill('ISO 9001 质量管理体系')
  await page.getByLabel('发证机构').fill('中国质量认证中心')
  await page.getByLabel('证书编号').fill('00124Q31234R0M')
  await page.getByLabel('有效期至').fill('2027-02-28')
  await page.getByRole('button', { name: '添加资质' }).click()
  await expect(page.getByRole('status').filter({ hasText: '资质已添加。' })).toBeVisible()
  await expect(page.getByRole('row', { name: /ISO 9001 质量管理体系/ })).toContainText('有效')
  await checkA11y(page)

  // A case with two metrics and an image; its list is empty first.
  await gotoReady(page, '/provider/cases')
  await expect(page.getByText('还没有案例。')).toBeVisible()
  await page.getByRole('link', { name: '添加案例' }).click()
  await expect(page).toHaveURL(/\/provider\/cases\/new$/)
  await checkA11y(page)
  await page.getByLabel('案例标题').fill('汽车零部件冲压件机器视觉质检')
  await page.getByLabel('匿名展示').check()
  await page.getByLabel('匿名描述').fill('某汽车零部件企业')
  await page.getByLabel('客户所属行业').selectOption('C36')
  await page.getByLabel('实施年份').fill('2024')
  await page.getByLabel('项目投资（万元）').fill('280')
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('实施内容').fill('在 6 条冲压线部署视觉检测工位，缺陷图片与 MES 质量追溯打通。')
  await page.locator('#metric-0-name').fill('不良品率')
  await page.locator('#metric-0-before').fill('2.1')
  await page.locator('#metric-0-after').fill('0.6')
  await page.locator('#metric-0-unit').fill('%')
  await page.locator('#metric-1-name').fill('检测效率')
  await page.locator('#metric-1-before').fill('120')
  await page.locator('#metric-1-after').fill('300')
  await page.locator('#metric-1-unit').fill('件/小时')
  const image = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2a6fb0' } })
    .png()
    .toBuffer()
  await page.locator('#images').setInputFiles({ name: '检测工位.png', mimeType: 'image/png', buffer: image })
  await page.getByRole('button', { name: '保存案例' }).click()
  await expect(page).toHaveURL(/\/provider\/cases\/\d+$/)
  await expect(page.getByRole('status').filter({ hasText: '案例已添加。' })).toBeVisible()
  await expect(page.locator('.file-list img')).toHaveCount(1)
  await checkA11y(page)

  // The public page shows it all; the meter moved.
  await gotoReady(page, '/provider/cases')
  await expect(page.getByRole('row', { name: /汽车零部件冲压件机器视觉质检/ })).toContainText('自述')
  await page.getByRole('link', { name: '查看公开主页' }).click()
  await expect(page).toHaveURL(/\/providers\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await checkA11y(page)
  const publicPath = new URL(page.url()).pathname
  const card = page.locator('.case-card')
  await expect(card.getByRole('heading', { name: '汽车零部件冲压件机器视觉质检' })).toBeVisible()
  await expect(card).toContainText('某汽车零部件企业')
  await expect(card.getByRole('row', { name: /不良品率/ })).toContainText('71.4%')
  await expect(card.getByRole('row', { name: /不良品率/ })).toContainText('下降')
  await expect(card.getByRole('row', { name: /检测效率/ })).toContainText('150%')
  const thumb = card.locator('.case-thumbs img')
  await expect(thumb).toHaveCount(1)
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  await expect(page.getByRole('row', { name: /ISO 9001 质量管理体系/ })).toContainText('2027-02-28')
  await expect(page.getByText('暂无评价')).toBeVisible()
  await expect(page.getByText('0514-87001234')).toBeVisible()
  const onPublic = await percentOf(page)
  expect(onPublic).toBeGreaterThan(afterProfile)
  await expect(page.getByRole('list', { name: '待完善' }).getByRole('link', { name: '标准合同' })).toHaveAttribute(
    'href',
    '/org/templates/new',
  )

  // On a phone: nothing sticks out, on the public page and the forms.
  await page.setViewportSize({ width: 390, height: 844 })
  for (const path of [publicPath, '/provider/profile', '/provider/qualifications', '/provider/cases/new']) {
    await gotoReady(page, path)
    expect(await pageWidth(page), path).toBeLessThanOrEqual(390)
  }
  await page.setViewportSize({ width: 1280, height: 900 })

  // In English, nothing of the interface stays Chinese.
  await chooseLanguage(page, 'en')
  await gotoReady(page, '/provider/profile')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit capability profile')
  expect(await chineseOutsideData(page)).toEqual([])
  await page.getByRole('link', { name: 'View public page' }).click()
  await checkA11y(page)
  await expect(page.getByRole('heading', { name: 'Ratings', exact: true })).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)

  // Deleting the case asks first, in a dialog.
  await gotoReady(page, '/provider/cases')
  await page.getByRole('link', { name: '汽车零部件冲压件机器视觉质检' }).click()
  await expect(page).toHaveURL(/\/provider\/cases\/\d+$/)
  await checkA11y(page)
  await page.getByRole('button', { name: '删除案例' }).click()
  await answerConfirmDialog(page, '删除案例 汽车零部件冲压件机器视觉质检？', '删除案例')
  await expect(page).toHaveURL(/\/provider\/cases$/)
  await expect(page.getByRole('status').filter({ hasText: '案例已删除。' })).toBeVisible()
  await expect(page.getByText('还没有案例。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // A visitor sees the page, not the contact.
  await gotoReady(page, publicPath)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await expect(page.getByText('0514-87001234')).toHaveCount(0)
  await expect(page.getByText('登录后，已认证的企业和主管部门可查看联系方式。')).toBeVisible()
  await expect(page.getByTestId('completeness-percent')).toHaveCount(0)
})
