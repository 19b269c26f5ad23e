import { describe, expect, it } from 'vitest'
import { agencyDashboard } from '../../app/domain/dashboard/dashboard.server.js'
import { eventOutcomes, outcomesOverTime } from '../../app/domain/dashboard/outcomes.server.js'
import { chinaYearBounds, ZDashboardQuery, ZOutcomesQuery } from '../../app/domain/dashboard/schema.js'
import { chinaDate, addDays } from '../../app/domain/needs/lifecycle.server.js'
import { services } from '../../app/web/services.server.js'
import * as dashboardRoute from '../../app/routes/agency.dashboard.js'
import * as dashboardXlsx from '../../app/routes/agency.dashboard[.]xlsx.js'
import * as outcomesRoute from '../../app/routes/agency.outcomes.js'
import * as eventOutcomesRoute from '../../app/routes/agency.events.$id_.outcomes.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { eventWorld } from './event-world.js'
import { agency, db, fitting, indexedProviders, personOf } from './matching-world.js'

/*
 * 数据看板 and 对接成效 (issue 15 §3, §6): the numbers equal hand counts of what the test
 * writes, narrowed to the jurisdiction and the year; pages answer 200 to agencies of the
 * region, 403 elsewhere, and never 500.
 */

const year = Number(chinaDate().slice(0, 4))
const lastYear = `${year - 1}-06-15T04:00:00.000Z`
const dq = (q: Record<string, string> = {}) => ZDashboardQuery.parse(q)

async function aboveScale(orgId: number, diagnosedAt: string | null, providerOrgId: number) {
  await db()
    .insertInto('enterprise_profiles')
    .values({ org_id: orgId, above_scale: 1, updated_at: new Date().toISOString() })
    .execute()
  if (diagnosedAt) {
    await db()
      .insertInto('diagnoses')
      .values({
        enterprise_org_id: orgId,
        provider_org_id: providerOrgId,
        kind: 'factory',
        status: 'completed',
        origin: 'enterprise',
        completed_at: diagnosedAt,
        created_at: diagnosedAt,
        updated_at: diagnosedAt,
      })
      .execute()
  }
}

