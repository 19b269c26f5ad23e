import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { endOwnSessions, listUserSessions } from '~/domain/accounts/sessions.server.js'
import { actorOf } from '~/domain/accounts/viewer.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/utils/forms.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '我的账号 · 对接' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = services()
  const viewer = await requireViewer(db, request)
  const sessions = await listUserSessions(db, viewer.user.id, viewer.session.idHash)
  return json({
    user: viewer.user,
    memberships: viewer.memberships,
    sessions,
  })
}

const ZAccountAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('endSession'), handle: z.string().regex(/^[A-Za-z0-9_-]{16}$/) }),
  z.object({ intent: z.literal('endOthers') }),
])

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const input = parseForm(ZAccountAction, await request.formData())
    const which = input.intent === 'endOthers' ? 'others' : { handle: input.handle }
    const ended = await endOwnSessions(db, actorOf(viewer, clientIp(context)), viewer.session.idHash, which)
    return json({ ok: true as const, ended })
  })
}

export default function AccountPage() {
  const { user, memberships, sessions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  return (
    <>
      <h1>{t('account.title')}</h1>
      {actionData && 'ended' in actionData ? (
        <p className="notice notice-success" role="status">
          {t('account.sessions.ended', { count: actionData.ended })}
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
            <dd>{user.phone ?? user.email}</dd>
          </div>
        </dl>
      </section>

      <section className="section" aria-labelledby="orgs-title">
        <h2 id="orgs-title">{t('account.orgs')}</h2>
        {memberships.length === 0 ? <p className="muted">{t('account.orgs.none')}</p> : null}
        <ul>
          {memberships.map((m) => (
            <li key={m.orgId}>
              {m.orgName}（{t(`org.kind.${m.kind}`)} · {t(`org.role.${m.role}` as MessageKey)} ·{' '}
              {t(`org.status.${m.status}`)}）
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
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('account.sessions.device')}</th>
                <th scope="col">{t('account.sessions.ip')}</th>
                <th scope="col">{t('account.sessions.createdAt')}</th>
                <th scope="col">{t('account.sessions.lastSeen')}</th>
                <th scope="col">{t('audits.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.handle}>
                  <td>{s.userAgent.slice(0, 80) || '—'}</td>
                  <td>{s.ip || '—'}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>
                    {s.current ? (
                      <span className="badge badge-verified">{t('account.sessions.current')}</span>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="endSession" />
                        <input type="hidden" name="handle" value={s.handle} />
                        <button type="submit" className="button-small button-secondary">
                          {t('account.sessions.end')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
