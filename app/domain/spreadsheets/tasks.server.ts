import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { SpreadsheetList, SpreadsheetTaskStatus } from '../../../db/types.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { translator, type Locale, type MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { IMPORT_COLUMNS, isExportList, isImportList, type ExportList, type ImportList } from './columns.js'
import { exportHeaders, exportPlan, normaliseExportParams } from './exports.server.js'
import { checkImport, issueColumnLetter, writeImport, type CheckResult } from './imports.server.js'
import {
  KEEP_TASKS_MS,
  MAX_ATTEMPTS,
  MAX_EXPORT_ROWS,
  MAX_IMPORT_BYTES,
  MAX_OPEN_TASKS_PER_ORG,
  START_LIMIT,
  TASK_LEASE_MS,
  TASKS_PAGE_SIZE,
  TEMPLATE_LIMIT,
} from './limits.js'
import { listWorkbook, xlsxHeaders } from './workbook.server.js'
import { streamedSheet } from './xlsx-stream.server.js'

/*
 * An agency's Excel exports and imports as background tasks (issue 15 §7). Starting one
 * writes a row (queued) and returns at once; the scheduled job `spreadsheet-tasks`
 * (app/web/jobs.server.ts → runSpreadsheetTasks) claims queued tasks one at a time with a
 * lease, runs them chunk by chunk writing progress as it goes, and stores the result:
 * - export: the .xlsx (role result), downloadable by the member who started it;
 * - import: the uploaded file is checked in the task → ready (preview) or invalid (row
 *   errors); 确认导入 (ready → confirmed) queues the write, which checks again and
 *   writes every row in one transaction, audited → imported (or invalid, nothing
 *   written).
 * Who: 'export:agency-lists:role' (any verified agency member) to export,
 * 'import:agency-lists:role' (owner, reviewer) to import and confirm; a task belongs to
 * its member and agency: anyone else is told it does not exist. The job re-checks that
 * the member still acts for the agency before running.
 */

const OPEN: SpreadsheetTaskStatus[] = ['queued', 'running', 'confirmed']

export interface TaskView {
  id: number
  direction: 'export' | 'import'
  list: SpreadsheetList
  status: SpreadsheetTaskStatus
  progressDone: number
  progressTotal: number
  rowCount: number
  fileName: string
  error: string
  createdAt: string
  finishedAt: string | null
  /** The page polls while any task is in one of OPEN. */
  open: boolean
  downloadable: boolean
}

function agencyOf(actor: Actor) {
  const org = actor.org
  if (!org || org.kind !== 'agency') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'export:agency-lists:role' } })
  }
  return org
}

type TaskRow = {
  id: number
  direction: 'export' | 'import'
  list: SpreadsheetList
  status: SpreadsheetTaskStatus
  progress_done: number
  progress_total: number
  row_count: number
  file_name: string
  error: string
  created_at: string
  finished_at: string | null
}

function view(r: TaskRow): TaskView {
  return {
    id: r.id,
    direction: r.direction,
    list: r.list,
    status: r.status,
    progressDone: Number(r.progress_done),
    progressTotal: Number(r.progress_total),
    rowCount: Number(r.row_count),
    fileName: r.file_name,
    error: r.error,
    createdAt: String(r.created_at),
    finishedAt: r.finished_at ? String(r.finished_at) : null,
    open: OPEN.includes(r.status),
    downloadable: r.direction === 'export' && r.status === 'done',
  }
}

const TASK_COLUMNS = [
  'id',
  'direction',
  'list',
  'status',
  'progress_done',
  'progress_total',
  'row_count',
  'file_name',
  'error',
  'created_at',
  'finished_at',
] as const

/* ------------------------------------------------------------ the page */

export interface TasksPage {
  tasks: TaskView[]
  page: number
  pageCount: number
  mayImport: boolean
  anyOpen: boolean
}

