import crypto from 'node:crypto'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import { checkA11y, chooseLanguage, expect, freshPhone, gotoReady, pageWidth, register, test } from './support.js'

/*
 * The journey of issue 16: a new enterprise in 兰州 (甘肃, whose 2025 gradient rules the
 * platform holds) does a GB/T 39116 maturity self-assessment (levels 1 and 2 fully met → 二级,
 * written to its 一企一档), fills its archive indicators and the short 梯度自评 questionnaire,
 * and sees on /enterprise/gradient that 基础级 is met and 先进级 is missed — each missed
 * criterion with its gap and article — and the estimated reward (基础级 100 万元 at most,
 * marked as an estimate); once it records an 优秀场景 with 30 万元 received, the estimate
 * deducts it (第十九条: 70 and 270). Then the page in English, and on a 390 px phone.
 * The enterprise is still 待审核: the archive and the policy tools are open to it (issue 12).
 */

test('an enterprise self-assesses, fills its indicators and sees 基础级 met, 先进级 missed and its estimated reward', async ({
  page,
}) => {
  test.setTimeout(300_000)
  const phone = freshPhone('136')
  const name = `兰州精工机械${phone.slice(-4)}有限公司`
  await register(page, '马晓梅', phone, 'Journey-pass-2026')
  await page.getByLabel('组织名称').fill(name)
  await page.getByLabel('统一社会信用代码').fill(generateUscc(() => crypto.randomInt(1e6) / 1e6, '620102'))
  await page.getByLabel('省份').selectOption({ label: '甘肃省' })
  await page.getByLabel('城市').selectOption({ label: '兰州市' })
  await page.getByLabel('区县').selectOption({ label: '城关区' })
  await page.getByLabel('所属行业').selectOption('C34')
  await page.getByRole('button', { name: '提交入驻申请' }).click()
  await expect(page.locator('.badge', { hasText: '待审核' })).toBeVisible()
  await checkA11y(page)

  // 1. The maturity self-assessment: levels 1 and 2 fully met, 3–5 not started → 二级.
  await gotoReady(page, '/enterprise/assessments')
  await page.getByRole('link', { name: '开始成熟度自诊断', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('智能制造能力成熟度')
  await checkA11y(page)
  const groups = page.getByRole('group', { name: /^第 \d+ 题/ })
  const count = await groups.count()
  expect(count).toBe(10)
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i)
    const legend = (await group.locator('legend').textContent()) ?? ''
    const low = /一级|二级/.test(legend)
    await group.getByLabel(low ? '完全符合' : '未开展', { exact: true }).check()
  }
  await page.getByRole('button', { name: '提交自评估' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('自评估结果')
  await expect(page.getByText(/成熟度等级已自动写入一企一档/)).toBeVisible()
  await checkA11y(page)

  // 2. The archive's indicators.
  await gotoReady(page, '/enterprise/archive')
  await page.getByLabel('企业规模').selectOption('medium')
  await page.getByLabel('数字化研发设计工具普及率（%）').fill('75')
  await page.getByLabel('生产装备数控化率（%）').fill('72')
  await page.getByLabel('关键工序数控化率（%）').fill('65')
  await page.getByLabel('指标所属年份').fill('2026')
  await page.getByRole('button', { name: '保存档案' }).click()
  await expect(page.getByText('一企一档已保存')).toBeVisible()
  await checkA11y(page)

  // 3. The 梯度自评 questionnaire: what the archive lacks.
  await gotoReady(page, '/enterprise/gradient/answers')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('梯度自评问卷')
  await page.getByLabel(/MES/).first().fill('40')
  await page
    .getByLabel(/代表产线/)
    .first()
    .fill('1200')
  await page.getByRole('checkbox', { name: '生产作业', exact: true }).check()
  await page.getByRole('combobox', { name: /PDM/ }).selectOption('yes')
  await page.getByRole('combobox', { name: /ERP/ }).selectOption('yes')
  await page.getByRole('combobox', { name: /安全/ }).selectOption('yes')
  await page.getByRole('button', { name: '保存问卷' }).click()
  await expect(page).toHaveURL(/\/enterprise\/gradient$/)
  await expect(page.getByText('梯度自评问卷已保存。')).toBeVisible()
  await checkA11y(page)

  // 4. 基础级 met; 先进级 missed, each reason with its gap and article.
  const basic = page.getByRole('region', { name: '基础级智能工厂', exact: true })
  await expect(basic).toContainText('已满足')
  const advanced = page.getByRole('region', { name: '先进级智能工厂', exact: true })
  await expect(advanced).toContainText('未满足')
  await expect(advanced).toContainText('差 5%') // 研发设计工具 75 % of 80 %
  await expect(advanced).toContainText('差 20%') // MES 40 % of 60 %
  await expect(advanced).toContainText('第十二条（四）')
  await expect(advanced).toContainText(/尚缺环节：.*生产管理/)

  // 5. The estimate: first application may be any of the three; 基础级 pays up to 100 万元.
  const rewards = page.getByRole('region', { name: '奖励测算（估算）' })
  await expect(rewards).toContainText('基础级智能工厂：最高约 100 万元')
  await expect(rewards).toContainText('先进级智能工厂：最高约 300 万元')
  await expect(page.getByText('测算仅供参考，不构成审批决定', { exact: false }).first()).toBeVisible()

  // 6. An 优秀场景 title with 30 万元 received (recorded in the archive): 第十九条 deducts it —
  // 基础级 now pays at most 100 − 30, 先进级 300 − 30; 先进级 is no longer open (level by level).
  await gotoReady(page, '/enterprise/archive')
  await page.getByRole('combobox', { name: '称号', exact: true }).selectOption('excellent_scenario')
  await page.getByLabel('场景名称').fill('智能在线检测')
  await page.getByLabel('认定单位').fill('甘肃省工业和信息化厅')
  await page.getByLabel('认定日期').fill('2026-03-20')
  await page.getByLabel('已获奖励（万元）').fill('30')
  await page.getByRole('button', { name: '添加称号' }).click()
  await expect(page.getByText('称号已添加')).toBeVisible()
  await checkA11y(page)
  await gotoReady(page, '/enterprise/gradient')
  const after = page.getByRole('region', { name: '奖励测算（估算）' })
  await expect(after).toContainText('基础级智能工厂：最高约 70 万元')
  await expect(after).toContainText('先进级智能工厂：最高约 270 万元')

  // 7. The same in English.
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('region', { name: 'Basic smart factory', exact: true })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Advanced smart factory', exact: true })).toBeVisible()
  await checkA11y(page)
  await chooseLanguage(page, 'zh-CN')

  // 8. On a phone.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/enterprise/gradient')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
})
