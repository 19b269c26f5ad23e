import { sql } from 'kysely'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createDb } from '../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../db/transaction.js'

// A scratch in-memory database: real SqliteErrors, no schema of the app's.
const { db, sqlite } = createDb(':memory:')
sqlite.exec(`
  create table users (id integer primary key, phone text unique, a text, b text, c text, unique (a, b));
  create unique index users_lower_c on users (lower(c));
  create table pairs (k1 text, k2 text, primary key (k1, k2)) without rowid;
  insert into users (id, phone, a, b, c) values (1, '13900000001', 'x', 'y', 'Z');
  insert into pairs values ('p', 'q');
`)

afterAll(async () => {
  await db.destroy()
})

const count = async () => (await sql<{ n: number }>`select count(*) as n from users`.execute(db)).rows[0]?.n

function sqliteError(statement: string): unknown {
  try {
    sqlite.exec(statement)
  } catch (error) {
    return error
  }
  throw new Error(`no error from ${statement}`)
}

describe('withTransaction', () => {
  it('runs after-commit tasks once the transaction has committed, in order, awaiting each', async () => {
    const seen: string[] = []
    const result = await withTransaction(db, async (trx, afterCommit) => {
      await sql`insert into users (id) values (100)`.execute(trx)
      afterCommit(async () => {
        // Committed: another reader sees the row.
        seen.push(`first sees ${await count()}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
        seen.push('first done')
      })
      afterCommit(() => seen.push('second'))
      seen.push('body')
      return 'result'
    })
    expect(result).toBe('result')
    expect(seen).toEqual(['body', 'first sees 2', 'first done', 'second'])
    await sql`delete from users where id = 100`.execute(db)
  })

  it('runs no task when the transaction rolls back, and rethrows', async () => {
    const task = vi.fn()
    await expect(
      withTransaction(db, async (trx, afterCommit) => {
        await sql`insert into users (id) values (101)`.execute(trx)
        afterCommit(task)
        throw new Error('validation failed')
      }),
    ).rejects.toThrow('validation failed')
    expect(task).not.toHaveBeenCalled()
    expect(await count()).toBe(1)
  })

  it('logs a failing task without failing the caller or skipping the next tasks', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const next = vi.fn()
    try {
      const result = await withTransaction(db, async (_trx, afterCommit) => {
        afterCommit(() => Promise.reject(new Error('engine down')))
        afterCommit(next)
        return 42
      })
      expect(result).toBe(42)
      expect(next).toHaveBeenCalledOnce()
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('after-commit'),
        expect.objectContaining({ message: 'engine down' }),
      )
    } finally {
      error.mockRestore()
    }
  })

  it('refuses a task registered after the transaction ended', async () => {
    let late: ((task: () => void) => void) | undefined
    await withTransaction(db, async (_trx, afterCommit) => {
      late = afterCommit
    })
    expect(() => late?.(() => undefined)).toThrow(/ended/)
  })
})

describe('uniqueViolation', () => {
  it('names the table and column of a UNIQUE column', () => {
    expect(uniqueViolation(sqliteError(`insert into users (id, phone) values (2, '13900000001')`))).toEqual({
      table: 'users',
      columns: ['phone'],
    })
  })

  it('names every column of a composite UNIQUE, in order', () => {
    expect(uniqueViolation(sqliteError(`insert into users (id, a, b) values (3, 'x', 'y')`))).toEqual({
      table: 'users',
      columns: ['a', 'b'],
    })
  })

  it('recognises primary keys, rowid and composite', () => {
    const rowid = sqliteError(`insert into users (id) values (1)`)
    expect((rowid as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY')
    expect(uniqueViolation(rowid)).toEqual({ table: 'users', columns: ['id'] })
    expect(uniqueViolation(sqliteError(`insert into pairs values ('p', 'q')`))).toEqual({ table: 'pairs', columns: ['k1', 'k2'] })
  })

  it('gives the index name for a unique index on an expression', () => {
    expect(uniqueViolation(sqliteError(`insert into users (id, c) values (4, 'z')`))).toEqual({
      table: '',
      columns: [],
      constraint: 'users_lower_c',
    })
  })

  it('comes through Kysely unchanged', async () => {
    const error = await sql`insert into users (id, phone) values (5, '13900000001')`.execute(db).catch((e: unknown) => e)
    expect(uniqueViolation(error)).toEqual({ table: 'users', columns: ['phone'] })
  })

  it('is null for other constraint failures and other errors', () => {
    expect(uniqueViolation(sqliteError(`insert into users (id) values ('not a number')`))).toBeNull()
    expect(uniqueViolation(sqliteError(`insert into nowhere values (1)`))).toBeNull()
    expect(uniqueViolation(new Error('UNIQUE constraint failed: users.phone'))).toBeNull()
    expect(uniqueViolation('UNIQUE constraint failed: users.phone')).toBeNull()
    expect(uniqueViolation(null)).toBeNull()
  })

  it('reads a PostgreSQL unique_violation (23505) by its fields', () => {
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "users_phone_key"'), {
      code: '23505',
      table: 'users',
      constraint: 'users_phone_key',
      detail: 'Key (phone)=(13900000001) already exists.',
    })
    expect(uniqueViolation(pg)).toEqual({ table: 'users', columns: ['phone'], constraint: 'users_phone_key' })
  })
})
