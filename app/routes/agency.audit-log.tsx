import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { AuditSentence } from '~/components/audit-sentence.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { AUDIT_ACTIONS } from '~/domain/audit/actions.js'
import { listJurisdictionAuditLog, ZAuditLogParams } from '~/domain/audit/audit-log.server.js'
import { hasMessage } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime, formatIp } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auditLog.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const params = parseQuery(ZAuditLogParams, args.request)
    return json({ params, ...(await listJurisdictionAuditLog(db, actor, params)) })
  })
}

export default function AuditLogPage() {
  const { params, entries, page, pageCount } = useLoaderData<typeof loader>()
  const t = useT()
  const actionLabel = (action: string) => {
    const key = `auditAction.${action}`
    return hasMessage(key) ? t(key) : action
  }
  const columns: Column<(typeof entries)[number]>[] = [
    { id: 'at', header: t('auditLog.col.at'), role: 'primary', cell: (e) => formatDateTime(e.at) },
    {
      id: 'action',
      header: t('auditLog.col.action'),
      cell: (e) => {
        const repeat = detailOf(e.detail).repeat
        return (
          <>
            <AuditSentence entry={e} />
            {typeof repeat === 'number' && repeat > 1 ? (
              <span className="audit-repeat muted">{t('auditLog.repeat', { count: repeat })}</span>
            ) : null}
          </>
        )
      },
    },
    { id: 'ip', header: t('auditLog.col.ip'), cell: (e) => (e.ip ? formatIp(e.ip) : '—') },
    {
      id: 'detail',
      header: t('auditLog.col.detail'),
      // For investigators: the row as recorded, machine names and all, one click away.
      cell: (e) => (
        <details className="audit-raw">
          <summary>{t('auditLog.raw')}</summary>
          <pre data-i18n-data>{rawRecord(e)}</pre>
        </details>
      ),
    },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('auditLog.title')}</h1>
        <p className="muted">{t('auditLog.lead')}</p>
      </header>
      <Form method="get" className="actions section">
        <label htmlFor="l-action">{t('auditLog.filter.action')}</label>
        <select id="l-action" name="action" defaultValue={params.action ?? ''}>
          <option value="">{t('needs.filter.any')}</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </select>
        <button type="submit">{t('audits.filter.apply')}</button>
      </Form>
      <DataTable
        caption={t('auditLog.table.caption')}
        columns={columns}
        rows={entries}
        rowKey={(e) => e.id}
        empty={<p className="empty-state">{t('auditLog.empty')}</p>}
      />
      <Pagination page={page} pageCount={pageCount} />
    </>
  )
}

/** The entry's detail column (JSON written by recordAudit), or nothing if it is not an object. */
function detailOf(detail: string): Record<string, unknown> {
  if (!detail) return {}
  try {
    const value: unknown = JSON.parse(detail)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function rawRecord(e: {
  action: string
  objectType: string | null
  objectId: string | null
  ip: string
  detail: string
}): string {
  const detail = detailOf(e.detail)
  const record = {
    action: e.action,
    object: e.objectType ? `${e.objectType}:${e.objectId ?? ''}` : null,
    ip: e.ip || null,
    detail: Object.keys(detail).length > 0 ? detail : e.detail || null,
  }
  return JSON.stringify(record, null, 2)
}
