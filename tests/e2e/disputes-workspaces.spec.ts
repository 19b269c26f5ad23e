import { AGENCY_YANGZHOU, ENTERPRISE_A, PROVIDER_A, serverDb, orgOf } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Disputes and workspaces (issue 14 §5, §7): an active contract between the demo
 * enterprise A and provider A in 扬州 (written straight into the server's database, the
 * way tests/integration/contract-world.ts does: its first milestone submitted, its
 * second pending). Provider A finds it in 我的合同 with 提交里程碑 as its next action and
 * opens a dispute on the first milestone with a PDF; the 扬州 agency finds it under
 * 合同监管 → 有未决纠纷 and resolves it with 继续履行; enterprise A's 我的项目 shows
 * 验收里程碑 for it. axe on every page; 390 px.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function activeContract() {
  const { db, close } = serverDb()
  try {
    const enterprise = await orgOf(db, ENTERPRISE_A)
    const provider = await orgOf(db, PROVIDER_A)
    const people = await db.selectFrom('users').select(['id', 'phone']).where('phone', 'in', [ENTERPRISE_A, PROVIDER_A]).execute()
    const userOf = (phone: string) => people.find((p) => p.phone === phone)!.id
    const now = new Date().toISOString()
    const today = now.slice(0, 10)
    const stamp = Date.now().toString(36)
    const title = `纠纷旅程合同 ${stamp}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title: `纠纷旅程需求 ${stamp}`,
        description: '冲压车间设备联网与数据采集。',
        industry_code: 'C34',
        region_code: '321002',
        target_level: 'digital_workshop',
        budget_min_wan: 100,
        budget_max_wan: 300,
        expected_start: '2027-01-01',
        duration_months: 6,
        visibility: 'public',
        status: 'contracted',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: need.id,
        provider_org_id: provider.id,
        price_wan_x100: 15_000,
        duration_days: 120,
        plan: '设备联网、数据采集平台与 MES 对接。',
        status: 'awarded',
        created_by: userOf(PROVIDER_A),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contract = await db
      .insertInto('contracts')
      .values({
        need_id: need.id,
        bid_id: bid.id,
        enterprise_org_id: enterprise.id,
        provider_org_id: provider.id,
        region_code: '321002',
        title,
        amount_wan_x100: 15_000,
        start_date: today,
        construction_days: 120,
        warranty_months: 12,
        status: 'active',
        enterprise_confirmed_by: userOf(ENTERPRISE_A),
        enterprise_confirmed_at: now,
        provider_confirmed_by: userOf(PROVIDER_A),
        provider_confirmed_at: now,
        created_by: userOf(ENTERPRISE_A),
        created_at: now,
        updated_at: now,
        activated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const milestone = (seq: number, name: string, status: 'submitted' | 'pending') =>
      db
        .insertInto('contract_milestones')
        .values({
          contract_id: contract.id,
          seq,
          name,
          percent: 50,
          amount_wan_x100: 7_500,
          due_date: '2099-12-31',
          status,
          round: status === 'submitted' ? 1 : 0,
          submitted_at: status === 'submitted' ? now : null,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const first = await milestone(1, '设备联网完成', 'submitted')
    const second = await milestone(2, '系统上线验收', 'pending')
    return { id: contract.id, title, first: first.id, second: second.id }
  } finally {
    await close()
  }
}

test('provider A opens a dispute from 我的合同; the 扬州 agency resolves it from 合同监管; enterprise A’s 我的项目 shows the next step', async ({
  page,
}) => {
  const contract = await activeContract()
  const escaped = contract.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

  // 我的合同: the contract in force, its next step 提交里程碑 (the pending second milestone).
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, '/org')
  await page.getByRole('link', { name: '我的合同' }).first().click()
  await expect(page).toHaveURL(/\/provider\/contracts$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的合同')
  await checkA11y(page)
  const row = page.getByRole('row').filter({ hasText: contract.title })
  await expect(row.getByRole('link', { name: new RegExp(`^提交里程碑：${escaped}$`) })).toHaveAttribute(
    'href',
    `/contracts/${contract.id}/milestones/${contract.second}`,
  )
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })

  // 纠纷 of that contract: a refused form first, then the dispute on the first milestone with a PDF.
  await gotoReady(page, `/contracts/${contract.id}/disputes`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('纠纷')
  await expect(page.getByText('这份合同还没有纠纷。')).toBeVisible()
  await page.getByRole('button', { name: '提交纠纷' }).click()
  await expect(page.getByRole('alert').first()).toContainText('请填写纠纷事由')
  await checkA11y(page)
  await page.getByLabel('纠纷事由').fill('验收标准理解不一致')
  await page.getByLabel('经过与诉求').fill('企业方要求的采集延迟高于合同约定的验收标准，请监理或主管部门认定。')
  await page.getByLabel('涉及的里程碑').selectOption({ label: '第 1 期：设备联网完成' })
  await page.locator('#dispute-evidence').setInputFiles({ name: '检测报告.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.getByRole('button', { name: '提交纠纷' }).focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/\/disputes\/\d+$/)
  const disputeUrl = new URL(page.url()).pathname
  await expect(page.getByText('纠纷已提交，对方、监理机构和主管部门已收到通知。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('验收标准理解不一致')
  await expect(page.getByText('检测报告.pdf')).toBeVisible()
  await expect(page.getByRole('button', { name: '撤回这条纠纷' })).toBeVisible()
  await checkA11y(page)
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // 合同监管 → 有未决纠纷: the contract, and 处理纠纷 leads to the dispute.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, '/agency/contracts')
  await page.getByRole('link', { name: /^有未决纠纷（\d+）$/ }).click()
  await expect(page).toHaveURL(/\/agency\/contracts\?filter=disputed$/)
  await checkA11y(page)
  const supervised = page.getByRole('row').filter({ hasText: contract.title })
  await expect(supervised).toContainText('未决纠纷 1')
  await supervised.getByRole('link', { name: new RegExp(`^处理纠纷：${escaped}$`) }).click()
  await expect(page).toHaveURL(new RegExp(`${disputeUrl}$`))
  await checkA11y(page)
  await page.getByLabel('处理意见').fill('经核查，双方对采集延迟的测量方法理解不同；按国家标准方法复测后验收，合同继续履行。')
  await page.getByRole('radio', { name: /继续履行/ }).check()
  await page.getByRole('radio', { name: '无责任方' }).check()
  await page.getByRole('button', { name: '提交处理结果' }).click()
  await expect(page.getByText('纠纷已处理，结果已通知合同双方。')).toBeVisible()
  await expect(page.getByText('已处理', { exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: '提交处理结果' })).toHaveCount(0)
  await checkA11y(page)
  await signOut(page)

  // 我的项目 (enterprise A): the contract in force waits for it to accept the first milestone.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, '/enterprise/needs')
  await page.getByRole('link', { name: '我的项目' }).first().click()
  await expect(page).toHaveURL(/\/enterprise\/projects$/)
  await checkA11y(page)
  await page.getByRole('link', { name: /^履行中（\d+）$/ }).click()
  await checkA11y(page)
  const mine = page.getByRole('row').filter({ hasText: contract.title })
  await expect(mine.getByRole('link', { name: new RegExp(`^验收里程碑：${escaped}$`) })).toHaveAttribute(
    'href',
    `/contracts/${contract.id}/milestones/${contract.first}`,
  )
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
