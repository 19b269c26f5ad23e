import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { isVisibleNeed } from './visibility.js'

/**
 * The platform's figures on the home page: open and public needs, their budget, and
 * the verified enterprises and providers. Counting them means reading every visible
 * need (about 300 ms at 100 000 needs, blocking the server), so they are counted once
 * per connection and then kept current by the writes themselves: TEMP triggers on this
 * connection adjust a one-row TEMP table inside the writing transaction, using the
 * same visibility rule as pages and the index (`isVisibleNeed`, compiled into the
 * triggers). A write that rolls back takes its adjustment with it; a page reads one
 * row. TEMP objects live only on this connection and need no migration.
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

/** Counts everything afresh: the reference the kept figures must always equal. */
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
  /** Resolves once the TEMP table and triggers exist on this connection. */
  ready: Promise<void>
  dataVersion: number
  countedAt: number
}

// Per Kysely instance, that is per connection (the SQLite dialect holds one).
const kept = new WeakMap<Database, Kept>()

/** The figures as of the last committed write, read from the kept row. */
export async function getPlatformStats(db: Database): Promise<PlatformStats> {
  let state = kept.get(db)
  if (!state) {
    const created: Kept = { ready: Promise.resolve(), dataVersion: 0, countedAt: 0 }
    created.ready = install(db, created)
    created.ready.catch(() => kept.delete(db))
    kept.set(db, created)
    state = created
  }
  await state.ready
  const version = await dataVersion(db)
  if (version !== state.dataVersion && Date.now() - state.countedAt >= RECOUNT_INTERVAL_MS) {
    await recount(db, state)
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

async function dataVersion(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ data_version: number }>`pragma data_version`.execute(db)
  return Number(r.rows[0]?.data_version ?? 0)
}

async function recount(db: Database, state: Kept): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await store(trx, await countPlatformStats(trx))
    state.dataVersion = await dataVersion(trx)
  })
  state.countedAt = Date.now()
}

async function store(db: Kysely<DB>, s: PlatformStats): Promise<void> {
  await sql`delete from temp.${sql.raw(TABLE)}`.execute(db)
  await sql`insert into temp.${sql.raw(TABLE)} (open_needs, public_needs, open_budget_wan, enterprises, providers)
            values (${s.openNeeds}, ${s.publicNeeds}, ${s.openBudgetWan}, ${s.enterprises}, ${s.providers})`.execute(db)
}

/**
 * Creates the TEMP table and triggers and counts once, in one transaction, so no
 * write can fall between the count and the triggers that follow it.
 */
async function install(db: Database, state: Kept): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql
      .raw(
        `create temp table if not exists ${TABLE} (
         open_needs integer not null, public_needs integer not null, open_budget_wan integer not null,
         enterprises integer not null, providers integer not null)`,
      )
      .execute(trx)
    for (const [name, body] of triggers(trx)) {
      await sql.raw(`drop trigger if exists temp.${name}`).execute(trx)
      await sql.raw(`create temp trigger ${name} ${body}`).execute(trx)
    }
    await store(trx, await countPlatformStats(trx))
    state.dataVersion = await dataVersion(trx)
  })
  state.countedAt = Date.now()
}

/**
 * A need's share of the figures, or an organisation's needs' share, as the visible
 * need query computes it, restricted to one key (`n.id = NEW.id` …). Bound values are
 * inlined: a trigger body takes no parameters, and every value here is a constant of
 * the code (statuses, visibilities), never input.
 */
function share(db: Kysely<DB>, key: 'n.id' | 'n.org_id', row: 'new.id' | 'old.id'): string {
  const compiled = visibleNeedFigures(db).where(sql.ref(key), '=', sql.raw(row)).compile()
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
            providers = providers ${sign} (${row}.status = 'verified' and ${row}.kind = 'provider');`
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
