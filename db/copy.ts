import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { migrateToLatest } from './migrate.js'
import { migrationsFor } from './migrations/index.js'
import type { Database } from './connection.js'

/**
 * Moves a whole SQLite installation (at the latest schema) into an empty PostgreSQL database (issue 10,
 * `npm run db:copy`): the target is migrated to the latest schema, then every table
 * the two schemas share is copied in foreign-key order — the append-only audit log
 * included, ids kept — in ONE PostgreSQL transaction, so a failure leaves the target
 * as it was. Identity sequences continue after the highest copied id, and the row
 * counts of both sides are compared before the transaction commits. Search indexes
 * are not data: the target's engine rebuilds them (`npm run search:reindex`, or the
 * next `npm start`).
 */

export interface CopyReport {
  tables: { table: string; source: number; target: number }[]
  rows: number
}

export class CopyError extends Error {}

/**
 * Tables that belong to the migrator or to a search engine (its index and what it was built with), not to the installation;
 * and the kept counts (org_status_counts, need_scenario_counts), which the target's triggers fill as the rows arrive
 * (copied, they would count them twice).
 */
const NOT_DATA =
  /^(kysely_|sqlite_|search_fts|search_attr|search_pg_|search_index_versions$|org_status_counts$|need_scenario_counts$)/

/** Rows per INSERT: PostgreSQL takes at most 65 535 parameters per statement. */
function batchSize(columns: number): number {
  return Math.max(1, Math.min(1_000, Math.floor(60_000 / Math.max(1, columns))))
}

export async function copySqliteToPostgres(
  sqlite: BetterSqlite3.Database,
  target: Database,
  onProgress: (table: string, copied: number, total: number) => void = () => {},
): Promise<CopyReport> {
  const applied = new Set((sqlite.prepare(`select name from kysely_migration`).all() as { name: string }[]).map((m) => m.name))
  const behind = Object.keys(migrationsFor('sqlite')).filter((name) => !applied.has(name))
  if (behind.length) {
    throw new CopyError(
      `源数据库未迁移到最新版本，请先对它运行 npm run db:migrate / the source is not at the latest schema (missing ${behind.join(', ')})`,
    )
  }
  await migrateToLatest(target)
  const sourceTables = new Set(
    (sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((t) => t.name),
  )
  const targetTables = (
    await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(target)
  ).rows.map((t) => t.name)
  const tables = targetTables.filter((t) => sourceTables.has(t) && !NOT_DATA.test(t))
  const ordered = dependencyOrder(sqlite, tables)

  return target.transaction().execute(async (trx) => {
    for (const table of ordered) {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(trx)
      if (Number(row.rows[0]?.n ?? 0) > 0) {
        throw new CopyError(`目标数据库不是空的：表 ${table} 已有数据 / the target is not empty: table ${table} has rows`)
      }
    }
    const report: CopyReport = { tables: [], rows: 0 }
    for (const table of ordered) {
      const targetColumns = new Set(
        (
          await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = current_schema() and table_name = ${table}`.execute(trx)
        ).rows.map((c) => c.name),
      )
      const sourceColumns = (sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map(
        (c) => c.name,
      )
      // Columns only the target has take their defaults (a later migration's new column).
      const extra = sourceColumns.filter((c) => !targetColumns.has(c))
      if (extra.length) throw new CopyError(`表 ${table} 的列不一致 / columns differ in ${table}: ${extra.join(', ')}`)
      const total = (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n
      const selfRef = selfReference(sqlite, table)
      const rows = sqlite.prepare(`select ${sourceColumns.map((c) => `"${c}"`).join(', ')} from "${table}"`)
      const source = selfRef ? parentsFirst(rows.all() as Record<string, unknown>[], selfRef) : rows.iterate()
      let batch: Record<string, unknown>[] = []
      let copied = 0
      const size = batchSize(sourceColumns.length)
      const flush = async () => {
        if (!batch.length) return
        await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(batch).execute()
        copied += batch.length
        batch = []
        onProgress(table, copied, total)
      }
      for (const row of source as Iterable<Record<string, unknown>>) {
        batch.push(row)
        if (batch.length >= size) await flush()
      }
      await flush()
      const identity = (
        await sql<{ column: string }>`select column_name as column from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} and is_identity = 'YES'`.execute(trx)
      ).rows[0]?.column
      if (identity) {
        await sql`select setval(pg_get_serial_sequence(${table}, ${identity}),
                                coalesce((select max(${sql.ref(identity)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx)
      }
      const counted = Number(
        (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(trx)).rows[0]?.n ?? -1,
      )
      if (counted !== total) {
        throw new CopyError(`表 ${table} 行数不符：源 ${total}，目标 ${counted} / row counts differ in ${table}`)
      }
      report.tables.push({ table, source: total, target: counted })
      report.rows += counted
    }
    return report
  })
}

/** Parents before children by foreign keys (a table referring to itself is handled row by row). */
function dependencyOrder(sqlite: BetterSqlite3.Database, tables: string[]): string[] {
  const set = new Set(tables)
  const deps = new Map<string, Set<string>>()
  for (const table of tables) {
    const refs = (sqlite.prepare(`select "table" as ref from pragma_foreign_key_list(?)`).all(table) as { ref: string }[])
      .map((r) => r.ref)
      .filter((r) => r !== table && set.has(r))
    deps.set(table, new Set(refs))
  }
  const ordered: string[] = []
  const done = new Set<string>()
  const visit = (table: string, trail: Set<string>) => {
    if (done.has(table)) return
    if (trail.has(table)) throw new CopyError(`外键循环 / foreign keys form a cycle at ${table}`)
    trail.add(table)
    for (const dep of [...(deps.get(table) ?? [])].sort()) visit(dep, trail)
    trail.delete(table)
    done.add(table)
    ordered.push(table)
  }
  for (const table of [...tables].sort()) visit(table, new Set())
  return ordered
}

function selfReference(sqlite: BetterSqlite3.Database, table: string): { from: string; to: string } | null {
  const fk = (
    sqlite.prepare(`select "table" as ref, "from" as col, "to" as target from pragma_foreign_key_list(?)`).all(table) as {
      ref: string
      col: string
      target: string
    }[]
  ).find((f) => f.ref === table)
  return fk ? { from: fk.col, to: fk.target } : null
}

/** Rows of a self-referencing table ordered so every parent precedes its children. */
function parentsFirst(rows: Record<string, unknown>[], ref: { from: string; to: string }): Record<string, unknown>[] {
  const placed = new Set<unknown>()
  const ordered: Record<string, unknown>[] = []
  let pending = rows
  while (pending.length) {
    const next: Record<string, unknown>[] = []
    for (const row of pending) {
      const parent = row[ref.from]
      if (parent === null || parent === undefined || placed.has(parent)) {
        ordered.push(row)
        placed.add(row[ref.to])
      } else next.push(row)
    }
    if (next.length === pending.length) {
      throw new CopyError(`父行缺失 / ${next.length} rows refer to parents that do not exist`)
    }
    pending = next
  }
  return ordered
}
