import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { MeetingSide } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { dateText } from '../contracts/milestones.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { eventFor, type EventRole, type EventRow } from './access.server.js'
import { slotKey, slotsOf, type MeetingSettings, type Slot } from './meeting-scheduler.js'

/*
 * What the meeting use cases share (issue 15 §1, 洽谈): the settings of an event's grid,
 * who takes part — an enterprise with a LISTED need of the batch, or an APPROVED
 * provider (any active member of the verified organisation) — and the meetings' rows.
 */

export interface StoredSettings extends MeetingSettings {
  place: string
}

export async function settingsOf(db: Kysely<DB>, eventId: number): Promise<StoredSettings | null> {
  const row = await db.selectFrom('event_meeting_settings').selectAll().where('event_id', '=', eventId).executeTakeFirst()
  if (!row) return null
  const days = await db
    .selectFrom('event_meeting_days')
    .select('meeting_day')
    .where('event_id', '=', eventId)
    .orderBy('meeting_day')
    .execute()
  return {
    days: days.map((d) => dateText(d.meeting_day)),
    dayStart: row.day_start,
    dayEnd: row.day_end,
    slotMinutes: row.slot_minutes,
    tableCount: row.table_count,
    place: row.place,
  }
}

export function slotsOfStored(settings: StoredSettings | null): Slot[] {
  return settings ? slotsOf(settings) : []
}

export interface Participant {
  event: EventRow
  side: MeetingSide
  orgId: number
  orgName: string
}

/** The participant the actor acts for: FORBIDDEN 'meetings.e.participantsOnly' for anyone else. */
export async function participantOf(db: Kysely<DB>, actor: Actor, eventId: number): Promise<Participant> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  const org = actor.org
  if ((role !== 'enterprise' && role !== 'provider') || !org) {
    throw new AppError('FORBIDDEN', 'meetings.e.participantsOnly')
  }
  authorize(actor, ref, 'join:event:role')
  if (role === 'enterprise') {
    if (!(await hasListedNeed(db, eventId, org.orgId))) throw new AppError('FORBIDDEN', 'meetings.e.participantsOnly')
  } else if (!(await isApprovedProvider(db, eventId, org.orgId))) {
    throw new AppError('FORBIDDEN', 'meetings.e.participantsOnly')
  }
  return { event, side: role, orgId: org.orgId, orgName: org.orgName }
}

export async function hasListedNeed(db: Kysely<DB>, eventId: number, enterpriseOrgId: number): Promise<boolean> {
  const row = await db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .select('en.id')
    .where('en.event_id', '=', eventId)
    .where('en.status', '=', 'listed')
    .where('n.org_id', '=', enterpriseOrgId)
    .executeTakeFirst()
  return row !== undefined
}

export async function isApprovedProvider(db: Kysely<DB>, eventId: number, providerOrgId: number): Promise<boolean> {
  const row = await db
    .selectFrom('event_providers')
    .select('id')
    .where('event_id', '=', eventId)
    .where('provider_org_id', '=', providerOrgId)
    .where('status', '=', 'approved')
    .executeTakeFirst()
  return row !== undefined
}

/** The organiser or a reading agency: the event and the role; FORBIDDEN for anyone else who sees it. */
export async function agencyView(db: Database, actor: Actor, eventId: number): Promise<{ event: EventRow; role: EventRole }> {
  const ref = await getReferenceData(db)
  const seen = await eventFor(db, actor, eventId, ref)
  if (seen.role !== 'organiser' && seen.role !== 'agency') {
    authorize(actor, ref, 'manage:event:own', { orgId: seen.event.organiser_org_id })
  }
  return seen
}

export const otherSide = (side: MeetingSide): MeetingSide => (side === 'enterprise' ? 'provider' : 'enterprise')

export const eventSummary = (event: EventRow) => ({
  id: event.id,
  title: event.title,
  stage: event.stage,
  startsOn: dateText(event.starts_on),
  endsOn: dateText(event.ends_on),
  venue: event.venue,
})
export type EventSummary = ReturnType<typeof eventSummary>

/** A meeting row with both organisations' names and the need's title. */
export function meetingsQuery(db: Kysely<DB>, eventId: number) {
  return db
    .selectFrom('event_meetings as m')
    .innerJoin('organisations as e', 'e.id', 'm.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'm.provider_org_id')
    .leftJoin('needs as n', 'n.id', 'm.need_id')
    .select([
      'm.id',
      'm.enterprise_org_id',
      'm.provider_org_id',
      'm.need_id',
      'm.requested_by_side',
      'm.message',
      'm.status',
      'm.reply',
      'm.requested_at',
      'm.slot_day',
      'm.slot_start',
      'm.slot_end',
      'm.table_no',
      'm.scheduled_at',
      'e.name as enterprise_name',
      'p.name as provider_name',
      'n.title as need_title',
    ])
    .where('m.event_id', '=', eventId)
}

export type MeetingRow = Awaited<ReturnType<ReturnType<typeof meetingsQuery>['execute']>>[number]

export interface MeetingView {
  id: number
  enterprise: string
  provider: string
  enterpriseOrgId: number
  providerOrgId: number
  needId: number | null
  needTitle: string | null
  requestedBySide: MeetingSide
  message: string
  reply: string
  status: MeetingRow['status']
  requestedAt: string
  slot: { day: string; start: string; end: string; key: string } | null
  tableNo: number | null
  scheduledAt: string | null
}

export function meetingView(row: MeetingRow): MeetingView {
  const day = row.slot_day === null ? null : dateText(row.slot_day)
  return {
    id: row.id,
    enterprise: row.enterprise_name,
    provider: row.provider_name,
    enterpriseOrgId: row.enterprise_org_id,
    providerOrgId: row.provider_org_id,
    needId: row.need_id,
    needTitle: row.need_title,
    requestedBySide: row.requested_by_side,
    message: row.message,
    reply: row.reply,
    status: row.status,
    requestedAt: row.requested_at,
    slot:
      day && row.slot_start && row.slot_end
        ? { day, start: row.slot_start, end: row.slot_end, key: slotKey(day, row.slot_start) }
        : null,
    tableNo: row.table_no,
    scheduledAt: row.scheduled_at,
  }
}
