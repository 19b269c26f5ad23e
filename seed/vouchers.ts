/**
 * The demo's 服务券 (issue 16 §5, decision 016): the 扬州 agency's scheme for the demo year
 * and a voucher on each supervised contract of 企业 A with 服务商 A and the demo 监理 in its
 * jurisdiction, in different states — the completed contract's signed off by the
 * supervisor and waiting for 企业 A's confirmation (its accepted milestones as stage
 * evidence), an active contract's just issued (waiting for 服务商 A; one with an accepted
 * milestone to submit, where there is one), and, when a third
 * exists, one released. Each with its timeline (voucher_events) and the budget it commits.
 * Deterministic; written after the contracts and the demo accounts, skipped when the demo
 * agency is missing or already has a scheme.
 */
import type { Kysely } from 'kysely'
import type { VoucherAction, VoucherStatus } from '../db/enums.js'
import type { DB } from '../db/types.js'

const PHONES = { agency: '13900000021', enterprise: '13900000001', provider: '13900000011', supervisor: '13900000014' } as const

async function person(db: Kysely<DB>, phone: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .select(['u.id as user_id', 'm.org_id'])
    .where('u.phone', '=', phone)
    .where('m.status', '=', 'active')
    .executeTakeFirst()
}

export async function writeVoucherData(db: Kysely<DB>, now: string, today: string): Promise<void> {
  const [agency, enterprise, provider, supervisor] = await Promise.all([
    person(db, PHONES.agency),
    person(db, PHONES.enterprise),
    person(db, PHONES.provider),
    person(db, PHONES.supervisor),
  ])
  if (!agency || !enterprise || !provider || !supervisor) return
  const existing = await db
    .selectFrom('voucher_schemes')
    .select('id')
    .where('agency_org_id', '=', agency.org_id)
    .executeTakeFirst()
  if (existing) return
  const year = Number(today.slice(0, 4))
  const { id: schemeId } = await db
    .insertInto('voucher_schemes')
    .values({
      agency_org_id: agency.org_id,
      name: `扬州市智改数转服务券（${year} 年度，演示）`,
      document: '演示数据：《扬州市智能化改造数字化转型服务券管理办法（试行）》',
      valid_from: `${year}-01-01`,
      valid_to: `${year}-12-31`,
      yearly_budget_wan_x100: 200_000,
      max_share_pct: 30,
      max_per_voucher_wan_x100: 5_000,
      created_by: agency.user_id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const contracts = await db
    .selectFrom('contracts')
    .select(['id', 'status', 'amount_wan_x100', 'region_code'])
    .where('enterprise_org_id', '=', enterprise.org_id)
    .where('provider_org_id', '=', provider.org_id)
    .where('supervisor_org_id', '=', supervisor.org_id)
    .where('status', 'in', ['active', 'completed'])
    .where('region_code', 'like', '3210%')
    .orderBy('id')
    .execute()
  const completed = contracts.filter((c) => c.status === 'completed')
  // The issued voucher goes to an active contract with an accepted milestone where there is
  // one, so 服务商 A can submit it as stage evidence straight away (the vouchers journey does).
  const ids = contracts.map((c) => c.id)
  const acceptedRows = ids.length
    ? await db
        .selectFrom('contract_milestones')
        .select('contract_id')
        .distinct()
        .where('status', '=', 'accepted')
        .where('contract_id', 'in', ids)
        .execute()
    : []
  const withAccepted = new Set(acceptedRows.map((m) => m.contract_id))
  const active = contracts
    .filter((c) => c.status === 'active')
    .sort((a, b) => Number(withAccepted.has(b.id)) - Number(withAccepted.has(a.id)) || a.id - b.id)
  const plan: Array<{ contract: (typeof contracts)[number]; status: VoucherStatus }> = []
  if (completed[0]) plan.push({ contract: completed[0], status: 'signed_off' })
  if (active[0]) plan.push({ contract: active[0], status: 'issued' })
  if (completed[1]) plan.push({ contract: completed[1], status: 'released' })
  else if (active[1]) plan.push({ contract: active[1], status: 'cancelled' })
  let committed = 0
  for (const { contract, status } of plan) {
    const amount = Math.min(5_000, Math.floor((contract.amount_wan_x100 * 30) / 100))
    if (amount < 1) continue
    const accepted = await db
      .selectFrom('contract_milestones')
      .select('id')
      .where('contract_id', '=', contract.id)
      .where('status', '=', 'accepted')
      .orderBy('seq')
      .execute()
    const withEvidence = status === 'signed_off' || status === 'released'
    const released = status === 'released' ? amount : null
    const { id } = await db
      .insertInto('vouchers')
      .values({
        scheme_id: schemeId,
        agency_org_id: agency.org_id,
        contract_id: contract.id,
        enterprise_org_id: enterprise.org_id,
        provider_org_id: provider.org_id,
        supervisor_org_id: supervisor.org_id,
        region_code: contract.region_code,
        year,
        amount_wan_x100: amount,
        status,
        evidence_milestones: JSON.stringify(withEvidence ? accepted.map((m) => m.id) : []),
        evidence_note: withEvidence ? '演示数据：设备联网与系统上线均已验收，验收记录随里程碑附上。' : '',
        released_wan_x100: released,
        released_ref: released === null ? '' : '演示数据：扬财拨〔演示〕1号',
        released_on: released === null ? null : today,
        issued_by: agency.user_id,
        issued_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (status !== 'cancelled') committed += amount
    const steps: Array<[VoucherAction, VoucherStatus | null, VoucherStatus, number, number, string]> = [
      ['issued', null, 'issued', agency.user_id, agency.org_id, '演示数据'],
    ]
    if (withEvidence) {
      steps.push(['submitted', 'issued', 'submitted', provider.user_id, provider.org_id, '演示数据：提交已验收里程碑'])
      steps.push(['signed_off', 'submitted', 'signed_off', supervisor.user_id, supervisor.org_id, '现场核实，成果属实。'])
    }
    if (status === 'released') {
      steps.push(['confirmed', 'signed_off', 'confirmed', enterprise.user_id, enterprise.org_id, ''])
      steps.push(['released', 'confirmed', 'released', agency.user_id, agency.org_id, ''])
    }
    if (status === 'cancelled')
      steps.push(['cancelled', 'issued', 'cancelled', agency.user_id, agency.org_id, '演示数据：企业申请撤回'])
    for (const [action, from, to, userId, orgId, note] of steps) {
      await db
        .insertInto('voucher_events')
        .values({
          voucher_id: id,
          action,
          from_status: from,
          to_status: to,
          actor_user_id: userId,
          actor_org_id: orgId,
          note,
          created_at: now,
        })
        .execute()
    }
  }
  await db.insertInto('voucher_budgets').values({ scheme_id: schemeId, year, committed_wan_x100: committed }).execute()
}

/** The demo reset: vouchers name contracts, organisations and users (children first). */
export async function deleteVoucherData(db: Kysely<DB>): Promise<void> {
  for (const table of ['voucher_events', 'vouchers', 'voucher_budgets', 'voucher_schemes'] as const)
    await db.deleteFrom(table).execute()
}
