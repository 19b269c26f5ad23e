import {
  checkA11y,
  DEMO,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  gotoReady,
  pageWidth,
  register,
  signIn,
  signOut,
  test,
} from './support.js'

const PASSWORD = 'Agency-colleague-2026'

test('joining an agency gives no rights until its owner confirms the person and a role (on a 390 px phone)', async ({ page }) => {
  // Three people sign in (scrypt at its production cost) and every page is checked with axe.
  test.setTimeout(180_000)
  // The owner of 扬州市工业和信息化局 invites a colleague.
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await expect(page.getByText('加入本部门的人需经您确认并设定角色')).toBeVisible()
  await page.getByRole('button', { name: '生成邀请码' }).click()
  const link = new URL((await page.getByTestId('invite-link').innerText()).trim()).pathname
  await checkA11y(page)
  await signOut(page)

  // The colleague registers and follows the link: a member, waiting, with no agency pages.
  const name = `审核新人${Math.floor(Math.random() * 1000)}`
  const phone = freshPhone('132')
  await register(page, name, phone, PASSWORD)
  await gotoReady(page, link)
  await expect(page.getByRole('main')).toContainText('需经其管理员确认身份并设定角色')
  await page.getByRole('button', { name: '加入' }).click()
  await expect(page.getByText('正在等待管理员确认您的身份和角色')).toBeVisible()
  await checkA11y(page)
  await expect(page.getByRole('link', { name: '审计日志', exact: true })).toHaveCount(0)
  const denied = await page.goto('/agency/audit-log')
  expect(denied?.status()).toBe(403)
  await checkA11y(page)
  await signOut(page)

  // The owner, on a phone, confirms them as a viewer: every member is a card, nothing overflows.
  await page.setViewportSize({ width: 390, height: 844 })
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await expect(page.getByText('有人通过邀请加入了本部门')).toBeVisible()
  const card = page.getByRole('row', { name: new RegExp(name) })
  await expect(card).toContainText('待确认')
  await card.getByLabel(`${name} 的角色`).selectOption({ label: '查看者' })
  await card.getByRole('button', { name: '确认' }).click()
  await expect(card).toContainText('已确认')
  await expect(card.getByRole('button', { name: '更改角色' })).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await signOut(page)

  // Confirmed as a viewer: the audit log opens, reviewing does not.
  await page.setViewportSize({ width: 1280, height: 900 })
  await signIn(page, phone, PASSWORD)
  await expect(page.getByRole('link', { name: '审计日志', exact: true })).toBeVisible()
  await expect(page.getByRole('link', { name: '入驻审核' })).toHaveCount(0)
  await gotoReady(page, '/agency/audit-log')
  await expect(page.getByRole('heading', { name: '审计日志' })).toBeVisible()
  const review = await page.goto('/agency/audits')
  expect(review?.status()).toBe(403)
  await checkA11y(page)
})
