import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { listMyBids, ZMyBidsQuery } from '~/domain/bids/bids.server.js'
import { MY_BID_TABS } from '~/domain/bids/limits.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/* 我的投标: the provider's bids by status, with counts and what to do next. */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'bids.mine.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZMyBidsQuery, args.request)
    return json(await listMyBids(db, actor, query))
  })
}

type Row = SerializeFrom<typeof loader>['items'][number]

export default function MyBidsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const columns: Column<Row>[] = [
    {
      id: 'need',
      header: t('bids.mine.need'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/bids/${r.id}`} data-i18n-data>
          {r.needTitle}
        </Link>
      ),
    },
    { id: 'enterprise', header: t('bids.mine.enterprise'), cell: (r) => <span data-i18n-data>{r.needOrgName}</span> },
    { id: 'price', header: t('bids.mine.price'), cell: (r) => r.priceWan },
    {
      id: 'status',
      header: t('bids.mine.status'),
      cell: (r) => <span className={`badge badge-bid-${r.status}`}>{t(`bids.status.${r.status}`)}</span>,
    },
    { id: 'deadline', header: t('bids.mine.deadline'), cell: (r) => r.deadline ?? '—' },
    { id: 'next', header: t('bids.mine.next'), cell: (r) => t(`bids.mine.next.${r.next}`) },
    { id: 'updated', header: t('bids.page.updated'), cell: (r) => formatDateTime(r.updatedAt) },
    {
      id: 'open',
      header: t('bids.mine.open'),
      role: 'action',
      cell: (r) =>
        r.next === 'revise' ? (
          <Link to={`/needs/${r.needId}/bid`}>{t('bids.link.revise')}</Link>
        ) : (
          <Link to={`/bids/${r.id}`}>{t('bids.mine.open')}</Link>
        ),
    },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('bids.mine.title')}</h1>
        <p className="muted">{t('bids.mine.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('bids.mine.caption')}>
        {MY_BID_TABS.map((tab) => (
          <Link
            key={tab}
            to={tab === 'live' ? '/provider/bids' : `/provider/bids?tab=${tab}`}
            className={data.tab === tab ? 'active' : undefined}
            aria-current={data.tab === tab ? 'page' : undefined}
          >
            {t(`bids.mine.tab.${tab}`, { count: data.counts[tab] })}
          </Link>
        ))}
      </nav>
      <DataTable
        caption={t('bids.mine.caption')}
        columns={columns}
        rows={data.items}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{t('bids.mine.empty')}</p>
            <p>
              <Link to="/needs">{t('bids.mine.browse')}</Link>
            </p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
