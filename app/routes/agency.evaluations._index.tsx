import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { ZSchemeInput } from '~/domain/evaluation/schema.js'
import { createScheme, listSchemes } from '~/domain/evaluation/schemes.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 服务商评价 (issue 15 §4): the agency's evaluation schemes, one per year, with their
 * phase, results and pending appeals; owners and reviewers start next year's (it opens
 * with the five dimensions of the issue, editable while a draft). Links to 处理与复核.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'evaluation.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await listSchemes(db, actor))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZSchemeInput, await args.request.formData())
    const id = await createScheme(db, actor, input)
    return redirect(`/agency/evaluations/${id}`, {
      headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.index.created' }) },
    })
  })
}

type Scheme = ReturnType<typeof useLoaderData<typeof loader>>['schemes'][number]

export default function EvaluationsPage() {
  const { schemes, mayManage, year } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const columns: Column<Scheme>[] = [
    { id: 'year', header: t('evaluation.field.year'), cell: (s) => s.year },
    {
      id: 'title',
      header: t('evaluation.field.title'),
      role: 'primary',
      cell: (s) => (
        <Link to={`/agency/evaluations/${s.id}`}>
          <span data-i18n-data>{s.title}</span>
        </Link>
      ),
    },
    {
      id: 'phase',
      header: t('evaluation.index.phase'),
      cell: (s) =>
        t(
          s.status === 'draft'
            ? 'evaluation.phase.draft'
            : s.resultsPublished
              ? 'evaluation.phase.published'
              : 'evaluation.phase.judging',
        ),
    },
    { id: 'results', header: t('evaluation.index.results'), cell: (s) => s.results },
    {
      id: 'appeals',
      header: t('evaluation.index.pendingAppeals'),
      cell: (s) =>
        s.pendingAppeals > 0 ? <Link to={`/agency/evaluations/${s.id}/appeals`}>{s.pendingAppeals}</Link> : s.pendingAppeals,
    },
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('evaluation.index.title')}</h1>
        <p className="muted">{t('evaluation.index.lead')}</p>
      </header>
      <p>
        <Link to="/agency/sanctions">{t('evaluation.sanctions.title')} →</Link>
      </p>
      <DataTable
        caption={t('evaluation.index.caption')}
        columns={columns}
        rows={schemes}
        rowKey={(s) => s.id}
        empty={
          <div className="empty-state">
            <p>{t('evaluation.index.empty')}</p>
          </div>
        }
      />
      {mayManage ? (
        <section className="card section" aria-labelledby="new-scheme-title">
          <h2 id="new-scheme-title">{t('evaluation.index.new')}</h2>
          <p className="field-hint">{t('evaluation.index.newHint')}</p>
          <Form method="post" noValidate className="form-wide">
            <ErrorSummary failure={failure} />
            <Honeypot />
            <div className="field-row">
              <InputField
                id="year"
                name="year"
                type="number"
                inputMode="numeric"
                min={2000}
                max={2100}
                label={t('evaluation.field.year')}
                required
                defaultValue={year}
                error={errors?.year}
              />
              <InputField
                id="title"
                name="title"
                label={t('evaluation.field.title')}
                required
                maxLength={120}
                defaultValue={t('evaluation.index.defaultTitle', { year })}
                error={errors?.title}
              />
            </div>
            <TextareaField
              id="description"
              name="description"
              label={t('evaluation.field.description')}
              rows={3}
              maxLength={2000}
              error={errors?.description}
            />
            <div className="field-row">
              <InputField
                id="preferredMin"
                name="preferredMin"
                type="number"
                inputMode="numeric"
                min={1}
                max={100}
                label={t('evaluation.field.preferredMin')}
                hint={t('evaluation.field.preferredMinHint')}
                required
                defaultValue={85}
                error={errors?.preferredMin}
              />
              <InputField
                id="excludedBelow"
                name="excludedBelow"
                type="number"
                inputMode="numeric"
                min={0}
                max={99}
                label={t('evaluation.field.excludedBelow')}
                hint={t('evaluation.field.excludedBelowHint')}
                required
                defaultValue={60}
                error={errors?.excludedBelow}
              />
            </div>
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('evaluation.index.create')}
              </button>
            </div>
          </Form>
        </section>
      ) : (
        <p className="notice">{t('evaluation.viewerNote')}</p>
      )}
    </>
  )
}
