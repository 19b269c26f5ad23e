import { AGENCY_YANGZHOU, ENTERPRISE_A, PROVIDER_A, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * 1:1 meetings during an event (issue 15 §1, 洽谈): an event of the 扬州 agency in 服务商征集
 * with enterprise A's need listed and provider A approved (written straight into the
 * server's database: the event pages belong to the events journey). The agency sets the
 * meeting grid; provider A marks its slots and asks enterprise A for a meeting; enterprise
 * A marks its slots and accepts (on a 390 px phone); the agency runs 排期 and sees the
 * meeting in the grid; enterprise A reads its agenda and downloads the .ics; once the
 * slot is over, enterprise A records the outcome. axe on every page.
 */

const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)

async function eventWithParticipants() {
  const { db, close } = serverDb()
  try {
    const orgOf = async (phone: string) =>
      db
        .selectFrom('users as u')
        .innerJoin('memberships as m', 'm.user_id', 'u.id')
        .innerJoin('organisations as o', 'o.id', 'm.org_id')
        .where('u.phone', '=', phone)
        .select(['o.id', 'o.name', 'o.region_code', 'u.id as user_id'])
        .executeTakeFirstOrThrow()
    const enterprise = await orgOf(ENTERPRISE_A)
    const provider = await orgOf(PROVIDER_A)
    const agency = await orgOf(AGENCY_YANGZHOU)
    const now = new Date().toISOString()
    const stamp = Date.now() % 100000
    const needTitle = `洽谈旅程：涂装线能耗监测 ${stamp}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title: needTitle,
        industry_code: 'C36',
        region_code: enterprise.region_code,
        budget_min_wan: 30,
        budget_max_wan: 80,
        description: '涂装线 12 台设备的能耗监测与能效优化。',
        expected_start: '2027-03-01',
        duration_months: 3,
        target_level: 'digital_workshop',
        status: 'published',
        visibility: 'public',
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const event = await db
      .insertInto('events')
      .values({
        organiser_org_id: agency.id,
        region_code: '321000',
        title: `扬州市智改数转供需对接会（洽谈旅程 ${stamp}）`,
        description: '一对一洽谈。',
        mode: 'onsite',
        venue: '扬州市会议中心',
        starts_on: chinaDay(7),
        ends_on: chinaDay(30),
        stage: 'provider_call',
        created_by: agency.user_id,
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
        need_id: need.id,
        source: 'agency',
        status: 'listed',
        created_by: agency.user_id,
        created_at: now,
        decided_by: agency.user_id,
        decided_at: now,
      })
      .execute()
    await db
      .insertInto('event_providers')
      .values({
        event_id: event.id,
        provider_org_id: provider.id,
        status: 'approved',
        created_by: provider.user_id,
        created_at: now,
        decided_by: agency.user_id,
        decided_at: now,
      })
      .execute()
    return { eventId: event.id, needTitle, enterprise: enterprise.name, provider: provider.name }
  } finally {
    await close()
  }
}

/** Moves the event's scheduled meetings to yesterday, so their slots are over. */
async function meetingsHeld(eventId: number) {
  const { db, close } = serverDb()
  try {
    const yesterday = chinaDay(-1)
    await db.updateTable('event_meeting_bookings').set({ slot_day: yesterday }).where('event_id', '=', eventId).execute()
    await db
      .updateTable('event_meetings')
      .set({ slot_day: yesterday })
      .where('event_id', '=', eventId)
      .where('status', '=', 'scheduled')
      .execute()
  } finally {
    await close()
  }
}

test('the agency sets the grid, provider A asks, enterprise A accepts on a phone, 排期 places the meeting, the agenda and .ics follow, the outcome is recorded', async ({
  page,
}) => {
  // Three people sign in twice over: longer than the default minute.
  test.setTimeout(180_000)
  const { eventId, needTitle, enterprise, provider } = await eventWithParticipants()

  // The organiser sets the meeting grid: the first day of the event, 09:00–10:00, 30 minutes, 2 tables.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/meetings`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('洽谈排期')
  await expect(page.getByText('尚未设置洽谈时段', { exact: false }).first()).toBeVisible()
  await page.getByLabel('每日结束时间').fill('08:00')
  await page.getByRole('button', { name: '保存洽谈设置' }).click()
  await expect(page.locator('.error-summary')).toContainText('结束时间须晚于开始时间')
  await checkA11y(page)
  await page.getByLabel('每日结束时间').fill('10:00')
  await page.getByLabel('洽谈桌数').fill('2')
  await page.getByLabel('洽谈地点').fill('会议中心二楼洽谈区')
  await page.getByRole('button', { name: '保存洽谈设置' }).click()
  await expect(page.getByText('洽谈设置已保存。')).toBeVisible()
  await expect(page.getByText('合计 2 个时段', { exact: false })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A marks its slots (all, as offered) and asks enterprise A about the listed need.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/meetings`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('洽谈')
  await expect(page.getByText('尚未登记', { exact: false })).toBeVisible()
  await page.getByRole('button', { name: '保存可约时段' }).click()
  await expect(page.getByText('已保存 2 个可约时段。')).toBeVisible()
  const row = page.locator('tr', { hasText: needTitle })
  await row.getByLabel('留言（可选）').fill('想了解涂装线的设备型号与现有电表。')
  await row.getByRole('button', { name: /发送邀约/ }).click()
  await expect(page.getByText('邀约已发送，等待对方回复。')).toBeVisible()
  await expect(page.locator('tr', { hasText: enterprise }).first()).toContainText('待回复')
  await checkA11y(page)
  await signOut(page)

  // Enterprise A, on a 390 px phone: marks its slots and accepts.
  await page.setViewportSize({ width: 390, height: 844 })
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/meetings`)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.getByRole('button', { name: '保存可约时段' }).click()
  await expect(page.getByText('已保存 2 个可约时段。')).toBeVisible()
  await expect(page.getByText('想了解涂装线的设备型号与现有电表。')).toBeVisible()
  await page.getByLabel('回复（可选）').fill('欢迎，届时带上设备清单。')
  await page.getByRole('button', { name: '接受', exact: true }).click()
  await expect(page.getByText('已接受邀约，等待主办方排期。')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await signOut(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // The organiser runs 排期: the meeting takes 09:00 at table 1.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/meetings`)
  await page.getByRole('button', { name: '运行排期' }).click()
  await expect(page.getByText('排期完成：新排 1 场，0 场未能排入。')).toBeVisible()
  const grid = page.getByRole('table', { name: /洽谈安排/ })
  await expect(grid.locator('tr', { hasText: '09:00–09:30' })).toContainText(`${enterprise} — ${provider}`)
  await expect(page.getByText('已有洽谈排期，设置已锁定', { exact: false })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Enterprise A's agenda, printable, and its calendar file.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/agenda`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('洽谈日程')
  await expect(page.locator('tr', { hasText: provider })).toContainText('1 号桌')
  await expect(page.getByText('地点：会议中心二楼洽谈区')).toBeVisible()
  const ics = await page.request.get(`/events/${eventId}/agenda.ics`)
  expect(ics.status()).toBe(200)
  expect(ics.headers()['content-type']).toContain('text/calendar')
  const text = await ics.text()
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
  expect(text).toContain(`DTSTART;TZID=Asia/Shanghai:${chinaDay(7).replace(/-/g, '')}T090000\r\n`)
  expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(1)

  // Once the slot is over, enterprise A records the outcome, once.
  await meetingsHeld(eventId)
  await gotoReady(page, `/events/${eventId}/meetings`)
  await page.getByRole('combobox', { name: '洽谈结果' }).selectOption('intent')
  await page.getByLabel('说明（可选）').fill('约定下周上门调研。')
  await page.getByRole('button', { name: '登记结果' }).click()
  await expect(page.getByText('洽谈结果已登记。')).toBeVisible()
  await expect(page.getByText('我方结果：有合作意向')).toBeVisible()
  await expect(page.getByRole('button', { name: '登记结果' })).toHaveCount(0)
  await checkA11y(page)
})
