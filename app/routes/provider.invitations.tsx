import type { LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { StatusBadge } from '~/components/status-badge.js'
import { listInvitationsForProvider } from '~/domain/matching/invitations.server.js'
import { ZInvitationsQuery } from '~/domain/matching/need-matches.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/matching.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'matching.inbox.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZInvitationsQuery, args.request)
    return json(await listInvitationsForProvider(db, actor, { page }))
  })
}

type Row = SerializeFrom<typeof loader>['rows'][number]

export default function ProviderInvitationsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const message = useMessage()
  const columns: Column<Row>[] = [
    {
      id: 'need',
      header: t('matching.inbox.col.need'),
      role: 'primary',
      cell: (r) => (
        <>
          {r.unread ? <span className="badge badge-new">{t('matching.inbox.new')}</span> : null}{' '}
          {r.needHref ? (
            <Link to={r.needHref} data-i18n-data>
              {r.needTitle}
            </Link>
          ) : (
            <span data-i18n-data>{r.needTitle}</span>
          )}
        </>
      ),
    },
    {
      id: 'kind',
      header: t('matching.inbox.col.kind'),
      cell: (r) => (
        <span className={`badge ${r.kind === 'invite' ? 'badge-published' : 'badge-level'}`}>
          {t(r.kind === 'invite' ? 'matching.badge.invited' : 'matching.badge.recommended')}
        </span>
      ),
    },
    {
      id: 'by',
      header: t('matching.inbox.col.by'),
      cell: (r) => (
        <>
          <span data-i18n-data>{r.byOrgName}</span> <span className="muted small">({message(`org.kind.${r.byOrgKind}`)})</span>
        </>
      ),
    },
    {
      id: 'note',
      header: t('matching.inbox.col.note'),
      cell: (r) => (r.note ? <span data-i18n-data>{r.note}</span> : <span className="muted">{t('matching.inbox.noNote')}</span>),
    },
    {
      id: 'status',
      header: t('matching.inbox.col.status'),
      cell: (r) => (
        <>
          <StatusBadge kind="needStatus" value={r.needStatus} />
          <span className="muted small">
            {' '}
            {r.deadline ? t('matching.inbox.deadline', { date: r.deadline }) : t('matching.inbox.noDeadline')}
          </span>
        </>
      ),
    },
    { id: 'at', header: t('matching.inbox.col.at'), cell: (r) => formatDateTime(r.createdAt) },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('matching.inbox.title')}</h1>
        <p className="muted">{t('matching.inbox.lead')}</p>
      </header>
      {data.unread > 0 ? <p className="notice">{t('matching.inbox.unread', { count: data.unread })}</p> : null}
      <DataTable
        caption={t('matching.inbox.caption', { total: data.total })}
        columns={columns}
        rows={data.rows}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{t('matching.inbox.empty')}</p>
            <p>
              <Link to="/provider/profile">{t('matching.inbox.empty.profile')}</Link>
              {t('list.separator')}
              <Link to="/needs">{t('matching.inbox.empty.needs')}</Link>
            </p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
