import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable } from '~/components/data-table.js'
import { useDeviceName } from '~/components/device-name.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { getAccountOverview } from '~/domain/accounts/accounts.server.js'
import { contactsVerified } from '~/domain/accounts/contacts.js'
import { ZEndSessionsInput } from '~/domain/accounts/schema.js'
import { endOwnSessions } from '~/domain/accounts/sessions.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime, formatIp } from '~/utils/format.js'
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
    const form = await args.request.formData()
    const input = parseForm(ZEndSessionsInput, form)
    // Without scripts the buttons ask first (components/confirm.tsx).
    const asked = confirmationAsked(form)
    if (asked) return json(asked)
    const ended = await endOwnSessions(db, actor, viewer.session, input)
    return json({ ok: true as const, ended })
  })
}

export default function AccountPage() {
  const { user, memberships, sessions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const deviceName = useDeviceName()
  const endQuestion = (s: { userAgent: string }) => ({
    question: fillTemplate(t('account.sessions.endConfirm'), { device: <span data-i18n-data>{deviceName(s.userAgent)}</span> }),
    consequence: t('account.sessions.endConsequence'),
    confirmLabel: t('account.sessions.end'),
    danger: true,
  })
  const endOthersQuestion = {
    question: t('account.sessions.endOthersConfirm'),
    consequence: t('account.sessions.endOthersConsequence'),
    confirmLabel: t('account.sessions.endOthers'),
    danger: true,
  }
  const confirmingSession = confirming && sessions.find((s) => s.handle === confirming.fields.handle)
  return (
    <>
      <h1>{t('account.title')}</h1>
      {confirming && confirming.fields.intent === 'endOthers' ? (
        <ConfirmStep request={confirming} {...endOthersQuestion} />
      ) : null}
      {confirming && confirmingSession ? <ConfirmStep request={confirming} {...endQuestion(confirmingSession)} /> : null}
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
            <dd data-i18n-data>{user.name}</dd>
          </div>
          <div>
            <dt>{t('auth.field.login')}</dt>
            <dd>
              <span data-i18n-data>{user.phone ?? user.email}</span>{' '}
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
          <Link className="button button-secondary" to="/account/notifications">
            {t('notifications.settingsLink')}
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
              {fillTemplate(t('account.orgs.item'), {
                name: <span data-i18n-data>{m.orgName}</span>,
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
            {
              id: 'device',
              header: t('account.sessions.device'),
              role: 'primary',
              // Named as people name devices; the browser's own words on hover.
              cell: (s) => <span title={s.userAgent.slice(0, 200) || undefined}>{deviceName(s.userAgent)}</span>,
            },
            { id: 'ip', header: t('account.sessions.ip'), cell: (s) => (s.ip ? formatIp(s.ip) : '—') },
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
                  <ConfirmForm
                    label={t('account.sessions.end')}
                    buttonClassName="button-small button-secondary"
                    buttonExtra={<span data-i18n-data>{deviceName(s.userAgent)}</span>}
                    {...endQuestion(s)}
                  >
                    <input type="hidden" name="intent" value="endSession" />
                    <input type="hidden" name="handle" value={s.handle} />
                  </ConfirmForm>
                ),
            },
          ]}
        />
        {sessions.length > 1 ? (
          <ConfirmForm
            className="section"
            label={t('account.sessions.endOthers')}
            buttonClassName="button-danger"
            {...endOthersQuestion}
          >
            <input type="hidden" name="intent" value="endOthers" />
          </ConfirmForm>
        ) : null}
      </section>
    </>
  )
}
