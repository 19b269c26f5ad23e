import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { getAccountOverview } from '~/domain/accounts/accounts.server.js'
import { contactsVerified } from '~/domain/accounts/contacts.js'
import { ZEndSessionsInput } from '~/domain/accounts/schema.js'
import { endOwnSessions } from '~/domain/accounts/sessions.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { viewer } = await requireActor(args)
    return json(await getAccountOverview(db, viewer))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { viewer, actor } = await requireActor(args)
    const input = parseForm(ZEndSessionsInput, await args.request.formData())
    const ended = await endOwnSessions(db, actor, viewer.session, input)
    return json({ ok: true as const, ended })
  })
}

export default function AccountPage() {
  const { user, memberships, sessions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  return (
    <>
      <h1>{t('account.title')}</h1>
      {actionData && 'ended' in actionData ? (
        <p className="notice notice-success" role="status">
          {t('account.sessions.ended', { count: actionData.ended })}
        </p>
      ) : null}
      {!contactsVerified(user) &&
      memberships.some((m) => m.kind === 'agency' && (m.role === 'owner' || m.role === 'reviewer')) ? (
        <p className="notice notice-warn" role="status">
          {t('verify.needed')} <Link to="/account/verify">{t('account.verifyContacts')}</Link>
        </p>
      ) : null}
      <section className="card section" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('account.profile')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('auth.field.name')}</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>{t('auth.field.login')}</dt>
            <dd>
              {user.phone ?? user.email}{' '}
              <span className={`badge ${contactsVerified(user) ? 'badge-verified' : 'badge-pending'}`}>
                {t(contactsVerified(user) ? 'verify.verified' : 'verify.unverified')}
              </span>
            </dd>
          </div>
        </dl>
        <div className="actions">
          <Link className="button button-secondary" to="/account/password">
            {t('account.changePassword')}
          </Link>
          {contactsVerified(user) ? null : (
            <Link className="button button-secondary" to="/account/verify">
              {t('account.verifyContacts')}
            </Link>
          )}
        </div>
      </section>

      <section className="section" aria-labelledby="orgs-title">
        <h2 id="orgs-title">{t('account.orgs')}</h2>
        {memberships.length === 0 ? <p className="muted">{t('account.orgs.none')}</p> : null}
        <ul>
          {memberships.map((m) => (
            <li key={m.orgId}>
              {t('account.orgs.item', {
                name: m.orgName,
                kind: t(`org.kind.${m.kind}`),
                role: t(`org.role.${m.role}`),
                status: t(`org.status.${m.status}`),
              })}
            </li>
          ))}
        </ul>
        <div className="actions">
          <Link className="button button-secondary" to="/orgs/new">
            {t('account.orgs.create')}
          </Link>
          <Link className="button button-secondary" to="/join">
            {t('account.orgs.join')}
          </Link>
        </div>
      </section>

      <section className="section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('account.sessions')}</h2>
        <p className="muted">{t('account.sessions.lead')}</p>
        <ErrorSummary failure={failure} />
        <DataTable
          caption={t('account.sessions')}
          rows={sessions}
          rowKey={(s) => s.handle}
          columns={[
            { id: 'device', header: t('account.sessions.device'), role: 'primary', cell: (s) => s.userAgent.slice(0, 80) || '—' },
            { id: 'ip', header: t('account.sessions.ip'), cell: (s) => s.ip || '—' },
            { id: 'createdAt', header: t('account.sessions.createdAt'), cell: (s) => formatDateTime(s.createdAt) },
            { id: 'lastSeen', header: t('account.sessions.lastSeen'), cell: (s) => formatDateTime(s.lastSeenAt) },
            {
              id: 'action',
              header: t('account.sessions.action'),
              role: 'action',
              cell: (s) =>
                s.current ? (
                  <span className="badge badge-verified">{t('account.sessions.current')}</span>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="endSession" />
                    <input type="hidden" name="handle" value={s.handle} />
                    <button type="submit" className="button-small button-secondary">
                      {t('account.sessions.end')}
                    </button>
                  </Form>
                ),
            },
          ]}
        />
        {sessions.length > 1 ? (
          <Form method="post" className="section">
            <input type="hidden" name="intent" value="endOthers" />
            <button type="submit" className="button-danger">
              {t('account.sessions.endOthers')}
            </button>
          </Form>
        ) : null}
      </section>
    </>
  )
}
