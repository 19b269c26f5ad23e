import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Database } from '../../db/connection.js'
import type { SearchDocument, SearchEngine } from '../../search/engine.js'
import { createIndexer, type IndexedType, type IndexerOptions } from '../../search/indexer.js'
import { claimSearchOutbox, completeSearchClaims } from '../../search/outbox.js'
import { twoInstances } from '../support/test-db.js'

// Several app instances flushing one search outbox (issue 10): each entry applied by
// one instance, one entity in one instance's hands at a time, a crashed instance's
// claims retried after their lease. Two connections stand for two instances: two
// better-sqlite3 handles on the file on SQLite, two pools under `npm run test:pg`.

const [one, two] = twoInstances('duijie-test-claims')

const ENTITY = 'claimtest'

/** An engine that remembers every write, slowly enough for two flushes to interleave. */
function recordingEngine(delayMs = 2) {
  const writes: string[] = []
  const engine: SearchEngine = {
    name: 'recording',
    ensureIndex: async () => undefined,
    upsert: async (_index, docs) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      writes.push(...docs.map((d) => d.id))
    },
    delete: async (_index, ids) => {
      writes.push(...ids.map((id) => `deleted:${id}`))
    },
    clear: async () => undefined,
    search: () => Promise.reject(new Error('not used')),
    count: async () => writes.length,
  }
  return { engine, writes }
}

/** An indexed type whose every entity has a document; `loads` lists the ids each load asked for. */
function countingType(onLoad?: (ids: readonly number[]) => Promise<void>) {
  const loads: number[][] = []
  const type: IndexedType = {
    entityType: ENTITY,
    index: 'test_claims',
    settings: { filterable: [], sortable: [] },
    documentVersion: 1,
    documentId: (id) => `c-${id}`,
    async loadDocuments(_db, ids) {
      loads.push([...ids])
      await onLoad?.(ids)
      return new Map(
        ids.map((id): [number, SearchDocument] => [
          id,
          { id: `c-${id}`, title: `t${id}`, body: '', attributes: {}, display: {} },
        ]),
      )
    },
    listIds: async () => [],
    countIds: async () => 0,
  }
  return { type, loads }
}

async function enqueue(entityIds: readonly number[]) {
  for (let i = 0; i < entityIds.length; i += 200) {
    await one
      .insertInto('search_outbox')
      .values(
        entityIds.slice(i, i + 200).map((id) => ({ entity_type: ENTITY, entity_id: id, created_at: new Date().toISOString() })),
      )
      .execute()
  }
}

async function outboxRows() {
  return one
    .selectFrom('search_outbox')
    .select(['id', 'entity_id', 'claimed_by'])
    .where('entity_type', '=', ENTITY)
    .orderBy('id')
    .execute()
}

function indexer(db: Database, engine: SearchEngine, type: IndexedType, options: IndexerOptions) {
  return createIndexer(db, engine, [type], options)
}

beforeEach(async () => {
  await one.deleteFrom('search_outbox').where('entity_type', '=', ENTITY).execute()
})

