import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { isVisibleNeed } from './visibility.js'

/**
 * The platform's figures on the home page: open and public needs, their budget, and
 * the verified enterprises and providers. Counting them means reading every visible
 * need (about 300 ms at 100 000 needs), so they are counted once per connection and
 * then kept current by the writes themselves: TEMP triggers on this connection adjust
 * a one-row TEMP table inside the writing transaction, using the same visibility rule
 * as pages and the index (`isVisibleNeed`, compiled into the triggers). A write that
 * rolls back takes its adjustment with it; a page reads one row. TEMP objects live only
 * on this connection and need no migration.
 *
 * The count itself runs in slices of ids, each its own short transaction, so it never
 * holds the event loop for long (a page that needs the figures meanwhile waits for
 * them; other requests are served between slices). The row carries how far the count
 * has got (`need_upto`, `org_upto`), and the triggers adjust only for rows the count
 * has passed: a row beyond it is counted, as it then is, when its slice comes.
 *
 * The app writes through one connection per process (app/web/services.server.ts).
 * Writes by another process (a CLI) are noticed through `PRAGMA data_version`, which
 * changes only when another connection commits; the figures are then counted afresh,
 * at most once per RECOUNT_INTERVAL_MS.
 */

export interface PlatformStats {
  /** Visible public needs open for bids (published). */
  openNeeds: number
  /** Visible public needs in any public status. */
  publicNeeds: number
  enterprises: number
  providers: number
  /** Sum of the open needs' upper budgets, 万元. */
  openBudgetWan: number
}

/** The status whose needs count as open, and whose budgets are summed. */
const OPEN_STATUS = 'published'
const RECOUNT_INTERVAL_MS = 5_000
/** Ids per slice of the count: a few milliseconds of SQLite each. */
const SLICES = { needs: 2_500, organisations: 20_000 }

/** Smaller slices let a test interleave writes with a count; returns the previous sizes. */
export function configureStatsCount(slices: Partial<typeof SLICES>): typeof SLICES {
  const previous = { ...SLICES }
  Object.assign(SLICES, slices)
  return previous
}
/** `*_upto` once the count is complete: every row, including ones inserted later. */
const ALL_ROWS = Number.MAX_SAFE_INTEGER
const TABLE = 'duijie_platform_stats'

/** What the home page shows is counted over public needs only. */
function visibleNeedFigures(db: Kysely<DB>) {
  return db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      sql<number>`count(*) filter (where n.status = ${OPEN_STATUS})`.as('open'),
      sql<number>`count(*)`.as('public'),
      sql<number>`coalesce(sum(n.budget_max_wan) filter (where n.status = ${OPEN_STATUS}), 0)`.as('budget'),
    ])
    .where(isVisibleNeed(['public']))
}

function verifiedOrgFigures(db: Kysely<DB>) {
  return db
    .selectFrom('organisations')
    .select([
      sql<number>`count(*) filter (where kind = 'enterprise')`.as('enterprises'),
      sql<number>`count(*) filter (where kind = 'provider')`.as('providers'),
    ])
    .where('status', '=', 'verified')
}

/** Counts everything afresh, in one go: the reference the kept figures must always equal. */
export async function countPlatformStats(db: Kysely<DB>): Promise<PlatformStats> {
  const needs = await visibleNeedFigures(db).executeTakeFirstOrThrow()
  const orgs = await verifiedOrgFigures(db).executeTakeFirstOrThrow()
  return {
    openNeeds: Number(needs.open),
    publicNeeds: Number(needs.public),
    openBudgetWan: Number(needs.budget),
    enterprises: Number(orgs.enterprises),
    providers: Number(orgs.providers),
  }
}

interface Kept {
  /** Resolves once the figures are complete: the first count, or a recount. */
  ready: Promise<void>
  /** A count under way, if any: only one at a time. */
  counting: Promise<void> | null
  /** `PRAGMA data_version` when the last count started. */
  dataVersion: number
  countedAt: number
}

// Per Kysely instance, that is per connection (the SQLite dialect holds one).
const kept = new WeakMap<Database, Kept>()

