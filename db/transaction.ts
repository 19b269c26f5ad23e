import type { Kysely, Transaction } from 'kysely'
import type { DB } from './types.js'

/**
 * Registers work to run once the transaction has committed: flushing the search
 * outbox, later notifications. Tasks never run when the transaction rolls back.
 */
export type AfterCommit = (task: () => unknown) => void

/**
 * Registers work to run if the transaction rolls back: undoing what was done outside
 * the database (bytes written to FileStorage before their row). Never runs on commit.
 */
export type OnRollback = (task: () => unknown) => void

export interface TransactionHooks {
  afterCommit: AfterCommit
  onRollback: OnRollback
}

const hooksByTransaction = new WeakMap<Transaction<DB>, TransactionHooks>()

/**
 * The hooks of a transaction withTransaction opened, for code handed only its `trx`
 * (app/domain/files: bytes stored before the row commits are deleted on rollback,
 * those of a deleted row after commit). Throws for any other transaction, so such
 * code cannot silently run without them.
 */
export function transactionHooks(trx: Transaction<DB>): TransactionHooks {
  const hooks = hooksByTransaction.get(trx)
  if (!hooks) throw new Error('transactionHooks: not a transaction opened by withTransaction')
  return hooks
}

/**
 * The unit of work of a use case that writes: `fn` runs in one transaction and may
 * register after-commit tasks. After a successful commit each task is awaited in the
 * order it was registered, so when this resolves the side effects have happened (the
 * next request sees an updated search index). A failing task is logged and does not
 * fail the caller: the write is committed, and whatever the task was doing is backed
 * by durable state (the outbox keeps the rows for the next flush). On rollback the
 * onRollback tasks (transactionHooks) run, each awaited, a failing one logged, then the
 * error propagates; no after-commit task runs.
 *
 * Transactions do not nest: pass the `trx` down rather than calling this again
 * inside `fn`.
 */
export async function withTransaction<T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const tasks: (() => unknown)[] = []
  const undo: (() => unknown)[] = []
  let open = true
  const afterCommit: AfterCommit = (task) => {
    if (!open) throw new Error('afterCommit: the transaction has already ended')
    tasks.push(task)
  }
  const onRollback: OnRollback = (task) => {
    if (!open) throw new Error('onRollback: the transaction has already ended')
    undo.push(task)
  }
  let result: T
  try {
    result = await db.transaction().execute((trx) => {
      hooksByTransaction.set(trx, { afterCommit, onRollback })
      return fn(trx, afterCommit)
    })
  } catch (error) {
    open = false
    for (const task of undo) {
      try {
        await task()
      } catch (undoError) {
        console.error('rollback task failed', undoError)
      }
    }
    throw error
  } finally {
    open = false
  }
  for (const task of tasks) {
    try {
      await task()
    } catch (error) {
      console.error('after-commit task failed (the write is committed)', error)
    }
  }
  return result
}

export interface UniqueViolation {
  /** The table whose constraint failed; '' when the driver does not say (an expression index in SQLite). */
  table: string
  /** The constrained columns, in constraint order; empty when the driver does not say. */
  columns: string[]
  /** The index or constraint name, when the driver gives it instead of columns. */
  constraint?: string
}

type Recogniser = (error: Error & { code?: unknown }) => UniqueViolation | null

/**
 * better-sqlite3's SqliteError: code SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY, message
 * `UNIQUE constraint failed: users.phone`, `… t.a, t.b`, or `… index 'name'` for an
 * index on expressions.
 */
const sqlite: Recogniser = (error) => {
  if (error.code !== 'SQLITE_CONSTRAINT_UNIQUE' && error.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null
  const detail = /UNIQUE constraint failed: (.*)$/.exec(error.message)?.[1]?.trim() ?? ''
  const index = /^index '(.+)'$/.exec(detail)?.[1]
  if (index !== undefined) return { table: '', columns: [], constraint: index }
  const qualified = detail
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
  const table = qualified[0]?.split('.')[0] ?? ''
  const columns = qualified.map((part) => part.slice(part.indexOf('.') + 1))
  return { table, columns }
}

/**
 * node-postgres' DatabaseError: code '23505' (unique_violation) with `table`,
 * `constraint` and `detail` (`Key (a, b)=(1, 2) already exists.`). Not yet exercised
 * against a server; kept so a PostgreSQL deployment needs no change at call sites.
 */
const postgres: Recogniser = (error) => {
  if (error.code !== '23505') return null
  const e = error as { table?: unknown; constraint?: unknown; detail?: unknown }
  const keys = typeof e.detail === 'string' ? /^Key \(([^)]*)\)=/.exec(e.detail)?.[1] : undefined
  return {
    table: typeof e.table === 'string' ? e.table : '',
    columns: keys ? keys.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [],
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
  }
}

const RECOGNISERS: readonly Recogniser[] = [sqlite, postgres]

/**
 * What a UNIQUE (or primary key) violation was about, or null for any other error.
 * Use cases turn it into a CONFLICT with a message naming the field (two concurrent
 * sign-ups with one phone number must not become a 500).
 */
export function uniqueViolation(error: unknown): UniqueViolation | null {
  if (!(error instanceof Error)) return null
  for (const recognise of RECOGNISERS) {
    const found = recognise(error)
    if (found) return found
  }
  return null
}
