import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { FileList } from '~/components/file-list.js'
import { useFormFailure } from '~/components/form.js'
import { CaseBadge } from '~/components/provider-case-card.js'
import { CaseForm } from '~/components/provider-case-form.js'
import { deleteCase, getCaseForEdit, removeCaseImage, updateCase } from '~/domain/providers/cases.server.js'
import { PROVIDER_LIMITS } from '~/domain/providers/enums.js'
import { ZCaseInput, ZCaseIntent, ZCaseVersion } from '~/domain/providers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'
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
    const { db, storage } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const { form, files } = await readUploadForm(args.request, { purpose: 'case_image', maxFiles: PROVIDER_LIMITS.imagesPerCase })
    const intent = parseForm(ZCaseIntent, form)
    if (intent.intent === 'delete' || intent.intent === 'removeImage') {
      // Without scripts the button asks first (components/confirm.tsx): checked, nothing written.
      const asked = confirmationAsked(form)
      if (intent.intent === 'delete') await deleteCase(db, storage, actor, id, { apply: !asked })
      else await removeCaseImage(db, storage, actor, id, intent.fileId, { apply: !asked })
      if (asked) return json(asked)
      return intent.intent === 'delete'
        ? redirect('/provider/cases', { headers: { 'Set-Cookie': await setFlash({ key: 'providers.cases.deleted' }) } })
        : redirect(`/provider/cases/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'providers.cases.updated' }) } })
    }
    const input = parseForm(ZCaseInput, form)
    const { version } = parseForm(ZCaseVersion, form)
    const { changed } = await updateCase(db, storage, actor, id, version, input, files)
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
  // Without scripts: the confirm step of the image the form named.
  const confirmingImage =
    confirming?.fields.intent === 'removeImage' ? item.images.find((f) => String(f.id) === confirming.fields.fileId) : undefined
  const imagesLeft = Math.max(0, PROVIDER_LIMITS.imagesPerCase - item.images.length)
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
      {confirming?.fields.intent === 'delete' ? <ConfirmStep request={confirming} {...deleteQuestion} /> : null}
      {confirming && confirmingImage ? (
        <ConfirmStep
          request={confirming}
          question={t('files.list.removeQuestion', { name: confirmingImage.name })}
          consequence={t('files.list.removeConsequence')}
          confirmLabel={t('files.list.remove')}
          danger
        />
      ) : null}
      {item.verified ? <p className="notice notice-success">{t('providers.caseForm.verifiedNote')}</p> : null}
      <div className="card">
        {/* A new form once the case changed: its fields start from what was saved. */}
        <CaseForm
          key={item.updatedAt}
          item={item}
          choices={choices}
          failure={failure}
          imagesLeft={imagesLeft}
          submitLabel={t('providers.caseForm.submitEdit')}
        />
      </div>
      <section className="card section" aria-labelledby="images-title">
        <h2 id="images-title">{t('providers.caseForm.imagesTitle')}</h2>
        <FileList
          files={item.images}
          altOf={(_file, index) => t('providers.caseForm.imageAlt', { title: item.title, n: index + 1 })}
          empty={t('providers.caseForm.imagesNone')}
          remove={{ intent: 'removeImage' }}
        />
      </section>
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
