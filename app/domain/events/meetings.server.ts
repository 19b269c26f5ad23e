import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import type { MeetingOutcome, MeetingSide } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { zPageParam } from '../shared/schema.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { dateText } from '../contracts/milestones.server.js'
import { notify } from '../notifications/notify.server.js'
import { eventFor, requireOpen } from './access.server.js'
import { slotEndsAt, slotKey } from './meeting-scheduler.js'
import { meetingCalendar } from './meetings-calendar.js'
import { scheduledMeetings } from './meetings-schedule.server.js'
import {
  eventSummary,
  isApprovedProvider,
  meetingView,
  meetingsQuery,
  participantOf,
  settingsOf,
  slotsOfStored,
  type EventSummary,
  type MeetingView,
  type Participant,
} from './meetings-shared.server.js'
import { isOpen } from './stages.js'

/*
 * A participant's side of 1:1 meetings (洽谈, issue 15 §1): an enterprise with a listed
 * need or an approved provider marks the slots it is available in, asks the other side
 * for a meeting (with a message), accepts or declines what it is asked, cancels, reads
 * its agenda (page, print, .ics) and, once a meeting's slot is over, records its outcome
 * once: 意向 / 继续沟通 / 无意向 + note. Meetings are between an enterprise and a provider,
 * one per pair per event.
 */

export const COUNTERPARTS_PAGE_SIZE = 20

const zFormId = z
  .string({ error: 'errors.invalid' })
  .regex(/^[1-9]\d{0,9}$/, 'errors.invalid')
  .transform(Number)
const zOptionalId = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))
  .pipe(z.union([z.null(), zFormId]))
const zNote = (key: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(500, key))

export const ZAvailabilityInput = z.object({
  'slots[]': z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'meetings.v.slots'))
    .max(1000, 'meetings.v.slots')
    .optional()
    .transform((v) => [...new Set(v ?? [])]),
})
export const ZMeetingRequestInput = z.object({
  needId: zOptionalId,
  providerOrgId: zOptionalId,
  message: zNote('meetings.v.message'),
})
export const ZMeetingResponseInput = z.object({
  meetingId: zFormId,
  decision: z.enum(['accept', 'decline'], { error: 'meetings.v.decision' }),
  reply: zNote('meetings.v.reply'),
})
export const ZMeetingIdInput = z.object({ meetingId: zFormId })
export const ZMeetingOutcomeInput = z.object({
  meetingId: zFormId,
  outcome: z.enum(['intent', 'continue', 'none'], { error: 'meetings.v.outcome' }),
  note: zNote('meetings.v.note'),
})

export interface AvailabilityDay {
  day: string
  slots: { key: string; start: string; end: string; available: boolean; booked: boolean }[]
}

export interface Counterpart {
  /** The provider's organisation (enterprise side) or the listed need (provider side). */
  key: number
  name: string
  needTitle: string | null
  meeting: { id: number; status: MeetingView['status'] } | null
}

export interface MyMeeting extends MeetingView {
  incoming: boolean
  mayRespond: boolean
  mayCancel: boolean
  held: boolean
  myOutcome: { outcome: MeetingOutcome; note: string } | null
  mayRecordOutcome: boolean
}

export interface ParticipantMeetingsPage {
  event: EventSummary
  side: MeetingSide
  orgName: string
  place: string
  hasSettings: boolean
  days: AvailabilityDay[]
  availabilitySaved: boolean
  counterparts: Counterpart[]
  page: number
  pageCount: number
  myNeeds: { id: number; title: string }[]
  meetings: MyMeeting[]
  mayAct: boolean
}

function listedNeedsOf(db: Database, eventId: number, orgId?: number) {
  let q = db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.title', 'n.org_id', 'o.name'])
    .where('en.event_id', '=', eventId)
    .where('en.status', '=', 'listed')
  if (orgId !== undefined) q = q.where('n.org_id', '=', orgId)
  return q
}

