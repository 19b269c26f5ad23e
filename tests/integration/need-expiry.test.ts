import { beforeAll, describe, expect, it } from 'vitest'
import { expireNeeds } from '../../app/domain/needs/expiry.server.js'
import { addDays, chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as hallRoute from '../../app/routes/needs._index.js'
import { scheduledJobs } from '../../app/web/jobs.server.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { insertNeed, insertOrg, type NeedOverrides } from '../support/factories.js'
import { call } from '../support/http.js'
import { auditRows, db, parse } from '../support/provider-world.js'

/*
 * Expiry: a published need past its deadline (投标截止, a date in China) becomes expired
 * by the platform, in bounded batches, audited as the system, and leaves the hall at
 * once; nothing else is touched. Runs as the hourly `need-expiry` job (and
 * `npm run needs:expire`), never on page views.
 */

const today = chinaDate()
let orgId: number

async function need(deadline: string | null, o: NeedOverrides = {}): Promise<number> {
  const id = await insertNeed(db(), orgId, o)
  await db().updateTable('needs').set({ deadline }).where('id', '=', id).execute()
  await withTransaction(db(), (trx, afterCommit) => enqueueNeedChange(trx, afterCommit, id))
  return id
}

const statusOf = async (id: number) =>
  (await db().selectFrom('needs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

async function hall(q: string): Promise<number[]> {
  const outcome = await call(hallRoute, {
    path: `/needs?q=${encodeURIComponent(q)}`,
    ip: `192.0.2.${Math.floor(Math.random() * 200)}`,
  })
  return parse(outcome).result.items.map((i: { id: number }) => i.id)
}

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  orgId = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
})

describe('expireNeeds', () => {
  it('expires published needs whose deadline passed, audited as the system, and drops them from the hall', async () => {
    const past = await need(addDays(today, -1), {
      title: '过期的热处理炉温控改造',
      description: '热处理炉温度控制依赖人工，需要改造。',
    })
    const dueToday = await need(today, { title: '今天截止的热处理需求' })
    const future = await need(addDays(today, 10))
    const noDeadline = await need(null)
    const withdrawn = await need(addDays(today, -5), { status: 'withdrawn' })
    const draft = await need(addDays(today, -5), { status: 'draft' })
    const shortlisting = await need(addDays(today, -5), { status: 'shortlisting' })
    expect(await hall('热处理炉')).toContain(past)

    const result = await expireNeeds(db())
    expect(result.expired).toBeGreaterThanOrEqual(1)
    expect(await statusOf(past)).toBe('expired')
    for (const id of [dueToday, future, noDeadline]) expect(await statusOf(id)).toBe('published')
    expect(await statusOf(withdrawn)).toBe('withdrawn')
    expect(await statusOf(draft)).toBe('draft')
    expect(await statusOf(shortlisting)).toBe('shortlisting')

    const [audit] = await auditRows('need.expired', 'need', past)
    expect(audit).toMatchObject({ actor_user_id: null, actor_org_id: null, region_code: '321023' })
    expect(JSON.parse(audit!.detail)).toMatchObject({ from: 'published', to: 'expired', by: 'system' })
    expect(await hall('热处理炉')).not.toContain(past)

    // Again: nothing left to do.
    expect((await expireNeeds(db())).expired).toBe(0)
  })

  it('counts days in China: a deadline of today expires once midnight passes in Beijing', async () => {
    const id = await need(today)
    // 23:59 in Beijing on the deadline: still open.
    const lastMinute = new Date(`${today}T15:59:00Z`)
    await expireNeeds(db(), lastMinute)
    expect(await statusOf(id)).toBe('published')
    // 00:30 the next day in Beijing (16:30 UTC on the deadline).
    await expireNeeds(db(), new Date(`${today}T16:30:00Z`))
    expect(await statusOf(id)).toBe('expired')
  })

  it('works in bounded batches', async () => {
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push(await need(addDays(today, -2)))
    const { expired, batches } = await expireNeeds(db(), new Date(), { batchSize: 2 })
    expect(expired).toBe(5)
    expect(batches).toBe(3)
    for (const id of ids) expect(await statusOf(id)).toBe('expired')
  })

  it('is the need-expiry job, hourly', async () => {
    const job = scheduledJobs({ db: db(), indexer: services().indexer }).find((j) => j.name === 'need-expiry')
    expect(job?.everyMs).toBe(60 * 60_000)
    const id = await need(addDays(today, -3))
    await job!.run()
    expect(await statusOf(id)).toBe('expired')
  })
})
