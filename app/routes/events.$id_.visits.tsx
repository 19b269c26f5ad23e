import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import {
  bookVisitSlot,
  cancelVisitBooking,
  participantVisits,
  ZParticipantVisitIntent,
  ZSlotAction,
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
 * 现场调研 (issue 15 §1), the participants' screen: an approved provider books a
 * site-visit slot of a listed need (one provider per slot, one slot per need, never two
 * overlapping slots) or cancels its booking while the event is in 现场调研; an enterprise
 * sees the slots of its needs and who booked them.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.visits.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await participantVisits(db, actor, id))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZParticipantVisitIntent, form)
    const { slotId } = parseForm(ZSlotAction, form)
    if (intent === 'book') await bookVisitSlot(db, actor, id, slotId)
    else await cancelVisitBooking(db, actor, id, slotId)
    return redirect(`/events/${id}/visits`, {
      headers: {
        'Set-Cookie': await setFlash({ key: intent === 'book' ? 'eventReview.visits.booked' : 'eventReview.visits.cancelled' }),
      },
    })
  })
}

export default function EventVisitsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const isProvider = data.role === 'provider'
  return (
    <>
      <p>
        <Link to={`/events/${data.event.id}`}>← {t('eventReview.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('eventReview.visits.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {t(`events.stage.${data.event.stage}`)}
        </p>
        <p className="muted">{t(isProvider ? 'eventReview.visits.providerLead' : 'eventReview.visits.enterpriseLead')}</p>
      </header>
      <ErrorSummary failure={failure} />
      {isProvider && data.bookingNote ? <p className="notice">{t(data.bookingNote)}</p> : null}
      {isProvider ? (
        <p>
          <Link to={`/events/${data.event.id}/results`}>{t('eventReview.results.link')}</Link>
        </p>
      ) : null}

      {data.needs.length === 0 ? (
        <div className="empty-state section">
          <p>{t('eventReview.visits.noNeeds')}</p>
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
                  <p className="muted">{t('eventReview.visits.noSlotsLater')}</p>
                </div>
              }
              columns={[
                {
                  id: 'when',
                  header: t('eventReview.visits.when'),
                  role: 'primary',
                  cell: (s) => `${s.visitOn} ${s.startsAt}–${s.endsAt}`,
                },
                {
                  id: 'place',
                  header: t('eventReview.visits.place'),
                  cell: (s) => (
                    <span data-i18n-data>
                      {s.place}
                      {s.note ? ` · ${s.note}` : ''}
                    </span>
                  ),
                },
                {
                  id: 'status',
                  header: t('eventReview.visits.status'),
                  cell: (s) =>
                    s.mine ? (
                      <strong>{t('eventReview.visits.mine')}</strong>
                    ) : s.booked ? (
                      s.bookedBy ? (
                        <span data-i18n-data>{t('eventReview.visits.bookedByName', { name: s.bookedBy })}</span>
                      ) : (
                        t('eventReview.visits.taken')
                      )
                    ) : (
                      t('eventReview.visits.free')
                    ),
                },
                ...(isProvider
                  ? [
                      {
                        id: 'action',
                        header: t('eventReview.visits.action'),
                        role: 'action' as const,
                        cell: (s: VisitSlotView) =>
                          data.mayBook && (s.mine || !s.booked) ? (
                            <Form method="post">
                              <input type="hidden" name="intent" value={s.mine ? 'cancel' : 'book'} />
                              <input type="hidden" name="slotId" value={s.id} />
                              <button
                                type="submit"
                                className={s.mine ? 'button button-small button-secondary' : 'button button-small'}
                              >
                                {t(s.mine ? 'eventReview.visits.cancel' : 'eventReview.visits.book', {
                                  when: `${s.visitOn} ${s.startsAt}`,
                                })}
                              </button>
                            </Form>
                          ) : (
                            '—'
                          ),
                      },
                    ]
                  : []),
              ]}
            />
          </section>
        ))
      )}
    </>
  )
}
