import type { Page } from '@playwright/test'
import { answerConfirmDialog, checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Matchmaking events (issue 15 §1), through the pages: the 扬州 agency creates an event
 * (a draft), opens 需求发榜 (asked first), lists a published need of its jurisdiction,
 * opens 服务商征集; provider A finds the event on /events and registers with a note; the
 * agency approves it, moves the event on to 意向签约 and records a letter of intent, whose
 * 30/90/180-day follow-ups appear in the due list; the public page and the progress view
 * fit a 390 px phone. axe on every page.
 */

const AGENCY = '13900000021'
const PROVIDER_A = '13900000011'
const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)

async function advance(page: Page, stage: string) {
  await page.getByRole('button', { name: `进入“${stage}”` }).click()
  await answerConfirmDialog(page, `确定进入“${stage}”阶段吗？`, '进入下一阶段')
  await expect(page.getByText('对接会已进入下一阶段。')).toBeVisible()
  await expect(page.locator('.page-head strong')).toHaveText(stage)
  await checkA11y(page)
}

test('an event from its draft to a letter of intent', async ({ page }) => {
  test.setTimeout(180_000)
  const title = `扬州市智改数转对接会（旅程 ${Date.now() % 100000}）`

  await signIn(page, AGENCY, DEMO_PASSWORD)
  await gotoReady(page, '/agency/events')
  // The demo's event in 服务商征集 and its draft are listed.
  await expect(page.getByRole('link', { name: '2026 年扬州市智改数转供需对接会（第一批）' })).toBeVisible()
  await page.getByRole('link', { name: '新建对接会' }).click()
  await expect(page.getByRole('heading', { name: '新建对接会', level: 1 })).toBeVisible()
  await checkA11y(page)

  // A missing title is named, and nothing is created.
  await page.getByLabel('开始日期').fill(chinaDay(10))
  await page.getByLabel('结束日期').fill(chinaDay(12))
  await page.getByRole('radio', { name: '线上', exact: true }).check()
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByRole('link', { name: '请填写名称（2–120 字）。' })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('名称').fill(title)
  await page.getByLabel('线上地址').fill('https://live.example.com/yangzhou')
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByText('对接会草稿已保存。')).toBeVisible()
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible()
  await expect(page.locator('.page-head strong')).toHaveText('草稿')
  await checkA11y(page)
  const eventUrl = new URL(page.url()).pathname
  const eventId = eventUrl.split('/').pop()!

  await advance(page, '需求发榜')
  // Leaving 需求发榜 needs a listed need: the button says why it waits.
  await expect(page.getByText('暂不能进入下一阶段：榜单中还没有需求。')).toBeVisible()

  await page.getByRole('link', { name: '需求发榜', exact: true }).click()
  await expect(page.getByRole('heading', { name: '需求发榜', level: 1 })).toBeVisible()
  await checkA11y(page)
  const candidate = page.getByRole('button', { name: /^加入榜单/ }).first()
  const needTitle = ((await candidate.textContent()) ?? '').replace('加入榜单', '').trim()
  await candidate.click()
  await expect(page.getByText('需求已加入榜单。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '榜单需求（1）' })).toBeVisible()
  await checkA11y(page)

  await page.getByRole('link', { name: /返回对接会进度/ }).click()
  await checkA11y(page)
  await advance(page, '服务商征集')
  await signOut(page)

  // Provider A finds the event and registers.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/events?stage=open')
  await page.getByRole('link', { name: title }).click()
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible()
  await expect(page.getByRole('link', { name: needTitle })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('报名说明').fill('在汽车零部件行业有设备联网与 MES 实施案例。')
  await page.getByRole('button', { name: '报名参加' }).click()
  await expect(page.getByText('报名已提交，请等待主办单位审核。')).toBeVisible()
  await expect(page.getByText('报名状态：待审核')).toBeVisible()
  await checkA11y(page)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // The agency approves it and moves on to 意向签约.
  await signIn(page, AGENCY, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/providers`)
  await page.getByRole('button', { name: /^通过/ }).click()
  await expect(page.getByText('已通过服务商报名，服务商会收到通知。')).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, eventUrl)
  await advance(page, '现场调研')
  await advance(page, '方案评选')
  await advance(page, '意向签约')

  await page.getByRole('link', { name: '意向签约', exact: true }).click()
  await expect(page.getByRole('heading', { name: '意向签约与服务跟进', level: 1 })).toBeVisible()
  await checkA11y(page)
  await page.getByRole('combobox', { name: '需求', exact: true }).selectOption({ label: needTitle })
  await page.getByRole('combobox', { name: '服务商', exact: true }).selectOption({ index: 1 })
  await page.getByLabel('意向金额（万元）').fill('85.5')
  await page.getByRole('button', { name: '登记意向' }).click()
  await expect(page.getByText('签约意向已登记，30、90、180 天跟进已生成。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '待跟进（3）' })).toBeVisible()
  await expect(page.getByText('85.5 万元')).toBeVisible()
  await checkA11y(page)

  // The progress view counts it, on a phone too.
  await gotoReady(page, eventUrl)
  await expect(page.getByText('签约意向 1')).toBeVisible()
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})
