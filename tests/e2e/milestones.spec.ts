import sharp from 'sharp'
import { serverDb } from './server-db.js'
import { checkA11y, DEMO_PASSWORD, expect, gotoReady, pageWidth, signIn, signOut, test } from './support.js'

/*
 * Milestones and supervision (issue 14 §4): an active contract between the demo
 * enterprise A and provider A, supervised by the demo 监理机构 (written straight into the
 * server's database: drafting and confirming belong to the contracts journey). Provider A
 * submits the milestone with a photo (a refused form first); the supervisor logs an
 * inspection with a photo and accepts; enterprise A rejects with a reason (refused
 * without one first); provider A resubmits; both accept, and the contract completes.
 * axe on every page; 390 px.
 */

const ENTERPRISE_A = '13900000001'
const PROVIDER_A = '13900000011'
const SUPERVISOR_A = '13900000014'

async function supervisedContract() {
  const { db, close } = serverDb()
  try {
    const orgOf = async (phone: string) =>
      db
        .selectFrom('users as u')
        .innerJoin('memberships as m', 'm.user_id', 'u.id')
        .innerJoin('organisations as o', 'o.id', 'm.org_id')
        .where('u.phone', '=', phone)
        .select(['o.id', 'o.name', 'o.region_code', 'u.id as user_id'])
        .executeTakeFirstOrThrow()
    const enterprise = await orgOf(ENTERPRISE_A)
    const provider = await orgOf(PROVIDER_A)
    const supervisor = await orgOf(SUPERVISOR_A)
    const agency = await orgOf('13900000021')
    const now = new Date().toISOString()
    const today = now.slice(0, 10)
    const title = `验收旅程：冲压车间设备联网项目 ${Date.now() % 100000}`
    const need = await db
      .insertInto('needs')
      .values({
        org_id: enterprise.id,
        title,
        industry_code: 'C34',
        region_code: enterprise.region_code,
        budget_min_wan: 50,
        budget_max_wan: 120,
        description: '冲压车间 48 台设备联网，数据采集与看板。',
        expected_start: '2027-01-01',
        duration_months: 4,
        target_level: 'digital_workshop',
        status: 'contracted',
        visibility: 'public',
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: need.id,
        provider_org_id: provider.id,
        price_wan_x100: 9_800,
        duration_days: 100,
        plan: '设备联网与数据采集，一期实施。',
        status: 'awarded',
        created_by: provider.user_id,
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
        region_code: enterprise.region_code,
        title,
        amount_wan_x100: 9_800,
        start_date: today,
        construction_days: 100,
        warranty_months: 12,
        status: 'active',
        enterprise_confirmed_by: enterprise.user_id,
        enterprise_confirmed_at: now,
        provider_confirmed_by: provider.user_id,
        provider_confirmed_at: now,
        supervisor_org_id: supervisor.id,
        supervisor_appointed_by: agency.user_id,
        supervisor_appointed_org_id: agency.id,
        supervisor_appointed_at: now,
        created_by: enterprise.user_id,
        created_at: now,
        updated_at: now,
        activated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const milestone = await db
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq: 1,
        name: '设备联网完成',
        percent: 100,
        amount_wan_x100: 9_800,
        due_date: '2099-12-31',
        criteria: '设备联网率不低于 95%，数据采集延迟小于 1 秒。',
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { contractId: contract.id, milestoneId: milestone.id, title }
  } finally {
    await close()
  }
}

async function png(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 80, channels: 3, background: colour } })
    .png()
    .toBuffer()
}

async function at390(page: import('@playwright/test').Page) {
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await page.setViewportSize({ width: 1280, height: 900 })
}

