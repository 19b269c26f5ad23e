import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import { databaseTarget, dialectOf, isPostgres } from '../../db/dialect.js'
import { isPostgresUrl } from '../../db/postgres.js'

// PostgreSQL's side runs under npm run test:pg (tests/integration/db-postgres.pg.test.ts).
const { db } = createDb(':memory:')

afterAll(async () => {
  await db.destroy()
})

describe('dialectOf', () => {
  it('answers sqlite for a SQLite database and its transactions', async () => {
    expect(dialectOf(db)).toBe('sqlite')
    expect(isPostgres(db)).toBe(false)
    await db.transaction().execute(async (trx) => {
      expect(dialectOf(trx)).toBe('sqlite')
    })
  })
})

describe('databaseTarget', () => {
  it('selects PostgreSQL by a postgres:// or postgresql:// DATABASE_URL', () => {
    expect(databaseTarget({ DATABASE_URL: 'postgres://u:p@h:5432/d' }, 'data/app.db')).toEqual({
      dialect: 'postgres',
      url: 'postgres://u:p@h:5432/d',
    })
    expect(databaseTarget({ DATABASE_URL: ' postgresql://h/d ', DATABASE_PATH: 'x.db' }, 'data/app.db')).toEqual({
      dialect: 'postgres',
      url: 'postgresql://h/d',
    })
  })

  it('keeps SQLite the default: DATABASE_PATH, else the default file', () => {
    expect(databaseTarget({}, 'data/app.db')).toEqual({ dialect: 'sqlite', file: 'data/app.db' })
    expect(databaseTarget({ DATABASE_URL: '', DATABASE_PATH: 'x.db' }, 'data/app.db')).toEqual({
      dialect: 'sqlite',
      file: 'x.db',
    })
  })

  it('rejects a DATABASE_URL of another kind rather than falling back to SQLite', () => {
    expect(() => databaseTarget({ DATABASE_URL: 'mysql://h/d' }, 'data/app.db')).toThrow(/postgres:\/\//)
    expect(isPostgresUrl('sqlite:app.db')).toBe(false)
    expect(isPostgresUrl(undefined)).toBe(false)
    expect(isPostgresUrl('POSTGRES://h/d')).toBe(true)
  })
})
