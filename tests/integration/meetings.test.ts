import { describe, expect, it } from 'vitest'
import { slotKey } from '../../app/domain/events/meeting-scheduler.js'
import {
  clearMeetingSchedule,
  organiserMeetings,
  runMeetingSchedule,
  saveMeetingSettings,
  ZMeetingSettingsInput,
} from '../../app/domain/events/meetings-schedule.server.js'
import {
  cancelMeeting,
  meetingAgenda,
  meetingAgendaCalendar,
  participantMeetings,
  recordMeetingOutcome,
  requestMeeting,
  respondToMeeting,
  saveAvailability,
  ZMeetingRequestInput,
} from '../../app/domain/events/meetings.server.js'
import { parseForm } from '../../app/web/input.server.js'
import type { Actor } from '../../app/domain/accounts/actor.js'
import { isoDate } from './contract-world.js'
import { eventWorld, type EventWorld } from './event-world.js'
import { db } from './matching-world.js'

/*
 * 1:1 meetings through the use cases (issue 15 §1, slice M), on both dialects: only
 * participants, requests and answers, the schedule (incl. two runs in parallel), the
 * unique keys as the last guard, outcomes once per side after the slot.
 */

const form = (values: Record<string, string | string[]>) => {
  const data = new FormData()
  for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one)
  return data
}

async function withSettings(w: EventWorld, options: { days?: string[]; dayEnd?: string; tables?: string } = {}) {
  const days = options.days ?? [isoDate(20), isoDate(21)]
  const input = parseForm(
    ZMeetingSettingsInput,
    form({
      'days[]': days,
      dayStart: '09:00',
      dayEnd: options.dayEnd ?? '10:00',
      slotMinutes: '30',
      tableCount: options.tables ?? '1',
      place: '扬州市会议中心二楼洽谈区',
    }),
  )
  await saveMeetingSettings(db(), w.organiser.actor, w.eventId, input)
  return days
}

const allSlots = async (actor: Actor, eventId: number) =>
  (await participantMeetings(db(), actor, eventId)).days.flatMap((d) => d.slots.map((s) => s.key))

async function availableEverywhere(w: EventWorld, actors: Actor[]) {
  for (const actor of actors) {
    await saveAvailability(db(), actor, w.eventId, { 'slots[]': await allSlots(actor, w.eventId) })
  }
}

const request = (values: Record<string, string>) => parseForm(ZMeetingRequestInput, form(values))

async function acceptedPair(w: EventWorld, e: number, p: number) {
  const id = await requestMeeting(db(), w.providers[p]!.person.actor, w.eventId, request({ needId: String(w.needIds[e]) }))
  await respondToMeeting(db(), w.enterprises[e]!.member.actor, w.eventId, { meetingId: id, decision: 'accept', reply: '' })
  return id
}

async function bookings(eventId: number) {
  return db().selectFrom('event_meeting_bookings').selectAll().where('event_id', '=', eventId).execute()
}

