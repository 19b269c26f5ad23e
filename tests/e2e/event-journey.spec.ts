import type { Page } from '@playwright/test'
import { AGENCY_YANGZHOU, ENTERPRISE_A, orgOf, PROVIDER_A, serverDb } from './server-db.js'
import { answerConfirmDialog, checkA11y, DEMO_PASSWORD, expect, gotoReady, signIn, signOut, test } from './support.js'

/*
 * The journey of issue 15 through the pages: the 扬州 agency runs an event from 需求发榜
 * to 意向签约 with two enterprises and three providers — it lists enterprise A's and
 * enterprise B's needs, providers A, the demo 诊断咨询机构 and the demo 监理机构 register and are approved,
 * meetings are scheduled (provider A asks enterprise A, enterprise A accepts, 排期 places
 * it), a letter of intent is recorded — and the event's outcome page and 对接会成效 show
 * it. The two needs are written into the server's database first (published, with titles
 * this run alone uses, so the 需求发榜 search finds exactly them).
 */

const ENTERPRISE_B = '13900000002'
const SUPERVISOR = '13900000014'
const DIAGNOSER = '13900000013'
const stamp = Date.now() % 1_000_000
const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)

async function publishNeeds(): Promise<{ titles: [string, string]; providers: string[]; enterpriseA: string }> {
  const { db, close } = serverDb()
  try {
    const now = new Date().toISOString()
    const titles: [string, string] = [`对接会旅程 ${stamp}：焊装线设备联网`, `对接会旅程 ${stamp}：成品仓储智能化`]
    for (const [i, phone] of [ENTERPRISE_A, ENTERPRISE_B].entries()) {
      const org = await orgOf(db, phone)
      const { region_code } = await db
        .selectFrom('organisations')
        .select('region_code')
        .where('id', '=', org.id)
        .executeTakeFirstOrThrow()
      await db
        .insertInto('needs')
        .values({
          org_id: org.id,
          title: titles[i]!,
          industry_code: 'C36',
          region_code,
          budget_min_wan: 50,
          budget_max_wan: 150,
          description: '改造需求：设备联网、数据采集与看板。',
          expected_start: '2027-03-01',
          duration_months: 4,
          target_level: 'digital_workshop',
          status: 'published',
          visibility: 'public',
          created_at: now,
          updated_at: now,
          published_at: now,
        })
        .execute()
    }
    const providers = [] as string[]
    for (const phone of [PROVIDER_A, DIAGNOSER, SUPERVISOR]) providers.push((await orgOf(db, phone)).name)
    return { titles, providers, enterpriseA: (await orgOf(db, ENTERPRISE_A)).name }
  } finally {
    await close()
  }
}

async function advance(page: Page, stage: string) {
  await page.getByRole('button', { name: `进入“${stage}”` }).click()
  await answerConfirmDialog(page, `确定进入“${stage}”阶段吗？`, '进入下一阶段')
  await expect(page.getByText('对接会已进入下一阶段。')).toBeVisible()
  await expect(page.locator('.page-head strong')).toHaveText(stage)
}

