import crypto from 'node:crypto'
import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { dialectOf } from '../../../db/dialect.js'
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
 *
 * PostgreSQL (a pool, and any number of instances) cannot keep figures per connection.
 * There the figures live in a real table, `duijie_platform_stats`, kept by statement-level
 * triggers on needs and organisations that the app installs itself (as the search engine
 * makes its own tables, so the rule lives in one place, this code, and no migration
 * freezes a copy): each write statement appends its change to the figures as one row
 * (computed from the statement's transition tables with the same visibility rule,
 * compiled in), inside the writing transaction, so a rollback takes it away and every
 * instance reads the same committed figures. A page reads the sum of a handful of rows;
 * once there are many, a reader folds them into one. Appending instead of updating one
 * row means concurrent writers never wait for each other on it (nor deadlock). The
 * installation, under an advisory lock, counts the figures afresh while holding the
 * writers of both tables off, and records a fingerprint of what it installed: an
 * instance running a different rule installs its own (and counts again), never on each
 * start.
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

/** The tables a figure is counted over: the real ones, or a PostgreSQL trigger's transition tables. */
interface Sources {
  needs: string
  orgs: string
}
const TABLES: Sources = { needs: 'needs', orgs: 'organisations' }

/**
 * What the home page shows is counted over public needs only. The needs drive the
 * query and each one's organisation is found by its key: a CROSS JOIN keeps SQLite
 * from reordering it (PostgreSQL plans it as the inner join it is), so a slice of the
 * count reads its range of needs, never every verified organisation (which made the
 * first count at 1 000 000 needs take minutes), and a trigger reads one need's row.
 * `byIdRange` (SQLite, a slice of the count): the needs are read by their key range
 * alone (NOT INDEXED), as the status index would otherwise look the more selective
 * to a planner without statistics and be read whole for every slice.
 */
function visibleNeedFigures(db: Kysely<DB>, from: Sources = TABLES, { byIdRange = false } = {}) {
  const needs = sql<DB['needs']>`${sql.table(from.needs)}`
  return db
    .selectFrom(byIdRange ? needs.as<'n'>(sql`n not indexed`) : needs.as('n'))
    .crossJoin(sql<DB['organisations']>`${sql.table(from.orgs)}`.as('o'))
    .whereRef('o.id', '=', 'n.org_id')
    .select([
      sql<number>`count(*) filter (where n.status = ${OPEN_STATUS})`.as('open'),
      sql<number>`count(*)`.as('public'),
      sql<number>`coalesce(sum(n.budget_max_wan) filter (where n.status = ${OPEN_STATUS}), 0)`.as('budget'),
    ])
    .where(isVisibleNeed(['public']))
}

