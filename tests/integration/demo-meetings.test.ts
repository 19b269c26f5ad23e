import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 15 slice M: the demo's 1:1 meetings (seed/meetings.ts) in the 扬州 agency's
 * published event (seed/events.ts) — the grid, availability, one scheduled meeting with
 * both bookings, every slot inside the grid. Without that event nothing is written.
 */

const fresh: FreshTestDb[] = []
let db: Database
let close: () => Promise<void>

beforeAll(async () => {
  const target = await freshTestDb('demo_meetings')
  fresh.push(target)
  const opened = target.open()
  db = opened.db
  close = opened.close
  await generateDemo(opened.db, opened.sqlite, { needs: 300, seed: 42 })
}, 120_000)

afterAll(async () => {
  await close?.()
  for (const target of fresh) await target.drop()
})

describe('demo meetings', () => {
  it('schedules one meeting in the demo event, inside the grid and both availabilities', async () => {
    const events = await all<{ id: number }>(db, `select id from events where stage <> 'draft' order by id`)
    const settings = await all<{ event_id: number; table_count: number }>(
      db,
      'select event_id, table_count from event_meeting_settings',
    )
    if (events.length === 0) {
      expect(settings).toHaveLength(0)
      return
    }
    expect(settings.map((s) => Number(s.event_id))).toEqual([Number(events[0]!.id)])
    const scheduled = await all<{
      id: number
      slot_start: string
      table_no: number
      enterprise_org_id: number
      provider_org_id: number
    }>(db, `select id, slot_start, table_no, enterprise_org_id, provider_org_id from event_meetings where status = 'scheduled'`)
    expect(scheduled).toHaveLength(1)
    expect(scheduled[0]).toMatchObject({ slot_start: '09:00' })
    const bookings = await all<{ org_id: number }>(
      db,
      `select org_id from event_meeting_bookings where meeting_id = ${Number(scheduled[0]!.id)}`,
    )
    expect(bookings.map((b) => Number(b.org_id)).sort()).toEqual(
      [Number(scheduled[0]!.enterprise_org_id), Number(scheduled[0]!.provider_org_id)].sort(),
    )
    const outside = await all<{ n: number }>(
      db,
      `select count(*) as n from event_meeting_bookings b where not exists (select 1 from event_meeting_availability a
        where a.event_id = b.event_id and a.org_id = b.org_id and a.slot_day = b.slot_day and a.slot_start = b.slot_start)`,
    )
    expect(Number(outside[0]!.n)).toBe(0)
  })
})
