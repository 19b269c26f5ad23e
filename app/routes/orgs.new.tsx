import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { OrgForm } from '~/components/org-form.js'
import { createOrganisation, getOrgFormChoices } from '~/domain/orgs/profile.server.js'
import { ZOrgInput } from '~/domain/orgs/schema.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'org.new.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    await requireActor(args)
    return json(await getOrgFormChoices(db, undefined, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { viewer, actor } = await requireActor(args)
    const input = parseForm(ZOrgInput, await args.request.formData())
    await createOrganisation(db, actor, viewer.session.idHash, input)
    return redirect('/org', { headers: { 'Set-Cookie': await setFlash({ key: 'org.created' }) } })
  })
}

export default function NewOrgPage() {
  const { regions, industries } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <section aria-labelledby="new-org-title">
      <h1 id="new-org-title">{t('org.new.title')}</h1>
      <p className="muted">{t('org.new.lead')}</p>
      <div className="card">
        <OrgForm
          values={null}
          kindLocked={false}
          regions={regions}
          industries={industries}
          failure={failure}
          submitLabel={t('org.new.submit')}
        />
      </div>
    </section>
  )
}
