import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { Pagination } from '~/components/pagination.js'
import { bodyKey, titleKey } from '~/domain/notifications/kinds.js'
import { localizedParams } from '~/i18n/index.js'
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  ZNotificationAction,
  ZNotificationsQuery,
} from '~/domain/notifications/notifications.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/notifications.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'notifications.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page, unread } = parseQuery(ZNotificationsQuery, args.request)
    return json(await listNotifications(db, actor, { page, unreadOnly: unread }))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZNotificationAction, await args.request.formData())
    if (input.intent === 'read') await markNotificationRead(db, actor, input.id)
    else await markAllNotificationsRead(db, actor)
    // Back to the same list (its filter and page).
    const url = new URL(args.request.url)
    return redirect(`/notifications${url.search}`, {
      headers: {
        'Set-Cookie': await setFlash({ key: input.intent === 'read' ? 'notifications.done.read' : 'notifications.done.allRead' }),
      },
    })
  })
}

export default function NotificationsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const location = useLocation()
  const here = `/notifications${location.search}`
  return (
    <>
      <header className="page-head">
        <h1>{t('notifications.title')}</h1>
        <p className="muted">{t('notifications.lead')}</p>
      </header>
      <div className="notifications-bar">
        <nav aria-label={t('notifications.filter.label')} className="notifications-filter">
          <Link to="/notifications" aria-current={data.unreadOnly ? undefined : 'page'}>
            {t('notifications.filter.all')}
          </Link>
          <Link to="/notifications?unread=1" aria-current={data.unreadOnly ? 'page' : undefined}>
            {t('notifications.filter.unread')}
          </Link>
        </nav>
        <p className="muted" role="status">
          {t('notifications.summary', { total: data.total, unread: data.unread })}
        </p>
        {data.unread > 0 ? (
          <Form method="post" action={here}>
            <input type="hidden" name="intent" value="readAll" />
            <button type="submit" className="button button-small button-secondary">
              {t('notifications.markAllRead')}
            </button>
          </Form>
        ) : null}
        <Link to="/account/notifications" className="small">
          {t('notifications.settingsLink')}
        </Link>
      </div>
      {data.items.length === 0 ? (
        <div className="empty-state">
          <p>{t(data.unreadOnly ? 'notifications.emptyUnread' : 'notifications.empty')}</p>
          {data.unreadOnly && data.total > 0 ? (
            <p>
              <Link to="/notifications">{t('notifications.showAll')}</Link>
            </p>
          ) : null}
        </div>
      ) : (
        <ol className="notification-list" aria-label={t('notifications.caption')}>
          {data.items.map((n) => {
            const params = localizedParams(t, n.params)
            const title = t(titleKey(n.kind), params)
            return (
              <li key={n.id} className={n.unread ? 'notification unread' : 'notification'}>
                <div className="notification-text">
                  <p className="notification-title">
                    {n.unread ? <span className="badge badge-unread">{t('notifications.unread')}</span> : null}{' '}
                    <Link to={n.link} data-i18n-data>
                      {title}
                    </Link>
                  </p>
                  <p className="muted small" data-i18n-data>
                    {t(bodyKey(n.kind), params)}
                  </p>
                  <p className="muted small">
                    <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                  </p>
                </div>
                {n.unread ? (
                  <Form method="post" action={here} className="notification-action">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    {/* Named by its visible words first (axe: label-content-name-mismatch in English). */}
                    <button type="submit" className="button button-small button-secondary">
                      {t('notifications.markRead')}
                      <span className="visually-hidden" data-i18n-data>
                        {' '}
                        {title}
                      </span>
                    </button>
                  </Form>
                ) : null}
              </li>
            )
          })}
        </ol>
      )}
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
