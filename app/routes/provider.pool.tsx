import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  applyToRound,
  providerPool,
  withdrawApplication,
  ZApplyInput,
  ZPoolIntent,
  ZPoolQuery,
} from '~/domain/pool/pool.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 申请入库 (issue 15 §4), the provider's side: open rounds of its categories with their
 * quotas; its owners apply (sub-industry, statement) or withdraw; every application's
 * status, the reviews' conclusion once 公示 starts, and its memberships with validity.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'pool.provider.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZPoolQuery, args.request)
    return json(await providerPool(db, actor, { page }, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const intent = parseForm(ZPoolIntent, form)
    let done: MessageKey
    if (intent.intent === 'apply') {
      await applyToRound(db, actor, parseForm(ZApplyInput, form))
      done = 'pool.apply.done'
    } else if (intent.intent === 'withdraw') {
      await withdrawApplication(db, actor, intent.applicationId)
      done = 'pool.withdraw.done'
    } else {
      return json({ error: 'errors.badRequest' }, { status: 400 })
    }
    return redirect('/provider/pool', { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function ProviderPoolPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const memberColumns: Column<Data['memberships'][number]>[] = [
    { id: 'agency', header: t('pool.member.agency'), role: 'primary', cell: (m) => <span data-i18n-data>{m.agencyName}</span> },
    { id: 'category', header: t('pool.round.category'), cell: (m) => t(`providerKind.${m.category}`) },
    { id: 'industry', header: t('pool.app.industry'), cell: (m) => <span data-i18n-data>{m.industryName}</span> },
    { id: 'admitted', header: t('pool.member.admittedOn'), cell: (m) => m.admittedOn },
    {
      id: 'valid',
      header: t('pool.member.validUntil'),
      cell: (m) => (m.current ? m.validUntil : t('pool.member.expired', { date: m.validUntil })),
    },
  ]
  const appColumns: Column<Data['applications'][number]>[] = [
    {
      id: 'round',
      header: t('pool.app.round'),
      role: 'primary',
      cell: (a) => (
        <span data-i18n-data>
          {a.agencyName} · {a.roundTitle}
        </span>
      ),
    },
    { id: 'industry', header: t('pool.app.industry'), cell: (a) => <span data-i18n-data>{a.industryName}</span> },
    {
      id: 'status',
      header: t('pool.app.status'),
      cell: (a) => (
        <>
          {t(`pool.status.${a.status}`)}
          {a.status === 'notice' && a.noticeUntil ? ` · ${t('pool.app.noticeUntilShort', { date: a.noticeUntil })}` : ''}
          {a.reason ? (
            <>
              {' · '}
              <span data-i18n-data>{a.reason}</span>
            </>
          ) : null}
        </>
      ),
    },
    {
      id: 'conclusion',
      header: t('pool.app.conclusion'),
      cell: (a) =>
        a.conclusion
          ? t('pool.app.conclusionValue', {
              recommended: a.conclusion.recommended,
              reviewers: a.conclusion.reviewers,
              average: a.conclusion.average ?? '—',
            })
          : '—',
    },
    {
      id: 'action',
      header: t('pool.app.action'),
      role: 'action',
      cell: (a) =>
        a.canWithdraw ? (
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <input type="hidden" name="applicationId" value={a.id} />
            <button type="submit" className="button button-small button-secondary" disabled={busy}>
              {t('pool.withdraw.submit')}
              <span className="visually-hidden">
                {' '}
                <span data-i18n-data>{a.roundTitle}</span>
              </span>
            </button>
          </Form>
        ) : null,
    },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('pool.provider.title')}</h1>
        <p className="muted">{t('pool.provider.lead')}</p>
      </header>
      <ErrorSummary failure={failure} />

      <section aria-labelledby="memberships-heading">
        <h2 id="memberships-heading">{t('pool.member.heading')}</h2>
        <DataTable
          caption={t('pool.member.heading')}
          columns={memberColumns}
          rows={data.memberships}
          rowKey={(m) => m.id}
          empty={<p className="muted">{t('pool.member.none')}</p>}
        />
      </section>

      <section aria-labelledby="applications-heading">
        <h2 id="applications-heading">{t('pool.provider.applications')}</h2>
        <DataTable
          caption={t('pool.provider.applications')}
          columns={appColumns}
          rows={data.applications}
          rowKey={(a) => a.id}
          empty={<p className="muted">{t('pool.provider.noApplications')}</p>}
        />
      </section>

      <section aria-labelledby="open-heading">
        <h2 id="open-heading">{t('pool.provider.open')}</h2>
        {data.canApply ? null : <p className="notice">{t('pool.provider.ownersOnly')}</p>}
        {data.rounds.length === 0 ? (
          <div className="empty-state">
            <p>{t(data.kinds.length ? 'pool.provider.noRounds' : 'pool.provider.noKinds')}</p>
          </div>
        ) : (
          <ul className="card-list">
            {data.rounds.map((r) => (
              <li key={r.id} className="card stack">
                <h3 data-i18n-data>{r.title}</h3>
                <p className="muted">
                  <span data-i18n-data>{r.agencyName}</span> ·{' '}
                  {t('pool.round.summaryShort', { category: t(`providerKind.${r.category}`), until: r.applyUntil })}
                </p>
                {r.description ? (
                  <p data-i18n-data className="prewrap">
                    {r.description}
                  </p>
                ) : null}
                {r.quotas.length ? (
                  <p>
                    {t('pool.round.quotas')}：
                    {r.quotas.map((q, i) => (
                      <span key={i} data-i18n-data>
                        {i ? '，' : ''}
                        {t('pool.quota.line', { industry: q.industryName, quota: q.quota, admitted: q.admitted })}
                      </span>
                    ))}
                  </p>
                ) : null}
                {data.canApply ? (
                  <Form method="post" className="stack" noValidate>
                    <input type="hidden" name="intent" value="apply" />
                    <input type="hidden" name="roundId" value={r.id} />
                    <SelectField
                      id={`industry-${r.id}`}
                      name="industryCode"
                      label={t('pool.app.industry')}
                      required
                      error={failure?.fieldErrors.industryCode}
                    >
                      {data.industries.map((ind) => (
                        <option key={ind.code} value={ind.code}>
                          {ind.code} {ind.name}
                        </option>
                      ))}
                    </SelectField>
                    <TextareaField
                      id={`statement-${r.id}`}
                      name="statement"
                      rows={4}
                      maxLength={2000}
                      required
                      label={t('pool.app.statement')}
                      hint={t('pool.apply.hint')}
                      error={failure?.fieldErrors.statement}
                    />
                    <button type="submit" className="button" disabled={busy}>
                      {t('pool.apply.submit')}
                      <span className="visually-hidden">
                        {' '}
                        <span data-i18n-data>{r.title}</span>
                      </span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>
    </>
  )
}
