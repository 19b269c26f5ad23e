import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { CaseForm } from '~/components/provider-case-form.js'
import { createCase, getNewCaseForm } from '~/domain/providers/cases.server.js'
import { PROVIDER_LIMITS } from '~/domain/providers/enums.js'
import { ZCaseInput } from '~/domain/providers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'providers.caseForm.newTitle')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json({ choices: await getNewCaseForm(db, actor, await getLocale(args.request)) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { form, files } = await readUploadForm(args.request, { purpose: 'case_image', maxFiles: PROVIDER_LIMITS.imagesPerCase })
    const { id } = await createCase(db, storage, actor, parseForm(ZCaseInput, form), files)
    return redirect(`/provider/cases/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'providers.cases.created' }) } })
  })
}

export default function NewCasePage() {
  const { choices } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <section aria-labelledby="case-title">
      <p>
        <Link to="/provider/cases">← {t('providers.caseForm.back')}</Link>
      </p>
      <h1 id="case-title">{t('providers.caseForm.newTitle')}</h1>
      <div className="card">
        <CaseForm
          item={null}
          choices={choices}
          failure={failure}
          imagesLeft={PROVIDER_LIMITS.imagesPerCase}
          submitLabel={t('providers.caseForm.submitNew')}
        />
      </div>
    </section>
  )
}
