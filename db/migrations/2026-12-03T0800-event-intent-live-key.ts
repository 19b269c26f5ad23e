import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'
import { day, dt, intBetween, text, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// A letter of intent struck out at an event (意向签约: the enterprise changed its plan, a
// wrong amount) can be recorded again for the same need and provider: one live intent per
// (event, need, provider), any number struck out beside it, each kept with its reason and
// its follow-ups. The table's UNIQUE (event_id, need_id, provider_org_id) becomes a unique
// index over the rows not withdrawn.
//
// PostgreSQL drops the constraint and adds the partial index. SQLite cannot drop a table
// constraint, so it rebuilds the table (the steps of its "ALTER TABLE" page) inside one
// transaction with foreign keys off, so event_followups' rows stay with their intents:
// the same columns and checks, every row with its id, the indexes made again, and
// foreign_key_check before the commit.

const LIVE_KEY = 'event_intents_live_uq'

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table event_intents drop constraint event_intents_uq`.execute(db)
  } else {
    await rebuild(db, { unique: false })
  }
  await db.schema
    .createIndex(LIVE_KEY)
    .on('event_intents')
    .columns(['event_id', 'need_id', 'provider_org_id'])
    .unique()
    .where(sql.ref('withdrawn_at'), 'is', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one intent per key: struck ones that share a key with another are dropped first.
  await sql`delete from event_intents where withdrawn_at is not null and exists (
      select 1 from event_intents o
       where o.event_id = event_intents.event_id and o.need_id = event_intents.need_id
         and o.provider_org_id = event_intents.provider_org_id and o.id <> event_intents.id
         and (o.withdrawn_at is null or o.id > event_intents.id))`.execute(db)
  await db.schema.dropIndex(LIVE_KEY).execute()
  if (isPostgres(db)) {
    await sql`alter table event_intents add constraint event_intents_uq unique (event_id, need_id, provider_org_id)`.execute(db)
  } else {
    await rebuild(db, { unique: true })
  }
}

/** SQLite: event_intents made again as 2026-12-03T0500 made it, with or without its UNIQUE constraint. */
async function rebuild(db: Kysely<any>, { unique }: { unique: boolean }): Promise<void> {
  const t = ts(db)
  const d = dt(db)
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await db.transaction().execute(async (trx) => {
      const next = withId(trx, trx.schema.createTable('event_intents_next'))
        .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
        .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
        .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
        .addColumn('amount_wan_x100', 'integer', intBetween('amount_wan_x100', 1, 100_000_000))
        .addColumn('signed_on', d, day(trx, 'signed_on', true))
        .addColumn('note', 'text', text(1000, 'note'))
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', t, (c) => c.notNull())
        .addColumn('withdrawn_at', t)
        .addColumn('withdrawn_reason', 'text', text(500, 'withdrawn_reason'))
      await (unique ? next.addUniqueConstraint('event_intents_uq', ['event_id', 'need_id', 'provider_org_id']) : next).execute()
      const columns = sql.raw(
        'id, event_id, need_id, provider_org_id, amount_wan_x100, signed_on, note, created_by, created_at, withdrawn_at, withdrawn_reason',
      )
      await sql`insert into event_intents_next (${columns}) select ${columns} from event_intents order by id`.execute(trx)
      await trx.schema.dropTable('event_intents').execute()
      await trx.schema.alterTable('event_intents_next').renameTo('event_intents').execute()
      await trx.schema.createIndex('event_intents_event_idx').on('event_intents').columns(['event_id', 'id']).execute()
      await trx.schema.createIndex('event_intents_provider_idx').on('event_intents').column('provider_org_id').execute()
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx)
      if (broken.rows.length) throw new Error(`event_intents rebuild: ${broken.rows.length} foreign keys broken`)
    })
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}
