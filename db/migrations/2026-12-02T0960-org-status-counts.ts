import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED), with dialect branches for the triggers.
//
// The agency audit queue (/agency/audits, issue 8) at any size of its jurisdiction:
//
// - org_status_counts: how many organisations each (region, kind, status) holds, kept
//   by triggers on organisations inside every writing transaction (whoever writes:
//   the use cases, the demo seed, db:copy, a CLI, another app instance), so a rollback
//   takes its change with it. The queue's tab counts sum the rows of the jurisdiction's
//   region codes (a province's ~120, a few hundred rows at most) instead of reading
//   every organisation in it. Rows that fall to 0 stay.
//   SQLite: row triggers (one upsert per changed row). PostgreSQL: statement triggers
//   over the transition tables, one upsert per statement in key order, so a bulk write
//   (a seed, a copy) costs one statement and two writers lock the rows they share in
//   the same order.
// - The queue's page walks one status in date order per (region, kind): the index
//   (status, region_code, kind, <date>, id) hands each of them over already sorted, so
//   a page reads about as many entries as it shows (SQLite stops each region's walk once
//   the page is full; PostgreSQL merges one ordered scan per region) instead of sorting
//   every application of the jurisdiction. Pending applications are shown oldest
//   submission first, decided ones newest decision first (`reviewed_at desc, id`).
//   They replace organisations_region_kind_status_idx (2026-12-02T0400), which only the
//   queue used.
// - A search of the queue (a name containing the text, or the USCC) still reads the
//   jurisdiction, but from organisations_queue_search_idx alone, which holds what it
//   filters, counts and sorts by: ~10× less than reading each organisation's row
//   (a province at 1 000 000 needs: ~30 ms instead of ~290 ms per scan).

const COUNTS = 'org_status_counts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(COUNTS)
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_status_counts_pk', ['region_code', 'kind', 'status'])
    .execute()

  // Triggers first, then the count: on SQLite (no transaction around a migration) a
  // write landing in between is counted by its trigger and the count then overwrites
  // that row with the total it sees. On PostgreSQL the migration's transaction holds
  // writers of organisations off from the first CREATE TRIGGER to its commit.
  if (isPostgres(db)) {
    await sql`create function duijie_org_status_counts() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into org_status_counts as c (region_code, kind, status, n)
          select region_code, kind, status, count(*) from new_rows
           group by region_code, kind, status order by region_code, kind, status
          on conflict (region_code, kind, status) do update set n = c.n + excluded.n;
        elsif tg_op = 'DELETE' then
          insert into org_status_counts as c (region_code, kind, status, n)
          select region_code, kind, status, -count(*) from old_rows
           group by region_code, kind, status order by region_code, kind, status
          on conflict (region_code, kind, status) do update set n = c.n + excluded.n;
        else
          insert into org_status_counts as c (region_code, kind, status, n)
          select region_code, kind, status, sum(d) from (
            select region_code, kind, status, 1 as d from new_rows
            union all
            select region_code, kind, status, -1 as d from old_rows
          ) changed
           group by region_code, kind, status having sum(d) <> 0 order by region_code, kind, status
          on conflict (region_code, kind, status) do update set n = c.n + excluded.n;
        end if;
        return null;
      end $$`.execute(db)
    await sql`create trigger org_status_counts_insert after insert on organisations
              referencing new table as new_rows for each statement execute function duijie_org_status_counts()`.execute(db)
    // A column list is not allowed with transition tables: every UPDATE statement runs
    // it, and one that changes no region, kind or status changes no row of the counts.
    await sql`create trigger org_status_counts_update after update on organisations
              referencing old table as old_rows new table as new_rows
              for each statement execute function duijie_org_status_counts()`.execute(db)
    await sql`create trigger org_status_counts_delete after delete on organisations
              referencing old table as old_rows for each statement execute function duijie_org_status_counts()`.execute(db)
  } else {
    await sql`create trigger org_status_counts_insert after insert on organisations begin
                insert into org_status_counts (region_code, kind, status, n) values (new.region_code, new.kind, new.status, 1)
                  on conflict (region_code, kind, status) do update set n = n + 1;
              end`.execute(db)
    await sql`create trigger org_status_counts_update after update of region_code, kind, status on organisations
              when old.region_code is not new.region_code or old.kind is not new.kind or old.status is not new.status
              begin
                update org_status_counts set n = n - 1
                 where region_code = old.region_code and kind = old.kind and status = old.status;
                insert into org_status_counts (region_code, kind, status, n) values (new.region_code, new.kind, new.status, 1)
                  on conflict (region_code, kind, status) do update set n = n + 1;
              end`.execute(db)
    await sql`create trigger org_status_counts_delete after delete on organisations begin
                update org_status_counts set n = n - 1
                 where region_code = old.region_code and kind = old.kind and status = old.status;
              end`.execute(db)
  }

  await db
    .insertInto(COUNTS)
    .columns(['region_code', 'kind', 'status', 'n'])
    .expression((eb) =>
      eb
        .selectFrom('organisations')
        .select(['region_code', 'kind', 'status', eb.fn.countAll().as('n')])
        .where(sql<boolean>`true`)
        .groupBy(['region_code', 'kind', 'status']),
    )
    .onConflict((oc) => oc.columns(['region_code', 'kind', 'status']).doUpdateSet((eb) => ({ n: eb.ref('excluded.n') })))
    .execute()

  await db.schema
    .createIndex('organisations_queue_submitted_idx')
    .on('organisations')
    .columns(['status', 'region_code', 'kind', 'submitted_at', 'id'])
    .execute()
  await db.schema
    .createIndex('organisations_queue_reviewed_idx')
    .on('organisations')
    .columns(['status', 'region_code', 'kind', 'reviewed_at desc', 'id'])
    .execute()
  await db.schema
    .createIndex('organisations_queue_search_idx')
    .on('organisations')
    .columns(['status', 'region_code', 'kind', 'name', 'uscc', 'submitted_at', 'reviewed_at'])
    .execute()
  await db.schema.dropIndex('organisations_region_kind_status_idx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('organisations_region_kind_status_idx')
    .on('organisations')
    .columns(['region_code', 'kind', 'status'])
    .execute()
  await db.schema.dropIndex('organisations_queue_search_idx').execute()
  await db.schema.dropIndex('organisations_queue_reviewed_idx').execute()
  await db.schema.dropIndex('organisations_queue_submitted_idx').execute()
  for (const event of ['insert', 'update', 'delete']) {
    await sql`drop trigger if exists ${sql.raw(`org_status_counts_${event}`)}${sql.raw(isPostgres(db) ? ' on organisations' : '')}`.execute(
      db,
    )
  }
  if (isPostgres(db)) await sql`drop function if exists duijie_org_status_counts()`.execute(db)
  await db.schema.dropTable(COUNTS).execute()
}
