import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, SelectField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { TaskProgress, usePollWhile } from '~/components/spreadsheet-task.js'
import { EXPORT_LISTS, IMPORT_LISTS } from '~/domain/spreadsheets/columns.js'
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '~/domain/spreadsheets/limits.js'
import { ZSpreadsheetIntent, ZStartExport, ZStartImport, ZTasksQuery } from '~/domain/spreadsheets/schema.js'
import { listMyTasks, startExport, startImport } from '~/domain/spreadsheets/tasks.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { AppError } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 导入导出 (issue 15 §7): start an export of a list of the jurisdiction or an import
 * from a template; my tasks with their progress (the page polls while one runs: the
 * spreadsheet-tasks job does the work, never this request), a download when an export
 * is done, an import's page for its preview or its row errors.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'spreadsheets.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZTasksQuery, args.request)
    return json(await listMyTasks(db, actor, page))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData().catch(() => {
      throw new AppError('VALIDATION', 'errors.badRequest')
    })
    const locale = await getLocale(args.request)
    const { intent } = parseForm(ZSpreadsheetIntent, form)
    if (intent === 'import') {
      const input = parseForm(ZStartImport, form)
      const value = form.get('file')
      const file =
        value !== null && typeof value === 'object' && value.size > 0
          ? { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) }
          : null
      const { taskId } = await startImport(db, actor, { list: input.list, file }, locale)
      return redirect(`/agency/exports/${taskId}`, {
        headers: { 'Set-Cookie': await setFlash({ key: 'spreadsheets.started.import' }) },
      })
    }
    const input = parseForm(ZStartExport, form)
    await startExport(db, actor, input, locale)
    return redirect('/agency/exports', { headers: { 'Set-Cookie': await setFlash({ key: 'spreadsheets.started.export' }) } })
  })
}

type Task = ReturnType<typeof useLoaderData<typeof loader>>['tasks'][number]

export default function AgencyExportsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const t = useT()
  const message = useMessage()
  usePollWhile(data.anyOpen)

  const columns: Column<Task>[] = [
    {
      id: 'task',
      header: t('spreadsheets.tasks.col.task'),
      role: 'primary',
      cell: (task) => (
        <Link to={`/agency/exports/${task.id}`}>
          {t('spreadsheets.tasks.name', {
            direction: t(`spreadsheets.direction.${task.direction}`),
            list: t(`spreadsheets.list.${task.list}`),
          })}
        </Link>
      ),
    },
    {
      id: 'status',
      header: t('spreadsheets.tasks.col.status'),
      cell: (task) => (
        <>
          {t(`spreadsheets.status.${task.status}`)}
          {task.error ? <span className="muted"> · {message(task.error)}</span> : null}
        </>
      ),
    },
    { id: 'progress', header: t('spreadsheets.tasks.col.progress'), cell: (task) => <TaskProgress task={task} /> },
    { id: 'created', header: t('spreadsheets.tasks.col.created'), cell: (task) => formatDateTime(task.createdAt) },
    {
      id: 'action',
      header: t('spreadsheets.tasks.col.action'),
      role: 'action',
      cell: (task) =>
        task.downloadable ? (
          <a
            href={`/agency/exports/${task.id}/download`}
            download
            aria-label={t('spreadsheets.tasks.downloadLabel', { list: t(`spreadsheets.list.${task.list}`), id: task.id })}
          >
            {t('spreadsheets.tasks.download')}
          </a>
        ) : (
          <Link to={`/agency/exports/${task.id}`} aria-label={t('spreadsheets.tasks.openLabel', { id: task.id })}>
            {t('spreadsheets.tasks.open')}
          </Link>
        ),
    },
  ]

  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('spreadsheets.title')}</h1>
        <p className="muted">{t('spreadsheets.lead')}</p>
      </header>
      <ErrorSummary failure={failure} fieldIds={{ list: 'x-import-list', file: 'x-file' }} />

      <section className="card section" aria-labelledby="x-export-title">
        <h2 id="x-export-title">{t('spreadsheets.start.exportTitle')}</h2>
        <p className="muted">{t('spreadsheets.start.exportLead')}</p>
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="export" />
          <SelectField id="x-export-list" name="list" label={t('spreadsheets.start.list')} defaultValue="enterprises">
            {EXPORT_LISTS.map((l) => (
              <option key={l} value={l}>
                {t(`spreadsheets.list.${l}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" disabled={busy}>
            {t('spreadsheets.start.export')}
          </button>
        </Form>
      </section>

      <section className="card section" aria-labelledby="x-import-title">
        <h2 id="x-import-title">{t('spreadsheets.start.importTitle')}</h2>
        {data.mayImport ? (
          <>
            <p className="muted">
              {t('spreadsheets.start.importLead', { mb: MAX_IMPORT_BYTES / 1024 / 1024, rows: MAX_IMPORT_ROWS })}
            </p>
            <ul className="plain-list">
              {IMPORT_LISTS.map((l) => (
                <li key={l}>
                  <a href={`/agency/exports/templates/${l}`} download>
                    {t('spreadsheets.start.template', { list: t(`spreadsheets.list.${l}`) })}
                  </a>
                </li>
              ))}
            </ul>
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="import" />
              <SelectField
                id="x-import-list"
                name="list"
                label={t('spreadsheets.start.importList')}
                defaultValue="enterprises"
                error={failure?.fieldErrors.list}
              >
                {IMPORT_LISTS.map((l) => (
                  <option key={l} value={l}>
                    {t(`spreadsheets.list.${l}`)}
                  </option>
                ))}
              </SelectField>
              <div className="field">
                <label htmlFor="x-file">{t('spreadsheets.start.file')}</label>
                <input
                  id="x-file"
                  name="file"
                  type="file"
                  required
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  aria-describedby={failure?.fieldErrors.file ? 'x-file-error' : undefined}
                  aria-invalid={failure?.fieldErrors.file ? true : undefined}
                />
                {failure?.fieldErrors.file ? (
                  <p id="x-file-error" className="field-error" role="alert">
                    {message(failure.fieldErrors.file, { max: MAX_IMPORT_BYTES / 1024 / 1024 })}
                  </p>
                ) : null}
              </div>
              <button type="submit" disabled={busy}>
                {t('spreadsheets.start.import')}
              </button>
            </Form>
          </>
        ) : (
          <p className="notice">{t('spreadsheets.start.importOnlyReviewers')}</p>
        )}
      </section>

      <section className="section" aria-labelledby="x-tasks-title">
        <h2 id="x-tasks-title">{t('spreadsheets.tasks.title')}</h2>
        <p role="status" className="muted">
          {data.anyOpen ? t('spreadsheets.tasks.polling') : ''}
        </p>
        <DataTable
          caption={t('spreadsheets.tasks.caption')}
          columns={columns}
          rows={data.tasks}
          rowKey={(task) => task.id}
          empty={<p className="empty-state">{t('spreadsheets.tasks.empty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>
    </>
  )
}
