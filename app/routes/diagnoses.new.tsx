import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import {
  getNewDiagnosisForm,
  startDiagnosis,
  ZNewDiagnosis,
  ZNewDiagnosisQuery,
  type NewDiagnosisMode,
} from '~/domain/diagnosis/projects.server.js'
import type { EnterpriseChoice, ProviderChoice } from '~/domain/diagnosis/views.js'
import { DIAGNOSIS_KINDS } from '~/domain/diagnosis/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import diagnosisStyles from '~/styles/diagnosis.css'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: diagnosisStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'diagnosis.new.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZNewDiagnosisQuery, args.request)
    return json(await getNewDiagnosisForm(db, actor, query, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZNewDiagnosis, await args.request.formData())
    const { diagnosisId } = await startDiagnosis(db, actor, input)
    const key =
      input.intent === 'engage'
        ? ('diagnosis.new.doneEngage' as const)
        : input.intent === 'propose'
          ? ('diagnosis.new.donePropose' as const)
          : ('diagnosis.new.doneAssign' as const)
    return redirect(`/diagnoses/${diagnosisId}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
  })
}

function Choices({
  name,
  legend,
  options,
  empty,
  error,
}: {
  name: 'providerOrgId' | 'enterpriseOrgId'
  legend: string
  options: readonly (ProviderChoice | EnterpriseChoice)[]
  empty: string
  error?: string
}) {
  const message = useMessage()
  return (
    <fieldset id={name} className="choice-list" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p id={`${name}-error`} className="field-error">
          {message(error)}
        </p>
      ) : null}
      {options.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        options.map((o, i) => (
          <label key={o.orgId} className="choice">
            <input type="radio" name={name} value={o.orgId} defaultChecked={options.length === 1 && i === 0} required />{' '}
            <span data-i18n-data>{o.name}</span> <span className="muted">{o.regionName}</span>
          </label>
        ))
      )}
    </fieldset>
  )
}

export default function NewDiagnosisPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const mode: NewDiagnosisMode = data.mode
  const lead =
    mode === 'engage' ? 'diagnosis.new.leadEngage' : mode === 'propose' ? 'diagnosis.new.leadPropose' : 'diagnosis.new.leadAssign'
  const submit =
    mode === 'engage'
      ? 'diagnosis.new.submitEngage'
      : mode === 'propose'
        ? 'diagnosis.new.submitPropose'
        : 'diagnosis.new.submitAssign'
  const searchesEnterprise = mode !== 'engage'
  const searchesProvider = mode !== 'propose'
  return (
    <section aria-labelledby="new-diagnosis-title">
      <p>
        <Link to="/diagnoses">← {t('diagnosis.new.back')}</Link>
      </p>
      <h1 id="new-diagnosis-title">{t('diagnosis.new.title')}</h1>
      <p className="muted">{t(lead)}</p>

      <Form method="get" className="actions section" role="search">
        {searchesEnterprise ? (
          <>
            <label htmlFor="search-enterprise">{t('diagnosis.new.searchEnterprise')}</label>
            <input
              id="search-enterprise"
              name={mode === 'assign' ? 'e' : 'q'}
              type="search"
              defaultValue={mode === 'assign' ? data.e : data.q}
              maxLength={40}
            />
          </>
        ) : null}
        {searchesProvider ? (
          <>
            <label htmlFor="search-provider">{t('diagnosis.new.searchProvider')}</label>
            <input id="search-provider" name="q" type="search" defaultValue={data.q} maxLength={40} />
          </>
        ) : null}
        <button type="submit" className="button-secondary">
          {t('diagnosis.new.search')}
        </button>
      </Form>

      <div className="card">
        <ErrorSummary failure={failure} fieldIds={{ kind: 'kind' }} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value={mode} />
          {searchesEnterprise ? (
            <Choices
              name="enterpriseOrgId"
              legend={t('diagnosis.new.enterprise')}
              options={data.enterprises}
              empty={(mode === 'assign' ? data.e : data.q) ? t('diagnosis.new.noEnterprises') : t('diagnosis.new.enterpriseHint')}
              error={failure?.fieldErrors.enterpriseOrgId}
            />
          ) : null}
          {searchesProvider ? (
            <Choices
              name="providerOrgId"
              legend={t('diagnosis.new.provider')}
              options={data.providers}
              empty={t('diagnosis.new.noProviders')}
              error={failure?.fieldErrors.providerOrgId}
            />
          ) : null}
          <SelectField
            id="kind"
            name="kind"
            label={t('diagnosis.new.kind')}
            hint={t('diagnosis.new.kindHint')}
            defaultValue="factory"
            error={failure?.fieldErrors.kind}
            required
          >
            {DIAGNOSIS_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`diagnosis.kind.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextareaField
            id="note"
            name="note"
            label={t('diagnosis.new.note')}
            maxLength={500}
            rows={3}
            error={failure?.fieldErrors.note}
          />
          <div className="actions">
            <button type="submit">{t(submit)}</button>
          </div>
        </Form>
      </div>
    </section>
  )
}
