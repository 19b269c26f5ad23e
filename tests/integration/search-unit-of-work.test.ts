import { beforeAll, describe, expect, it, vi } from 'vitest'
import { enqueueNeedChange, enqueueNeedsOfOrg, NEEDS_INDEX } from '../../app/domain/needs/search-index.server.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { onSearchOutboxCommitted } from '../../search/outbox.js'
import { insertNeed, insertOrg } from '../support/factories.js'

// A use case writes in withTransaction and enqueues; services() has subscribed the
// indexer to the outbox, so the index is current when the use case returns.

const db = () => services().db
const found = async (text: string) => (await services().search.search(NEEDS_INDEX, { text })).total
const outbox = async () =>
  Number(
    (
      await db()
        .selectFrom('search_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

let orgId = 0
beforeAll(async () => {
  await services().indexer.ensureIndexes()
  orgId = await insertOrg(db(), { name: '扬州宝应精工机械有限公司', region: '321023' })
})

describe('withTransaction + enqueue through services()', () => {
  it('has the index updated when the unit of work returns, with no explicit flush', async () => {
    await withTransaction(db(), async (trx, afterCommit) => {
      const id = await insertNeed(trx, orgId, { title: '注塑车间能耗在线监测' })
      await enqueueNeedChange(trx, afterCommit, id)
    })
    expect(await found('能耗')).toBe(1)
    expect(await outbox()).toBe(0)
  })

  it('indexes nothing and leaves no row when the unit of work rolls back', async () => {
    await expect(
      withTransaction(db(), async (trx, afterCommit) => {
        const id = await insertNeed(trx, orgId, { title: '涂装线视觉质检' })
        await enqueueNeedChange(trx, afterCommit, id)
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect(await found('涂装')).toBe(0)
    expect(await outbox()).toBe(0)
  })

  it('notifies once per transaction however many rows it enqueues', async () => {
    const listener = vi.fn()
    const unsubscribe = onSearchOutboxCommitted(listener)
    try {
      const pending = await insertOrg(db(), { status: 'pending' })
      for (const title of ['仓储物流一', '仓储物流二', '仓储物流三']) await insertNeed(db(), pending, { title })
      await withTransaction(db(), async (trx, afterCommit) => {
        await trx.updateTable('organisations').set({ status: 'verified' }).where('id', '=', pending).execute()
        await enqueueNeedsOfOrg(trx, afterCommit, pending)
      })
      expect(listener).toHaveBeenCalledOnce()
      expect(await found('仓储')).toBe(3)
    } finally {
      unsubscribe()
    }
    await withTransaction(db(), async (trx, afterCommit) => enqueueNeedChange(trx, afterCommit, 1))
    expect(listener).toHaveBeenCalledOnce()
  })

  it('commits the write when the engine fails; the outbox keeps the change for the next flush', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const upsert = vi.spyOn(services().search, 'upsert').mockRejectedValueOnce(new Error('engine down'))
    try {
      await withTransaction(db(), async (trx, afterCommit) => {
        const id = await insertNeed(trx, orgId, { title: '锅炉预测性维护' })
        await enqueueNeedChange(trx, afterCommit, id)
      })
      expect(upsert).toHaveBeenCalled()
      expect(error).toHaveBeenCalled()
    } finally {
      upsert.mockRestore()
      error.mockRestore()
    }
    expect(await found('锅炉')).toBe(0)
    expect(await outbox()).toBe(1)

    // The next committed change flushes everything waiting.
    await withTransaction(db(), async (trx, afterCommit) => {
      const id = await insertNeed(trx, orgId, { title: '空压站节能改造' })
      await enqueueNeedChange(trx, afterCommit, id)
    })
    expect(await found('锅炉')).toBe(1)
    expect(await found('空压')).toBe(1)
    expect(await outbox()).toBe(0)
  })
})
