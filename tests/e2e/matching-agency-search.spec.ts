import { checkA11y, DEMO, DEMO_PASSWORD, expect, gotoReady, signIn, signOut, test } from './support.js'

/*
 * Issue 13, the agency's and the provider's side of matching:
 * - the 扬州 agency tunes the matching weights of its region (a total other than 100 is
 *   refused and said where the user is looking), previews how a need's top 10 moves,
 *   saves, recommends a provider to that need with a note (推荐对接), and restores the
 *   defaults;
 * - provider A mistypes a search in the needs hall, follows 您是不是要找「…」？, sees the
 *   words it matched marked, and saves the search, which its saved searches list.
 */

const PROVIDER_A = '13900000011'

test('an agency tunes its weights with a preview and recommends a provider to a need', async ({ page }) => {
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '匹配权重' }).click()
  await expect(page).toHaveURL(/\/agency\/matching$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('匹配权重')
  await checkA11y(page)

  // 25 + 10 more on region: 110, refused with the sum, nothing saved.
  const region = page.getByLabel('地域', { exact: true })
  await region.fill('18')
  await expect(page.locator('#w-total')).toHaveText('合计：110')
  await page.getByRole('button', { name: '保存权重' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeVisible()
  await expect(summary).toContainText('各项权重之和须为 100，当前为 110。')
  await checkA11y(page)

  // Take the 10 from text relevance: 100. Preview a recent need under these weights.
  await page.getByLabel('地域', { exact: true }).fill('18')
  await page.getByLabel('文本相关度', { exact: true }).fill('15')
  await expect(page.locator('#w-total')).toHaveText('合计：100')
  const choose = page.getByLabel('近期发布的需求')
  const firstNeed = choose.locator('option').nth(1)
  const needValue = await firstNeed.getAttribute('value')
  expect(needValue).toBeTruthy()
  await choose.selectOption(needValue)
  await page.getByRole('button', { name: '预览' }).click()
  const preview = page.getByRole('table', { name: '填写的权重下的前 10 名' })
  await expect(preview).toBeVisible()
  expect(await preview.locator('tbody tr').count()).toBeGreaterThan(0)
  await checkA11y(page)

  await page.getByLabel('地域', { exact: true }).fill('18')
  await page.getByLabel('文本相关度', { exact: true }).fill('15')
  await page.getByRole('button', { name: '保存权重' }).click()
  await expect(page.getByText('权重已保存，本辖区需求的匹配结果随即更新。')).toBeVisible()
  await expect(page.getByText(/当前使用本辖区设置的权重/)).toBeVisible()
  await checkA11y(page)

  // 推荐对接 on the previewed need's match list, with a note.
  await gotoReady(page, `/needs/${needValue}/matches`)
  const recommend = page.getByRole('combobox', { name: '推荐的服务商' })
  const provider = recommend.locator('option').nth(1)
  // Options read "rank. name".
  const providerName = ((await provider.textContent()) ?? '').replace(/^\d+\.\s*/, '').trim()
  await recommend.selectOption(await provider.getAttribute('value'))
  await page.getByLabel('推荐说明').fill('该服务商在本地有同类项目经验，建议企业邀请其现场调研。')
  await page.getByRole('button', { name: '推荐对接', exact: true }).click()
  await expect(page.getByText('已推荐对接，服务商会收到通知。')).toBeVisible()
  await expect(page.locator('.match-row', { hasText: providerName }).locator('.badge', { hasText: '主管部门推荐' })).toBeVisible()
  await checkA11y(page)

  // Back to the defaults, so other journeys rank as before.
  await gotoReady(page, '/agency/matching')
  await page.getByRole('button', { name: '恢复默认' }).click()
  await expect(page.getByText('已恢复默认权重。')).toBeVisible()
  await signOut(page)
})

test('a provider follows did-you-mean, sees its words marked and saves the search', async ({ page }) => {
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/needs?q=试觉检测')
  const suggestion = page.getByRole('link', { name: /视觉检测/ })
  await expect(page.getByText(/您是不是要找「视觉检测」？/)).toBeVisible()
  await checkA11y(page)
  await suggestion.click()
  await expect(page).toHaveURL(/q=%E8%A7%86%E8%A7%89%E6%A3%80%E6%B5%8B|q=视觉检测/)
  // The matched words (视觉检测 or a synonym) are marked in the results.
  await expect(page.locator('mark').first()).toBeVisible()
  await checkA11y(page)

  const name = `视觉检测 ${Date.now() % 100000}`
  await page.getByLabel('搜索名称').fill(name)
  await page.getByRole('button', { name: '保存搜索' }).click()
  await expect(page).toHaveURL(/\/provider\/saved-searches/)
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible()
  await checkA11y(page)
  await signOut(page)
})
