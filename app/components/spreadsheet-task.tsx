import { Form, useLocation, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '~/i18n/use-t.js'

/*
 * A spreadsheet task's progress (issue 15 §7): a <progress> bar with the rows done in
 * words, and the polling that keeps it current while the task waits or runs (the
 * background job writes the progress; the page only reads it).
 */

interface TaskLike {
  id: number
  status: string
  progressDone: number
  progressTotal: number
}

/** Reloads the loader's data every 2 s while a task waits or runs. */
export function usePollWhile(open: boolean) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!open) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle' && document.visibilityState !== 'hidden') revalidator.revalidate()
    }, 2000)
    return () => clearInterval(timer)
  }, [open, revalidator])
}

export function TaskProgress({ task }: { task: TaskLike }) {
  const t = useT()
  const running = task.status === 'running' || task.status === 'queued' || task.status === 'confirmed'
  const total = Math.max(task.progressTotal, 0)
  return (
    <span className="task-progress">
      <progress
        aria-label={t('spreadsheets.tasks.progressLabel', { id: task.id })}
        max={total || 1}
        {...(running && total === 0 ? {} : { value: total ? Math.min(task.progressDone, total) : 1 })}
      />{' '}
      <span className="muted">{t('spreadsheets.tasks.progress', { done: task.progressDone, total })}</span>
    </span>
  )
}

/**
 * "导出 Excel" on a list page: starts an export of that list with the page's filters (its
 * query string) as a background task, then shows /agency/exports with its progress.
 */
export function ExportExcelButton({ list }: { list: 'enterprises' | 'needs' | 'providers' | 'contracts' }) {
  const t = useT()
  const { search } = useLocation()
  return (
    <Form method="post" action="/agency/exports" className="inline-form">
      <input type="hidden" name="intent" value="export" />
      <input type="hidden" name="list" value={list} />
      <input type="hidden" name="params" value={search.replace(/^\?/, '')} />
      <button
        type="submit"
        className="secondary"
        aria-label={t('spreadsheets.exportLinkLabel', { list: t(`spreadsheets.list.${list}`) })}
      >
        {t('spreadsheets.exportLink')}
      </button>
    </Form>
  )
}
