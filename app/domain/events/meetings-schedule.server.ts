import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { zPageParam } from '../shared/schema.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { dateText } from '../contracts/milestones.server.js'
import { notify } from '../notifications/notify.server.js'
import { eventToManage, type EventRole } from './access.server.js'
import {
  MAX_MEETING_DAYS,
  minutesOf,
  schedule,
  slotKey,
  slotsOf,
  type Slot,
  type UnscheduledReason,
} from './meeting-scheduler.js'
import {
  agencyView,
  eventSummary,
  meetingView,
  meetingsQuery,
  settingsOf,
  slotsOfStored,
  type EventSummary,
  type MeetingView,
  type StoredSettings,
} from './meetings-shared.server.js'
import { isOpen } from './stages.js'

/*
 * The organiser's side of 1:1 meetings (洽谈, issue 15 §1): the grid (meeting days within
 * the event's dates, day start and end, slot length, number of tables, place), the
 * schedule grid slot × table, and 排期 — every accepted request gets the earliest slot
 * where both sides are available and free and a table is free (meeting-scheduler.ts).
 * A run takes the settings row's lock first (PostgreSQL: two runs wait for each other;
 * SQLite has one writer), and the unique keys (event, slot, table) and (event, org,
 * slot) are the last guard: a collision is a CONFLICT, never a 500. The grid cannot
 * change while meetings are scheduled: the organiser clears the schedule first.
 */

/** At most this many slots over all days (the availability form stays under the form's field limit). */
export const MAX_SLOTS = 600
export const MAX_TABLES = 50
export const MEETINGS_PAGE_SIZE = 20

const zDay = z
  .string({ error: 'meetings.v.day' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'meetings.v.day')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
  }, 'meetings.v.day')
const zClock = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, key)
const zInt = (key: string, min: number, max: number) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,4}$/, key)
    .transform(Number)
    .pipe(z.number().int().min(min, key).max(max, key))

export const ZMeetingSettingsInput = z
  .object({
    'days[]': z.array(zDay, { error: 'meetings.v.days' }).min(1, 'meetings.v.days').max(MAX_MEETING_DAYS, 'meetings.v.days'),
    dayStart: zClock('meetings.v.dayStart'),
    dayEnd: zClock('meetings.v.dayEnd'),
    slotMinutes: zInt('meetings.v.slotMinutes', 10, 240),
    tableCount: zInt('meetings.v.tableCount', 1, MAX_TABLES),
    place: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .pipe(z.string().max(200, 'meetings.v.place')),
  })
  .refine((v) => v.dayEnd > v.dayStart, { path: ['dayEnd'], message: 'meetings.v.dayEndAfter' })
  .refine((v) => minutesOf(v.dayEnd) - minutesOf(v.dayStart) >= v.slotMinutes, {
    path: ['slotMinutes'],
    message: 'meetings.v.slotFits',
  })
  .transform((v) => ({
    days: [...new Set(v['days[]'])].sort(),
    dayStart: v.dayStart,
    dayEnd: v.dayEnd,
    slotMinutes: v.slotMinutes,
    tableCount: v.tableCount,
    place: v.place,
  }))
export type MeetingSettingsInput = z.output<typeof ZMeetingSettingsInput>

export interface GridCell {
  meetingId: number
  enterprise: string
  provider: string
}

export interface OrganiserMeetingsPage {
  event: EventSummary
  role: EventRole
  settings: StoredSettings | null
  /** The days the organiser may pick: the event's dates (at most the first 60). */
  eventDays: string[]
  slotCount: number
  /** The day the grid shows, and its rows (slots) × tables. */
  gridDay: string | null
  grid: { slot: Slot; cells: (GridCell | null)[] }[]
  counts: Record<MeetingView['status'], number>
  requests: MeetingView[]
  page: number
  pageCount: number
  status: MeetingView['status'] | null
  mayEdit: boolean
  maySchedule: boolean
  /** Meetings are scheduled: the grid is locked until the schedule is cleared. */
  locked: boolean
}