/** A contract on `needId` (an awarded bid first), created at `createdAt`. */
async function contractOn(
  needId: number,
  providerOrgId: number,
  userId: number,
  o: { amountWanX100: number; status: 'draft' | 'active' | 'completed' | 'terminated'; createdAt: string; region: string },
) {
  const need = await db().selectFrom('needs').select('org_id').where('id', '=', needId).executeTakeFirstOrThrow()
  const bid = await db()
    .insertInto('bids')
    .values({
      need_id: needId,
      provider_org_id: providerOrgId,
      price_wan_x100: o.amountWanX100,
      duration_days: 90,
      plan: '设备联网与数据采集平台建设。',
      status: 'awarded',
      created_by: userId,
      created_at: o.createdAt,
      updated_at: o.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await db()
    .insertInto('contracts')
    .values({
      need_id: needId,
      bid_id: bid.id,
      enterprise_org_id: need.org_id,
      provider_org_id: providerOrgId,
      region_code: o.region,
      title: '看板测试合同',
      amount_wan_x100: o.amountWanX100,
      construction_days: 90,
      warranty_months: 12,
      status: o.status,
      created_by: userId,
      created_at: o.createdAt,
      updated_at: o.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('the agency dashboard', () => {
  it('counts the jurisdiction’s needs, coverage, contracts and supply as written, per region and year', async () => {
    const { search } = services()
    // 泰州市 (321200): no other test of this file writes there.
    const city = await agency('321200')
    const viewer = await personOf(city.orgId, 'viewer')
    const province = await agency('320000')
    const elsewhere = await agency('620000')
    const provider = await personOf(await insertOrg(db(), { kind: 'provider', region: '321200' }))

    // 海陵区 321202 and 兴化市 321281; one enterprise in 南京 (outside 泰州, inside 江苏).
    const hailing = await insertOrg(db(), { kind: 'enterprise', region: '321202' })
    const xinghua = await insertOrg(db(), { kind: 'enterprise', region: '321281' })
    const nanjing = await insertOrg(db(), { kind: 'enterprise', region: '320102' })
    const n1 = await insertNeed(db(), hailing, { region: '321202', scenarios: ['S401', 'S402'], industry: 'C34' })
    await insertNeed(db(), hailing, { region: '321202', status: 'shortlisting', scenarios: ['S401'], industry: 'C34' })
    const n3 = await insertNeed(db(), xinghua, { region: '321281', status: 'closed', scenarios: ['S402'], industry: 'C36' })
    await insertNeed(db(), xinghua, { region: '321281', status: 'draft', scenarios: ['S401'] })
    const old = await insertNeed(db(), xinghua, { region: '321281', status: 'expired', scenarios: ['S401'] })
    await db().updateTable('needs').set({ published_at: lastYear, created_at: lastYear }).where('id', '=', old).execute()
    await insertNeed(db(), nanjing, { region: '320102', scenarios: ['S401'] })

    // 规上: hailing diagnosed this year, xinghua not; a second xinghua enterprise diagnosed last year.
    await aboveScale(hailing, new Date().toISOString(), provider.orgId)
    await aboveScale(xinghua, null, provider.orgId)
    const xinghua2 = await insertOrg(db(), { kind: 'enterprise', region: '321281' })
    await aboveScale(xinghua2, lastYear, provider.orgId)

    const now = new Date().toISOString()
    await contractOn(n1, provider.orgId, provider.userId, {
      amountWanX100: 12_050,
      status: 'active',
      createdAt: now,
      region: '321202',
    })
    await contractOn(n3, provider.orgId, provider.userId, {
      amountWanX100: 30_000,
      status: 'completed',
      createdAt: now,
      region: '321281',
    })
    const n5 = await insertNeed(db(), xinghua, { region: '321281', status: 'closed', scenarios: ['S401'] })
    await contractOn(n5, provider.orgId, provider.userId, {
      amountWanX100: 5_000,
      status: 'completed',
      createdAt: lastYear,
      region: '321281',
    })

    // Providers covering 泰州 with S401: one; S402: none (so S402's open need is short, S401's two are too).
    await indexedProviders([fitting('泰州联网服务商', { regions: ['321200'], scenarios: ['S401'] })])

    const d = await agencyDashboard(db(), search, city.actor, dq())
    expect(d.region.code).toBe('321200')
    expect(d.year).toBe(year)
    const status = Object.fromEntries(d.needs.byStatus.map((r) => [r.status, r.count]))
    expect(status).toMatchObject({ published: 1, shortlisting: 1, closed: 2, expired: 0 })
    expect(d.needs.total).toBe(4)
    expect(Object.fromEntries(d.needs.byIndustry.map((r) => [r.code, r.count]))).toEqual({ C34: 3, C36: 1 })
    expect(Object.fromEntries(d.needs.byScenario.map((r) => [r.code, r.count]))).toEqual({ S401: 3, S402: 2 })

    expect(d.coverage).toMatchObject({ aboveScale: 3, diagnosed: 2, rate: 66.7 })
    const coverage = Object.fromEntries(d.coverage.byDistrict.map((r) => [r.code, [r.aboveScale, r.diagnosed]]))
    expect(coverage['321202']).toEqual([1, 1])
    expect(coverage['321281']).toEqual([2, 1])

    expect(d.contracts).toMatchObject({ count: 2, amountWanX100: 42_050 })
    expect(d.contracts.byStatus.find((r) => r.status === 'active')).toMatchObject({ count: 1, amountWanX100: 12_050 })
    expect(d.contracts.byDistrict.find((r) => r.code === '321281')).toMatchObject({ count: 1, amountWanX100: 30_000 })

    const supply = Object.fromEntries(d.supply.map((r) => [r.code, [r.openNeeds, r.providers, r.short]]))
    expect(supply.S401).toEqual([2, 1, true])
    expect(supply.S402).toEqual([1, 0, true])

    // Last year: the expired need and the older contract; 2 of 3 diagnosed is now 1 of 3.
    const before = await agencyDashboard(db(), search, city.actor, dq({ year: String(year - 1) }))
    expect(before.needs.total).toBe(1)
    expect(before.needs.byStatus.find((r) => r.status === 'expired')!.count).toBe(1)
    expect(before.contracts).toMatchObject({ count: 1, amountWanX100: 5_000 })
    expect(before.coverage).toMatchObject({ aboveScale: 3, diagnosed: 1 })

    // Narrowed to 兴化市; the viewer reads it too.
    const narrowed = await agencyDashboard(db(), search, viewer.actor, dq({ region: '321281' }))
    expect(narrowed.needs.total).toBe(2)
    expect(narrowed.contracts.count).toBe(1)
    expect(narrowed.coverage).toMatchObject({ aboveScale: 2, diagnosed: 1 })

    // The province sees 南京 too; 甘肃 sees none of it and may not ask for 泰州.
    const jiangsu = await agencyDashboard(db(), search, province.actor, dq({ region: '320000' }))
    expect(jiangsu.needs.total).toBeGreaterThanOrEqual(5)
    const gansu = await agencyDashboard(db(), search, elsewhere.actor, dq())
    expect(gansu.needs.byIndustry.some((r) => r.count > 0)).toBe(false)
    await expect(agencyDashboard(db(), search, elsewhere.actor, dq({ region: '321200' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'dashboard.e.outsideJurisdiction',
    })
    // A city agency may not widen to its province.
    await expect(agencyDashboard(db(), search, city.actor, dq({ region: '320000' }))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // Not an agency: FORBIDDEN.
    await expect(agencyDashboard(db(), search, provider.actor, dq())).rejects.toMatchObject({ code: 'FORBIDDEN' })

    // Target completion: no plan → null; the city's plan of the year → its districts, narrowed with the region.
    expect(d.targets).toBeNull()
    const plan = await db()
      .insertInto('target_plans')
      .values({
        agency_org_id: city.orgId,
        region_code: '321200',
        year,
        created_by: city.userId,
        created_at: now,
        updated_by: city.userId,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('district_targets')
      .values([
        { plan_id: plan.id, region_code: '321202', metric: 'diagnosis', target: 4 },
        { plan_id: plan.id, region_code: '321281', metric: 'diagnosis', target: 10 },
      ])
      .execute()
    const withPlan = await agencyDashboard(db(), search, viewer.actor, dq())
    expect(withPlan.targets?.map((r) => r.code)).toEqual(['321202', '321281'])
    expect(withPlan.targets![1]!.metrics.find((m) => m.metric === 'diagnosis')).toMatchObject({ target: 10 })
    const narrowedPlan = await agencyDashboard(db(), search, city.actor, dq({ region: '321281' }))
    expect(narrowedPlan.targets?.map((r) => r.code)).toEqual(['321281'])
    expect((await agencyDashboard(db(), search, province.actor, dq())).targets).toBeNull()

    // Over HTTP: 200 for the agency and its viewer, 403 for a region elsewhere, 403 for a provider, the workbook.
    expect((await call(dashboardRoute, { path: '/agency/dashboard', cookie: city.cookie })).status).toBe(200)
    expect(
      (await call(dashboardRoute, { path: `/agency/dashboard?year=${year - 1}&region=321281`, cookie: viewer.cookie })).status,
    ).toBe(200)
    expect((await call(dashboardRoute, { path: '/agency/dashboard?region=620000', cookie: city.cookie })).status).toBe(403)
    expect((await call(dashboardRoute, { path: '/agency/dashboard?year=abc&region=%27', cookie: city.cookie })).status).toBe(200)
    expect((await call(dashboardRoute, { path: '/agency/dashboard', cookie: provider.cookie })).status).toBe(403)
    expect((await call(dashboardRoute, { path: '/agency/dashboard', cookie: null })).status).toBe(302)
    const xlsx = await call(dashboardXlsx, { path: '/agency/dashboard.xlsx?region=321202', cookie: city.cookie })
    expect(xlsx.status).toBe(200)
  })

  it('parses the year bounds as China years', () => {
    expect(chinaYearBounds(2026)).toEqual({ from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' })
  })
})

describe('event outcomes', () => {
  it('counts listed needs, approved providers, meetings, live intents and contracts within 180 days of the end', async () => {
    const w = await eventWorld({ stage: 'follow_up' })
    const event = await db().selectFrom('events').selectAll().where('id', '=', w.eventId).executeTakeFirstOrThrow()
    const [p0, p1, p2] = w.providers.map((p) => p.person)
    const now = new Date().toISOString()
    const intent = (needId: number, providerOrgId: number, amount: number, withdrawn = false) =>
      db()
        .insertInto('event_intents')
        .values({
          event_id: w.eventId,
          need_id: needId,
          provider_org_id: providerOrgId,
          amount_wan_x100: amount,
          signed_on: event.ends_on,
          created_by: w.organiser.userId,
          created_at: now,
          withdrawn_at: withdrawn ? now : null,
        })
        .execute()
    await intent(w.needIds[0]!, p0!.orgId, 15_000)
    await intent(w.needIds[1]!, p1!.orgId, 8_050)
    await intent(w.needIds[1]!, p2!.orgId, 9_999, true)

    // Two scheduled meetings (one with an 意向 outcome), one only requested.
    const meeting = async (enterpriseOrgId: number, providerOrgId: number, scheduled: boolean, table: number) => {
      const row = await db()
        .insertInto('event_meetings')
        .values({
          event_id: w.eventId,
          enterprise_org_id: enterpriseOrgId,
          provider_org_id: providerOrgId,
          requested_by_side: 'enterprise',
          status: scheduled ? 'scheduled' : 'requested',
          requested_by: w.enterprises[0]!.person.userId,
          requested_at: now,
          slot_day: scheduled ? event.starts_on : null,
          slot_start: scheduled ? '09:00' : null,
          slot_end: scheduled ? '09:30' : null,
          table_no: scheduled ? table : null,
          scheduled_at: scheduled ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
    const m1 = await meeting(w.enterprises[0]!.person.orgId, p0!.orgId, true, 1)
    await meeting(w.enterprises[1]!.person.orgId, p1!.orgId, true, 2)
    await meeting(w.enterprises[0]!.person.orgId, p2!.orgId, false, 3)
    for (const side of ['enterprise', 'provider'] as const) {
      await db()
        .insertInto('event_meeting_outcomes')
        .values({ meeting_id: m1, side, outcome: 'intent', recorded_by: w.organiser.userId, recorded_at: now })
        .execute()
    }

    // Contracts: need 0 at 100 days after the end (counts), need 1 at 200 days (too late),
    // the outside need (not in the batch) within the window (does not count).
    const at = (day: string) => `${day}T02:00:00.000Z`
    const c0 = await contractOn(w.needIds[0]!, p0!.orgId, p0!.userId, {
      amountWanX100: 14_500,
      status: 'active',
      createdAt: at(addDays(event.ends_on, 100)),
      region: '321023',
    })
    await contractOn(w.needIds[1]!, p1!.orgId, p1!.userId, {
      amountWanX100: 8_000,
      status: 'draft',
      createdAt: at(addDays(event.ends_on, 200)),
      region: '321023',
    })
    await contractOn(w.outsideNeedId, p2!.orgId, p2!.userId, {
      amountWanX100: 1_000,
      status: 'active',
      createdAt: at(addDays(event.ends_on, 10)),
      region: '321023',
    })

    const result = await eventOutcomes(db(), w.organiser.actor, w.eventId)
    expect(result.event.outcome).toEqual({
      needs: 2,
      providers: 3,
      meetings: 2,
      meetingIntents: 1,
      intents: 2,
      intentAmountWanX100: 23_050,
      contracts: 1,
      contractAmountWanX100: 14_500,
    })
    expect(result.needs.map((n) => n.contracts.map((c) => c.id))).toEqual([[c0], []])
    expect(result.needs[1]!.intents).toHaveLength(1)

    // Readers: the organiser's viewer and the province; not an agency elsewhere, not a participant.
    await expect(eventOutcomes(db(), w.organiserViewer.actor, w.eventId)).resolves.toBeTruthy()
    await expect(eventOutcomes(db(), w.province.actor, w.eventId)).resolves.toBeTruthy()
    await expect(eventOutcomes(db(), w.agencyElsewhere.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(eventOutcomes(db(), w.enterprises[0]!.person.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const draft = await eventWorld({ stage: 'draft' })
    await expect(eventOutcomes(db(), draft.outsider.actor, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // Over time: the jurisdiction's events (the draft left out), this event's numbers in its year.
    const overTime = await outcomesOverTime(db(), w.organiser.actor, ZOutcomesQuery.parse({}))
    const listed = overTime.events.find((e) => e.id === w.eventId)
    expect(listed?.outcome.contracts).toBe(1)
    expect(overTime.events.some((e) => e.id === draft.eventId)).toBe(false)
    const eventYear = Number(event.starts_on.slice(0, 4))
    const perYear = overTime.perYear.find((y) => y.year === eventYear)!
    expect(perYear.intents).toBeGreaterThanOrEqual(2)
    const elsewhere = await outcomesOverTime(db(), w.agencyElsewhere.actor, ZOutcomesQuery.parse({}))
    expect(elsewhere.events.some((e) => e.id === w.eventId)).toBe(false)

    // Over HTTP.
    const path = `/agency/events/${w.eventId}/outcomes`
    expect((await call(eventOutcomesRoute, { path, params: { id: String(w.eventId) }, cookie: w.organiser.cookie })).status).toBe(
      200,
    )
    expect(
      (await call(eventOutcomesRoute, { path, params: { id: String(w.eventId) }, cookie: w.agencyElsewhere.cookie })).status,
    ).toBe(403)
    expect(
      (await call(eventOutcomesRoute, { path: '/agency/events/x/outcomes', params: { id: 'x' }, cookie: w.organiser.cookie }))
        .status,
    ).toBe(404)
    expect(
      (
        await call(eventOutcomesRoute, {
          path: '/agency/events/99999999/outcomes',
          params: { id: '99999999' },
          cookie: w.organiser.cookie,
        })
      ).status,
    ).toBe(404)
    expect(
      (await call(outcomesRoute, { path: `/agency/outcomes?year=${eventYear}&page=9`, cookie: w.organiserViewer.cookie })).status,
    ).toBe(200)
    expect((await call(outcomesRoute, { path: '/agency/outcomes', cookie: w.providers[0]!.person.cookie })).status).toBe(403)
  })
})
