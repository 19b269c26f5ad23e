import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { POOL_APPLICATION_STATUSES, POOL_CATEGORIES } from '../../db/enums.js'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { agencyPool, createRound, ZPoolQuery, ZRoundInput } from '~/domain/pool/pool.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 服务商资源池 (issue 15 §4): the agency's admission rounds — one category (a provider
 * kind) each, with quotas per sub-industry — and the queue of applications by status;
 * owners and reviewers open a round here.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'pool.agency.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZPoolQuery, args.request)
    return json(await agencyPool(db, actor, query, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZRoundInput, await args.request.formData())
    const id = await createRound(db, actor, input)
    return redirect(`/agency/pool/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'pool.round.created' }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
const QUOTA_ROWS = [0, 1, 2]

export default function AgencyPoolPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const roundColumns: Column<Data['rounds'][number]>[] = [
    {
      id: 'title',
      header: t('pool.round.title'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/agency/pool/${r.id}`}>
          <span data-i18n-data>{r.title}</span>
        </Link>
      ),
    },
    { id: 'category', header: t('pool.round.category'), cell: (r) => t(`providerKind.${r.category}`) },
    { id: 'applyUntil', header: t('pool.round.applyUntil'), cell: (r) => r.applyUntil },
    { id: 'status', header: t('pool.round.status'), cell: (r) => t(`pool.roundStatus.${r.status}`) },
    { id: 'applications', header: t('pool.round.applications'), cell: (r) => r.applications },
    { id: 'admitted', header: t('pool.round.admitted'), cell: (r) => r.admitted },
  ]
  const queueColumns: Column<Data['queue'][number]>[] = [
    {
      id: 'provider',
      header: t('pool.app.provider'),
      role: 'primary',
      cell: (a) => <span data-i18n-data>{a.providerName}</span>,
    },
    { id: 'round', header: t('pool.app.round'), cell: (a) => <span data-i18n-data>{a.roundTitle}</span> },
    { id: 'industry', header: t('pool.app.industry'), cell: (a) => <span data-i18n-data>{a.industryName}</span> },
    { id: 'status', header: t('pool.app.status'), cell: (a) => t(`pool.status.${a.status}`) },
    { id: 'noticeUntil', header: t('pool.app.noticeUntil'), cell: (a) => a.noticeUntil ?? '—' },
    {
      id: 'action',
      header: t('pool.app.action'),
      role: 'action',
      cell: (a) => (
        <Link className="button button-small button-secondary" to={`/agency/pool/${a.roundId}?app=${a.id}#application`}>
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
      <header className="page-head">
        <h1>{t('pool.agency.title')}</h1>
        <p className="muted">{t('pool.agency.lead', { members: data.members })}</p>
        <p>
          <Link to="/pool/notices">{t('pool.notices.link')}</Link>
        </p>
      </header>
      {data.canManage ? null : <p className="notice">{t('pool.agency.viewerNote')}</p>}

      <section aria-labelledby="rounds-heading">
        <h2 id="rounds-heading">{t('pool.rounds.heading')}</h2>
        <DataTable
          caption={t('pool.rounds.heading')}
          columns={roundColumns}
          rows={data.rounds}
          rowKey={(r) => r.id}
          empty={
            <div className="empty-state">
              <p>{t(data.canManage ? 'pool.rounds.emptyManage' : 'pool.rounds.empty')}</p>
            </div>
          }
        />
      </section>

      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">{t('pool.queue.heading')}</h2>
        <nav className="tabs" aria-label={t('pool.queue.filter')}>
          <Link
            to="/agency/pool"
            aria-current={data.status === null ? 'page' : undefined}
            className={data.status === null ? 'active' : undefined}
          >
            {t('pool.queue.pending')}
          </Link>
          {POOL_APPLICATION_STATUSES.map((s) => (
            <Link
              key={s}
              to={`/agency/pool?status=${s}`}
              aria-current={data.status === s ? 'page' : undefined}
              className={data.status === s ? 'active' : undefined}
            >
              {t('pool.queue.tab', { status: t(`pool.status.${s}`), count: data.counts[s] ?? 0 })}
            </Link>
          ))}
        </nav>
        <DataTable
          caption={t('pool.queue.heading')}
          columns={queueColumns}
          rows={data.queue}
          rowKey={(a) => a.id}
          empty={
            <div className="empty-state">
              <p>{t('pool.queue.empty')}</p>
            </div>
          }
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>

      {data.canManage ? (
        <section aria-labelledby="new-round-heading">
          <h2 id="new-round-heading">{t('pool.round.new')}</h2>
          <Form method="post" className="stack" noValidate>
            <ErrorSummary failure={failure} fieldIds={{ quotas: 'quota-industry-0' }} />
            <SelectField id="category" name="category" label={t('pool.round.category')} required error={errors?.category}>
              {POOL_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`providerKind.${c}`)}
                </option>
              ))}
            </SelectField>
            <InputField id="title" name="title" label={t('pool.round.title')} required maxLength={120} error={errors?.title} />
            <TextareaField
              id="description"
              name="description"
              label={t('pool.round.description')}
              maxLength={2000}
              rows={3}
              error={errors?.description}
            />
            <InputField
              id="applyUntil"
              name="applyUntil"
              type="date"
              min={data.today}
              label={t('pool.round.applyUntil')}
              required
              error={errors?.applyUntil}
            />
            <fieldset>
              <legend>{t('pool.round.quotas')}</legend>
              <p className="field-hint">{t('pool.round.quotasHint')}</p>
              {errors?.quotas ? (
                <p className="field-error" role="alert">
                  {t('pool.v.quota')}
                </p>
              ) : null}
              {QUOTA_ROWS.map((i) => (
                <div className="field-row" key={i}>
                  <SelectField id={`quota-industry-${i}`} name="industry[]" label={t('pool.round.quotaIndustry', { n: i + 1 })}>
                    <option value="">{t('pool.round.noIndustry')}</option>
                    {data.industries.map((ind) => (
                      <option key={ind.code} value={ind.code}>
                        {ind.code} {ind.name}
                      </option>
                    ))}
                  </SelectField>
                  <InputField
                    id={`quota-number-${i}`}
                    name="quota[]"
                    type="number"
                    min={1}
                    max={10000}
                    inputMode="numeric"
                    label={t('pool.round.quotaNumber', { n: i + 1 })}
                  />
                </div>
              ))}
            </fieldset>
            <button type="submit" className="button" disabled={busy}>
              {t('pool.round.create')}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  )
}
