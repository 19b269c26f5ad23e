/**
 * The demo's matchmaking events (issue 15 §1, 供需对接会) of the 扬州市工信局 (the demo
 * agency account 13900000021): one published in 服务商征集 — a few published public needs
 * of the agency's jurisdiction listed (the demo enterprises' first), 服务商 A registered
 * and approved, interested in the first need — and one draft. Written after the demo
 * accounts and needs, deterministic (the same needs by id, dates from the demo's day),
 * skipped without the demo agency.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import { addDays, chinaDate } from '../app/domain/needs/lifecycle.server.js'
import { getReferenceData } from '../app/domain/reference/reference.server.js'
import { jurisdictionCodes } from '../app/domain/reference/jurisdiction.js'

const DEMO_AGENCY = '13900000021'
const DEMO_ENTERPRISES = ['13900000001', '13900000002']
const DEMO_PROVIDER_A = '13900000011'
/** Needs listed in the published event. */
const LISTED = 4

export const DEMO_EVENT_TITLE = '2026 年扬州市智改数转供需对接会（第一批）'
export const DEMO_DRAFT_EVENT_TITLE = '扬州市装备制造业数字化转型专场对接会'

async function ownerOf(db: Kysely<DB>, phone: string, kind: 'agency' | 'enterprise' | 'provider') {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.id as userId', 'o.id as orgId', 'o.region_code'])
    .where('u.phone', '=', phone)
    .where('u.is_demo', '=', 1)
    .where('o.kind', '=', kind)
    .orderBy('o.id')
    .executeTakeFirst()
}

export async function writeEventData(db: Kysely<DB>, now: string, today: Date): Promise<{ events: number; listed: number }> {
  const agency = await ownerOf(db, DEMO_AGENCY, 'agency')
  if (!agency) return { events: 0, listed: 0 }
  const ref = await getReferenceData(db)
  const codes = jurisdictionCodes(ref, agency.region_code)
  const enterprises = (await Promise.all(DEMO_ENTERPRISES.map((p) => ownerOf(db, p, 'enterprise')))).flatMap((e) =>
    e ? [e.orgId] : [],
  )
  const eligible = db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select('n.id')
    .where('n.status', '=', 'published')
    .where('n.visibility', '=', 'public')
    .where('o.status', '=', 'verified')
    .where('n.region_code', 'in', codes)
  const demoNeeds = enterprises.length
    ? await eligible.where('n.org_id', 'in', enterprises).orderBy('n.id').limit(LISTED).execute()
    : []
  const others =
    demoNeeds.length < LISTED
      ? await eligible
          .where('n.id', 'not in', demoNeeds.map((n) => n.id).concat([0]))
          .orderBy('n.id')
          .limit(LISTED - demoNeeds.length)
          .execute()
      : []
  const needIds = [...demoNeeds, ...others].map((n) => n.id)
  const providerA = await ownerOf(db, DEMO_PROVIDER_A, 'provider')
  const day = chinaDate(today)

  return db.transaction().execute(async (trx) => {
    const event = async (values: {
      title: string
      stage: 'provider_call' | 'draft'
      starts: number
      ends: number
      description: string
    }) =>
      (
        await trx
          .insertInto('events')
          .values({
            organiser_org_id: agency.orgId,
            region_code: agency.region_code,
            title: values.title,
            description: values.description,
            mode: 'hybrid',
            venue: '扬州市国际展览中心 2 号馆',
            online_url: '',
            starts_on: addDays(day, values.starts),
            ends_on: addDays(day, values.ends),
            stage: values.stage,
            enterprise_applications: 1,
            created_by: agency.userId,
            created_at: now,
            updated_at: now,
            stage_changed_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const published = await event({
      title: DEMO_EVENT_TITLE,
      stage: 'provider_call',
      starts: 14,
      ends: 75,
      description:
        '面向汽车零部件、装备制造和新材料企业的智能化改造和数字化转型需求发榜，征集服务商开展现场调研、方案评选和意向签约，会后 30、90、180 天跟进落地情况。',
    })
    const draft = await event({
      title: DEMO_DRAFT_EVENT_TITLE,
      stage: 'draft',
      starts: 60,
      ends: 120,
      description: '草稿：面向装备制造业的数字化车间、智能工厂建设需求，待遴选需求后发布。',
    })
    await trx
      .insertInto('event_industries')
      .values([
        { event_id: published, industry_code: 'C34' },
        { event_id: published, industry_code: 'C36' },
        { event_id: draft, industry_code: 'C34' },
      ])
      .execute()
    if (needIds.length) {
      await trx
        .insertInto('event_needs')
        .values(
          needIds.map((needId) => ({
            event_id: published,
            need_id: needId,
            source: 'agency' as const,
            status: 'listed' as const,
            created_by: agency.userId,
            created_at: now,
            decided_by: agency.userId,
            decided_at: now,
          })),
        )
        .execute()
    }
    if (providerA) {
      const reg = await trx
        .insertInto('event_providers')
        .values({
          event_id: published,
          provider_org_id: providerA.orgId,
          status: 'approved',
          note: '在汽车零部件行业有多个设备联网与 MES 实施案例，可参加现场调研。',
          created_by: providerA.userId,
          created_at: now,
          decided_by: agency.userId,
          decided_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (needIds[0] !== undefined) {
        await trx.insertInto('event_provider_needs').values({ event_provider_id: reg.id, need_id: needIds[0] }).execute()
      }
    }
    return { events: 2, listed: needIds.length }
  })
}