export async function participantMeetings(
  db: Database,
  actor: Actor,
  eventId: number,
  options: { page?: number; now?: Date } = {},
): Promise<ParticipantMeetingsPage> {
  const p = await participantOf(db, actor, eventId)
  const now = options.now ?? new Date()
  const settings = await settingsOf(db, eventId)
  const slots = slotsOfStored(settings)
  const availableRows = await db
    .selectFrom('event_meeting_availability')
    .select(['slot_day', 'slot_start'])
    .where('event_id', '=', eventId)
    .where('org_id', '=', p.orgId)
    .execute()
  const available = new Set(availableRows.map((r) => slotKey(dateText(r.slot_day), r.slot_start)))
  const bookedRows = await db
    .selectFrom('event_meeting_bookings')
    .select(['slot_day', 'slot_start'])
    .where('event_id', '=', eventId)
    .where('org_id', '=', p.orgId)
    .execute()
  const booked = new Set(bookedRows.map((r) => slotKey(dateText(r.slot_day), r.slot_start)))
  const days: AvailabilityDay[] = []
  for (const s of slots) {
    let day = days[days.length - 1]
    if (!day || day.day !== s.day) days.push((day = { day: s.day, slots: [] }))
    day.slots.push({ key: s.key, start: s.start, end: s.end, available: available.has(s.key), booked: booked.has(s.key) })
  }

  const mine = await meetingsQuery(db, eventId)
    .where(p.side === 'enterprise' ? 'm.enterprise_org_id' : 'm.provider_org_id', '=', p.orgId)
    .orderBy('m.id', 'desc')
    .execute()
  const outcomes = mine.length
    ? await db
        .selectFrom('event_meeting_outcomes')
        .select(['meeting_id', 'outcome', 'note'])
        .where(
          'meeting_id',
          'in',
          mine.map((m) => m.id),
        )
        .where('side', '=', p.side)
        .execute()
    : []
  const outcomeOf = new Map(outcomes.map((o) => [o.meeting_id, o]))
  const open = isOpen('meetings', p.event.stage)
  const outcomesOpen = isOpen('meetingOutcomes', p.event.stage)
  const meetings: MyMeeting[] = mine.map((row) => {
    const view = meetingView(row)
    const held = view.slot !== null && slotEndsAt(view.slot.day, view.slot.end).getTime() <= now.getTime()
    const incoming = view.requestedBySide !== p.side
    const mo = outcomeOf.get(view.id)
    return {
      ...view,
      incoming,
      mayRespond: open && incoming && view.status === 'requested',
      mayCancel: open && ['requested', 'accepted', 'scheduled'].includes(view.status) && !held,
      held,
      myOutcome: mo ? { outcome: mo.outcome, note: mo.note } : null,
      mayRecordOutcome: outcomesOpen && view.status === 'scheduled' && held && !mo,
    }
  })
  const byCounterpart = new Map(mine.map((m) => [p.side === 'enterprise' ? m.provider_org_id : m.enterprise_org_id, m]))

  let counterparts: Counterpart[] = []
  let total = 0
  const size = COUNTERPARTS_PAGE_SIZE
  let page = Math.max(1, options.page ?? 1)
  if (p.side === 'enterprise') {
    const base = db
      .selectFrom('event_providers as ep')
      .innerJoin('organisations as o', 'o.id', 'ep.provider_org_id')
      .where('ep.event_id', '=', eventId)
      .where('ep.status', '=', 'approved')
    total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
    page = Math.min(page, Math.max(1, Math.ceil(total / size)))
    const rows = await base
      .select(['o.id', 'o.name'])
      .orderBy('ep.id')
      .limit(size)
      .offset((page - 1) * size)
      .execute()
    counterparts = rows.map((r) => {
      const m = byCounterpart.get(r.id)
      return { key: r.id, name: r.name, needTitle: null, meeting: m ? { id: m.id, status: m.status } : null }
    })
  } else {
    const base = db
      .selectFrom('event_needs as en')
      .innerJoin('needs as n', 'n.id', 'en.need_id')
      .where('en.event_id', '=', eventId)
      .where('en.status', '=', 'listed')
    total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
    page = Math.min(page, Math.max(1, Math.ceil(total / size)))
    const rows = await base
      .innerJoin('organisations as o', 'o.id', 'n.org_id')
      .select(['n.id', 'n.title', 'n.org_id', 'o.name'])
      .orderBy('en.id')
      .limit(size)
      .offset((page - 1) * size)
      .execute()
    counterparts = rows.map((r) => {
      const m = byCounterpart.get(r.org_id)
      return { key: r.id, name: r.name, needTitle: r.title, meeting: m ? { id: m.id, status: m.status } : null }
    })
  }
  const myNeeds =
    p.side === 'enterprise'
      ? (await listedNeedsOf(db, eventId, p.orgId).orderBy('en.id').execute()).map((n) => ({ id: n.id, title: n.title }))
      : []

  return {
    event: eventSummary(p.event),
    side: p.side,
    orgName: p.orgName,
    place: settings?.place ?? '',
    hasSettings: settings !== null,
    days,
    availabilitySaved: availableRows.length > 0,
    counterparts,
    page,
    pageCount: Math.max(1, Math.ceil(total / size)),
    myNeeds,
    meetings,
    mayAct: open && settings !== null,
  }
}

