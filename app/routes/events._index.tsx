import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { listPublicEvents, ZPublicEventsQuery } from '~/domain/events/events.server.js'
import type { EventListItem } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/* 供需对接会, open to everyone (issue 15 §1): published events — stage, region, dates —, newest first, 20 a page. */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.public.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const query = parseQuery(ZPublicEventsQuery, args.request)
    return json(await listPublicEvents(db, query, await getLocale(args.request)))
  })
}

const FILTERS = ['all', 'open', 'past'] as const

export default function PublicEventsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('events.public.title')}</h1>
        <p className="muted">{t('events.public.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('events.public.filters')}>
        {FILTERS.map((f) => (
          <Link
            key={f}
            to={f === 'all' ? '/events' : `/events?stage=${f}`}
            className={data.stage === f ? 'active' : undefined}
            aria-current={data.stage === f ? 'page' : undefined}
          >
            {t(`events.public.filter.${f}`)}
          </Link>
        ))}
      </nav>
      <DataTable<EventListItem>
        caption={t('events.public.caption', { total: data.total })}
        rows={data.events}
        rowKey={(e) => e.id}
        empty={<p className="empty-state">{t('events.public.empty')}</p>}
        columns={[
          {
            id: 'title',
            header: t('events.col.title'),
            role: 'primary',
            cell: (e) => (
              <Link to={`/events/${e.id}`} data-i18n-data>
                {e.title}
              </Link>
            ),
          },
          { id: 'stage', header: t('events.col.stage'), cell: (e) => t(`events.stage.${e.stage}`) },
          { id: 'region', header: t('events.col.region'), cell: (e) => <span data-i18n-data>{e.regionName}</span> },
          { id: 'dates', header: t('events.col.dates'), cell: (e) => t('events.dates', { start: e.startsOn, end: e.endsOn }) },
          { id: 'mode', header: t('events.col.mode'), cell: (e) => t(`events.mode.${e.mode}`) },
          { id: 'needs', header: t('events.col.listedNeeds'), cell: (e) => e.listedNeeds },
        ]}
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
