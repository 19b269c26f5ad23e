import { AGENCY_YANGZHOU, ENTERPRISE_A, orgOf, PROVIDER_A, serverDb, SUPERVISOR_A } from './server-db.js'
import { answerConfirmDialog, checkA11y, DEMO_PASSWORD, expect, gotoReady, signIn, signOut, test } from './support.js'
import type { Page } from '@playwright/test'

/*
 * The whole of issue 14 in one journey, through the pages only: provider A bids on a
 * fresh need of enterprise A; enterprise A compares and awards; the draft is trimmed to
 * two milestones and both owners confirm; the agency appoints the demo 监理机构, which
 * inspects and logs; provider A submits both milestones, the supervisor and enterprise A
 * accept them, the contract completes; enterprise A rates provider A; the rating shows
 * on provider A's page, and provider A's match score for a similar need of enterprise A
 * (read on that need's 比较方案 page before and after) goes up.
 */

test.describe.configure({ timeout: 240_000 })

const PLAN = '设备联网、数据采集平台与 MES 对接，分两期实施，提供一年质保。'

async function journeyWorld() {
  const { db, close } = serverDb()
  try {
    const enterprise = await orgOf(db, ENTERPRISE_A)
    const provider = await orgOf(db, PROVIDER_A)
    const supervisor = await orgOf(db, SUPERVISOR_A)
    const owner = await db.selectFrom('users').select('id').where('phone', '=', PROVIDER_A).executeTakeFirstOrThrow()
    const region = await db
      .selectFrom('organisations')
      .select('region_code')
      .where('id', '=', enterprise.id)
      .executeTakeFirstOrThrow()
    const now = new Date().toISOString()
    const stamp = Date.now() % 100_000
    const need = async (title: string) => {
      const row = await db
        .insertInto('needs')
        .values({
          org_id: enterprise.id,
          title,
          description: '冲压与焊装设备数据无法自动采集，需建设设备联网与数据采集平台，并与 MES 对接。',
          industry_code: 'C34',
          region_code: region.region_code,
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
      await db.insertInto('need_scenarios').values({ need_id: row.id, scenario_code: 'S401' }).execute()
      return row.id
    }
    const needId = await need(`全流程演示：焊装线设备联网 ${stamp}`)
    // The similar need: provider A's bid on it puts provider A on its 比较方案 page with a match score.
    const similarId = await need(`全流程演示：冲压线设备联网 ${stamp}`)
    await db
      .insertInto('bids')
      .values({
        need_id: similarId,
        provider_org_id: provider.id,
        price_wan_x100: 16_000,
        duration_days: 150,
        plan: PLAN,
        created_by: owner.id,
        created_at: now,
        updated_at: now,
      })
      .execute()
    return { needId, similarId, provider, supervisor }
  } finally {
    await close()
  }
}

async function milestoneIds(contractId: number): Promise<number[]> {
  const { db, close } = serverDb()
  try {
    const rows = await db
      .selectFrom('contract_milestones')
      .select('id')
      .where('contract_id', '=', contractId)
      .orderBy('seq')
      .execute()
    return rows.map((r) => r.id)
  } finally {
    await close()
  }
}

/** Provider A's match score on the similar need's 比较方案 page, as enterprise A reads it. */
async function scoreOnSimilarNeed(page: Page, similarId: number, providerName: string): Promise<number> {
  await gotoReady(page, `/enterprise/needs/${similarId}/compare`)
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: providerName }) })
  const text = (await card.locator('.match-score-value').first().innerText()).replace(/\s+/g, '')
  const score = Number(/(\d+(?:\.\d+)?)/.exec(text)?.[1])
  expect(Number.isFinite(score)).toBe(true)
  return score
}

async function confirmContract(page: Page) {
  await page.getByLabel('我已阅读并同意本合同的全部条款，代表本单位确认').check()
  await page.getByRole('button', { name: '确认合同' }).click()
}