/** /agency/exports: the member's tasks for the agency they act for, newest first. */
export async function listMyTasks(db: Database, actor: Actor, page: number): Promise<TasksPage> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor)
  authorize(actor, ref, 'export:agency-lists:role')
  const mine = db.selectFrom('spreadsheet_tasks').where('org_id', '=', agency.orgId).where('user_id', '=', actor.userId)
  const { n } = await mine.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const pageCount = Math.max(1, Math.ceil(Number(n) / TASKS_PAGE_SIZE))
  const current = Math.min(Math.max(1, page), pageCount)
  const rows = await mine
    .select([...TASK_COLUMNS])
    .orderBy('id', 'desc')
    .limit(TASKS_PAGE_SIZE)
    .offset((current - 1) * TASKS_PAGE_SIZE)
    .execute()
  const tasks = rows.map(view)
  const mayImport = can(actor, ref, 'import:agency-lists:role')
  return { tasks, page: current, pageCount, mayImport, anyOpen: tasks.some((t) => t.open) }
}

async function startGuards(db: Database, actor: Actor, orgId: number) {
  await reserve(db, [{ key: `spreadsheet-start:user:${actor.userId}`, rule: START_LIMIT }])
  const { n } = await db
    .selectFrom('spreadsheet_tasks')
    .where('org_id', '=', orgId)
    .where('status', 'in', OPEN)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(n) >= MAX_OPEN_TASKS_PER_ORG) {
    throw new AppError('CONFLICT', 'spreadsheets.e.tooManyOpen', { params: { max: MAX_OPEN_TASKS_PER_ORG } })
  }
}

/** 导出: queues an export of `list` with the list page's query (`params`). */
export async function startExport(
  db: Database,
  actor: Actor,
  input: { list: ExportList; params: string },
  locale: Locale,
): Promise<{ taskId: number }> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor)
  authorize(actor, ref, 'export:agency-lists:role')
  await startGuards(db, actor, agency.orgId)
  const params = normaliseExportParams(input.list, input.params)
  const now = new Date().toISOString()
  return withTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('spreadsheet_tasks')
      .values({
        org_id: agency.orgId,
        user_id: actor.userId,
        direction: 'export',
        list: input.list,
        locale,
        params,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'spreadsheet.export_started',
      ...auditActor(actor),
      objectType: 'spreadsheet_task',
      objectId: row.id,
      detail: { list: input.list, params },
    })
    return { taskId: row.id }
  })
}

/** 导入: stores the file and queues its check. */
export async function startImport(
  db: Database,
  actor: Actor,
  input: { list: ImportList; file: { name: string; bytes: Uint8Array } | null },
  locale: Locale,
): Promise<{ taskId: number }> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor)
  authorize(actor, ref, 'import:agency-lists:role')
  const file = input.file
  if (!file || file.bytes.length === 0) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { file: 'spreadsheets.v.fileRequired' } })
  }
  if (file.bytes.length > MAX_IMPORT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'spreadsheets.v.fileTooLarge', {
      fieldErrors: { file: 'spreadsheets.v.fileTooLarge' },
      params: { max: MAX_IMPORT_BYTES / 1024 / 1024 },
    })
  }
  if (!/\.xlsx$/i.test(file.name)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { file: 'spreadsheets.v.notXlsx' } })
  }
  await startGuards(db, actor, agency.orgId)
  const now = new Date().toISOString()
  const name = [...file.name]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .slice(-200)
  return withTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('spreadsheet_tasks')
      .values({
        org_id: agency.orgId,
        user_id: actor.userId,
        direction: 'import',
        list: input.list,
        locale,
        file_name: name,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('spreadsheet_task_files')
      .values({ task_id: row.id, role: 'upload', bytes: Buffer.from(file.bytes), size: file.bytes.length })
      .execute()
    await recordAudit(trx, {
      action: 'spreadsheet.import_started',
      ...auditActor(actor),
      objectType: 'spreadsheet_task',
      objectId: row.id,
      detail: { list: input.list, file: name, bytes: file.bytes.length },
    })
    return { taskId: row.id }
  })
}

async function ownTask(db: Database | Transaction<DB>, actor: Actor, taskId: number) {
  const agency = agencyOf(actor)
  const row = await db
    .selectFrom('spreadsheet_tasks')
    .select([...TASK_COLUMNS, 'user_id', 'org_id', 'locale'])
    .where('id', '=', taskId)
    .where('org_id', '=', agency.orgId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'spreadsheets.e.notFound')
  return row
}

export interface TaskIssueView {
  row: number
  column: string
  letter: string
  message: MessageKey
  value: string
  params: Record<string, string | number>
}

export interface TaskPage {
  task: TaskView
  issues: TaskIssueView[]
  issueCount: number
  preview: { row: number; label: string; detail: string }[]
  mayConfirm: boolean
}

