import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { ZPageQuery, ZRegistrationDecision } from '~/domain/events/events.server.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import { decideRegistration, getRegistrationsPage } from '~/domain/events/registrations.server.js'
import type { Registration } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 服务商征集 (issue 15 §1): providers' registrations — waiting ones first —, with their
 * note and the listed needs each is interested in; the organiser approves or rejects
 * with a reason (the provider is told). 20 a page.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.providers.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZPageQuery, args.request)
    return json(await getRegistrationsPage(db, actor, id, page, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZRegistrationDecision, await args.request.formData())
    await decideRegistration(db, actor, id, input)
    return redirect(`/agency/events/${id}/providers`, {
      headers: {
        'Set-Cookie': await setFlash({ key: input.intent === 'approve' ? 'events.flash.approved' : 'events.flash.rejected' }),
      },
    })
  })
}

export default function EventProvidersPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { event, counts } = data
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${event.id}`}>← {t('events.back.progress')}</Link>
      </p>
      <h1>{t('events.providers.title')}</h1>
      <p className="muted">
        <span data-i18n-data>{event.title}</span>
        {t('events.sep')}
        {t(`events.stage.${event.stage}`)}
      </p>
      <p>
        {t('events.providers.counts', {
          applied: counts.applied,
          approved: counts.approved,
          rejected: counts.rejected,
          withdrawn: counts.withdrawn,
        })}
      </p>
      {data.mayManage && !data.mayDecide ? <p className="notice">{t('events.providers.closed')}</p> : null}
      <ErrorSummary failure={failure} />
      <DataTable<Registration>
        caption={t('events.providers.caption', { total: data.total })}
        rows={data.registrations}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{t('events.providers.empty')}</p>
            <p className="muted">{t('events.providers.emptyNext')}</p>
          </div>
        }
        columns={[
          {
            id: 'provider',
            header: t('events.col.provider'),
            role: 'primary',
            cell: (r) => (
              <Link to={`/providers/${r.providerOrgId}`} data-i18n-data>
                {r.provider}
              </Link>
            ),
          },
          { id: 'status', header: t('events.col.status'), cell: (r) => t(`events.providerStatus.${r.status}`) },
          {
            id: 'needs',
            header: t('events.col.interests'),
            cell: (r) =>
              r.needs.length === 0 ? (
                t('events.providers.wholeBatch')
              ) : (
                <ul className="plain">
                  {r.needs.map((n) => (
                    <li key={n.id}>
                      <Link to={`/needs/${n.id}`} data-i18n-data>
                        {n.title}
                      </Link>
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            id: 'note',
            header: t('events.col.note'),
            cell: (r) => (
              <span data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {r.note || '—'}
                {r.reason ? ` · ${r.reason}` : ''}
              </span>
            ),
          },
          ...(data.mayDecide
            ? [
                {
                  id: 'action',
                  header: t('events.col.action'),
                  role: 'action' as const,
                  cell: (r: Registration) =>
                    r.status === 'applied' || r.status === 'approved' ? (
                      <div className="actions">
                        {r.status === 'applied' ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="approve" />
                            <input type="hidden" name="registrationId" value={r.id} />
                            <button type="submit" disabled={busy}>
                              {t('events.providers.approve')}
                              <span className="visually-hidden" data-i18n-data>
                                {' '}
                                {r.provider}
                              </span>
                            </button>
                          </Form>
                        ) : null}
                        <Form method="post">
                          <input type="hidden" name="intent" value="reject" />
                          <input type="hidden" name="registrationId" value={r.id} />
                          <label htmlFor={`reason-${r.id}`}>{t('events.providers.rejectReason')}</label>
                          <input id={`reason-${r.id}`} name="reason" required maxLength={EVENT_LIMITS.reasonMax} />
                          <button type="submit" className="button-secondary" disabled={busy}>
                            {t('events.providers.reject')}
                            <span className="visually-hidden" data-i18n-data>
                              {' '}
                              {r.provider}
                            </span>
                          </button>
                        </Form>
                      </div>
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
        ]}
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
