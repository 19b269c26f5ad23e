import { sql, type Kysely } from 'kysely'
import { clock, day, dt, intBetween, text, textBetween, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Site visits (现场调研) and proposal review (方案评选) of a matchmaking event (issue 15 §1):
// - event_visit_slots: a site-visit slot the organiser offers for a listed need of the
//   batch — a day, start and end ('HH:MM', China time), a place.
// - event_visit_bookings: an approved provider's booking of a slot. One provider per
//   slot (slot_id unique); one slot per need per provider (event, need, provider
//   unique); the same provider never in two slots starting together (provider, day,
//   start unique) — overlapping slots are refused by the use case inside its
//   transaction, these keys are the last guard. Cancelling deletes the row (audited).
// - event_review_criteria: the scoring sheet — criteria with weights (the use case keeps
//   them summing to 100) and a maximum score each.
// - event_review_ties: an appointed expert's declared tie (利益关联) to a bidder of a need:
//   the expert is then excluded from that need (automatic ties — employer, membership —
//   are computed, not stored).
// - event_review_sheets: one expert's review of one bid (a proposal): a comment and when
//   it was submitted; event_review_scores: the score of each criterion (0 … max).
// - event_review_publications: the organiser published the results (once per event):
//   bidders then see every criterion's score of their bid.

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)
  const d = dt(db)

  await withId(db, db.schema.createTable('event_visit_slots'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('visit_on', d, day(db, 'visit_on', true))
    .addColumn('starts_at', 'text', clock('starts_at'))
    .addColumn('ends_at', 'text', clock('ends_at'))
    .addColumn('place', 'text', textBetween(2, 200, 'place'))
    .addColumn('note', 'text', text(500, 'note'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addCheckConstraint('event_visit_slots_time_ck', sql`ends_at > starts_at`)
    .addUniqueConstraint('event_visit_slots_uq', ['event_id', 'need_id', 'visit_on', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('event_visit_slots_event_idx')
    .on('event_visit_slots')
    .columns(['event_id', 'visit_on', 'starts_at'])
    .execute()

  await withId(db, db.schema.createTable('event_visit_bookings'))
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('event_visit_slots.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('visit_on', d, day(db, 'visit_on', true))
    .addColumn('starts_at', 'text', clock('starts_at'))
    .addColumn('ends_at', 'text', clock('ends_at'))
    .addColumn('booked_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('booked_at', t, (c) => c.notNull())
    .addUniqueConstraint('event_visit_bookings_slot_uq', ['slot_id'])
    .addUniqueConstraint('event_visit_bookings_need_uq', ['event_id', 'need_id', 'provider_org_id'])
    .addUniqueConstraint('event_visit_bookings_time_uq', ['provider_org_id', 'visit_on', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('event_visit_bookings_event_idx')
    .on('event_visit_bookings')
    .columns(['event_id', 'provider_org_id'])
    .execute()

  await withId(db, db.schema.createTable('event_review_criteria'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('position', 'integer', intBetween('position', 1, 20))
    .addColumn('name', 'text', textBetween(1, 60, 'name'))
    .addColumn('description', 'text', text(300, 'description'))
    .addColumn('weight', 'integer', intBetween('weight', 1, 100))
    .addColumn('max_score', 'integer', intBetween('max_score', 1, 100))
    .addUniqueConstraint('event_review_criteria_uq', ['event_id', 'position'])
    .execute()

  await db.schema
    .createTable('event_review_ties')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('experts.id'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('reason', 'text', textBetween(2, 500, 'reason'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_review_ties_pk', ['event_id', 'expert_id', 'need_id', 'provider_org_id'])
    .execute()

  await withId(db, db.schema.createTable('event_review_sheets'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('experts.id'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('bid_id', 'integer', (c) => c.notNull().references('bids.id'))
    .addColumn('comment', 'text', text(2000, 'comment'))
    .addColumn('submitted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('submitted_at', t, (c) => c.notNull())
    .addUniqueConstraint('event_review_sheets_uq', ['event_id', 'expert_id', 'bid_id'])
    .execute()
  await db.schema.createIndex('event_review_sheets_need_idx').on('event_review_sheets').columns(['event_id', 'need_id']).execute()

  await db.schema
    .createTable('event_review_scores')
    .addColumn('sheet_id', 'integer', (c) => c.notNull().references('event_review_sheets.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('event_review_criteria.id').onDelete('cascade'))
    .addColumn('score', 'integer', intBetween('score', 0, 100))
    .addPrimaryKeyConstraint('event_review_scores_pk', ['sheet_id', 'criterion_id'])
    .execute()

  await db.schema
    .createTable('event_review_publications')
    .addColumn('event_id', 'integer', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('published_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('published_at', t, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'event_review_publications',
    'event_review_scores',
    'event_review_sheets',
    'event_review_ties',
    'event_review_criteria',
    'event_visit_bookings',
    'event_visit_slots',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