/** /agency/exports/:id: a task with its progress; an import's preview or row errors. */
export async function getTaskPage(db: Database, actor: Actor, taskId: number): Promise<TaskPage> {
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'export:agency-lists:role')
  const row = await ownTask(db, actor, taskId)
  const [issues, count, preview] = await Promise.all([
    db
      .selectFrom('spreadsheet_task_issues')
      .select(['row_no', 'column_key', 'message', 'value'])
      .where('task_id', '=', taskId)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('spreadsheet_task_issues')
      .where('task_id', '=', taskId)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('spreadsheet_task_rows')
      .select(['row_no', 'label', 'detail'])
      .where('task_id', '=', taskId)
      .orderBy('row_no')
      .execute(),
  ])
  const list = row.list
  const task = view(row)
  const mayImport = can(actor, ref, 'import:agency-lists:role')
  return {
    task,
    issues: issues.map((i) => {
      const column = isImportList(list) ? IMPORT_COLUMNS[list].find((c) => c.key === i.column_key) : undefined
      return {
        row: Number(i.row_no),
        column: i.column_key,
        letter: isImportList(list) ? issueColumnLetter(list, i.column_key) : '',
        message: i.message as MessageKey,
        value: i.value,
        params: { max: column?.max ?? 0 },
      }
    }),
    issueCount: Math.max(Number(count.n), task.error ? 0 : issues.length),
    preview: preview.map((p) => ({ row: Number(p.row_no), label: p.label, detail: p.detail })),
    mayConfirm: mayImport && row.direction === 'import' && row.status === 'ready',
  }
}

/** 确认导入: a ready import is queued for writing (the job writes it). */
export async function confirmImport(db: Database, actor: Actor, taskId: number): Promise<void> {
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'import:agency-lists:role')
  await withTransaction(db, async (trx) => {
    const row = await ownTask(trx, actor, taskId)
    if (row.direction !== 'import') throw new AppError('NOT_FOUND', 'spreadsheets.e.notFound')
    const updated = await trx
      .updateTable('spreadsheet_tasks')
      .set({ status: 'confirmed', confirmed_at: new Date().toISOString(), progress_done: 0, attempts: 0 })
      .where('id', '=', taskId)
      .where('status', '=', 'ready')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'spreadsheets.e.notReady')
    await recordAudit(trx, {
      action: 'spreadsheet.import_confirmed',
      ...auditActor(actor),
      objectType: 'spreadsheet_task',
      objectId: taskId,
      detail: { list: row.list, rows: Number(row.row_count) },
    })
  })
}

/** 放弃: a checked import (ready or invalid) is dropped with its file. */
export async function cancelImport(db: Database, actor: Actor, taskId: number): Promise<void> {
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'import:agency-lists:role')
  await withTransaction(db, async (trx) => {
    const row = await ownTask(trx, actor, taskId)
    if (row.direction !== 'import') throw new AppError('NOT_FOUND', 'spreadsheets.e.notFound')
    const updated = await trx
      .updateTable('spreadsheet_tasks')
      .set({ status: 'cancelled', finished_at: new Date().toISOString() })
      .where('id', '=', taskId)
      .where('status', 'in', ['ready', 'invalid'])
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'spreadsheets.e.notReady')
    await trx.deleteFrom('spreadsheet_task_files').where('task_id', '=', taskId).execute()
    await trx.deleteFrom('spreadsheet_task_rows').where('task_id', '=', taskId).execute()
    await recordAudit(trx, {
      action: 'spreadsheet.import_cancelled',
      ...auditActor(actor),
      objectType: 'spreadsheet_task',
      objectId: taskId,
      detail: { list: row.list },
    })
  })
}

/* ------------------------------------------------------------ downloads */

const FILE_NAMES: Record<ExportList, { zh: string; ascii: string }> = {
  enterprises: { zh: '企业名单', ascii: 'enterprises' },
  needs: { zh: '需求清单', ascii: 'needs' },
  providers: { zh: '服务商名单', ascii: 'providers' },
  contracts: { zh: '合同清单', ascii: 'contracts' },
}

