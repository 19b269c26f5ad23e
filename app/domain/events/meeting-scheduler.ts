/*
 * 1:1 meeting scheduling (洽谈排期, issue 15 §1) — pure. The organiser's settings give the
 * slots: every meeting day, from day start in steps of `slotMinutes`, each slot ending
 * by day end. A slot is identified by its day and start ('YYYY-MM-DD HH:MM', China time).
 *
 * `schedule` takes the accepted requests in order (first accepted first) and gives each
 * the EARLIEST slot where both organisations are available (their saved availability),
 * neither is already in a meeting, and a table is free — the lowest-numbered free table.
 * Requests that fit nowhere stay unscheduled with a reason. Greedy and deterministic: the
 * same input gives the same schedule. The database's unique keys (event, slot, table) and
 * (event, org, slot) are the last guard under it.
 */

export interface MeetingSettings {
  /** 'YYYY-MM-DD', any order (slots come out sorted). */
  days: readonly string[]
  /** 'HH:MM'. */
  dayStart: string
  dayEnd: string
  slotMinutes: number
  tableCount: number
}

export interface Slot {
  day: string
  start: string
  end: string
  /** `${day} ${start}` — sorts chronologically. */
  key: string
}

export interface ScheduleRequest {
  meetingId: number
  enterpriseOrgId: number
  providerOrgId: number
}

export interface ScheduleState {
  /** The slot keys each organisation is available in (no entry: available nowhere). */
  availability: ReadonlyMap<number, ReadonlySet<string>>
  /** Meetings already scheduled: who is busy when, which tables are taken when. */
  booked: readonly { slotKey: string; tableNo: number; orgIds: readonly number[] }[]
}

export interface Assignment {
  meetingId: number
  slot: Slot
  tableNo: number
}

export type UnscheduledReason = 'noCommonSlot' | 'noFreeSlot'

export interface ScheduleResult {
  assigned: Assignment[]
  unscheduled: { meetingId: number; reason: UnscheduledReason }[]
}

/** At most this many slots per day (a 10-minute grid over a whole day is 144). */
export const MAX_SLOTS_PER_DAY = 144
export const MAX_MEETING_DAYS = 14

export const slotKey = (day: string, start: string): string => `${day} ${start}`

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

export function clockOf(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/** The slots of the settings, chronological. */
export function slotsOf(settings: Omit<MeetingSettings, 'tableCount'>): Slot[] {
  const from = minutesOf(settings.dayStart)
  const to = minutesOf(settings.dayEnd)
  const step = settings.slotMinutes
  const out: Slot[] = []
  if (!(step > 0)) return out
  for (const day of [...new Set(settings.days)].sort()) {
    for (let t = from; t + step <= to; t += step) {
      const start = clockOf(t)
      out.push({ day, start, end: clockOf(t + step), key: slotKey(day, start) })
    }
  }
  return out
}

export function schedule(
  slots: readonly Slot[],
  tableCount: number,
  requests: readonly ScheduleRequest[],
  state: ScheduleState,
): ScheduleResult {
  const busy = new Map<number, Set<string>>()
  const tables = new Map<string, Set<number>>()
  const mark = (slot: string, table: number, orgIds: readonly number[]) => {
    for (const org of orgIds) {
      let set = busy.get(org)
      if (!set) busy.set(org, (set = new Set()))
      set.add(slot)
    }
    let taken = tables.get(slot)
    if (!taken) tables.set(slot, (taken = new Set()))
    taken.add(table)
  }
  for (const b of state.booked) mark(b.slotKey, b.tableNo, b.orgIds)

  const assigned: Assignment[] = []
  const unscheduled: ScheduleResult['unscheduled'] = []
  const none = new Set<string>()
  for (const request of requests) {
    const a = state.availability.get(request.enterpriseOrgId) ?? none
    const b = state.availability.get(request.providerOrgId) ?? none
    const busyA = busy.get(request.enterpriseOrgId)
    const busyB = busy.get(request.providerOrgId)
    let common = false
    let placed: Assignment | null = null
    for (const slot of slots) {
      if (!a.has(slot.key) || !b.has(slot.key)) continue
      common = true
      if (busyA?.has(slot.key) || busyB?.has(slot.key)) continue
      const taken = tables.get(slot.key)
      let table = 0
      for (let t = 1; t <= tableCount; t++) {
        if (!taken?.has(t)) {
          table = t
          break
        }
      }
      if (table === 0) continue
      placed = { meetingId: request.meetingId, slot, tableNo: table }
      break
    }
    if (placed) {
      mark(placed.slot.key, placed.tableNo, [request.enterpriseOrgId, request.providerOrgId])
      assigned.push(placed)
    } else {
      unscheduled.push({ meetingId: request.meetingId, reason: common ? 'noFreeSlot' : 'noCommonSlot' })
    }
  }
  return { assigned, unscheduled }
}

/** The instant a slot ends (China time, UTC+8, no daylight saving). */
export function slotEndsAt(day: string, end: string): Date {
  return new Date(`${day}T${end}:00+08:00`)
}
