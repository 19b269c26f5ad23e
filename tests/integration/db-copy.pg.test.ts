import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Database } from '../../db/connection.js'
import { copySqliteToPostgres, CopyError } from '../../db/copy.js'
import { migrateToLatest } from '../../db/migrate.js'
import { createPostgresDb } from '../../db/postgres.js'
import { loadReferenceData } from '../../seed/reference.js'
import { addMember, insertNeed, insertOrg, insertUser } from '../support/factories.js'
import { TMP_DIR } from '../support/paths.js'
import { pgUnavailableReason } from '../support/pg-server.js'
import { pgTestDatabase } from '../support/pg-test-db.js'

// `npm run db:copy`: a SQLite installation moves into an empty PostgreSQL database
// whole — ids, times, JSON, the append-only audit log — and the copy continues
// numbering after it; a target that already holds data is refused untouched.
const unavailable = pgUnavailableReason()
if (unavailable) console.warn(unavailable)

const ROOT = path.resolve(import.meta.dirname, '../..')
const JSON_COLUMNS = new Set(['tags', 'provider_kinds'])

async function rowsOf(db: Database, table: string, orderBy: string) {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(orderBy)}`.execute(db)
  // jsonb prints its own spacing; compare JSON columns by value.
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, JSON_COLUMNS.has(k) && typeof v === 'string' ? JSON.parse(v) : v]),
    ),
  )
}

describe.skipIf(unavailable !== null)('db:copy from SQLite to PostgreSQL', () => {
  const file = path.join(TMP_DIR, `copy-source-${crypto.randomUUID()}.db`)
  let source: Database
  let closeSource: () => void
  let target: Database
  let targetUrl: string
  let drop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const opened = createDb(file)
    source = opened.db
    closeSource = () => opened.sqlite.close()
    await migrateToLatest(source)
    await loadReferenceData(source)
    const owner = await insertUser(source, { name: '复制测试' })
    const org = await insertOrg(source, { kind: 'enterprise', status: 'verified' })
    const provider = await insertOrg(source, { kind: 'provider', status: 'verified' })
    await addMember(source, owner.id, org, 'owner')
    await addMember(source, owner.id, provider, 'member')
    await insertNeed(source, org, { title: '迁移验证用的改造需求' })
    await insertNeed(source, org, { title: '第二条迁移验证需求' })
    await source
      .insertInto('audit_log')
      .values({
        at: new Date().toISOString(),
        actor_user_id: owner.id,
        action: 'org.created',
        object_type: 'organisation',
        object_id: String(org),
      })
      .execute()
    const database = await pgTestDatabase('copy')
    drop = database.drop
    targetUrl = database.url
    target = createPostgresDb(targetUrl).db
  })

  afterAll(async () => {
    await source?.destroy()
    closeSource?.()
    await target?.destroy()
    await drop?.()
  })

  it('copies every table through the CLI, verifies counts and keeps values', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'app/cli/db-copy.ts', '--from', file, '--to', targetUrl], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test' },
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('行数一致')
    for (const [table, order] of [
      ['regions', 'code'],
      ['industries', 'code'],
      ['users', 'id'],
      ['organisations', 'id'],
      ['memberships', 'user_id, org_id'],
      ['needs', 'id'],
      ['need_scenarios', 'need_id, scenario_code'],
      ['audit_log', 'id'],
    ] as const) {
      expect(await rowsOf(target, table, order), table).toEqual(await rowsOf(source, table, order))
    }
    expect((await rowsOf(target, 'audit_log', 'id')).length).toBeGreaterThan(0)
    // Not copied: the target's triggers counted the organisations as they arrived, once each.
    const counts = (db: Database) =>
      sql<{ region_code: string; kind: string; status: string; n: number }>`
        select region_code, kind, status, n from org_status_counts where n <> 0 order by region_code, kind, status`
        .execute(db)
        .then((r) => r.rows.map((row) => ({ ...row, n: Number(row.n) })))
    expect(await counts(target)).toEqual(await counts(source))
    expect((await counts(target)).reduce((sum, row) => sum + row.n, 0)).toBe((await rowsOf(source, 'organisations', 'id')).length)
  })

  it('continues numbering after the copied ids', async () => {
    const max = await source
      .selectFrom('users')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow()
    const added = await insertUser(target, { name: '复制之后' })
    expect(added.id).toBe(Number(max.id) + 1)
  })

  it('refuses a target that holds data, and changes nothing', async () => {
    const before = await target
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const opened = createDb(file, { readonly: true })
    try {
      await expect(copySqliteToPostgres(opened.sqlite, target)).rejects.toBeInstanceOf(CopyError)
    } finally {
      opened.sqlite.close()
    }
    const after = await target
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})