test('an agency runs an event from 发榜 to 意向签约 with two enterprises and three providers', async ({ page }) => {
  test.setTimeout(480_000)
  const { titles, providers, enterpriseA } = await publishNeeds()
  const title = `扬州市智改数转供需对接会（全流程 ${stamp}）`

  // The agency drafts the event and opens 需求发榜.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/events/new')
  await page.getByLabel('名称').fill(title)
  await page.getByLabel('开始日期').fill(chinaDay(7))
  await page.getByLabel('结束日期').fill(chinaDay(30))
  await page.getByRole('radio', { name: '线上', exact: true }).check()
  await page.getByLabel('线上地址').fill('https://live.example.com/yangzhou-journey')
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByText('对接会草稿已保存。')).toBeVisible()
  const eventUrl = new URL(page.url()).pathname
  const eventId = eventUrl.split('/').pop()!
  await advance(page, '需求发榜')

  // 需求发榜: both enterprises' needs, found by the run's words.
  await gotoReady(page, `/agency/events/${eventId}/needs`)
  await page.getByLabel('关键词').fill(`对接会旅程 ${stamp}`)
  await page.getByRole('button', { name: '搜索' }).click()
  for (const need of titles) {
    await page.getByRole('button', { name: `加入榜单 ${need}` }).click()
    await expect(page.getByText('需求已加入榜单。')).toBeVisible()
  }
  await expect(page.getByRole('heading', { name: '榜单需求（2）' })).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, eventUrl)
  await advance(page, '服务商征集')
  await signOut(page)

  // 服务商征集: three providers register on the public page.
  for (const phone of [PROVIDER_A, DIAGNOSER, SUPERVISOR]) {
    await signIn(page, phone, DEMO_PASSWORD)
    await gotoReady(page, `/events/${eventId}`)
    await page.getByLabel('报名说明').fill('有同行业设备联网与 MES 实施案例。')
    await page.getByRole('button', { name: '报名参加' }).click()
    await expect(page.getByText('报名已提交，请等待主办单位审核。')).toBeVisible()
    await signOut(page)
  }

  // The agency approves all three and sets the meeting grid.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/providers`)
  const approve = page.getByRole('button', { name: /^通过/ })
  await expect(approve).toHaveCount(3)
  for (let left = 2; left >= 0; left -= 1) {
    await approve.first().click()
    // Each approval reloads the list: one button fewer (the notice stays from the first).
    await expect(approve).toHaveCount(left)
  }
  await expect(page.getByText('已通过服务商报名，服务商会收到通知。')).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, `/agency/events/${eventId}/meetings`)
  await page.getByLabel('每日结束时间').fill('10:00')
  await page.getByLabel('洽谈桌数').fill('2')
  await page.getByLabel('洽谈地点').fill('线上会议室')
  await page.getByRole('button', { name: '保存洽谈设置' }).click()
  await expect(page.getByText('洽谈设置已保存。')).toBeVisible()
  await signOut(page)

  // Provider A asks enterprise A for a meeting about its need; enterprise A accepts.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/meetings`)
  await page.getByRole('button', { name: '保存可约时段' }).click()
  await expect(page.getByText('已保存 2 个可约时段。')).toBeVisible()
  const row = page.locator('tr', { hasText: titles[0] })
  await row.getByLabel('留言（可选）').fill('想先了解焊装线的设备清单。')
  await row.getByRole('button', { name: /发送邀约/ }).click()
  await expect(page.getByText('邀约已发送，等待对方回复。')).toBeVisible()
  await signOut(page)

  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/meetings`)
  await page.getByRole('button', { name: '保存可约时段' }).click()
  await expect(page.getByText('已保存 2 个可约时段。')).toBeVisible()
  await page.getByRole('button', { name: '接受', exact: true }).click()
  await expect(page.getByText('已接受邀约，等待主办方排期。')).toBeVisible()
  await signOut(page)

  // 排期, then on through the stages to 意向签约, and the letter of intent.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/meetings`)
  await page.getByRole('button', { name: '运行排期' }).click()
  await expect(page.getByText('排期完成：新排 1 场，0 场未能排入。')).toBeVisible()
  await expect(page.getByRole('table', { name: /洽谈安排/ })).toContainText(`${enterpriseA} — ${providers[0]}`)
  await checkA11y(page)
  await gotoReady(page, eventUrl)
  await advance(page, '现场调研')
  await advance(page, '方案评选')
  await advance(page, '意向签约')
  await gotoReady(page, `/agency/events/${eventId}/intents`)
  const recordIntent = async (amount: string) => {
    await page.getByRole('combobox', { name: '需求', exact: true }).selectOption({ label: titles[0] })
    await page.getByRole('combobox', { name: '服务商', exact: true }).selectOption({ label: providers[0]! })
    await page.getByLabel('意向金额（万元）').fill(amount)
    await page.getByRole('button', { name: '登记意向' }).click()
    await expect(page.getByText('签约意向已登记，30、90、180 天跟进已生成。')).toBeVisible()
  }
  // A wrong amount: struck out with a reason, then the pair recorded again.
  await recordIntent('12')
  await page.getByLabel('撤销原因').fill('金额填写有误')
  await page.getByRole('button', { name: '撤销', exact: true }).click()
  await expect(page.getByText('签约意向已撤销。')).toBeVisible()
  await recordIntent('120')
  await expect(page.getByText(/已撤销：\s*金额填写有误/)).toBeVisible()
  await checkA11y(page)

  // The outcome: two needs, three providers, one meeting, one intent of 120 万元 — per event and over time.
  await gotoReady(page, `/agency/events/${eventId}/outcomes`)
  await expect(page.getByTestId('outcome-needs')).toHaveText('2')
  await expect(page.getByTestId('outcome-providers')).toHaveText('3')
  await expect(page.getByTestId('outcome-meetings')).toHaveText('1')
  await expect(page.getByTestId('outcome-intents')).toHaveText('1')
  await expect(page.getByTestId('outcome-intentAmountWanX100')).toHaveText('120 万元')
  await checkA11y(page)
  await gotoReady(page, '/agency/outcomes')
  await expect(page.getByRole('link', { name: title })).toBeVisible()
  await checkA11y(page)
})
