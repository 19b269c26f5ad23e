import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { isPostgres } from '../../../db/dialect.js'
import type { z } from 'zod'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { ReferenceData } from '../reference/reference.server.js'
import type { ExchangeIds } from './ids.server.js'
import type { ExchangeIssue } from './issues.js'

/*
 * What one type of the exchange format is (docs/exchange.md): its schemas (one per
 * version), what its lines define and refer to (so the whole file is checked before
 * anything is written), how a line is written (a writer) and how rows become lines
 * again (a reader). Adding a type is adding its schema, writer and reader here and one
 * entry in registry.server.ts.
 */

/** What is known of an object another line refers to: its kind, whether it is official … */
export type Facts = Readonly<Record<string, string | boolean>>

/** A namespace of external ids, and the table its objects live in. */
export interface IdSpace {
  /** exchange_ids.type: 'organisation', 'case', 'contract_template'. */
  name: string
  table: 'organisations' | 'provider_cases' | 'contract_templates' | 'needs' | 'diagnoses' | 'bids' | 'contracts'
  /** Prefix of the ids an export makes up for rows that have none (dj-org-12). */
  exportPrefix: string
  /** The facts references may require, for rows already in the database. */
  loadFacts(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, Facts>>
}

/** A line's reference to an object of another line or of the database. */
export interface Reference {
  path: (string | number)[]
  space: string
  externalId: string
  /** Facts the object must have, and the message when it has not. */
  expect?: { facts: Facts; key: string }
}

export interface Definition {
  space: string
  externalId: string
  facts: Facts
}

export interface ImportOptions {
  /** Organisations whose line says "verified" become verified (audited, naming the operator). */
  markVerified: boolean
  /** The account running the import, for the audit log; required with markVerified. */
  operator: { userId: number } | null
  /** The file's name, recorded in the audit log. */
  source: string
  /** Check only: nothing is written. */
  dryRun?: boolean
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged'

export interface WriteContext {
  trx: Transaction<DB>
  afterCommit: AfterCommit
  ids: ExchangeIds
  ref: ReferenceData
  options: ImportOptions
  now: string
  /** Tally of what happened to one line. */
  count(type: string, outcome: WriteOutcome): void
  /** A provider's directory entry changed: its search document is queued once, at the end. */
  providerChanged(orgId: number): void
  /** An enterprise's name, region or status changed: its needs' documents are queued once, at the end. */
  enterpriseChanged(orgId: number): void
  /** A need was created or changed: its search document is queued once, at the end. */
  needChanged(needId: number): void
  tally: {
    /** Organisations verified by this import (their audit rows are written by the writer). */
    verified: number
    /** Organisations a line asked to verify without --mark-verified (imported pending). */
    verifyNotApplied: number
  }
}

/** Checks across lines and against the database that one type needs beyond references. */
export interface CrossCheck<R> {
  /** Called for every valid line of the type, in file order. */
  add(record: R, line: number): ExchangeIssue[]
  /** Called once the whole file was read. */
  finish(db: Kysely<DB>, ids: ExchangeIds): Promise<ExchangeIssue[]>
}

/** Any line, as far as the engine is concerned. */
export interface ExchangeRecord {
  type: string
  version: number
}

export interface ExchangeType<R extends ExchangeRecord> {
  type: string
  /** The version exports write. */
  current: number
  /** Schema per version; each parses into the current record shape. */
  schemas: Readonly<Record<number, z.ZodType<R, unknown>>>
  /** The key a line of this type may hold only once per file (its externalId, or its organisation for a profile). */
  key(record: R): string
  /** The id space its externalId belongs to, if other lines can refer to it. */
  defines?(record: R): Definition
  references(record: R): Reference[]
  /** Codes that must exist in the reference data (regions, industries, scenarios). */
  checkCodes(record: R, ref: ReferenceData, line: number): ExchangeIssue[]
  crossCheck?(options: ImportOptions): CrossCheck<R>
  /** Write order: all lines of phase 0 first, then 1 … (what a line refers to is written before it). */
  phase(record: R): number
  /** Writes a batch of valid lines (each resolved against ids). */
  write(ctx: WriteContext, batch: readonly { line: number; record: R }[]): Promise<void>
}

/** Rows per multi-row INSERT (10 columns at most: far below both databases' parameter limits). */
const INSERT_ROWS = 500

/** Inserts rows in multi-row statements: a writer gathers a batch's child rows and writes them at once. */
export async function insertRows<T extends keyof DB>(
  trx: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_ROWS))
      .execute()
  }
}

/**
 * Inserts new rows and returns their ids, in order. On PostgreSQL the ids come from the
 * table's identity sequence first and the rows go in multi-row statements (a round trip
 * per INSERT_ROWS rows instead of one per row); SQLite, in process, takes them one by one.
 */
export async function insertReturningIds<
  T extends 'provider_cases' | 'contract_templates' | 'needs' | 'diagnoses' | 'diagnosis_report_versions',
>(trx: Kysely<DB>, table: T, rows: readonly Insertable<DB[T]>[]): Promise<number[]> {
  if (rows.length === 0) return []
  if (!isPostgres(trx)) {
    const ids: number[] = []
    for (const row of rows) {
      const created = await trx
        .insertInto(table as 'provider_cases')
        .values(row as Insertable<DB['provider_cases']>)
        .returning('id')
        .executeTakeFirstOrThrow()
      ids.push(created.id)
    }
    return ids
  }
  const reserved = await sql<{ id: number | string }>`
    select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${rows.length}::int)`.execute(trx)
  const ids = reserved.rows.map((r) => Number(r.id)).sort((a, b) => a - b)
  await insertRows(
    trx,
    table,
    rows.map((row, i) => ({ ...row, id: ids[i] })),
  )
  return ids
}

/** Checks a list of codes against a set, naming each unknown one at its index. */
export function unknownCodes(
  line: number,
  path: (string | number)[],
  codes: readonly string[],
  known: ReadonlyMap<string, unknown>,
  key: string,
): ExchangeIssue[] {
  const out: ExchangeIssue[] = []
  codes.forEach((code, i) => {
    if (!known.has(code)) out.push({ line, path: [...path, i], key, params: { code } })
  })
  return out
}

export function unknownCode(
  line: number,
  path: (string | number)[],
  code: string | null,
  known: ReadonlyMap<string, unknown>,
  key: string,
): ExchangeIssue[] {
  return code === null || known.has(code) ? [] : [{ line, path, key, params: { code } }]
}
