import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { meetingAgenda } from '~/domain/events/meetings.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/meetings.css'

/*
 * The printable meeting agenda (issue 15 §1): a participant's own scheduled meetings,
 * or the whole event's for the organiser and reading agencies; @media print in
 * meetings.css drops the site's chrome.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'meetings.agenda.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await meetingAgenda(db, actor, id))
  })
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>['items'][number]

export default function EventAgendaPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const back = data.side ? `/events/${data.event.id}/meetings` : `/agency/events/${data.event.id}/meetings`
  const place = data.place || data.event.venue
  return (
    <div className="agenda">
      <p className="no-print">
        <Link to={back}>← {t('meetings.mine.title')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('meetings.agenda.title')}</h1>
        <p data-i18n-data>
          {t('meetings.agenda.lead', { who: data.orgName ?? t('meetings.agenda.whole'), event: data.event.title })}
        </p>
        {place ? <p data-i18n-data>{t('meetings.agenda.place', { place })}</p> : null}
        <p className="no-print">
          <button type="button" className="button button-secondary" onClick={() => window.print()}>
            {t('meetings.agenda.print')}
          </button>{' '}
          <a href={`/events/${data.event.id}/agenda.ics`} download>
            {t('meetings.icsLink')}
          </a>
        </p>
      </header>
      <DataTable<Item>
        caption={t('meetings.agenda.caption', { total: data.items.length })}
        rows={data.items}
        rowKey={(m) => m.id}
        empty={<p className="empty-state">{t('meetings.agenda.empty')}</p>}
        columns={[
          {
            id: 'time',
            header: t('meetings.col.time'),
            role: 'primary',
            cell: (m) => (m.slot ? t('meetings.slotText', m.slot) : '—'),
          },
          { id: 'table', header: t('meetings.col.table'), cell: (m) => t('meetings.tableText', { table: m.tableNo ?? 0 }) },
          { id: 'with', header: t('meetings.col.with'), cell: (m) => <span data-i18n-data>{m.counterpart}</span> },
          {
            id: 'need',
            header: t('meetings.col.need'),
            cell: (m) => (m.needTitle ? <span data-i18n-data>{m.needTitle}</span> : '—'),
          },
          {
            id: 'outcome',
            header: t('meetings.col.outcome'),
            cell: (m) =>
              m.outcomes.length
                ? m.outcomes.map((o) => `${t(`meetings.side.${o.side}`)}: ${t(`meetings.outcome.${o.outcome}`)}`).join('; ')
                : '—',
          },
        ]}
      />
    </div>
  )
}
