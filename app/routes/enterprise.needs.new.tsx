import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { NeedForm, submittedNeedValues } from '~/components/need-form.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { createNeed, getNewNeedForm, ZNeedInput, ZNewNeedQuery } from '~/domain/needs/authoring.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import providerStyles from '~/styles/providers.css'
import styles from '~/styles/need-authoring.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: providerStyles },
  { rel: 'stylesheet', href: styles },
]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needForm.newTitle')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { weakness } = parseQuery(ZNewNeedQuery, args.request)
    return json({ form: await getNewNeedForm(db, actor, weakness, { locale: await getLocale(args.request) }) })
  })
}

/** A failed save answers with the fields as they were sent, so the form shows them again without scripts too. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { id, status } = await createNeed(db, actor, parseForm(ZNeedInput, form))
      const key = status === 'published' ? 'myNeeds.published' : 'myNeeds.created'
      return redirect(`/enterprise/needs/${id}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    })
  })
}

export default function NewNeedPage() {
  const { form } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  return (
    <section aria-labelledby="need-form-title">
      <EnterpriseWorkspaceNav />
      <p>
        <Link to="/enterprise/needs">← {t('needForm.back')}</Link>
      </p>
      <h1 id="need-form-title">{t('needForm.newTitle')}</h1>
      {form.source ? (
        <p className="notice need-source">
          <span data-i18n-data>
            {t('needForm.source', { version: form.source.version, weakness: form.source.weaknessTitle ?? '' })}
          </span>{' '}
          {form.source.href ? <Link to={form.source.href}>{t('needForm.sourceLink')}</Link> : null}
        </p>
      ) : null}
      {form.existing ? (
        <div className="notice notice-warn" role="status">
          <p>
            {t('needForm.existing')}{' '}
            <Link to={`/enterprise/needs/${form.existing.id}`} data-i18n-data>
              {form.existing.title}
            </Link>{' '}
            <StatusBadge kind="needStatus" value={form.existing.status} />
          </p>
          <p>{t('needForm.existingLead')}</p>
        </div>
      ) : (
        <div className="card">
          <NeedForm
            values={submittedNeedValues(actionData, form.values)}
            choices={form.choices}
            failure={failure}
            mode="new"
            weaknessId={form.source?.weaknessId ?? null}
          />
        </div>
      )}
    </section>
  )
}
