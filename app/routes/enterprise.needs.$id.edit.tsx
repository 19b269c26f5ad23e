import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { NeedForm } from '~/components/need-form.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { getNeedForEdit, updateNeed, ZNeedInput } from '~/domain/needs/authoring.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
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

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZNeedInput, await args.request.formData())
    const { changed, status } = await updateNeed(db, actor, id, input)
    const key =
      status === 'published' && input.intent === 'publish'
        ? 'myNeeds.published'
        : changed.length > 0
          ? 'myNeeds.saved'
          : 'myNeeds.unchanged'
    return redirect(`/enterprise/needs/${id}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
  })
}

export default function EditNeedPage() {
  const { form } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
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
          values={form.values}
          choices={form.choices}
          failure={failure}
          mode={form.status === 'published' ? 'published' : 'draft'}
          revision={form.revision}
        />
      </div>
    </section>
  )
}
