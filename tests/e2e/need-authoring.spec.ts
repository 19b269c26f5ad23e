import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  DEMO,
  DEMO_PASSWORD,
  expect,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
} from './support.js'

/*
 * Needs written by enterprises (issue 12): a verified enterprise writes a need in 我的需求
 * and publishes it; a visitor finds it in the hall by a Chinese word of its text; the
 * owner edits it (the change is listed on its page), then withdraws it, and it is gone
 * from the hall. The form fits a 390 px phone.
 */

function inDays(days: number): string {
  const d = new Date()
  d.setDate(d.getDate() + days)
  return d.toISOString().slice(0, 10)
}

test('an enterprise writes a need, publishes it, a visitor finds it, the owner edits and withdraws it', async ({ page }) => {
  const stamp = String(Date.now()).slice(-5)
  const title = `铸造车间砂芯搬运机器人改造${stamp}`

  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, '/enterprise/needs')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的需求')
  await expect(page.getByRole('navigation', { name: '按状态筛选' })).toContainText('全部')
  await page.getByRole('link', { name: '发布新需求' }).first().click()
  await expect(page).toHaveURL(/\/enterprise\/needs\/new$/)
  await checkA11y(page)

  // Sent empty: every missing field is named at the top, and the summary takes focus.
  await page.getByLabel('需求标题').fill('')
  await page.getByRole('button', { name: '保存并发布' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('请填写需求标题')
  await expect(summary).toContainText('请选择 1–5 个改造场景')
  await checkA11y(page)

  await page.getByLabel('需求标题').fill(title)
  await page.getByLabel('需求描述').fill('砂芯制作后依靠人工搬运与下芯，劳动强度大、破损率高，计划引入协作机器人完成搬运与下芯。')
  await page.getByLabel('改造目标层级').selectOption('digital_workshop')
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('预算下限（万元）').fill('80')
  await page.getByLabel('预算上限（万元）').fill('150')
  await page.getByLabel('预计开始日期').fill(inDays(60))
  await page.getByLabel('预计周期（月）').fill('6')
  await page.getByLabel('投标截止日期').fill(inDays(20))
  await page.getByRole('button', { name: '保存并发布' }).click()

  await expect(page).toHaveURL(/\/enterprise\/needs\/\d+$/)
  const id = Number(/(\d+)$/.exec(page.url())![1])
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(page.locator('.notice-success')).toContainText('需求已发布')
  await checkA11y(page)

  // A visitor finds it by a word of its text.
  await signOut(page)
  await gotoReady(page, '/needs?q=砂芯')
  await expect(page.getByRole('link', { name: title })).toBeVisible()

  // The owner edits it: the change is listed on its public page.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, `/enterprise/needs/${id}/edit`)
  await page.getByLabel('预算上限（万元）').fill('180')
  await page.getByRole('button', { name: '保存修改' }).click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/needs/${id}$`))
  await checkA11y(page)
  await gotoReady(page, `/needs/${id}`)
  await expect(page.locator('section', { hasText: '修改记录' })).toContainText('150 → 180')

  // On a phone the form fits.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/enterprise/needs/new')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, '/enterprise/needs')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })

  // Withdrawn, with a reason and after confirming: gone from the hall.
  await gotoReady(page, `/enterprise/needs/${id}`)
  await page.getByLabel('撤回原因').fill('预算调整，暂缓实施')
  await page.getByRole('button', { name: '撤回需求' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('撤回这条需求？')
  await checkA11y(page)
  await dialog.getByRole('button', { name: '撤回需求' }).click()
  await expect(page.locator('.badges')).toContainText('已撤回')
  await expect(page.getByText('原因：预算调整，暂缓实施').first()).toBeVisible()
  await checkA11y(page)

  // In English, with no Chinese outside data.
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  for (const path of ['/enterprise/needs', '/enterprise/needs/new']) {
    await gotoReady(page, path)
    expect(await chineseOutsideData(page), path).toEqual([])
  }
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)

  await signOut(page)
  await gotoReady(page, '/needs?q=砂芯')
  await expect(page.getByRole('link', { name: title })).toHaveCount(0)
  expect((await page.goto(`/needs/${id}`))?.status()).toBe(404)
  await checkA11y(page)
})
