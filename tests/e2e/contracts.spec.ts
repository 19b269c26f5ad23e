import crypto from 'node:crypto'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import { AGENCY_YANGZHOU, ENTERPRISE_A, orgOf, PROVIDER_A, serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Contracts (issue 14 §3): an award of enterprise A's need to provider A made a draft
 * contract (written here as the award writes it: app/domain/contracts/draft.server.ts, whose
 * import chain the test runner cannot load). Enterprise A edits a milestone — a sum other
 * than 100 is refused naming it — and confirms; provider A confirms at 390 px and the
 * contract comes into force; the agency of Yangzhou appoints a 监理机构 found by name; the
 * print view opens in Chinese. axe on every page.
 */

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

async function draftContract() {
  const { db, close } = serverDb()
  try {
    const enterprise = await orgOf(db, ENTERPRISE_A)
    const provider = await orgOf(db, PROVIDER_A)
    const region = (
      await db.selectFrom('organisations').select('region_code').where('id', '=', enterprise.id).executeTakeFirstOrThrow()
    ).region_code
    const userOf = async (phone: string) =>
      (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id
    const owner = await userOf(ENTERPRISE_A)
    const bidder = await userOf(PROVIDER_A)
    const suffix = Date.now().toString(36)
    const now = new Date().toISOString()
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const title = `合同旅程需求${suffix}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title,
        description: '现有冲压设备数据无法自动采集，需建设设备联网平台。',
        industry_code: 'C34',
        region_code: region,
        target_level: 'digital_workshop',
        budget_min_wan: 100,
        budget_max_wan: 300,
        expected_start: '2027-01-01',
        duration_months: 6,
        visibility: 'public',
        status: 'awarded',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const needId = need.id
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: needId,
        provider_org_id: provider.id,
        price_wan_x100: 16_800,
        duration_days: 120,
        plan: '设备联网、数据采集平台与 MES 对接。',
        status: 'awarded',
        created_by: bidder,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const start = addDays(today, 14)
    const contract = await db
      .insertInto('contracts')
      .values({
        need_id: needId,
        bid_id: bid.id,
        enterprise_org_id: enterprise.id,
        provider_org_id: provider.id,
        region_code: region,
        title: `${title}项目合同`,
        amount_wan_x100: 16_800,
        start_date: start,
        construction_days: 120,
        technical_standards: '[]',
        acceptance_standards: '按需求书和投标方案约定的功能、性能指标逐项验收。',
        quality_terms: '工程质量符合国家和行业现行标准。',
        warranty_months: 12,
        dispute_clause: '因本合同发生争议，双方协商解决；协商不成的，提交项目所在地仲裁委员会仲裁。',
        status: 'draft',
        created_by: owner,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contractId = contract.id
    const milestones = [
      { name: '合同签订预付款', percent: 30, amount: 5040, due: addDays(start, 36) },
      { name: '系统上线试运行', percent: 40, amount: 6720, due: addDays(start, 84) },
      { name: '竣工验收', percent: 30, amount: 5040, due: addDays(start, 120) },
    ]
    await db
      .insertInto('contract_milestones')
      .values(
        milestones.map((m, i) => ({
          contract_id: contractId,
          seq: i + 1,
          name: m.name,
          percent: m.percent,
          amount_wan_x100: m.amount,
          due_date: m.due,
          criteria: '按验收标准验收。',
          updated_at: now,
        })),
      )
      .execute()
    await db
      .insertInto('contract_events')
      .values({
        contract_id: contractId,
        kind: 'drafted',
        actor_user_id: owner,
        actor_org_id: enterprise.id,
        object_id: bid.id,
        detail: '{}',
        created_at: now,
      })
      .execute()
    const supervisorName = `旅程监理${suffix}`
    await db
      .insertInto('organisations')
      .values({
        kind: 'provider',
        name: supervisorName,
        region_code: '321000',
        uscc: generateUscc(() => crypto.randomInt(0, 1_000_000) / 1_000_000, '321000'),
        status: 'verified',
        provider_kinds: '["supervisor"]',
        created_at: now,
        submitted_at: now,
        updated_at: now,
      })
      .execute()
    return { contractId, needId, supervisorName }
  } finally {
    await close()
  }
}

test('a draft contract: enterprise A edits a milestone and confirms, provider A confirms, the agency appoints a supervisor, the print opens', async ({
  page,
}) => {
  const { contractId, supervisorName } = await draftContract()
  const url = `/contracts/${contractId}`

  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, url)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('草稿待确认')
  await expect(page.getByRole('table', { name: /付款里程碑/ })).toContainText('合同签订预付款')
  await expect(page.getByText('根据中标方案生成合同草稿')).toBeVisible()

  // Edit: a sum other than 100 is refused, naming it; then the name of the first milestone.
  await page.getByRole('link', { name: '修改草稿' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改合同草稿')
  await checkA11y(page)
  await page.getByLabel('第 1 个里程碑付款比例（%）').fill('35')
  await expect(page.getByText('比例合计 105%，须为 100%')).toBeVisible()
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByRole('alert').filter({ hasText: '付款比例合计为 105%' }).first()).toBeVisible()
  await checkA11y(page)
  await page.getByLabel('第 1 个里程碑付款比例（%）').fill('30')
  await page.getByLabel('第 1 个里程碑名称').fill('合同签订预付款（修订）')
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page).toHaveURL(new RegExp(`${url}$`))
  await expect(page.getByText('合同草稿已保存，双方需重新确认。')).toBeVisible()
  await expect(page.getByRole('table', { name: /付款里程碑/ })).toContainText('合同签订预付款（修订）')
  await expect(page.getByText(/修改了合同草稿（第 2 版）/)).toBeVisible()
  await checkA11y(page)

  // 电子确认 from the keyboard: the box first.
  await page.getByRole('button', { name: '确认合同' }).click()
  await expect(page.getByText('请勾选“我已阅读并同意”后再确认。').first()).toBeVisible()
  await page.getByLabel('我已阅读并同意本合同的全部条款，代表本单位确认').check()
  await page.getByRole('button', { name: '确认合同' }).press('Enter')
  await expect(page.getByText('已确认合同，等待对方确认。')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A confirms on a phone: the contract comes into force.
  await page.setViewportSize({ width: 390, height: 844 })
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, url)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.getByLabel('我已阅读并同意本合同的全部条款，代表本单位确认').check()
  await page.getByRole('button', { name: '确认合同' }).click()
  await expect(page.getByText('双方均已确认，合同已生效。')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('履行中')
  await expect(page.getByText('双方均已确认，合同生效')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await signOut(page)

  // The agency over the region appoints a 监理机构 found by name.
  await signIn(page, AGENCY_YANGZHOU, DEMO_PASSWORD)
  await gotoReady(page, url)
  await page.getByLabel('机构名称').fill(supervisorName)
  await page.getByRole('button', { name: '查找' }).click()
  await expect(page.getByLabel(supervisorName)).toBeVisible()
  await checkA11y(page)
  await page.getByLabel(supervisorName).check()
  await page.getByRole('button', { name: '指派', exact: true }).click()
  await expect(page.getByText('已指派监理机构。')).toBeVisible()
  await expect(page.getByText(`指派监理机构：${supervisorName}`)).toBeVisible()
  await checkA11y(page)

  // The print view: Chinese, A4, both confirmations.
  await page.getByRole('link', { name: '打印合同' }).click()
  await expect(page).toHaveURL(new RegExp(`${url}/print$`))
  await expect(page.getByRole('heading', { name: '甲方电子确认' })).toBeVisible()
  await expect(page.getByRole('heading', { name: '乙方电子确认' })).toBeVisible()
  await expect(page.getByText('第六条 付款里程碑')).toBeVisible()
  await expect(page.getByText('尚未确认')).toHaveCount(0)
  await checkA11y(page)
})
