import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  clearMeetingSchedule,
  organiserMeetings,
  runMeetingSchedule,
  saveMeetingSettings,
  ZMeetingSettingsInput,
  ZOrganiserMeetingIntent,
  ZOrganiserMeetingsQuery,
} from '~/domain/events/meetings-schedule.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/meetings.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

/*
 * 洽谈排期 (issue 15 §1), the organiser's screen: the meeting grid's settings, the
 * schedule grid slot × table of one day, 排期 for accepted requests and clearing it,
 * and every request with its status. Reading agencies see it without the forms.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'meetings.organiser.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZOrganiserMeetingsQuery, args.request)
    return json(await organiserMeetings(db, actor, id, query))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZOrganiserMeetingIntent, form)
    const back = `/agency/events/${id}/meetings`
    if (intent === 'settings') {
      await saveMeetingSettings(db, actor, id, parseForm(ZMeetingSettingsInput, form))
      return redirect(back, { headers: { 'Set-Cookie': await setFlash({ key: 'meetings.settings.saved' }) } })
    }
    if (intent === 'schedule') {
      const result = await runMeetingSchedule(db, actor, id)
      return redirect(back, {
        headers: {
          'Set-Cookie': await setFlash({
            key: 'meetings.schedule.done',
            params: { scheduled: result.scheduled, unscheduled: result.unscheduled.length },
          }),
        },
      })
    }
    const asked = confirmationAsked(form)
    if (asked) return json(asked)
    const count = await clearMeetingSchedule(db, actor, id)
    return redirect(back, { headers: { 'Set-Cookie': await setFlash({ key: 'meetings.schedule.cleared', params: { count } }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type GridRow = Data['grid'][number]
type RequestRow = Data['requests'][number]

export default function AgencyEventMeetingsPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirm = confirmRequestOf(actionData)
  const t = useT()
  const message = useMessage()
  const s = data.settings
  const chosen = new Set(s?.days ?? data.eventDays.slice(0, 1))
  const slotText = (r: { day: string; start: string; end: string }) => t('meetings.slotText', r)

  const gridColumns: Column<GridRow>[] = [
    { id: 'slot', header: t('meetings.grid.slot'), role: 'primary', cell: (r) => `${r.slot.start}–${r.slot.end}` },
    ...Array.from({ length: s?.tableCount ?? 0 }, (_, i) => ({
      id: `t${i + 1}`,
      header: t('meetings.tableText', { table: i + 1 }),
      cell: (r: GridRow) => {
        const c = r.cells[i]
        return c ? (
          <span data-i18n-data>
            {c.enterprise} — {c.provider}
          </span>
        ) : (
          <span className="muted">{t('meetings.grid.free')}</span>
        )
      },
    })),
  ]
  const requestColumns: Column<RequestRow>[] = [
    {
      id: 'pair',
      header: t('meetings.col.enterprise'),
      role: 'primary',
      cell: (r) => <span data-i18n-data>{r.enterprise}</span>,
    },
    { id: 'provider', header: t('meetings.col.provider'), cell: (r) => <span data-i18n-data>{r.provider}</span> },
    {
      id: 'need',
      header: t('meetings.col.need'),
      cell: (r) => (r.needTitle ? <span data-i18n-data>{r.needTitle}</span> : '—'),
    },
    { id: 'by', header: t('meetings.col.requestedBy'), cell: (r) => t(`meetings.side.${r.requestedBySide}`) },
    { id: 'status', header: t('meetings.col.status'), cell: (r) => t(`meetings.status.${r.status}`) },
    {
      id: 'slot',
      header: t('meetings.col.slot'),
      cell: (r) => (r.slot ? `${slotText(r.slot)} · ${t('meetings.tableText', { table: r.tableNo ?? 0 })}` : '—'),
    },
  ]

  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${data.event.id}`}>← {t('meetings.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('meetings.organiser.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {t(`events.stage.${data.event.stage}`)}
        </p>
        <p className="muted">{t('meetings.organiser.lead')}</p>
        <p>
          <Link to={`/events/${data.event.id}/agenda`}>{t('meetings.agendaLink')}</Link>
          {' · '}
          <a href={`/events/${data.event.id}/agenda.ics`} download>
            {t('meetings.icsLink')}
          </a>
        </p>
      </header>
      {confirm ? (
        <ConfirmStep
          request={confirm}
          question={t('meetings.schedule.clearQuestion')}
          confirmLabel={t('meetings.schedule.clear')}
          danger
        />
      ) : null}
      <ErrorSummary failure={failure} fieldIds={{ days: 'meeting-day-0' }} />

      <section className="section" aria-labelledby="settings-title">
        <h2 id="settings-title">{t('meetings.settings.heading')}</h2>
        {s ? (
          <p>
            {t('meetings.settings.summary', {
              days: s.days.length,
              from: s.dayStart,
              to: s.dayEnd,
              minutes: s.slotMinutes,
              tables: s.tableCount,
              slots: data.slotCount,
            })}
          </p>
        ) : (
          <p className="notice">{t('meetings.settings.none')}</p>
        )}
        {data.mayEdit ? (
          <Form method="post" noValidate className="card">
            <input type="hidden" name="intent" value="settings" />
            <fieldset className="checkbox-group">
              <legend>{t('meetings.settings.days')}</legend>
              {failure?.fieldErrors.days ? (
                <p className="field-error" id="days-error">
                  {message(failure.fieldErrors.days)}
                </p>
              ) : null}
              <div className="meeting-days">
                {data.eventDays.map((d, i) => (
                  <label key={d}>
                    <input
                      type="checkbox"
                      id={`meeting-day-${i}`}
                      name="days[]"
                      value={d}
                      defaultChecked={chosen.has(d)}
                      aria-describedby={failure?.fieldErrors.days ? 'days-error' : undefined}
                    />{' '}
                    {d}
                  </label>
                ))}
              </div>
            </fieldset>
            <InputField
              id="dayStart"
              name="dayStart"
              type="time"
              label={t('meetings.settings.dayStart')}
              required
              defaultValue={s?.dayStart ?? '09:00'}
              error={failure?.fieldErrors.dayStart}
            />
            <InputField
              id="dayEnd"
              name="dayEnd"
              type="time"
              label={t('meetings.settings.dayEnd')}
              required
              defaultValue={s?.dayEnd ?? '12:00'}
              error={failure?.fieldErrors.dayEnd}
            />
            <InputField
              id="slotMinutes"
              name="slotMinutes"
              type="number"
              inputMode="numeric"
              min={10}
              max={240}
              label={t('meetings.settings.slotMinutes')}
              required
              defaultValue={s?.slotMinutes ?? 30}
              error={failure?.fieldErrors.slotMinutes}
            />
            <InputField
              id="tableCount"
              name="tableCount"
              type="number"
              inputMode="numeric"
              min={1}
              max={50}
              label={t('meetings.settings.tableCount')}
              required
              defaultValue={s?.tableCount ?? 5}
              error={failure?.fieldErrors.tableCount}
            />
            <InputField
              id="place"
              name="place"
              label={t('meetings.settings.place')}
              hint={t('meetings.settings.placeHint')}
              maxLength={200}
              defaultValue={s?.place ?? ''}
              error={failure?.fieldErrors.place}
            />
            <p>
              <button type="submit" className="button primary">
                {t('meetings.settings.save')}
              </button>
            </p>
          </Form>
        ) : data.role === 'organiser' ? (
          <p className="notice">{t(data.locked ? 'meetings.settings.locked' : 'meetings.settings.closed')}</p>
        ) : null}
      </section>

      {data.role === 'organiser' ? (
        <section className="section" aria-labelledby="schedule-title">
          <h2 id="schedule-title">{t('meetings.schedule.heading')}</h2>
          <p className="muted">{t('meetings.schedule.lead')}</p>
          {data.maySchedule ? (
            <div className="actions">
              <Form method="post">
                <input type="hidden" name="intent" value="schedule" />
                <button type="submit" className="button primary">
                  {t('meetings.schedule.run')}
                </button>
              </Form>
              {data.locked ? (
                <ConfirmForm
                  label={t('meetings.schedule.clear')}
                  buttonClassName="button button-secondary"
                  question={t('meetings.schedule.clearQuestion')}
                  confirmLabel={t('meetings.schedule.clear')}
                  danger
                >
                  <input type="hidden" name="intent" value="clear" />
                </ConfirmForm>
              ) : null}
            </div>
          ) : (
            <p className="notice">{t(s ? 'meetings.schedule.closed' : 'meetings.settings.none')}</p>
          )}
        </section>
      ) : null}

      <section className="section" aria-labelledby="grid-title">
        <h2 id="grid-title">{t('meetings.grid.heading')}</h2>
        {s && data.gridDay ? (
          <>
            {s.days.length > 1 ? (
              <Form method="get" className="filters">
                <SelectField id="grid-day" name="day" label={t('meetings.grid.day')} defaultValue={data.gridDay}>
                  {s.days.map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </SelectField>
                <button type="submit" className="button button-secondary">
                  {t('meetings.grid.show')}
                </button>
              </Form>
            ) : null}
            <DataTable
              caption={t('meetings.grid.caption', { day: data.gridDay })}
              columns={gridColumns}
              rows={data.grid}
              rowKey={(r) => r.slot.key}
            />
          </>
        ) : (
          <p className="empty-state">{t('meetings.grid.empty')}</p>
        )}
      </section>

      <section className="section" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('meetings.requests.heading')}</h2>
        <p className="muted">
          {(['requested', 'accepted', 'scheduled', 'declined', 'cancelled'] as const)
            .map((st) => `${t(`meetings.status.${st}`)} ${data.counts[st]}`)
            .join(' · ')}
        </p>
        <Form method="get" className="filters">
          {data.gridDay ? <input type="hidden" name="day" value={data.gridDay} /> : null}
          <SelectField id="status" name="status" label={t('meetings.requests.filter')} defaultValue={data.status ?? ''}>
            <option value="">{t('meetings.requests.all')}</option>
            {(['requested', 'accepted', 'scheduled', 'declined', 'cancelled'] as const).map((st) => (
              <option key={st} value={st}>
                {t(`meetings.status.${st}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button button-secondary">
            {t('meetings.requests.apply')}
          </button>
        </Form>
        <DataTable
          caption={t('meetings.requests.caption', {
            total: data.status ? data.counts[data.status] : Object.values(data.counts).reduce((a, b) => a + b, 0),
          })}
          columns={requestColumns}
          rows={data.requests}
          rowKey={(r) => r.id}
          empty={<p className="empty-state">{t('meetings.requests.empty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>
    </>
  )
}