/** The figures as of the last committed write, read from the kept row. */
export async function getPlatformStats(db: Database): Promise<PlatformStats> {
  let state = kept.get(db)
  if (!state) {
    const created: Kept = { ready: Promise.resolve(), counting: null, dataVersion: 0, countedAt: 0 }
    kept.set(db, created)
    startCount(db, created, install(db))
    state = created
  }
  await state.ready
  if (Date.now() - state.countedAt >= RECOUNT_INTERVAL_MS) {
    // Another process committed since the count: count again (one count at a time).
    if ((await dataVersion(db)) !== state.dataVersion && !state.counting) startCount(db, state)
    await state.ready
  }
  const row = await sql<{
    open_needs: number
    public_needs: number
    open_budget_wan: number
    enterprises: number
    providers: number
  }>`select open_needs, public_needs, open_budget_wan, enterprises, providers from temp.${sql.raw(TABLE)}`
    .execute(db)
    .then((r) => r.rows[0])
  if (!row) throw new Error(`${TABLE} has no row`)
  return {
    openNeeds: row.open_needs,
    publicNeeds: row.public_needs,
    openBudgetWan: row.open_budget_wan,
    enterprises: row.enterprises,
    providers: row.providers,
  }
}

/** Starts a count (after `before`); a failed one forgets the state, so the next call starts over. */
function startCount(db: Database, state: Kept, before: Promise<void> = Promise.resolve()): void {
  const counting = before.then(() => count(db, state))
  state.counting = counting
  state.ready = counting.then(
    () => {
      state.counting = null
    },
    (error: unknown) => {
      if (kept.get(db) === state) kept.delete(db)
      throw error
    },
  )
}

async function dataVersion(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ data_version: number }>`pragma data_version`.execute(db)
  return Number(r.rows[0]?.data_version ?? 0)
}

/**
 * Counts from zero, slice by slice, moving `need_upto` and `org_upto` along; the
 * triggers keep what has been counted current meanwhile. Other requests run between
 * slices.
 */
async function count(db: Database, state: Kept): Promise<void> {
  state.dataVersion = await dataVersion(db)
  await sql`update temp.${sql.raw(TABLE)} set open_needs = 0, public_needs = 0, open_budget_wan = 0,
            enterprises = 0, providers = 0, need_upto = 0, org_upto = 0`.execute(db)
  await countSlices(db, 'needs', async (trx, from, to) => {
    const s = await visibleNeedFigures(trx).where('n.id', '>', from).where('n.id', '<=', to).executeTakeFirstOrThrow()
    await sql`update temp.${sql.raw(TABLE)} set open_needs = open_needs + ${s.open}, public_needs = public_needs + ${s.public},
              open_budget_wan = open_budget_wan + ${s.budget}, need_upto = ${to}`.execute(trx)
  })
  await countSlices(db, 'organisations', async (trx, from, to) => {
    const s = await verifiedOrgFigures(trx).where('id', '>', from).where('id', '<=', to).executeTakeFirstOrThrow()
    await sql`update temp.${sql.raw(TABLE)} set enterprises = enterprises + ${s.enterprises}, providers = providers + ${s.providers},
              org_upto = ${to}`.execute(trx)
  })
  state.countedAt = Date.now()
}

/**
 * Runs `slice` over (from, to] ranges of ids, each in its own transaction, until the
 * table's highest id; the last slice also opens the range to every id (ALL_ROWS), in
 * the same transaction as its count, so no insert can fall in between.
 */
async function countSlices(
  db: Database,
  table: 'needs' | 'organisations',
  slice: (trx: Kysely<DB>, from: number, to: number) => Promise<void>,
): Promise<void> {
  const step = Math.max(1, SLICES[table])
  let from = 0
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const max = Number(
        (
          await trx
            .selectFrom(table)
            .select((eb) => eb.fn.max('id').as('max'))
            .executeTakeFirst()
        )?.max ?? 0,
      )
      const last = from + step >= max
      await slice(trx, from, last ? ALL_ROWS : from + step)
      return last
    })
    if (done) return
    from += step
    // Let the requests waiting meanwhile run.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Creates the TEMP table and the triggers on this connection (again, if a copy of this module did before). */
