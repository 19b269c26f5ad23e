import { demoWorld, ENTERPRISE_A, PROVIDER_A } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Need → providers (issue 13): the demo enterprise A opens the match list of its
 * published need that shares the most scenarios with the demo provider A, reads why the
 * top provider ranks first (its breakdown), and invites two providers; provider A sees
 * the invitation (unread on /org, then in 邀请与推荐) and the need in 推荐需求, marked
 * as invited. The list fits a 390 px phone.
 */

function findWorld() {
  return demoWorld(async ({ db, enterprise, provider }) => {
    const scenarios = (
      await db.selectFrom('provider_scenarios').select('scenario_code').where('org_id', '=', provider.id).execute()
    ).map((s) => s.scenario_code)
    // The enterprise's published need sharing the most scenarios with provider A (ties: the oldest).
    const need = await db
      .selectFrom('needs as n')
      .innerJoin('need_scenarios as ns', 'ns.need_id', 'n.id')
      .where('n.org_id', '=', enterprise.id)
      .where('n.status', '=', 'published')
      .where('ns.scenario_code', 'in', scenarios.length ? scenarios : [''])
      .groupBy(['n.id', 'n.title'])
      .select(['n.id', 'n.title', (eb) => eb.fn.countAll<number>().as('shared')])
      .orderBy('shared', 'desc')
      .orderBy('n.id')
      .limit(1)
      .executeTakeFirstOrThrow()
    return { provider, need }
  })
}

test('an enterprise reads why the top provider ranks first and invites two; the provider sees the invitation and the need', async ({
  page,
}) => {
  const { provider, need } = await findWorld()

  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/enterprise/needs/${need.id}`)
  await page.getByRole('link', { name: '查看匹配服务商' }).click()
  await expect(page).toHaveURL(new RegExp(`/needs/${need.id}/matches$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(need.title)
  await checkA11y(page)

  // 为什么排第一: the top provider, named, with the factors that carried it.
  const rows = page.locator('.match-row')
  expect(await rows.count()).toBeGreaterThanOrEqual(2)
  const topName = (await rows.first().locator('.match-name a').textContent())!.trim()
  const secondName = (await rows.nth(1).locator('.match-name a').textContent())!.trim()
  const why = page.getByRole('region', { name: '为什么排第一' })
  await expect(why).toContainText(topName)
  await expect(why.getByRole('listitem').first()).toContainText('分')

  // Its breakdown, opened from the keyboard: every factor with weight, value and points.
  const summary = rows.first().locator('summary')
  await summary.focus()
  await page.keyboard.press('Enter')
  const breakdown = rows.first().getByRole('table', { name: `${topName} 的评分明细` })
  await expect(breakdown).toBeVisible()
  for (const factor of [
    '文本相关度',
    '场景重合',
    '行业经验',
    '服务评价',
    '履约记录',
    '地域',
    '承接能力',
    '价格匹配',
    '主管部门评级',
  ]) {
    await expect(breakdown.getByRole('rowheader', { name: new RegExp(factor) })).toBeVisible()
  }
  await expect(breakdown.getByRole('columnheader', { name: '权重' })).toBeVisible()
  // The delivery record says what it rests on: the demo's contracts (milestones on time), or neutral without any.
  await expect(breakdown.getByRole('rowheader', { name: /履约记录/ })).toContainText(/里程碑|中性/)
  await checkA11y(page)

  // Invite two: the top one and provider A (the one after the top when A is the top).
  const other = topName === provider.name ? secondName : topName
  await page.getByRole('checkbox', { name: `选择 ${other}` }).check()
  const pickA = page.getByRole('checkbox', { name: `选择 ${provider.name}` })
  if ((await pickA.count()) > 0) {
    await pickA.check()
    await page.getByRole('button', { name: '邀请投标' }).click()
    await expect(page.getByText('已邀请 2 家服务商投标（另有 0 家此前已邀请）。')).toBeVisible()
    await expect(page.locator('.match-row .badge', { hasText: '已邀请投标' })).toHaveCount(2)
  } else {
    // Provider A ranks further down: invite the first here, then A from its page.
    await page.getByRole('button', { name: '邀请投标' }).click()
    await expect(page.getByText('已邀请 1 家服务商投标（另有 0 家此前已邀请）。')).toBeVisible()
    await checkA11y(page)
    for (let i = 0; i < 10 && (await pickA.count()) === 0; i += 1) {
      await page.getByRole('navigation', { name: '分页' }).getByRole('link', { name: '下一页' }).click()
      await expect(page).toHaveURL(/page=\d+/)
      await checkA11y(page)
    }
    await pickA.check()
    await page.getByRole('button', { name: '邀请投标' }).click()
    await expect(page.getByText('已邀请 1 家服务商投标（另有 0 家此前已邀请）。')).toBeVisible()
  }
  await expect(page.getByRole('checkbox', { name: `选择 ${provider.name}` })).toHaveCount(0)
  await checkA11y(page)

  // On a phone: the list and its breakdowns fit 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await checkA11y(page)
  await rows.first().locator('summary').click()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // Provider A: an unread invitation on /org, then in 邀请与推荐.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '邀请与推荐（1 条新）' }).click()
  await expect(page).toHaveURL(/\/provider\/invitations$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('邀请与推荐')
  const invitation = page.getByRole('row', { name: new RegExp(need.title) })
  await expect(invitation).toContainText('新')
  await expect(invitation).toContainText('已邀请投标')
  await checkA11y(page)

  // 推荐需求: the need is there, marked as invited (paging on until it shows).
  await gotoReady(page, '/provider/recommended')
  const card = page.locator('.need-card', { has: page.getByRole('link', { name: need.title, exact: true }) })
  for (let i = 0; i < 10 && (await card.count()) === 0; i += 1) {
    const next = page.getByRole('navigation', { name: '分页' }).getByRole('link', { name: '下一页' })
    if ((await next.count()) === 0) break
    await next.click()
    await page.waitForLoadState('networkidle')
    await checkA11y(page)
  }
  await expect(card).toHaveCount(1)
  await expect(card).toContainText('企业已邀请投标')
  await card.getByRole('link', { name: need.title, exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/needs/${need.id}$`))
  await checkA11y(page)
})