async function participantToAct(trx: Database, actor: Actor, eventId: number): Promise<Participant> {
  const p = await participantOf(trx, actor, eventId)
  requireOpen(p.event, 'meetings')
  return p
}

export async function saveAvailability(
  db: Database,
  actor: Actor,
  eventId: number,
  input: z.output<typeof ZAvailabilityInput>,
): Promise<number> {
  return withTransaction(db, async (trx) => {
    const p = await participantToAct(trx, actor, eventId)
    const settings = await settingsOf(trx, eventId)
    if (!settings) throw new AppError('CONFLICT', 'meetings.e.noSettings')
    const slots = new Map(slotsOfStored(settings).map((s) => [s.key, s]))
    const chosen = input['slots[]']
    if (chosen.some((k) => !slots.has(k))) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { slots: 'meetings.v.slots' } })
    }
    // A slot with a scheduled meeting stays available (the meeting is inside both availabilities).
    const booked = await trx
      .selectFrom('event_meeting_bookings')
      .select(['slot_day', 'slot_start'])
      .where('event_id', '=', eventId)
      .where('org_id', '=', p.orgId)
      .execute()
    const keys = new Set(chosen)
    for (const b of booked) keys.add(slotKey(dateText(b.slot_day), b.slot_start))
    await trx.deleteFrom('event_meeting_availability').where('event_id', '=', eventId).where('org_id', '=', p.orgId).execute()
    const rows = [...keys]
      .map((k) => slots.get(k))
      .filter((s) => s !== undefined)
      .map((s) => ({ event_id: eventId, org_id: p.orgId, slot_day: s.day, slot_start: s.start }))
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('event_meeting_availability')
        .values(rows.slice(i, i + 200))
        .execute()
    }
    await recordAudit(trx, {
      action: 'event.meetingAvailabilitySaved',
      ...auditActor(actor),
      objectType: 'event',
      objectId: eventId,
      detail: { slots: rows.length },
    })
    return rows.length
  })
}

export async function requestMeeting(
  db: Database,
  actor: Actor,
  eventId: number,
  input: z.output<typeof ZMeetingRequestInput>,
): Promise<number> {
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const p = await participantToAct(trx, actor, eventId)
      if (!(await settingsOf(trx, eventId))) throw new AppError('CONFLICT', 'meetings.e.noSettings')
      let enterpriseOrgId: number
      let providerOrgId: number
      let needId: number | null = null
      if (p.side === 'provider') {
        if (input.needId === null) {
          throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needId: 'meetings.v.need' } })
        }
        const need = await listedNeedsOf(trx, eventId).where('n.id', '=', input.needId).executeTakeFirst()
        if (!need) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needId: 'meetings.v.need' } })
        enterpriseOrgId = need.org_id
        providerOrgId = p.orgId
        needId = need.id
      } else {
        if (input.providerOrgId === null || !(await isApprovedProvider(trx, eventId, input.providerOrgId))) {
          throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { providerOrgId: 'meetings.v.provider' } })
        }
        if (input.needId !== null) {
          const own = await listedNeedsOf(trx, eventId, p.orgId).where('n.id', '=', input.needId).executeTakeFirst()
          if (!own) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needId: 'meetings.v.ownNeed' } })
          needId = own.id
        }
        enterpriseOrgId = p.orgId
        providerOrgId = input.providerOrgId
      }
      const now = new Date().toISOString()
      const existing = await trx
        .selectFrom('event_meetings')
        .select(['id', 'status'])
        .where('event_id', '=', eventId)
        .where('enterprise_org_id', '=', enterpriseOrgId)
        .where('provider_org_id', '=', providerOrgId)
        .executeTakeFirst()
      const values = {
        need_id: needId,
        requested_by_side: p.side,
        message: input.message,
        status: 'requested' as const,
        reply: '',
        requested_by: actor.userId,
        requested_at: now,
        responded_by: null,
        responded_at: null,
      }
      let id: number
      if (existing) {
        if (existing.status !== 'declined' && existing.status !== 'cancelled') {
          throw new AppError('CONFLICT', 'meetings.e.exists')
        }
        const updated = await trx
          .updateTable('event_meetings')
          .set(values)
          .where('id', '=', existing.id)
          .where('status', 'in', ['declined', 'cancelled'])
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'meetings.e.exists')
        id = existing.id
      } else {
        const row = await trx
          .insertInto('event_meetings')
          .values({ event_id: eventId, enterprise_org_id: enterpriseOrgId, provider_org_id: providerOrgId, ...values })
          .returning('id')
          .executeTakeFirstOrThrow()
        id = row.id
      }
      await notify(db, trx, afterCommit, {
        kind: 'meeting_requested',
        orgId: p.side === 'enterprise' ? providerOrgId : enterpriseOrgId,
        params: { event: p.event.title, from: p.orgName },
        link: `/events/${eventId}/meetings`,
      })
      await recordAudit(trx, {
        action: 'event.meetingRequested',
        ...auditActor(actor),
        objectType: 'event',
        objectId: eventId,
        detail: { meetingId: id, enterpriseOrgId, providerOrgId, needId },
      })
      return id
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'meetings.e.exists')
    throw error
  }
}

