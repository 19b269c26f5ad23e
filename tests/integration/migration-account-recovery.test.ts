import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection.js'
import { migrations } from '../../db/migrations/index.js'
import { TMP_DIR } from '../support/paths.js'
import { onPostgres, sqliteOnly } from '../support/test-db.js'

/*
 * The 2026-12-02T0100-account-recovery migration on a database that already holds
 * accounts: they start unverified, the installation gets its own secret, and the
 * schema keeps verifications with their contacts and codes out of delivered messages.
 */

const files: string[] = []
afterAll(() => {
  for (const f of files) for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true })
})

const NOW = '2026-11-30T08:00:00.000Z'

async function migrated(to: string) {
  const file = path.join(TMP_DIR, `migration-${crypto.randomUUID()}.db`)
  files.push(file)
  const { db, sqlite } = createDb(file)
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error } = await migrator.migrateTo(to)
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error))
  return { db, sqlite, migrator }
}

// SQLite's frozen history (PostgreSQL starts from the baseline that history ends in).
describe.skipIf(onPostgres)(
  `migration 2026-12-02T0100-account-recovery${sqliteOnly('a migration of the frozen SQLite history')}`,
  () => {
    it('leaves existing accounts unverified, makes a secret per installation, and goes down again', async () => {
      const { db, sqlite, migrator } = await migrated('2026-11-23T0100-search-outbox-types')
      sqlite
        .prepare("insert into users (name, phone, password_hash, created_at) values ('老用户', '13900009999', 'x', ?)")
        .run(NOW)
      const { error } = await migrator.migrateTo('2026-12-02T0100-account-recovery')
      expect(error).toBeUndefined()
      expect(sqlite.prepare('select phone_verified_at, email_verified_at from users').get()).toEqual({
        phone_verified_at: null,
        email_verified_at: null,
      })
      const secret = sqlite.prepare("select value from app_secrets where name = 'hmac'").get() as { value: string }
      expect(secret.value).toMatch(/^[0-9a-f]{64}$/)

      const second = await migrated('2026-12-02T0100-account-recovery')
      const other = second.sqlite.prepare("select value from app_secrets where name = 'hmac'").get() as { value: string }
      expect(other.value).not.toBe(secret.value)
      await second.db.destroy()

      const down = await migrator.migrateTo('2026-11-23T0100-search-outbox-types')
      expect(down.error).toBeUndefined()
      expect(sqlite.prepare("select name from sqlite_master where name = 'app_secrets'").get()).toBeUndefined()
      await db.destroy()
    })

    it('keeps a verification with its contact, and no text in a delivered message', async () => {
      const { db, sqlite } = await migrated('2026-12-02T0100-account-recovery')
      const insert = (phone: string | null, email: string | null, phoneAt: string | null, emailAt: string | null) =>
        sqlite
          .prepare(
            'insert into users (name, phone, email, password_hash, created_at, phone_verified_at, email_verified_at) values (?, ?, ?, ?, ?, ?, ?)',
          )
          .run('用户', phone, email, 'x', NOW, phoneAt, emailAt)
      expect(() => insert(null, 'a@example.cn', NOW, null)).toThrow(/verified phone needs a phone/)
      expect(() => insert('13900001234', null, null, NOW)).toThrow(/verified e-mail needs an e-mail/)
      const id = insert('13900001234', null, NOW, null).lastInsertRowid
      // A new number is not verified by the old number's code.
      expect(() => sqlite.prepare("update users set phone = '13900004321' where id = ?").run(id)).toThrow(/changed phone/)
      sqlite.prepare("update users set phone = '13900004321', phone_verified_at = null where id = ?").run(id)

      const message = (status: string, body: string) =>
        sqlite
          .prepare(
            "insert into message_outbox (channel, destination, body, status, created_at, expires_at) values ('sms', '13900004321', ?, ?, ?, ?)",
          )
          .run(body, status, NOW, NOW)
      expect(() => message('sent', '验证码 123456')).toThrow(/CHECK/)
      expect(() => message('discarded', '验证码 123456')).toThrow(/CHECK/)
      expect(() => message('mailbox', '验证码 123456')).not.toThrow()
      expect(() => message('sent', '')).not.toThrow()
      await db.destroy()
    })
  },
)
