import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { changeBatch, getBatchPage } from '~/domain/events/batch.server.js'
import { ZBatchInput, ZCandidateQuery } from '~/domain/events/events.server.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import type { BatchNeed, CandidateNeed } from '~/domain/events/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 需求发榜 (issue 15 §1): the batch of an event — listed needs (remove), needs put forward
 * by enterprises (accept, or reject with a reason), the rest — and, while the batch is
 * open, the published needs of the event's region to pick from (words, industry,
 * region, scenario; 20 a page). Agencies over the event read it.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'events.needs.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZCandidateQuery, args.request)
    return json(await getBatchPage(db, actor, id, query, await getLocale(args.request)))
  })
}

const DONE = {
  add: 'events.flash.needAdded',
  remove: 'events.flash.needRemoved',
  accept: 'events.flash.needAccepted',
  reject: 'events.flash.needRejected',
} as const

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZBatchInput, await args.request.formData())
    await changeBatch(db, actor, id, input)
    const url = new URL(args.request.url)
    return redirect(`/agency/events/${id}/needs${url.search}`, {
      headers: { 'Set-Cookie': await setFlash({ key: DONE[input.intent] }) },
    })
  })
}

function NeedTitle({ need }: { need: { needId: number; title: string } }) {
  return (
    <Link to={`/needs/${need.needId}`} data-i18n-data>
      {need.title}
    </Link>
  )
}

