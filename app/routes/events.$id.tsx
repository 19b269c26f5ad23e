import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { ZPageQuery, ZParticipantInput } from '~/domain/events/events.server.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import { actAsParticipant, getPublicEventPage } from '~/domain/events/registrations.server.js'
import type { PublicEventPage } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { optionalActor, requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * The public page of a matchmaking event (issue 15 §1): details, the stages, the listed
 * needs (20 a page, each linking to the need). A verified enterprise puts its published
 * need forward while 需求发榜 is open (when the event allows it) and sees its
 * applications; a verified provider registers (a note, the needs it is interested in)
 * or withdraws, and sees its status. A draft is found only by agencies.
 */

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'events.page.title', { title: data.event.title }) : pageTitle(matches, 'events.public.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const actor = await optionalActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZPageQuery, args.request)
    return json(await getPublicEventPage(db, actor, id, page, await getLocale(args.request)))
  })
}

const DONE = {
  register: 'events.flash.registered',
  withdrawRegistration: 'events.flash.registrationWithdrawn',
  apply: 'events.flash.applied',
  withdrawApplication: 'events.flash.applicationWithdrawn',
} as const

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZParticipantInput, await args.request.formData())
    await actAsParticipant(db, actor, id, input)
    return redirect(`/events/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: DONE[input.intent] }) } })
  })
}

type BatchRow = PublicEventPage['batch'][number]

export default function PublicEventPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const location = useLocation()
  const t = useT()
  const { event, enterprise, provider } = data
  return (
    <article aria-labelledby="event-title">
      <p>
        <Link to="/events">← {t('events.back.public')}</Link>
      </p>
      <header className="page-head">
        <h1 id="event-title" data-i18n-data>
          {event.title}
        </h1>
        <p>
          <strong>{t(`events.stage.${event.stage}`)}</strong>
          {t('events.sep')}
          {t('events.dates', { start: event.startsOn, end: event.endsOn })}
        </p>
        {data.manageHref ? (
          <p>
            <Link to={data.manageHref}>{t('events.page.manage')}</Link>
          </p>
        ) : null}
      </header>
      <ErrorSummary failure={failure} fieldIds={{ needIds: 'register-needs' }} />

      <dl className="facts">
        <dt>{t('events.page.organiser')}</dt>
        <dd data-i18n-data>{event.organiserName}</dd>
        <dt>{t('events.col.region')}</dt>
        <dd data-i18n-data>{event.regionName}</dd>
        <dt>{t('events.col.mode')}</dt>
        <dd>{t(`events.mode.${event.mode}`)}</dd>
        {event.venue ? (
          <>
            <dt>{t('events.form.venue')}</dt>
            <dd data-i18n-data>{event.venue}</dd>
          </>
        ) : null}
        {event.onlineUrl ? (
          <>
            <dt>{t('events.form.onlineUrl')}</dt>
            <dd>
              <a href={event.onlineUrl} rel="noopener noreferrer nofollow" data-i18n-data>
                {event.onlineUrl}
              </a>
            </dd>
          </>
        ) : null}
        {event.industries.length ? (
          <>
            <dt>{t('events.form.industries')}</dt>
            <dd data-i18n-data>{event.industries.map((i) => i.name).join('、')}</dd>
          </>
        ) : null}
      </dl>
      {event.description ? (
        <p data-i18n-data style={{ whiteSpace: 'pre-wrap' }}>
          {event.description}
        </p>
      ) : null}

      <section aria-labelledby="stages-title" className="section">
        <h2 id="stages-title">{t('events.page.stages')}</h2>
        {event.stage === 'cancelled' ? <p className="notice">{t('events.page.cancelled')}</p> : null}
        <ol className="steps">
          {data.steps.map((s) => (
            <li key={s.stage} aria-current={s.state === 'current' ? 'step' : undefined}>
              {t(`events.stage.${s.stage}`)} <span className="muted small">({t(`events.progress.state.${s.state}`)})</span>
            </li>
          ))}
        </ol>
      </section>

      {enterprise ? (
        <section aria-labelledby="mine-title" className="card section">
          <h2 id="mine-title">{t('events.page.enterpriseTitle')}</h2>
          {enterprise.applications.length ? (
            <ul>
              {enterprise.applications.map((a) => (
                <li key={a.needId}>
                  <Link to={`/needs/${a.needId}`} data-i18n-data>
                    {a.title}
                  </Link>
                  {t('events.sep')}
                  {t(`events.needStatus.${a.status}`)}
                  {a.reason ? (
                    <>
                      {t('events.sep')}
                      <span data-i18n-data>{a.reason}</span>
                    </>
                  ) : null}
                  {enterprise.mayApply && (a.status === 'applied' || a.status === 'listed') ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="withdrawApplication" />
                      <input type="hidden" name="needId" value={a.needId} />
                      <button type="submit" className="button-secondary" disabled={busy}>
                        {t('events.page.withdrawNeed')}
                        <span className="visually-hidden" data-i18n-data>
                          {' '}
                          {a.title}
                        </span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('events.page.noApplications')}</p>
          )}
          {enterprise.mayApply ? (
            enterprise.candidates.length ? (
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="apply" />
                <SelectField
                  id="apply-need"
                  name="needId"
                  label={t('events.page.applyNeed')}
                  required
                  error={failure?.fieldErrors.needId}
                >
                  {enterprise.candidates.map((n) => (
                    <option key={n.needId} value={n.needId}>
                      {n.title}
                    </option>
                  ))}
                </SelectField>
                <button type="submit" className="button primary" disabled={busy}>
                  {t('events.page.apply')}
                </button>
              </Form>
            ) : (
              <p className="muted">
                {t('events.page.noCandidates')} <Link to="/enterprise/needs/new">{t('events.page.newNeed')}</Link>
              </p>
            )
          ) : (
            <p className="muted">{t(event.enterpriseApplications ? 'events.page.applyClosed' : 'events.page.applyNotAllowed')}</p>
          )}
        </section>
      ) : null}

      {provider ? (
        <section aria-labelledby="reg-title" className="card section">
          <h2 id="reg-title">{t('events.page.providerTitle')}</h2>
          {provider.registration ? (
            <p>
              {t('events.page.registrationStatus', { status: t(`events.providerStatus.${provider.registration.status}`) })}
              {provider.registration.reason ? (
                <>
                  {t('events.sep')}
                  <span data-i18n-data>{provider.registration.reason}</span>
                </>
              ) : null}
            </p>
          ) : null}
          {provider.mayWithdraw ? (
            <Form method="post">
              <input type="hidden" name="intent" value="withdrawRegistration" />
              <button type="submit" className="button-secondary" disabled={busy}>
                {t('events.page.withdrawRegistration')}
              </button>
            </Form>
          ) : null}
          {provider.mayRegister ? (
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="register" />
              <TextareaField
                id="register-note"
                name="note"
                label={t('events.page.registerNote')}
                hint={t('events.page.registerNoteHint')}
                rows={3}
                maxLength={EVENT_LIMITS.noteMax}
                error={failure?.fieldErrors.note}
              />
              <fieldset className="field" id="register-needs">
                <legend>{t('events.page.interests')}</legend>
                <p className="field-hint">{t('events.page.interestsHint')}</p>
                {provider.listed.map((n) => (
                  <label className="choice" key={n.needId}>
                    <input type="checkbox" name="needIds[]" value={n.needId} /> <span data-i18n-data>{n.title}</span>
                  </label>
                ))}
              </fieldset>
              <button type="submit" className="button primary" disabled={busy}>
                {t('events.page.register')}
              </button>
            </Form>
          ) : !provider.registration ? (
            <p className="muted">{t('events.page.registerClosed')}</p>
          ) : null}
        </section>
      ) : null}

      {data.role === 'public' && !enterprise && !provider ? (
        <p className="muted">
          {t('events.page.joinHint')}{' '}
          <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>{t('events.page.signIn')}</Link>
        </p>
      ) : null}

      <section aria-labelledby="batch-title" className="section">
        <h2 id="batch-title">{t('events.page.batch', { n: data.batchTotal })}</h2>
        <DataTable<BatchRow>
          caption={t('events.page.batchCaption')}
          rows={data.batch}
          rowKey={(n) => n.needId}
          empty={<p className="empty-state">{t('events.page.batchEmpty')}</p>}
          columns={[
            {
              id: 'title',
              header: t('events.col.need'),
              role: 'primary',
              cell: (n) => (
                <Link to={`/needs/${n.needId}`} data-i18n-data>
                  {n.title}
                </Link>
              ),
            },
            { id: 'enterprise', header: t('events.col.enterprise'), cell: (n) => <span data-i18n-data>{n.enterprise}</span> },
            { id: 'region', header: t('events.col.region'), cell: (n) => <span data-i18n-data>{n.regionName}</span> },
            { id: 'industry', header: t('events.col.industry'), cell: (n) => <span data-i18n-data>{n.industryName}</span> },
          ]}
        />
        <Pagination page={data.batchPage} pageCount={data.batchPageCount} />
      </section>
    </article>
  )
}
