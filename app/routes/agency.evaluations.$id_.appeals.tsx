import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, SelectField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { decideAppeal, listAppeals } from '~/domain/evaluation/appeals.server.js'
import { ZAppealDecision, ZAppealsQuery } from '~/domain/evaluation/schema.js'
import { EVALUATION_TIERS } from '~/domain/evaluation/values.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 申诉处理 (issue 15 §4): the appeals on a scheme's published results, pending first. A
 * pending appeal changes nothing; the agency's owners and reviewers decide: 申诉成立
 * (upheld) with the tier it sets, or 驳回 (dismissed, the result stands), with a note.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'evaluation.appeals.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page, appeal } = parseQuery(ZAppealsQuery, args.request)
    return json({ ...(await listAppeals(db, actor, id, page)), appealId: appeal })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    await decideAppeal(db, actor, id, parseForm(ZAppealDecision, await args.request.formData()))
    return redirect(`/agency/evaluations/${id}/appeals`, {
      headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.appeals.decided' }) },
    })
  })
}

type Appeal = ReturnType<typeof useLoaderData<typeof loader>>['appeals'][number]

export default function AppealsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const deciding = data.appeals.find((a) => a.id === data.appealId && a.status === 'pending')
  const columns: Column<Appeal>[] = [
    {
      id: 'provider',
      header: t('evaluation.results.provider'),
      role: 'primary',
      cell: (a) => <span data-i18n-data>{a.providerName}</span>,
    },
    { id: 'total', header: t('evaluation.results.total'), cell: (a) => (a.totalX100 / 100).toFixed(2) },
    { id: 'tier', header: t('evaluation.results.tier'), cell: (a) => t(`evaluation.tier.${a.tier}`) },
    { id: 'reason', header: t('evaluation.appeals.reason'), cell: (a) => <span data-i18n-data>{a.reason}</span> },
    {
      id: 'status',
      header: t('evaluation.appeals.status'),
      cell: (a) => (
        <>
          {t(`evaluation.appeal.${a.status}`)}
          {a.decision ? (
            <>
              {' · '}
              <span data-i18n-data>{a.decision}</span>
            </>
          ) : null}
        </>
      ),
    },
    ...(data.mayDecide
      ? [
          {
            id: 'action',
            header: t('evaluation.dimension.action'),
            role: 'action' as const,
            cell: (a: Appeal) =>
              a.status === 'pending' ? (
                <Link to={`?appeal=${a.id}#decide`}>
                  {t('evaluation.appeals.decide')}
                  <span className="visually-hidden">
                    {' '}
                    <span data-i18n-data>{a.providerName}</span>
                  </span>
                </Link>
              ) : (
                '—'
              ),
          },
        ]
      : []),
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/evaluations/${data.scheme.id}`}>
          ← <span data-i18n-data>{data.scheme.title}</span>
        </Link>
      </p>
      <header className="page-head">
        <h1>{t('evaluation.appeals.title')}</h1>
        <p className="muted">{t('evaluation.appeals.lead')}</p>
      </header>
      {deciding && data.mayDecide ? (
        <section className="card section" id="decide" aria-labelledby="decide-title">
          <h2 id="decide-title">{t('evaluation.appeals.decideFor', { name: deciding.providerName })}</h2>
          <p data-i18n-data>{deciding.reason}</p>
          <Form method="post" noValidate className="form-wide">
            <ErrorSummary failure={failure} />
            <Honeypot />
            <input type="hidden" name="appealId" value={deciding.id} />
            <SelectField id="decision" name="decision" label={t('evaluation.appeals.decision')} required error={errors?.decision}>
              <option value="dismissed">{t('evaluation.appeal.dismissed')}</option>
              <option value="upheld">{t('evaluation.appeal.upheld')}</option>
            </SelectField>
            <SelectField
              id="newTier"
              name="newTier"
              label={t('evaluation.appeals.newTier')}
              hint={t('evaluation.appeals.newTierHint')}
              defaultValue=""
              error={errors?.newTier}
            >
              <option value="">—</option>
              {EVALUATION_TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {t(`evaluation.tier.${tier}`)}
                </option>
              ))}
            </SelectField>
            <InputField
              id="note"
              name="note"
              label={t('evaluation.appeals.note')}
              required
              maxLength={1000}
              error={errors?.note}
            />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('evaluation.appeals.decide')}
              </button>
            </div>
          </Form>
        </section>
      ) : (
        <ErrorSummary failure={failure} />
      )}
      <DataTable
        caption={t('evaluation.appeals.caption', { year: data.scheme.year })}
        columns={columns}
        rows={data.appeals}
        rowKey={(a) => a.id}
        empty={<p className="empty-state">{t('evaluation.appeals.empty')}</p>}
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
