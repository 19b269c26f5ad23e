import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAgency } from '../../app/domain/orgs/agencies.server.js'
import { parseEnv } from '../../app/utils/env.server.js'
import { services } from '../../app/web/services.server.js'
import * as root from '../../app/root.js'
import { DEMO_PHONES } from '../../seed/accounts.js'
import { DEMO_EXPERT } from '../../seed/experts.js'
import { DemoRefusedError, generateDemo, resetDemoData } from '../../seed/demo-writer.js'
import { prepare } from '../../seed/prepare.js'
import { call } from '../support/http.js'
import { all, freshTestDb, openTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 7, item 8: demo data never touches real organisations. `npm start` (seed/prepare.ts)
 * and `npm run seed` (seed/cli.ts) write demo organisations and demo accounts together,
 * only into a database without organisations, marked as demo; the site says so.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const fresh: FreshTestDb[] = []

/** A fresh database on the run's dialect: migrated, reference data, nothing else. */
async function freshCopy(): Promise<FreshTestDb> {
  const target = await freshTestDb('demo_seeding')
  fresh.push(target)
  return target
}

afterAll(async () => {
  for (const target of fresh) await target.drop()
})

const quiet = () => {}

/** The environment `npm start` would have for that database (its search engine the database's own). */
function envFor(target: FreshTestDb, needs: number) {
  return parseEnv({ ...process.env, ...target.env, DEMO_NEEDS: String(needs), SEARCH_ENGINE: '', NODE_ENV: 'test' })
}

type Row = Record<string, unknown>

/** Every row of the tables demo data could touch, to compare before and after. */
async function snapshot(target: FreshTestDb) {
  const { db, close } = target.open()
  try {
    const dump = (table: string, order = 'id') => all<Row>(db, `select * from ${table} order by ${order}`)
    return {
      organisations: await dump('organisations'),
      users: await dump('users'),
      memberships: await dump('memberships', 'user_id, org_id'),
      needs: await dump('needs'),
      invitations: await dump('invitations'),
    }
  } finally {
    await close()
  }
}

async function realAgency(target: FreshTestDb) {
  const { db, close } = target.open()
  try {
    return await createAgency(db, {
      name: '扬州市工业和信息化局',
      regionCode: '321000',
      level: 'city',
      owner: { name: '张三', login: '13912345678', password: 'Strong-pass-2026' },
    })
  } finally {
    await close()
  }
}

describe('demo data next to a real agency', () => {
  it('npm start (seed/prepare.ts) leaves a real agency made by admin:create-agency alone', async () => {
    const file = await freshCopy()
    const agency = await realAgency(file)
    const before = await snapshot(file)
    expect(before.organisations).toHaveLength(1)

    // Default DEMO_NEEDS, started twice (a restart must not do it either).
    await prepare(envFor(file, 600), quiet)
    await prepare(envFor(file, 600), quiet)

    const after = await snapshot(file)
    expect(after).toEqual(before)
    // In particular: the demo agency owner (whose password is in the README) is nowhere.
    const demoUsers = after.users.filter((u) => DEMO_PHONES.includes(String(u.phone)))
    expect(demoUsers).toEqual([])
    expect(after.memberships).toEqual([expect.objectContaining({ org_id: agency.orgId, user_id: agency.userId, role: 'owner' })])
  })

  it('npm run seed refuses a database that holds a real organisation, --reset included', async () => {
    const file = await freshCopy()
    await realAgency(file)
    const before = await snapshot(file)
    for (const extra of [[], ['--reset']]) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'seed/cli.ts', '--needs', '20', '--db', file.where, ...extra], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...file.env },
      })
      expect(run.status, `${extra.join(' ')}: ${run.stderr}`).toBe(1)
      expect(run.stderr).toContain('真实组织')
    }
    expect(await snapshot(file)).toEqual(before)

    const { db, sqlite, close } = file.open()
    try {
      await expect(generateDemo(db, sqlite, { needs: 20 })).rejects.toBeInstanceOf(DemoRefusedError)
      await expect(resetDemoData(db)).rejects.toThrow(/真实组织/)
    } finally {
      await close()
    }
    expect(await snapshot(file)).toEqual(before)
  }, 60_000)
})

describe('demo data in an empty database', () => {
  it('creates organisations and accounts together, marked demo, each account owning a demo organisation', async () => {
    const file = await freshCopy()
    await prepare(envFor(file, 60), quiet)
    const { organisations, users, memberships, needs } = await snapshot(file)
    expect(organisations.length).toBeGreaterThan(60)
    expect(organisations.every((o) => o.is_demo === 1)).toBe(true)
    expect(needs).toHaveLength(60)
    // A small data set may lack an organisation one of them would own (a pending one, say).
    expect(users.length).toBeGreaterThanOrEqual(5)
    // Besides the demo accounts: the owners the diagnoses name, who cannot sign in (no phone, no password).
    for (const u of users.filter((x) => x.phone !== null)) expect(DEMO_PHONES).toContain(u.phone)
    for (const u of users.filter((x) => x.phone === null)) {
      expect(String(u.email)).toMatch(/@demo\.invalid$/)
      expect(u.password_hash).toBe('!demo-no-login')
    }
    expect(users.every((u) => u.is_demo === 1)).toBe(true)
    const demoOrgs = new Set(organisations.map((o) => o.id))
    // Every account owns its organisation but the demo expert (seed/experts.ts), who is in the 扬州 agency's 专家库.
    expect(memberships).toHaveLength(users.filter((u) => u.phone !== DEMO_EXPERT).length)
    for (const m of memberships) expect(demoOrgs.has(m.org_id)).toBe(true)

    // A restart adds nothing; a real agency made afterwards gets no demo owner either.
    await prepare(envFor(file, 60), quiet)
    const agency = await realAgency(file)
    await prepare(envFor(file, 60), quiet)
    const after = await snapshot(file)
    expect(after.users).toHaveLength(users.length + 1)
    expect(after.memberships.filter((m) => m.org_id === agency.orgId)).toEqual([
      expect.objectContaining({ user_id: agency.userId, role: 'owner' }),
    ])
  }, 60_000)

  it('DEMO_NEEDS=0 means no demo data at all', async () => {
    const file = await freshCopy()
    await prepare(envFor(file, 0), quiet)
    const { organisations, users } = await snapshot(file)
    expect(organisations).toEqual([])
    expect(users).toEqual([])
  })

  it('shows the demo banner while demo data is present, and not before', async () => {
    const page = async () => JSON.parse((await call(root, { path: '/' })).body) as { demo: boolean }
    expect(services().db).toBeDefined()
    expect((await page()).demo).toBe(false)
    // The app's own database, through a second connection as `npm run seed` would.
    const { db, sqlite, close } = openTestDb()
    try {
      await generateDemo(db, sqlite, { needs: 10, accounts: false })
    } finally {
      await close()
    }
    expect((await page()).demo).toBe(true)
  })
})