function verifiedOrgFigures(db: Kysely<DB>, from: Sources = TABLES) {
  return db
    .selectFrom(sql<DB['organisations']>`${sql.table(from.orgs)}`.as('organisations'))
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

/** The figures as of the last committed write, read from the kept row(s). */
export async function getPlatformStats(db: Database): Promise<PlatformStats> {
  return dialectOf(db) === 'postgres' ? getPostgresStats(db) : getSqliteStats(db)
}

async function getSqliteStats(db: Database): Promise<PlatformStats> {
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
    const s = await visibleNeedFigures(trx, TABLES, { byIdRange: true })
      .where('n.id', '>', from)
      .where('n.id', '<=', to)
      .executeTakeFirstOrThrow()
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
  return withValuesInline(
    visibleNeedFigures(db)
      .where(sql.ref(key), '=', sql.raw(row))
      .where('n.id', '<=', sql.raw<number>(`(select need_upto from ${TABLE})`)),
  )
}

/**
 * A query compiled with its bound values written in (SQLite's `?`, PostgreSQL's `$1`
 * …), for a trigger body, which takes no parameters: every value is a constant of the
 * code (statuses, visibilities), never input.
 */
function withValuesInline(query: Compilable): string {
  const { sql: text, parameters } = query.compile()
  const used = new Set<number>()
  let next = 0
  const out = text.replace(/\?|\$(\d+)/g, (_, n: string | undefined) => {
    const i = n === undefined ? next++ : Number(n) - 1
    used.add(i)
    const value = parameters[i]
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`
    throw new Error(`cannot inline ${typeof value} into a trigger`)
  })
  if (used.size !== parameters.length) throw new Error('parameter count mismatch while inlining')
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

/* ---------- PostgreSQL: a table of appended changes, kept by triggers the app installs ---------- */

const PG_TABLE = 'duijie_platform_stats'
/** A reader folds the rows into one beyond this many. */
const PG_FOLD_AT = 64
/** Advisory lock (two-integer form) around the installation. */
const PG_INSTALL_LOCK = [0x5053, 1] as const // 'PS'

/**
 * What the installation consists of: the table, and per table a trigger function and
 * one statement-level trigger per event (a trigger with transition tables takes one
 * event). Each function adds the new rows' share and takes the old rows' away, as the
 * visible-need and verified-organisation queries compute them over the transition
 * tables joined to the other table as it stands.
 */
function postgresInstallation(db: Kysely<DB>): { statements: string[]; fingerprint: string } {
  const needShare = (needs: string, orgs: string) => withValuesInline(visibleNeedFigures(db, { needs, orgs }))
  const orgShare = (orgs: string) => withValuesInline(verifiedOrgFigures(db, { needs: 'needs', orgs }))
  // d_* := (share of the new rows) − (share of the old rows); either side may be absent.
  const delta = (kind: 'needs' | 'orgs', side: 'new' | 'old', into: string) =>
    kind === 'needs'
      ? `select s.open, s.public, s.budget into ${into} from (${needShare(`${side}_needs`, 'organisations')}) as s`
      : `select s.open, s.public, s.budget, c.enterprises, c.providers into ${into}
           from (${needShare('needs', `${side}_orgs`)}) as s, (${orgShare(`${side}_orgs`)}) as c`
  const body = (kind: 'needs' | 'orgs') => {
    const orgCols = kind === 'orgs'
    return `
declare
  a record;
  b record;
  d_open bigint := 0; d_public bigint := 0; d_budget bigint := 0; d_enterprises bigint := 0; d_providers bigint := 0;
begin
  if tg_op in ('INSERT', 'UPDATE') then
    ${delta(kind, 'new', 'a')};
    d_open := a.open; d_public := a.public; d_budget := a.budget;
    ${orgCols ? 'd_enterprises := a.enterprises; d_providers := a.providers;' : ''}
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    ${delta(kind, 'old', 'b')};
    d_open := d_open - b.open; d_public := d_public - b.public; d_budget := d_budget - b.budget;
    ${orgCols ? 'd_enterprises := d_enterprises - b.enterprises; d_providers := d_providers - b.providers;' : ''}
  end if;
  if d_open <> 0 or d_public <> 0 or d_budget <> 0 or d_enterprises <> 0 or d_providers <> 0 then
    insert into ${PG_TABLE} (open_needs, public_needs, open_budget_wan, enterprises, providers)
    values (d_open, d_public, d_budget, d_enterprises, d_providers);
  end if;
  return null;
end`
  }
  const statements = [
    `create table if not exists ${PG_TABLE} (
       open_needs bigint not null, public_needs bigint not null, open_budget_wan bigint not null,
       enterprises bigint not null, providers bigint not null)`,
    `create or replace function duijie_stats_needs() returns trigger language plpgsql as $fn$${body('needs')}$fn$`,
    `create or replace function duijie_stats_orgs() returns trigger language plpgsql as $fn$${body('orgs')}$fn$`,
  ]
  const triggers: [name: string, table: string, event: string, referencing: string, fn: string][] = [
    ['duijie_stats_need_ins', 'needs', 'insert', 'new table as new_needs', 'duijie_stats_needs'],
    ['duijie_stats_need_upd', 'needs', 'update', 'old table as old_needs new table as new_needs', 'duijie_stats_needs'],
    ['duijie_stats_need_del', 'needs', 'delete', 'old table as old_needs', 'duijie_stats_needs'],
    ['duijie_stats_org_ins', 'organisations', 'insert', 'new table as new_orgs', 'duijie_stats_orgs'],
    ['duijie_stats_org_upd', 'organisations', 'update', 'old table as old_orgs new table as new_orgs', 'duijie_stats_orgs'],
    ['duijie_stats_org_del', 'organisations', 'delete', 'old table as old_orgs', 'duijie_stats_orgs'],
  ]
  const triggerSql = triggers.map(
    ([name, table, event, referencing, fn]) =>
      `create trigger ${name} after ${event} on ${table} referencing ${referencing} for each statement execute function ${fn}()`,
  )
  const fingerprint = crypto
    .createHash('sha256')
    .update([...statements, ...triggerSql].join('\n'))
    .digest('hex')
    .slice(0, 32)
  // A trigger is created when missing (replacing the functions needs no DROP TRIGGER, which would lock readers out).
  for (const [i, [name, table]] of triggers.entries()) {
    statements.push(`do $do$ begin
       if not exists (select 1 from pg_trigger where tgname = '${name}' and tgrelid = to_regclass('${table}')) then
         ${triggerSql[i]};
       end if;
     end $do$`)
  }
  return { statements, fingerprint }
}

// Per Kysely instance (pool): whether the installation there is known to be current.
const pgReady = new WeakMap<Database, Promise<void>>()

async function installedFingerprint(db: Kysely<DB>): Promise<string | null> {
  const r = await sql<{ fingerprint: string | null }>`
    select obj_description(to_regclass(${PG_TABLE}), 'pg_class') as fingerprint`.execute(db)
  return r.rows[0]?.fingerprint ?? null
}

/** Installs (or re-installs, for another rule) the table and triggers, and counts the figures afresh. */
async function ensurePostgresStats(db: Database): Promise<void> {
  const { statements, fingerprint } = postgresInstallation(db)
  if ((await installedFingerprint(db)) === fingerprint) return
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(cast(${PG_INSTALL_LOCK[0]} as integer), cast(${PG_INSTALL_LOCK[1]} as integer))`.execute(
      trx,
    )
    if ((await installedFingerprint(trx)) === fingerprint) return
    // Writers of both tables wait from here to the commit: the count below is then exact,
    // and every later write goes through the triggers installed here.
    await sql`lock table needs, organisations in share row exclusive mode`.execute(trx)
    for (const statement of statements) await sql.raw(statement).execute(trx)
    const fresh = await countPlatformStats(trx)
    await sql.raw(`delete from ${PG_TABLE}`).execute(trx)
    await sql`insert into ${sql.table(PG_TABLE)} (open_needs, public_needs, open_budget_wan, enterprises, providers)
              values (${fresh.openNeeds}, ${fresh.publicNeeds}, ${fresh.openBudgetWan}, ${fresh.enterprises}, ${fresh.providers})`.execute(
      trx,
    )
    await sql.raw(`comment on table ${PG_TABLE} is '${fingerprint}'`).execute(trx)
  })
}

async function getPostgresStats(db: Database): Promise<PlatformStats> {
  let ready = pgReady.get(db)
  if (!ready) {
    ready = ensurePostgresStats(db)
    pgReady.set(db, ready)
    // A failed installation is tried again by the next request.
    ready.catch(() => pgReady.delete(db))
  }
  await ready
  const row = await sql<{
    n: number
    open_needs: number
    public_needs: number
    open_budget_wan: number
    enterprises: number
    providers: number
  }>`select count(*) as n, coalesce(sum(open_needs), 0) as open_needs, coalesce(sum(public_needs), 0) as public_needs,
            coalesce(sum(open_budget_wan), 0) as open_budget_wan, coalesce(sum(enterprises), 0) as enterprises,
            coalesce(sum(providers), 0) as providers
       from ${sql.table(PG_TABLE)}`
    .execute(db)
    .then((r) => r.rows[0])
  if (!row) throw new Error(`${PG_TABLE} has no rows`)
  if (Number(row.n) > PG_FOLD_AT) await foldPostgresStats(db)
  return {
    openNeeds: Number(row.open_needs),
    publicNeeds: Number(row.public_needs),
    openBudgetWan: Number(row.open_budget_wan),
    enterprises: Number(row.enterprises),
    providers: Number(row.providers),
  }
}

/**
 * Replaces the rows by their sum, in one statement. Safe beside writers and other
 * folders: it deletes the rows its snapshot sees (a row another folder already took is
 * skipped) and inserts exactly their sum, so the total never changes.
 */
export async function foldPostgresStats(db: Kysely<DB>): Promise<void> {
  await sql
    .raw(
      `with gone as (delete from ${PG_TABLE} returning *)
       insert into ${PG_TABLE} (open_needs, public_needs, open_budget_wan, enterprises, providers)
       select coalesce(sum(open_needs), 0), coalesce(sum(public_needs), 0), coalesce(sum(open_budget_wan), 0),
              coalesce(sum(enterprises), 0), coalesce(sum(providers), 0)
         from gone`,
    )
    .execute(db)
}
