import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { zPageParam } from '~/domain/shared/schema.js'
import { Pagination } from '~/components/pagination.js'
import { AUDIT_ACTIONS } from '~/domain/audit/actions.js'
import { AUDIT_PAGE_SIZE, listAuditLog } from '~/domain/audit/audit-log.server.js'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { formatDateTime } from '~/utils/format.js'
import { jurisdictionCodes, requirePermission, requireViewer } from '~/utils/permissions.server.js'
import { runLoader } from '~/utils/route-errors.server.js'

export const meta: MetaFunction = () => [{ title: '审计日志 · 对接' }]

const ZLogParams = z.object({
  action: z
    .string()
    .optional()
    .transform((v) => ((AUDIT_ACTIONS as readonly string[]).includes(v ?? '') ? v : undefined)),
  page: zPageParam(10_000),
})

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }: LoaderFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const agency = await requirePermission(db, viewer, 'read:auditlog:jurisdiction')
    const params = ZLogParams.parse(Object.fromEntries(new URL(request.url).searchParams))
    const ref = await getReferenceData(db)
    const { entries, total } = await listAuditLog(db, jurisdictionCodes(ref, agency.regionCode), params)
    return json({ params, entries, total, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) })
  })
}

export default function AuditLogPage() {
  const { params, entries, pageCount } = useLoaderData<typeof loader>()
  const t = useT()
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
              {t(`auditAction.${a}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="submit">{t('audits.filter.apply')}</button>
      </Form>
      {entries.length === 0 ? (
        <p className="empty-state">{t('auditLog.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('auditLog.col.at')}</th>
                <th scope="col">{t('auditLog.col.action')}</th>
                <th scope="col">{t('auditLog.col.actor')}</th>
                <th scope="col">{t('auditLog.col.org')}</th>
                <th scope="col">{t('auditLog.col.object')}</th>
                <th scope="col">{t('auditLog.col.ip')}</th>
                <th scope="col">{t('auditLog.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{t(`auditAction.${e.action}` as MessageKey)}</td>
                  <td>{e.actorName ?? '—'}</td>
                  <td>{e.actorOrgName ?? '—'}</td>
                  <td>{e.objectType ? `${e.objectType}:${e.objectId ?? ''}` : '—'}</td>
                  <td>{e.ip || '—'}</td>
                  <td>
                    <code>{e.detail}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={params.page} pageCount={pageCount} />
    </>
  )
}
