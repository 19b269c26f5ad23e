import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { ZIntentsInput } from '~/domain/events/events.server.js'
import { actOnIntents, getIntentsPage } from '~/domain/events/intents.server.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import type { IntentView } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 意向签约 and 服务跟进 (issue 15 §1): the organiser records a letter of intent (a listed
 * need, an approved provider, the amount, the date signed) or strikes one out; each has
 * follow-ups at 30, 90 and 180 days — the due list comes first, each recorded once with
 * its outcome; the contract of that need and provider is shown (and kept) when there is one.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.intents.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getIntentsPage(db, actor, id, await getLocale(args.request)))
  })
}

const DONE = {
  record: 'events.flash.intentRecorded',
  strike: 'events.flash.intentStruck',
  followup: 'events.flash.followupRecorded',
} as const

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZIntentsInput, await args.request.formData())
    await actOnIntents(db, actor, id, input)
    return redirect(`/agency/events/${id}/intents`, { headers: { 'Set-Cookie': await setFlash({ key: DONE[input.intent] }) } })
  })
}

type Due = ReturnType<typeof useLoaderData<typeof loader>>['due'][number]

const OUTCOMES = ['contracted', 'negotiating', 'dropped'] as const
const CONTRACT_STATUSES = ['draft', 'active', 'completed', 'terminated'] as const

