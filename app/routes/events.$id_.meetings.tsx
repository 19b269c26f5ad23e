import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  cancelMeeting,
  participantMeetings,
  recordMeetingOutcome,
  requestMeeting,
  respondToMeeting,
  saveAvailability,
  ZAvailabilityInput,
  ZMeetingIdInput,
  ZMeetingOutcomeInput,
  ZMeetingRequestInput,
  ZMeetingResponseInput,
  ZParticipantMeetingIntent,
  ZParticipantMeetingsQuery,
} from '~/domain/events/meetings.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/meetings.css'

/*
 * 洽谈 (issue 15 §1), a participant's screen — an enterprise with a listed need or an
 * approved provider: its available slots, asking the other side for a meeting (with a
 * message), answering requests, cancelling, its agenda, and the outcome of a meeting
 * once its slot is over.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'meetings.mine.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZParticipantMeetingsQuery, args.request)
    return json(await participantMeetings(db, actor, id, { page }))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZParticipantMeetingIntent, form)
    let flash: { key: MessageKey; params?: Record<string, number> }
    if (intent === 'availability') {
      const count = await saveAvailability(db, actor, id, parseForm(ZAvailabilityInput, form))
      flash = { key: 'meetings.avail.saved', params: { count } }
    } else if (intent === 'request') {
      await requestMeeting(db, actor, id, parseForm(ZMeetingRequestInput, form))
      flash = { key: 'meetings.ask.sent' }
    } else if (intent === 'respond') {
      const input = parseForm(ZMeetingResponseInput, form)
      await respondToMeeting(db, actor, id, input)
      flash = { key: input.decision === 'accept' ? 'meetings.list.accepted' : 'meetings.list.declined' }
    } else if (intent === 'cancel') {
      await cancelMeeting(db, actor, id, parseForm(ZMeetingIdInput, form).meetingId)
      flash = { key: 'meetings.list.cancelled' }
    } else {
      await recordMeetingOutcome(db, actor, id, parseForm(ZMeetingOutcomeInput, form))
      flash = { key: 'meetings.outcome.recorded' }
    }
    return redirect(`/events/${id}/meetings`, { headers: { 'Set-Cookie': await setFlash(flash) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type CounterpartRow = Data['counterparts'][number]
type MeetingRow = Data['meetings'][number]

export default function EventMeetingsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const other = t(data.side === 'enterprise' ? 'meetings.side.provider' : 'meetings.side.enterprise')
  const slotText = (r: { day: string; start: string; end: string }) => t('meetings.slotText', r)

  const counterpartColumns: Column<CounterpartRow>[] = [
    { id: 'name', header: t('meetings.col.with'), role: 'primary', cell: (r) => <span data-i18n-data>{r.name}</span> },
    ...(data.side === 'provider'
      ? [{ id: 'need', header: t('meetings.col.need'), cell: (r: CounterpartRow) => <span data-i18n-data>{r.needTitle}</span> }]
      : []),
    {
      id: 'action',
      header: t('meetings.col.action'),
      role: 'action',
      cell: (r) =>
        r.meeting && r.meeting.status !== 'declined' && r.meeting.status !== 'cancelled' ? (
          t(`meetings.status.${r.meeting.status}`)
        ) : data.mayAct ? (
          <Form method="post" className="meeting-actions">
            <input type="hidden" name="intent" value="request" />
            <input type="hidden" name={data.side === 'provider' ? 'needId' : 'providerOrgId'} value={r.key} />
            {data.side === 'enterprise' && data.myNeeds.length > 1 ? (
              <SelectField id={`need-${r.key}`} name="needId" label={t('meetings.ask.need')}>
                <option value="">{t('meetings.ask.anyNeed')}</option>
                {data.myNeeds.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.title}
                  </option>
                ))}
              </SelectField>
            ) : data.side === 'enterprise' && data.myNeeds[0] ? (
              <input type="hidden" name="needId" value={data.myNeeds[0].id} />
            ) : null}
            <TextareaField id={`message-${r.key}`} name="message" label={t('meetings.ask.message')} rows={2} maxLength={500} />
            <button type="submit" className="button primary" aria-label={`${t('meetings.ask.submit')}: ${r.name}`}>
              {t('meetings.ask.submit')}
            </button>
          </Form>
        ) : (
          '—'
        ),
    },
  ]

  const meetingColumns: Column<MeetingRow>[] = [
    {
      id: 'with',
      header: t('meetings.col.with'),
      role: 'primary',
      cell: (m) => <span data-i18n-data>{data.side === 'enterprise' ? m.provider : m.enterprise}</span>,
    },
    {
      id: 'need',
      header: t('meetings.col.need'),
      cell: (m) => (m.needTitle ? <span data-i18n-data>{m.needTitle}</span> : '—'),
    },
    {
      id: 'message',
      header: t('meetings.col.message'),
      cell: (m) => (
        <>
          <span className="muted small">{t(m.incoming ? 'meetings.list.incoming' : 'meetings.list.outgoing')}</span>
          {m.message ? (
            <>
              <br />
              <span data-i18n-data>{m.message}</span>
            </>
          ) : null}
          {m.reply ? (
            <>
              <br />
              <span data-i18n-data>↳ {m.reply}</span>
            </>
          ) : null}
        </>
      ),
    },
    { id: 'status', header: t('meetings.col.status'), cell: (m) => t(`meetings.status.${m.status}`) },
    {
      id: 'slot',
      header: t('meetings.col.slot'),
      cell: (m) =>
        m.slot ? `${slotText(m.slot)} · ${t('meetings.tableText', { table: m.tableNo ?? 0 })}` : t('meetings.list.waiting'),
    },
    {
      id: 'action',
      header: t('meetings.col.action'),
      role: 'action',
      cell: (m) => (
        <div className="meeting-actions">
          {m.mayRespond ? (
            <Form method="post" className="meeting-actions">
              <input type="hidden" name="intent" value="respond" />
              <input type="hidden" name="meetingId" value={m.id} />
              <TextareaField id={`reply-${m.id}`} name="reply" label={t('meetings.list.reply')} rows={2} maxLength={500} />
              <button type="submit" name="decision" value="accept" className="button primary">
                {t('meetings.list.accept')}
              </button>
              <button type="submit" name="decision" value="decline" className="button button-secondary">
                {t('meetings.list.decline')}
              </button>
            </Form>
          ) : null}
          {m.mayCancel ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="meetingId" value={m.id} />
              <button type="submit" className="button button-secondary button-small">
                {t('meetings.list.cancel')}
              </button>
            </Form>
          ) : null}
          {m.myOutcome ? (
            <span>{t('meetings.outcome.mine', { outcome: t(`meetings.outcome.${m.myOutcome.outcome}`) })}</span>
          ) : null}
          {m.mayRecordOutcome ? (
            <Form method="post" className="meeting-actions" aria-label={t('meetings.outcome.heading')}>
              <input type="hidden" name="intent" value="outcome" />
              <input type="hidden" name="meetingId" value={m.id} />
              <SelectField id={`outcome-${m.id}`} name="outcome" label={t('meetings.outcome.label')} required>
                {(['intent', 'continue', 'none'] as const).map((o) => (
                  <option key={o} value={o}>
                    {t(`meetings.outcome.${o}`)}
                  </option>
                ))}
              </SelectField>
              <TextareaField
                id={`outcome-note-${m.id}`}
                name="note"
                label={t('meetings.outcome.note')}
                rows={2}
                maxLength={500}
              />
              <button type="submit" className="button primary">
                {t('meetings.outcome.submit')}
              </button>
            </Form>
          ) : null}
        </div>
      ),
    },
  ]

  return (
    <>
      <p>
        <Link to={`/events/${data.event.id}`}>← {t('meetings.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('meetings.mine.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {data.orgName} · {t(`events.stage.${data.event.stage}`)}
        </p>
        <p className="muted">{t('meetings.mine.lead', { other })}</p>
        <p>
          <Link to={`/events/${data.event.id}/agenda`}>{t('meetings.agendaLink')}</Link>
          {' · '}
          <a href={`/events/${data.event.id}/agenda.ics`} download>
            {t('meetings.icsLink')}
          </a>
        </p>
      </header>
      <ErrorSummary failure={failure} fieldIds={{ slots: 'slot-0' }} />
      {!data.hasSettings ? <p className="notice">{t('meetings.mine.noSettings')}</p> : null}
      {data.hasSettings && !data.mayAct ? <p className="notice">{t('meetings.mine.closed')}</p> : null}

      <section className="section" aria-labelledby="mine-title">
        <h2 id="mine-title">{t('meetings.list.heading')}</h2>
        <DataTable
          caption={t('meetings.list.caption', { total: data.meetings.length })}
          columns={meetingColumns}
          rows={data.meetings}
          rowKey={(m) => m.id}
          empty={<p className="empty-state">{t('meetings.list.empty')}</p>}
        />
      </section>

      {data.mayAct ? (
        <section className="section" aria-labelledby="avail-title">
          <h2 id="avail-title">{t('meetings.avail.heading')}</h2>
          <p className="muted">{t('meetings.avail.lead')}</p>
          {!data.availabilitySaved ? <p className="notice">{t('meetings.avail.notSaved')}</p> : null}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="availability" />
            {data.days.map((day, di) => (
              <fieldset key={day.day} className="checkbox-group">
                <legend>{day.day}</legend>
                <div className="meeting-slots">
                  {day.slots.map((slot, si) => (
                    <label key={slot.key}>
                      <input
                        type="checkbox"
                        id={di === 0 && si === 0 ? 'slot-0' : undefined}
                        name="slots[]"
                        value={slot.key}
                        defaultChecked={!data.availabilitySaved || slot.available || slot.booked}
                        disabled={slot.booked}
                      />
                      {slot.booked ? <input type="hidden" name="slots[]" value={slot.key} /> : null} {slot.start}–{slot.end}
                      {slot.booked ? <span className="muted small"> {t('meetings.avail.booked')}</span> : null}
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
            <p>
              <button type="submit" className="button primary">
                {t('meetings.avail.save')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}

      {data.mayAct ? (
        <section className="section" aria-labelledby="ask-title">
          <h2 id="ask-title">
            {t(data.side === 'enterprise' ? 'meetings.ask.headingEnterprise' : 'meetings.ask.headingProvider')}
          </h2>
          <DataTable
            caption={t('meetings.ask.caption', { page: data.page })}
            columns={counterpartColumns}
            rows={data.counterparts}
            rowKey={(r) => r.key}
            empty={<p className="empty-state">{t('meetings.ask.empty')}</p>}
          />
          <Pagination page={data.page} pageCount={data.pageCount} />
        </section>
      ) : null}
    </>
  )
}
