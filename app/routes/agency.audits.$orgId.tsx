import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { FormError, TextareaField } from '~/components/form.js'
import { Fact, OrgFacts, OrgHeader } from '~/components/org-summary.js'
import { approveOrganisation, getApplication, rejectOrganisation } from '~/domain/orgs/onboarding.server.js'
import { ZRejectInput } from '~/domain/orgs/schema.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { AppError } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/utils/forms.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { runAction, runLoader } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '入驻审核 · 对接' }]

function orgIdFrom(params: { orgId?: string }): number {
  const id = Number(params.orgId)
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('NOT_FOUND', '组织不存在')
  return id
}

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }: LoaderFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    return json({ org: await getApplication(db, viewer, orgIdFrom(params)) })
  })
}

const ZDecision = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve') }),
  z.object({ intent: z.literal('reject') }).extend(ZRejectInput.shape),
])

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const orgId = orgIdFrom(params)
    const input = parseForm(ZDecision, await request.formData())
    const ip = clientIp(context)
    const { name } =
      input.intent === 'approve'
        ? await approveOrganisation(db, viewer, orgId, ip)
        : await rejectOrganisation(db, viewer, orgId, input.reason, ip)
    return redirect('/agency/audits', {
      headers: {
        'Set-Cookie': await setFlash({ key: input.intent === 'approve' ? 'audits.approved' : 'audits.rejected', params: { name } }),
      },
    })
  })
}

export default function AuditDetailPage() {
  const { org } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined
  return (
    <>
      <p>
        <Link to="/agency/audits">← {t('audits.back')}</Link>
      </p>
      <OrgHeader org={org} />
      <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />
      <div className="detail-layout">
        <section className="card" aria-labelledby="app-title">
          <h2 id="app-title">{t('audits.detail.title')}</h2>
          <OrgFacts
            org={org}
            extra={
              <>
                <Fact label={t('audits.col.submittedAt')}>{formatDateTime(org.submittedAt ?? '')}</Fact>
                {org.rejectionReason ? <Fact label={t('audits.reason')}>{org.rejectionReason}</Fact> : null}
              </>
            }
          />
        </section>
        {org.status === 'pending' ? (
          <aside className="card" aria-labelledby="decide-title">
            <h2 id="decide-title">{t('audits.review')}</h2>
            <Form method="post" className="section">
              <input type="hidden" name="intent" value="approve" />
              <button type="submit" disabled={busy}>
                {t('audits.approve')}
              </button>
            </Form>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="reject" />
              <TextareaField
                id="reason"
                name="reason"
                label={t('audits.reason')}
                hint={t('audits.reasonHint')}
                maxLength={500}
                required
                error={errors?.reason}
              />
              <button type="submit" className="button-danger" disabled={busy}>
                {t('audits.reject')}
              </button>
            </Form>
          </aside>
        ) : (
          <aside className="card">
            <p>{t('audits.decided')}</p>
          </aside>
        )}
      </div>
    </>
  )
}
