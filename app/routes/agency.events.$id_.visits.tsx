import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import {
  addVisitSlot,
  organiserVisits,
  removeVisitSlot,
  ZOrganiserVisitIntent,
  ZSlotAction,
  ZVisitSlotInput,
  type VisitSlotView,
} from '~/domain/events/visits.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 现场调研 (issue 15 §1), the organiser's screen: site-visit slots per listed need of
 * the batch (a day, start and end, a place) and which provider booked each. Slots are
 * offered during 服务商征集 and 现场调研; a booked slot cannot be removed.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.visits.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await organiserVisits(db, actor, id))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZOrganiserVisitIntent, form)
    if (intent === 'add') {
      await addVisitSlot(db, actor, id, parseForm(ZVisitSlotInput, form))
    } else {
      await removeVisitSlot(db, actor, id, parseForm(ZSlotAction, form).slotId)
    }
    return redirect(`/agency/events/${id}/visits`, {
      headers: {
        'Set-Cookie': await setFlash({
          key: intent === 'add' ? 'eventReview.visits.slotAdded' : 'eventReview.visits.slotRemoved',
        }),
      },
    })
  })
}

export default function AgencyEventVisitsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const slotCount = data.needs.reduce((n, need) => n + need.slots.length, 0)
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${data.event.id}`}>← {t('eventReview.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('eventReview.visits.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {t(`events.stage.${data.event.stage}`)}
        </p>
        <p className="muted">{t('eventReview.visits.organiserLead')}</p>
      </header>
      <ErrorSummary failure={failure} fieldIds={{ needId: 'slot-need' }} />

      {data.mayOffer && data.needs.length > 0 ? (
        <Form method="post" noValidate className="card section" aria-labelledby="slot-add-title">
          <h2 id="slot-add-title">{t('eventReview.visits.addTitle')}</h2>
          <input type="hidden" name="intent" value="add" />
          <SelectField
            id="slot-need"
            name="needId"
            label={t('eventReview.visits.need')}
            required
            error={failure?.fieldErrors.needId}
          >
            {data.needs.map((n) => (
              <option key={n.needId} value={n.needId}>
                {n.title} · {n.enterprise}
              </option>
            ))}
          </SelectField>
          <InputField
            id="visitOn"
            name="visitOn"
            type="date"
            label={t('eventReview.visits.visitOn')}
            required
            error={failure?.fieldErrors.visitOn}
          />
          <InputField
            id="startsAt"
            name="startsAt"
            type="time"
            label={t('eventReview.visits.startsAt')}
            required
            error={failure?.fieldErrors.startsAt}
          />
          <InputField
            id="endsAt"
            name="endsAt"
            type="time"
            label={t('eventReview.visits.endsAt')}
            required
            error={failure?.fieldErrors.endsAt}
          />
          <InputField
            id="place"
            name="place"
            label={t('eventReview.visits.place')}
            required
            maxLength={200}
            error={failure?.fieldErrors.place}
          />
          <TextareaField
            id="note"
            name="note"
            label={t('eventReview.visits.note')}
            rows={2}
            maxLength={500}
            error={failure?.fieldErrors.note}
          />
          <p>
            <button type="submit" className="button primary">
              {t('eventReview.visits.add')}
            </button>
          </p>
        </Form>
      ) : (
        <p className="notice">
          {t(data.role === 'organiser' ? 'eventReview.visits.offerClosed' : 'eventReview.visits.readOnly')}
        </p>
      )}

      {data.needs.length === 0 ? (
        <div className="empty-state section">
          <p>{t('eventReview.visits.noNeeds')}</p>
          <p>
            <Link to={`/agency/events/${data.event.id}/needs`}>{t('eventReview.visits.toBatch')}</Link>
          </p>
        </div>
      ) : (
        data.needs.map((need) => (
          <section key={need.needId} className="section" aria-labelledby={`need-${need.needId}`}>
            <h2 id={`need-${need.needId}`} data-i18n-data>
              {need.title} · {need.enterprise}
            </h2>
            <DataTable<VisitSlotView>
              caption={t('eventReview.visits.caption', { need: need.title })}
              rows={need.slots}
              rowKey={(s) => s.id}
              empty={
                <div className="empty-state">
                  <p>{t('eventReview.visits.noSlots')}</p>
                  {data.mayOffer ? <p className="muted">{t('eventReview.visits.noSlotsNext')}</p> : null}
                </div>
              }
              columns={[
                {
                  id: 'when',
                  header: t('eventReview.visits.when'),
                  role: 'primary',
                  cell: (s) => `${s.visitOn} ${s.startsAt}–${s.endsAt}`,
                },
                { id: 'place', header: t('eventReview.visits.place'), cell: (s) => <span data-i18n-data>{s.place}</span> },
                {
                  id: 'booked',
                  header: t('eventReview.visits.bookedBy'),
                  cell: (s) => (s.booked ? <span data-i18n-data>{s.bookedBy}</span> : t('eventReview.visits.free')),
                },
                {
                  id: 'action',
                  header: t('eventReview.visits.action'),
                  role: 'action',
                  cell: (s) =>
                    data.mayOffer && !s.booked ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="slotId" value={s.id} />
                        <button type="submit" className="button button-small button-secondary">
                          {t('eventReview.visits.remove', { when: `${s.visitOn} ${s.startsAt}` })}
                        </button>
                      </Form>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </section>
        ))
      )}
      <p className="muted small">{t('eventReview.visits.count', { count: slotCount })}</p>
    </>
  )
}
