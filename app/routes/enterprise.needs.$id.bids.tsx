import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { listBidsForNeed, ZPageQuery } from '~/domain/bids/bids.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 收到的方案: every bid on the enterprise's need (withdrawn ones last), with its status
 * and a link to each bid; 比较方案 (/enterprise/needs/:id/compare) shortlists and awards.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'bids.list.title', { need: data?.need.title ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZPageQuery, args.request)
    return json(await listBidsForNeed(db, actor, id, page))
  })
}

type Row = SerializeFrom<typeof loader>['items'][number]

export default function NeedBidsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const columns: Column<Row>[] = [
    {
      id: 'provider',
      header: t('bids.list.provider'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/bids/${r.id}`} data-i18n-data>
          {r.consortiumName ? `${r.providerName}（${r.consortiumName}）` : r.providerName}
        </Link>
      ),
    },
    { id: 'price', header: t('bids.list.price'), cell: (r) => r.priceWan },
    { id: 'duration', header: t('bids.list.duration'), cell: (r) => r.durationDays },
    {
      id: 'template',
      header: t('bids.list.template'),
      cell: (r) => (r.templateTitle ? <span data-i18n-data>{r.templateTitle}</span> : t('bids.page.templateNone')),
    },
    { id: 'files', header: t('bids.list.files'), cell: (r) => r.fileCount },
    {
      id: 'status',
      header: t('bids.list.status'),
      cell: (r) => <span className={`badge badge-bid-${r.status}`}>{t(`bids.status.${r.status}`)}</span>,
    },
    { id: 'updated', header: t('bids.page.updated'), cell: (r) => formatDateTime(r.updatedAt) },
    {
      id: 'open',
      header: t('bids.list.open'),
      role: 'action',
      cell: (r) => <Link to={`/bids/${r.id}`}>{t('bids.list.open')}</Link>,
    },
  ]
  return (
    <>
      <EnterpriseWorkspaceNav />
      <p>
        <Link to={`/enterprise/needs/${data.need.id}`}>← {t('bids.list.backToNeed')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('bids.list.title', { need: data.need.title })}</h1>
        <p className="muted">{t('bids.list.lead')}</p>
        <p className="muted small">{t('bids.list.total', { count: data.total })}</p>
      </header>
      {data.total > 0 ? (
        <p>
          <Link className="button primary" to={`/enterprise/needs/${data.need.id}/compare`}>
            {t('bids.list.compare')}
          </Link>
        </p>
      ) : null}
      <DataTable
        caption={t('bids.list.caption')}
        columns={columns}
        rows={data.items}
        rowKey={(r) => r.id}
        empty={<p className="empty-state">{t('bids.list.empty')}</p>}
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
