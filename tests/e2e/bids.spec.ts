import { demoWorld, ENTERPRISE_A, PROVIDER_A } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Bids (issue 14 §1): the demo provider A bids on a published need of the demo enterprise
 * A with a contract template and an attachment, revises the price, and finds the bid in
 * 我的投标 (at 390 px too); enterprise A finds it under 收到的方案 and reads it. axe on
 * every page.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

function findWorld() {
  return demoWorld(async ({ db, enterprise, provider }) => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    // A public need of enterprise A still open for bids, that provider A has not bid on.
    const need = await db
      .selectFrom('needs as n')
      .where('n.org_id', '=', enterprise.id)
      .where('n.status', '=', 'published')
      .where('n.visibility', '=', 'public')
      .where((eb) => eb.or([eb('n.deadline', 'is', null), eb('n.deadline', '>=', today)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('bids as b')
              .select('b.id')
              .whereRef('b.need_id', '=', 'n.id')
              .where('b.provider_org_id', '=', provider.id)
              .where('b.status', '<>', 'withdrawn'),
          ),
        ),
      )
      .select(['n.id', 'n.title'])
      .orderBy('n.id')
      .limit(1)
      .executeTakeFirstOrThrow()
    // A template provider A may propose: one of its own, else an official one.
    const template = await db
      .selectFrom('contract_templates')
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('org_id', '=', provider.id), eb('is_official', '=', 1)]))
      .select(['title'])
      .orderBy('is_official')
      .orderBy('title')
      .limit(1)
      .executeTakeFirstOrThrow()
    return { enterprise, provider, need, template }
  })
}

test('provider A bids with a template and an attachment, revises it, sees it in 我的投标; enterprise A sees it in 收到的方案', async ({
  page,
}) => {
  const { provider, need, template } = await findWorld()

  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, `/needs/${need.id}`)
  await page.getByRole('link', { name: '投标', exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/needs/${need.id}/bid$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('提交方案')
  await checkA11y(page)

  // A refused form lists its problems at the top and keeps what was typed.
  await page.getByLabel('实施方案').fill('第一期：设备联网；第二期：数据平台；第三期：MES 对接。')
  await page.getByRole('button', { name: '提交方案' }).click()
  await expect(page.getByRole('alert').first()).toContainText('请填写报价')
  await expect(page.getByLabel('实施方案')).toHaveValue('第一期：设备联网；第二期：数据平台；第三期：MES 对接。')
  await checkA11y(page)

  await page.getByLabel('报价（万元）').fill('128.5')
  await page.getByLabel('工期（天）').fill('120')
  await page.getByRole('radio', { name: new RegExp(template.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).check()
  await page.locator('#bid-attachments').setInputFiles({ name: '技术方案.pdf', mimeType: 'application/pdf', buffer: PDF })
  // From the keyboard: the submit button, Enter.
  await page.getByRole('button', { name: '提交方案' }).focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/bids\/\d+$/)
  const bidUrl = page.url()
  await expect(page.getByText('方案已提交，需求方会收到通知。')).toBeVisible()
  await expect(page.getByText('128.5 万元')).toBeVisible()
  await expect(page.getByRole('link', { name: new RegExp(template.title.slice(0, 6)) })).toBeVisible()
  await expect(page.getByRole('link', { name: /技术方案\.pdf/ })).toBeVisible()
  await checkA11y(page)

  // Revise: a lower price.
  await page.getByRole('link', { name: '修改方案' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改方案')
  await expect(page.getByLabel('报价（万元）')).toHaveValue('128.5')
  await checkA11y(page)
  await page.getByLabel('报价（万元）').fill('118')
  await page.getByRole('button', { name: '保存修改' }).click()
  await expect(page).toHaveURL(bidUrl)
  await expect(page.getByText('方案已修改。')).toBeVisible()
  await expect(page.getByText('118 万元')).toBeVisible()
  await checkA11y(page)

  // 我的投标, on a phone too.
  await gotoReady(page, '/provider/bids')
  const row = page.getByRole('row').filter({ hasText: need.title })
  await expect(row).toBeVisible()
  await expect(row).toContainText('118')
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // The enterprise: 收到的方案 (1) on its need, the list, the bid read-only.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, `/enterprise/needs/${need.id}`)
  await page.getByRole('link', { name: /收到的方案（\d+）/ }).click()
  await expect(page).toHaveURL(new RegExp(`/enterprise/needs/${need.id}/bids$`))
  await checkA11y(page)
  const received = page.getByRole('row').filter({ hasText: provider.name })
  await expect(received).toContainText('118')
  await received.getByRole('link', { name: '查看方案' }).click()
  await expect(page).toHaveURL(bidUrl)
  await expect(page.getByText('只读：方案由投标方维护。')).toBeVisible()
  await expect(page.getByRole('button', { name: '撤回方案' })).toHaveCount(0)
  await checkA11y(page)
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