export default function EventNeedsPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { event } = data
  const baseColumns = [
    { id: 'title', header: t('events.col.need'), role: 'primary' as const, cell: (n: BatchNeed) => <NeedTitle need={n} /> },
    { id: 'enterprise', header: t('events.col.enterprise'), cell: (n: BatchNeed) => <span data-i18n-data>{n.enterprise}</span> },
    { id: 'region', header: t('events.col.region'), cell: (n: BatchNeed) => <span data-i18n-data>{n.regionName}</span> },
    { id: 'industry', header: t('events.col.industry'), cell: (n: BatchNeed) => <span data-i18n-data>{n.industryName}</span> },
    { id: 'source', header: t('events.col.source'), cell: (n: BatchNeed) => t(`events.source.${n.source}`) },
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${event.id}`}>← {t('events.back.progress')}</Link>
      </p>
      <h1>{t('events.needs.title')}</h1>
      <p className="muted">
        <span data-i18n-data>{event.title}</span>
        {t('events.sep')}
        {t(`events.stage.${event.stage}`)}
      </p>
      {data.mayManage && !data.mayChange ? <p className="notice">{t('events.needs.closed')}</p> : null}
      <ErrorSummary failure={failure} />

      <section aria-labelledby="listed-title" className="section">
        <h2 id="listed-title">{t('events.needs.listed', { n: data.listed.length })}</h2>
        <DataTable<BatchNeed>
          caption={t('events.needs.listedCaption')}
          rows={data.listed}
          rowKey={(n) => n.rowId}
          empty={
            <div className="empty-state">
              <p>{t('events.needs.listedEmpty')}</p>
              {data.mayChange ? <p className="muted">{t('events.needs.listedEmptyNext')}</p> : null}
            </div>
          }
          columns={[
            ...baseColumns,
            { id: 'interested', header: t('events.col.interested'), cell: (n) => n.interested },
            ...(data.mayChange
              ? [
                  {
                    id: 'action',
                    header: t('events.col.action'),
                    role: 'action' as const,
                    cell: (n: BatchNeed) => (
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="needId" value={n.needId} />
                        <button type="submit" className="button-secondary" disabled={busy}>
                          {t('events.needs.remove')}
                          <span className="visually-hidden" data-i18n-data>
                            {' '}
                            {n.title}
                          </span>
                        </button>
                      </Form>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </section>

      <section aria-labelledby="applied-title" className="section">
        <h2 id="applied-title">{t('events.needs.applied', { n: data.applied.length })}</h2>
        {event.enterpriseApplications ? null : <p className="muted">{t('events.needs.noApplications')}</p>}
        <DataTable<BatchNeed>
          caption={t('events.needs.appliedCaption')}
          rows={data.applied}
          rowKey={(n) => n.rowId}
          empty={<p className="empty-state">{t('events.needs.appliedEmpty')}</p>}
          columns={[
            ...baseColumns,
            ...(data.mayChange
              ? [
                  {
                    id: 'action',
                    header: t('events.col.action'),
                    role: 'action' as const,
                    cell: (n: BatchNeed) => (
                      <div className="actions">
                        <Form method="post">
                          <input type="hidden" name="intent" value="accept" />
                          <input type="hidden" name="needId" value={n.needId} />
                          <button type="submit" disabled={busy}>
                            {t('events.needs.accept')}
                            <span className="visually-hidden" data-i18n-data>
                              {' '}
                              {n.title}
                            </span>
                          </button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="reject" />
                          <input type="hidden" name="needId" value={n.needId} />
                          <label htmlFor={`reject-${n.needId}`}>{t('events.needs.rejectReason')}</label>
                          <input id={`reject-${n.needId}`} name="reason" required maxLength={EVENT_LIMITS.reasonMax} />
                          <button type="submit" className="button-secondary" disabled={busy}>
                            {t('events.needs.reject')}
                            <span className="visually-hidden" data-i18n-data>
                              {' '}
                              {n.title}
                            </span>
                          </button>
                        </Form>
                      </div>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </section>

      {data.others.length ? (
        <section aria-labelledby="others-title" className="section">
          <h2 id="others-title">{t('events.needs.others', { n: data.others.length })}</h2>
          <DataTable<BatchNeed>
            caption={t('events.needs.othersCaption')}
            rows={data.others}
            rowKey={(n) => n.rowId}
            columns={[
              ...baseColumns,
              { id: 'status', header: t('events.col.status'), cell: (n) => t(`events.needStatus.${n.status}`) },
              { id: 'reason', header: t('events.col.reason'), cell: (n) => <span data-i18n-data>{n.reason || '—'}</span> },
            ]}
          />
        </section>
      ) : null}

      {data.mayChange ? (
        <section aria-labelledby="pick-title" className="section">
          <h2 id="pick-title">{t('events.needs.pick')}</h2>
          <p className="muted">{t('events.needs.pickLead')}</p>
          <Form method="get" className="card filters" role="search" aria-label={t('events.needs.pick')}>
            <div className="field">
              <label htmlFor="q">{t('events.needs.q')}</label>
              <input id="q" name="q" type="search" maxLength={EVENT_LIMITS.queryMax} defaultValue={data.filters.q} />
            </div>
            <div className="field">
              <label htmlFor="industry">{t('events.col.industry')}</label>
              <select id="industry" name="industry" defaultValue={data.filters.industry}>
                <option value="">{t('events.needs.any')}</option>
                {data.industryOptions.map((i) => (
                  <option key={i.code} value={i.code}>
                    {i.code} {i.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="region">{t('events.col.region')}</label>
              <select id="region" name="region" defaultValue={data.filters.region}>
                <option value="">{t('events.needs.any')}</option>
                {data.regionOptions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="scenario">{t('events.col.scenario')}</label>
              <select id="scenario" name="scenario" defaultValue={data.filters.scenario}>
                <option value="">{t('events.needs.any')}</option>
                {data.scenarioOptions.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <p>
              <button type="submit">{t('events.needs.search')}</button>
            </p>
          </Form>
          <DataTable<CandidateNeed>
            caption={t('events.needs.candidatesCaption', { total: data.candidateTotal })}
            rows={data.candidates}
            rowKey={(n) => n.needId}
            empty={<p className="empty-state">{t('events.needs.candidatesEmpty')}</p>}
            columns={[
              { id: 'title', header: t('events.col.need'), role: 'primary', cell: (n) => <NeedTitle need={n} /> },
              { id: 'enterprise', header: t('events.col.enterprise'), cell: (n) => <span data-i18n-data>{n.enterprise}</span> },
              { id: 'region', header: t('events.col.region'), cell: (n) => <span data-i18n-data>{n.regionName}</span> },
              { id: 'industry', header: t('events.col.industry'), cell: (n) => <span data-i18n-data>{n.industryName}</span> },
              { id: 'budget', header: t('events.col.budget'), cell: (n) => t('events.budget', { range: n.budget }) },
              {
                id: 'action',
                header: t('events.col.action'),
                role: 'action',
                cell: (n) =>
                  n.inBatch === 'listed' ? (
                    t('events.needs.inBatch')
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="add" />
                      <input type="hidden" name="needId" value={n.needId} />
                      <button type="submit" disabled={busy}>
                        {t('events.needs.add')}
                        <span className="visually-hidden" data-i18n-data>
                          {' '}
                          {n.title}
                        </span>
                      </button>
                    </Form>
                  ),
              },
            ]}
          />
          <Pagination page={data.candidatePage} pageCount={data.candidatePageCount} />
        </section>
      ) : null}
    </>
  )
}