function eventDays(startsOn: string, endsOn: string): string[] {
  const out: string[] = []
  const end = new Date(`${endsOn}T00:00:00Z`).getTime()
  for (let t = new Date(`${startsOn}T00:00:00Z`).getTime(); t <= end && out.length < 60; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

export async function organiserMeetings(
  db: Database,
  actor: Actor,
  eventId: number,
  query: { day?: string | null; page?: number; status?: MeetingView['status'] | null } = {},
): Promise<OrganiserMeetingsPage> {
  const { event, role } = await agencyView(db, actor, eventId)
  const settings = await settingsOf(db, eventId)
  const slots = slotsOfStored(settings)
  const days = settings?.days ?? []
  const gridDay = query.day && days.includes(query.day) ? query.day : (days[0] ?? null)
  const counts = { requested: 0, accepted: 0, declined: 0, cancelled: 0, scheduled: 0 }
  const countRows = await db
    .selectFrom('event_meetings')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute()
  for (const r of countRows) counts[r.status] = Number(r.n)

  const grid: OrganiserMeetingsPage['grid'] = []
  if (settings && gridDay) {
    const scheduled = await meetingsQuery(db, eventId)
      .where('m.status', '=', 'scheduled')
      .where('m.slot_day', '=', gridDay)
      .execute()
    const at = new Map(scheduled.map((m) => [`${m.slot_start} ${m.table_no}`, m]))
    for (const slot of slots.filter((s) => s.day === gridDay)) {
      const cells: (GridCell | null)[] = []
      for (let t = 1; t <= settings.tableCount; t++) {
        const m = at.get(`${slot.start} ${t}`)
        cells.push(m ? { meetingId: m.id, enterprise: m.enterprise_name, provider: m.provider_name } : null)
      }
      grid.push({ slot, cells })
    }
  }

  const status = query.status ?? null
  const total = status === null ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[status]
  const pageCount = Math.max(1, Math.ceil(total / MEETINGS_PAGE_SIZE))
  const page = Math.min(Math.max(1, query.page ?? 1), pageCount)
  let list = meetingsQuery(db, eventId)
  if (status) list = list.where('m.status', '=', status)
  const rows = await list
    .orderBy('m.id', 'desc')
    .limit(MEETINGS_PAGE_SIZE)
    .offset((page - 1) * MEETINGS_PAGE_SIZE)
    .execute()

  return {
    event: eventSummary(event),
    role,
    settings,
    eventDays: eventDays(dateText(event.starts_on), dateText(event.ends_on)),
    slotCount: slots.length,
    gridDay,
    grid,
    counts,
    requests: rows.map(meetingView),
    page,
    pageCount,
    status,
    mayEdit: role === 'organiser' && isOpen('meetingSettings', event.stage) && counts.scheduled === 0,
    maySchedule: role === 'organiser' && isOpen('meetings', event.stage) && settings !== null,
    locked: counts.scheduled > 0,
  }
}

export async function saveMeetingSettings(
  db: Database,
  actor: Actor,
  eventId: number,
  input: MeetingSettingsInput,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'meetingSettings')
    const startsOn = dateText(event.starts_on)
    const endsOn = dateText(event.ends_on)
    if (input.days.some((d) => d < startsOn || d > endsOn)) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { days: 'meetings.v.daysWithin' } })
    }
    if (slotsOf(input).length > MAX_SLOTS) {
      throw new AppError('VALIDATION', 'errors.validationOne', {
        fieldErrors: { slotMinutes: 'meetings.v.tooManySlots' },
        params: { max: MAX_SLOTS },
      })
    }
    const scheduled = await trx
      .selectFrom('event_meetings')
      .select('id')
      .where('event_id', '=', eventId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (scheduled) throw new AppError('CONFLICT', 'meetings.e.settingsLocked')
    const now = new Date().toISOString()
    const values = {
      day_start: input.dayStart,
      day_end: input.dayEnd,
      slot_minutes: input.slotMinutes,
      table_count: input.tableCount,
      place: input.place,
      updated_by: actor.userId,
      updated_at: now,
    }
    await trx
      .insertInto('event_meeting_settings')
      .values({ event_id: eventId, ...values })
      .onConflict((oc) => oc.column('event_id').doUpdateSet(values))
      .execute()
    await trx.deleteFrom('event_meeting_days').where('event_id', '=', eventId).execute()
    await trx
      .insertInto('event_meeting_days')
      .values(input.days.map((d) => ({ event_id: eventId, meeting_day: d })))
      .execute()
    // Availability in slots that no longer exist is dropped.
    const starts = [...new Set(slotsOf(input).map((s) => s.start))]
    await trx
      .deleteFrom('event_meeting_availability')
      .where('event_id', '=', eventId)
      .where((eb) => eb.or([eb('slot_day', 'not in', input.days), eb('slot_start', 'not in', starts)]))
      .execute()
    await recordAudit(trx, {
      action: 'event.meetingSettingsSaved',
      ...auditActor(actor),
      objectType: 'event',
      objectId: eventId,
      detail: {
        days: input.days.join(','),
        dayStart: input.dayStart,
        dayEnd: input.dayEnd,
        slotMinutes: input.slotMinutes,
        tableCount: input.tableCount,
      },
    })
  })
}

