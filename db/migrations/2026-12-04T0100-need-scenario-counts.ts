import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED), with dialect branches for the triggers.
//
// The agency dashboard (issue 15 §6) counts a jurisdiction's needs per scenario: those
// first published in the year, and those open now. Joining every need of the region to
// need_scenarios took 200 ms for 江苏 at 100 000 needs on SQLite (a lookup per need and
// scenario), every time an agency opened the page.
//
// need_scenario_counts: how many needs of each (region, scenario, status, China year of
// first publication; 0 for a draft) there are, kept by triggers inside every writing
// transaction, like org_status_counts (2026-12-02T0960). A dashboard sums the rows of
// its region codes. Rows that fall to 0 stay.
//
// - need_scenarios insert: +1 under the need's current region, status and year (a
//   need's scenarios are written after the need: the key references it).
// - need_scenarios delete: −1, when the need is still there (an edit replacing its
//   scenarios); when the need itself is being deleted, its cascade finds no need and
//   the needs' delete trigger below has already taken its scenarios off.
// - needs update of region, status or published_at: −1 under the old key and +1 under
//   the new one for each of the need's scenarios.
// - needs delete: −1 for each of its scenarios, before the row goes (SQLite BEFORE
//   DELETE; PostgreSQL a row trigger BEFORE DELETE), while they can still be read.
//
// SQLite: row triggers (one writer at a time). PostgreSQL: statement triggers over the transition tables for
// need_scenarios and needs' updates, one upsert per statement in key order (a seed or a
// copy costs one statement per batch; two writers lock the rows they share in the same
// order), and a row trigger for a need's delete (a transition table comes too late:
// its scenarios are gone by then); each takes a lock per region it touches first, in one
// global order, so two writers replacing each other's scenarios cannot deadlock.

