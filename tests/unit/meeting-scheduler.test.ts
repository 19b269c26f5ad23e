import { describe, expect, it } from 'vitest'
import { schedule, slotEndsAt, slotsOf, type ScheduleRequest } from '../../app/domain/events/meeting-scheduler.js'
import { escapeText, foldLine, meetingCalendar } from '../../app/domain/events/meetings-calendar.js'

/** A small deterministic PRNG (mulberry32): the same "random" requests on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('meeting slots', () => {
  it('steps from day start by the slot length, each slot ending by day end, days sorted', () => {
    const slots = slotsOf({ days: ['2026-12-11', '2026-12-10'], dayStart: '09:00', dayEnd: '10:50', slotMinutes: 30 })
    expect(slots.map((s) => s.key)).toEqual([
      '2026-12-10 09:00',
      '2026-12-10 09:30',
      '2026-12-10 10:00',
      '2026-12-11 09:00',
      '2026-12-11 09:30',
      '2026-12-11 10:00',
    ])
    expect(slots[2]).toMatchObject({ start: '10:00', end: '10:30' })
    expect(slotEndsAt('2026-12-10', '10:30').toISOString()).toBe('2026-12-10T02:30:00.000Z')
  })
})

describe('the scheduler', () => {
  const slots = slotsOf({ days: ['2026-12-10'], dayStart: '09:00', dayEnd: '11:00', slotMinutes: 30 })
  const all = new Set(slots.map((s) => s.key))

  it('gives the earliest slot both sides are free in and the lowest free table', () => {
    const result = schedule(
      slots,
      2,
      [
        { meetingId: 1, enterpriseOrgId: 10, providerOrgId: 20 },
        { meetingId: 2, enterpriseOrgId: 11, providerOrgId: 20 },
        { meetingId: 3, enterpriseOrgId: 12, providerOrgId: 21 },
        { meetingId: 4, enterpriseOrgId: 13, providerOrgId: 22 },
      ],
      {
        availability: new Map([
          [10, all],
          [11, all],
          [12, all],
          [13, all],
          [20, all],
          [21, all],
          [22, new Set(['2026-12-10 10:30'])],
        ]),
        booked: [],
      },
    )
    expect(result.assigned.map((a) => [a.meetingId, a.slot.start, a.tableNo])).toEqual([
      [1, '09:00', 1],
      [2, '09:30', 1], // provider 20 is busy at 09:00
      [3, '09:00', 2],
      [4, '10:30', 1],
    ])
    expect(result.unscheduled).toEqual([])
  })

  it('keeps meetings already scheduled and says why a request found no place', () => {
    const one = new Set(['2026-12-10 09:00'])
    const result = schedule(
      slots,
      1,
      [
        { meetingId: 5, enterpriseOrgId: 10, providerOrgId: 20 },
        { meetingId: 6, enterpriseOrgId: 11, providerOrgId: 21 },
      ],
      {
        availability: new Map([
          [10, one],
          [20, one],
          [11, new Set(['2026-12-10 09:30'])],
          [21, new Set(['2026-12-10 10:00'])],
        ]),
        booked: [{ slotKey: '2026-12-10 09:00', tableNo: 1, orgIds: [30, 31] }],
      },
    )
    expect(result.assigned).toEqual([])
    expect(result.unscheduled).toEqual([
      { meetingId: 5, reason: 'noFreeSlot' },
      { meetingId: 6, reason: 'noCommonSlot' },
    ])
  })

  it('1 000 random requests: nobody and no table is double-booked, every meeting inside both availabilities', () => {
    const random = prng(20261203)
    const grid = slotsOf({ days: ['2026-12-10', '2026-12-11'], dayStart: '09:00', dayEnd: '17:00', slotMinutes: 20 })
    const tables = 20
    const enterprises = Array.from({ length: 60 }, (_, i) => 1000 + i)
    const providers = Array.from({ length: 40 }, (_, i) => 2000 + i)
    const availability = new Map<number, Set<string>>()
    for (const org of [...enterprises, ...providers]) {
      const share = 0.2 + random() * 0.7
      availability.set(org, new Set(grid.filter(() => random() < share).map((s) => s.key)))
    }
    // Some organisations never saved availability.
    availability.delete(enterprises[0]!)
    const pairs = new Set<string>()
    const requests: ScheduleRequest[] = []
    while (requests.length < 1000) {
      const e = enterprises[Math.floor(random() * enterprises.length)]!
      const p = providers[Math.floor(random() * providers.length)]!
      if (pairs.has(`${e}-${p}`)) continue
      pairs.add(`${e}-${p}`)
      requests.push({ meetingId: requests.length + 1, enterpriseOrgId: e, providerOrgId: p })
    }
    const booked = [{ slotKey: grid[0]!.key, tableNo: 3, orgIds: [enterprises[1]!, providers[1]!] }]
    const result = schedule(grid, tables, requests, { availability, booked })

    expect(result.assigned.length + result.unscheduled.length).toBe(1000)
    expect(result.assigned.length).toBeGreaterThan(400)
    const byId = new Map(requests.map((r) => [r.meetingId, r]))
    const orgAt = new Set(booked.flatMap((b) => b.orgIds.map((o) => `${o}@${b.slotKey}`)))
    const tableAt = new Set(booked.map((b) => `${b.tableNo}@${b.slotKey}`))
    for (const a of result.assigned) {
      const r = byId.get(a.meetingId)!
      expect(a.tableNo).toBeGreaterThanOrEqual(1)
      expect(a.tableNo).toBeLessThanOrEqual(tables)
      expect(availability.get(r.enterpriseOrgId)?.has(a.slot.key)).toBe(true)
      expect(availability.get(r.providerOrgId)?.has(a.slot.key)).toBe(true)
      for (const key of [`${r.enterpriseOrgId}@${a.slot.key}`, `${r.providerOrgId}@${a.slot.key}`]) {
        expect(orgAt.has(key)).toBe(false)
        orgAt.add(key)
      }
      const table = `${a.tableNo}@${a.slot.key}`
      expect(tableAt.has(table)).toBe(false)
      tableAt.add(table)
    }
    // Nobody without availability is scheduled, and an unscheduled request truly had no place.
    expect(result.assigned.some((a) => byId.get(a.meetingId)!.enterpriseOrgId === enterprises[0])).toBe(false)
    for (const u of result.unscheduled) {
      const r = byId.get(u.meetingId)!
      const common = grid.filter(
        (s) => availability.get(r.enterpriseOrgId)?.has(s.key) && availability.get(r.providerOrgId)?.has(s.key),
      )
      if (u.reason === 'noCommonSlot') expect(common).toEqual([])
      else {
        expect(common.length).toBeGreaterThan(0)
        for (const s of common) {
          const full = Array.from({ length: tables }, (_, i) => tableAt.has(`${i + 1}@${s.key}`)).every(Boolean)
          const busy = orgAt.has(`${r.enterpriseOrgId}@${s.key}`) || orgAt.has(`${r.providerOrgId}@${s.key}`)
          expect(full || busy).toBe(true)
        }
      }
    }
    // Deterministic: the same input, the same schedule.
    expect(schedule(grid, tables, requests, { availability, booked })).toEqual(result)
  })
})

describe('the agenda as iCalendar', () => {
  it('escapes text, folds long lines at 75 octets, ends lines with CRLF, one UID per meeting', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne')
    const long = 'SUMMARY:' + '智能制造洽谈'.repeat(10)
    const folded = foldLine(long)
    for (const line of folded.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    expect(
      folded
        .split('\r\n')
        .map((l, i) => (i === 0 ? l : l.slice(1)))
        .join(''),
    ).toBe(long)

    const ics = meetingCalendar('扬州对接会', [
      {
        meetingId: 7,
        eventId: 3,
        day: '2026-12-10',
        start: '09:00',
        end: '09:30',
        summary: '洽谈：扬州智造科技, 有限公司',
        description: '第一行\n第二行',
        location: '会议中心; 1 号桌',
        stampedAt: '2026-12-03T05:00:00.000Z',
      },
    ])
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    expect(ics).toContain('UID:meeting-7-event-3@duijie.meetings\r\n')
    expect(ics).toContain('DTSTART;TZID=Asia/Shanghai:20261210T090000\r\n')
    expect(ics).toContain('DTEND;TZID=Asia/Shanghai:20261210T093000\r\n')
    expect(ics).toContain('DTSTAMP:20261203T050000Z\r\n')
    expect(ics).toContain('TZID:Asia/Shanghai\r\n')
    expect(ics).toContain('SUMMARY:洽谈：扬州智造科技\\, 有限公司\r\n')
    expect(ics).toContain('DESCRIPTION:第一行\\n第二行\r\n')
    expect(ics).toContain('LOCATION:会议中心\\; 1 号桌\r\n')
  })
})
