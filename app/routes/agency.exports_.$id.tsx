import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { TaskProgress, usePollWhile } from '~/components/spreadsheet-task.js'
import { IMPORT_COLUMNS, isImportList } from '~/domain/spreadsheets/columns.js'
import { ZTaskAction, ZTaskParams } from '~/domain/spreadsheets/schema.js'
import { cancelImport, confirmImport, getTaskPage } from '~/domain/spreadsheets/tasks.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One task of 导入导出: its progress (polled while it runs), an export's download, an
 * import's row errors (row, column, problem, what the cell held — nothing was written)
 * or its preview with 确认导入 / 放弃.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'spreadsheets.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZTaskParams, args.params)
    return json(await getTaskPage(db, actor, id))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZTaskParams, args.params)
    const { intent } = parseForm(ZTaskAction, await args.request.formData())
    if (intent === 'confirm') await confirmImport(db, actor, id)
    else await cancelImport(db, actor, id)
    return redirect(`/agency/exports/${id}`, {
      headers: {
        'Set-Cookie': await setFlash({ key: intent === 'confirm' ? 'spreadsheets.confirmed' : 'spreadsheets.cancelled' }),
      },
    })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function SpreadsheetTaskPage() {
  const { task, issues, issueCount, preview, mayConfirm } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const message = useMessage()
  usePollWhile(task.open)
  const list = task.list
  const header = (key: string) =>
    key && isImportList(list) && IMPORT_COLUMNS[list].some((c) => c.key === key)
      ? t(`spreadsheets.col.${list}.${key}` as MessageKey)
      : ''

  const issueColumns: Column<Data['issues'][number]>[] = [
    {
      id: 'row',
      header: t('spreadsheets.task.col.row'),
      role: 'primary',
      cell: (i) => (i.row > 0 ? t('spreadsheets.task.rowN', { row: i.row }) : t('spreadsheets.task.fileWide')),
    },
    {
      id: 'column',
      header: t('spreadsheets.task.col.column'),
      cell: (i) => (i.letter ? t('spreadsheets.task.columnN', { letter: i.letter, header: header(i.column) }) : '—'),
    },
    { id: 'problem', header: t('spreadsheets.task.col.problem'), cell: (i) => message(i.message, i.params) },
    { id: 'value', header: t('spreadsheets.task.col.value'), cell: (i) => <span data-i18n-data>{i.value}</span> },
  ]
  const previewColumns: Column<Data['preview'][number]>[] = [
    { id: 'row', header: t('spreadsheets.task.col.row'), cell: (p) => p.row },
    {
      id: 'record',
      header: t('spreadsheets.task.col.record'),
      role: 'primary',
      cell: (p) => <span data-i18n-data>{p.label}</span>,
    },
    { id: 'detail', header: t('spreadsheets.task.col.detail'), cell: (p) => <span data-i18n-data>{p.detail}</span> },
  ]
  const listName = t(`spreadsheets.list.${list}`)

  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/exports">{t('spreadsheets.task.back')}</Link>
      </p>
      <header className="page-head">
        <h1>
          {t('spreadsheets.task.title', {
            id: task.id,
            direction: t(`spreadsheets.direction.${task.direction}`),
            list: listName,
          })}
        </h1>
        {task.fileName ? (
          <p className="muted" data-i18n-data>
            {t('spreadsheets.task.file', { name: task.fileName })}
          </p>
        ) : null}
      </header>
      <ErrorSummary failure={failure} />

      <section className="card section" aria-labelledby="x-status-title">
        <h2 id="x-status-title">{t(`spreadsheets.status.${task.status}`)}</h2>
        <div role="status">
          {task.open ? <p>{t('spreadsheets.task.waiting')}</p> : null}
          {task.status === 'failed' ? <p>{t('spreadsheets.task.failed', { reason: message(task.error) })}</p> : null}
          {task.status === 'done' ? <p>{t('spreadsheets.task.done', { rows: task.rowCount })}</p> : null}
          {task.status === 'imported' ? (
            <p>
              {t('spreadsheets.task.imported', { rows: task.progressDone })}{' '}
              {list === 'enterprises' ? (
                <Link to="/agency/enterprises">{t('spreadsheets.task.importedEnterprises')}</Link>
              ) : (
                <Link to="/diagnoses">{t('spreadsheets.task.importedDiagnoses')}</Link>
              )}
            </p>
          ) : null}
        </div>
        <TaskProgress task={task} />
        {task.downloadable ? (
          <p>
            <a href={`/agency/exports/${task.id}/download`} download>
              {t('spreadsheets.tasks.downloadLabel', { list: listName, id: task.id })}
            </a>
          </p>
        ) : null}
      </section>

      {task.status === 'invalid' ? (
        <section className="section" aria-labelledby="x-issues-title">
          <h2 id="x-issues-title">{t('spreadsheets.task.issuesCaption')}</h2>
          <p>{t('spreadsheets.task.invalidLead', { count: issueCount })}</p>
          <DataTable
            caption={t('spreadsheets.task.issuesCaption')}
            columns={issueColumns}
            rows={issues}
            rowKey={(i) => `${i.row}-${i.column}-${i.message}-${i.value}`}
            empty={null}
          />
          {issueCount > issues.length ? (
            <p className="muted">{t('spreadsheets.task.moreIssues', { count: issueCount - issues.length })}</p>
          ) : null}
        </section>
      ) : null}

      {task.status === 'ready' ? (
        <section className="section" aria-labelledby="x-preview-title">
          <h2 id="x-preview-title">{t('spreadsheets.task.previewCaption', { count: preview.length })}</h2>
          <p>{t('spreadsheets.task.readyLead', { rows: task.rowCount })}</p>
          <DataTable
            caption={t('spreadsheets.task.previewCaption', { count: preview.length })}
            columns={previewColumns}
            rows={preview}
            rowKey={(p) => p.row}
            empty={null}
          />
          {mayConfirm ? (
            <Form method="post" className="actions">
              <button type="submit" name="intent" value="confirm" disabled={busy}>
                {t('spreadsheets.task.confirm')}
              </button>
              <button type="submit" name="intent" value="cancel" className="secondary" disabled={busy}>
                {t('spreadsheets.task.cancel')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {task.status === 'invalid' && task.direction === 'import' ? (
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="cancel" className="secondary" disabled={busy}>
            {t('spreadsheets.task.cancel')}
          </button>
        </Form>
      ) : null}
    </>
  )
}