describe('meeting settings', () => {
  it('are the organiser’s: days within the event, locked once meetings are scheduled', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    await expect(withSettings(w, { days: [isoDate(2)] })).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { days: 'meetings.v.daysWithin' },
    })
    expect(() =>
      parseForm(
        ZMeetingSettingsInput,
        form({ 'days[]': [isoDate(20)], dayStart: '10:00', dayEnd: '09:00', slotMinutes: '30', tableCount: '1' }),
      ),
    ).toThrow(
      expect.objectContaining({ code: 'VALIDATION', fieldErrors: expect.objectContaining({ dayEnd: 'meetings.v.dayEndAfter' }) }),
    )
    await expect(
      saveMeetingSettings(db(), w.organiserViewer.actor, w.eventId, {
        days: [isoDate(20)],
        dayStart: '09:00',
        dayEnd: '10:00',
        slotMinutes: 30,
        tableCount: 1,
        place: '',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(organiserMeetings(db(), w.outsider.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const days = await withSettings(w)
    const page = await organiserMeetings(db(), w.organiserViewer.actor, w.eventId)
    expect(page.settings).toMatchObject({ days, dayStart: '09:00', dayEnd: '10:00', slotMinutes: 30, tableCount: 1 })
    expect(page.slotCount).toBe(4)
    expect(page.grid.map((r) => r.slot.start)).toEqual(['09:00', '09:30'])
    expect(page.mayEdit).toBe(false) // a viewer reads
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'event.meetingSettingsSaved')
      .where('object_id', '=', String(w.eventId))
      .execute()
    expect(audit).toHaveLength(1)
  })
})

describe('participants', () => {
  it('are enterprises with a listed need and approved providers only', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    await withSettings(w)
    await expect(participantMeetings(db(), w.applicant.actor, w.eventId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'meetings.e.participantsOnly',
    })
    await expect(participantMeetings(db(), w.outsider.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(participantMeetings(db(), w.outsideEnterprise.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const page = await participantMeetings(db(), w.enterprises[0]!.member.actor, w.eventId)
    expect(page.side).toBe('enterprise')
    expect(page.counterparts.map((c) => c.key).sort()).toEqual(w.providers.map((p) => p.person.orgId).sort())
    expect(page.days.flatMap((d) => d.slots)).toHaveLength(4)
    const providerPage = await participantMeetings(db(), w.providers[0]!.member.actor, w.eventId)
    expect(providerPage.counterparts.map((c) => c.key)).toEqual(w.needIds)

    // Availability: only slots of the grid.
    await expect(
      saveAvailability(db(), w.providers[0]!.person.actor, w.eventId, { 'slots[]': [`${isoDate(20)} 08:00`] }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { slots: 'meetings.v.slots' } })
    expect(await saveAvailability(db(), w.providers[0]!.person.actor, w.eventId, { 'slots[]': [`${isoDate(20)} 09:30`] })).toBe(1)

    // The stage gate.
    const early = await eventWorld({ stage: 'needs_call' })
    await withSettings(early)
    await expect(
      requestMeeting(db(), early.providers[0]!.person.actor, early.eventId, request({ needId: String(early.needIds[0]) })),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'events.e.stageClosed' })
  })
})

describe('requests and the schedule', () => {
  it('asks, answers, schedules without double booking, and the agenda follows', async () => {
    const w = await eventWorld({ stage: 'site_visits' })
    const days = await withSettings(w)
    const e0 = w.enterprises[0]!
    const [p0, p1] = [w.providers[0]!, w.providers[1]!]
    await availableEverywhere(w, [e0.person.actor, p0.person.actor, p1.person.actor])

    // Mass assignment: status, slot and table fields are not read.
    const fromProvider = await requestMeeting(
      db(),
      p0.member.actor,
      w.eventId,
      request({ needId: String(w.needIds[0]), message: '想了解冲压线的设备品牌', status: 'scheduled', tableNo: '1' }),
    )
    const row = await db().selectFrom('event_meetings').selectAll().where('id', '=', fromProvider).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'requested',
      table_no: null,
      requested_by_side: 'provider',
      enterprise_org_id: e0.person.orgId,
    })
    await expect(
      requestMeeting(db(), e0.person.actor, w.eventId, request({ providerOrgId: String(p0.person.orgId) })),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'meetings.e.exists' })
    // A provider asks about a listed need only; an enterprise names its own need only.
    await expect(
      requestMeeting(db(), p1.person.actor, w.eventId, request({ needId: String(w.outsideNeedId) })),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { needId: 'meetings.v.need' } })
    await expect(
      requestMeeting(
        db(),
        e0.person.actor,
        w.eventId,
        request({ providerOrgId: String(p1.person.orgId), needId: String(w.needIds[1]) }),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { needId: 'meetings.v.ownNeed' } })
    await expect(
      requestMeeting(db(), e0.person.actor, w.eventId, request({ providerOrgId: String(w.applicant.orgId) })),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { providerOrgId: 'meetings.v.provider' } })
    const fromEnterprise = await requestMeeting(
      db(),
      e0.person.actor,
      w.eventId,
      request({ providerOrgId: String(p1.person.orgId), needId: String(w.needIds[0]) }),
    )
    const asked = await db()
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'meeting_requested')
      .where('org_id', '=', p1.person.orgId)
      .execute()
    expect(asked.length).toBeGreaterThan(0)

    // Only the side asked answers.
    await expect(
      respondToMeeting(db(), p0.person.actor, w.eventId, { meetingId: fromProvider, decision: 'accept', reply: '' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'meetings.e.notInvitee' })
    await expect(
      respondToMeeting(db(), w.enterprises[1]!.person.actor, w.eventId, {
        meetingId: fromProvider,
        decision: 'accept',
        reply: '',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await respondToMeeting(db(), e0.member.actor, w.eventId, { meetingId: fromProvider, decision: 'accept', reply: '好的' })
    await respondToMeeting(db(), p1.person.actor, w.eventId, { meetingId: fromEnterprise, decision: 'accept', reply: '' })
    await expect(
      respondToMeeting(db(), p1.person.actor, w.eventId, { meetingId: fromEnterprise, decision: 'decline', reply: '' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'meetings.e.notPending' })

    // Only the organiser schedules.
    await expect(runMeetingSchedule(db(), w.organiserViewer.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(runMeetingSchedule(db(), e0.person.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const outcome = await runMeetingSchedule(db(), w.organiserReviewer.actor, w.eventId)
    expect(outcome).toEqual({ scheduled: 2, unscheduled: [] })
    const meetings = await db()
      .selectFrom('event_meetings')
      .selectAll()
      .where('event_id', '=', w.eventId)
      .orderBy('responded_at')
      .execute()
    expect(meetings.map((m) => [m.status, m.slot_start, m.table_no])).toEqual([
      ['scheduled', '09:00', 1],
      ['scheduled', '09:30', 1],
    ])
    expect(meetings.map((m) => String(m.slot_day).slice(0, 10))).toEqual([days[0], days[0]])
    expect(await bookings(w.eventId)).toHaveLength(4)
    const told = await db().selectFrom('notifications').select('org_id').where('kind', '=', 'meeting_scheduled').execute()
    expect(told.filter((n) => n.org_id === e0.person.orgId).length).toBeGreaterThanOrEqual(2)

    // The grid is locked now; the unique keys are the last guard under the scheduler.
    await expect(withSettings(w)).rejects.toMatchObject({ code: 'CONFLICT', message: 'meetings.e.settingsLocked' })
    await expect(
      db()
        .insertInto('event_meeting_bookings')
        .values({
          meeting_id: fromEnterprise,
          event_id: w.eventId,
          org_id: e0.person.orgId,
          slot_day: days[0]!,
          slot_start: '09:00',
        })
        .execute(),
    ).rejects.toThrow()
    await expect(
      db().updateTable('event_meetings').set({ slot_start: '09:00' }).where('id', '=', meetings[1]!.id).execute(),
    ).rejects.toThrow()

    // Agendas: each side its own meetings; the organiser all; the .ics one VEVENT per meeting.
    const agenda = await meetingAgenda(db(), e0.member.actor, w.eventId)
    expect(agenda.items.every((i) => i.counterpart === i.provider)).toBe(true)
    expect(agenda.items).toHaveLength(2)
    expect((await meetingAgenda(db(), p0.person.actor, w.eventId)).items).toHaveLength(1)
    expect((await meetingAgenda(db(), w.organiser.actor, w.eventId)).items).toHaveLength(2)
    await expect(meetingAgenda(db(), w.outsider.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const ics = await meetingAgendaCalendar(db(), e0.person.actor, w.eventId, {
      summary: (x) => `洽谈：${x}`,
      table: (n) => `${n} 号桌`,
    })
    expect(ics.text.match(/BEGIN:VEVENT/g)).toHaveLength(2)
    expect(ics.text).toContain(`UID:meeting-${fromProvider}-event-${w.eventId}@`)

    // Outcomes: after the slot, once per side.
    const after = new Date(`${days[0]}T10:00:00+08:00`)
    const mine = { meetingId: fromProvider, outcome: 'intent' as const, note: '下周上门调研' }
    await expect(recordMeetingOutcome(db(), e0.person.actor, w.eventId, mine, new Date())).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'meetings.e.notHeldYet',
    })
    await recordMeetingOutcome(db(), e0.person.actor, w.eventId, mine, after)
    await expect(recordMeetingOutcome(db(), e0.member.actor, w.eventId, mine, after)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'meetings.e.outcomeRecorded',
    })
    await recordMeetingOutcome(db(), p0.person.actor, w.eventId, { ...mine, outcome: 'continue' }, after)
    await expect(recordMeetingOutcome(db(), w.providers[2]!.person.actor, w.eventId, mine, after)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    const page = await participantMeetings(db(), e0.person.actor, w.eventId, { now: after })
    expect(page.meetings.find((m) => m.id === fromProvider)).toMatchObject({ held: true, myOutcome: { outcome: 'intent' } })
    await expect(cancelMeeting(db(), e0.person.actor, w.eventId, fromProvider, after)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'meetings.e.alreadyHeld',
    })

    // Cancelling frees both sides' slot; clearing keeps meetings with an outcome.
    await cancelMeeting(db(), p1.person.actor, w.eventId, fromEnterprise)
    expect(await bookings(w.eventId)).toHaveLength(2)
    expect(await clearMeetingSchedule(db(), w.organiser.actor, w.eventId)).toBe(0)
    // Asking again after a cancellation reopens the pair's request.
    expect(await requestMeeting(db(), p1.person.actor, w.eventId, request({ needId: String(w.needIds[0]) }))).toBe(fromEnterprise)
  })

  it('keeps a participant’s booked slot available and skips those who never marked availability', async () => {
    const w = await eventWorld({ stage: 'proposal_review' })
    const days = await withSettings(w)
    const e0 = w.enterprises[0]!
    await availableEverywhere(w, [e0.person.actor, w.providers[0]!.person.actor])
    await acceptedPair(w, 0, 0)
    await acceptedPair(w, 0, 1) // provider 1 never marked availability
    const result = await runMeetingSchedule(db(), w.organiser.actor, w.eventId)
    expect(result.scheduled).toBe(1)
    expect(result.unscheduled).toEqual([expect.objectContaining({ reason: 'noCommonSlot' })])
    await saveAvailability(db(), e0.person.actor, w.eventId, { 'slots[]': [] })
    const kept = await db()
      .selectFrom('event_meeting_availability')
      .select(['slot_day', 'slot_start'])
      .where('org_id', '=', e0.person.orgId)
      .execute()
    expect(kept.map((k) => slotKey(String(k.slot_day).slice(0, 10), k.slot_start))).toEqual([`${days[0]} 09:00`])
  })

  it('two schedule runs in parallel never double-book a table or a participant', async () => {
    const w = await eventWorld({ stage: 'intents' })
    await withSettings(w, { dayEnd: '11:00', tables: '2' })
    await availableEverywhere(w, [...w.enterprises.map((e) => e.person.actor), ...w.providers.map((p) => p.person.actor)])
    for (const e of [0, 1]) for (const p of [0, 1, 2]) await acceptedPair(w, e, p)
    const runs = await Promise.allSettled([
      runMeetingSchedule(db(), w.organiser.actor, w.eventId),
      runMeetingSchedule(db(), w.organiserReviewer.actor, w.eventId),
      runMeetingSchedule(db(), w.organiser.actor, w.eventId),
    ])
    for (const r of runs) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' })
    }
    const fulfilled = runs.filter((r) => r.status === 'fulfilled').map((r) => r.value.scheduled)
    expect(fulfilled.reduce((a, b) => a + b, 0)).toBe(6)
    const scheduled = await db()
      .selectFrom('event_meetings')
      .selectAll()
      .where('event_id', '=', w.eventId)
      .where('status', '=', 'scheduled')
      .execute()
    expect(scheduled).toHaveLength(6)
    const tables = new Set(scheduled.map((m) => `${String(m.slot_day).slice(0, 10)} ${m.slot_start} ${m.table_no}`))
    expect(tables.size).toBe(6)
    const people = new Set<string>()
    for (const m of scheduled) {
      for (const org of [m.enterprise_org_id, m.provider_org_id]) {
        const key = `${org} ${String(m.slot_day).slice(0, 10)} ${m.slot_start}`
        expect(people.has(key)).toBe(false)
        people.add(key)
      }
    }
    expect(await bookings(w.eventId)).toHaveLength(12)
  })
})
