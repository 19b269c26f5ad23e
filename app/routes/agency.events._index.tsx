import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { listAgencyEvents, ZPageQuery } from '~/domain/events/events.server.js'
import type { EventListItem } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 供需对接会 of an agency (issue 15 §1): the events it organises and those of its
 * jurisdiction — stage, dates, listed needs, approved providers, applications waiting —,
 * 20 a page; owners and reviewers create one (新建).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.agency.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZPageQuery, args.request)
    return json(await listAgencyEvents(db, actor, page, await getLocale(args.request)))
  })
}

export default function AgencyEventsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('events.agency.title')}</h1>
        <p className="muted">{t('events.agency.lead')}</p>
        {data.mayCreate ? (
          <p>
            <Link className="button primary" to="/agency/events/new">
              {t('events.agency.new')}
            </Link>
          </p>
        ) : null}
      </header>
      <DataTable<EventListItem>
        caption={t('events.agency.caption', { total: data.total })}
        rows={data.events}
        rowKey={(e) => e.id}
        empty={
          <div className="empty-state">
            <p>{t('events.agency.empty')}</p>
            <p className="muted">{t(data.mayCreate ? 'events.agency.emptyCreate' : 'events.agency.emptyViewer')}</p>
          </div>
        }
        columns={[
          {
            id: 'title',
            header: t('events.col.title'),
            role: 'primary',
            cell: (e) => (
              <Link to={`/agency/events/${e.id}`} data-i18n-data>
                {e.title}
              </Link>
            ),
          },
          { id: 'stage', header: t('events.col.stage'), cell: (e) => t(`events.stage.${e.stage}`) },
          { id: 'dates', header: t('events.col.dates'), cell: (e) => t('events.dates', { start: e.startsOn, end: e.endsOn }) },
          { id: 'region', header: t('events.col.region'), cell: (e) => <span data-i18n-data>{e.regionName}</span> },
          { id: 'needs', header: t('events.col.listedNeeds'), cell: (e) => e.listedNeeds },
          { id: 'providers', header: t('events.col.providers'), cell: (e) => e.approvedProviders },
          { id: 'pending', header: t('events.col.pending'), cell: (e) => e.pending },
          {
            id: 'own',
            header: t('events.col.organiser'),
            cell: (e) => t(e.own ? 'events.agency.own' : 'events.agency.jurisdiction'),
          },
        ]}
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
