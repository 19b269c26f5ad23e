import { beforeAll, describe, expect, it } from 'vitest'
import { enterpriseFacts } from '../../app/domain/policy/facts.server.js'
import { FACT_KEYS, FACTS } from '../../app/domain/policy/facts.js'
import { rulesForRegion } from '../../app/domain/policy/region-rules.server.js'
import { enterpriseFactsBatch } from '../../app/domain/project-pool/facts-batch.server.js'
import { projectPool } from '../../app/domain/project-pool/pool.server.js'
import { gradientReadiness } from '../../app/domain/project-pool/readiness.js'
import { ZProjectPoolQuery } from '../../app/domain/project-pool/schema.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import * as xlsxRoute from '../../app/routes/agency.project-pool[.]xlsx.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { contractWorld } from './contract-world.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * 项目培育库 (issue 16 §6): an agency's needs (not draft/withdrawn) and contracts grouped by
 * target level, with budgets and contract amounts; the page's rows carry the enterprise's
 * gradient readiness under its region's rule set (甘肃 has one, 青海 none). This file's
 * own counties: 瓜州县 620922 and 肃北县 620923 (甘肃), 乐都区 630202 (青海); nothing else
 * writes there.
 */

const GANSU = '620922'
const QINGHAI = '630202'
const TODAY = '2026-11-01'
const q = (o: Record<string, string> = {}) => ZProjectPoolQuery.parse(o)

let gansuAgency: Person
let qinghaiAgency: Person
const world = { ready: 0, bare: 0, qinghai: 0, contractNeed: 0 }

async function setLevel(
  needId: number,
  level: 'smart_line' | 'digital_workshop' | 'smart_factory' | 'future_factory',
  min = 100,
  max = 300,
) {
  await db()
    .updateTable('needs')
    .set({ target_level: level, budget_min_wan: min, budget_max_wan: max })
    .where('id', '=', needId)
    .execute()
}

beforeAll(async () => {
  gansuAgency = await agency(GANSU)
  qinghaiAgency = await agency(QINGHAI, 'viewer')
  // An enterprise whose archive and answers meet 基础级 (甘肃 2025) but not 先进级.
  world.ready = await insertOrg(db(), { kind: 'enterprise', name: '瓜州就绪企业', region: GANSU })
  await db()
    .insertInto('enterprise_profiles')
    .values({
      org_id: world.ready,
      size_band: 'medium',
      maturity_level: 3,
      rd_tools_pct: 80,
      equipment_nc_pct: 75,
      key_process_nc_pct: 65,
      updated_at: new Date().toISOString(),
    })
    .execute()
  await db()
    .insertInto('gradient_answers')
    .values({
      org_id: world.ready,
      answers: JSON.stringify({
        links_covered: ['production_ops'],
        pdm_in_use: true,
        line_investment_wan: 1200,
        erp_in_use: true,
        safety_record_clean: true,
        quality_traceability: false,
      }),
      updated_at: new Date().toISOString(),
    })
    .execute()
  await db()
    .insertInto('self_assessments')
    .values({
      org_id: world.ready,
      kind: 'sme_digital',
      level: 1,
      score: 40,
      questionnaire: 'sme-digital-2024@1',
      answers: '{}',
      dimensions: '{}',
      created_at: new Date().toISOString(),
    })
    .execute()
  world.bare = await insertOrg(db(), { kind: 'enterprise', name: '瓜州待补企业', region: GANSU })
  world.qinghai = await insertOrg(db(), { kind: 'enterprise', name: '乐都企业', region: QINGHAI })

  await setLevel(await insertNeed(db(), world.ready, { region: GANSU, title: '瓜州智能产线' }), 'smart_line', 500, 800)
  await setLevel(
    await insertNeed(db(), world.bare, { region: GANSU, title: '瓜州数字车间', status: 'shortlisting' }),
    'digital_workshop',
  )
  await insertNeed(db(), world.bare, { region: GANSU, title: '瓜州草稿', status: 'draft' })
  await insertNeed(db(), world.bare, { region: GANSU, title: '瓜州撤回', status: 'withdrawn' })
  await setLevel(await insertNeed(db(), world.qinghai, { region: QINGHAI, title: '乐都智能工厂' }), 'smart_factory')

  // A signed contract (active, 250 万) for a 智能工厂 need moved into 瓜州县.
  const cw = await contractWorld({ status: 'active', amountWan: 250 })
  world.contractNeed = cw.needId
  await db()
    .updateTable('needs')
    .set({ region_code: GANSU, status: 'contracted', target_level: 'smart_factory' })
    .where('id', '=', cw.needId)
    .execute()
  await db().updateTable('contracts').set({ region_code: GANSU }).where('id', '=', cw.contractId).execute()
})

