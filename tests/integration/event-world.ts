import type { EventStage } from '../../db/enums.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { isoDate } from './contract-world.js'
import { agency, db, personOf, type Person } from './matching-world.js'

/*
 * A matchmaking event and everyone around it (issue 15), written straight into the
 * tables so each slice's tests start from the stage they need without running the
 * others' use cases: the organiser (扬州市 agency: owner, reviewer, viewer), the
 * province over it, an agency elsewhere; two enterprises with published needs in
 * 宝应县 listed in the batch (and a third enterprise's need not in it); three approved
 * providers (each interested in the whole batch) and one that only applied; an expert
 * of the organiser's library appointed to the event, one employed by provider 0 (a
 * tie), and an outsider. The event is at `stage`.
 */

export interface Party {
  person: Person
  /** A second active member of the same organisation. */
  member: Person
}

export interface EventWorld {
  region: string
  eventId: number
  organiser: Person
  organiserReviewer: Person
  organiserViewer: Person
  province: Person
  agencyElsewhere: Person
  /** Two enterprises, each with one listed need (needIds[i] belongs to enterprises[i]). */
  enterprises: Party[]
  needIds: number[]
  /** An enterprise with a published need that is not in the batch. */
  outsideEnterprise: Person
  outsideNeedId: number
  /** Three approved providers. */
  providers: Party[]
  /** A provider whose registration is only 'applied'. */
  applicant: Person
  /** experts[0]: independent; experts[1]: employed by providers[0] (a tie). Both appointed to the event. */
  experts: Array<{ expertId: number; person: Person }>
  outsider: Person
}

export interface EventWorldOptions {
  stage?: EventStage
  /** Let enterprises apply with their own needs (default: no). */
  enterpriseApplications?: boolean
}

async function expertOf(agencyOrgId: number, createdBy: number, employerOrgId: number | null, name: string) {
  const person = await personOf(await insertOrg(db(), { kind: 'enterprise', region: '321000' }))
  const now = new Date().toISOString()
  const row = await db()
    .insertInto('experts')
    .values({
      agency_org_id: agencyOrgId,
      user_id: person.userId,
      name,
      title: '高级工程师',
      employer: employerOrgId ? '所属服务商' : '扬州大学',
      employer_org_id: employerOrgId,
      fields: '智能制造、工业互联网',
      created_by: createdBy,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { expertId: row.id, person }
}

export async function eventWorld(options: EventWorldOptions = {}): Promise<EventWorld> {
  const region = '321023'
  const stage = options.stage ?? 'needs_call'
  const now = new Date().toISOString()
  const organiser = await agency('321000')
  const organiserReviewer = await personOf(organiser.orgId, 'reviewer')
  const organiserViewer = await personOf(organiser.orgId, 'viewer')
  const province = await agency('320000')
  const agencyElsewhere = await agency('620000')

  const enterprises: Party[] = []
  const needIds: number[] = []
  for (const title of ['冲压车间设备联网与数据采集', '仓储物流智能化改造']) {
    const orgId = await insertOrg(db(), { kind: 'enterprise', region })
    enterprises.push({ person: await personOf(orgId), member: await personOf(orgId, 'member') })
    needIds.push(await insertNeed(db(), orgId, { region, title }))
  }
  const outsideOrg = await insertOrg(db(), { kind: 'enterprise', region })
  const outsideEnterprise = await personOf(outsideOrg)
  const outsideNeedId = await insertNeed(db(), outsideOrg, { region, title: '能耗监测与能效优化' })

  const providers: Party[] = []
  for (let i = 0; i < 3; i += 1) {
    const orgId = await insertOrg(db(), { kind: 'provider', region: '321003' })
    providers.push({ person: await personOf(orgId), member: await personOf(orgId, 'member') })
  }
  const applicant = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
  const outsider = await personOf(await insertOrg(db(), { kind: 'enterprise', region }))

  const event = await db()
    .insertInto('events')
    .values({
      organiser_org_id: organiser.orgId,
      region_code: '321000',
      title: '2026 年扬州市智改数转供需对接会（第一批）',
      description: '面向汽车零部件与装备制造企业的智能化改造需求发榜与服务商征集。',
      mode: 'hybrid',
      venue: '扬州市会议中心',
      starts_on: isoDate(14),
      ends_on: isoDate(60),
      stage,
      enterprise_applications: options.enterpriseApplications ? 1 : 0,
      created_by: organiser.userId,
      created_at: now,
      updated_at: now,
      stage_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db()
    .insertInto('event_industries')
    .values([
      { event_id: event.id, industry_code: 'C34' },
      { event_id: event.id, industry_code: 'C36' },
    ])
    .execute()
  if (stage !== 'draft') {
    for (const needId of needIds) {
      await db()
        .insertInto('event_needs')
        .values({
          event_id: event.id,
          need_id: needId,
          source: 'agency',
          status: 'listed',
          created_by: organiser.userId,
          created_at: now,
          decided_by: organiser.userId,
          decided_at: now,
        })
        .execute()
    }
    for (const p of providers) {
      await db()
        .insertInto('event_providers')
        .values({
          event_id: event.id,
          provider_org_id: p.person.orgId,
          status: 'approved',
          created_by: p.person.userId,
          created_at: now,
          decided_by: organiser.userId,
          decided_at: now,
        })
        .execute()
    }
    await db()
      .insertInto('event_providers')
      .values({
        event_id: event.id,
        provider_org_id: applicant.orgId,
        status: 'applied',
        created_by: applicant.userId,
        created_at: now,
      })
      .execute()
  }
  const experts = [
    await expertOf(organiser.orgId, organiser.userId, null, '王工'),
    await expertOf(organiser.orgId, organiser.userId, providers[0]!.person.orgId, '李工'),
  ]
  await db()
    .insertInto('event_experts')
    .values(experts.map((e) => ({ event_id: event.id, expert_id: e.expertId, created_at: now })))
    .execute()

  return {
    region,
    eventId: event.id,
    organiser,
    organiserReviewer,
    organiserViewer,
    province,
    agencyElsewhere,
    enterprises,
    needIds,
    outsideEnterprise,
    outsideNeedId,
    providers,
    applicant,
    experts,
    outsider,
  }
}