test('provider A submits a milestone with a photo; the supervisor logs and accepts; enterprise A rejects with a reason; resubmitted, both accept and the contract completes', async ({
  page,
}) => {
  const { contractId, milestoneId } = await supervisedContract()
  const milestonePage = `/contracts/${contractId}/milestones/${milestoneId}`

  // Provider A: a submission without evidence is refused, then submitted with a photo.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, milestonePage)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('里程碑 1：设备联网完成')
  await expect(page.getByText('服务商尚未提交这个里程碑。')).toBeVisible()
  await page.getByRole('button', { name: '提交验收' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('请填写交付说明')
  await checkA11y(page)
  await page.getByLabel('交付说明').fill('已完成 48 台设备联网，数据采集平台试运行一周，附现场照片。')
  await page.locator('#evidence-files').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: await png('#3366cc') })
  await page.getByRole('button', { name: '提交验收' }).click()
  await expect(page.getByText('已提交验收，需求企业和监理机构会收到通知。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '第 1 轮提交' })).toBeVisible()
  await expect(page.locator('.file-list img')).toHaveCount(1)
  await expect(page.getByText('等待以下一方验收：需求企业、监理机构')).toBeVisible()
  await checkA11y(page)
  await at390(page)
  await signOut(page)

  // The supervisor logs an inspection with a photo, then accepts round 1.
  await signIn(page, SUPERVISOR_A, DEMO_PASSWORD)
  await gotoReady(page, `/contracts/${contractId}/supervision`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('监理日志')
  await expect(page.getByText('暂无监理日志。')).toBeVisible()
  await page.getByLabel('检查发现').fill('48 台设备已联网，机柜接线规范；2 号线数据延迟偏高，已要求整改。')
  await page.getByLabel('合格').check()
  await page.getByLabel('正常').check()
  await page.getByLabel('相关里程碑（可选）').selectOption({ label: '里程碑 1：设备联网完成' })
  await page.locator('#log-photos').setInputFiles({ name: '检查.png', mimeType: 'image/png', buffer: await png('#cc6633') })
  await page.getByRole('button', { name: '保存日志' }).click()
  await expect(page.getByText('监理日志已保存。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '检查记录（1 条）' })).toBeVisible()
  await expect(page.getByRole('table', { name: '监理日志' })).toContainText('2 号线数据延迟偏高')
  await checkA11y(page)
  await at390(page)
  await gotoReady(page, milestonePage)
  await expect(page.getByText('您以监理机构的身份验收。')).toBeVisible()
  await page.getByRole('button', { name: '通过验收' }).click()
  await expect(page.getByText('已记录您的验收决定，等待另一方验收。')).toBeVisible()
  await expect(page.getByText('监理机构：通过')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Enterprise A rejects: refused without a reason first.
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, milestonePage)
  await page.getByRole('button', { name: '驳回并通知服务商' }).click()
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('驳回时请说明原因')
  await checkA11y(page)
  await page.getByLabel('驳回原因').fill('2 号线数据采集延迟超过 1 秒，未达到验收标准，请整改后重新提交。')
  await page.getByRole('button', { name: '驳回并通知服务商' }).click()
  await expect(page.getByText('已驳回，服务商会收到通知。')).toBeVisible()
  await expect(page.locator('.badge-milestone-rejected')).toHaveText('已驳回')
  await expect(page.getByText('原因：2 号线数据采集延迟超过 1 秒')).toBeVisible()
  await checkA11y(page)
  await signOut(page)

  // Provider A resubmits: round 2.
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  await gotoReady(page, milestonePage)
  await expect(page.getByRole('heading', { name: '重新提交验收' })).toBeVisible()
  await page.getByLabel('交付说明').fill('2 号线已更换采集网关，延迟降至 0.3 秒，附整改记录。')
  await page.getByRole('button', { name: '提交验收' }).click()
  await expect(page.getByText('已提交验收，需求企业和监理机构会收到通知。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '第 2 轮提交' })).toBeVisible()
  await signOut(page)

  // Both accept round 2: the supervisor, then enterprise A; the contract completes.
  await signIn(page, SUPERVISOR_A, DEMO_PASSWORD)
  await gotoReady(page, milestonePage)
  await page.getByRole('button', { name: '通过验收' }).click()
  await expect(page.getByText('已记录您的验收决定，等待另一方验收。')).toBeVisible()
  await signOut(page)
  await signIn(page, ENTERPRISE_A, DEMO_PASSWORD)
  await gotoReady(page, milestonePage)
  await expect(page.getByRole('heading', { name: '验收（第 2 轮）' })).toBeVisible()
  await page.getByRole('button', { name: '通过验收' }).click()
  await expect(page.getByText('全部里程碑已通过验收，合同已完成。欢迎评价对方。')).toBeVisible()
  await expect(page.locator('.badge-milestone-accepted')).toHaveText('已验收')
  await expect(page.getByText('按期验收')).toBeVisible()
  await expect(page.getByRole('button', { name: '通过验收' })).toHaveCount(0)
  await checkA11y(page)
  await at390(page)
})
