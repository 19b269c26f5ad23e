import crypto from 'node:crypto'
import type { Page } from '@playwright/test'
import { checkA11y, DEMO, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Contract templates (issue 11 item 4): an agency publishes an official template
 * (官方范本); a provider derives its own from it, gets the milestone sum wrong (refused,
 * with the sum), fixes it, sees what differs from the official text and the printable
 * A4 view; the pages fit a 390 px phone; the milestone rows work without scripts.
 */

const PROVIDER_A = '13900000011'

/** Fills milestone row `n` (1-based). */
async function milestone(page: Page, n: number, name: string, percent: string, criteria = '') {
  await page.getByLabel(`第 ${n} 个节点：名称`).fill(name)
  await page.getByLabel(`第 ${n} 个节点：比例（%）`).fill(percent)
  await page.getByLabel(`第 ${n} 个节点：付款条件`).fill(criteria)
}

test('a provider derives its contract from an official template, fixes the milestone sum, sees the differences and prints it', async ({
  page,
}) => {
  const suffix = crypto.randomInt(100_000)
  const officialTitle = `扬州市智能化改造标准合同（示范文本）${suffix}`
  const ownTitle = `扬州智造智能化改造合同 ${suffix}`

  // The agency publishes an official template from its workspace (/org → 发布官方合同范本).
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '发布官方合同范本' }).click()
  await expect(page).toHaveURL(/\/org\/templates$/)
  await checkA11y(page)
  await page.getByRole('link', { name: '发布官方范本' }).first().click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('新建合同范本')
  await checkA11y(page)
  await page.getByLabel('范本名称').fill(officialTitle)
  await page.getByLabel('设备运行监测').check()
  await page.getByLabel('智能在线检测').check()
  await page.getByLabel('施工周期（天）').fill('180')
  await page.getByLabel('质保期（月）').fill('24')
  await page.getByLabel('技术标准').fill('GB/T 39116-2020\nGB/T 20720.1-2019\nGB/T 22239-2019')
  await page.getByLabel('验收标准').fill('按合同技术附件逐项验收；系统连续稳定试运行不少于 30 日。')
  await page.getByLabel('工程质量条款').fill('工程质量符合国家、行业现行标准及合同技术附件要求。')
  await page.getByLabel('价格区间').check()
  await page.getByLabel('最低（万元）').fill('100')
  await page.getByLabel('最高（万元）').fill('500')
  await milestone(page, 1, '预付款', '30', '合同签订后 10 个工作日内')
  await milestone(page, 2, '到货安装款', '30', '主要设备到货并安装调试完成')
  await milestone(page, 3, '验收款', '35', '通过竣工验收')
  await milestone(page, 4, '质保金', '5', '质保期满')
  await expect(page.locator('.milestone-sum')).toHaveText('比例合计 100%')
  await page.getByLabel('争议解决').fill('协商不成的，提交扬州仲裁委员会仲裁。')
  await page.getByRole('button', { name: '发布官方范本' }).click()
  await expect(page).toHaveURL(/\/templates\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(officialTitle)
  await expect(page.locator('.badge-official').first()).toHaveText('官方范本')
  await checkA11y(page)
  const officialUrl = page.url()
  await signOut(page)

  // A provider finds it on /templates (official first) and derives its own.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/templates')
  await expect(page.getByRole('link', { name: officialTitle })).toBeVisible()
  await page.getByRole('link', { name: officialTitle }).click()
  await expect(page).toHaveURL(officialUrl)
  await checkA11y(page)
  await page.getByRole('link', { name: '以此为基础创建我的合同' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('从官方范本派生')
  await expect(page.getByLabel('范本名称')).toHaveValue(officialTitle)
  await expect(page.getByLabel('第 3 个节点：比例（%）')).toHaveValue('35')
  await checkA11y(page)
  await page.getByLabel('范本名称').fill(ownTitle)
  await page.getByLabel('施工周期（天）').fill('150')

  // A wrong sum: the running sum says so as one types, and the server refuses it with the sum.
  await page.getByLabel('第 3 个节点：比例（%）').fill('25')
  await expect(page.locator('.milestone-sum')).toHaveText('比例合计 90%，须为 100%')
  await page.getByRole('button', { name: '保存合同范本' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('付款节点比例合计须为 100%，当前为 90%')
  await expect(page.getByLabel('范本名称')).toHaveValue(ownTitle)
  await checkA11y(page)
  // By keyboard: the summary's link leads to the milestones.
  await page.keyboard.press('Tab')
  await expect(summary.locator('a[href="#milestones"]')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('#milestones')).toBeFocused()

  // Fixed: the guarantee money grows to 15 %.
  await page.getByLabel('第 4 个节点：比例（%）').fill('15')
  await expect(page.locator('.milestone-sum')).toHaveText('比例合计 100%')
  await page.getByRole('button', { name: '保存合同范本' }).click()
  await expect(page).toHaveURL(/\/templates\/\d+$/)
  await expect(page.getByText('合同范本已保存。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ownTitle)
  await checkA11y(page)

  // What differs from the official text: the period, and two milestones changed.
  const diff = page.locator('section.template-diff')
  await expect(diff.getByRole('heading', { name: '与所派生范本的差异' })).toBeVisible()
  await expect(diff.getByRole('link', { name: officialTitle })).toBeVisible()
  const period = diff.locator('li', { hasText: '施工周期' })
  await expect(period.locator('del')).toHaveText('180 天')
  await expect(period.locator('ins')).toHaveText('150 天')
  await expect(diff.locator('li', { hasText: '付款节点 · 修改' })).toHaveCount(2)
  await expect(diff.locator('li', { hasText: '验收款' }).locator('ins')).toContainText('25%')

  // The printable view: A4, the document alone with its signing block, no navigation or buttons.
  await expect(page.getByRole('button', { name: '打印' })).toBeVisible()
  await page.emulateMedia({ media: 'print' })
  await expect(page.locator('.site-header')).toBeHidden()
  await expect(page.locator('.site-footer')).toBeHidden()
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden()
  await expect(diff).toBeHidden()
  await expect(page.locator('.contract-signatures')).toBeVisible()
  await expect(page.locator('.contract-signatures')).toContainText('甲方（盖章）')
  await expect(page.getByRole('heading', { name: /第七条 付款方式/ })).toBeVisible()
  const pdf = await page.pdf({ preferCSSPageSize: true })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  // @page { size: A4 }: every page 595 × 842 points (Chromium rounds through CSS pixels).
  const boxes = [...pdf.toString('latin1').matchAll(/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)]
  expect(boxes.length).toBeGreaterThan(0)
  for (const [, w, h] of boxes) {
    expect(Math.abs(Number(w) - 595.28)).toBeLessThan(1)
    expect(Math.abs(Number(h) - 841.89)).toBeLessThan(1)
  }
  await page.emulateMedia({ media: 'screen' })

  // On a phone: the page and the edit form fit 390 px.
  const ownUrl = page.url()
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, ownUrl)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.getByRole('link', { name: '编辑', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('编辑合同范本')
  await expect(page.getByText('尚未被引用，保存将直接更新该版本')).toBeVisible()
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, '/templates')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, '/org/templates')
  await expect(page.getByRole('link', { name: ownTitle, exact: true })).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})

test('the milestone rows work without scripts: a wrong sum comes back with what was typed', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  try {
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(PROVIDER_A)
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
    await page.goto('/org/templates/new')
    await checkA11y(page, { scripts: false })
    const title = `无脚本合同范本 ${crypto.randomInt(100_000)}`
    await page.getByLabel('范本名称').fill(title)
    await page.getByLabel('质量追溯').check()
    await page.getByLabel('技术标准').fill('GB/T 39116-2020')
    await page.getByLabel('验收标准').fill('逐项验收')
    await page.getByLabel('面议').check()
    await milestone(page, 1, '预付款', '50')
    await milestone(page, 2, '验收款', '40')
    await page.getByLabel('争议解决').fill('协商解决')
    await page.getByRole('button', { name: '保存合同范本' }).click()
    await expect(page.locator('.error-summary')).toContainText('付款节点比例合计须为 100%，当前为 90%')
    await expect(page.getByLabel('第 2 个节点：名称')).toHaveValue('验收款')
    await expect(page.getByLabel('范本名称')).toHaveValue(title)
    await expect(page.locator('.milestone-sum')).toHaveText('比例合计 90%，须为 100%')
    await checkA11y(page, { scripts: false })
    await page.getByLabel('第 2 个节点：比例（%）').fill('50')
    await page.getByRole('button', { name: '保存合同范本' }).click()
    await expect(page).toHaveURL(/\/templates\/\d+$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    await checkA11y(page, { scripts: false })
  } finally {
    await context.close()
  }
})

test('a provider forms a consortium: members found by name, shares that must sum to 100, on a phone too', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '组建联合体（总承包 + 分包）' }).click()
  await expect(page).toHaveURL(/\/provider\/consortia$/)
  await checkA11y(page)
  await page.getByRole('link', { name: '组建联合体' }).first().click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('组建联合体')
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)

  // Search verified providers by name and add the first found.
  await page.getByLabel('按名称搜索认证服务商').fill('科技')
  await page.getByRole('button', { name: '搜索' }).click()
  const add = page.getByRole('link', { name: /^添加/ }).first()
  await expect(add).toBeVisible()
  await checkA11y(page)
  await add.click()
  await expect(page.locator('#m1Share')).toBeVisible()
  const name = `扬州智能工厂联合体 ${crypto.randomInt(100_000)}`
  await page.getByLabel('联合体名称').fill(name)
  await page.locator('#leadShare').fill('60')
  await page.locator('#m1Share').fill('30')
  await expect(page.locator('.milestone-sum')).toHaveText('份额合计 90%，须为 100%')
  await page.getByRole('button', { name: '发出邀请' }).click()
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('.error-summary')).toContainText('份额合计须为 100%，当前为 90%')
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)

  await page.locator('#m1Share').fill('40')
  await expect(page.locator('.milestone-sum')).toHaveText('份额合计 100%')
  await page.getByRole('button', { name: '发出邀请' }).click()
  await expect(page).toHaveURL(/\/provider\/consortia\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
  await expect(page.locator('.badges .badge')).toHaveText('组建中')
  await expect(page.locator('.data-table .badge-invited')).toHaveText('待确认')
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})
