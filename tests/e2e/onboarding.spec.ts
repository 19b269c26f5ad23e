import crypto from 'node:crypto'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import {
  answerConfirmDialog,
  applyForOrg,
  checkA11y,
  DEMO,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  register,
  signIn,
  signOut,
  test,
} from './support.js'

const PASSWORD = 'Factory-upgrade-2026'
const AGENCY_PHONE = DEMO.agencyYangzhou

test('an enterprise registers, waits for audit, the agency approves, the enterprise is verified', async ({ page }) => {
  const phone = freshPhone('138')
  const orgName = `扬州宝应精工机械有限公司${crypto.randomInt(1000)}`
  const uscc = generateUscc(() => crypto.randomInt(1e6) / 1e6, '321023')

  // 1. Register and create the organisation.
  await register(page, '赵工', phone, PASSWORD)
  await expect(page.getByRole('heading', { name: '创建组织' })).toBeVisible()

  await page.getByLabel('组织名称').fill(orgName)
  // A wrong check character is refused with a message that says so.
  const wrong = uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0')
  await page.getByLabel('统一社会信用代码').fill(wrong)
  await page.getByLabel('省份').selectOption({ label: '江苏省' })
  await page.getByLabel('城市').selectOption({ label: '扬州市' })
  await page.getByLabel('区县').selectOption({ label: '宝应县' })
  await page.getByLabel('所属行业').selectOption('C34')
  await page.getByRole('button', { name: '提交入驻申请' }).click()
  // The error summary takes focus and links to the field, which names the problem too.
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('.error-summary a[href="#uscc"]')).toBeVisible()
  await expect(page.locator('#uscc-error')).toHaveText('统一社会信用代码校验位不正确，请核对后重新输入')
  await expect(page.getByLabel('统一社会信用代码')).toHaveAttribute('aria-invalid', 'true')
  await checkA11y(page)

  await page.getByLabel('统一社会信用代码').fill(uscc)
  await page.getByRole('button', { name: '提交入驻申请' }).click()
  await expect(page).toHaveURL(/\/org$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await expect(page.locator('.badge', { hasText: '待审核' })).toBeVisible()
  await expect(page.getByText('正在等待所在地区主管部门审核')).toBeVisible()
  // It says who reviews it, and what to do meanwhile.
  await expect(page.getByText(/审核部门：.*扬州市工业和信息化局/)).toBeVisible()
  await expect(page.getByRole('navigation', { name: '下一步' }).getByRole('link', { name: /需求大厅/ })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 2. The agency of 扬州市 finds it in its queue and approves it.
  await signIn(page, AGENCY_PHONE, DEMO_PASSWORD)
  await page.getByRole('link', { name: '入驻审核' }).click()
  await expect(page.getByRole('heading', { name: '入驻审核' })).toBeVisible()
  await checkA11y(page)
  await page.getByRole('searchbox').fill(orgName)
  await page.getByRole('button', { name: '筛选', exact: true }).click()
  const row = page.getByRole('row', { name: new RegExp(orgName) })
  await expect(row).toContainText('宝应县')
  await row.getByRole('link', { name: /审核/ }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await checkA11y(page)
  // Approving asks first: Esc (or Cancel) changes nothing, the dialog's own button approves.
  await page.getByRole('button', { name: '通过审核' }).click()
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()
  await expect(page.getByRole('button', { name: '通过审核' })).toBeFocused()
  await page.getByRole('button', { name: '通过审核' }).click()
  await answerConfirmDialog(page, `通过 ${orgName} 的入驻申请？`, '通过审核')
  await expect(page.getByText(`已通过 ${orgName} 的入驻申请。`)).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // 3. Back as the enterprise: verified.
  await signIn(page, phone, PASSWORD)
  await page.goto('/org')
  await expect(page.locator('.badge', { hasText: '已认证' })).toBeVisible()
  await expect(page.getByText('组织已通过入驻审核。')).toBeVisible()
  await checkA11y(page)
})

test('a rejected applicant sees the reason', async ({ page }) => {
  const phone = freshPhone('136')
  const orgName = `仪征数智装备有限公司${crypto.randomInt(1000)}`
  await register(page, '钱工', phone, PASSWORD)
  await applyForOrg(page, { name: orgName, district: '仪征市', districtCode: '321081', providerKind: '系统解决方案供应商' })
  await expect(page.locator('.badge', { hasText: '待审核' })).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  await signIn(page, AGENCY_PHONE, DEMO_PASSWORD)
  await page.goto(`/agency/audits?q=${encodeURIComponent(orgName)}`)
  await checkA11y(page)
  await page
    .getByRole('row', { name: new RegExp(orgName) })
    .getByRole('link')
    .click()
  await checkA11y(page)
  await page.getByRole('button', { name: '驳回' }).click()
  // The error summary (a link to the field) and the field itself both name the problem.
  await expect(page.locator('#reason-error')).toHaveText('请填写驳回理由，申请方会看到它')
  await checkA11y(page)
  await page.getByLabel('驳回理由').fill('请上传与营业执照一致的组织名称')
  await page.getByRole('button', { name: '驳回' }).click()
  await answerConfirmDialog(page, `驳回 ${orgName} 的入驻申请？`, '驳回')
  await expect(page.getByText(`已驳回 ${orgName} 的入驻申请。`)).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  await signIn(page, phone, PASSWORD)
  await page.goto('/org')
  await expect(page.getByRole('alert')).toContainText('请上传与营业执照一致的组织名称')
  await expect(page.getByRole('link', { name: '修改并重新提交' })).toBeVisible()
  await checkA11y(page)
})

test('a cross-site POST is refused', async ({ request }) => {
  const response = await request.post('/login', {
    headers: { Origin: 'https://evil.example' },
    form: { login: AGENCY_PHONE, password: DEMO_PASSWORD },
  })
  expect(response.status()).toBe(403)
  expect(await response.text()).toContain('跨站请求已被拒绝')
})

test('pages carry a nonce-based CSP and refuse framing', async ({ page }) => {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  const response = await page.goto('/needs')
  const headers = response!.headers()
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/)
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['x-content-type-options']).toBe('nosniff')
  // The page still hydrates: every inline script carries the nonce.
  await checkA11y(page)
  expect(errors).toEqual([])
})
