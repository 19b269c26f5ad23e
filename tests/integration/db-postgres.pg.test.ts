import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { dialectOf } from '../../db/dialect.js'
import { createPostgresDb } from '../../db/postgres.js'
import { uniqueViolation, withTransaction } from '../../db/transaction.js'
import { pgUnavailableReason } from '../support/pg-server.js'
import { pgTestDatabase } from '../support/pg-test-db.js'

// The Kysely Postgres connection (db/postgres.ts) on a scratch database: rows in
// the shapes db/types.ts declares, the dialect probe, and the shared helpers of
// db/transaction.ts against a real server.
const unavailable = pgUnavailableReason()
if (unavailable) console.warn(unavailable)

describe.skipIf(unavailable !== null)('PostgreSQL connection', () => {
  let db: Database
  let drop: () => Promise<void>

  beforeAll(async () => {
    const database = await pgTestDatabase('db')
    drop = database.drop
    db = createPostgresDb(database.url).db
    await sql`
      create table users (id bigint generated always as identity primary key, phone text unique, a text, b text, unique (a, b));
      insert into users (phone, a, b) values ('13900000001', 'x', 'y');
    `.execute(db)
  })

  afterAll(async () => {
    await db?.destroy()
    await drop?.()
  })

  it('is the postgres dialect, in transactions too', async () => {
    expect(dialectOf(db)).toBe('postgres')
    await db.transaction().execute(async (trx) => expect(dialectOf(trx)).toBe('postgres'))
  })

  it('reads bigint and numeric as numbers, times as ISO strings in UTC, dates and JSON as text, booleans as 1/0', async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select count(*) as n, 42::int8 as big, 12.5::numeric as money,
             timestamptz '2026-11-22 09:00:00+08' as at, timestamp '2026-11-22 01:00:00' as naive,
             date '2026-11-22' as day, true as yes, false as no, null::int8 as nothing,
             '["a", 1]'::jsonb as tags, '{"k": "v"}'::json as doc
        from users`.execute(db)
    expect(rows[0]).toEqual({
      n: 1,
      big: 42,
      money: 12.5,
      at: '2026-11-22T01:00:00.000Z',
      naive: '2026-11-22T01:00:00.000Z',
      day: '2026-11-22',
      yes: 1,
      no: 0,
      nothing: null,
      tags: '["a",1]',
      doc: '{"k": "v"}',
    })
  })

  it('accepts 1/0 for booleans on the way in', async () => {
    const { rows } = await sql<{ v: number }>`select ${1}::boolean and not ${0}::boolean as v`.execute(db)
    expect(rows[0]?.v).toBe(1)
  })

  it('recognises a unique violation with its table, columns and constraint', async () => {
    const error = await sql`insert into users (phone) values ('13900000001')`.execute(db).catch((e: unknown) => e)
    expect(uniqueViolation(error)).toEqual({ table: 'users', columns: ['phone'], constraint: 'users_phone_key' })
    const pair = await sql`insert into users (a, b) values ('x', 'y')`.execute(db).catch((e: unknown) => e)
    expect(uniqueViolation(pair)).toEqual({ table: 'users', columns: ['a', 'b'], constraint: 'users_a_b_key' })
    const other = await sql`insert into users (id) values (1)`.execute(db).catch((e: unknown) => e)
    expect(uniqueViolation(other)).toBeNull()
  })

  it('withTransaction commits, then runs after-commit tasks; a rollback runs none', async () => {
    const seen: string[] = []
    await withTransaction(db, async (trx, afterCommit) => {
      await sql`insert into users (phone) values ('13900000002')`.execute(trx)
      afterCommit(async () => {
        const { rows } = await sql<{ n: number }>`select count(*) as n from users`.execute(db)
        seen.push(`after commit: ${rows[0]?.n}`)
      })
    })
    await expect(
      withTransaction(db, async (trx, afterCommit) => {
        await sql`insert into users (phone) values ('13900000003')`.execute(trx)
        afterCommit(() => seen.push('never'))
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(seen).toEqual(['after commit: 2'])
    const { rows } = await sql<{ n: number }>`select count(*) as n from users where phone = '13900000003'`.execute(db)
    expect(rows[0]?.n).toBe(0)
  })
})
