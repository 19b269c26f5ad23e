import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { expertPool } from '../../app/domain/pool/reviews.server.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 15 slice P: the demo's provider pool (seed/pool.ts) — an open round of the 扬州
 * agency with a quota, 服务商 B's application under review by the demo expert.
 */

const fresh: FreshTestDb[] = []
let db: Database
let close: () => Promise<void>

beforeAll(async () => {
  const target = await freshTestDb('demo_pool')
  fresh.push(target)
  const opened = target.open()
  db = opened.db
  close = opened.close
  await generateDemo(opened.db, opened.sqlite, { needs: 2000, seed: 42 })
}, 120_000)

afterAll(async () => {
  await close?.()
  for (const target of fresh) await target.drop()
})

describe('demo provider pool', () => {
  it('has an open round with 服务商 B under the demo expert’s review', async () => {
    const rounds = await all<{ id: number; status: string }>(db, 'select id, status from pool_rounds')
    const providerB = await all<{ id: number }>(db, `select id from users where phone = '13900000012'`)
    if (providerB.length === 0) {
      // A demo too small for 服务商 B's account writes no pool.
      expect(rounds).toHaveLength(0)
      return
    }
    expect(rounds).toHaveLength(1)
    expect(rounds[0]!.status).toBe('open')
    const apps = await all<{ status: string; phone: string }>(
      db,
      `select a.status, u.phone from pool_applications a join memberships m on m.org_id = a.provider_org_id
       join users u on u.id = m.user_id where u.phone = '13900000012'`,
    )
    expect(apps).toEqual([{ status: 'reviewing', phone: '13900000012' }])
    const expert = await all<{ id: number }>(db, `select id from users where phone = '13900000031'`)
    const tasks = await expertPool(
      db,
      { userId: expert[0]!.id, org: null, regionCode: null, ip: '', contactVerified: true },
      { page: 1 },
      'zh-CN',
    )
    expect(tasks.tasks).toHaveLength(1)
    expect(tasks.tasks[0]!.open).toBe(true)
  })
})
