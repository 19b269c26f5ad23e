import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Column builders shared by the migrations from 2026-12-03T0500 on. FROZEN like the
// migrations that use them: never change what a function emits (a migration that ran
// must mean the same schema forever); add a new function instead.

export type Table = CreateTableBuilder<string, string>

/** `id`: identity on PostgreSQL, autoincrement on SQLite. */
export function withId(db: Kysely<any>, table: Table): Table {
  return table.addColumn('id', 'integer', (c) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  )
}

/** Timestamp column type: timestamptz on PostgreSQL, ISO text on SQLite. */
export function ts(db: Kysely<any>): 'timestamptz' | 'text' {
  return isPostgres(db) ? 'timestamptz' : 'text'
}

/** Calendar date column type: date on PostgreSQL, text on SQLite (checked by `day`). */
export function dt(db: Kysely<any>): 'date' | 'text' {
  return isPostgres(db) ? 'date' : 'text'
}

/** Text, not null, default '', at most `max` characters. */
export function text(max: number, name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo('')
      .check(sql`length(${sql.ref(name)}) <= ${sql.lit(max)}`)
}

/** Text, not null, between `min` and `max` characters. */
export function textBetween(min: number, max: number, name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c.notNull().check(sql`length(${sql.ref(name)}) between ${sql.lit(min)} and ${sql.lit(max)}`)
}

/** One of `values` (nullable: or null). */
export function oneOf(name: string, values: readonly string[], nullable = false) {
  const list = sql.join(values.map((v) => sql.lit(v)))
  return (c: ColumnDefinitionBuilder) =>
    nullable
      ? c.check(sql`${sql.ref(name)} is null or ${sql.ref(name)} in (${list})`)
      : c.notNull().check(sql`${sql.ref(name)} in (${list})`)
}

/** Like `oneOf`, with a default. */
export function oneOfDefault(name: string, values: readonly string[], fallback: string) {
  const list = sql.join(values.map((v) => sql.lit(v)))
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo(fallback)
      .check(sql`${sql.ref(name)} in (${list})`)
}

/**
 * A calendar date (a day in China): PostgreSQL `date`; SQLite text that must be a real
 * YYYY-MM-DD day. `date(x) is x` — unlike `date(x) = x`, which lets '2026-06' through
 * because date('2026-06') is null and a null CHECK passes.
 */
export function day(db: Kysely<any>, name: string, notNull = false) {
  return (c: ColumnDefinitionBuilder) => {
    const typed = isPostgres(db) ? c : c.check(sql`${sql.ref(name)} is null or date(${sql.ref(name)}) is ${sql.ref(name)}`)
    return notNull ? typed.notNull() : typed
  }
}

/** An integer in [min, max], not null (with a default when given). */
export function intBetween(name: string, min: number, max: number, fallback?: number) {
  return (c: ColumnDefinitionBuilder) => {
    const base = fallback === undefined ? c.notNull() : c.notNull().defaultTo(fallback)
    return base.check(sql`${sql.ref(name)} between ${sql.lit(min)} and ${sql.lit(max)}`)
  }
}

/** A nullable integer in [min, max]. */
export function optionalIntBetween(name: string, min: number, max: number) {
  return (c: ColumnDefinitionBuilder) =>
    c.check(sql`${sql.ref(name)} is null or ${sql.ref(name)} between ${sql.lit(min)} and ${sql.lit(max)}`)
}

/** The column type of a 0/1 flag: smallint on PostgreSQL, integer on SQLite. */
export function flagType(db: Kysely<any>): 'smallint' | 'integer' {
  return isPostgres(db) ? 'smallint' : 'integer'
}

/** A 0/1 flag (column type `flagType(db)`), not null, default 0. */
export function flag(name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo(0)
      .check(sql`${sql.ref(name)} in (0, 1)`)
}

/** 'HH:MM' (00:00–23:59) on both dialects. */
export function clock(name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c.notNull().check(sql`length(${sql.ref(name)}) = 5 and ${sql.ref(name)} between '00:00' and '23:59'`)
}
