import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { changeStage, getProgress, ZStageInput } from '~/domain/events/events.server.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * The organiser's progress view of an event (issue 15 §1): the six stages as steps, each
 * with its counts, what it still needs and its screens (需求发榜, 服务商征集, 现场调研 and
 * 洽谈, 方案评选, 意向签约, 服务跟进 and 成效); 进入下一阶段 and 取消 ask first. Agencies over
 * the event read it.
 */

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'events.progress.title', { title: data.event.title }) : pageTitle(matches, 'events.agency.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getProgress(db, actor, id, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const input = parseForm(ZStageInput, form)
    const asked = confirmationAsked(form)
    await changeStage(db, actor, id, input, { apply: !asked })
    if (asked) return json(asked)
    return redirect(`/agency/events/${id}`, {
      headers: {
        'Set-Cookie': await setFlash({ key: input.intent === 'advance' ? 'events.flash.advanced' : 'events.flash.cancelled' }),
      },
    })
  })
}

export default function EventProgressPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { event } = data
  const questions = {
    advance: {
      question: data.next ? t('events.progress.advanceQuestion', { stage: t(`events.stage.${data.next}`) }) : '',
      consequence: t('events.progress.advanceConsequence'),
      confirmLabel: t('events.progress.advance'),
    },
    cancel: {
      question: t('events.progress.cancelQuestion'),
      consequence: t('events.progress.cancelConsequence'),
      confirmLabel: t('events.progress.cancel'),
      danger: true,
    },
  }
  const intent = confirming?.fields.intent
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/events">← {t('events.back.list')}</Link>
      </p>
      <header className="page-head">
        <h1 data-i18n-data>{event.title}</h1>
        <p>
          <strong>{t(`events.stage.${event.stage}`)}</strong>
          {t('events.sep')}
          {t('events.dates', { start: event.startsOn, end: event.endsOn })}
          {t('events.sep')}
          <span data-i18n-data>{event.regionName}</span>
          {t('events.sep')}
          {t(`events.mode.${event.mode}`)}
        </p>
        <p className="muted">
          <Link to={`/events/${event.id}`}>{t('events.progress.publicPage')}</Link>
          {data.mayEdit ? (
            <>
              {t('events.sep')}
              <Link to={`/agency/events/${event.id}/edit`}>{t('events.progress.edit')}</Link>
            </>
          ) : null}
          {t('events.sep')}
          <a href={`/agency/events/${event.id}.xlsx`} download>
            {t('events.progress.xlsx')}
          </a>
        </p>
      </header>
      {confirming && (intent === 'advance' || intent === 'cancel') ? (
        <ConfirmStep request={confirming} {...questions[intent]} />
      ) : null}
      {!confirming ? <ErrorSummary failure={failure} fieldIds={{ reason: 'cancel-reason' }} /> : null}
      {data.role === 'agency' ? <p className="notice">{t('events.progress.readOnly')}</p> : null}

      <section aria-labelledby="steps-title" className="section">
        <h2 id="steps-title">{t('events.progress.steps')}</h2>
        <ol className="event-steps" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: '0.75rem' }}>
          {data.steps.map((step, i) => (
            <li
              key={step.stage}
              className="card"
              aria-current={step.state === 'current' ? 'step' : undefined}
              style={{ borderLeft: step.state === 'current' ? '4px solid currentColor' : undefined, padding: '0.75rem 1rem' }}
            >
              <h3 style={{ margin: 0, fontSize: '1rem' }}>
                {t('events.progress.stepHeading', { n: i + 1, stage: t(`events.stage.${step.stage}`) })}{' '}
                <span className="muted small">({t(`events.progress.state.${step.state}`)})</span>
              </h3>
              {step.counts.length ? (
                <p style={{ margin: '0.25rem 0' }}>{step.counts.map((c) => t(c.key, { n: c.n })).join(t('events.sep'))}</p>
              ) : null}
              {step.state !== 'done' && step.notes.length ? (
                <ul className="small" style={{ margin: '0.25rem 0' }}>
                  {step.notes.map((note) => (
                    <li key={note.key}>{t(note.key, { n: note.n })}</li>
                  ))}
                </ul>
              ) : null}
              <p style={{ margin: '0.25rem 0' }}>
                {step.links.map((l, j) => (
                  <span key={l.href}>
                    {j > 0 ? t('events.sep') : null}
                    <Link to={l.href}>{t(l.key)}</Link>
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ol>
      </section>

      {data.mayManage ? (
        <section aria-labelledby="stage-actions" className="section">
          <h2 id="stage-actions">{t('events.progress.actions')}</h2>
          {data.next ? (
            <>
              {data.blockedBy ? (
                <p className="notice">{t('events.progress.blocked', { what: t(data.blockedBy, { n: 0 }) })}</p>
              ) : null}
              <ConfirmForm
                label={t('events.progress.advanceTo', { stage: t(`events.stage.${data.next}`) })}
                buttonId="advance"
                buttonClassName="button primary"
                disabled={busy || data.blockedBy !== null}
                noValidate
                {...questions.advance}
              >
                <input type="hidden" name="intent" value="advance" />
                <input type="hidden" name="revision" value={event.revision} />
              </ConfirmForm>
            </>
          ) : (
            <p className="muted">{t('events.progress.noNext')}</p>
          )}
          {data.mayCancel ? (
            <ConfirmForm
              label={t('events.progress.cancel')}
              buttonId="cancel-event"
              disabled={busy}
              className="section"
              {...questions.cancel}
            >
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="revision" value={event.revision} />
              <TextareaField
                id="cancel-reason"
                name="reason"
                label={t('events.progress.cancelReason')}
                rows={2}
                required
                maxLength={EVENT_LIMITS.reasonMax}
                error={failure?.fieldErrors.reason}
              />
            </ConfirmForm>
          ) : null}
        </section>
      ) : null}
    </>
  )
}
