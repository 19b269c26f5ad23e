import type { Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'
import { intBetween, oneOf, oneOfDefault, text, textBetween, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Excel exports and imports of an agency's lists, run as background tasks (issue 15 §7;
// app/domain/spreadsheets/tasks.server.ts):
// - spreadsheet_tasks: one export or import started by a member (user_id) of an agency
//   (org_id). direction export | import; list: what it exports (enterprises, needs,
//   providers, contracts) or imports (enterprises, diagnoses = 诊断对接名单). params: the
//   list page's query string (region, filters), parsed again by the page's own schema
//   when the task runs — text, never read by SQL. locale: the reader's language, for the
//   headers. status:
//     export: queued → running → done | failed
//     import: queued → running → ready (valid: the preview waits for 确认导入) | invalid
//             (row errors, nothing can be written) | failed; ready → confirmed (queued for
//             writing) → running → imported | invalid (a row became invalid meanwhile);
//             ready | invalid → cancelled (the member discards it).
//   progress_done / progress_total: rows handled of rows to handle (the page's progress
//   bar). row_count: rows exported, or data rows in the file. lease_until: the running
//   task's claim (the job renews it; a claim past it is taken over, attempts counts how
//   often a task was claimed). error: a catalogue key when failed.
// - spreadsheet_task_files: the uploaded file (role upload) and the export (role result),
//   bytes in the database (bounded: MAX_IMPORT_BYTES, and exports of at most
//   MAX_EXPORT_ROWS rows), removed with the task.
// - spreadsheet_task_issues: an import's row-level errors, in row order (row_no: the
//   spreadsheet's row number; column_key: the template column; message: a catalogue key;
//   value: what the cell held, cut to 200 characters).
// - spreadsheet_task_rows: an import's preview: a label and a detail per data row
//   (the first PREVIEW_ROWS rows).

const STATUSES = ['queued', 'running', 'done', 'ready', 'invalid', 'confirmed', 'imported', 'failed', 'cancelled']
const LISTS = ['enterprises', 'needs', 'providers', 'contracts', 'diagnoses']

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)

  await withId(db, db.schema.createTable('spreadsheet_tasks'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('direction', 'text', oneOf('direction', ['export', 'import']))
    .addColumn('list', 'text', oneOf('list', LISTS))
    .addColumn('locale', 'text', oneOf('locale', ['zh-CN', 'en']))
    .addColumn('params', 'text', text(1000, 'params'))
    .addColumn('status', 'text', oneOfDefault('status', STATUSES, 'queued'))
    .addColumn('progress_done', 'integer', intBetween('progress_done', 0, 1_000_000, 0))
    .addColumn('progress_total', 'integer', intBetween('progress_total', 0, 1_000_000, 0))
    .addColumn('row_count', 'integer', intBetween('row_count', 0, 1_000_000, 0))
    .addColumn('file_name', 'text', text(200, 'file_name'))
    .addColumn('error', 'text', text(200, 'error'))
    .addColumn('attempts', 'integer', intBetween('attempts', 0, 1000, 0))
    .addColumn('lease_until', t)
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('started_at', t)
    .addColumn('finished_at', t)
    .addColumn('confirmed_at', t)
    .addColumn('imported_at', t)
    .execute()
  await db.schema.createIndex('spreadsheet_tasks_org_idx').on('spreadsheet_tasks').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('spreadsheet_tasks_status_idx').on('spreadsheet_tasks').columns(['status', 'id']).execute()

  await db.schema
    .createTable('spreadsheet_task_files')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('spreadsheet_tasks.id').onDelete('cascade'))
    .addColumn('role', 'text', oneOf('role', ['upload', 'result']))
    .addColumn('bytes', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('size', 'integer', intBetween('size', 0, 100_000_000))
    .addPrimaryKeyConstraint('spreadsheet_task_files_pk', ['task_id', 'role'])
    .execute()

  await db.schema
    .createTable('spreadsheet_task_issues')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('spreadsheet_tasks.id').onDelete('cascade'))
    .addColumn('seq', 'integer', intBetween('seq', 1, 1_000_000))
    .addColumn('row_no', 'integer', intBetween('row_no', 0, 1_000_000))
    .addColumn('column_key', 'text', text(60, 'column_key'))
    .addColumn('message', 'text', textBetween(1, 120, 'message'))
    .addColumn('value', 'text', text(200, 'value'))
    .addPrimaryKeyConstraint('spreadsheet_task_issues_pk', ['task_id', 'seq'])
    .execute()

  await db.schema
    .createTable('spreadsheet_task_rows')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('spreadsheet_tasks.id').onDelete('cascade'))
    .addColumn('row_no', 'integer', intBetween('row_no', 1, 1_000_000))
    .addColumn('label', 'text', text(200, 'label'))
    .addColumn('detail', 'text', text(400, 'detail'))
    .addPrimaryKeyConstraint('spreadsheet_task_rows_pk', ['task_id', 'row_no'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spreadsheet_task_rows').execute()
  await db.schema.dropTable('spreadsheet_task_issues').execute()
  await db.schema.dropTable('spreadsheet_task_files').execute()
  await db.schema.dropTable('spreadsheet_tasks').execute()
}
