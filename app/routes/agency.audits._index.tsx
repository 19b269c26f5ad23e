import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { listAuditQueue } from '~/domain/orgs/audit-queue.server.js'
import { ORG_STATUSES, SELF_SERVICE_ORG_KINDS } from '~/domain/orgs/enums.js'
import { ZAuditQueueParams } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'audits.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const params = parseQuery(ZAuditQueueParams, args.request)
    const { queue, regionOptions } = await listAuditQueue(db, actor, params, await getLocale(args.request))
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
  const pending = params.status === 'pending'
  const columns: Column<(typeof queue.items)[number]>[] = [
    {
      id: 'name',
      header: t('audits.col.name'),
      role: 'primary',
      cell: (o) => (
        <>
          <span data-i18n-data>{o.name}</span>
          {o.competing > 0 ? (
            <>
              {' '}
              <span className="badge badge-pending">{t('audits.competing.badge', { count: o.competing })}</span>
            </>
          ) : null}
        </>
      ),
    },
    { id: 'kind', header: t('audits.col.kind'), cell: (o) => t(`org.kind.${o.kind}`) },
    { id: 'uscc', header: t('org.field.uscc'), cell: (o) => <span className="code">{o.uscc}</span> },
    { id: 'region', header: t('audits.col.region'), cell: (o) => <span data-i18n-data>{o.regionName}</span> },
    {
      id: 'at',
      header: pending ? t('audits.col.submittedAt') : t('audits.col.reviewedAt'),
      cell: (o) => formatDateTime((pending ? o.submittedAt : o.reviewedAt) ?? ''),
    },
    {
      id: 'action',
      header: t('audits.col.action'),
      role: 'action',
      cell: (o) => (
        // "审核" to see, "审核 扬州某某公司" to hear: the name is data, in whatever language it was entered.
        <Link to={`/agency/audits/${o.id}`}>
          {fillTemplate(t('audits.reviewOrg'), {
            name: (
              <span className="visually-hidden" data-i18n-data>
                {o.name}
              </span>
            ),
          })}
        </Link>
      ),
    },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('audits.title')}</h1>
        <p className="muted">{t('audits.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('needs.filter.status')}>
        {ORG_STATUSES.map((s) => (
          <Link
            key={s}
            to={tabHref(s)}
            className={params.status === s ? 'active' : undefined}
            aria-current={params.status === s ? 'page' : undefined}
          >
            {t('audits.tab', { status: t(`org.status.${s}`), count: queue.counts[s] })}
          </Link>
        ))}
      </nav>
      <Form method="get" className="actions section" role="search">
        <input type="hidden" name="status" value={params.status} />
        <label htmlFor="a-kind" className="visually-hidden">
          {t('audits.filter.kind')}
        </label>
        <select id="a-kind" name="kind" defaultValue={params.kind ?? ''}>
          <option value="">{t('audits.filter.anyOf', { label: t('audits.filter.kind') })}</option>
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
          <option value="">{t('audits.filter.anyOf', { label: t('audits.filter.region') })}</option>
          {regionOptions.map((r) => (
            <option key={r.code} value={r.code} data-i18n-data>
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
      <DataTable
        caption={t('audits.table.caption')}
        columns={columns}
        rows={queue.items}
        rowKey={(o) => o.id}
        empty={<p className="empty-state">{t('audits.empty')}</p>}
      />
      <Pagination page={queue.page} pageCount={queue.pageCount} />
    </>
  )
}
