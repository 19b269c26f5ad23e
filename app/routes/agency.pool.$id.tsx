import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  admitApplication,
  assignExperts,
  closeRound,
  decideObjection,
  rejectApplication,
  roundPage,
  setQuota,
  startNotice,
  ZAssignInput,
  ZNoticeInput,
  ZObjectionDecision,
  ZPoolIntent,
  ZQuotaInput,
  ZReasonInput,
  ZRoundQuery,
} from '~/domain/pool/pool.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * A pool round (issue 15 §4): its quotas per sub-industry, its applications, and the
 * one opened (?app=) with everything to decide it — assign experts of the agency's
 * 专家库 (tied ones cannot be chosen), read their reviews, start 公示 (≥ 5 days),
 * decide objections, admit (within the quota) or reject with a reason.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'pool.round.pageTitle')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZRoundQuery, args.request)
    return json(await roundPage(db, actor, id, query, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const intent = parseForm(ZPoolIntent, form)
    let done: MessageKey
    let app: number | null = null
    switch (intent.intent) {
      case 'close':
        await closeRound(db, actor, id)
        done = 'pool.round.closedDone'
        break
      case 'quota':
        await setQuota(db, actor, id, parseForm(ZQuotaInput, form))
        done = 'pool.quota.saved'
        break
      case 'assign':
        app = intent.applicationId
        await assignExperts(db, actor, app, parseForm(ZAssignInput, form)['expertId[]'])
        done = 'pool.assign.done'
        break
      case 'notice':
        app = intent.applicationId
        await startNotice(db, actor, app, parseForm(ZNoticeInput, form).noticeUntil)
        done = 'pool.notice.started'
        break
      case 'admit':
        app = intent.applicationId
        await admitApplication(db, actor, app)
        done = 'pool.admit.done'
        break
      case 'reject':
        app = intent.applicationId
        await rejectApplication(db, actor, app, parseForm(ZReasonInput, form).reason)
        done = 'pool.reject.done'
        break
      case 'objection': {
        await decideObjection(db, actor, intent.objectionId, parseForm(ZObjectionDecision, form))
        done = 'pool.objection.decided'
        break
      }
      default:
        return json({ error: 'errors.badRequest' }, { status: 400 })
    }
    const target = app ? `/agency/pool/${id}?app=${app}#application` : `/agency/pool/${id}`
    return redirect(target, { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Opened = NonNullable<Data['opened']>

export default function PoolRoundPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { round } = data
  const quotaColumns: Column<Data['quotas'][number]>[] = [
    {
      id: 'industry',
      header: t('pool.app.industry'),
      role: 'primary',
      cell: (q) => <span data-i18n-data>{q.industryName}</span>,
    },
    { id: 'quota', header: t('pool.quota.quota'), cell: (q) => q.quota },
    { id: 'admitted', header: t('pool.round.admitted'), cell: (q) => q.admitted },
  ]
  const appColumns: Column<Data['applications'][number]>[] = [
    {
      id: 'provider',
      header: t('pool.app.provider'),
      role: 'primary',
      cell: (a) => (
        <Link to={`/providers/${a.providerOrgId}`}>
          <span data-i18n-data>{a.providerName}</span>
        </Link>
      ),
    },
    { id: 'industry', header: t('pool.app.industry'), cell: (a) => <span data-i18n-data>{a.industryName}</span> },
    { id: 'status', header: t('pool.app.status'), cell: (a) => t(`pool.status.${a.status}`) },
    {
      id: 'reviews',
      header: t('pool.app.reviews'),
      cell: (a) => t('pool.app.reviewsValue', { reviewed: a.reviewed, assigned: a.assigned }),
    },
    { id: 'average', header: t('pool.app.average'), cell: (a) => (a.average === null ? '—' : a.average) },
    { id: 'objections', header: t('pool.app.objections'), cell: (a) => a.openObjections },
    {
      id: 'action',
      header: t('pool.app.action'),
      role: 'action',
      cell: (a) => (
        <Link className="button button-small button-secondary" to={`?app=${a.id}#application`}>
          {t('pool.app.open')}
          <span className="visually-hidden">
            {' '}
            <span data-i18n-data>{a.providerName}</span>
          </span>
        </Link>
      ),
    },
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/pool">{t('pool.round.back')}</Link>
      </p>
      <header className="page-head">
        <h1 data-i18n-data>{round.title}</h1>
        <p className="muted">
          {t('pool.round.summary', {
            category: t(`providerKind.${round.category}`),
            until: round.applyUntil,
            status: t(`pool.roundStatus.${round.status}`),
          })}
        </p>
        {round.description ? <p data-i18n-data>{round.description}</p> : null}
        <p>
          <a href={`/agency/pool/${round.id}.xlsx`} download>
            {t('pool.round.xlsx')}
          </a>
        </p>
      </header>
      <ErrorSummary
        failure={failure}
        fieldIds={{
          'expertId[]': 'assign-experts',
          quota: 'quota-number',
          industryCode: 'quota-industry',
          reason: 'reject-reason',
        }}
      />
      {data.canManage ? null : <p className="notice">{t('pool.agency.viewerNote')}</p>}

      <section aria-labelledby="quotas-heading">
        <h2 id="quotas-heading">{t('pool.round.quotas')}</h2>
        <DataTable
          caption={t('pool.round.quotas')}
          columns={quotaColumns}
          rows={data.quotas}
          rowKey={(q) => q.industryCode}
          empty={<p className="muted">{t('pool.quota.none')}</p>}
        />
        {data.canManage ? (
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="quota" />
            <SelectField id="quota-industry" name="industryCode" label={t('pool.app.industry')} required>
              {data.industries.map((ind) => (
                <option key={ind.code} value={ind.code}>
                  {ind.code} {ind.name}
                </option>
              ))}
            </SelectField>
            <InputField
              id="quota-number"
              name="quota"
              type="number"
              min={1}
              max={10000}
              inputMode="numeric"
              label={t('pool.quota.quota')}
              hint={t('pool.quota.hint')}
              error={failure?.fieldErrors.quota}
            />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t('pool.quota.save')}
            </button>
          </Form>
        ) : null}
        {data.canManage && round.status === 'open' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="close" />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t('pool.round.close')}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="applications-heading">
        <h2 id="applications-heading">{t('pool.round.applicationsHeading', { count: data.total })}</h2>
        <DataTable
          caption={t('pool.round.applicationsHeading', { count: data.total })}
          columns={appColumns}
          rows={data.applications}
          rowKey={(a) => a.id}
          empty={
            <div className="empty-state">
              <p>{t('pool.round.noApplications')}</p>
            </div>
          }
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>

      {data.opened ? (
        <ApplicationPanel opened={data.opened} canManage={data.canManage} busy={busy} noticeMin={data.noticeMinUntil} />
      ) : null}
    </>
  )
}

function ApplicationPanel({
  opened,
  canManage,
  busy,
  noticeMin,
}: {
  opened: Opened
  canManage: boolean
  busy: boolean
  noticeMin: string
}) {
  const t = useT()
  const deciding = opened.status === 'submitted' || opened.status === 'reviewing' || opened.status === 'notice'
  const reviewColumns: Column<Opened['reviews'][number]>[] = [
    {
      id: 'expert',
      header: t('pool.review.expert'),
      role: 'primary',
      cell: (v) => (
        <span data-i18n-data>
          {v.expertName}
          {v.expertTitle ? ` · ${v.expertTitle}` : ''}
        </span>
      ),
    },
    {
      id: 'state',
      header: t('pool.review.state'),
      cell: (v) => t(v.tie ? 'pool.review.tie' : v.reviewed ? 'pool.review.done' : 'pool.review.waiting'),
    },
    { id: 'score', header: t('pool.review.score'), cell: (v) => v.score ?? '—' },
    {
      id: 'recommend',
      header: t('pool.review.recommend'),
      cell: (v) => (v.recommend === null ? '—' : t(v.recommend === 1 ? 'pool.review.yes' : 'pool.review.no')),
    },
    {
      id: 'opinion',
      header: t('pool.review.opinion'),
      cell: (v) => <span data-i18n-data>{v.tie ? v.tieNote : v.opinion || '—'}</span>,
    },
  ]
  const objectionColumns: Column<Opened['objections'][number]>[] = [
    { id: 'reason', header: t('pool.objection.reason'), role: 'primary', cell: (o) => <span data-i18n-data>{o.reason}</span> },
    { id: 'filed', header: t('pool.objection.filed'), cell: (o) => o.createdAt.slice(0, 10) },
    {
      id: 'status',
      header: t('pool.objection.status'),
      cell: (o) => (
        <>
          {t(`pool.objectionStatus.${o.status}`)}
          {o.note ? (
            <>
              {' · '}
              <span data-i18n-data>{o.note}</span>
            </>
          ) : null}
        </>
      ),
    },
    {
      id: 'action',
      header: t('pool.app.action'),
      role: 'action',
      cell: (o) =>
        canManage && o.status === 'open' ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="objection" />
            <input type="hidden" name="objectionId" value={o.id} />
            <SelectField id={`objection-outcome-${o.id}`} name="outcome" label={t('pool.objection.outcome')}>
              <option value="dismissed">{t('pool.objectionStatus.dismissed')}</option>
              <option value="upheld">{t('pool.objectionStatus.upheld')}</option>
            </SelectField>
            <InputField id={`objection-note-${o.id}`} name="note" maxLength={500} label={t('pool.objection.note')} />
            <button type="submit" className="button button-small" disabled={busy}>
              {t('pool.objection.decide')}
            </button>
          </Form>
        ) : null,
    },
  ]
  return (
    <section id="application" aria-labelledby="application-heading" className="card stack" tabIndex={-1}>
      <h2 id="application-heading">
        {t('pool.opened.heading')} <span data-i18n-data>{opened.providerName}</span>
      </h2>
      <dl className="facts">
        <dt>{t('pool.app.industry')}</dt>
        <dd data-i18n-data>{opened.industryName}</dd>
        <dt>{t('pool.app.status')}</dt>
        <dd>{t(`pool.status.${opened.status}`)}</dd>
        {opened.noticeUntil ? (
          <>
            <dt>{t('pool.app.noticePeriod')}</dt>
            <dd>{t('pool.app.noticeRange', { from: opened.noticeFrom ?? '', until: opened.noticeUntil })}</dd>
          </>
        ) : null}
        {opened.reason ? (
          <>
            <dt>{t('pool.app.reason')}</dt>
            <dd data-i18n-data>{opened.reason}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t('pool.app.statement')}</h3>
      <p data-i18n-data className="prewrap">
        {opened.statement}
      </p>

      <h3>{t('pool.review.heading')}</h3>
      <DataTable
        caption={t('pool.review.heading')}
        columns={reviewColumns}
        rows={opened.reviews}
        rowKey={(v) => v.id}
        empty={<p className="muted">{t('pool.review.none')}</p>}
      />

      {canManage && (opened.status === 'submitted' || opened.status === 'reviewing') ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="assign" />
          <input type="hidden" name="applicationId" value={opened.id} />
          <fieldset id="assign-experts" tabIndex={-1}>
            <legend>{t('pool.assign.legend')}</legend>
            {opened.experts.length === 0 ? (
              <p className="muted">
                {t('pool.assign.noExperts')} <Link to="/agency/experts">{t('pool.assign.toLibrary')}</Link>
              </p>
            ) : (
              opened.experts.map((e) => (
                <div className="checkbox" key={e.id}>
                  <input type="checkbox" id={`expert-${e.id}`} name="expertId[]" value={e.id} disabled={e.tied} />
                  <label htmlFor={`expert-${e.id}`}>
                    <span data-i18n-data>
                      {e.name}
                      {e.title ? ` · ${e.title}` : ''}
                      {e.employer ? ` · ${e.employer}` : ''}
                    </span>
                    {e.tied ? <span className="muted"> {t('pool.assign.tied')}</span> : null}
                  </label>
                </div>
              ))
            )}
          </fieldset>
          {opened.experts.some((e) => !e.tied) ? (
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t('pool.assign.submit')}
            </button>
          ) : null}
        </Form>
      ) : null}

      {canManage && opened.status === 'reviewing' ? (
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="notice" />
          <input type="hidden" name="applicationId" value={opened.id} />
          <InputField
            id="noticeUntil"
            name="noticeUntil"
            type="date"
            min={noticeMin}
            defaultValue={noticeMin}
            required
            label={t('pool.notice.until')}
            hint={t('pool.notice.hint')}
          />
          <button type="submit" className="button" disabled={busy}>
            {t('pool.notice.start')}
          </button>
        </Form>
      ) : null}

      <h3>{t('pool.objection.heading')}</h3>
      <DataTable
        caption={t('pool.objection.heading')}
        columns={objectionColumns}
        rows={opened.objections}
        rowKey={(o) => o.id}
        empty={<p className="muted">{t('pool.objection.none')}</p>}
      />

      {canManage && opened.status === 'notice' ? (
        <Form method="post">
          <input type="hidden" name="intent" value="admit" />
          <input type="hidden" name="applicationId" value={opened.id} />
          <p className="field-hint">{t('pool.admit.hint')}</p>
          <button type="submit" className="button" disabled={busy}>
            {t('pool.admit.submit')}
          </button>
        </Form>
      ) : null}
      {canManage && deciding ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="reject" />
          <input type="hidden" name="applicationId" value={opened.id} />
          <TextareaField id="reject-reason" name="reason" rows={2} maxLength={500} required label={t('pool.reject.reason')} />
          <button type="submit" className="button button-danger" disabled={busy}>
            {t('pool.reject.submit')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}