export interface ScheduleOutcome {
  scheduled: number
  unscheduled: { meetingId: number; reason: UnscheduledReason }[]
}

/** 排期: every accepted request, first accepted first, gets its earliest possible slot and table. */
export async function runMeetingSchedule(db: Database, actor: Actor, eventId: number): Promise<ScheduleOutcome> {
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const event = await eventToManage(trx, actor, eventId, 'meetings')
      // The settings row's lock: parallel runs of one event wait here (PostgreSQL).
      const locked = await trx
        .updateTable('event_meeting_settings')
        .set((eb) => ({ schedule_runs: eb('schedule_runs', '+', 1) }))
        .where('event_id', '=', eventId)
        .executeTakeFirst()
      if (Number(locked.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'meetings.e.noSettings')
      const settings = await settingsOf(trx, eventId)
      if (!settings) throw new AppError('CONFLICT', 'meetings.e.noSettings')
      const slots = slotsOf(settings)
      const accepted = await trx
        .selectFrom('event_meetings')
        .select(['id', 'enterprise_org_id', 'provider_org_id'])
        .where('event_id', '=', eventId)
        .where('status', '=', 'accepted')
        .orderBy('responded_at')
        .orderBy('id')
        .execute()
      if (accepted.length === 0) return { scheduled: 0, unscheduled: [] }
      const orgIds = [...new Set(accepted.flatMap((m) => [m.enterprise_org_id, m.provider_org_id]))]
      const availabilityRows = await trx
        .selectFrom('event_meeting_availability')
        .select(['org_id', 'slot_day', 'slot_start'])
        .where('event_id', '=', eventId)
        .where('org_id', 'in', orgIds)
        .execute()
      const availability = new Map<number, Set<string>>()
      for (const r of availabilityRows) {
        let set = availability.get(r.org_id)
        if (!set) availability.set(r.org_id, (set = new Set()))
        set.add(slotKey(dateText(r.slot_day), r.slot_start))
      }
      const bookedRows = await trx
        .selectFrom('event_meetings')
        .select(['slot_day', 'slot_start', 'table_no', 'enterprise_org_id', 'provider_org_id'])
        .where('event_id', '=', eventId)
        .where('status', '=', 'scheduled')
        .execute()
      const booked = bookedRows.map((b) => ({
        slotKey: slotKey(dateText(b.slot_day), b.slot_start ?? ''),
        tableNo: b.table_no ?? 0,
        orgIds: [b.enterprise_org_id, b.provider_org_id],
      }))
      const result = schedule(
        slots,
        settings.tableCount,
        accepted.map((m) => ({ meetingId: m.id, enterpriseOrgId: m.enterprise_org_id, providerOrgId: m.provider_org_id })),
        { availability, booked },
      )
      const now = new Date().toISOString()
      const byId = new Map(accepted.map((m) => [m.id, m]))
      for (const a of result.assigned) {
        const m = byId.get(a.meetingId)!
        const updated = await trx
          .updateTable('event_meetings')
          .set({
            status: 'scheduled',
            slot_day: a.slot.day,
            slot_start: a.slot.start,
            slot_end: a.slot.end,
            table_no: a.tableNo,
            scheduled_at: now,
          })
          .where('id', '=', a.meetingId)
          .where('status', '=', 'accepted')
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'meetings.e.scheduleRace')
        await trx
          .insertInto('event_meeting_bookings')
          .values(
            [m.enterprise_org_id, m.provider_org_id].map((orgId) => ({
              meeting_id: a.meetingId,
              event_id: eventId,
              org_id: orgId,
              slot_day: a.slot.day,
              slot_start: a.slot.start,
            })),
          )
          .execute()
        for (const orgId of [m.enterprise_org_id, m.provider_org_id]) {
          await notify(db, trx, afterCommit, {
            kind: 'meeting_scheduled',
            orgId,
            params: { event: event.title, day: a.slot.day, start: a.slot.start, end: a.slot.end, table: a.tableNo },
            link: `/events/${eventId}/meetings`,
          })
        }
      }
      await recordAudit(trx, {
        action: 'event.meetingsScheduled',
        ...auditActor(actor),
        objectType: 'event',
        objectId: eventId,
        detail: { scheduled: result.assigned.length, unscheduled: result.unscheduled.length },
      })
      return { scheduled: result.assigned.length, unscheduled: result.unscheduled }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'meetings.e.scheduleRace')
    throw error
  }
}

