/**
 * The demo's 1:1 meetings (issue 15 §1, 洽谈) in the 扬州 agency's published matchmaking
 * event (seed/events.ts): the meeting grid — the event's first two days, 09:00–12:00,
 * 30-minute meetings, 4 tables —, every listed enterprise and 服务商 A available in every
 * slot, and 服务商 A's meeting with the first listed enterprise scheduled on the first day
 * at 09:00, table 1 (with a message and a reply); a second enterprise, when one is
 * listed, has asked 服务商 A and waits for the answer. Deterministic; skipped when the
 * demo has no such event (or no approved provider in it).
 */
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import { slotsOf } from '../app/domain/events/meeting-scheduler.js'

const DEMO_AGENCY = '13900000021'

function dayText(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)
}

export async function writeMeetingData(db: Kysely<DB>, now: string): Promise<{ meetings: number }> {
  const event = await db
    .selectFrom('events as e')
    .innerJoin('memberships as m', 'm.org_id', 'e.organiser_org_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['e.id', 'e.starts_on', 'e.ends_on', 'u.id as userId'])
    .where('u.phone', '=', DEMO_AGENCY)
    .where('u.is_demo', '=', 1)
    .where('e.stage', 'in', ['provider_call', 'site_visits', 'proposal_review', 'intents'])
    .orderBy('e.id')
    .executeTakeFirst()
  if (!event) return { meetings: 0 }
  const provider = await db
    .selectFrom('event_providers')
    .select(['provider_org_id', 'created_by'])
    .where('event_id', '=', event.id)
    .where('status', '=', 'approved')
    .orderBy('id')
    .executeTakeFirst()
  const listed = await db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .select(['n.id as needId', 'n.org_id as orgId'])
    .where('en.event_id', '=', event.id)
    .where('en.status', '=', 'listed')
    .orderBy('en.id')
    .execute()
  const enterprises: { orgId: number; needId: number }[] = []
  for (const l of listed) if (!enterprises.some((e) => e.orgId === l.orgId)) enterprises.push(l)
  if (!provider || enterprises.length === 0) return { meetings: 0 }

  const first = dayText(event.starts_on)
  const second = new Date(Date.parse(`${first}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  const days = second <= dayText(event.ends_on) ? [first, second] : [first]
  const settings = { days, dayStart: '09:00', dayEnd: '12:00', slotMinutes: 30, tableCount: 4 }
  const slots = slotsOf(settings)
  const memberOf = async (orgId: number) =>
    (
      await db
        .selectFrom('memberships')
        .select('user_id')
        .where('org_id', '=', orgId)
        .where('status', '=', 'active')
        .orderBy((eb) => eb.case().when('role', '=', 'owner').then(0).else(1).end())
        .orderBy('user_id')
        .executeTakeFirst()
    )?.user_id

  const [a, b] = enterprises
  const answeredBy = (await memberOf(a!.orgId)) ?? null
  const asker = b ? await memberOf(b.orgId) : undefined

  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('event_meeting_settings')
      .values({
        event_id: event.id,
        day_start: settings.dayStart,
        day_end: settings.dayEnd,
        slot_minutes: settings.slotMinutes,
        table_count: settings.tableCount,
        place: '扬州市国际展览中心 2 号馆 洽谈区',
        updated_by: event.userId,
        updated_at: now,
      })
      .execute()
    await trx
      .insertInto('event_meeting_days')
      .values(days.map((d) => ({ event_id: event.id, meeting_day: d })))
      .execute()
    for (const orgId of [provider.provider_org_id, ...enterprises.map((e) => e.orgId)]) {
      await trx
        .insertInto('event_meeting_availability')
        .values(slots.map((s) => ({ event_id: event.id, org_id: orgId, slot_day: s.day, slot_start: s.start })))
        .execute()
    }
    const slot = slots[0]!
    const meeting = await trx
      .insertInto('event_meetings')
      .values({
        event_id: event.id,
        enterprise_org_id: a!.orgId,
        provider_org_id: provider.provider_org_id,
        need_id: a!.needId,
        requested_by_side: 'provider',
        message: '我们在汽车零部件行业做过多个设备联网与 MES 项目，想当面了解贵公司的产线现状。',
        status: 'scheduled',
        reply: '欢迎，届时请带上类似项目的案例资料。',
        requested_by: provider.created_by,
        requested_at: now,
        responded_by: answeredBy,
        responded_at: now,
        slot_day: slot.day,
        slot_start: slot.start,
        slot_end: slot.end,
        table_no: 1,
        scheduled_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('event_meeting_bookings')
      .values(
        [a!.orgId, provider.provider_org_id].map((orgId) => ({
          meeting_id: meeting.id,
          event_id: event.id,
          org_id: orgId,
          slot_day: slot.day,
          slot_start: slot.start,
        })),
      )
      .execute()
    let count = 1
    if (b && asker) {
      await trx
        .insertInto('event_meetings')
        .values({
          event_id: event.id,
          enterprise_org_id: b.orgId,
          provider_org_id: provider.provider_org_id,
          need_id: b.needId,
          requested_by_side: 'enterprise',
          message: '想请贵公司介绍仓储物流智能化改造的方案和周期。',
          status: 'requested',
          requested_by: asker,
          requested_at: now,
        })
        .execute()
      count += 1
    }
    return { meetings: count }
  })
}
