import crypto from 'node:crypto'
import {
  answerConfirmDialog,
  applyForOrg,
  checkA11y,
  DEMO,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  gotoReady,
  register,
  signIn,
  signOut,
  test,
} from './support.js'

const PASSWORD = 'Colleague-pass-2026'

test('an owner invites a colleague by link; the colleague joins and switches between organisations', async ({ page }) => {
  // The owner of 企业 A creates an invite link.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  const orgA = (await page.getByRole('heading', { level: 1 }).innerText()).trim()
  await page.getByRole('button', { name: '生成邀请码' }).click()
  // The link (a 256-bit token) and the code are shown this once: only their hashes are kept.
  const code = (await page.getByTestId('invite-code').innerText()).trim()
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
  const link = new URL((await page.getByTestId('invite-link').innerText()).trim()).pathname
  expect(link).toMatch(/^\/join\/[A-Za-z0-9_-]{43}$/)
  await checkA11y(page)
  await signOut(page)

  // A colleague registers, creates their own provider, then follows the link.
  const phone = freshPhone('134')
  await register(page, '孙工', phone, PASSWORD)
  const ownOrg = `扬州智联工业软件有限公司${crypto.randomInt(1000)}`
  await applyForOrg(page, { name: ownOrg, district: '邗江区', districtCode: '321003', providerKind: '信息工程服务商' })
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ownOrg)
  await checkA11y(page)

  await page.goto(link)
  await expect(page.getByRole('main')).toContainText(orgA)
  await expect(page.getByRole('main')).toContainText('您受邀加入')
  await checkA11y(page)
  await page.getByRole('button', { name: '加入' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgA)
  // A member sees the members but cannot manage them.
  await expect(page.getByRole('row', { name: /孙工/ })).toContainText('成员')
  await expect(page.getByRole('button', { name: '生成邀请码' })).toHaveCount(0)
  await checkA11y(page)

  // Two organisations now: switch back to their own.
  await page.locator('html[data-hydrated]').waitFor()
  await page.getByLabel('当前组织').selectOption({ label: ownOrg })
  await page.getByRole('button', { name: '切换' }).first().click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ownOrg)
  await checkA11y(page)
})

test('a user sees their signed-in devices and ends the others', async ({ browser }) => {
  const phone = freshPhone('133')
  const first = await browser.newContext()
  const second = await browser.newContext()
  const pageA = await first.newPage()
  const pageB = await second.newPage()
  await register(pageA, '周工', phone, PASSWORD)
  await signIn(pageB, phone, PASSWORD)

  await gotoReady(pageA, '/account')
  const rows = pageA.locator('table.data tbody tr')
  await expect(rows).toHaveCount(2)
  await expect(pageA.getByText('当前设备', { exact: true })).toBeVisible()
  // Devices by name, not the raw user-agent string.
  await expect(rows.first().locator('td').first()).toHaveText(/^(Chrome|未知浏览器) · Linux$/)
  await pageA.getByRole('button', { name: '退出其他所有设备' }).click()
  await answerConfirmDialog(pageA, '退出其他所有设备？', '退出其他所有设备')
  await expect(pageA.getByText('已结束 1 个登录。')).toBeVisible()
  await expect(rows).toHaveCount(1)
  await checkA11y(pageA)

  // The other device is signed out.
  await pageB.goto('/account')
  await expect(pageB).toHaveURL(/\/login\?redirectTo=%2Faccount/)
  await checkA11y(pageB)
  await first.close()
  await second.close()
})

test('an agency reads the audit log of its jurisdiction', async ({ page }) => {
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await page.getByRole('link', { name: '审计日志', exact: true }).click()
  await expect(page.getByRole('heading', { name: '审计日志' })).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('事件类型').selectOption({ label: '登录' })
  await page.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/action=auth\.signed_in/)
  const firstRow = page.locator('table.data tbody tr').first()
  await expect(firstRow).toContainText('登录')
  await expect(firstRow).toContainText('郑国华')
  await checkA11y(page)
})

test('an enterprise cannot open the agency pages: a Chinese 403', async ({ page }) => {
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  const response = await page.goto('/agency/audits')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('无权访问')
  await checkA11y(page)
})

test('the interface switches to English and back', async ({ page }) => {
  await gotoReady(page, '/needs')
  // The server was started with demo data: every page says so, in both languages.
  await expect(page.getByTestId('demo-banner')).toContainText('演示站点')
  await page.getByLabel('语言').selectOption('en')
  await page.getByRole('button', { name: '切换' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Upgrade needs')
  await expect(page).toHaveURL(/\/needs$/)
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByTestId('demo-banner')).toContainText('Demo site')
  await checkA11y(page)
  await page.getByLabel('Language').selectOption('zh-CN')
  await page.getByRole('button', { name: 'Switch' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('需求大厅')
})

test('without scripts, ending the other sessions asks on a confirm step first', async ({ browser }) => {
  const phone = freshPhone('131')
  const withScripts = await browser.newContext()
  const scriptless = await browser.newContext({ javaScriptEnabled: false })
  const other = await withScripts.newPage()
  const page = await scriptless.newPage()
  await register(other, '吴工', phone, PASSWORD)

  await page.goto('/login')
  await checkA11y(page, { scripts: false })
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByLabel('密码').fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await checkA11y(page, { scripts: false })
  await page.goto('/account')
  await checkA11y(page, { scripts: false })
  await page.getByRole('button', { name: '退出其他所有设备' }).click()
  // The second step: the question, the consequence, the way on and the way back.
  const step = page.getByRole('alertdialog', { name: '退出其他所有设备？' })
  await expect(step).toBeVisible()
  await expect(page.locator('table.data tbody tr')).toHaveCount(2)
  await checkA11y(page, { scripts: false })
  await step.getByRole('button', { name: '退出其他所有设备' }).click()
  await expect(page.getByText('已结束 1 个登录。')).toBeVisible()
  await expect(page.locator('table.data tbody tr')).toHaveCount(1)
  await checkA11y(page, { scripts: false })

  await other.goto('/account')
  await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount/)
  await checkA11y(other)
  await withScripts.close()
  await scriptless.close()
})
