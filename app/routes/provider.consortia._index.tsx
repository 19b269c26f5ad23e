import type { LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { listConsortia } from '~/domain/providers/consortia.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { formatDate } from '~/utils/format.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'consortium.list.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await listConsortia(db, actor))
  })
}

type Item = SerializeFrom<typeof loader>['items'][number]

/** The acting provider's consortia, as lead and as member: invitations waiting for an answer first. */
export default function ConsortiaPage() {
  const { items, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  const pending = items.filter((i) => i.myStatus === 'invited' && i.status !== 'dissolved')
  const columns: Column<Item>[] = [
    {
      id: 'name',
      header: t('consortium.col.name'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/provider/consortia/${r.id}`} data-i18n-data>
          {r.name}
        </Link>
      ),
    },
    {
      id: 'status',
      header: t('consortium.col.status'),
      cell: (r) => <span className={`badge badge-${r.status}`}>{t(`consortium.status.${r.status}`)}</span>,
    },
    { id: 'lead', header: t('consortium.col.lead'), cell: (r) => <span data-i18n-data>{r.leadOrgName}</span> },
    {
      id: 'role',
      header: t('consortium.col.role'),
      cell: (r) => (
        <>
          {t(`consortium.role.${r.role}`)}{' '}
          {r.role === 'member' ? (
            <span className={`badge badge-${r.myStatus}`}>{t(`consortium.memberStatus.${r.myStatus}`)}</span>
          ) : null}
        </>
      ),
    },
    {
      id: 'members',
      header: t('consortium.col.confirmed'),
      cell: (r) => t('consortium.confirmedOf', { confirmed: r.confirmedCount, total: r.memberCount }),
    },
    { id: 'updated', header: t('consortium.col.updated'), cell: (r) => formatDate(r.updatedAt) },
  ]
  return (
    <>
      <p>
        <Link to="/org">← {t('org.overview.title')}</Link>
      </p>
      <header className="page-head section-head">
        <div>
          <h1>{t('consortium.list.title')}</h1>
          <p className="muted">{t('consortium.list.lead')}</p>
        </div>
        {canCreate ? (
          <Link className="button" to="/provider/consortia/new">
            {t('consortium.new.title')}
          </Link>
        ) : null}
      </header>
      {pending.length > 0 ? (
        <p className="notice notice-warn" role="status">
          {t('consortium.list.pending', { count: pending.length })}
        </p>
      ) : null}
      <DataTable
        caption={t('consortium.list.title')}
        columns={columns}
        rows={items}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{t('consortium.list.empty')}</p>
            {canCreate ? (
              <Link className="button" to="/provider/consortia/new">
                {t('consortium.new.title')}
              </Link>
            ) : null}
          </div>
        }
      />
    </>
  )
}