test('bid → compare and award → both confirm → supervisor inspects → both milestones accepted → rated; the rating shows and the match score moves', async ({
  page,
}) => {
  const w = await journeyWorld()

  // Before: provider A's score for the similar need.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  const before = await scoreOnSimilarNeed(page, w.similarId, w.provider.name)
  await checkA11y(page)
  await signOut(page)

  // 1. Provider A bids.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/needs/${w.needId}`)
  await checkA11y(page)
  await page.getByRole('link', { name: '投标', exact: true }).click()
  await checkA11y(page)
  await page.getByLabel('报价（万元）').fill('150')
  await page.getByLabel('工期（天）').fill('120')
  await page.getByLabel('实施方案').fill(PLAN)
  await page.getByRole('button', { name: '提交方案' }).click()
  await expect(page.getByText('方案已提交，需求方会收到通知。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 2. Enterprise A compares and awards.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/enterprise/needs/${w.needId}/compare`)
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: w.provider.name }) })
  await expect(card).toContainText('150 万元')
  await expect(card).toContainText('匹配度')
  await checkA11y(page)
  await card.getByRole('button', { name: /^授标/ }).click()
  await answerConfirmDialog(page, `将需求授标给 ${w.provider.name}？`, '授标')
  await expect(page).toHaveURL(/\/contracts\/\d+$/)
  const contractPath = new URL(page.url()).pathname
  const contractId = Number(contractPath.split('/').pop())

  // 3. The draft: two milestones (the third row emptied), then enterprise A confirms.
  await checkA11y(page)
  await page.getByRole('link', { name: '修改草稿' }).click()
  await checkA11y(page)
  await page.getByLabel('第 2 个里程碑付款比例（%）').fill('70')
  for (const field of ['名称', '付款比例（%）', '约定日期', '验收标准']) {
    await page.getByLabel(`第 3 个里程碑${field}`).fill('')
  }
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByText('合同草稿已保存，双方需重新确认。')).toBeVisible()
  await confirmContract(page)
  await expect(page.getByText('已确认合同，等待对方确认。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A confirms: in force.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, contractPath)
  await confirmContract(page)
  await expect(page.getByText('双方均已确认，合同已生效。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 4. The agency appoints the demo 监理机构.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, contractPath)
  await page.getByLabel('机构名称').fill(w.supervisor.name)
  await page.getByRole('button', { name: '查找' }).click()
  await page.getByLabel(w.supervisor.name).check()
  await page.getByRole('button', { name: '指派', exact: true }).click()
  await expect(page.getByText('已指派监理机构。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 5. The supervisor inspects and logs.
  await signIn(page, SUPERVISOR_A, DEMO_PASSWORD)
  await gotoReady(page, `/contracts/${contractId}/supervision`)
  await page.getByLabel('检查发现').fill('现场核查焊装线 36 台设备联网情况，接线规范，采集数据完整。')
  await page.getByLabel('合格').check()
  await page.getByLabel('正常').check()
  await page.getByRole('button', { name: '保存日志' }).click()
  await expect(page.getByText('监理日志已保存。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 6. Provider A submits both milestones.
  const [first, second] = await milestoneIds(contractId)
  expect(second).toBeDefined()
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  for (const id of [first, second]) {
    await gotoReady(page, `/contracts/${contractId}/milestones/${id}`)
    await page.getByLabel('交付说明').fill('已按合同完成本阶段工作，附测试记录与现场确认单。')
    await page.getByRole('button', { name: '提交验收' }).click()
    await expect(page.getByText('已提交验收，需求企业和监理机构会收到通知。')).toBeVisible()
    await checkA11y(page)
  }
  await signOut(page)

  // 7. The supervisor accepts both; enterprise A accepts both and the contract completes.
  await signIn(page, SUPERVISOR_A, DEMO_PASSWORD)
  for (const id of [first, second]) {
    await gotoReady(page, `/contracts/${contractId}/milestones/${id}`)
    await page.getByRole('button', { name: '通过验收' }).click()
    await expect(page.getByText('已记录您的验收决定，等待另一方验收。')).toBeVisible()
    await checkA11y(page)
  }
  await signOut(page)
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/contracts/${contractId}/milestones/${first}`)
  await page.getByRole('button', { name: '通过验收' }).click()
  await expect(page.getByText('已验收', { exact: true }).first()).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, `/contracts/${contractId}/milestones/${second}`)
  await page.getByRole('button', { name: '通过验收' }).click()
  await expect(page.getByText('全部里程碑已通过验收，合同已完成。欢迎评价对方。')).toBeVisible()
  await checkA11y(page)

  // 8. Enterprise A rates provider A.
  await gotoReady(page, `/contracts/${contractId}/ratings`)
  for (const item of ['item1', 'item2', 'item3', 'item4', 'item5']) await page.locator(`#r-${item}-very_good`).check()
  await page.locator('#r-overall-satisfied').check()
  const comment = `全流程演示 ${contractId}：按期交付，验收一次通过。`
  await page.locator('#r-comment').fill(comment)
  await page.getByRole('button', { name: '提交评价' }).click()
  await expect(page.getByText('评价已提交。')).toBeVisible()
  await checkA11y(page)

  // 9. The match score for the similar need moved up.
  const after = await scoreOnSimilarNeed(page, w.similarId, w.provider.name)
  expect(after).toBeGreaterThan(before)
  await checkA11y(page)
  await signOut(page)

  // 10. A visitor sees the rating on provider A's page, 平台验证.
  await gotoReady(page, `/providers/${w.provider.id}`)
  const section = page.getByTestId('contract-ratings')
  await expect(section.getByTestId('rating-enterprise').filter({ hasText: comment })).toContainText('平台验证')
  await checkA11y(page)
})
