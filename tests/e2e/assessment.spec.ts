import {
  checkA11y,
  chineseOutsideData,
  chooseLanguage,
  DEMO,
  DEMO_PASSWORD,
  expect,
  gotoReady,
  pageWidth,
  signIn,
  test,
} from './support.js'

/*
 * 自评估 (issue 16 §2): the demo enterprise A fills the SME digital-level self-assessment,
 * sees its total, level and what to improve, and the history; in English and at 390 px.
 * Port 3121 (E2E_PORT).
 *
 * Stable labels for other specs (the lead's journey):
 * - /enterprise/assessments: links "开始数字化水平自评估" and "开始成熟度自诊断"
 *   (/enterprise/assessments/new?kind=sme_digital | maturity).
 * - The form: every question a fieldset (role group) whose legend reads
 *   "第 {n} 题（{维度}）：{题目}"; its options are radios labelled with the option text
 *   (data: seed/reference/assessments/*.json; SME options score 0/40/70/100 in order,
 *   maturity 0/50/80/100). The submit button: "提交自评估".
 * - The result: heading "自评估结果：中小企业数字化水平", the facts 总分 ("70 分") and 等级 ("三级"),
 *   sections "各维度得分" and "优先改进".
 */

test('an enterprise fills the SME digital-level self-assessment and sees its level and progress', async ({ page }) => {
  test.setTimeout(180_000)
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, '/enterprise/assessments')
  await expect(page.getByRole('heading', { level: 1, name: '自评估' })).toBeVisible()
  await checkA11y(page)

  await page.getByRole('link', { name: '开始数字化水平自评估', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '新的自评估：中小企业数字化水平' })).toBeVisible()
  const questions = page.getByRole('group', { name: /^第 \d+ 题/ })
  await expect(questions).toHaveCount(12)
  await checkA11y(page)

  // Submitting with a question left out: the summary names it, nothing is kept.
  for (let i = 1; i < 12; i++) await questions.nth(i).getByRole('radio').nth(2).check()
  await page.getByRole('button', { name: '提交自评估', exact: true }).click()
  await expect(page.getByRole('alert').getByRole('link', { name: /^第 1 题“.+”：尚未作答，请选择一项$/ })).toBeVisible()
  await expect(page.getByRole('alert').getByRole('link')).toHaveCount(1)
  await expect(questions.first()).toContainText('尚未作答，请选择一项')
  await checkA11y(page)

  // By keyboard-reachable labels: the first question's third option.
  await questions.first().getByRole('radio', { name: '多数设备数控化，部分联网', exact: true }).check()
  await page.getByRole('button', { name: '提交自评估', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '自评估结果：中小企业数字化水平' })).toBeVisible()
  await expect(page.getByText('自评估已提交，结果如下。')).toBeVisible()
  await expect(page.getByText('70 分', { exact: true }).first()).toBeVisible()
  await expect(page.getByText('三级', { exact: true })).toBeVisible()
  await expect(page.getByText('结果已自动写入一企一档', { exact: false })).toBeVisible()
  await expect(page.getByRole('row', { name: /数字化经营/ })).toContainText('70 分')
  await expect(page.getByRole('heading', { level: 2, name: '优先改进' })).toBeVisible()
  await checkA11y(page)

  // A phone, then English.
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1, name: 'Self-assessment result: SME digital level' })).toBeVisible()
  await expect(page.getByText('Level 3', { exact: true })).toBeVisible()
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await chooseLanguage(page, 'zh-CN')

  // The history lists it.
  await page.getByRole('link', { name: '全部自评估' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '自评估' })).toBeVisible()
  const history = page.getByRole('region', { name: '历次自评估' })
  await expect(history.getByRole('row').filter({ hasText: '中小企业数字化水平' }).first()).toContainText('70 分')
  await checkA11y(page)
})
