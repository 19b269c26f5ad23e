import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { NeedForm, submittedNeedValues } from '~/components/need-form.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { getNeedForEdit, updateNeed, ZNeedInput } from '~/domain/needs/authoring.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import providerStyles from '~/styles/providers.css'
import styles from '~/styles/need-authoring.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: providerStyles },
  { rel: 'stylesheet', href: styles },
]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needForm.editTitle')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ form: await getNeedForEdit(db, actor, id, { locale: await getLocale(args.request) }) })
  })
}

/** A failed save answers with the fields as they were sent, so the form shows them again without scripts too. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const input = parseForm(ZNeedInput, form)
      const { changed, status } = await updateNeed(db, actor, id, input)
      const key =
        status === 'published' && input.intent === 'publish'
          ? 'myNeeds.published'
          : changed.length > 0
            ? 'myNeeds.saved'
            : 'myNeeds.unchanged'
      return redirect(`/enterprise/needs/${id}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    })
  })
}

export default function EditNeedPage() {
  const { form } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  return (
    <section aria-labelledby="need-form-title">
      <EnterpriseWorkspaceNav />
      <p>
        <Link to={`/enterprise/needs/${form.id}`}>← {t('needForm.backToNeed')}</Link>
      </p>
      <header className="page-head">
        <h1 id="need-form-title">{t('needForm.editTitle')}</h1>
        <div className="badges">
          <StatusBadge kind="needStatus" value={form.status} />
        </div>
      </header>
      <div className="card">
        <NeedForm
          values={submittedNeedValues(actionData, form.values)}
          choices={form.choices}
          failure={failure}
          mode={form.status === 'published' ? 'published' : 'draft'}
          revision={form.revision}
        />
      </div>
    </section>
  )
}
