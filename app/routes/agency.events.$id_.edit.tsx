import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { echoedEventValues, EventForm } from '~/components/event-form.js'
import { useFormFailure } from '~/components/form.js'
import { getEventForEdit, updateEvent, ZEventInput, ZRevision } from '~/domain/events/events.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/* 编辑对接会 (issue 15 §1): the organiser edits the details while the draft, 需求发榜 or 服务商征集 lasts. */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getEventForEdit(db, actor, id, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const input = parseForm(ZEventInput, form)
      const { revision } = parseForm(ZRevision, form)
      await updateEvent(db, actor, id, { ...input, revision })
      return redirect(`/agency/events/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'events.flash.updated' }) } })
    })
  })
}

export default function EditEventPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { event } = data
  const values = echoedEventValues(actionData, {
    title: event.title,
    description: event.description,
    regionCode: event.regionCode,
    mode: event.mode,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
    startsOn: event.startsOn,
    endsOn: event.endsOn,
    industries: event.industries.map((i) => i.code),
    enterpriseApplications: event.enterpriseApplications,
  })
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${event.id}`}>← {t('events.back.progress')}</Link>
      </p>
      <h1>{t('events.edit.title')}</h1>
      <p className="muted" data-i18n-data>
        {event.title}
      </p>
      {data.mayEdit ? (
        <EventForm
          values={values}
          failure={failure}
          regionOptions={data.regionOptions}
          industryOptions={data.industryOptions}
          submitLabel={t('events.edit.submit')}
          revision={event.revision}
          busy={busy}
        />
      ) : (
        <p className="notice">{t('events.edit.closed', { stage: t(`events.stage.${event.stage}`) })}</p>
      )}
    </>
  )
}