async function install(db: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql
      .raw(
        `create temp table if not exists ${TABLE} (
           open_needs integer not null, public_needs integer not null, open_budget_wan integer not null,
           enterprises integer not null, providers integer not null,
           need_upto integer not null, org_upto integer not null)`,
      )
      .execute(trx)
    await sql.raw(`delete from ${TABLE}`).execute(trx)
    await sql.raw(`insert into ${TABLE} values (0, 0, 0, 0, 0, 0, 0)`).execute(trx)
    for (const [name, body] of triggers(trx)) {
      await sql.raw(`drop trigger if exists temp.${name}`).execute(trx)
      await sql.raw(`create temp trigger ${name} ${body}`).execute(trx)
    }
  })
}

/**
 * A need's share of the figures, or an organisation's needs' share, as the visible
 * need query computes it, restricted to one key (`n.id = NEW.id` …) and to the needs
 * the count has passed. Bound values are inlined: a trigger body takes no parameters,
 * and every value here is a constant of the code (statuses, visibilities), never input.
 */
function share(db: Kysely<DB>, key: 'n.id' | 'n.org_id', row: 'new.id' | 'old.id'): string {
  const compiled = visibleNeedFigures(db)
    .where(sql.ref(key), '=', sql.raw(row))
    .where('n.id', '<=', sql.raw<number>(`(select need_upto from ${TABLE})`))
    .compile()
  return inline(compiled.sql, compiled.parameters)
}

export function inline(text: string, parameters: readonly unknown[]): string {
  let i = 0
  const out = text.replace(/\?/g, () => {
    const value = parameters[i++]
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`
    throw new Error(`cannot inline ${typeof value} into a trigger`)
  })
  if (i !== parameters.length) throw new Error('parameter count mismatch while inlining')
  return out
}

function adjust(sign: '+' | '-', shareQuery: string): string {
  return `update ${TABLE} set (open_needs, public_needs, open_budget_wan) =
            (select open_needs ${sign} s.open, public_needs ${sign} s.public, open_budget_wan ${sign} s.budget from (${shareQuery}) as s);`
}

function orgCounts(sign: '+' | '-', row: 'new' | 'old'): string {
  return `update ${TABLE} set
            enterprises = enterprises ${sign} (${row}.status = 'verified' and ${row}.kind = 'enterprise'),
            providers = providers ${sign} (${row}.status = 'verified' and ${row}.kind = 'provider')
          where ${row}.id <= org_upto;`
}

/**
 * BEFORE triggers take the old state's share away while the row still holds it, AFTER
 * triggers add the new state's share; an update of anything the figures do not read
 * fires nothing.
 */
function triggers(db: Kysely<DB>): [string, string][] {
  const needCols = 'status, visibility, budget_max_wan, org_id'
  const orgCols = 'status, kind'
  return [
    ['duijie_stats_need_ins', `after insert on main.needs begin ${adjust('+', share(db, 'n.id', 'new.id'))} end`],
    [
      'duijie_stats_need_upd_old',
      `before update of ${needCols} on main.needs begin ${adjust('-', share(db, 'n.id', 'old.id'))} end`,
    ],
    [
      'duijie_stats_need_upd_new',
      `after update of ${needCols} on main.needs begin ${adjust('+', share(db, 'n.id', 'new.id'))} end`,
    ],
    ['duijie_stats_need_del', `before delete on main.needs begin ${adjust('-', share(db, 'n.id', 'old.id'))} end`],
    [
      'duijie_stats_org_ins',
      `after insert on main.organisations begin ${orgCounts('+', 'new')} ${adjust('+', share(db, 'n.org_id', 'new.id'))} end`,
    ],
    [
      'duijie_stats_org_upd_old',
      `before update of ${orgCols} on main.organisations begin ${orgCounts('-', 'old')} ${adjust('-', share(db, 'n.org_id', 'old.id'))} end`,
    ],
    [
      'duijie_stats_org_upd_new',
      `after update of ${orgCols} on main.organisations begin ${orgCounts('+', 'new')} ${adjust('+', share(db, 'n.org_id', 'new.id'))} end`,
    ],
    [
      'duijie_stats_org_del',
      `before delete on main.organisations begin ${orgCounts('-', 'old')} ${adjust('-', share(db, 'n.org_id', 'old.id'))} end`,
    ],
  ]
}
