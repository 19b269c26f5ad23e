import { AGENCY_YANGZHOU, ENTERPRISE_A, PROVIDER_A, SUPERVISOR_A } from './server-db.js'
import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  DEMO_PASSWORD,
  expect,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
} from './support.js'

/*
 * 服务券 (issue 16 §5): 企业 A finds the demo voucher the supervisor signed off and confirms
 * completion online; the 扬州 agency sees it waiting for release, releases the subsidy (the
 * timeline shows every step), is told what a scheme form misses, and reads /vouchers in
 * English and on a 390 px phone. Then the steps before: 服务商 A submits an accepted
 * milestone of the issued voucher's contract as its stage evidence (after being told to pick
 * one), and the demo 监理 signs it off, so 企业 A has it to confirm. axe on every page.
 */

test('企业 A confirms a signed-off voucher, the 扬州 agency releases the subsidy', async ({ page }) => {
  test.setTimeout(300_000)
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, '/vouchers')
  await expect(page.getByRole('heading', { level: 1, name: '服务券' })).toBeVisible()
  await expect(page.getByText('有 1 张服务券等待本单位处理。')).toBeVisible()
  await checkA11y(page)
  const list = page.getByRole('region', { name: '服务券列表' })
  await list.getByRole('row').filter({ hasText: '待企业确认' }).getByRole('link').click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待企业确认')
  await expect(page.getByRole('heading', { name: '阶段成果' })).toBeVisible()
  await checkA11y(page)
  await page.getByRole('button', { name: '确认服务完成' }).click()
  await expect(page.getByText('已确认服务完成，已通知主管部门。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待拨付')
  const url = page.url()
  await signOut(page)

  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/vouchers')
  await expect(page.getByRole('table', { name: '服务券方案' })).toContainText('扬州市智改数转服务券')
  await expect(page.getByText(/已由企业确认，等待拨付/)).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, new URL(url).pathname)
  await page.getByLabel('拨付凭证号').fill('扬财拨〔2026〕88号')
  await page.getByRole('button', { name: '拨付补贴' }).click()
  await expect(page.getByText('补贴已拨付。')).toBeVisible()
  const timeline = page.locator('ol.timeline')
  for (const step of ['发放服务券', '服务商提交阶段成果', '监理签认', '企业确认完成', '拨付补贴'])
    await expect(timeline.getByText(step, { exact: true })).toBeVisible()
  await checkA11y(page)

  // A scheme form sent empty names what is missing.
  await gotoReady(page, '/vouchers/schemes/new')
  await page.getByRole('button', { name: '保存方案' }).click()
  await expect(page.locator('.error-summary')).toContainText('请填写方案名称')
  await checkA11y(page)

  // In English, then on a phone.
  await gotoReady(page, '/vouchers')
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1, name: 'Service vouchers' })).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  // The notice of the enterprise's confirmation reads in the reader's language, not the sender's.
  await gotoReady(page, '/notifications')
  const notice = page.getByRole('listitem').filter({ hasText: 'A service voucher moved on' }).first()
  await expect(notice).toContainText('Completion confirmed by the enterprise')
  await expect(notice).not.toContainText('企业确认完成')
  await checkA11y(page)
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/vouchers')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 800 })
  await chooseLanguage(page, 'zh-CN')
  await signOut(page)

  // 服务商 A: the issued voucher waits for its stage evidence.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/vouchers')
  await page.getByRole('region', { name: '服务券列表' }).getByRole('row').filter({ hasText: '已发放' }).getByRole('link').click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('已发放')
  await checkA11y(page)
  // Nothing picked: told so, nothing changes.
  await page.getByRole('button', { name: '提交阶段成果' }).click()
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('已发放')
  const picks = page.getByRole('group', { name: /选择已验收的里程碑/ })
  await picks.getByRole('checkbox').first().check()
  await page.getByLabel('成果说明').fill('第一阶段设备联调完成，验收材料见里程碑。')
  await page.getByRole('button', { name: '提交阶段成果' }).click()
  await expect(page.getByText('阶段成果已提交，已通知监理机构。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待监理签认')
  await expect(page.getByRole('heading', { name: '阶段成果' })).toBeVisible()
  await expect(page.getByRole('region', { name: '阶段成果' })).toContainText('第一阶段设备联调完成，验收材料见里程碑。')
  const submitted = new URL(page.url()).pathname
  await signOut(page)

  // The demo 监理 signs it off: it is 企业 A's to confirm.
  await signIn(page, SUPERVISOR_A, DEMO_PASSWORD)
  await gotoReady(page, submitted)
  await checkA11y(page)
  await page.getByRole('button', { name: '签认', exact: true }).click()
  await expect(page.getByText('已签认，已通知企业确认。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待企业确认')
  const steps = page.locator('ol.timeline')
  for (const step of ['服务商提交阶段成果', '监理签认']) await expect(steps.getByText(step, { exact: true })).toBeVisible()
})
