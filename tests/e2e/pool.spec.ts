import crypto from 'node:crypto'
import { AGENCY_YANGZHOU, ENTERPRISE_A, PROVIDER_A, demoWorld, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * The provider pool (issue 15 §4): the 扬州 agency opens a round for 服务商 A's category
 * with a quota; 服务商 A applies; the agency assigns the demo expert, who reviews; the
 * agency starts 公示; enterprise A objects on the public notice page; once the period has
 * ended, admission is refused while the objection is open, then the agency dismisses it
 * and admits; 服务商 A sees its membership. axe on every page, the round page at 390 px.
 */

const DEMO_EXPERT = '13900000031'

test('a provider is admitted to the pool after review, 公示 and an objection', async ({ page }) => {
  test.setTimeout(240_000)
  const provider = await demoWorld(async ({ provider }) => provider)
  const kinds = JSON.parse(typeof provider.provider_kinds === 'string' ? provider.provider_kinds : '[]') as string[]
  const kindLabel: Record<string, string> = {
    equipment: '智能制造装备供应商',
    it_engineering: '信息工程服务商',
    integrator: '系统解决方案供应商',
    consultancy: '诊断咨询机构',
    supervisor: '监理机构',
  }
  const category = kinds[0] ?? 'integrator'
  const title = `资源池测试批次 ${crypto.randomInt(1e6)}`

  // The agency opens a round with a quota for C34.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/pool')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服务商资源池')
  await page.getByLabel('入库类别').selectOption(category)
  await page.getByLabel('批次名称').fill(title)
  const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
  await page.getByLabel('申请截止日期').fill(until)
  await page.getByLabel('细分行业 1').selectOption('C34')
  await page.getByLabel('名额 1').fill('1')
  await page.getByRole('button', { name: '发布批次' }).click()
  await expect(page.getByText('入库批次已发布。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  await checkA11y(page)
  const roundUrl = new URL(page.url()).pathname
  await signOut(page)

  // 服务商 A applies.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/provider/pool')
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) })
  await expect(card).toContainText(kindLabel[category]!)
  await card.getByLabel('细分行业').selectOption('C34')
  await card.getByLabel('申请说明').fill('汽车零部件行业产线集成案例 5 个，具备 MES 与设备联网实施能力。')
  await card.getByRole('button', { name: /提交申请/ }).click()
  await expect(page.getByText('入库申请已提交。')).toBeVisible()
  await checkA11y(page)
  await expect(page.getByRole('region', { name: '我的入库申请' }).first()).toContainText('已提交')
  await signOut(page)

  // The agency assigns the demo expert.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, roundUrl)
  await page.getByRole('link', { name: `处理 ${provider.name}` }).click()
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`入库申请：\\s*${provider.name}`) })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel(/王建平/).check()
  await page.getByRole('button', { name: '指派' }).click()
  await expect(page.getByText('已指派评审专家并通知本人。')).toBeVisible()
  await checkA11y(page)
  // 公示 cannot start before the review.
  await page.getByRole('button', { name: '开始公示' }).click()
  await expect(page.getByText('须至少一位专家评审且已指派的专家全部提交意见后，才能开始公示。').first()).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The expert reviews.
  await signIn(page, DEMO_EXPERT, DEMO_PASSWORD)
  await gotoReady(page, '/expert/pool')
  const task = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: provider.name }) })
  await task.getByLabel('评分（0–100）').fill('86')
  await task.getByLabel('推荐', { exact: true }).check()
  await task.getByLabel('评审意见').fill('案例真实充分，实施团队稳定，建议入库。')
  await task.getByRole('button', { name: '提交评审意见' }).click()
  await expect(page.getByText('评审意见已提交，公示开始前可以修改。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The agency starts 公示 (the form proposes the earliest allowed end).
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, roundUrl)
  await page.getByRole('link', { name: `处理 ${provider.name}` }).click()
  await expect(page.getByRole('region', { name: '专家评审意见' })).toContainText('86')
  await page.getByRole('button', { name: '开始公示' }).click()
  await expect(page.getByText('已开始公示。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Enterprise A objects on the public notice page.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, '/pool/notices')
  await page.getByRole('link', { name: `提出异议 ${provider.name}` }).click()
  await checkA11y(page)
  await page.getByLabel('异议理由').fill('该单位去年一个项目延期交付，请核实。')
  await page.getByRole('button', { name: '提交异议' }).click()
  await expect(page.getByText('异议已提交，主管部门会核实处理。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // The notice period ends (written straight into the database).
  const { db, close } = serverDb()
  try {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    const weekAgo = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10)
    const round = await db.selectFrom('pool_rounds').select('id').where('title', '=', title).executeTakeFirstOrThrow()
    await db
      .updateTable('pool_applications')
      .set({ notice_from: weekAgo, notice_until: yesterday })
      .where('round_id', '=', round.id)
      .execute()
  } finally {
    await close()
  }

  // Admission waits for the objection; dismissed, the provider is admitted.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, roundUrl)
  await page.getByRole('link', { name: `处理 ${provider.name}` }).click()
  await page.getByRole('button', { name: '准予入库' }).click()
  await expect(page.getByText('尚有未处理的异议，处理后才能准予入库。').first()).toBeVisible()
  await checkA11y(page)
  await page.getByRole('region', { name: '公示异议' }).getByLabel('处理结果').selectOption('dismissed')
  await page
    .getByRole('region', { name: '公示异议' })
    .getByLabel(/处理说明/)
    .fill('经核实已按补充协议交付。')
  await page.getByRole('button', { name: '处理', exact: true }).click()
  await expect(page.getByText('异议已处理。')).toBeVisible()
  await checkA11y(page)
  await page.getByRole('link', { name: `处理 ${provider.name}` }).click()
  await page.getByRole('button', { name: '准予入库' }).click()
  await expect(page.getByText('已准予入库并通知服务商。')).toBeVisible()
  await checkA11y(page)
  await expect(page.getByRole('region', { name: '细分行业名额' }).first()).toContainText('1')

  // The round page fits a phone.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, roundUrl)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 800 })
  await signOut(page)

  // 服务商 A sees its membership.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/provider/pool')
  await expect(page.getByRole('region', { name: '已入库' }).first()).toContainText('扬州')
  await expect(page.getByRole('region', { name: '我的入库申请' }).first()).toContainText('已入库')
})