export default function EventIntentsPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { event } = data
  const contractStatus = (s: string) =>
    (CONTRACT_STATUSES as readonly string[]).includes(s) ? t(`contracts.status.${s as (typeof CONTRACT_STATUSES)[number]}`) : s
  const contractCell = (c: { id: number; status: string } | null) =>
    c ? (
      <Link to={`/contracts/${c.id}`}>{t('events.intents.contract', { id: c.id, status: contractStatus(c.status) })}</Link>
    ) : (
      t('events.intents.noContract')
    )
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${event.id}`}>← {t('events.back.progress')}</Link>
      </p>
      <h1>{t('events.intents.title')}</h1>
      <p className="muted">
        <span data-i18n-data>{event.title}</span>
        {t('events.sep')}
        {t(`events.stage.${event.stage}`)}
      </p>
      <ErrorSummary failure={failure} fieldIds={{ needId: 'intent-need', providerOrgId: 'intent-provider' }} />

      {data.mayRecord ? (
        <Form method="post" noValidate className="card section" aria-labelledby="record-title">
          <h2 id="record-title">{t('events.intents.record')}</h2>
          <input type="hidden" name="intent" value="record" />
          <SelectField id="intent-need" name="needId" label={t('events.col.need')} required error={failure?.fieldErrors.needId}>
            <option value="">{t('events.intents.choose')}</option>
            {data.needOptions.map((n) => (
              <option key={n.id} value={n.id}>
                {n.title}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="intent-provider"
            name="providerOrgId"
            label={t('events.col.provider')}
            required
            error={failure?.fieldErrors.providerOrgId}
          >
            <option value="">{t('events.intents.choose')}</option>
            {data.providerOptions.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <InputField
            id="amount"
            name="amount"
            inputMode="decimal"
            label={t('events.intents.amount')}
            hint={t('events.intents.amountHint')}
            required
            error={failure?.fieldErrors.amount}
          />
          <InputField
            id="signedOn"
            name="signedOn"
            type="date"
            label={t('events.intents.signedOn')}
            max={data.today}
            defaultValue={data.today}
            required
            error={failure?.fieldErrors.signedOn}
          />
          <TextareaField id="note" name="note" label={t('events.col.note')} rows={2} maxLength={EVENT_LIMITS.noteMax} />
          <p>
            <button type="submit" className="button primary" disabled={busy}>
              {t('events.intents.recordSubmit')}
            </button>
          </p>
        </Form>
      ) : null}

      <section aria-labelledby="followups" className="section">
        <h2 id="followups">{t('events.intents.due', { n: data.due.length })}</h2>
        <DataTable<Due>
          caption={t('events.intents.dueCaption')}
          rows={data.due}
          rowKey={(f) => f.id}
          empty={<p className="empty-state">{t('events.intents.dueEmpty')}</p>}
          columns={[
            {
              id: 'due',
              header: t('events.col.dueOn'),
              role: 'primary',
              cell: (f) => (
                <>
                  {f.dueOn} {f.overdue ? <strong>{t('events.intents.overdue')}</strong> : null}
                </>
              ),
            },
            { id: 'after', header: t('events.col.afterDays'), cell: (f) => t('events.intents.afterDays', { n: f.afterDays }) },
            {
              id: 'pair',
              header: t('events.col.pair'),
              cell: (f) => (
                <span data-i18n-data>
                  {f.needTitle} · {f.provider}
                </span>
              ),
            },
            ...(data.mayFollowUp
              ? [
                  {
                    id: 'record',
                    header: t('events.col.action'),
                    role: 'action' as const,
                    cell: (f: Due) => (
                      <Form method="post" className="actions">
                        <input type="hidden" name="intent" value="followup" />
                        <input type="hidden" name="followupId" value={f.id} />
                        <label htmlFor={`outcome-${f.id}`}>{t('events.intents.outcome')}</label>
                        <select id={`outcome-${f.id}`} name="outcome" required defaultValue="">
                          <option value="" disabled>
                            {t('events.intents.choose')}
                          </option>
                          {OUTCOMES.map((o) => (
                            <option key={o} value={o}>
                              {t(`events.outcome.${o}`)}
                            </option>
                          ))}
                        </select>
                        <label htmlFor={`fnote-${f.id}`}>{t('events.col.note')}</label>
                        <input id={`fnote-${f.id}`} name="note" maxLength={EVENT_LIMITS.noteMax} />
                        <button type="submit" disabled={busy}>
                          {t('events.intents.recordFollowup')}
                        </button>
                      </Form>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </section>

      <section aria-labelledby="intents-list" className="section">
        <h2 id="intents-list">{t('events.intents.list', { n: data.intents.length })}</h2>
        <DataTable<IntentView>
          caption={t('events.intents.caption')}
          rows={data.intents}
          rowKey={(i) => i.id}
          empty={
            <div className="empty-state">
              <p>{t('events.intents.empty')}</p>
              <p className="muted">{t(data.mayRecord ? 'events.intents.emptyNext' : 'events.intents.emptyClosed')}</p>
            </div>
          }
          columns={[
            {
              id: 'need',
              header: t('events.col.need'),
              role: 'primary',
              cell: (i) => (
                <Link to={`/needs/${i.needId}`} data-i18n-data>
                  {i.needTitle}
                </Link>
              ),
            },
            { id: 'enterprise', header: t('events.col.enterprise'), cell: (i) => <span data-i18n-data>{i.enterprise}</span> },
            { id: 'provider', header: t('events.col.provider'), cell: (i) => <span data-i18n-data>{i.provider}</span> },
            { id: 'amount', header: t('events.col.amount'), cell: (i) => t('events.amount', { amount: i.amount }) },
            { id: 'signed', header: t('events.col.signedOn'), cell: (i) => i.signedOn },
            {
              id: 'status',
              header: t('events.col.status'),
              cell: (i) =>
                i.withdrawn ? (
                  <span>
                    {t('events.intents.struck')} <span data-i18n-data>{i.withdrawnReason}</span>
                  </span>
                ) : (
                  t('events.intents.valid')
                ),
            },
            { id: 'contract', header: t('events.col.contract'), cell: (i) => contractCell(i.contract) },
            {
              id: 'followups',
              header: t('events.col.followups'),
              cell: (i) => (
                <ul className="plain small">
                  {i.followups.map((f) => (
                    <li key={f.id}>
                      {t('events.intents.afterDays', { n: f.afterDays })}（{f.dueOn}）：
                      {f.outcome ? t(`events.outcome.${f.outcome}`) : t('events.intents.pending')}
                    </li>
                  ))}
                </ul>
              ),
            },
            ...(data.mayRecord
              ? [
                  {
                    id: 'action',
                    header: t('events.col.action'),
                    role: 'action' as const,
                    cell: (i: IntentView) =>
                      i.withdrawn ? (
                        '—'
                      ) : (
                        <Form method="post" className="actions">
                          <input type="hidden" name="intent" value="strike" />
                          <input type="hidden" name="intentId" value={i.id} />
                          <label htmlFor={`strike-${i.id}`}>{t('events.intents.strikeReason')}</label>
                          <input id={`strike-${i.id}`} name="reason" required maxLength={EVENT_LIMITS.reasonMax} />
                          <button type="submit" className="button-secondary" disabled={busy}>
                            {t('events.intents.strike')}
                          </button>
                        </Form>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </section>
    </>
  )
}