const COUNTS = 'need_scenario_counts'
/** PostgreSQL advisory locks of the counts: (LOCK_SPACE, hashtext(region)); 'NS'. */
const LOCK_SPACE = 0x4e_53
const SQLITE_YEAR = (col: string) => `coalesce(cast(strftime('%Y', ${col}, '+8 hours') as integer), 0)`
const PG_YEAR = (col: string) => `coalesce(extract(year from ${col} at time zone 'Asia/Shanghai')::integer, 0)`

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(COUNTS)
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('scenario_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('need_scenario_counts_pk', ['region_code', 'scenario_code', 'status', 'year'])
    .execute()

  // Triggers first, then the count (see 2026-12-02T0960: a write in between is counted by
  // its trigger, and the count then overwrites that row with the total it sees).
  if (isPostgres(db)) {
    const upsert = `on conflict (region_code, scenario_code, status, year) do update set n = c.n + excluded.n`
    // Two transactions that each touch two rows of the counts in other orders (one
    // replaces a need's scenario A by B, the other B by A) would deadlock on them. Every
    // change of the counts first takes a transaction lock per region it touches, in one
    // global order: writers of one region's counts take turns, and cannot deadlock.
    await sql
      .raw(
        `create function duijie_need_scenario_counts_lock(regions text[]) returns void language plpgsql as $$
      declare h integer;
      begin
        for h in select distinct hashtext(r) from unnest(regions) as r order by 1 loop
          perform pg_advisory_xact_lock(${LOCK_SPACE}, h);
        end loop;
      end $$`,
      )
      .execute(db)
    await sql
      .raw(
        `create function duijie_need_scenario_counts_links() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          perform duijie_need_scenario_counts_lock(array(select n.region_code from new_rows s join needs n on n.id = s.need_id));
          insert into need_scenario_counts as c (region_code, scenario_code, status, year, n)
          select n.region_code, s.scenario_code, n.status, ${PG_YEAR('n.published_at')} as y, count(*)
            from new_rows s join needs n on n.id = s.need_id
           group by n.region_code, s.scenario_code, n.status, y order by 1, 2, 3, 4
          ${upsert};
        else
          perform duijie_need_scenario_counts_lock(array(select n.region_code from old_rows s join needs n on n.id = s.need_id));
          insert into need_scenario_counts as c (region_code, scenario_code, status, year, n)
          select n.region_code, s.scenario_code, n.status, ${PG_YEAR('n.published_at')} as y, -count(*)
            from old_rows s join needs n on n.id = s.need_id
           group by n.region_code, s.scenario_code, n.status, y order by 1, 2, 3, 4
          ${upsert};
        end if;
        return null;
      end $$`,
      )
      .execute(db)
    await sql`create trigger need_scenario_counts_insert after insert on need_scenarios
              referencing new table as new_rows for each statement execute function duijie_need_scenario_counts_links()`.execute(
      db,
    )
    await sql`create trigger need_scenario_counts_delete after delete on need_scenarios
              referencing old table as old_rows for each statement execute function duijie_need_scenario_counts_links()`.execute(
      db,
    )
    await sql
      .raw(
        `create function duijie_need_scenario_counts_needs() returns trigger language plpgsql as $$
      begin
        if not exists (
          select 1 from old_rows o join new_rows w on w.id = o.id
           where o.region_code is distinct from w.region_code or o.status is distinct from w.status
              or ${PG_YEAR('o.published_at')} <> ${PG_YEAR('w.published_at')}
        ) then
          return null;
        end if;
        perform duijie_need_scenario_counts_lock(array(
          select o.region_code from old_rows o join need_scenarios s on s.need_id = o.id
          union select w.region_code from new_rows w join need_scenarios s on s.need_id = w.id));
        insert into need_scenario_counts as c (region_code, scenario_code, status, year, n)
        select region_code, scenario_code, status, y, sum(d) from (
          select o.region_code, s.scenario_code, o.status, ${PG_YEAR('o.published_at')} as y, -1 as d
            from old_rows o join need_scenarios s on s.need_id = o.id
          union all
          select w.region_code, s.scenario_code, w.status, ${PG_YEAR('w.published_at')} as y, 1 as d
            from new_rows w join need_scenarios s on s.need_id = w.id
        ) changed
         group by region_code, scenario_code, status, y having sum(d) <> 0 order by 1, 2, 3, 4
        ${upsert};
        return null;
      end $$`,
      )
      .execute(db)
    // A column list is not allowed with transition tables: every UPDATE of needs runs it,
    // and one that changes no region, status or publication changes no row of the counts.
    await sql`create trigger need_scenario_counts_need_update after update on needs
              referencing old table as old_rows new table as new_rows
              for each statement execute function duijie_need_scenario_counts_needs()`.execute(db)
    await sql
      .raw(
        `create function duijie_need_scenario_counts_need_delete() returns trigger language plpgsql as $$
      begin
        perform duijie_need_scenario_counts_lock(array[old.region_code]);
        insert into need_scenario_counts as c (region_code, scenario_code, status, year, n)
        select old.region_code, s.scenario_code, old.status, ${PG_YEAR('old.published_at')}, -1
          from need_scenarios s where s.need_id = old.id order by 2
        ${upsert};
        return old;
      end $$`,
      )
      .execute(db)
    await sql`create trigger need_scenario_counts_need_delete before delete on needs
              for each row execute function duijie_need_scenario_counts_need_delete()`.execute(db)
  } else {
    const upsert = `on conflict (region_code, scenario_code, status, year) do update set n = n + excluded.n`
    await sql
      .raw(
        `create trigger need_scenario_counts_insert after insert on need_scenarios begin
          insert into need_scenario_counts (region_code, scenario_code, status, year, n)
          select n.region_code, new.scenario_code, n.status, ${SQLITE_YEAR('n.published_at')}, 1 from needs n where n.id = new.need_id
          ${upsert};
        end`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger need_scenario_counts_delete after delete on need_scenarios begin
          insert into need_scenario_counts (region_code, scenario_code, status, year, n)
          select n.region_code, old.scenario_code, n.status, ${SQLITE_YEAR('n.published_at')}, -1 from needs n where n.id = old.need_id
          ${upsert};
        end`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger need_scenario_counts_need_update after update of region_code, status, published_at on needs
          when old.region_code is not new.region_code or old.status is not new.status
            or ${SQLITE_YEAR('old.published_at')} is not ${SQLITE_YEAR('new.published_at')}
          begin
            insert into need_scenario_counts (region_code, scenario_code, status, year, n)
            select old.region_code, s.scenario_code, old.status, ${SQLITE_YEAR('old.published_at')}, -1
              from need_scenarios s where s.need_id = old.id
            ${upsert};
            insert into need_scenario_counts (region_code, scenario_code, status, year, n)
            select new.region_code, s.scenario_code, new.status, ${SQLITE_YEAR('new.published_at')}, 1
              from need_scenarios s where s.need_id = new.id
            ${upsert};
          end`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger need_scenario_counts_need_delete before delete on needs begin
          insert into need_scenario_counts (region_code, scenario_code, status, year, n)
          select old.region_code, s.scenario_code, old.status, ${SQLITE_YEAR('old.published_at')}, -1
            from need_scenarios s where s.need_id = old.id
          ${upsert};
        end`,
      )
      .execute(db)
  }

  const year = isPostgres(db) ? PG_YEAR('n.published_at') : SQLITE_YEAR('n.published_at')
  await sql
    .raw(
      `insert into need_scenario_counts as c (region_code, scenario_code, status, year, n)
       select n.region_code, s.scenario_code, n.status, ${year} as y, count(*)
         from needs n join need_scenarios s on s.need_id = n.id
        where true
        group by n.region_code, s.scenario_code, n.status, y
       on conflict (region_code, scenario_code, status, year) do update set n = excluded.n`,
    )
    .execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  const triggers: [string, string][] = [
    ['need_scenario_counts_insert', 'need_scenarios'],
    ['need_scenario_counts_delete', 'need_scenarios'],
    ['need_scenario_counts_need_update', 'needs'],
    ['need_scenario_counts_need_delete', 'needs'],
  ]
  for (const [name, table] of triggers) {
    await sql`drop trigger if exists ${sql.raw(name)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db)
  }
  if (isPostgres(db)) {
    for (const fn of ['links()', 'needs()', 'need_delete()', 'lock(text[])']) {
      await sql`drop function if exists ${sql.raw(`duijie_need_scenario_counts_${fn}`)}`.execute(db)
    }
  }
  await db.schema.dropTable(COUNTS).execute()
}