async function myMeeting(trx: Database, p: Participant, eventId: number, meetingId: number) {
  const m = await trx
    .selectFrom('event_meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where('event_id', '=', eventId)
    .where(p.side === 'enterprise' ? 'enterprise_org_id' : 'provider_org_id', '=', p.orgId)
    .executeTakeFirst()
  if (!m) throw new AppError('NOT_FOUND', 'meetings.e.notFound')
  return m
}

export async function respondToMeeting(
  db: Database,
  actor: Actor,
  eventId: number,
  input: z.output<typeof ZMeetingResponseInput>,
): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const p = await participantToAct(trx, actor, eventId)
    const m = await myMeeting(trx, p, eventId, input.meetingId)
    if (m.requested_by_side === p.side) throw new AppError('FORBIDDEN', 'meetings.e.notInvitee')
    if (m.status !== 'requested') throw new AppError('CONFLICT', 'meetings.e.notPending')
    const status = input.decision === 'accept' ? 'accepted' : 'declined'
    const updated = await trx
      .updateTable('event_meetings')
      .set({ status, reply: input.reply, responded_by: actor.userId, responded_at: new Date().toISOString() })
      .where('id', '=', m.id)
      .where('status', '=', 'requested')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'meetings.e.notPending')
    if (status === 'accepted') {
      await notify(db, trx, afterCommit, {
        kind: 'meeting_accepted',
        orgId: p.side === 'enterprise' ? m.provider_org_id : m.enterprise_org_id,
        params: { event: p.event.title, by: p.orgName },
        link: `/events/${eventId}/meetings`,
      })
    }
    await recordAudit(trx, {
      action: status === 'accepted' ? 'event.meetingAccepted' : 'event.meetingDeclined',
      ...auditActor(actor),
      objectType: 'event',
      objectId: eventId,
      detail: { meetingId: m.id },
    })
  })
}

export async function cancelMeeting(
  db: Database,
  actor: Actor,
  eventId: number,
  meetingId: number,
  now = new Date(),
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const p = await participantToAct(trx, actor, eventId)
    const m = await myMeeting(trx, p, eventId, meetingId)
    if (!['requested', 'accepted', 'scheduled'].includes(m.status)) throw new AppError('CONFLICT', 'meetings.e.notCancellable')
    if (m.status === 'scheduled' && m.slot_day && m.slot_end && slotEndsAt(dateText(m.slot_day), m.slot_end) <= now) {
      throw new AppError('CONFLICT', 'meetings.e.alreadyHeld')
    }
    await trx.deleteFrom('event_meeting_bookings').where('meeting_id', '=', m.id).execute()
    await trx
      .updateTable('event_meetings')
      .set({ status: 'cancelled', slot_day: null, slot_start: null, slot_end: null, table_no: null, scheduled_at: null })
      .where('id', '=', m.id)
      .execute()
    await recordAudit(trx, {
      action: 'event.meetingCancelled',
      ...auditActor(actor),
      objectType: 'event',
      objectId: eventId,
      detail: { meetingId: m.id, side: p.side, was: m.status },
    })
  })
}

