import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { countPlatformStats, foldPostgresStats, getPlatformStats } from '../../app/domain/needs/stats.server.js'
import type { Database } from '../../db/connection.js'
import { createPostgresDb } from '../../db/postgres.js'
import { insertNeed, insertOrg } from '../support/factories.js'

// The home figures on PostgreSQL, where several instances (each a pool) share one
// database: a table of appended changes kept by the triggers the app installs
// (app/domain/needs/stats.server.ts). Every instance must read what a fresh count says.

const url = process.env.DATABASE_URL
const pools: Database[] = []
function instance(): Database {
  const { db } = createPostgresDb(url!, { max: 4, applicationName: 'duijie-test-stats' })
  pools.push(db)
  return db
}

afterAll(async () => {
  for (const db of pools) await db.destroy()
})

async function keptRows(db: Database): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from duijie_platform_stats`.execute(db)
  return Number(r.rows[0]!.n)
}

describe.skipIf(!url)('home figures on PostgreSQL, across instances', () => {
  const a = url ? instance() : (null as unknown as Database)
  const b = url ? instance() : (null as unknown as Database)

  it('install once when two instances start together, counted afresh', async () => {
    const enterprise = await insertOrg(a, { kind: 'enterprise', status: 'verified' })
    await insertNeed(a, enterprise, { status: 'published' })
    const [fromA, fromB] = await Promise.all([getPlatformStats(a), getPlatformStats(b)])
    const fresh = await countPlatformStats(a)
    expect(fromA).toEqual(fresh)
    expect(fromB).toEqual(fresh)
    const triggers = await sql<{
      name: string
    }>`select tgname as name from pg_trigger where tgname like 'duijie_stats_%' order by 1`.execute(a)
    expect(triggers.rows.map((r) => r.name)).toEqual([
      'duijie_stats_need_del',
      'duijie_stats_need_ins',
      'duijie_stats_need_upd',
      'duijie_stats_org_del',
      'duijie_stats_org_ins',
      'duijie_stats_org_upd',
    ])
  })

  it('stay equal to a fresh count on every instance after concurrent writes through both', async () => {
    const orgs: number[] = []
    for (let i = 0; i < 6; i++) {
      orgs.push(
        await insertOrg(i % 2 ? a : b, { kind: i % 3 === 0 ? 'provider' : 'enterprise', status: i % 2 ? 'verified' : 'pending' }),
      )
    }
    const needs: number[] = []
    for (let i = 0; i < 24; i++)
      needs.push(await insertNeed(i % 2 ? a : b, orgs[i % orgs.length]!, { status: i % 4 ? 'published' : 'draft' }))
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const db = i % 2 ? a : b
        const need = needs[(i * 7) % needs.length]!
        const org = orgs[i % orgs.length]!
        await db.transaction().execute(async (trx) => {
          if (i % 6 === 0)
            await trx
              .updateTable('needs')
              .set({ status: 'published', published_at: new Date().toISOString() })
              .where('id', '=', need)
              .execute()
          if (i % 6 === 1) await trx.updateTable('needs').set({ status: 'withdrawn' }).where('id', '=', need).execute()
          if (i % 6 === 2)
            await trx
              .updateTable('needs')
              .set({ budget_max_wan: 300 + i })
              .where('id', '=', need)
              .execute()
          if (i % 6 === 3) await insertNeed(trx, org, { status: 'published' })
          if (i % 6 === 4)
            await trx
              .updateTable('organisations')
              .set({ status: i % 4 ? 'verified' : 'pending' })
              .where('id', '=', org)
              .execute()
          if (i % 6 === 5)
            await trx
              .updateTable('needs')
              .set({ visibility: i % 4 ? 'public' : 'verified_providers' })
              .where('id', '=', need)
              .execute()
        })
      }),
    )
    const fresh = await countPlatformStats(a)
    expect(await getPlatformStats(a)).toEqual(fresh)
    expect(await getPlatformStats(b)).toEqual(fresh)
  })

  it('ignore a write that rolls back, and count a multi-row statement once', async () => {
    const before = await getPlatformStats(a)
    const org = await insertOrg(a, { kind: 'enterprise', status: 'pending' })
    const n1 = await insertNeed(a, org, { status: 'published' })
    const n2 = await insertNeed(a, org, { status: 'published' })
    expect(await getPlatformStats(b)).toEqual(before)
    await expect(
      b.transaction().execute(async (trx) => {
        await trx.updateTable('organisations').set({ status: 'verified' }).where('id', '=', org).execute()
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await getPlatformStats(a)).toEqual(before)
    await b.updateTable('organisations').set({ status: 'verified' }).where('id', '=', org).execute()
    const approved = await getPlatformStats(a)
    expect(approved).toEqual({
      ...before,
      enterprises: before.enterprises + 1,
      openNeeds: before.openNeeds + 2,
      publicNeeds: before.publicNeeds + 2,
      openBudgetWan: before.openBudgetWan + 600,
    })
    // One statement withdrawing both.
    await a.updateTable('needs').set({ status: 'withdrawn' }).where('id', 'in', [n1, n2]).execute()
    expect(await getPlatformStats(b)).toEqual({
      ...approved,
      openNeeds: before.openNeeds,
      publicNeeds: before.publicNeeds,
      openBudgetWan: before.openBudgetWan,
    })
    expect(await getPlatformStats(b)).toEqual(await countPlatformStats(b))
  })

  it('fold many appended rows into one without changing the figures', async () => {
    const org = await insertOrg(a, { kind: 'enterprise', status: 'verified' })
    const need = await insertNeed(a, org, { status: 'published' })
    for (let i = 0; i < 70; i++)
      await b
        .updateTable('needs')
        .set({ budget_max_wan: 300 + i })
        .where('id', '=', need)
        .execute()
    expect(await keptRows(a)).toBeGreaterThan(64)
    const figures = await getPlatformStats(a)
    expect(figures).toEqual(await countPlatformStats(a))
    expect(await keptRows(a)).toBe(1)
    // Two folds at once keep the total.
    await a.updateTable('needs').set({ budget_max_wan: 500 }).where('id', '=', need).execute()
    await Promise.all([foldPostgresStats(a), foldPostgresStats(b)])
    expect(await getPlatformStats(b)).toEqual(await countPlatformStats(b))
  })

  it('are installed and counted again by an instance running a different rule', async () => {
    // As if another version had installed its own triggers and figures.
    await sql`comment on table duijie_platform_stats is 'another-rule'`.execute(a)
    await sql`insert into duijie_platform_stats values (1000, 1000, 1000, 1000, 1000)`.execute(a)
    const restarted = instance()
    expect(await getPlatformStats(restarted)).toEqual(await countPlatformStats(restarted))
    expect(await keptRows(restarted)).toBe(1)
    // The figures are the database's: the instances that were running read them too.
    expect(await getPlatformStats(a)).toEqual(await countPlatformStats(a))
  })
})
