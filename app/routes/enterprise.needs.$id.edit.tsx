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

export async function action(args: ActionFunctionArgs) {
  const sent = await args.request
    .clone()
    .formData()
    .catch(() => null)
  const result = await runAction(args, async () => {
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
  return withSubmittedValues(result, sent)
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

/**
 * A failed save answers with the fields as they were sent, so the form shows them again
 * even without scripts (with scripts the browser keeps them anyway).
 */
async function withSubmittedValues<R>(result: R, form: FormData | null): Promise<R> {
  if (!form || !(result instanceof Response) || result.status < 400 || result.status >= 500) return result
  const failure: unknown = await result
    .clone()
    .json()
    .catch(() => null)
  if (!failure || typeof failure !== 'object' || !('fieldErrors' in failure)) return result
  const values: Record<string, string | string[]> = {}
  for (const [key, value] of form) {
    if (typeof value !== 'string' || key === 'website' || key === 'revision' || key === 'weakness') continue
    const previous = values[key]
    values[key] =
      previous === undefined
        ? key.endsWith('[]')
          ? [value]
          : value
        : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return json({ ...failure, values }, { status: result.status, headers: result.headers }) as R
}
