import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, TextareaField, useFormFailure } from '~/components/form.js'
import { fileAppeal } from '~/domain/evaluation/appeals.server.js'
import { getProviderEvaluation } from '~/domain/evaluation/provider.server.js'
import { ZAppealInput } from '~/domain/evaluation/schema.js'
import { zId } from '~/domain/shared/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { z } from 'zod'

/*
 * 我的评价 (issue 15 §4): the provider's published evaluation results — every
 * dimension's platform metric, the agency's judgement and the score, the total and the
 * tier — with an appeal (申诉) the owners file once per result, with a reason, until the
 * date shown; and the sanctions it has (警告 / 限期整改 / 移出).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'evaluation.provider.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getProviderEvaluation(db, actor))
  })
}

const ZResultRef = z.object({ resultId: zId })

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { resultId } = parseForm(ZResultRef, form)
    const { reason } = parseForm(ZAppealInput, form)
    await fileAppeal(db, actor, resultId, reason)
    return redirect('/provider/evaluation', {
      headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.provider.appealed' }) },
    })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Result = Data['results'][number]
type Dim = Result['dimensions'][number]
type Sanction = Data['sanctions'][number]

const points = (x100: number | null) => (x100 === null ? '—' : (x100 / 100).toFixed(2))

export default function ProviderEvaluationPage() {
  const { results, sanctions, isOwner } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const dimColumns: Column<Dim>[] = [
    { id: 'name', header: t('evaluation.dimension.name'), role: 'primary', cell: (d) => <span data-i18n-data>{d.name}</span> },
    { id: 'weight', header: t('evaluation.dimension.weight'), cell: (d) => `${d.weight}%` },
    {
      id: 'metric',
      header: t('evaluation.dimension.metric'),
      cell: (d) =>
        d.metric === 'none'
          ? t('evaluation.metric.none')
          : `${t(`evaluation.metric.${d.metric}`)}: ${points(d.metricX100)} ${t('evaluation.results.records', { count: d.records })}`,
    },
    {
      id: 'judgement',
      header: t('evaluation.results.judgement'),
      cell: (d) => (d.judgementPercent > 0 ? `${d.judgement ?? '—'} (${d.judgementPercent}%)` : '—'),
    },
    { id: 'score', header: t('evaluation.results.score'), cell: (d) => points(d.scoreX100) },
  ]
  const sanctionColumns: Column<Sanction>[] = [
    {
      id: 'agency',
      header: t('evaluation.provider.agency'),
      role: 'primary',
      cell: (s) => <span data-i18n-data>{s.providerName}</span>,
    },
    {
      id: 'level',
      header: t('evaluation.sanctions.level'),
      cell: (s) =>
        `${t(`evaluation.level.${s.level}`)}${s.rectifyBy ? ` · ${t('evaluation.sanctions.until', { date: s.rectifyBy })}` : ''}`,
    },
    { id: 'reason', header: t('evaluation.sanctions.reason'), cell: (s) => <span data-i18n-data>{s.reason}</span> },
    { id: 'status', header: t('evaluation.appeals.status'), cell: (s) => t(`evaluation.sanctionStatus.${s.status}`) },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('evaluation.provider.title')}</h1>
        <p className="muted">{t('evaluation.provider.lead')}</p>
      </header>
      <ErrorSummary failure={failure} />
      {results.length === 0 ? <p className="empty-state">{t('evaluation.provider.empty')}</p> : null}
      {results.map((r) => (
        <section key={r.id} className="card section" aria-labelledby={`result-${r.id}`}>
          <h2 id={`result-${r.id}`}>
            <span data-i18n-data>{r.agencyName}</span> · <span data-i18n-data>{r.title}</span>
          </h2>
          <p>
            {t('evaluation.provider.summary', { total: points(r.totalX100), tier: t(`evaluation.tier.${r.tier}`) })}
            {r.tier !== r.computedTier ? ` (${t('evaluation.results.changedByAppeal')})` : ''}
          </p>
          <p className="field-hint">{t('evaluation.results.rule', { preferred: r.preferredMin, excluded: r.excludedBelow })}</p>
          <DataTable
            caption={t('evaluation.provider.caption', { year: r.year })}
            columns={dimColumns}
            rows={r.dimensions}
            rowKey={(d) => d.id}
          />
          {r.appeal ? (
            <p className="notice">
              {t('evaluation.provider.appealState', { status: t(`evaluation.appeal.${r.appeal.status}`) })}
              {r.appeal.decision ? (
                <>
                  {' '}
                  <span data-i18n-data>{r.appeal.decision}</span>
                </>
              ) : null}
            </p>
          ) : r.mayAppeal ? (
            <Form method="post" noValidate className="form-wide">
              <Honeypot />
              <input type="hidden" name="resultId" value={r.id} />
              <TextareaField
                id={results.length === 1 ? 'reason' : `reason-${r.id}`}
                name="reason"
                label={t('evaluation.provider.appealReason')}
                hint={t('evaluation.provider.appealHint', { date: r.appealUntil ?? '' })}
                required
                rows={3}
                maxLength={1000}
                error={failure?.fieldErrors.reason}
              />
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('evaluation.provider.appeal')}
                </button>
              </div>
            </Form>
          ) : (
            <p className="muted">{isOwner ? t('evaluation.provider.appealClosed') : t('evaluation.provider.ownersAppeal')}</p>
          )}
        </section>
      ))}
      <section className="section" aria-labelledby="sanctions-title">
        <h2 id="sanctions-title">{t('evaluation.provider.sanctions')}</h2>
        <DataTable
          caption={t('evaluation.provider.sanctions')}
          columns={sanctionColumns}
          rows={sanctions}
          rowKey={(s) => s.id}
          empty={<p className="empty-state">{t('evaluation.provider.noSanctions')}</p>}
        />
      </section>
    </>
  )
}