/** The finished export's file (the member who started it only). */
export async function downloadExport(db: Database, actor: Actor, taskId: number): Promise<Response> {
  const ref = await getReferenceData(db)
  authorize(actor, ref, 'export:agency-lists:role')
  const row = await ownTask(db, actor, taskId)
  if (row.direction !== 'export' || row.status !== 'done' || !isExportList(row.list)) {
    throw new AppError('NOT_FOUND', 'spreadsheets.e.notFound')
  }
  const file = await db
    .selectFrom('spreadsheet_task_files')
    .select('bytes')
    .where('task_id', '=', taskId)
    .where('role', '=', 'result')
    .executeTakeFirst()
  if (!file) throw new AppError('NOT_FOUND', 'spreadsheets.e.notFound')
  const bytes = new Uint8Array(new ArrayBuffer(file.bytes.byteLength))
  bytes.set(file.bytes)
  const t = translator(row.locale)
  const name = t(`spreadsheets.file.${row.list}`, { id: taskId })
  return new Response(bytes, {
    status: 200,
    headers: xlsxHeaders(bytes, name, `${FILE_NAMES[row.list].ascii}-${taskId}`),
  })
}

/** An import's template: the header row in the reader's language, and a sheet of what each column takes. */
export async function importTemplate(db: Database, actor: Actor, list: ImportList, locale: Locale): Promise<Response> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor)
  authorize(actor, ref, 'import:agency-lists:role')
  await reserve(db, [{ key: `spreadsheet-template:user:${actor.userId}`, rule: TEMPLATE_LIMIT }])
  const t = translator(locale)
  const columns = IMPORT_COLUMNS[list]
  const bytes = await listWorkbook(
    [
      {
        name: t('spreadsheets.template.sheet'),
        columns: columns.map((c) => ({
          header: `${t(`spreadsheets.col.${list}.${c.key}` as MessageKey)}${c.required ? '*' : ''}`,
          width: c.width,
        })),
        rows: [],
      },
      {
        name: t('spreadsheets.template.help'),
        title: t(`spreadsheets.template.title.${list}`, { region: regionLabel(ref, agency.regionCode, locale) }),
        columns: [
          { header: t('spreadsheets.template.colColumn'), width: 24 },
          { header: t('spreadsheets.template.colRule'), width: 80 },
        ],
        rows: columns.map((c) => [
          t(`spreadsheets.col.${list}.${c.key}` as MessageKey),
          t(`spreadsheets.rule.${list}.${c.key}` as MessageKey, { max: c.max }),
        ]),
        notes: [t('spreadsheets.template.note', { rows: 2000 })],
      },
    ],
    { creator: 'Duijie' },
  )
  return new Response(bytes, {
    status: 200,
    headers: xlsxHeaders(bytes, t(`spreadsheets.template.file.${list}`), `template-${list}`),
  })
}

/* ------------------------------------------------------------ the job */

interface Claimed {
  id: number
  org_id: number
  user_id: number
  direction: 'export' | 'import'
  list: SpreadsheetList
  locale: Locale
  params: string
  status: SpreadsheetTaskStatus
  attempts: number
  confirmed_at: string | null
}

/**
 * Claims the oldest task waiting (queued, confirmed, or running with a lease run out):
 * a conditional update on its status and lease, so two instances never claim one task.
 */
