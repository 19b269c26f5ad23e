import { checkA11y, chineseOutsideData, chooseLanguage, expect, gotoReady, pageWidth, test } from './support.js'

/*
 * 政策规则, public (issue 16 §1): anyone reads the rule sets — Gansu 2025 with its levels,
 * criteria, application rules, validity and rewards; the Yangzhou 2022 measures marked as
 * expired —, in English too, and on a phone; every page's footer links them.
 */

test('anyone reads the policy rules: levels, thresholds, caps, and the expired Yangzhou measures marked', async ({ page }) => {
  test.setTimeout(180_000)
  // Every page's footer leads to the rules.
  await gotoReady(page, '/')
  await checkA11y(page)
  await page.getByRole('navigation', { name: '更多' }).getByRole('link', { name: '政策规则' }).click()
  await expect(page).toHaveURL(/\/policies$/)
  await expect(page.getByRole('heading', { level: 1, name: '政策规则' })).toBeVisible()
  const gansuRow = page.getByRole('row', { name: /甘肃省智能工厂梯度培育管理实施细则/ })
  await expect(gansuRow).toContainText('现行有效')
  await expect(gansuRow).toContainText('甘工信发〔2025〕152号')
  const yangzhouRow = page.getByRole('row', { name: /关于推进制造业智能化改造和数字化转型的政策措施/ })
  await expect(yangzhouRow).toContainText('已失效')

  await page.getByRole('link', { name: '甘肃省智能工厂梯度培育管理实施细则', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '甘肃省智能工厂梯度培育管理实施细则' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 3, name: '基础级智能工厂' })).toBeVisible()
  const basic = page.getByRole('region', { name: '基础级智能工厂的评价条件' })
  await expect(basic.getByRole('row', { name: /数字化研发设计工具普及率≥70%/ })).toContainText('≥ 70%')
  await expect(basic.getByRole('row', { name: /成熟度二级及以上/ })).toContainText('满足其一即可')
  await expect(page.getByText('再次申报须逐级：智能制造优秀场景 → 基础级智能工厂 → 先进级智能工厂')).toBeVisible()
  await expect(page.getByText('智能制造优秀场景每年申报不超过 2 个')).toBeVisible()
  await expect(page.getByText('智能制造优秀场景累计奖励不超过 100 万元')).toBeVisible()
  await expect(page.getByText(/合计不超过 300 万元/)).toBeVisible()
  await expect(page.getByText('称号有效期 3 年；有效期结束前 3 个月内申请复核。')).toBeVisible()
  await expect(page.getByText('已失效', { exact: true })).toHaveCount(0)
  await checkA11y(page)

  await gotoReady(page, '/policies/yangzhou-2022-smart-transformation-measures')
  await expect(page.getByRole('note').filter({ hasText: '已失效' })).toContainText('该政策已于 2025-02-23 失效，仅供参考')
  await expect(page.getByRole('row', { name: /智能化改造补助/ })).toContainText(
    '基数达到 2000 万元以上，按不高于 13% 补助，最高 600 万元',
  )
  await expect(page.getByText('诊断监理：最高 0.5 万元')).toBeVisible()
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // An unknown rule set: the not-found page, not an error.
  const missing = await page.goto('/policies/no-such-policy')
  expect(missing?.status()).toBe(404)
  await checkA11y(page)

  // In English.
  await gotoReady(page, '/policies/gansu-2025-smart-factory-gradient')
  await chooseLanguage(page, 'en')
  await expect(
    page.getByRole('heading', { level: 1, name: 'Gansu implementing rules for graded smart-factory development' }),
  ).toBeVisible()
  await expect(page.getByRole('heading', { level: 3, name: 'Advanced smart factory' })).toBeVisible()
  await expect(page.getByText('A title is valid for 3 years; the review is applied for in the last 3 months.')).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await gotoReady(page, '/policies')
  await expect(page.getByRole('row', { name: /Measures to promote smart transformation/ })).toContainText('Expired')
  expect(await chineseOutsideData(page)).toEqual([])
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
