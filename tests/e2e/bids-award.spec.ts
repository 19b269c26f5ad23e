import { hashPassword } from '../../app/domain/accounts/password.server.js'
import { serverDb } from './server-db.js'
import {
  answerConfirmDialog,
  checkA11y,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  gotoReady,
  pageWidth,
  signIn,
  signOut,
  test,
} from './support.js'

/*
 * Compare and award (issue 14 §2): the demo enterprise A compares the two bids on a need
 * of its own (provider A and another verified provider, whose new member signs in as the
 * loser) side by side — at 390 px too, as stacked cards —, asks
 * provider A a question on its bid, provider A answers, enterprise A shortlists and awards
 * provider A's bid (a confirm dialog first) and lands on the draft contract; provider B
 * sees 未中标 with the reason, provider A the link to the contract. axe on every page.
 */

const ENTERPRISE_A = '13900000001'
const PROVIDER_A = '13900000011'
/** A member of the second bidder, added for this run (the demo's provider B may be elsewhere). */
const PROVIDER_B = freshPhone('137')

/** A fresh published need of enterprise A with a bid from provider A and one from provider B. */
async function awardWorld() {
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
    const providerA = await orgOf(PROVIDER_A)
    const now = new Date().toISOString()
    // Another verified provider that delivers projects, with a member who signs in below.
    // An integrator other than provider A (provider_kinds is text on SQLite, jsonb on PostgreSQL: read, then filter).
    const candidates = await db
      .selectFrom('organisations')
      .where('kind', '=', 'provider')
      .where('status', '=', 'verified')
      .where('id', '<>', providerA.id)
      .select(['id', 'name', 'region_code', 'provider_kinds'])
      .orderBy('id')
      .limit(200)
      .execute()
    const kindsOf = (k: unknown): string[] => (typeof k === 'string' ? (JSON.parse(k) as string[]) : (k as string[]))
    const found = candidates.find((c) => kindsOf(c.provider_kinds).includes('integrator'))
    if (!found) throw new Error('no other verified integrator in the demo data')
    const other = { id: found.id, name: found.name, region_code: found.region_code }
    const user = await db
      .insertInto('users')
      .values({ name: '落选测试', phone: PROVIDER_B, password_hash: await hashPassword(DEMO_PASSWORD), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('memberships').values({ user_id: user.id, org_id: other.id, role: 'owner', created_at: now }).execute()
    const providerB = { ...other, user_id: user.id }
    const title = `授标演示：总装线数据采集 ${Date.now() % 100_000}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title,
        description: '总装线设备数据无法自动采集，需建设设备联网与数据采集平台。',
        industry_code: 'C34',
        region_code: enterprise.region_code,
        target_level: 'digital_workshop',
        budget_min_wan: 100,
        budget_max_wan: 300,
        expected_start: '2027-03-01',
        duration_months: 6,
        visibility: 'public',
        status: 'published',
        deadline: '2099-12-31',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('need_scenarios').values({ need_id: need.id, scenario_code: 'S401' }).execute()
    const bid = async (provider: typeof providerA, price: number, days: number) =>
      (
        await db
          .insertInto('bids')
          .values({
            need_id: need.id,
            provider_org_id: provider.id,
            price_wan_x100: price,
            duration_days: days,
            plan: '设备联网、数据采集平台与 MES 对接，分两期实施。',
            created_by: provider.user_id,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const bidA = await bid(providerA, 15_800, 120)
    const bidB = await bid(providerB, 14_200, 150)
    return { needId: need.id, title, providerA, providerB, bidA, bidB }
  } finally {
    await close()
  }
}

test('enterprise A compares two bids, asks, provider A answers, enterprise A shortlists and awards; the loser sees 未中标, the winner the contract', async ({
  page,
}) => {
  const w = await awardWorld()

  // The enterprise: 收到的方案 → 比较方案, the two bids side by side.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/enterprise/needs/${w.needId}/bids`)
  await page.getByRole('link', { name: '比较方案' }).click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/needs/${w.needId}/compare$`))
  const cardA = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: w.providerA.name }) })
  const cardB = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: w.providerB.name }) })
  await expect(cardA).toContainText('158 万元')
  await expect(cardB).toContainText('142 万元')
  await expect(cardB).toContainText('最低报价')
  await expect(cardA).toContainText('工期最短')
  await expect(cardA).toContainText('匹配度')
  await checkA11y(page)
  // On a phone the cards stack: nothing sticks out past 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // A question on provider A's bid.
  await cardA.getByRole('link', { name: new RegExp('^查看方案与提问') }).click()
  await expect(page).toHaveURL(new RegExp(`/bids/${w.bidA}$`))
  await expect(page.getByRole('heading', { name: '提问与答复' })).toBeVisible()
  await page.getByRole('textbox', { name: '内容', exact: true }).fill('请说明质保期内的故障响应时间。')
  await page.getByRole('button', { name: '发送提问' }).click()
  await expect(page.getByText('已发送，对方会收到通知。')).toBeVisible()
  await expect(page.getByText('请说明质保期内的故障响应时间。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A answers on its bid.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/bids/${w.bidA}`)
  await expect(page.getByText('请说明质保期内的故障响应时间。')).toBeVisible()
  await page.getByRole('textbox', { name: '内容', exact: true }).fill('工作日 4 小时内到场，节假日 8 小时内。')
  await page.getByRole('button', { name: '发送答复' }).click()
  await expect(page.getByText('已发送，对方会收到通知。')).toBeVisible()
  await expect(page.getByText('工作日 4 小时内到场，节假日 8 小时内。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The enterprise reads the answer, shortlists provider A's bid and awards it.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/bids/${w.bidA}`)
  await expect(page.getByText('工作日 4 小时内到场，节假日 8 小时内。')).toBeVisible()
  await gotoReady(page, `/enterprise/needs/${w.needId}/compare`)
  await cardA.getByRole('button', { name: new RegExp('^入围') }).click()
  await expect(page.getByText('方案已入围。')).toBeVisible()
  await expect(cardA).toContainText('入围')
  await checkA11y(page)
  await cardA.getByRole('button', { name: new RegExp('^授标') }).click()
  await answerConfirmDialog(page, `将需求授标给 ${w.providerA.name}？`, '授标')
  await expect(page).toHaveURL(/\/contracts\/\d+$/)
  const contractPath = new URL(page.url()).pathname
  await expect(page.getByText('已授标，合同草稿已生成，请与服务商确认合同。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider B: 未中标, and why.
  await signIn(page, PROVIDER_B, DEMO_PASSWORD)
  await gotoReady(page, `/bids/${w.bidB}`)
  await expect(page.getByText('未中标', { exact: true })).toBeVisible()
  await expect(page.getByText('需求已选定其他方案。')).toBeVisible()
  await expect(page.getByRole('link', { name: '查看合同' })).toHaveCount(0)
  await checkA11y(page)
  await signOut(page)

  // Provider A: 中标, and the way to the contract.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/bids/${w.bidA}`)
  await expect(page.getByText('中标', { exact: true })).toBeVisible()
  await expect(page.getByRole('link', { name: '查看合同' })).toHaveAttribute('href', contractPath)
  await checkA11y(page)
})
