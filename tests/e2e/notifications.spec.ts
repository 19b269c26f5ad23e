import { demoWorld, ENTERPRISE_A, PROVIDER_A } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * The notification centre (issue 14 §7): the demo enterprise A invites provider A from
 * the match list of one of its published needs; provider A's bell shows the unread
 * count, /notifications lists the notice (unread), which leads to 邀请与推荐; marking all
 * read clears the bell; in 通知设置 provider A turns off e-mail for invitations. Each
 * page is checked with axe; the list fits a 390 px phone.
 */

function findWorld() {
  return demoWorld(async ({ db, enterprise, provider }) => {
    const scenarios = (
      await db.selectFrom('provider_scenarios').select('scenario_code').where('org_id', '=', provider.id).execute()
    ).map((s) => s.scenario_code)
    // A published need of the enterprise sharing scenarios with provider A, which has not invited it yet.
    const need = await db
      .selectFrom('needs as n')
      .innerJoin('need_scenarios as ns', 'ns.need_id', 'n.id')
      .where('n.org_id', '=', enterprise.id)
      .where('n.status', '=', 'published')
      .where('ns.scenario_code', 'in', scenarios.length ? scenarios : [''])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('need_invitations as i')
              .select('i.id')
              .whereRef('i.need_id', '=', 'n.id')
              .where('i.provider_org_id', '=', provider.id)
              .where('i.kind', '=', 'invite'),
          ),
        ),
      )
      .groupBy(['n.id', 'n.title'])
      .select(['n.id', 'n.title', (eb) => eb.fn.countAll<number>().as('shared')])
      .orderBy('shared', 'desc')
      .orderBy('n.id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    return { enterprise, provider, need }
  })
}

test('a provider is told of an invitation by the bell, follows it, marks all read and turns e-mail off', async ({ page }) => {
  const { enterprise, provider, need } = await findWorld()

  // The enterprise invites provider A from the match list (paging on until A shows).
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/needs/${need.id}/matches`)
  const pickA = page.getByRole('checkbox', { name: `选择 ${provider.name}` })
  for (let i = 0; i < 10 && (await pickA.count()) === 0; i += 1) {
    await page.getByRole('navigation', { name: '分页' }).getByRole('link', { name: '下一页' }).click()
    await expect(page).toHaveURL(/page=\d+/)
    await checkA11y(page)
  }
  await pickA.check()
  await page.getByRole('button', { name: '邀请投标' }).click()
  await expect(page.getByText('已邀请 1 家服务商投标（另有 0 家此前已邀请）。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A: the bell in the header names the unread count.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  const bell = page.getByRole('link', { name: /^通知，\d+ 条未读$/ })
  await expect(bell).toBeVisible()
  await expect(bell.locator('.bell-count')).toHaveText(/^(\d{1,2}|99\+)$/)
  await bell.click()
  await expect(page).toHaveURL(/\/notifications$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('通知')
  const notice = page.getByRole('listitem').filter({ hasText: need.title })
  await expect(notice).toHaveCount(1)
  await expect(notice).toContainText('未读')
  await expect(notice.getByRole('link', { name: `${enterprise.name} 邀请贵单位投标` })).toBeVisible()
  await checkA11y(page)

  // On a phone: the list fits 390 px.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await checkA11y(page)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.reload()

  // Following the notice leads to 邀请与推荐.
  await notice.getByRole('link', { name: `${enterprise.name} 邀请贵单位投标` }).click()
  await expect(page).toHaveURL(/\/provider\/invitations$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('邀请与推荐')
  await expect(page.getByRole('row', { name: new RegExp(need.title) })).toBeVisible()
  await checkA11y(page)

  // Mark all read, from the keyboard: the bell has no count any more.
  await page.getByRole('link', { name: /^通知，/ }).click()
  await expect(page).toHaveURL(/\/notifications$/)
  const markAll = page.getByRole('button', { name: '全部标为已读' })
  await markAll.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByText('已将全部通知标为已读。')).toBeVisible()
  await expect(page.getByRole('link', { name: '通知，没有未读' })).toBeVisible()
  await expect(page.locator('.bell-count')).toHaveCount(0)
  await expect(page.getByRole('button', { name: '全部标为已读' })).toHaveCount(0)
  await expect(page.getByRole('listitem').filter({ hasText: need.title })).not.toContainText('未读')
  await checkA11y(page)
  await gotoReady(page, '/notifications?unread=1')
  await expect(page.getByText('没有未读通知。')).toBeVisible()

  // 通知设置: e-mail for invitations off, kept after saving.
  await page.getByRole('link', { name: '通知设置' }).click()
  await expect(page).toHaveURL(/\/account\/notifications$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('通知设置')
  await checkA11y(page)
  const email = page.getByRole('checkbox', { name: '收到投标邀请：邮件' })
  await expect(email).toBeChecked()
  await expect(page.getByRole('checkbox', { name: '收到投标邀请：短信' })).not.toBeChecked()
  await email.uncheck()
  await page.getByRole('button', { name: '保存设置' }).click()
  await expect(page.getByText('通知设置已保存。')).toBeVisible()
  await expect(page.getByRole('checkbox', { name: '收到投标邀请：邮件' })).not.toBeChecked()
  await checkA11y(page)

  // The account page links to it.
  await gotoReady(page, '/account')
  await expect(page.getByRole('link', { name: '通知设置' })).toHaveAttribute('href', '/account/notifications')
})
