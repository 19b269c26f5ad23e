import crypto from 'node:crypto'
import { AGENCY_YANGZHOU, PROVIDER_A, demoWorld, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Provider evaluation (issue 15 §4): the 扬州 agency reads the demo's 2025 results (服务商 A
 * 优先推荐), creates a scheme, publishes it, judges a provider, computes and publishes the
 * results; 服务商 A reads its sub-scores and appeals; the agency upholds the appeal; 处理与复核
 * lists what is due; the scheme page fits a 390 px phone. axe on every page.
 */

test('an agency publishes an evaluation, a provider appeals and the agency decides', async ({ page }) => {
  test.setTimeout(240_000)
  const providerName = await demoWorld(async ({ provider }) => provider.name)
  // A year no other run has used (a scheme per agency per year).
  const year = 2040 + crypto.randomInt(59)

  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/evaluations')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服务商评价')
  await page.getByRole('link', { name: '2025 年度扬州市智改数转服务商评价' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('2025 年度扬州市智改数转服务商评价')
  await checkA11y(page)
  const demoRow = page.getByRole('region', { name: '2025 年度评价结果' }).getByRole('row').filter({ hasText: providerName })
  await expect(demoRow).toContainText('优先推荐')
  await expect(demoRow).toContainText('88.55')

  // A new scheme, starting from the five dimensions.
  await gotoReady(page, '/agency/evaluations')
  await page.getByLabel('年度').fill(String(year))
  await page.getByLabel('名称').fill(`${year} 年度服务商评价（测试）`)
  await page.getByRole('button', { name: '新建' }).click()
  await expect(page.getByText('已新建评价办法，请检查维度与权重后公布。')).toBeVisible()
  await expect(page.getByText('权重合计：100%（须为 100%）')).toBeVisible()
  await checkA11y(page)
  const schemeUrl = page.url()
  const schemeId = Number(new URL(schemeUrl).pathname.split('/').pop())

  // Publish it (the dialog asks first).
  await page.getByRole('button', { name: '公布评价办法' }).click()
  await page.getByRole('dialog').getByRole('button', { name: '公布评价办法' }).click()
  await expect(page.getByText('评价办法已公布。')).toBeVisible()
  await checkA11y(page)

  // Judge the first provider of the jurisdiction.
  await page.getByLabel('服务商', { exact: true }).selectOption({ index: 1 })
  await page.getByRole('button', { name: '评定' }).click()
  await page.getByLabel(/创新推广力（评定占 100%）/).fill('95')
  await page.getByRole('button', { name: '保存评定' }).click()
  await expect(page.getByText('评定已保存。')).toBeVisible()
  await checkA11y(page)

  // Compute and publish the results.
  await page.getByRole('button', { name: '计算结果' }).click()
  await expect(page.getByText('结果已计算。检查无误后可公布。')).toBeVisible()
  await expect(page.getByRole('region', { name: `${year} 年度评价结果` })).toBeVisible()
  await page.getByRole('button', { name: '公布结果' }).click()
  await page.getByRole('dialog').getByRole('button', { name: '公布结果' }).click()
  await expect(page.getByText('结果已公布，已通知各服务商。')).toBeVisible()
  await checkA11y(page)
  await expect(page.getByRole('link', { name: /导出 Excel/ })).toBeVisible()

  // 服务商 A is seated wherever the demo put it: give it a result of this scheme when the
  // jurisdiction's computation did not (what matters next is its appeal).
  const { db, close } = serverDb()
  try {
    const own = await db
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .select('m.org_id')
      .where('u.phone', '=', PROVIDER_A)
      .executeTakeFirstOrThrow()
    const has = await db
      .selectFrom('evaluation_results')
      .select('id')
      .where('scheme_id', '=', schemeId)
      .where('provider_org_id', '=', own.org_id)
      .executeTakeFirst()
    if (!has) {
      await db
        .insertInto('evaluation_results')
        .values({
          scheme_id: schemeId,
          provider_org_id: own.org_id,
          total_x100: 6000,
          computed_tier: 'normal',
          tier: 'normal',
          computed_at: new Date().toISOString(),
        })
        .execute()
    }
  } finally {
    await close()
  }

  // On a phone the scheme page fits.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, schemeUrl)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // 服务商 A reads its sub-scores and appeals once.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/provider/evaluation')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的评价')
  const mine = page.locator('section').filter({ has: page.getByRole('heading', { name: new RegExp(`${year} 年度服务商评价`) }) })
  await expect(mine.getByRole('region', { name: `${year} 年度各维度得分` })).toBeVisible()
  await mine.getByLabel('申诉理由').fill('本年度新交付的两个项目未计入评价，请核实。')
  await mine.getByRole('button', { name: '提交申诉' }).click()
  await expect(page.getByText('申诉已提交，等待主管部门处理。')).toBeVisible()
  await expect(mine.getByText('申诉：申诉待处理。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The agency upholds it with a new tier.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, `/agency/evaluations/${schemeId}/appeals`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('申诉处理')
  await page.getByRole('link', { name: new RegExp(`处理申诉 ${providerName}`) }).click()
  await expect(page.getByRole('heading', { name: `处理“${providerName}”的申诉` })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('处理决定').selectOption('upheld')
  await page.getByLabel('调整后的等级').selectOption('preferred')
  await page.getByLabel('处理说明').fill('核实后两个项目按期验收，调整为优先推荐。')
  await page.getByRole('button', { name: '处理申诉' }).click()
  await expect(page.getByText('申诉已处理，已通知服务商。')).toBeVisible()
  await expect(page.getByRole('row').filter({ hasText: providerName })).toContainText('申诉成立')
  await checkA11y(page)

  // 处理与复核: the ladder's form and what is due.
  await gotoReady(page, '/agency/sanctions')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('处理与复核')
  await expect(page.getByRole('heading', { name: '待复核' })).toBeVisible()
  // A step out of order is refused, changing nothing: the summary names the next step, and
  // the message under the field reads whole (no "{next}").
  await page.getByLabel('服务商', { exact: true }).selectOption({ index: 1 })
  await page.getByRole('button', { name: '选择', exact: true }).click()
  await expect(page.getByText('按处理顺序，下一步为：警告。')).toBeVisible()
  await page.getByRole('combobox', { name: '处理', exact: true }).selectOption('removal')
  await page.getByRole('textbox', { name: '原因', exact: true }).fill('跳过警告直接移出的尝试。')
  await page.getByRole('button', { name: '确定处理' }).click()
  await expect(page.getByRole('alert').filter({ hasText: '下一步应为：警告' })).toBeFocused()
  await expect(page.locator('#level-error')).toHaveText('须按“警告 → 限期整改 → 移出”逐级处理')
  await checkA11y(page)
})
