import crypto from 'node:crypto'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import { migrateToLatest } from '../../db/migrate.js'
import { createPostgresDb } from '../../db/postgres.js'
import { pgUnavailableReason } from '../support/pg-server.js'
import { pgTestDatabase } from '../support/pg-test-db.js'
import { TMP_DIR } from '../support/paths.js'

// Decision record 006: SQLite's frozen history and PostgreSQL's baseline, each
// followed by the shared migrations, must end in the same schema. Compared by name:
// tables, columns, primary keys, unique column sets, foreign keys, indexes, named
// constraints, how many CHECKs each table has, and triggers. Where PostgreSQL's
// type does a CHECK's work, or guards what SQLite cannot express, the difference is
// listed below with its reason, so any other difference fails.

/** CHECKs SQLite needs that a PostgreSQL type makes redundant, per table. */
const CHECKS_DONE_BY_TYPES: Record<string, number> = {
  // occurred_on (district targets' 加、减分项): date(x) is x ⇔ the date type.
  target_adjustments: 1,
  // expected_start, deadline: date(x) = x ⇔ the date type.
  needs: 2,
  // phone_verified_at, email_verified_at: length(x) >= 20 ⇔ timestamptz.
  users: 2,
  // valid_from, valid_until: date(x) = x ⇔ the date type.
  provider_qualifications: 2,
  // awarded_on, expires_on / occurred_on: date(x) = x ⇔ the date type.
  enterprise_titles: 2,
  diagnosis_service_records: 1,
  // start_date / due_date / log_date: date(x) = x ⇔ the date type.
  contracts: 1,
  contract_milestones: 1,
  supervision_logs: 1,
  // starts_on, ends_on / signed_on / due_on: date(x) is x ⇔ the date type.
  events: 2,
  event_intents: 1,
  event_followups: 1,
  // meeting_day / slot_day: date(x) is x ⇔ the date type.
  event_meeting_days: 1,
  event_meeting_availability: 1,
  event_meetings: 1,
  event_meeting_bookings: 1,
  // visit_on: date(x) is x ⇔ the date type.
  event_visit_slots: 1,
  event_visit_bookings: 1,
  // appeal_until / rectify_by / valid_until: date(x) is x ⇔ the date type.
  evaluation_schemes: 1,
  provider_sanctions: 1,
  qualification_expiry_flags: 1,
  // apply_until / notice_from, notice_until / admitted_on, valid_until: date(x) is x ⇔ the date type.
  pool_rounds: 1,
  pool_applications: 2,
  pool_memberships: 2,
  // decided_on (a title's 复核, issue 16): date(x) is x ⇔ the date type.
  title_reviews: 1,
  // valid_from, valid_to / released_on (服务券, issue 16): date(x) is x ⇔ the date type.
  voucher_schemes: 2,
  vouchers: 1,
}
/** Triggers only PostgreSQL has, with why. */
const POSTGRES_ONLY_TRIGGERS = new Set([
  // SQLite has no TRUNCATE; in PostgreSQL it would empty the append-only log without a row trigger firing.
  'audit_log_no_truncate',
])

interface Schema {
  tables: string[]
  columns: string[]
  primaryKeys: string[]
  uniques: string[]
  foreignKeys: string[]
  indexes: string[]
  namedConstraints: string[]
  checks: Record<string, number>
  triggers: string[]
}

const IGNORED_TABLE = /^(kysely_|sqlite_|search_)/

