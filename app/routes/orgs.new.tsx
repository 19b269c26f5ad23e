import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { OrgForm } from '~/components/org-form.js'
import { createOrganisation } from '~/domain/orgs/orgs.server.js'
import { ZOrgInput } from '~/domain/orgs/schema.js'
import { getReferenceData, regionPickerData } from '~/domain/reference/reference.server.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '创建组织 · 对接' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = services()
  await requireViewer(db, request)
  const ref = await getReferenceData(db)
  return json({ regions: regionPickerData(ref), industries: ref.industries.map((i) => ({ code: i.code, name: i.name })) })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const input = parseForm(ZOrgInput, await request.formData())
    await createOrganisation(db, viewer, input, clientIp(context))
    return redirect('/org', { headers: { 'Set-Cookie': await setFlash({ key: 'org.created' }) } })
  })
}

export default function NewOrgPage() {
  const { regions, industries } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
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
          errors={actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined}
          formError={actionData && 'formError' in actionData ? actionData.formError : null}
          submitLabel={t('org.new.submit')}
        />
      </div>
    </section>
  )
}
