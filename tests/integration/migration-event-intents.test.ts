import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { migrationsFor } from '../../db/migrations/index.js'
import type { OpenedDatabase } from '../../db/open.js'
import { insertNeed, insertOrg, insertUser } from '../support/factories.js'
import { freshTestDb, testDialect, type FreshTestDb } from '../support/test-db.js'

/*
 * 2026-12-03T0800-event-intent-live-key on a database holding intents and follow-ups: one
 * live intent per (event, need, provider), struck ones beside it. Going down keeps one row
 * per key (the live one, else the newest) with its follow-ups; coming up again keeps every
 * row, its id and its follow-ups (SQLite rebuilds the table with foreign keys off:
 * event_followups' cascade must not fire), and a struck intent may be recorded again.
 */

const THIS = '2026-12-03T0800-event-intent-live-key'
const BEFORE = '2026-12-03T0700-title-review-links'
const NOW = '2026-12-01T08:00:00.000Z'

let fresh: FreshTestDb
let opened: OpenedDatabase
let db: Database
const ids = { event: 0, need: 0, provider: 0, user: 0 }

function migrator(): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrationsFor(testDialect) } })
}

async function migrateTo(name: string): Promise<void> {
  const { error } = await migrator().migrateTo(name)
  if (error) throw error instanceof Error ? error : new Error(`migration to ${name} failed`)
}

async function intent(withdrawn: boolean, amount: number): Promise<number> {
  const row = await db
    .insertInto('event_intents')
    .values({
      event_id: ids.event,
      need_id: ids.need,
      provider_org_id: ids.provider,
      amount_wan_x100: amount,
      signed_on: '2026-11-20',
      note: '',
      created_by: ids.user,
      created_at: NOW,
      withdrawn_at: withdrawn ? NOW : null,
      withdrawn_reason: withdrawn ? '企业改变计划' : '',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('event_followups')
    .values(([30, 90, 180] as const).map((after_days) => ({ intent_id: row.id, after_days, due_on: '2026-12-20' })))
    .execute()
  return row.id
}

const rows = () => db.selectFrom('event_intents').select(['id', 'amount_wan_x100', 'withdrawn_at']).orderBy('id').execute()
const followupsOf = async () =>
  (await db.selectFrom('event_followups').select(['intent_id']).orderBy('intent_id').orderBy('after_days').execute()).map(
    (f) => f.intent_id,
  )

beforeAll(async () => {
  fresh = await freshTestDb('intent-key')
  opened = fresh.open()
  db = opened.db
  ids.user = (await insertUser(db)).id
  const agency = await insertOrg(db, { kind: 'agency', region: '321000', agencyLevel: 'city' })
  const enterprise = await insertOrg(db, { kind: 'enterprise', region: '321003' })
  ids.provider = await insertOrg(db, { kind: 'provider', region: '321003' })
  ids.need = await insertNeed(db, enterprise, { region: '321003' })
  const event = await db
    .insertInto('events')
    .values({
      organiser_org_id: agency,
      region_code: '321000',
      title: '迁移测试对接会',
      description: '',
      mode: 'onsite',
      venue: '扬州',
      starts_on: '2026-12-10',
      ends_on: '2026-12-20',
      stage: 'intents',
      enterprise_applications: 0,
      created_by: ids.user,
      created_at: NOW,
      updated_at: NOW,
      stage_changed_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  ids.event = event.id
})

afterAll(async () => {
  await opened?.close()
  await fresh?.drop()
})

describe(THIS, () => {
  it('goes down keeping one intent per key with its follow-ups, and up again keeping every row, id and follow-up', async () => {
    // At the latest schema: a struck intent, then the same key recorded again (live).
    const struck = await intent(true, 10_000)
    const live = await intent(false, 12_000)
    await expect(intent(false, 13_000)).rejects.toThrow()

    await migrateTo(BEFORE)
    expect(await rows()).toEqual([expect.objectContaining({ id: live, amount_wan_x100: 12_000, withdrawn_at: null })])
    expect(await followupsOf()).toEqual([live, live, live])
    // The old key: even a struck one may not share it.
    await expect(intent(true, 9_000)).rejects.toThrow()

    await migrateTo(THIS)
    expect((await rows()).map((r) => r.id)).toEqual([live])
    expect(await followupsOf()).toEqual([live, live, live])
    // A struck one beside the live one, and a live one once that is struck: new ids after the old.
    const struckAgain = await intent(true, 9_000)
    expect(struckAgain).toBeGreaterThan(live)
    await db.updateTable('event_intents').set({ withdrawn_at: NOW }).where('id', '=', live).execute()
    const relive = await intent(false, 11_000)
    expect((await rows()).map((r) => [r.id, r.withdrawn_at === null])).toEqual([
      [live, false],
      [struckAgain, false],
      [relive, true],
    ])
    expect(await followupsOf()).toHaveLength(9)
    expect(struck).toBeLessThan(live)
  })
})
