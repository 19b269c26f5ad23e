import { checkA11y, expect, freshPhone, gotoReady, register, signIn, test } from './support.js'

const OLD_PASSWORD = 'Forgotten-pass-2026'
const NEW_PASSWORD = 'Recovered-pass-2026'

test('forgot password: a code from the development mailbox, a new password, signed in, every other session ended', async ({
  page,
  browser,
}) => {
  const phone = freshPhone('132')
  // The person is signed in on two other devices.
  const laptop = await browser.newContext()
  const tablet = await browser.newContext()
  const onLaptop = await laptop.newPage()
  const onTablet = await tablet.newPage()
  await register(onLaptop, '钱工', phone, OLD_PASSWORD)
  await signIn(onTablet, phone, OLD_PASSWORD)

  // On a phone-sized screen they no longer remember the password: after five wrong
  // ones the account is locked, and the sign-in page points to the reset.
  await page.setViewportSize({ width: 390, height: 844 })
  await gotoReady(page, '/login')
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('手机号或邮箱').fill(phone)
    await page.getByLabel('密码').fill(`Wrong-guess-${i}-2026`)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('alert').first()).toContainText('账号或密码错误')
  }
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByLabel('密码').fill(OLD_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toContainText('已暂时锁定')
  await checkA11y(page)
  await page.getByRole('link', { name: '忘记密码？' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找回密码')
  await checkA11y(page)
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByRole('button', { name: '发送验证码' }).click()
  await expect(page.getByRole('status').filter({ hasText: '验证码已发送' })).toBeVisible()
  await expect(page.getByLabel('验证码')).toBeVisible()
  await checkA11y(page)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  // The code arrives in the development mailbox (no SMS gateway in this run).
  const mailbox = await page.context().newPage()
  await mailbox.goto('/dev/mailbox')
  await expect(mailbox.getByRole('heading', { level: 1 })).toHaveText('开发邮箱')
  await checkA11y(mailbox)
  const message = mailbox.getByRole('row', { name: new RegExp(phone) }).first()
  const text = await message.getByTestId('mailbox-body').innerText()
  const code = /\b(\d{6})\b/.exec(text)?.[1]
  expect(code, text).toBeDefined()
  await mailbox.close()

  // A wrong code first: the summary names the field.
  await page.getByLabel('验证码').fill(code === '000000' ? '000001' : '000000')
  await page.getByRole('textbox', { name: '新密码' }).fill(NEW_PASSWORD)
  await page.getByLabel('确认密码').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: '重置密码并登录' }).click()
  const summary = page.getByRole('alert').filter({ hasText: '验证码错误或已失效' }).first()
  await expect(summary).toBeVisible()
  await checkA11y(page)

  await page.getByLabel('验证码').fill(code!)
  await page.getByRole('textbox', { name: '新密码' }).fill(NEW_PASSWORD)
  await page.getByLabel('确认密码').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: '重置密码并登录' }).click()

  // Signed in, told so, and this is the only session left.
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByText('密码已重置，其他设备上的登录均已结束。')).toBeVisible()
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await expect(page.locator('table.data tbody tr')).toHaveCount(1)
  // The code went to the phone, so the phone counts as verified now.
  await expect(page.getByText('已验证', { exact: true })).toBeVisible()
  await checkA11y(page)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  for (const other of [onLaptop, onTablet]) {
    await other.goto('/account')
    await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount/)
  }
  // The old password is gone; the new one works anywhere.
  await gotoReady(onTablet, '/login')
  await onTablet.getByLabel('手机号或邮箱').fill(phone)
  await onTablet.getByLabel('密码').fill(OLD_PASSWORD)
  await onTablet.getByRole('button', { name: '登录' }).click()
  await expect(onTablet.getByRole('alert').first()).toContainText('账号或密码错误')
  await signIn(onTablet, phone, NEW_PASSWORD)
  await laptop.close()
  await tablet.close()
})

test('change password: asks the current one and ends the other sessions', async ({ page, browser }) => {
  const phone = freshPhone('131')
  const other = await browser.newContext()
  const elsewhere = await other.newPage()
  await register(page, '孙工', phone, OLD_PASSWORD)
  await signIn(elsewhere, phone, OLD_PASSWORD)

  await gotoReady(page, '/account')
  await page.getByRole('link', { name: '修改密码' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改密码')
  await checkA11y(page)
  await page.getByLabel('当前密码').fill(OLD_PASSWORD)
  await page.getByRole('textbox', { name: '新密码' }).fill(NEW_PASSWORD)
  await page.getByLabel('确认密码').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByText('密码已修改，已结束其他设备上的 1 个登录。')).toBeVisible()
  await checkA11y(page)

  await elsewhere.goto('/account')
  await expect(elsewhere).toHaveURL(/\/login\?redirectTo=%2Faccount/)
  await other.close()
})
