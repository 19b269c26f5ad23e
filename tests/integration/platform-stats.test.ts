import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import {
  configureStatsCount,
  countPlatformStats,
  getPlatformStats,
  type PlatformStats,
} from '../../app/domain/needs/stats.server.js'
import * as home from '../../app/routes/_index.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'
import { openTestDb } from '../support/test-db.js'

const db = () => services().db
let agency: string

/** The figures the home page shows, through its loader. */
async function homeStats(): Promise<PlatformStats> {
  const page = await call(home, { path: '/' })
  expect(page.status).toBe(200)
  return (JSON.parse(page.body) as { stats: PlatformStats }).stats
}

/** The kept figures, on the page and from the module, equal a fresh count. */
async function expectCurrent(): Promise<PlatformStats> {
  const fresh = await countPlatformStats(db())
  expect(await getPlatformStats(db())).toEqual(fresh)
  expect(await homeStats()).toEqual(fresh)
  return fresh
}

/** A write as a use case makes it: one transaction, the need queued for the index. */
async function setNeed(
  id: number,
  values: { status?: 'published' | 'withdrawn' | 'draft'; visibility?: 'public' | 'verified_providers'; budget_max_wan?: number },
) {
  await withTransaction(db(), async (trx, afterCommit) => {
    await trx
      .updateTable('needs')
      .set({ ...values, ...(values.status === 'published' ? { published_at: new Date().toISOString() } : {}) })
      .where('id', '=', id)
      .execute()
    await enqueueNeedChange(trx, afterCommit, id)
  })
}

async function decide(orgId: number, form: Record<string, string>) {
  // A decision names the revision of the application it was made on.
  const { revision } = await db().selectFrom('organisations').select('revision').where('id', '=', orgId).executeTakeFirstOrThrow()
  const outcome = await call(auditDetail, {
    method: 'POST',
    path: `/agency/audits/${orgId}`,
    params: { orgId: String(orgId) },
    form: { ...form, revision: String(revision) },
    cookie: agency,
  })
  expect(outcome.status).toBe(302)
}

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const yz = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
  const u = await insertUser(db())
  await addMember(db(), u.id, yz)
  agency = (await signIn(db(), u.id, yz)).cookie
})

afterEach(() => {
  vi.useRealTimers()
})