async function claimNext(db: Database, now: Date): Promise<(Claimed & { phase: 'check' | 'write' | 'export' }) | null> {
  const iso = now.toISOString()
  for (let tries = 0; tries < 5; tries++) {
    const next = await db
      .selectFrom('spreadsheet_tasks')
      .select(['id', 'org_id', 'user_id', 'direction', 'list', 'locale', 'params', 'status', 'attempts', 'confirmed_at'])
      .where((eb) =>
        eb.or([eb('status', 'in', ['queued', 'confirmed']), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', iso)])]),
      )
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    if (!next) return null
    const lease = new Date(now.getTime() + TASK_LEASE_MS).toISOString()
    const claimed = await db
      .updateTable('spreadsheet_tasks')
      .set((eb) => ({
        status: 'running',
        lease_until: lease,
        attempts: eb('attempts', '+', 1),
        started_at: eb.fn.coalesce('started_at', eb.val(iso)),
      }))
      .where('id', '=', next.id)
      .where('status', '=', next.status)
      .where('attempts', '=', next.attempts)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) continue
    const phase = next.direction === 'export' ? 'export' : next.confirmed_at ? 'write' : 'check'
    return { ...next, locale: next.locale, attempts: Number(next.attempts) + 1, phase }
  }
  return null
}

async function finish(
  db: Database | Transaction<DB>,
  id: number,
  set: { status: SpreadsheetTaskStatus; error?: string; row_count?: number; progress_done?: number; progress_total?: number },
) {
  await db
    .updateTable('spreadsheet_tasks')
    .set({ ...set, lease_until: null, finished_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute()
}

async function progress(db: Database, id: number, done: number, total?: number) {
  await db
    .updateTable('spreadsheet_tasks')
    .set({
      progress_done: done,
      ...(total === undefined ? {} : { progress_total: total }),
      lease_until: new Date(Date.now() + TASK_LEASE_MS).toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute()
}

/** The member still acts for a verified agency (and may still import, for imports)? Its region. */
async function stillAllowed(db: Database, task: Claimed): Promise<string | null> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.role', 'o.region_code'])
    .where('m.user_id', '=', task.user_id)
    .where('m.org_id', '=', task.org_id)
    .where('m.status', '=', 'active')
    .where('o.kind', '=', 'agency')
    .where('o.status', '=', 'verified')
    .executeTakeFirst()
  if (!row) return null
  if (task.direction === 'import' && row.role !== 'owner' && row.role !== 'reviewer') return null
  return row.region_code
}

async function runExport(db: Database, task: Claimed, agencyRegion: string) {
  if (!isExportList(task.list)) throw new Error(`not an export list: ${task.list}`)
  const list = task.list
  const ref = await getReferenceData(db)
  const plan = await exportPlan({ db, ref, agencyRegion, locale: task.locale }, list, task.params)
  const total = Math.min(plan.total, MAX_EXPORT_ROWS)
  await progress(db, task.id, 0, total)
  const t = translator(task.locale)
  const sheet = streamedSheet({
    name: t(`spreadsheets.list.${list}`),
    title: t(`spreadsheets.title.${list}`, { region: regionLabel(ref, agencyRegion, task.locale) }),
    columns: exportHeaders(list, task.locale),
    creator: 'Duijie',
  })
  let done = 0
  for await (const rows of plan.chunks()) {
    sheet.addRows(rows)
    done += rows.length
    await progress(db, task.id, done)
  }
  const notes = [t('spreadsheets.note.exported', { rows: done, at: new Date().toISOString().slice(0, 16).replace('T', ' ') })]
  if (plan.total > MAX_EXPORT_ROWS) notes.push(t('spreadsheets.note.cut', { max: MAX_EXPORT_ROWS, total: plan.total }))
  const bytes = await sheet.finish(notes)
  await withTransaction(db, async (trx) => {
    await trx.deleteFrom('spreadsheet_task_files').where('task_id', '=', task.id).where('role', '=', 'result').execute()
    await trx
      .insertInto('spreadsheet_task_files')
      .values({ task_id: task.id, role: 'result', bytes: Buffer.from(bytes), size: bytes.length })
      .execute()
    await finish(trx, task.id, { status: 'done', row_count: done, progress_done: done, progress_total: done })
  })
}

async function uploadOf(db: Database | Transaction<DB>, taskId: number): Promise<Uint8Array | null> {
  const file = await db
    .selectFrom('spreadsheet_task_files')
    .select('bytes')
    .where('task_id', '=', taskId)
    .where('role', '=', 'upload')
    .executeTakeFirst()
  return file ? new Uint8Array(file.bytes) : null
}

async function storeIssues(trx: Transaction<DB>, taskId: number, result: CheckResult) {
  await trx.deleteFrom('spreadsheet_task_issues').where('task_id', '=', taskId).execute()
  await trx.deleteFrom('spreadsheet_task_rows').where('task_id', '=', taskId).execute()
  const issues = result.issues.map((i, n) => ({
    task_id: taskId,
    seq: n + 1,
    row_no: i.row,
    column_key: i.column,
    message: i.message,
    value: i.value,
  }))
  for (let i = 0; i < issues.length; i += 200)
    await trx
      .insertInto('spreadsheet_task_issues')
      .values(issues.slice(i, i + 200))
      .execute()
  const rows = result.preview.map((p) => ({ task_id: taskId, row_no: p.row, label: p.label, detail: p.detail }))
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('spreadsheet_task_rows')
      .values(rows.slice(i, i + 200))
      .execute()
}

/** A write found problems (a row became invalid since the check): the transaction is rolled back. */
class StaleImport extends Error {
  constructor(readonly result: CheckResult) {
    super('import no longer valid')
  }
}

async function runImport(db: Database, task: Claimed & { phase: 'check' | 'write' }, agencyRegion: string) {
  if (!isImportList(task.list)) throw new Error(`not an import list: ${task.list}`)
  const list = task.list
  const ref = await getReferenceData(db)
  const bytes = await uploadOf(db, task.id)
  if (!bytes) {
    await finish(db, task.id, { status: 'failed', error: 'spreadsheets.e.fileGone' })
    return
  }
  if (task.phase === 'check') {
    const result = await checkImport(db, ref, agencyRegion, list, bytes, task.locale)
    await withTransaction(db, async (trx) => {
      await storeIssues(trx, task.id, result)
      await finish(trx, task.id, {
        status: result.checked ? 'ready' : 'invalid',
        row_count: result.rowCount,
        progress_done: result.rowCount,
        progress_total: result.rowCount,
      })
    })
    return
  }
  try {
    await withTransaction(db, async (trx) => {
      const result = await checkImport(trx, ref, agencyRegion, list, bytes, task.locale)
      if (!result.checked) throw new StaleImport(result)
      const now = new Date().toISOString()
      const ids = await writeImport(trx, result.checked, { userId: task.user_id, agencyOrgId: task.org_id, now })
      await recordAudit(trx, {
        action: 'spreadsheet.imported',
        actorUserId: task.user_id,
        actorOrgId: task.org_id,
        regionCode: agencyRegion,
        objectType: 'spreadsheet_task',
        objectId: task.id,
        detail: { list, rows: ids.length, firstId: ids[0] ?? null, lastId: ids[ids.length - 1] ?? null },
      })
      await trx
        .updateTable('spreadsheet_tasks')
        .set({
          status: 'imported',
          imported_at: now,
          finished_at: now,
          lease_until: null,
          progress_done: ids.length,
          progress_total: ids.length,
        })
        .where('id', '=', task.id)
        .execute()
    })
  } catch (error) {
    if (!(error instanceof StaleImport)) throw error
    await withTransaction(db, async (trx) => {
      await storeIssues(trx, task.id, error.result)
      await finish(trx, task.id, { status: 'invalid' })
    })
  }
}

/**
 * The scheduled job: runs waiting tasks one after another until none is left or
 * `budgetMs` has passed (the rest wait for the next run). Returns how many ran.
 */
export async function runSpreadsheetTasks(db: Database, { budgetMs = 60_000, now = () => new Date() } = {}): Promise<number> {
  const started = Date.now()
  let ran = 0
  while (Date.now() - started < budgetMs) {
    const task = await claimNext(db, now())
    if (!task) break
    ran += 1
    try {
      if (task.attempts > MAX_ATTEMPTS) {
        await finish(db, task.id, { status: 'failed', error: 'spreadsheets.e.gaveUp' })
        continue
      }
      const region = await stillAllowed(db, task)
      if (!region) {
        await finish(db, task.id, { status: 'failed', error: 'spreadsheets.e.noLongerAllowed' })
        continue
      }
      if (task.phase === 'export') await runExport(db, task, region)
      else await runImport(db, { ...task, phase: task.phase }, region)
    } catch (error) {
      console.error(`spreadsheet task ${task.id} failed`, error)
      await finish(db, task.id, { status: 'failed', error: 'spreadsheets.e.failed' }).catch(() => {})
    }
  }
  if (Date.now() - lastSweep > 10 * 60_000) {
    lastSweep = Date.now()
    await sweepOldTasks(db, now())
  }
  return ran
}

let lastSweep = 0

/** Finished tasks older than KEEP_TASKS_MS go, with their files. */
export async function sweepOldTasks(db: Database, now: Date): Promise<void> {
  const before = new Date(now.getTime() - KEEP_TASKS_MS).toISOString()
  const old = db.selectFrom('spreadsheet_tasks').select('id').where('created_at', '<', before).where('status', 'not in', OPEN)
  await db.deleteFrom('spreadsheet_task_files').where('task_id', 'in', old).execute()
  await db.deleteFrom('spreadsheet_task_issues').where('task_id', 'in', old).execute()
  await db.deleteFrom('spreadsheet_task_rows').where('task_id', 'in', old).execute()
  await db.deleteFrom('spreadsheet_tasks').where('created_at', '<', before).where('status', 'not in', OPEN).execute()
}
