import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { AUDIT_ACTIONS } from '~/domain/audit/actions.js'
import { listJurisdictionAuditLog } from '~/domain/audit/audit-log.server.js'
import { ZAuditLogParams } from '~/domain/audit/schema.js'
import { hasMessage } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
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
    { id: 'action', header: t('auditLog.col.action'), cell: (e) => actionLabel(e.action) },
    { id: 'actor', header: t('auditLog.col.actor'), cell: (e) => e.actorName ?? '—' },
    { id: 'org', header: t('auditLog.col.org'), cell: (e) => e.actorOrgName ?? '—' },
    { id: 'object', header: t('auditLog.col.object'), cell: (e) => (e.objectType ? `${e.objectType}:${e.objectId ?? ''}` : '—') },
    { id: 'ip', header: t('auditLog.col.ip'), cell: (e) => e.ip || '—' },
    { id: 'detail', header: t('auditLog.col.detail'), cell: (e) => (e.detail ? <code>{e.detail}</code> : '—') },
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
