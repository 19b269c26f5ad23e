import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { Pagination } from '~/components/pagination.js'
import { listAuditQueue } from '~/domain/orgs/onboarding.server.js'
import { ORG_STATUSES, SELF_SERVICE_ORG_KINDS, ZAuditQueueParams } from '~/domain/orgs/schema.js'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { formatDateTime } from '~/utils/format.js'
import { requirePermission, requireViewer } from '~/utils/permissions.server.js'
import { runLoader } from '~/utils/route-errors.server.js'

export const meta: MetaFunction = () => [{ title: '入驻审核 · 对接' }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }: LoaderFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const agency = await requirePermission(db, viewer, 'audit:org:jurisdiction')
    const params = ZAuditQueueParams.parse(Object.fromEntries(new URL(request.url).searchParams))
    const ref = await getReferenceData(db)
    const queue = await listAuditQueue(db, agency.regionCode, params)
    // The filter offers the agency's own region and the level below it.
    const regionOptions = [ref.regionsByCode.get(agency.regionCode), ...(ref.childrenByCode.get(agency.regionCode) ?? [])]
      .filter((r) => r !== undefined)
      .map((r) => ({ code: r.code, name: r.name }))
    return json({ params, queue, regionOptions })
  })
}

export default function AuditQueuePage() {
  const { params, queue, regionOptions } = useLoaderData<typeof loader>()
  const t = useT()
  const location = useLocation()
  const tabHref = (status: string) => {
    const sp = new URLSearchParams(location.search)
    sp.set('status', status)
    sp.delete('page')
    return `?${sp.toString()}`
  }
  return (
    <>
      <header className="page-head">
        <h1>{t('audits.title')}</h1>
        <p className="muted">{t('audits.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('needs.filter.status')}>
        {ORG_STATUSES.map((s) => (
          <Link key={s} to={tabHref(s)} className={params.status === s ? 'active' : undefined} aria-current={params.status === s ? 'page' : undefined}>
            {t(`org.status.${s}`)}（{queue.counts[s]}）
          </Link>
        ))}
      </nav>
      <Form method="get" className="actions section" role="search">
        <input type="hidden" name="status" value={params.status} />
        <label htmlFor="a-kind" className="visually-hidden">
          {t('audits.filter.kind')}
        </label>
        <select id="a-kind" name="kind" defaultValue={params.kind ?? ''}>
          <option value="">
            {t('audits.filter.kind')}：{t('needs.filter.any')}
          </option>
          {SELF_SERVICE_ORG_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`org.kind.${k}`)}
            </option>
          ))}
        </select>
        <label htmlFor="a-region" className="visually-hidden">
          {t('audits.filter.region')}
        </label>
        <select id="a-region" name="region" defaultValue={params.region ?? ''}>
          <option value="">
            {t('audits.filter.region')}：{t('needs.filter.any')}
          </option>
          {regionOptions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
        <label htmlFor="a-q" className="visually-hidden">
          {t('audits.filter.q')}
        </label>
        <input id="a-q" name="q" type="search" placeholder={t('audits.filter.q')} defaultValue={params.q ?? ''} maxLength={50} />
        <button type="submit">{t('audits.filter.apply')}</button>
      </Form>
      {queue.items.length === 0 ? (
        <p className="empty-state">{t('audits.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('audits.col.name')}</th>
                <th scope="col">{t('audits.col.kind')}</th>
                <th scope="col">{t('org.field.uscc')}</th>
                <th scope="col">{t('audits.col.region')}</th>
                <th scope="col">{params.status === 'pending' ? t('audits.col.submittedAt') : t('audits.col.reviewedAt')}</th>
                <th scope="col">{t('audits.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.items.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{t(`org.kind.${o.kind}`)}</td>
                  <td className="code">{o.uscc}</td>
                  <td>{o.regionName}</td>
                  <td>{formatDateTime((params.status === 'pending' ? o.submittedAt : o.reviewedAt) ?? '')}</td>
                  <td>
                    <Link to={`/agency/audits/${o.id}`} aria-label={`${t('audits.review')} ${o.name}`}>
                      {t('audits.review')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={queue.page} pageCount={queue.pageCount} />
    </>
  )
}
