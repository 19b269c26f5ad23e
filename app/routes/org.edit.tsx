import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { OrgForm } from '~/components/org-form.js'
import { getOrgDetail, resubmitOrganisation } from '~/domain/orgs/orgs.server.js'
import { ZOrgInput } from '~/domain/orgs/schema.js'
import { getReferenceData, regionPickerData } from '~/domain/reference/reference.server.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { AppError } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { requirePermission, requireViewer } from '~/utils/permissions.server.js'
import { runAction, runLoader } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '修改入驻信息 · 对接' }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }: LoaderFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const active = await requirePermission(db, viewer, 'update:org:own')
    const org = await getOrgDetail(db, active.orgId)
    if (!org) throw new AppError('NOT_FOUND', '组织不存在')
    if (org.status === 'verified' || org.kind === 'agency') throw redirect('/org')
    const ref = await getReferenceData(db)
    return json({
      org,
      regions: regionPickerData(ref, org.regionCode),
      industries: ref.industries.map((i) => ({ code: i.code, name: i.name })),
    })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const active = await requirePermission(db, viewer, 'update:org:own')
    const input = parseForm(ZOrgInput, await request.formData())
    await resubmitOrganisation(db, viewer, active.orgId, input, clientIp(context))
    return redirect('/org', { headers: { 'Set-Cookie': await setFlash({ key: 'org.edit.done' }) } })
  })
}

export default function EditOrgPage() {
  const { org, regions, industries } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
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
          errors={actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined}
          formError={actionData && 'formError' in actionData ? actionData.formError : null}
          submitLabel={t('org.edit.submit')}
        />
      </div>
    </section>
  )
}
