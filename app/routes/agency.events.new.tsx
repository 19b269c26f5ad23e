import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { echoedEventValues, EventForm } from '~/components/event-form.js'
import { useFormFailure } from '~/components/form.js'
import { createEvent, newEventForm, ZEventInput } from '~/domain/events/events.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/* 新建对接会 (issue 15 §1): a draft of the actor's agency; its progress view follows. */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.new.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await newEventForm(db, actor, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { eventId } = await createEvent(db, actor, parseForm(ZEventInput, form))
      return redirect(`/agency/events/${eventId}`, { headers: { 'Set-Cookie': await setFlash({ key: 'events.flash.created' }) } })
    })
  })
}

export default function NewEventPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const values = echoedEventValues(actionData, {
    title: '',
    description: '',
    regionCode: data.defaultRegion,
    mode: 'onsite',
    venue: '',
    onlineUrl: '',
    startsOn: '',
    endsOn: '',
    industries: [],
    enterpriseApplications: false,
  })
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/events">← {t('events.back.list')}</Link>
      </p>
      <h1>{t('events.new.title')}</h1>
      <p className="muted">{t('events.new.lead')}</p>
      <EventForm
        values={values}
        failure={failure}
        regionOptions={data.regionOptions}
        industryOptions={data.industryOptions}
        submitLabel={t('events.new.submit')}
        busy={busy}
      />
    </>
  )
}