describe('search outbox claims across instances', () => {
  it('applies each of 300 entries exactly once when two instances flush at the same time', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i + 1)
    await enqueue(ids)
    const a = recordingEngine()
    const b = recordingEngine()
    const typeA = countingType()
    const typeB = countingType()
    const [doneA, doneB] = await Promise.all([
      indexer(one, a.engine, typeA.type, { holder: 'instance-a' }).processOutbox({ batchSize: 7 }),
      indexer(two, b.engine, typeB.type, { holder: 'instance-b' }).processOutbox({ batchSize: 7 }),
    ])
    expect(doneA + doneB).toBe(300)
    // Both took part (each batch waits on its engine, so the other claims meanwhile).
    expect(Math.min(doneA, doneB)).toBeGreaterThan(0)
    const written = [...a.writes, ...b.writes].sort()
    expect(written).toEqual(ids.map((id) => `c-${id}`).sort())
    const loaded = [...typeA.loads.flat(), ...typeB.loads.flat()].sort((x, y) => x - y)
    expect(loaded).toEqual(ids)
    expect(await outboxRows()).toEqual([])
  })

  it('never puts one entity in two instances’ hands: a row of a held entity waits for its holder', async () => {
    await enqueue([1, 2, 1])
    // Instance A claims the first row (entity 1) and is busy with it.
    const held = await claimSearchOutbox(one, { holder: 'instance-a', upToId: 1e9, limit: 1, leaseMs: 60_000, now: Date.now() })
    expect(held.map((r) => r.entity_id)).toEqual([1])

    const b = recordingEngine()
    const typeB = countingType()
    const flushB = indexer(two, b.engine, typeB.type, { holder: 'instance-b', waitForOthersMs: 0 })
    expect(await flushB.processOutbox()).toBe(1)
    expect(typeB.loads.flat()).toEqual([2])
    expect((await outboxRows()).map((r) => [r.entity_id, r.claimed_by])).toEqual([
      [1, 'instance-a'],
      [1, null],
    ])

    // Once A is done, entity 1's later row is free.
    await completeSearchClaims(
      one,
      'instance-a',
      held.map((r) => r.id),
    )
    expect(await flushB.processOutbox()).toBe(1)
    expect(typeB.loads.flat()).toEqual([2, 1])
    expect(await outboxRows()).toEqual([])
  })

  it('waits a little for another instance busy with the same entity, so a flush after a write sees it applied', async () => {
    await enqueue([5, 5])
    const held = await claimSearchOutbox(one, { holder: 'instance-a', upToId: 1e9, limit: 1, leaseMs: 60_000, now: Date.now() })
    const b = recordingEngine()
    const typeB = countingType()
    const started = Date.now()
    setTimeout(
      () =>
        void completeSearchClaims(
          one,
          'instance-a',
          held.map((r) => r.id),
        ),
      150,
    )
    expect(await indexer(two, b.engine, typeB.type, { holder: 'instance-b', waitForOthersMs: 5_000 }).processOutbox()).toBe(1)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(b.writes).toEqual(['c-5'])
    expect(await outboxRows()).toEqual([])
  })

  it('retries a crashed instance’s claims once their lease has run out', async () => {
    await enqueue([7, 8])
    const t0 = Date.now()
    await claimSearchOutbox(one, { holder: 'crashed', upToId: 1e9, limit: 10, leaseMs: 60_000, now: t0 })
    const b = recordingEngine()
    const typeB = countingType()
    let clock = t0 + 5_000
    const flushB = indexer(two, b.engine, typeB.type, { holder: 'instance-b', now: () => clock })
    // The claim is 5 s old and still leased: not taken, and not waited for (older than waitForOthersMs).
    const before = Date.now()
    expect(await flushB.processOutbox()).toBe(0)
    expect(Date.now() - before).toBeLessThan(1_000)
    expect(b.writes).toEqual([])
    clock = t0 + 60_001
    expect(await flushB.processOutbox()).toBe(2)
    expect(b.writes.sort()).toEqual(['c-7', 'c-8'])
    expect(await outboxRows()).toEqual([])
  })

  it('does not write a batch whose claim was lost meanwhile; its new holder applies it', async () => {
    await enqueue([9])
    const a = recordingEngine()
    // While A loads, its lease runs out and instance B takes the row over.
    const typeA = countingType(async (ids) => {
      await two
        .updateTable('search_outbox')
        .set({ claimed_by: 'instance-b', claimed_until: Date.now() + 60_000 })
        .where('entity_id', 'in', [...ids])
        .where('entity_type', '=', ENTITY)
        .execute()
    })
    const errors: unknown[] = []
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => errors.push(args[0]))
    try {
      expect(await indexer(one, a.engine, typeA.type, { holder: 'instance-a', waitForOthersMs: 0 }).processOutbox()).toBe(0)
    } finally {
      spy.mockRestore()
    }
    expect(a.writes).toEqual([])
    expect(String(errors[0])).toContain('lost the claim')
    expect((await outboxRows()).map((r) => r.claimed_by)).toEqual(['instance-b'])
  })

  it('gives the rows back when the engine fails, for the next flush of any instance', async () => {
    await enqueue([11, 12])
    const failing: SearchEngine = {
      ...recordingEngine().engine,
      upsert: () => Promise.reject(new Error('engine down')),
    }
    await expect(indexer(one, failing, countingType().type, { holder: 'instance-a' }).processOutbox()).rejects.toThrow(
      'engine down',
    )
    expect((await outboxRows()).map((r) => r.claimed_by)).toEqual([null, null])
    const b = recordingEngine()
    expect(await indexer(two, b.engine, countingType().type, { holder: 'instance-b', waitForOthersMs: 0 }).processOutbox()).toBe(
      2,
    )
    expect(b.writes.sort()).toEqual(['c-11', 'c-12'])
  })
})