async function sqliteSchema(): Promise<Schema> {
  const file = path.join(TMP_DIR, `schema-${crypto.randomUUID()}.db`)
  const { db, sqlite } = createDb(file)
  try {
    await migrateToLatest(db)
    const objects = sqlite.prepare(`select type, name, tbl_name, sql from sqlite_master where sql is not null`).all() as {
      type: string
      name: string
      tbl_name: string
      sql: string
    }[]
    const tables = objects.filter((o) => o.type === 'table' && !IGNORED_TABLE.test(o.name))
    const schema: Schema = {
      tables: tables.map((t) => t.name),
      columns: [],
      primaryKeys: [],
      uniques: [],
      foreignKeys: [],
      indexes: objects.filter((o) => o.type === 'index' && !IGNORED_TABLE.test(o.tbl_name)).map((o) => o.name),
      namedConstraints: [],
      checks: {},
      triggers: objects.filter((o) => o.type === 'trigger').map((o) => o.name),
    }
    for (const table of tables) {
      const columns = sqlite.prepare(`select name, pk from pragma_table_info(?)`).all(table.name) as {
        name: string
        pk: number
      }[]
      schema.columns.push(...columns.map((c) => `${table.name}.${c.name}`))
      const pk = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
      schema.primaryKeys.push(`${table.name}(${pk.join(',')})`)
      const indexList = sqlite.prepare(`select name, origin from pragma_index_list(?)`).all(table.name) as {
        name: string
        origin: string
      }[]
      for (const index of indexList.filter((i) => i.origin === 'u')) {
        const cols = (
          sqlite.prepare(`select name from pragma_index_info(?) order by seqno`).all(index.name) as { name: string }[]
        ).map((c) => c.name)
        schema.uniques.push(`${table.name}(${cols.join(',')})`)
      }
      const fks = sqlite
        .prepare(`select "table" as ref, "from" as col, "to" as target from pragma_foreign_key_list(?)`)
        .all(table.name) as {
        ref: string
        col: string
        target: string
      }[]
      schema.foreignKeys.push(...fks.map((f) => `${table.name}.${f.col} -> ${f.ref}.${f.target}`))
      schema.namedConstraints.push(...[...table.sql.matchAll(/constraint\s+"?(\w+)"?/gi)].map((m) => m[1]!))
      const checks = [...table.sql.matchAll(/\bcheck\s*\(/gi)].length
      // A table whose only checks are date checks has none left (PostgreSQL lists no such table).
      const left = checks - (CHECKS_DONE_BY_TYPES[table.name] ?? 0)
      if (left) schema.checks[table.name] = left
    }
    return normalise(schema)
  } finally {
    await db.destroy()
  }
}

async function postgresSchema(url: string): Promise<Schema> {
  const { db } = createPostgresDb(url)
  try {
    await migrateToLatest(db)
    const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows
    const tables = (
      await rows<{ name: string }>(sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`)
    )
      .map((t) => t.name)
      .filter((name) => !IGNORED_TABLE.test(name))
    const inTables = (name: string) => tables.includes(name)
    const columns = await rows<{ t: string; c: string }>(sql`select table_name as t, column_name as c
      from information_schema.columns where table_schema = current_schema()`)
    const constraints = await rows<{
      t: string
      name: string
      type: string
      cols: string[]
      ref: string | null
      refcols: string[] | null
    }>(sql`
      select cl.relname as t, con.conname as name, con.contype as type,
             array(select a.attname from unnest(con.conkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i)::text[] as cols,
             rcl.relname as ref,
             array(select a.attname from unnest(con.confkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i)::text[] as refcols
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid
        join pg_namespace ns on ns.oid = cl.relnamespace and ns.nspname = current_schema()
        left join pg_class rcl on rcl.oid = con.confrelid`)
    const indexes = await rows<{ t: string; name: string }>(sql`
      select tablename as t, indexname as name from pg_indexes where schemaname = current_schema()`)
    const triggers = await rows<{ t: string; name: string }>(sql`
      select cl.relname as t, tg.tgname as name from pg_trigger tg
        join pg_class cl on cl.oid = tg.tgrelid
        join pg_namespace ns on ns.oid = cl.relnamespace and ns.nspname = current_schema()
       where not tg.tgisinternal`)
    const mine = constraints.filter((c) => inTables(c.t))
    // Indexes PostgreSQL makes for primary keys and unique constraints are those constraints.
    const constraintIndexes = new Set(mine.filter((c) => c.type === 'p' || c.type === 'u').map((c) => c.name))
    const checks: Record<string, number> = {}
    for (const c of mine.filter((c) => c.type === 'c')) checks[c.t] = (checks[c.t] ?? 0) + 1
    return normalise({
      tables,
      columns: columns.filter((c) => inTables(c.t)).map((c) => `${c.t}.${c.c}`),
      primaryKeys: mine.filter((c) => c.type === 'p').map((c) => `${c.t}(${c.cols.join(',')})`),
      uniques: mine.filter((c) => c.type === 'u').map((c) => `${c.t}(${c.cols.join(',')})`),
      foreignKeys: mine
        .filter((c) => c.type === 'f')
        .map((c) => `${c.t}.${c.cols.join(',')} -> ${c.ref}.${(c.refcols ?? []).join(',')}`),
      indexes: indexes.filter((i) => inTables(i.t) && !constraintIndexes.has(i.name)).map((i) => i.name),
      // PostgreSQL names every constraint; the ones SQLite names are the ones written with a name.
      namedConstraints: mine.filter((c) => !/_(pkey|key|fkey|check|not_null)$/.test(c.name)).map((c) => c.name),
      checks,
      triggers: triggers.filter((t) => inTables(t.t) && !POSTGRES_ONLY_TRIGGERS.has(t.name)).map((t) => t.name),
    })
  } finally {
    await db.destroy()
  }
}

function normalise(schema: Schema): Schema {
  const sorted = (list: string[]) => [...new Set(list)].sort()
  return {
    tables: sorted(schema.tables),
    columns: sorted(schema.columns),
    primaryKeys: sorted(schema.primaryKeys.filter((pk) => !pk.endsWith('()'))),
    uniques: sorted(schema.uniques),
    foreignKeys: sorted(schema.foreignKeys),
    indexes: sorted(schema.indexes),
    namedConstraints: sorted(schema.namedConstraints),
    checks: Object.fromEntries(Object.entries(schema.checks).sort(([a], [b]) => a.localeCompare(b))),
    triggers: sorted(schema.triggers),
  }
}

const unavailable = pgUnavailableReason()
if (unavailable) console.warn(unavailable)

describe.skipIf(unavailable !== null)('SQLite and PostgreSQL migrations end in one schema', () => {
  let sqlite: Schema
  let postgres: Schema
  let drop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const database = await pgTestDatabase('schema')
    drop = database.drop
    ;[sqlite, postgres] = await Promise.all([sqliteSchema(), postgresSchema(database.url)])
  })

  afterAll(async () => {
    await drop?.()
  })

  for (const part of [
    'tables',
    'columns',
    'primaryKeys',
    'uniques',
    'foreignKeys',
    'indexes',
    'namedConstraints',
    'checks',
    'triggers',
  ] as const) {
    it(`has the same ${part}`, () => {
      expect(postgres[part]).toEqual(sqlite[part])
    })
  }

  it('found a schema to compare', () => {
    expect(sqlite.tables.length).toBeGreaterThan(10)
    expect(sqlite.triggers.length).toBeGreaterThan(5)
  })
})
