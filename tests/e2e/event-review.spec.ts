import { AGENCY_YANGZHOU, PROVIDER_A, SUPERVISOR_A, ENTERPRISE_A, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Site visits, the expert library and proposal review (issue 15 §1, 现场调研 / 方案评选):
 * an event of the 扬州 agency in 服务商征集 with a need of enterprise A listed and provider
 * A approved, which has bid on it (written straight into the server's database: the event
 * and bid pages belong to other journeys; stages are moved there too). The agency adds an
 * expert to its 专家库, offers a site-visit slot, sets the scoring sheet and appoints the
 * demo expert; provider A books the slot on a 390 px phone; the demo expert scores the
 * proposal; the agency sees the ranking and publishes; provider A reads its scores.
 * axe on every page.
 */

const DEMO_EXPERT = '13900000031'
const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)

async function reviewWorld() {
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
    // The supervisor's account joins the library in the journey: out of it before each run.
    const supervisor = await orgOf(SUPERVISOR_A)
    const previous = await db
      .selectFrom('experts')
      .select('id')
      .where('agency_org_id', '=', agency.id)
      .where('user_id', '=', supervisor.user_id)
      .execute()
    for (const e of previous) {
      await db.deleteFrom('event_experts').where('expert_id', '=', e.id).execute()
      await db.deleteFrom('experts').where('id', '=', e.id).execute()
    }
    const now = new Date().toISOString()
    const stamp = Date.now() % 100000
    const needTitle = `评选旅程：焊装线视觉检测 ${stamp}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title: needTitle,
        industry_code: 'C36',
        region_code: enterprise.region_code,
        budget_min_wan: 40,
        budget_max_wan: 90,
        description: '焊装线 6 个工位的焊点视觉检测。',
        expected_start: '2027-03-01',
        duration_months: 4,
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
        title: `扬州市智改数转供需对接会（评选旅程 ${stamp}）`,
        description: '现场调研与方案评选。',
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
    await db
      .insertInto('bids')
      .values({
        need_id: need.id,
        provider_org_id: provider.id,
        price_wan_x100: 68_00,
        duration_days: 100,
        plan: '基于深度学习的焊点视觉检测，6 个工位各 1 套相机与边缘计算盒。',
        created_by: provider.user_id,
        created_at: now,
        updated_at: now,
      })
      .execute()
    return { eventId: event.id, needId: need.id, needTitle, provider: provider.name }
  } finally {
    await close()
  }
}

async function setStage(eventId: number, stage: 'site_visits' | 'proposal_review') {
  const { db, close } = serverDb()
  try {
    await db.updateTable('events').set({ stage }).where('id', '=', eventId).execute()
  } finally {
    await close()
  }
}

test('the agency offers a slot and prepares the review, provider A books on a phone, the expert scores, the results are published to the bidder', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const { eventId, needId, needTitle, provider } = await reviewWorld()
  const visitDay = chinaDay(10)

  // The agency: its 专家库 (the demo expert is there), adds an account by phone.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/experts')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('专家库')
  await expect(page.getByRole('table').getByText('王建平 · 正高级工程师')).toBeVisible()
  await page.getByRole('button', { name: '加入专家库' }).click()
  await expect(page.locator('.error-summary')).toContainText('请填写专家账号的手机号或邮箱')
  await checkA11y(page)
  await page.getByLabel('专家账号（手机号或邮箱）').fill(SUPERVISOR_A)
  await page.getByLabel('姓名').fill('黄振宇')
  await page.getByLabel('职称').fill('高级工程师')
  await page.getByLabel('专业领域').fill('工程监理')
  await page.getByRole('button', { name: '加入专家库' }).click()
  await expect(page.getByText('已加入专家库。')).toBeVisible()
  await expect(page.getByRole('table').getByText('黄振宇 · 高级工程师')).toBeVisible()
  await checkA11y(page)

  // 现场调研: a slot for the listed need.
  await gotoReady(page, `/agency/events/${eventId}/visits`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('现场调研')
  await page.getByLabel('日期').fill(visitDay)
  await page.getByLabel('开始时间').fill('09:30')
  await page.getByLabel('结束时间').fill('09:00')
  await page.getByLabel('地点').fill('宝应县开发区焊装车间')
  await page.getByRole('button', { name: '发布时段' }).click()
  await expect(page.locator('.error-summary')).toContainText('结束时间须晚于开始时间')
  await checkA11y(page)
  await page.getByLabel('开始时间').fill('09:30')
  await page.getByLabel('结束时间').fill('11:00')
  await page.getByLabel('地点').fill('宝应县开发区焊装车间')
  await page.getByRole('button', { name: '发布时段' }).click()
  await expect(page.getByText('已发布调研时段。')).toBeVisible()
  await expect(page.getByRole('table', { name: new RegExp(needTitle) })).toContainText(`${visitDay} 09:30–11:00`)
  await checkA11y(page)

  // 方案评选: a sheet whose weights do not add up is refused; then saved; the demo expert appointed.
  await gotoReady(page, `/agency/events/${eventId}/review`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('方案评选')
  const criteria = [
    ['技术方案', '50', '10'],
    ['实施能力', '30', '10'],
    ['报价', '10', '5'],
  ]
  for (const [i, [name, weight, max]] of criteria.entries()) {
    await page.getByLabel(`第 ${i + 1} 项指标名称`).fill(name!)
    await page.getByLabel(`第 ${i + 1} 项权重`).fill(weight!)
    await page.getByLabel(`第 ${i + 1} 项满分`).fill(max!)
  }
  await page.getByRole('button', { name: '保存评分表' }).click()
  await expect(page.locator('.error-summary')).toContainText('各项指标的权重之和须为 100')
  await checkA11y(page)
  await page.getByLabel('第 3 项权重').fill('20')
  await page.getByRole('button', { name: '保存评分表' }).click()
  await expect(page.getByText('评分表已保存。')).toBeVisible()
  await expect(page.getByRole('table', { name: '评分指标（权重合计 100）' })).toBeVisible()
  await page.getByLabel('从专家库选派').selectOption({ label: '王建平 · 正高级工程师 · 扬州大学机械工程学院' })
  await page.getByRole('button', { name: '选派', exact: true }).click()
  await expect(page.getByText('已选派专家。')).toBeVisible()
  await expect(page.getByRole('table', { name: '选派到本场对接会的专家' })).toContainText('王建平')
  await checkA11y(page)
  await signOut(page)

  // Provider A, on a 390 px phone, books the slot in 现场调研.
  await setStage(eventId, 'site_visits')
  await page.setViewportSize({ width: 390, height: 844 })
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/visits`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('现场调研')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.getByRole('button', { name: `预约 ${visitDay} 09:30` }).click()
  await expect(page.getByText('预约成功。')).toBeVisible()
  await expect(page.getByText('贵单位已预约').first()).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  // Before publishing, the results page says so.
  await gotoReady(page, `/events/${eventId}/results`)
  await expect(page.getByText('评选结果尚未公布。')).toBeVisible()
  await signOut(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // The demo expert scores the proposal in 方案评选.
  await setStage(eventId, 'proposal_review')
  await signIn(page, DEMO_EXPERT, DEMO_PASSWORD)
  await gotoReady(page, '/expert')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('评审任务')
  await page.getByRole('link', { name: `为“${needTitle}”打分` }).click()
  await expect(page).toHaveURL(new RegExp(`/expert/events/${eventId}/needs/${needId}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('方案评分')
  await checkA11y(page)
  await page.getByLabel('技术方案（0–10）').fill('11')
  await page.getByLabel('实施能力（0–10）').fill('8')
  await page.getByLabel('报价（0–5）').fill('4')
  await page.getByRole('button', { name: `保存对 ${provider} 的评分` }).click()
  await expect(page.locator('.error-summary')).toContainText('请为该指标打分')
  await checkA11y(page)
  await page.getByLabel('技术方案（0–10）').fill('9')
  await page.getByLabel('实施能力（0–10）').fill('8')
  await page.getByLabel('报价（0–5）').fill('4')
  await page.getByLabel('评语').fill('方案成熟，工位改造周期合理。')
  await page.getByRole('button', { name: `保存对 ${provider} 的评分` }).click()
  await expect(page.getByText('评分已保存。')).toBeVisible()
  await expect(page.locator('section.card', { hasText: provider })).toContainText('已评分')
  await checkA11y(page)
  await signOut(page)

  // The agency: 9/10×50 + 8/10×30 + 4/5×20 = 45 + 24 + 16 = 85; publishes.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/events/${eventId}/review`)
  const ranking = page.getByRole('table', { name: new RegExp(`${needTitle}.*方案排名`) })
  await expect(ranking.locator('tr', { hasText: provider })).toContainText('85')
  await expect(page.getByText('已提交 1 / 1 份评分', { exact: false })).toBeVisible()
  await page.getByRole('button', { name: '公布评选结果' }).click()
  await expect(page.getByText('评选结果已公布。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A reads every criterion's score.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/events/${eventId}/results`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('方案评选结果')
  await expect(page.getByText('第 1 名（共 1 个方案），总分 85')).toBeVisible()
  const scores = page.getByRole('table', { name: new RegExp(`${needTitle}.*各项指标得分`) })
  await expect(scores.locator('tr', { hasText: '技术方案' })).toContainText('45')
  await expect(scores.locator('tr', { hasText: '报价' })).toContainText('16')
  await checkA11y(page)
})