/** Clears the schedule: scheduled meetings without an outcome go back to accepted. */
export async function clearMeetingSchedule(db: Database, actor: Actor, eventId: number): Promise<number> {
  return withTransaction(db, async (trx) => {
    await eventToManage(trx, actor, eventId, 'meetings')
    const held = trx.selectFrom('event_meeting_outcomes').select('meeting_id')
    const ids = (
      await trx
        .selectFrom('event_meetings')
        .select('id')
        .where('event_id', '=', eventId)
        .where('status', '=', 'scheduled')
        .where('id', 'not in', held)
        .execute()
    ).map((r) => r.id)
    if (ids.length > 0) {
      await trx.deleteFrom('event_meeting_bookings').where('meeting_id', 'in', ids).execute()
      await trx
        .updateTable('event_meetings')
        .set({ status: 'accepted', slot_day: null, slot_start: null, slot_end: null, table_no: null, scheduled_at: null })
        .where('id', 'in', ids)
        .execute()
    }
    await recordAudit(trx, {
      action: 'event.meetingScheduleCleared',
      ...auditActor(actor),
      objectType: 'event',
      objectId: eventId,
      detail: { cleared: ids.length },
    })
    return ids.length
  })
}

/** Scheduled meetings of the event (the whole agenda), chronological. */
export async function scheduledMeetings(db: Database, eventId: number, orgId?: number) {
  let q = meetingsQuery(db, eventId).where('m.status', '=', 'scheduled')
  if (orgId !== undefined)
    q = q.where((eb) => eb.or([eb('m.enterprise_org_id', '=', orgId), eb('m.provider_org_id', '=', orgId)]))
  const rows = await q.orderBy('m.slot_day').orderBy('m.slot_start').orderBy('m.table_no').execute()
  return rows.map(meetingView)
}

export const ZOrganiserMeetingIntent = z.object({
  intent: z.enum(['settings', 'schedule', 'clear'], { error: 'errors.invalid' }),
})

/** The organiser page's query: the grid's day, the requests' status filter and page (lenient). */
export const ZOrganiserMeetingsQuery = z.object({
  day: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null)),
  status: z
    .string()
    .optional()
    .transform((v) =>
      v === 'requested' || v === 'accepted' || v === 'declined' || v === 'cancelled' || v === 'scheduled' ? v : null,
    ),
  page: zPageParam(10_000),
})
