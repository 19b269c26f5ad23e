import { AGENCY_YANGZHOU, orgOf, PROVIDER_A, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, test } from './support.js'

/*
 * 数据看板 and 对接成效 (issue 15 §3, §6): the 扬州 agency reads its dashboard (each chart
 * drawn by the lazily loaded ECharts chunk, each followed by its table), narrows it to 宝应县,
 * reads the 2022 target completion of the demo's plan, downloads the workbook; then an event
 * of its own (prepared in the database: a demo contract's need in the batch, provider A
 * approved, a letter of intent) shows on 对接会成效 and on the event's outcome page, with the
 * contract counted. axe on every page, and the dashboard on a 390 px phone.
 */

const title = `看板验收对接会 ${Date.now()}`

function chinaDay(iso: string, offsetDays = 0): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000 + offsetDays * 86_400_000)
  return d.toISOString().slice(0, 10)
}

/** An event of the 扬州 agency whose batch holds a demo contract's need, created the day after the event began. */
async function prepareEvent(): Promise<number> {
  const { db, close } = serverDb()
  try {
    const agency = await orgOf(db, AGENCY_YANGZHOU)
    const provider = await orgOf(db, PROVIDER_A)
    const user = await db.selectFrom('users').select('id').where('phone', '=', AGENCY_YANGZHOU).executeTakeFirstOrThrow()
    const contract = await db
      .selectFrom('contracts')
      .select(['id', 'need_id', 'created_at'])
      .where('region_code', 'like', '321%')
      .where('status', 'in', ['active', 'completed'])
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const now = new Date().toISOString()
    const event = await db
      .insertInto('events')
      .values({
        organiser_org_id: agency.id,
        region_code: '321000',
        title,
        mode: 'onsite',
        venue: '扬州市会议中心',
        starts_on: chinaDay(contract.created_at, -1),
        ends_on: chinaDay(contract.created_at, -1),
        stage: 'follow_up',
        created_by: user.id,
        created_at: now,
        updated_at: now,
        stage_changed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('event_needs')
      .values({
        event_id: event.id,
        need_id: contract.need_id,
        source: 'agency',
        status: 'listed',
        created_by: user.id,
        created_at: now,
        decided_by: user.id,
        decided_at: now,
      })
      .execute()
    await db
      .insertInto('event_providers')
      .values({
        event_id: event.id,
        provider_org_id: provider.id,
        status: 'approved',
        created_by: user.id,
        created_at: now,
        decided_by: user.id,
        decided_at: now,
      })
      .execute()
    await db
      .insertInto('event_intents')
      .values({
        event_id: event.id,
        need_id: contract.need_id,
        provider_org_id: provider.id,
        amount_wan_x100: 12_550,
        signed_on: chinaDay(contract.created_at, -1),
        created_by: user.id,
        created_at: now,
      })
      .execute()
    return event.id
  } finally {
    await close()
  }
}

test('the 扬州 agency reads its dashboard, narrows it, and follows an event to its outcome', async ({ page }) => {
  test.setTimeout(180_000)
  const eventId = await prepareEvent()
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)

  await gotoReady(page, '/agency/dashboard')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('数据看板')
  await expect(
    page.getByRole('navigation', { name: /工作台|workspace/i }).getByRole('link', { name: '数据看板' }),
  ).toHaveAttribute('aria-current', 'page')
  await expect(page.getByTestId('summary-needs')).toHaveText(/^[1-9][\d,]*$/)
  const status = page.getByRole('region', { name: '需求状态分布' })
  await expect(status.getByRole('row')).toHaveCount(8)
  await expect(status.getByRole('row').filter({ hasText: '征集中' })).toHaveCount(1)
  // The charts: ECharts' chunk loaded after the page, each chart an image named after its table.
  await expect(page.locator('.dash-chart[data-state="ready"]').first()).toBeVisible()
  await expect(page.getByRole('img', { name: /需求状态分布/ })).toBeVisible()
  await expect(page.getByRole('region', { name: '各场景供需对比' }).getByRole('row').nth(1)).toBeVisible()
  await checkA11y(page)

  // Narrowed to 宝应县 for the year.
  await page.getByLabel('地区', { exact: true }).selectOption('321023')
  await page.getByRole('button', { name: '查看' }).click()
  await expect(page).toHaveURL(/region=321023/)
  await expect(page.getByRole('status').filter({ hasText: '宝应县' })).toBeVisible()
  await checkA11y(page)
  const workbook = await page.request.get('/agency/dashboard.xlsx?region=321023')
  expect(workbook.status()).toBe(200)
  expect(workbook.headers()['content-type']).toContain('spreadsheetml')

  // 2022: the demo's plan (the seed's table) by district.
  await gotoReady(page, '/agency/dashboard?year=2022&region=321000')
  const targets = page.getByRole('region', { name: '各地区目标完成情况' })
  await expect(targets.getByRole('row').filter({ hasText: '宝应县' })).toHaveCount(1)
  await expect(targets.getByRole('row')).toHaveCount(9)

  // A region outside the jurisdiction is refused.
  const outside = await page.request.get('/agency/dashboard?region=620000')
  expect(outside.status()).toBe(403)

  // 对接会成效: the event over time, then its own page.
  await page.getByRole('link', { name: '查看对接会成效' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('对接会成效')
  await checkA11y(page)
  await page.getByRole('link', { name: title }).click()
  await expect(page).toHaveURL(new RegExp(`/agency/events/${eventId}/outcomes$`))
  await expect(page.getByRole('heading', { level: 1 })).toContainText('对接会成效')
  await expect(page.getByTestId('outcome-needs')).toHaveText('1')
  await expect(page.getByTestId('outcome-providers')).toHaveText('1')
  await expect(page.getByTestId('outcome-intents')).toHaveText('1')
  await expect(page.getByTestId('outcome-intentAmountWanX100')).toHaveText('125.5 万元')
  await expect(page.getByTestId('outcome-contracts')).toHaveText(/^[1-9]/)
  const perNeed = page.getByRole('region', { name: '各发榜需求的意向与合同' })
  await expect(perNeed.getByRole('link', { name: /万元/ }).first()).toBeVisible()
  await checkA11y(page)

  // A phone: nothing sticks out past 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/agency/dashboard')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await gotoReady(page, `/agency/events/${eventId}/outcomes`)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})