describe('project pool', () => {
  it('counts needs (not draft/withdrawn), budgets and signed contracts per level in the jurisdiction only', async () => {
    const pool = await projectPool(db(), gansuAgency.actor, q(), TODAY)
    const byLevel = Object.fromEntries(pool.levels.map((l) => [l.level, l]))
    expect(byLevel.smart_line).toMatchObject({ needs: 1, budgetMinWan: 500, budgetMaxWan: 800, contracts: 0 })
    expect(byLevel.digital_workshop).toMatchObject({ needs: 1, contracts: 0 })
    expect(byLevel.smart_factory).toMatchObject({ needs: 1, contracts: 1, contractAmountWanX100: 25_000 })
    expect(byLevel.future_factory).toMatchObject({ needs: 0, contracts: 0 })
    expect(pool.total).toBe(3)
    expect(pool.items.map((p) => p.title)).not.toContain('乐都智能工厂')
    const contracted = pool.items.find((p) => p.needId === world.contractNeed)!
    expect(contracted.contract).toMatchObject({ status: 'active', amountWanX100: 25_000 })
  })

  it('filters by level and status; a region outside the jurisdiction shows nothing', async () => {
    const line = await projectPool(db(), gansuAgency.actor, q({ level: 'smart_line' }), TODAY)
    expect(line.items.map((p) => p.title)).toEqual(['瓜州智能产线'])
    const shortlisting = await projectPool(db(), gansuAgency.actor, q({ status: 'shortlisting' }), TODAY)
    expect(shortlisting.items.map((p) => p.title)).toEqual(['瓜州数字车间'])
    const outside = await projectPool(db(), gansuAgency.actor, q({ region: QINGHAI }), TODAY)
    expect(outside.total).toBe(0)
    expect(outside.items).toEqual([])
    const lastYear = await projectPool(db(), gansuAgency.actor, q({ year: '2020' }), TODAY)
    expect(lastYear.total).toBe(0)
  })

  it('pages newest first, each project once, the last page partly full; a year holds the projects published in it', async () => {
    const SUBEI = '620923'
    const subei = await agency(SUBEI, 'viewer')
    const org = await insertOrg(db(), { kind: 'enterprise', name: '肃北企业', region: SUBEI })
    const ids: number[] = []
    for (let i = 0; i < 23; i++) ids.push(await insertNeed(db(), org, { region: SUBEI, title: `肃北项目 ${i}` }))
    // Three were published in 2025 (China time: 2025-12-31 23:30 is still 2025).
    await db().updateTable('needs').set({ published_at: '2025-12-31T15:30:00.000Z' }).where('id', 'in', ids.slice(0, 3)).execute()
    const first = await projectPool(db(), subei.actor, q(), TODAY)
    const second = await projectPool(db(), subei.actor, q({ page: '2' }), TODAY)
    expect([first.total, first.pageCount, second.page]).toEqual([23, 2, 2])
    expect(first.items.map((p) => p.needId)).toEqual(ids.slice(3).reverse())
    expect(second.items.map((p) => p.needId)).toEqual(ids.slice(0, 3).reverse())
    expect(first.items[0]).toMatchObject({ enterprise: '肃北企业', enterpriseId: org, title: '肃北项目 22' })
    // A page past the last shows the last.
    expect((await projectPool(db(), subei.actor, q({ page: '9' }), TODAY)).items.map((p) => p.needId)).toEqual(
      ids.slice(0, 3).reverse(),
    )
    const y2025 = await projectPool(db(), subei.actor, q({ year: '2025' }), TODAY)
    expect([y2025.total, y2025.items.map((p) => p.needId)]).toEqual([3, ids.slice(0, 3).reverse()])
    const y2026 = await projectPool(db(), subei.actor, q({ year: '2026', level: 'digital_workshop' }), TODAY)
    expect(y2026.total).toBe(20)
    expect(y2026.items).toHaveLength(20)
  })

  it('shows each enterprise’s gradient readiness: 基础级 met, facts missing, no rules in the region', async () => {
    const pool = await projectPool(db(), gansuAgency.actor, q(), TODAY)
    const ready = pool.items.find((p) => p.enterpriseId === world.ready)!
    expect(ready.readiness).toEqual({ kind: 'level', level: 'basic' })
    const bare = pool.items.find((p) => p.enterpriseId === world.bare)!
    expect(bare.readiness).toEqual({ kind: 'unknown' })
    const qinghai = await projectPool(db(), qinghaiAgency.actor, q(), TODAY)
    expect(qinghai.items.map((p) => p.readiness)).toEqual([{ kind: 'no_rules' }])
  })

  it('the batched facts are the facts enterpriseFacts reads one by one', async () => {
    const ids = [world.ready, world.bare, world.qinghai]
    const batch = await enterpriseFactsBatch(db(), ids)
    const ref = await getReferenceData(db())
    for (const id of ids) {
      const one = await enterpriseFacts(db(), id)
      expect(batch.get(id)).toEqual(one.facts)
    }
    // The readiness the page shows follows from them and the region's rules.
    const rules = rulesForRegion(ref, GANSU, TODAY).gradient
    expect(gradientReadiness(rules, batch.get(world.ready)!)).toEqual({ kind: 'level', level: 'basic' })
    // Every fact known and short of every level: none met; no rule set at all: no_rules.
    const short = Object.fromEntries(
      FACT_KEYS.map((k) => [
        k,
        FACTS[k].kind === 'boolean' ? false : FACTS[k].kind === 'links' ? [] : FACTS[k].kind === 'level' ? 1 : 0,
      ]),
    )
    expect(gradientReadiness(rules, short)).toEqual({ kind: 'none' })
    expect(gradientReadiness(null, short)).toEqual({ kind: 'no_rules' })
  })

  it('refuses an enterprise member, and the export is an .xlsx of the current filter', async () => {
    const member = await personOf(world.bare)
    await expect(projectPool(db(), member.actor, q(), TODAY)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const denied = await call(xlsxRoute, { path: '/agency/project-pool.xlsx', cookie: member.cookie })
    expect(denied.status).toBe(403)
    const res = await call(xlsxRoute, { path: '/agency/project-pool.xlsx?level=smart_line', cookie: gansuAgency.cookie })
    expect(res.status).toBe(200)
    const anonymous = await call(xlsxRoute, { path: '/agency/project-pool.xlsx' })
    expect(anonymous.status).toBe(302)
  })
})
