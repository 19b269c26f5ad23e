import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  parseJudgements,
  ZDimensionInput,
  ZDimensionRef,
  ZProviderRef,
  ZSchemeInput,
  ZSchemeIntent,
  ZSchemeQuery,
} from '~/domain/evaluation/schema.js'
import {
  addDimension,
  computeResults,
  deleteScheme,
  getSchemePage,
  loadDimensions,
  publishResults,
  publishScheme,
  removeDimension,
  setJudgements,
  updateScheme,
} from '~/domain/evaluation/schemes.server.js'
import { EVALUATION_METRICS } from '~/domain/evaluation/values.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One evaluation scheme (issue 15 §4). Draft: its title, thresholds and dimensions
 * (weight, platform metric, share of the agency's judgement) — 公布 once the weights sum
 * to 100. Published: the agency judges providers (0–100 per dimension with a share of
 * judgement), computes the results from the platform records and its judgements, and
 * publishes them (then frozen; appeals on their own page). The results table shows
 * every dimension's score, the total and the tier; an .xlsx has every metric too.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'evaluation.scheme.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZSchemeQuery, args.request)
    return json(await getSchemePage(db, actor, id, query))
  })
}

const DONE: Record<string, MessageKey> = {
  update: 'evaluation.scheme.saved',
  addDimension: 'evaluation.scheme.saved',
  removeDimension: 'evaluation.scheme.saved',
  publish: 'evaluation.scheme.publishedDone',
  judge: 'evaluation.judge.saved',
  compute: 'evaluation.results.computed',
  publishResults: 'evaluation.results.publishedDone',
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZSchemeIntent, form)
    const asked = confirmationAsked(form)
    if (asked) return json(asked)
    const back = `/agency/evaluations/${id}`
    switch (intent) {
      case 'update':
        await updateScheme(db, actor, id, parseForm(ZSchemeInput, form))
        break
      case 'addDimension':
        await addDimension(db, actor, id, parseForm(ZDimensionInput, form))
        break
      case 'removeDimension':
        await removeDimension(db, actor, id, parseForm(ZDimensionRef, form).dimensionId)
        break
      case 'publish':
        await publishScheme(db, actor, id)
        break
      case 'delete':
        await deleteScheme(db, actor, id)
        return redirect('/agency/evaluations', {
          headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.scheme.deleted' }) },
        })
      case 'judge': {
        const { providerOrgId } = parseForm(ZProviderRef, form)
        const dims = (await loadDimensions(db, id)).filter((d) => d.judgementPercent > 0)
        await setJudgements(
          db,
          actor,
          id,
          providerOrgId,
          parseJudgements(
            form,
            dims.map((d) => d.id),
          ),
        )
        return redirect(`${back}?provider=${providerOrgId}#judge`, {
          headers: { 'Set-Cookie': await setFlash({ key: DONE.judge! }) },
        })
      }
      case 'compute':
        await computeResults(db, actor, id)
        break
      case 'publishResults':
        await publishResults(db, actor, id)
        break
    }
    return redirect(back, { headers: { 'Set-Cookie': await setFlash({ key: DONE[intent]! }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Result = Data['results'][number]
type Dimension = Data['dimensions'][number]

const points = (x100: number) => (x100 / 100).toFixed(2)

export default function SchemePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { scheme, dimensions, mayManage, phase } = data
  const errors = failure?.fieldErrors
  const weightSum = dimensions.reduce((s, d) => s + d.weight, 0)

  const dimensionColumns: Column<Dimension>[] = [
    { id: 'name', header: t('evaluation.dimension.name'), role: 'primary', cell: (d) => <span data-i18n-data>{d.name}</span> },
    { id: 'weight', header: t('evaluation.dimension.weight'), cell: (d) => `${d.weight}%` },
    { id: 'metric', header: t('evaluation.dimension.metric'), cell: (d) => t(`evaluation.metric.${d.metric}`) },
    { id: 'judgement', header: t('evaluation.dimension.judgementPercent'), cell: (d) => `${d.judgementPercent}%` },
    ...(phase === 'draft' && mayManage
      ? [
          {
            id: 'action',
            header: t('evaluation.dimension.action'),
            role: 'action' as const,
            cell: (d: Dimension) => (
              <Form method="post">
                <input type="hidden" name="intent" value="removeDimension" />
                <input type="hidden" name="dimensionId" value={d.id} />
                <button type="submit" className="button-small button-secondary" disabled={busy}>
                  {t('evaluation.dimension.remove')}
                  <span className="visually-hidden">
                    {' '}
                    <span data-i18n-data>{d.name}</span>
                  </span>
                </button>
              </Form>
            ),
          },
        ]
      : []),
  ]

  const resultColumns: Column<Result>[] = [
    {
      id: 'provider',
      header: t('evaluation.results.provider'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/providers/${r.providerOrgId}`}>
          <span data-i18n-data>{r.providerName}</span>
        </Link>
      ),
    },
    ...dimensions.map((d) => ({
      id: `d${d.id}`,
      header: d.name,
      label: d.name,
      cell: (r: Result) => {
        const s = r.scores.find((x) => x.dimensionId === d.id)
        return s ? points(s.scoreX100) : '—'
      },
    })),
    { id: 'total', header: t('evaluation.results.total'), cell: (r) => <strong>{points(r.totalX100)}</strong> },
    {
      id: 'tier',
      header: t('evaluation.results.tier'),
      cell: (r) => (
        <span className={`badge tier-${r.tier}`}>
          {t(`evaluation.tier.${r.tier}`)}
          {r.tier !== r.computedTier ? ` (${t('evaluation.results.changedByAppeal')})` : ''}
        </span>
      ),
    },
    {
      id: 'appeal',
      header: t('evaluation.results.appeal'),
      cell: (r) => (r.appeal ? t(`evaluation.appeal.${r.appeal}`) : '—'),
    },
    ...(mayManage
      ? [
          {
            id: 'action',
            header: t('evaluation.dimension.action'),
            role: 'action' as const,
            cell: (r: Result) =>
              phase === 'judging' ? (
                <Link to={`?provider=${r.providerOrgId}#judge`}>
                  {t('evaluation.judge.open')}
                  <span className="visually-hidden">
                    {' '}
                    <span data-i18n-data>{r.providerName}</span>
                  </span>
                </Link>
              ) : (
                <Link to={`/agency/sanctions?provider=${r.providerOrgId}`}>
                  {t('evaluation.results.sanction')}
                  <span className="visually-hidden">
                    {' '}
                    <span data-i18n-data>{r.providerName}</span>
                  </span>
                </Link>
              ),
          },
        ]
      : []),
  ]

  const phaseKey: MessageKey =
    phase === 'draft' ? 'evaluation.phase.draft' : phase === 'judging' ? 'evaluation.phase.judging' : 'evaluation.phase.published'

  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/evaluations">← {t('evaluation.index.title')}</Link>
      </p>
      <header className="page-head">
        <h1>
          <span data-i18n-data>{scheme.title}</span>
        </h1>
        <p className="muted">
          {t('evaluation.scheme.summary', {
            year: scheme.year,
            phase: t(phaseKey),
            preferred: scheme.preferred_min,
            excluded: scheme.excluded_below,
          })}
        </p>
      </header>
      {confirming ? (
        <ConfirmStep
          request={confirming}
          question={t(
            confirming.fields.intent === 'publishResults'
              ? 'evaluation.results.publishQuestion'
              : 'evaluation.scheme.publishQuestion',
          )}
          consequence={t(
            confirming.fields.intent === 'publishResults'
              ? 'evaluation.results.publishConsequence'
              : 'evaluation.scheme.publishConsequence',
          )}
          confirmLabel={t(
            confirming.fields.intent === 'publishResults' ? 'evaluation.results.publish' : 'evaluation.scheme.publish',
          )}
        />
      ) : null}
      {scheme.description ? (
        <p className="prose" data-i18n-data>
          {scheme.description}
        </p>
      ) : null}
      {!mayManage ? <p className="notice">{t('evaluation.viewerNote')}</p> : null}
      <ErrorSummary failure={failure} />

      <section className="section" aria-labelledby="dimensions-title">
        <h2 id="dimensions-title">{t('evaluation.dimension.title')}</h2>
        <p className="field-hint">{t('evaluation.dimension.rule', { neutral: 60 })}</p>
        <DataTable
          caption={t('evaluation.dimension.caption')}
          columns={dimensionColumns}
          rows={dimensions}
          rowKey={(d) => d.id}
          empty={<p className="empty-state">{t('evaluation.dimension.empty')}</p>}
        />
        <p>{t('evaluation.dimension.sum', { sum: weightSum })}</p>
        {phase === 'draft' && mayManage ? (
          <>
            <Form method="post" noValidate className="form-wide card" aria-labelledby="add-dimension-title">
              <h3 id="add-dimension-title">{t('evaluation.dimension.add')}</h3>
              <Honeypot />
              <input type="hidden" name="intent" value="addDimension" />
              <div className="field-row">
                <InputField
                  id="name"
                  name="name"
                  label={t('evaluation.dimension.name')}
                  required
                  maxLength={30}
                  error={errors?.name}
                />
                <InputField
                  id="weight"
                  name="weight"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={100}
                  label={t('evaluation.dimension.weight')}
                  required
                  error={errors?.weight}
                />
              </div>
              <div className="field-row">
                <SelectField id="metric" name="metric" label={t('evaluation.dimension.metric')} required error={errors?.metric}>
                  {EVALUATION_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {t(`evaluation.metric.${m}`)}
                    </option>
                  ))}
                </SelectField>
                <InputField
                  id="judgementPercent"
                  name="judgementPercent"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={100}
                  label={t('evaluation.dimension.judgementPercent')}
                  hint={t('evaluation.dimension.judgementHint')}
                  required
                  defaultValue={50}
                  error={errors?.judgementPercent}
                />
              </div>
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('evaluation.dimension.add')}
                </button>
              </div>
            </Form>
            {data.problem ? <p className="notice">{t(data.problem as MessageKey, { max: 12 })}</p> : null}
            <div className="actions">
              <ConfirmForm
                label={t('evaluation.scheme.publish')}
                question={t('evaluation.scheme.publishQuestion')}
                consequence={t('evaluation.scheme.publishConsequence')}
                confirmLabel={t('evaluation.scheme.publish')}
                disabled={busy || data.problem !== null}
              >
                <input type="hidden" name="intent" value="publish" />
              </ConfirmForm>
              <ConfirmForm
                label={t('evaluation.scheme.delete')}
                buttonClassName="button-secondary"
                question={t('evaluation.scheme.deleteQuestion')}
                confirmLabel={t('evaluation.scheme.delete')}
                danger
              >
                <input type="hidden" name="intent" value="delete" />
              </ConfirmForm>
            </div>
          </>
        ) : null}
      </section>

      {phase === 'draft' && mayManage ? (
        <section className="card section" aria-labelledby="scheme-edit-title">
          <h2 id="scheme-edit-title">{t('evaluation.scheme.edit')}</h2>
          <Form method="post" noValidate className="form-wide">
            <Honeypot />
            <input type="hidden" name="intent" value="update" />
            <div className="field-row">
              <InputField
                id="year"
                name="year"
                type="number"
                inputMode="numeric"
                label={t('evaluation.field.year')}
                required
                defaultValue={scheme.year}
                error={errors?.year}
              />
              <InputField
                id="title"
                name="title"
                label={t('evaluation.field.title')}
                required
                maxLength={120}
                defaultValue={scheme.title}
                error={errors?.title}
              />
            </div>
            <TextareaField
              id="description"
              name="description"
              label={t('evaluation.field.description')}
              rows={3}
              maxLength={2000}
              defaultValue={scheme.description}
              error={errors?.description}
            />
            <div className="field-row">
              <InputField
                id="preferredMin"
                name="preferredMin"
                type="number"
                inputMode="numeric"
                label={t('evaluation.field.preferredMin')}
                required
                defaultValue={scheme.preferred_min}
                error={errors?.preferredMin}
              />
              <InputField
                id="excludedBelow"
                name="excludedBelow"
                type="number"
                inputMode="numeric"
                label={t('evaluation.field.excludedBelow')}
                required
                defaultValue={scheme.excluded_below}
                error={errors?.excludedBelow}
              />
            </div>
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('evaluation.scheme.save')}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {phase === 'judging' && mayManage ? (
        <section className="card section" aria-labelledby="judge-title" id="judge">
          <h2 id="judge-title">{t('evaluation.judge.title')}</h2>
          <p className="field-hint">{t('evaluation.judge.lead')}</p>
          <Form method="get" className="form-wide" action="#judge">
            <SelectField
              id="provider"
              name="provider"
              label={t('evaluation.judge.provider')}
              defaultValue={data.judging?.providerOrgId ?? ''}
            >
              <option value="">{t('evaluation.judge.choose')}</option>
              {data.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <div className="actions">
              <button type="submit" className="button-secondary">
                {t('evaluation.judge.open')}
              </button>
            </div>
          </Form>
          {data.providers.length === 0 ? <p className="empty-state">{t('evaluation.judge.noProviders')}</p> : null}
          {data.judging ? (
            <Form method="post" noValidate className="form-wide" key={data.judging.providerOrgId}>
              <h3>
                <span data-i18n-data>{data.judging.name}</span>
              </h3>
              <Honeypot />
              <input type="hidden" name="intent" value="judge" />
              <input type="hidden" name="providerOrgId" value={data.judging.providerOrgId} />
              {dimensions
                .filter((d) => d.judgementPercent > 0)
                .map((d) => (
                  <InputField
                    key={d.id}
                    id={`j${d.id}`}
                    name={`j${d.id}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={100}
                    label={t('evaluation.judge.field', { name: d.name, share: d.judgementPercent })}
                    defaultValue={data.judging?.judgements[d.id] ?? ''}
                    error={errors?.[`j${d.id}`]}
                  />
                ))}
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('evaluation.judge.save')}
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}

      {phase !== 'draft' ? (
        <section className="section" aria-labelledby="results-title">
          <h2 id="results-title">{t('evaluation.results.title')}</h2>
          <p>
            {t('evaluation.results.counts', {
              preferred: data.tierCounts.preferred,
              normal: data.tierCounts.normal,
              excluded: data.tierCounts.excluded,
            })}
          </p>
          <p className="field-hint">
            {t('evaluation.results.rule', { preferred: scheme.preferred_min, excluded: scheme.excluded_below })}
          </p>
          {phase === 'judging' && mayManage ? (
            <div className="actions">
              <Form method="post">
                <input type="hidden" name="intent" value="compute" />
                <button type="submit" disabled={busy} className="button-secondary">
                  {t('evaluation.results.compute')}
                </button>
              </Form>
              {scheme.computed_at ? (
                <ConfirmForm
                  label={t('evaluation.results.publish')}
                  question={t('evaluation.results.publishQuestion')}
                  consequence={t('evaluation.results.publishConsequence')}
                  confirmLabel={t('evaluation.results.publish')}
                  disabled={busy}
                >
                  <input type="hidden" name="intent" value="publishResults" />
                </ConfirmForm>
              ) : null}
            </div>
          ) : null}
          {phase === 'published' ? (
            <p>
              {t('evaluation.results.appealUntil', { date: scheme.appeal_until ?? '' })}{' '}
              <Link to={`/agency/evaluations/${scheme.id}/appeals`}>
                {t('evaluation.appeals.link', { count: data.pendingAppeals })}
              </Link>
            </p>
          ) : null}
          {data.total > 0 ? (
            <p>
              <a href={`/agency/evaluations/${scheme.id}/results.xlsx`} download>
                {t('evaluation.results.xlsx')}
              </a>
            </p>
          ) : null}
          <DataTable
            caption={t('evaluation.results.caption', { year: scheme.year })}
            columns={resultColumns}
            rows={data.results}
            rowKey={(r) => r.id}
            empty={
              <p className="empty-state">
                {t(phase === 'judging' ? 'evaluation.results.emptyCompute' : 'evaluation.results.empty')}
              </p>
            }
          />
          <Pagination page={data.page} pageCount={data.pageCount} />
        </section>
      ) : null}
    </>
  )
}
