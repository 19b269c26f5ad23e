import { Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { services } from '../../app/web/services.server.js'
import type { Database } from '../../db/connection.js'
import { migrationsFor } from '../../db/migrations/index.js'
import type { NeedScenarioCountsTable } from '../../db/types.js'
import { withTransaction } from '../../db/transaction.js'
import { generateDemo, resetDemoData } from '../../seed/demo-writer.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { freshTestDb, onPostgres, testDialect, twoInstances, type FreshTestDb } from '../support/test-db.js'

/*
 * need_scenario_counts (migration 2026-12-04T0100): how many needs of each region,
 * scenario, status and China year of first publication there are, kept by triggers on
 * needs and need_scenarios in every writing transaction; the agency dashboard sums them
 * instead of joining every need of a province to its scenarios. Whatever writes — an
 * edit replacing scenarios, a status change, a move to another region, a delete with
 * its cascade, the demo seed and its reset, two writers at once — they must say exactly
 * what counting the needs would. Runs on both dialects (`npm run test:pg` too).
 */

const db = () => services().db
const [one, two] = twoInstances('duijie-need-scenario-counts')
const fresh: FreshTestDb[] = []
let orgId = 0

beforeAll(async () => {
  orgId = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
})

afterAll(async () => {
  for (const target of fresh) await target.drop()
})

type CountRow = { region_code: string; scenario_code: string; status: string; year: number; n: number }

/** The China year of an instant (UTC+8), 0 for none: what the triggers key a need by. */
function chinaYear(at: unknown): number {
  if (at === null || at === undefined) return 0
  return new Date(new Date(at as string | Date).getTime() + 8 * 3_600_000).getUTCFullYear()
}

const key = (r: Omit<CountRow, 'n'>) => `${r.region_code}|${r.scenario_code}|${r.status}|${r.year}`

/** The kept counts (rows fallen to 0 left out) and a fresh count of the needs and their scenarios. */
async function countsOf(on: Database): Promise<{ kept: Record<string, number>; fresh: Record<string, number> }> {
  const kept: Record<string, number> = {}
  for (const r of await on.selectFrom('need_scenario_counts').selectAll().where('n', '<>', 0).execute()) {
    kept[key(r)] = Number(r.n)
  }
  const counted: Record<string, number> = {}
  const rows = await on
    .selectFrom('needs as n')
    .innerJoin('need_scenarios as s', 's.need_id', 'n.id')
    .select(['n.region_code', 's.scenario_code', 'n.status', 'n.published_at'])
    .execute()
  for (const r of rows) {
    const k = key({
      region_code: r.region_code,
      scenario_code: r.scenario_code,
      status: r.status,
      year: chinaYear(r.published_at),
    })
    counted[k] = (counted[k] ?? 0) + 1
  }
  return { kept, fresh: counted }
}

async function expectCountsCurrent(on: Database = db()): Promise<Record<string, number>> {
  const { kept, fresh } = await countsOf(on)
  expect(kept).toEqual(fresh)
  return fresh
}

async function keptOf(
  region: string,
  scenario: string,
  status: NeedScenarioCountsTable['status'],
  year: number,
): Promise<number> {
  const row = await db()
    .selectFrom('need_scenario_counts')
    .select('n')
    .where('region_code', '=', region)
    .where('scenario_code', '=', scenario)
    .where('status', '=', status)
    .where('year', '=', year)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

describe('need_scenario_counts', () => {
  it('follow a need from draft to publication, a scenario edit, a move, a status change and its delete', async () => {
    const before = await keptOf('321023', 'S401', 'published', 2026)
    const id = await insertNeed(db(), orgId, { status: 'draft', scenarios: ['S401', 'S402'] })
    await expectCountsCurrent()
    expect(await keptOf('321023', 'S401', 'draft', 0)).toBeGreaterThanOrEqual(1)

    // Published 2025-12-31 16:30 UTC: 2026-01-01 00:30 in China, so the year 2026.
    await db()
      .updateTable('needs')
      .set({ status: 'published', published_at: '2025-12-31T16:30:00.000Z' })
      .where('id', '=', id)
      .execute()
    await expectCountsCurrent()
    expect(await keptOf('321023', 'S401', 'published', 2026)).toBe(before + 1)

    // An edit replaces the scenarios (as authoring does: delete, then insert), in one transaction.
    await withTransaction(db(), async (trx) => {
      await trx.deleteFrom('need_scenarios').where('need_id', '=', id).execute()
      await trx.insertInto('need_scenarios').values({ need_id: id, scenario_code: 'S403' }).execute()
    })
    await expectCountsCurrent()
    expect(await keptOf('321023', 'S401', 'published', 2026)).toBe(before)

    // A row update that changes none of the key (the revision) leaves the counts alone.
    await db().updateTable('needs').set({ revision: 2 }).where('id', '=', id).execute()
    await expectCountsCurrent()

    await db().updateTable('needs').set({ region_code: '321084' }).where('id', '=', id).execute()
    await expectCountsCurrent()
    await db().updateTable('needs').set({ status: 'withdrawn' }).where('id', '=', id).execute()
    await expectCountsCurrent()
    expect(await keptOf('321084', 'S403', 'withdrawn', 2026)).toBeGreaterThanOrEqual(1)

    // Deleting the need takes its scenarios with it (the cascade): counted off once, not twice.
    await db().deleteFrom('needs').where('id', '=', id).execute()
    await expectCountsCurrent()
  })

  it('hold when writers replace each other’s scenarios at once (no deadlock on PostgreSQL)', async () => {
    const ids = [] as number[]
    for (let i = 0; i < 8; i++) ids.push(await insertNeed(db(), orgId, { status: 'draft', scenarios: [i % 2 ? 'S401' : 'S402'] }))
    const swap = (on: Database, id: number, from: string, to: string) =>
      withTransaction(on, async (trx) => {
        await trx.deleteFrom('need_scenarios').where('need_id', '=', id).where('scenario_code', '=', from).execute()
        await trx.insertInto('need_scenarios').values({ need_id: id, scenario_code: to }).execute()
      })
    const writes = ids.map((id, i) => () => swap(i % 2 ? one : two, id, i % 2 ? 'S401' : 'S402', i % 2 ? 'S402' : 'S401'))
    // PostgreSQL: all at once. SQLite has one writer at a time (a second handle in this
    // process would wait on the first).
    if (onPostgres) await Promise.all(writes.map((w) => w()))
    else for (const w of writes) await w()
    await expectCountsCurrent(one)
  })

  it('are kept by the demo seed and its reset', async () => {
    const target = await freshTestDb('need_scenario_counts')
    fresh.push(target)
    const { db: seeded, sqlite, close } = target.open()
    try {
      await generateDemo(seeded, sqlite, { needs: 40, accounts: false })
      expect(Object.keys(await expectCountsCurrent(seeded)).length).toBeGreaterThan(3)
      await resetDemoData(seeded)
      expect(await expectCountsCurrent(seeded)).toEqual({})
      await generateDemo(seeded, sqlite, { needs: 25, accounts: false })
      await expectCountsCurrent(seeded)
    } finally {
      await close()
    }
  })

  it('go down with their triggers and come up again counting what is there', async () => {
    const target = await freshTestDb('need_scenario_counts_migration')
    fresh.push(target)
    const { db: on, sqlite, close } = target.open()
    const migrator = new Migrator({ db: on, provider: { getMigrations: async () => migrationsFor(testDialect) } })
    const migrateTo = async (name: string) => {
      const { error } = await migrator.migrateTo(name)
      if (error) throw error instanceof Error ? error : new Error(`migration to ${name} failed`)
    }
    try {
      await generateDemo(on, sqlite, { needs: 30, accounts: false })
      const counted = await expectCountsCurrent(on)
      await migrateTo('2026-12-03T0800-event-intent-live-key')
      // Without the table, writes go on (no trigger is left behind to refer to it).
      const enterprise = await on.selectFrom('needs').select('org_id').executeTakeFirstOrThrow()
      await insertNeed(on, enterprise.org_id, { scenarios: ['S401'] })
      await sql`delete from need_scenarios where need_id = (select min(id) from needs)`.execute(on)
      await migrateTo('2026-12-04T0100-need-scenario-counts')
      const after = await expectCountsCurrent(on)
      expect(after).not.toEqual(counted)
    } finally {
      await close()
    }
  })
})
