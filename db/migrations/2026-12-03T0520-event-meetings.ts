import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely'
import { clock, day, dt, intBetween, oneOf, oneOfDefault, optionalIntBetween, text, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// 1:1 meetings during a matchmaking event (供需对接会 洽谈, issue 15 §1 slice M):
// - event_meeting_settings: the organiser's grid — one row per event: day_start/day_end
//   ('HH:MM', the same every meeting day), slot_minutes, table_count (tables numbered
//   1..n), place. schedule_runs: bumped by every 排期 run (the row lock serialises runs
//   on PostgreSQL). A slot is (day, start); slots are derived, never stored.
// - event_meeting_days: the meeting days (within the event's dates).
// - event_meeting_availability: a participant organisation's available slots (rows =
//   available; none saved = not available anywhere).
// - event_meetings: one per (enterprise, provider) pair per event. requested_by_side:
//   who asked; status requested → accepted | declined; cancelled; accepted → scheduled
//   (slot_day, slot_start, slot_end, table_no set exactly when scheduled).
//   (event_id, slot_day, slot_start, table_no) unique: a table holds one meeting a slot.
// - event_meeting_bookings: the two organisations of a scheduled meeting, each at its
//   slot — (event_id, org_id, slot_day, slot_start) unique: nobody is in two meetings at
//   once (the last guard under the scheduler).
// - event_meeting_outcomes: after the slot, each side records once: intent 意向 /
//   continue 继续沟通 / none 无意向 + note.

function optionalClock(name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c.check(sql`${sql.ref(name)} is null or (length(${sql.ref(name)}) = 5 and ${sql.ref(name)} between '00:00' and '23:59')`)
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await db.schema
    .createTable('event_meeting_settings')
    .addColumn('event_id', 'integer', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('day_start', 'text', clock('day_start'))
    .addColumn('day_end', 'text', clock('day_end'))
    .addColumn('slot_minutes', 'integer', intBetween('slot_minutes', 10, 240))
    .addColumn('table_count', 'integer', intBetween('table_count', 1, 200))
    .addColumn('place', 'text', text(200, 'place'))
    .addColumn('schedule_runs', 'integer', intBetween('schedule_runs', 0, 1_000_000_000, 0))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', t, (c) => c.notNull())
    .addCheckConstraint('event_meeting_settings_hours_ck', sql`day_end > day_start`)
    .execute()

  await db.schema
    .createTable('event_meeting_days')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('meeting_day', d, day(db, 'meeting_day', true))
    .addPrimaryKeyConstraint('event_meeting_days_pk', ['event_id', 'meeting_day'])
    .execute()

  await db.schema
    .createTable('event_meeting_availability')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('slot_day', d, day(db, 'slot_day', true))
    .addColumn('slot_start', 'text', clock('slot_start'))
    .addPrimaryKeyConstraint('event_meeting_availability_pk', ['event_id', 'org_id', 'slot_day', 'slot_start'])
    .execute()

  await withId(db, db.schema.createTable('event_meetings'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('enterprise_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('need_id', 'integer', (c) => c.references('needs.id'))
    .addColumn('requested_by_side', 'text', oneOf('requested_by_side', ['enterprise', 'provider']))
    .addColumn('message', 'text', text(500, 'message'))
    .addColumn(
      'status',
      'text',
      oneOfDefault('status', ['requested', 'accepted', 'declined', 'cancelled', 'scheduled'], 'requested'),
    )
    .addColumn('reply', 'text', text(500, 'reply'))
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', t, (c) => c.notNull())
    .addColumn('responded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responded_at', t)
    .addColumn('slot_day', d, day(db, 'slot_day'))
    .addColumn('slot_start', 'text', optionalClock('slot_start'))
    .addColumn('slot_end', 'text', optionalClock('slot_end'))
    .addColumn('table_no', 'integer', optionalIntBetween('table_no', 1, 200))
    .addColumn('scheduled_at', t)
    .addUniqueConstraint('event_meetings_pair_uq', ['event_id', 'enterprise_org_id', 'provider_org_id'])
    .addUniqueConstraint('event_meetings_table_uq', ['event_id', 'slot_day', 'slot_start', 'table_no'])
    .addCheckConstraint(
      'event_meetings_slot_ck',
      sql`(status = 'scheduled' and slot_day is not null and slot_start is not null and slot_end is not null and table_no is not null and scheduled_at is not null)
        or (status <> 'scheduled' and slot_day is null and slot_start is null and slot_end is null and table_no is null)`,
    )
    .execute()
  await db.schema.createIndex('event_meetings_status_idx').on('event_meetings').columns(['event_id', 'status', 'id']).execute()
  await db.schema
    .createIndex('event_meetings_enterprise_idx')
    .on('event_meetings')
    .columns(['enterprise_org_id', 'event_id'])
    .execute()
  await db.schema
    .createIndex('event_meetings_provider_idx')
    .on('event_meetings')
    .columns(['provider_org_id', 'event_id'])
    .execute()

  await db.schema
    .createTable('event_meeting_bookings')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('event_meetings.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('slot_day', d, day(db, 'slot_day', true))
    .addColumn('slot_start', 'text', clock('slot_start'))
    .addPrimaryKeyConstraint('event_meeting_bookings_pk', ['meeting_id', 'org_id'])
    .addUniqueConstraint('event_meeting_bookings_org_uq', ['event_id', 'org_id', 'slot_day', 'slot_start'])
    .execute()

  await db.schema
    .createTable('event_meeting_outcomes')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('event_meetings.id').onDelete('cascade'))
    .addColumn('side', 'text', oneOf('side', ['enterprise', 'provider']))
    .addColumn('outcome', 'text', oneOf('outcome', ['intent', 'continue', 'none']))
    .addColumn('note', 'text', text(500, 'note'))
    .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', t, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_meeting_outcomes_pk', ['meeting_id', 'side'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'event_meeting_outcomes',
    'event_meeting_bookings',
    'event_meetings',
    'event_meeting_availability',
    'event_meeting_days',
    'event_meeting_settings',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
