import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb, type Database } from '../../db/connection.js'
import { migrations } from '../../db/migrations/index.js'
import { TMP_DIR } from '../support/paths.js'
import { onPostgres, sqliteOnly } from '../support/test-db.js'

/*
 * The 2026-12-02T0200-org-hardening migration on a database that already holds data:
 * unconfirmed agency members lose their rights, demo data is recognised and leaves real
 * organisations, old plain-text invite codes stop working, and a USCC is unique among
 * verified organisations only.
 */

const files: string[] = []
afterAll(() => {
  for (const f of files) for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true })
})

const NOW = '2026-11-30T08:00:00.000Z'

function failed(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

/** A database as the previous migration left it (rows go in through SQL: its schema is not db/types.ts). */
async function before(): Promise<{ db: Database; sqlite: BetterSqlite3.Database; destroy: () => Promise<void> }> {
  const file = path.join(TMP_DIR, `migration-${crypto.randomUUID()}.db`)
  files.push(file)
  const { db, sqlite } = createDb(file)
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error } = await migrator.migrateTo('2026-12-02T0100-account-recovery')
  if (error) throw failed(error)
  sqlite.prepare("insert into regions (code, name, level) values ('321000', '扬州市', 'city')").run()
  sqlite.prepare("insert into industries (code, name) values ('C34', '通用设备制造业')").run()
  return { db, sqlite, destroy: () => db.destroy() }
}

async function migrateUp(db: Database) {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  // Up to this migration, not the latest: later ones would be the first to go down.
  const { error } = await migrator.migrateTo('2026-12-02T0200-org-hardening')
  if (error) throw failed(error)
}

/** An enterprise as the new schema takes it. */
const enterprise = (name: string, uscc: string, status: 'pending' | 'verified') => ({
  kind: 'enterprise' as const,
  name,
  region_code: '321000',
  uscc,
  status,
  industry_code: 'C34',
  created_at: NOW,
})

// SQLite's frozen history (PostgreSQL starts from the baseline that history ends in).
describe.skipIf(onPostgres)(
  `migration 2026-12-02T0200-org-hardening${sqliteOnly('a migration of the frozen SQLite history')}`,
  () => {
    it('keeps real data, marks demo data, and takes rights from what was never confirmed', async () => {
      const { db, sqlite, destroy } = await before()
      try {
        const run = (query: string, ...params: unknown[]) => Number(sqlite.prepare(query).run(...params).lastInsertRowid)
        const insertOrg = (name: string) =>
          run(
            "insert into organisations (kind, name, region_code, status, agency_level, created_at) values ('agency', ?, '321000', 'verified', 'city', ?)",
            name,
            NOW,
          )
        const insertUser = (name: string, phone: string) =>
          run("insert into users (name, phone, password_hash, created_at) values (?, ?, 'x', ?)", name, phone, NOW)
        const member = (userId: number, orgId: number, role: string) =>
          run('insert into memberships (user_id, org_id, role, created_at) values (?, ?, ?, ?)', userId, orgId, role, NOW)
        // A real agency (made by the CLI: it left an 'org.created' entry) and a demo agency (the seed left none).
        const realAgency = insertOrg('扬州市工业和信息化局')
        const demoAgency = insertOrg('演示主管部门')
        const owner = insertUser('张三', '13912345678')
        const joiner = insertUser('李四', '13912345679')
        const demoOwner = insertUser('郑国华', '13900000021')
        const audit = 'insert into audit_log (at, action, object_type, object_id, actor_user_id) values (?, ?, ?, ?, ?)'
        run(audit, NOW, 'org.created', 'organisation', String(realAgency), owner)
        run(audit, NOW, 'auth.registered', 'user', String(joiner), joiner)
        member(owner, realAgency, 'owner')
        // Joined the real agency by invitation: under the old schema, every right.
        member(joiner, realAgency, 'member')
        // The old start-up attached the demo owner to the first agency of its region.
        member(demoOwner, realAgency, 'owner')
        member(demoOwner, demoAgency, 'owner')
        run(
          "insert into invitations (org_id, code, created_by, created_at, expires_at) values (?, 'ABCDEFGH', ?, ?, '2099-01-01T00:00:00.000Z')",
          realAgency,
          owner,
          NOW,
        )

        await migrateUp(db)

        const orgs = await db.selectFrom('organisations').select(['id', 'is_demo', 'revision']).orderBy('id').execute()
        expect(orgs).toEqual([
          { id: realAgency, is_demo: 0, revision: 1 },
          { id: demoAgency, is_demo: 1, revision: 1 },
        ])
        const users = await db.selectFrom('users').select(['id', 'is_demo']).orderBy('id').execute()
        expect(users).toEqual([
          { id: owner, is_demo: 0 },
          { id: joiner, is_demo: 0 },
          { id: demoOwner, is_demo: 1 },
        ])
        const memberships = await db
          .selectFrom('memberships')
          .select(['user_id', 'org_id', 'role', 'status'])
          .orderBy('org_id')
          .orderBy('user_id')
          .execute()
        expect(memberships).toEqual([
          { user_id: owner, org_id: realAgency, role: 'owner', status: 'active' },
          { user_id: joiner, org_id: realAgency, role: 'viewer', status: 'pending' },
          { user_id: demoOwner, org_id: demoAgency, role: 'owner', status: 'active' },
        ])
        const invite = await db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow()
        expect(invite.revoked_at).not.toBeNull()
        expect(invite.token_hash).toMatch(/^[0-9a-f]{64}$/)
        expect(invite.code_hash).toBeNull()
        expect(invite).not.toHaveProperty('code')
        // The audit log is untouched and still append-only.
        expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(2)
        await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
      } finally {
        await destroy()
      }
    })

    it('holds a USCC unique among verified organisations only', async () => {
      const { db, destroy } = await before()
      try {
        await migrateUp(db)
        const uscc = '91321000MA1XXXXX0X'
        await db
          .insertInto('organisations')
          .values(enterprise('申请甲', uscc, 'pending'))
          .execute()
        await db
          .insertInto('organisations')
          .values(enterprise('申请乙', uscc, 'pending'))
          .execute()
        await db
          .insertInto('organisations')
          .values(enterprise('真企业', uscc, 'verified'))
          .execute()
        await expect(
          db
            .insertInto('organisations')
            .values(enterprise('冒名', uscc, 'verified'))
            .execute(),
        ).rejects.toThrow(/UNIQUE constraint failed/)
        await expect(
          db.updateTable('organisations').set({ status: 'verified' }).where('name', '=', '申请甲').execute(),
        ).rejects.toThrow(/UNIQUE constraint failed/)
      } finally {
        await destroy()
      }
    })

    it('migrates down and up again', async () => {
      const { db, destroy } = await before()
      try {
        await migrateUp(db)
        const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
        const down = await migrator.migrateDown()
        expect(down.error).toBeUndefined()
        expect(down.results?.[0]).toMatchObject({ migrationName: '2026-12-02T0200-org-hardening', status: 'Success' })
        await migrateUp(db)
      } finally {
        await destroy()
      }
    })
  },
)
