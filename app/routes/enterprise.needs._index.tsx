import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import type { MyNeedRow } from '~/domain/needs/authoring-views.js'
import { getMyNeeds, ZMyNeedsQuery } from '~/domain/needs/authoring.server.js'
import { NEED_STATUSES } from '~/domain/needs/enums.js'
import type { NeedAction } from '~/domain/needs/lifecycle.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/need-authoring.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'myNeeds.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZMyNeedsQuery, args.request)
    return json({ needs: await getMyNeeds(db, actor, query) })
  })
}

/** The one next step a row offers, and where it leads. */
function nextStep(row: { id: number; actions: NeedAction[] }): { href: string; label: MessageKey } {
  const base = `/enterprise/needs/${row.id}`
  if (row.actions.includes('publish')) return { href: `${base}/edit`, label: 'myNeeds.next.edit' }
  if (row.actions.includes('republish')) return { href: base, label: 'myNeeds.next.republish' }
  if (row.actions.includes('close')) return { href: base, label: 'myNeeds.next.close' }
  return { href: base, label: 'myNeeds.next.view' }
}

export default function MyNeedsPage() {
  const { needs } = useLoaderData<typeof loader>()
  const t = useT()
  const tabHref = (status: string | null) => (status ? `/enterprise/needs?status=${status}` : '/enterprise/needs')
  const columns: Column<MyNeedRow>[] = [
    {
      id: 'title',
      header: t('myNeeds.col.title'),
      role: 'primary',
      cell: (n) => (
        <Link to={`/enterprise/needs/${n.id}`} data-i18n-data>
          {n.title}
        </Link>
      ),
    },
    { id: 'status', header: t('myNeeds.col.status'), cell: (n) => <StatusBadge kind="needStatus" value={n.status} /> },
    { id: 'deadline', header: t('myNeeds.col.deadline'), cell: (n) => n.deadline ?? t('myNeeds.noDeadline') },
    { id: 'updated', header: t('myNeeds.col.updated'), cell: (n) => formatDateTime(n.updatedAt) },
    {
      id: 'next',
      header: t('myNeeds.col.next'),
      role: 'action',
      cell: (n) => {
        const step = nextStep(n)
        return (
          <Link to={step.href}>
            {t(step.label)}
            <span className="visually-hidden" data-i18n-data>
              {' '}
              {n.title}
            </span>
          </Link>
        )
      },
    },
  ]
  const all = NEED_STATUSES.reduce((sum, s) => sum + needs.counts[s], 0)
  return (
    <section aria-labelledby="my-needs-title">
      <EnterpriseWorkspaceNav />
      <header className="page-head">
        <div>
          <h1 id="my-needs-title">{t('myNeeds.title')}</h1>
          <p className="muted">{t('myNeeds.lead')}</p>
        </div>
        {needs.canPublish ? (
          <Link className="button" to="/enterprise/needs/new">
            {t('myNeeds.new')}
          </Link>
        ) : null}
      </header>
      {needs.canPublish ? null : <p className="notice notice-warn">{t('myNeeds.unverified')}</p>}
      <nav className="tabs" aria-label={t('myNeeds.tabs')}>
        <Link
          to={tabHref(null)}
          className={needs.status === null ? 'active' : undefined}
          aria-current={needs.status === null ? 'page' : undefined}
        >
          {t('myNeeds.tab.count', { label: t('myNeeds.tab.all'), count: all })}
        </Link>
        {NEED_STATUSES.map((s) => (
          <Link
            key={s}
            to={tabHref(s)}
            className={needs.status === s ? 'active' : undefined}
            aria-current={needs.status === s ? 'page' : undefined}
          >
            {t('myNeeds.tab.count', { label: t(`needStatus.${s}`), count: needs.counts[s] })}
          </Link>
        ))}
      </nav>
      <DataTable
        caption={t('myNeeds.caption')}
        columns={columns}
        rows={needs.items}
        rowKey={(n) => n.id}
        empty={
          <div className="empty-state">
            {needs.status ? (
              <p>{t('myNeeds.emptyStatus', { status: t(`needStatus.${needs.status}`) })}</p>
            ) : (
              <>
                <p>{t('myNeeds.empty')}</p>
                {needs.canPublish ? (
                  <p>
                    <Link className="button" to="/enterprise/needs/new">
                      {t('myNeeds.new')}
                    </Link>
                  </p>
                ) : null}
                <p>
                  {t('myNeeds.fromReport')} <Link to="/diagnoses">{t('myNeeds.toReports')}</Link>
                </p>
              </>
            )}
          </div>
        }
      />
      <Pagination page={needs.page} pageCount={needs.pageCount} />
    </section>
  )
}
