import { serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Ratings (issue 14 §6): a completed contract between the demo enterprise A and provider A
 * (written straight into the server's database: the pages that complete one belong to the
 * milestones journey). Enterprise A rates provider A from the keyboard (a refused form
 * first); the rating shows on provider A's public page with 平台验证, to a visitor too;
 * provider A replies once. axe on every page; 390 px.
 */

const ENTERPRISE_A = '13900000001'
const PROVIDER_A = '13900000011'

async function completedContract() {
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
    const now = new Date().toISOString()
    const title = `评价旅程：焊装车间设备联网项目 ${Date.now() % 100000}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title,
        industry_code: 'C34',
        region_code: enterprise.region_code,
        budget_min_wan: 50,
        budget_max_wan: 120,
        description: '焊装车间 40 台设备联网，数据采集与看板。',
        expected_start: '2027-01-01',
        duration_months: 4,
        target_level: 'digital_workshop',
        status: 'closed',
        visibility: 'public',
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: need.id,
        provider_org_id: provider.id,
        price_wan_x100: 9_800,
        duration_days: 100,
        plan: '设备联网与数据采集，分两期实施。',
        status: 'awarded',
        created_by: provider.user_id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contract = await db
      .insertInto('contracts')
      .values({
        need_id: need.id,
        bid_id: bid.id,
        enterprise_org_id: enterprise.id,
        provider_org_id: provider.id,
        region_code: enterprise.region_code,
        title,
        amount_wan_x100: 9_800,
        construction_days: 100,
        warranty_months: 12,
        status: 'completed',
        enterprise_confirmed_by: enterprise.user_id,
        enterprise_confirmed_at: now,
        provider_confirmed_by: provider.user_id,
        provider_confirmed_at: now,
        created_by: enterprise.user_id,
        created_at: now,
        updated_at: now,
        activated_at: now,
        closed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq: 1,
        name: '竣工验收',
        percent: 100,
        amount_wan_x100: 9_800,
        due_date: now.slice(0, 10),
        status: 'accepted',
        round: 1,
        accepted_at: now,
        updated_at: now,
      })
      .execute()
    return { contractId: contract.id, providerId: provider.id, title }
  } finally {
    await close()
  }
}

test('enterprise A rates provider A from the keyboard; the rating shows on its page with 平台验证; provider A replies once', async ({
  page,
}) => {
  const { contractId, providerId } = await completedContract()
  const comment = '现场响应及时，按期上线，数据采集稳定。'

  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/contracts/${contractId}/ratings`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('合同评价')
  await expect(page.getByRole('heading', { name: '评价服务商' })).toBeVisible()

  // A form sent without grades lists its problems at the top and takes focus.
  await page.getByRole('button', { name: '提交评价' }).focus()
  await page.keyboard.press('Enter')
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('请选择评价等级')
  await expect(summary).toContainText('请选择总体评价')
  await checkA11y(page)

  // From the keyboard: each group's first radio takes focus, Space chooses 很好, an arrow moves on to 较好.
  for (const [field, arrow] of [
    ['item1', false],
    ['item2', true],
    ['item3', false],
    ['item4', false],
    ['item5', true],
  ] as const) {
    await page.locator(`#r-${field}-very_good`).focus()
    await page.keyboard.press('Space')
    if (arrow) await page.keyboard.press('ArrowRight')
  }
  await expect(page.locator('#r-item1-very_good')).toBeChecked()
  await expect(page.locator('#r-item2-good')).toBeChecked()
  await page.locator('#r-overall-satisfied').focus()
  await page.keyboard.press('Space')
  await page.locator('#r-comment').focus()
  await page.keyboard.type(comment)
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: '提交评价' })).toBeFocused()
  await page.keyboard.press('Enter')

  await expect(page.getByText('评价已提交。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '评价服务商' })).toHaveCount(0)
  const mine = page.getByTestId('rating-enterprise')
  await expect(mine).toContainText('平台验证')
  await expect(mine).toContainText(comment)
  await expect(mine).toContainText('总体评价：满意')
  await checkA11y(page)

  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // A visitor reads it on provider A's page: 平台验证, no enterprise named.
  await gotoReady(page, `/providers/${providerId}`)
  const section = page.getByTestId('contract-ratings')
  await expect(section).toContainText('合同评价（平台验证）')
  await expect(section.getByTestId('rating-enterprise').filter({ hasText: comment })).toContainText('平台验证')
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // Provider A replies, once.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/contracts/${contractId}/ratings`)
  const rated = page.getByTestId('rating-enterprise')
  await rated.getByLabel('回复').fill('感谢认可，质保期内我们持续跟进。')
  await rated.getByRole('button', { name: '提交回复' }).click()
  await expect(page.getByText('回复已提交。')).toBeVisible()
  await expect(page.getByTestId('rating-enterprise').getByTestId('rating-reply')).toContainText('感谢认可')
  await expect(page.getByRole('button', { name: '提交回复' })).toHaveCount(0)
  await checkA11y(page)
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })

  // The reply shows on the public page too.
  await gotoReady(page, `/providers/${providerId}`)
  await expect(page.getByTestId('contract-ratings').getByTestId('rating-reply').first()).toContainText('感谢认可')
})