describe('home page figures (kept, not counted per request)', () => {
  it('stay equal to a fresh count as needs are published, changed and withdrawn', async () => {
    const enterprise = await insertOrg(db(), { kind: 'enterprise', status: 'verified' })
    await insertNeed(db(), enterprise, { status: 'published' })
    const before = await expectCurrent()

    const need = await insertNeed(db(), enterprise, { status: 'draft' })
    expect(await expectCurrent()).toEqual(before)

    await setNeed(need, { status: 'published' })
    const published = await expectCurrent()
    expect(published.openNeeds).toBe(before.openNeeds + 1)
    expect(published.publicNeeds).toBe(before.publicNeeds + 1)
    expect(published.openBudgetWan).toBe(before.openBudgetWan + 300)

    await setNeed(need, { budget_max_wan: 450 })
    expect((await expectCurrent()).openBudgetWan).toBe(before.openBudgetWan + 450)

    // Visible to verified providers only: no longer among the public figures.
    await setNeed(need, { visibility: 'verified_providers' })
    expect(await expectCurrent()).toEqual(before)
    await setNeed(need, { visibility: 'public' })
    expect((await expectCurrent()).openNeeds).toBe(before.openNeeds + 1)

    await setNeed(need, { status: 'withdrawn' })
    expect(await expectCurrent()).toEqual(before)

    await db().deleteFrom('need_scenarios').where('need_id', '=', need).execute()
    await db().deleteFrom('needs').where('id', '=', need).execute()
    expect(await expectCurrent()).toEqual(before)
  })

  it('follow the onboarding audit: approving an organisation counts it and its needs, rejecting does not', async () => {
    const before = await expectCurrent()

    const enterprise = await insertOrg(db(), { kind: 'enterprise', status: 'pending' })
    await insertNeed(db(), enterprise, { status: 'published' })
    await insertNeed(db(), enterprise, { status: 'published', visibility: 'verified_providers' })
    expect(await expectCurrent()).toEqual(before)

    await decide(enterprise, { intent: 'approve' })
    const approved = await expectCurrent()
    expect(approved).toEqual({
      ...before,
      enterprises: before.enterprises + 1,
      openNeeds: before.openNeeds + 1,
      publicNeeds: before.publicNeeds + 1,
      openBudgetWan: before.openBudgetWan + 300,
    })

    // An organisation without needs queues nothing for the search index, and still counts.
    const provider = await insertOrg(db(), { kind: 'provider', status: 'pending' })
    await decide(provider, { intent: 'approve' })
    expect((await expectCurrent()).providers).toBe(before.providers + 1)

    const rejected = await insertOrg(db(), { kind: 'enterprise', status: 'pending' })
    await insertNeed(db(), rejected, { status: 'published' })
    await decide(rejected, { intent: 'reject', reason: '营业执照名称与组织名称不一致' })
    expect((await expectCurrent()).enterprises).toBe(before.enterprises + 1)
  })

  it('ignore a write that rolls back', async () => {
    const enterprise = await insertOrg(db(), { kind: 'enterprise', status: 'verified' })
    const need = await insertNeed(db(), enterprise, { status: 'draft' })
    const before = await expectCurrent()
    await expect(
      withTransaction(db(), async (trx) => {
        await trx
          .updateTable('needs')
          .set({ status: 'published', published_at: new Date().toISOString() })
          .where('id', '=', need)
          .execute()
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await expectCurrent()).toEqual(before)
  })

  it('stay exact when writes land while the figures are being counted, slice by slice', async () => {
    // A connection of its own: its figures are counted from scratch, in slices of 3 ids.
    const previous = configureStatsCount({ needs: 3, organisations: 2 })
    const { db: conn, close } = openTestDb()
    try {
      const orgs: number[] = []
      for (let i = 0; i < 6; i++) {
        orgs.push(
          await insertOrg(conn, { kind: i % 3 === 0 ? 'provider' : 'enterprise', status: i % 2 === 0 ? 'verified' : 'pending' }),
        )
      }
      const needs: number[] = []
      for (let i = 0; i < 30; i++) {
        needs.push(await insertNeed(conn, orgs[i % orgs.length]!, { status: i % 3 === 0 ? 'draft' : 'published' }))
      }
      const counting = getPlatformStats(conn)
      // Writes in between the slices: publish, withdraw, re-budget, insert, audit.
      for (let i = 0; i < 30; i++) {
        const need = needs[(i * 7) % needs.length]!
        const org = orgs[i % orgs.length]!
        if (i % 5 === 0)
          await conn
            .updateTable('needs')
            .set({ status: 'published', published_at: new Date().toISOString() })
            .where('id', '=', need)
            .execute()
        if (i % 5 === 1) await conn.updateTable('needs').set({ status: 'withdrawn' }).where('id', '=', need).execute()
        if (i % 5 === 2)
          await conn
            .updateTable('needs')
            .set({ budget_max_wan: 300 + i })
            .where('id', '=', need)
            .execute()
        if (i % 5 === 3) needs.push(await insertNeed(conn, org, { status: 'published' }))
        if (i % 5 === 4) {
          const status = i % 2 === 0 ? 'pending' : 'verified'
          await conn.updateTable('organisations').set({ status }).where('id', '=', org).execute()
        }
        await new Promise((resolve) => setImmediate(resolve))
      }
      await counting
      expect(await getPlatformStats(conn)).toEqual(await countPlatformStats(conn))
    } finally {
      configureStatsCount(previous)
      await close()
    }
  })

  it('pick up writes committed by another process, counted afresh', async () => {
    // Counted again at most every few seconds: move the clock past that each time.
    vi.useFakeTimers({ toFake: ['Date'] })
    const later = () => vi.setSystemTime(Date.now() + 60_000)
    later()
    const before = await expectCurrent()
    // Another process's connection to the same database.
    const other = openTestDb()
    try {
      const enterprise = await insertOrg(other.db, { kind: 'enterprise', status: 'verified' })
      await insertNeed(other.db, enterprise, { status: 'published' })
    } finally {
      await other.close()
    }
    later()
    const after = await expectCurrent()
    expect(after.enterprises).toBe(before.enterprises + 1)
    expect(after.openNeeds).toBe(before.openNeeds + 1)
  })
})
