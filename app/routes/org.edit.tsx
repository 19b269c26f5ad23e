import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { OrgForm } from '~/components/org-form.js'
import { getOrgForEdit, resubmitOrganisation } from '~/domain/orgs/profile.server.js'
import { ZOrgInput } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'org.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const edit = await getOrgForEdit(db, actor, await getLocale(args.request))
    // Nothing to resubmit (verified, or an agency): the organisation page says why.
    if (!edit) throw redirect('/org')
    return json(edit)
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZOrgInput, await args.request.formData())
    await resubmitOrganisation(db, actor, input)
    return redirect('/org', { headers: { 'Set-Cookie': await setFlash({ key: 'org.edit.done' }) } })
  })
}

export default function EditOrgPage() {
  const { org, regions, industries } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <section aria-labelledby="edit-org-title">
      <p>
        <Link to="/org">← {t('org.overview.title')}</Link>
      </p>
      <h1 id="edit-org-title">{t('org.edit.title')}</h1>
      {org.rejectionReason ? (
        <div className="notice notice-warn">
          {t('org.overview.rejected')} <strong>{org.rejectionReason}</strong>
        </div>
      ) : null}
      <div className="card">
        <OrgForm
          values={{
            kind: org.kind === 'provider' ? 'provider' : 'enterprise',
            name: org.name,
            uscc: org.uscc ?? '',
            industry: org.industryCode ?? '',
            providerKinds: org.providerKinds,
            contactName: org.contactName,
            contactPhone: org.contactPhone,
            description: org.description,
          }}
          kindLocked
          regions={regions}
          industries={industries}
          failure={failure}
          submitLabel={t('org.edit.submit')}
        />
      </div>
    </section>
  )
}
