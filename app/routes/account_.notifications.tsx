import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import {
  getNotificationPreferences,
  saveNotificationPreferences,
  ZPreferencesInput,
} from '~/domain/notifications/notifications.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/notifications.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'notifications.prefs.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getNotificationPreferences(db, actor))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZPreferencesInput, await args.request.formData())
    await saveNotificationPreferences(db, actor, input)
    return redirect('/account/notifications', {
      headers: { 'Set-Cookie': await setFlash({ key: 'notifications.prefs.saved' }) },
    })
  })
}

export default function NotificationPreferencesPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('notifications.prefs.title')}</h1>
        <p className="muted">{t('notifications.prefs.lead')}</p>
      </header>
      {!data.hasEmail ? <p className="notice">{t('notifications.prefs.noEmail')}</p> : null}
      {!data.hasPhone ? <p className="notice">{t('notifications.prefs.noPhone')}</p> : null}
      <Form method="post" className="card section">
        <ErrorSummary failure={failure} />
        <table className="preferences-table">
          <caption className="visually-hidden">{t('notifications.prefs.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.prefs.col.kind')}</th>
              <th scope="col">{t('notifications.prefs.col.inApp')}</th>
              <th scope="col">{t('notifications.prefs.col.email')}</th>
              <th scope="col">{t('notifications.prefs.col.sms')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => {
              const kind = t(`notifications.kind.${r.kind}`)
              return (
                <tr key={r.kind}>
                  <th scope="row">{kind}</th>
                  <td>{t('notifications.prefs.always')}</td>
                  <td>
                    <input
                      type="checkbox"
                      id={`email-${r.kind}`}
                      name={`email.${r.kind}`}
                      defaultChecked={r.email}
                      aria-label={t('notifications.prefs.emailOf', { kind })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      id={`sms-${r.kind}`}
                      name={`sms.${r.kind}`}
                      defaultChecked={r.sms}
                      aria-label={t('notifications.prefs.smsOf', { kind })}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {t('notifications.prefs.save')}
          </button>
          <Link to="/account">{t('notifications.prefs.back')}</Link>
        </div>
      </Form>
    </>
  )
}