export async function recordMeetingOutcome(
  db: Database,
  actor: Actor,
  eventId: number,
  input: z.output<typeof ZMeetingOutcomeInput>,
  now = new Date(),
): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const p = await participantOf(trx, actor, eventId)
      requireOpen(p.event, 'meetingOutcomes')
      const m = await myMeeting(trx, p, eventId, input.meetingId)
      if (m.status !== 'scheduled' || !m.slot_day || !m.slot_end) throw new AppError('CONFLICT', 'meetings.e.notScheduled')
      if (slotEndsAt(dateText(m.slot_day), m.slot_end) > now) throw new AppError('CONFLICT', 'meetings.e.notHeldYet')
      const recorded = await trx
        .selectFrom('event_meeting_outcomes')
        .select('meeting_id')
        .where('meeting_id', '=', m.id)
        .where('side', '=', p.side)
        .executeTakeFirst()
      if (recorded) throw new AppError('CONFLICT', 'meetings.e.outcomeRecorded')
      await trx
        .insertInto('event_meeting_outcomes')
        .values({
          meeting_id: m.id,
          side: p.side,
          outcome: input.outcome,
          note: input.note,
          recorded_by: actor.userId,
          recorded_at: now.toISOString(),
        })
        .execute()
      await recordAudit(trx, {
        action: 'event.meetingOutcomeRecorded',
        ...auditActor(actor),
        objectType: 'event',
        objectId: eventId,
        detail: { meetingId: m.id, side: p.side, outcome: input.outcome },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'meetings.e.outcomeRecorded')
    throw error
  }
}

export interface AgendaItem extends MeetingView {
  /** The other side's name (for a participant), or both (for the organiser). */
  counterpart: string
  outcomes: { side: MeetingSide; outcome: MeetingOutcome }[]
}

export interface Agenda {
  event: EventSummary
  /** Whose agenda: the participant's organisation, or null for the whole event (organiser, agencies). */
  orgName: string | null
  side: MeetingSide | null
  place: string
  items: AgendaItem[]
}

/** The agenda: a participant's own scheduled meetings; the organiser's and reading agencies' whole event. */
export async function meetingAgenda(db: Database, actor: Actor, eventId: number): Promise<Agenda> {
  const { event, role } = await eventFor(db, actor, eventId)
  let p: Participant | null = null
  if (role !== 'organiser' && role !== 'agency') p = await participantOf(db, actor, eventId)
  const settings = await settingsOf(db, eventId)
  const meetings = await scheduledMeetings(db, eventId, p?.orgId)
  const outcomes = meetings.length
    ? await db
        .selectFrom('event_meeting_outcomes')
        .select(['meeting_id', 'side', 'outcome'])
        .where(
          'meeting_id',
          'in',
          meetings.map((m) => m.id),
        )
        .execute()
    : []
  return {
    event: eventSummary(event),
    orgName: p?.orgName ?? null,
    side: p?.side ?? null,
    place: settings?.place ?? '',
    items: meetings.map((m) => ({
      ...m,
      counterpart: p ? (p.side === 'enterprise' ? m.provider : m.enterprise) : `${m.enterprise} — ${m.provider}`,
      outcomes: outcomes.filter((o) => o.meeting_id === m.id).map((o) => ({ side: o.side, outcome: o.outcome })),
    })),
  }
}

/** The agenda as iCalendar text; `labels` are the caller's translations (summary prefix, table). */
export async function meetingAgendaCalendar(
  db: Database,
  actor: Actor,
  eventId: number,
  labels: { summary: (counterpart: string) => string; table: (n: number) => string },
): Promise<{ text: string; eventId: number }> {
  const agenda = await meetingAgenda(db, actor, eventId)
  const location = [agenda.place || agenda.event.venue].filter(Boolean).join('')
  const text = meetingCalendar(
    `${agenda.event.title}${agenda.orgName ? ` — ${agenda.orgName}` : ''}`,
    agenda.items.map((m) => ({
      meetingId: m.id,
      eventId,
      day: m.slot!.day,
      start: m.slot!.start,
      end: m.slot!.end,
      summary: labels.summary(m.counterpart),
      description: [m.needTitle ?? '', m.message].filter(Boolean).join('\n'),
      location: [location, m.tableNo ? labels.table(m.tableNo) : ''].filter(Boolean).join(', '),
      stampedAt: m.scheduledAt ?? m.requestedAt,
    })),
  )
  return { text, eventId }
}

export const ZParticipantMeetingIntent = z.object({
  intent: z.enum(['availability', 'request', 'respond', 'cancel', 'outcome'], { error: 'errors.invalid' }),
})

export const ZParticipantMeetingsQuery = z.object({ page: zPageParam(10_000) })
