import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { useFormFailure } from '~/components/form.js'
import { CaseBadge } from '~/components/provider-case-card.js'
import { CaseForm } from '~/components/provider-case-form.js'
import { deleteCase, getCaseForEdit, updateCase } from '~/domain/providers/cases.server.js'
import { ZCaseInput, ZCaseIntent, ZCaseVersion } from '~/domain/providers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'providers.caseForm.editTitle')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    return json(await getCaseForEdit(db, actor, id, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZCaseIntent, form)
    if (intent === 'delete') {
      // Without scripts the button asks first (components/confirm.tsx).
      const asked = confirmationAsked(form)
      await deleteCase(db, actor, id, { apply: !asked })
      if (asked) return json(asked)
      return redirect('/provider/cases', { headers: { 'Set-Cookie': await setFlash({ key: 'providers.cases.deleted' }) } })
    }
    const input = parseForm(ZCaseInput, form)
    const { version } = parseForm(ZCaseVersion, form)
    const { changed } = await updateCase(db, actor, id, version, input)
    const flash = await setFlash({ key: changed.length ? 'providers.cases.updated' : 'providers.cases.unchanged' })
    return redirect(`/provider/cases/${id}`, { headers: { 'Set-Cookie': flash } })
  })
}

export default function EditCasePage() {
  const { case: item, choices } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const deleteQuestion = {
    question: fillTemplate(t('providers.caseForm.deleteConfirm'), { title: <span data-i18n-data>{item.title}</span> }),
    consequence: t('providers.caseForm.deleteConsequence'),
    confirmLabel: t('providers.caseForm.delete'),
    danger: true,
  }
  return (
    <section aria-labelledby="case-title">
      <p>
        <Link to="/provider/cases">← {t('providers.caseForm.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="case-title">{t('providers.caseForm.editTitle')}</h1>
        <div className="badges">
          <CaseBadge verified={item.verified} />
        </div>
      </header>
      {confirming ? <ConfirmStep request={confirming} {...deleteQuestion} /> : null}
      {item.verified ? <p className="notice notice-success">{t('providers.caseForm.verifiedNote')}</p> : null}
      <div className="card">
        {/* A new form once the case changed: its fields start from what was saved. */}
        <CaseForm
          key={item.updatedAt}
          item={item}
          choices={choices}
          failure={failure}
          submitLabel={t('providers.caseForm.submitEdit')}
        />
      </div>
      <section className="section" aria-labelledby="delete-title">
        <h2 id="delete-title" className="visually-hidden">
          {t('providers.caseForm.delete')}
        </h2>
        <ConfirmForm label={t('providers.caseForm.delete')} buttonClassName="button-danger" {...deleteQuestion}>
          <input type="hidden" name="intent" value="delete" />
        </ConfirmForm>
      </section>
    </section>
  )
}
