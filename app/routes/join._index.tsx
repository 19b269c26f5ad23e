import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { FormError, Honeypot, InputField } from '~/components/form.js'
import { acceptInvite } from '~/domain/orgs/orgs.server.js'
import { ZInviteCode } from '~/domain/orgs/schema.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '加入组织 · 对接' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(services().db, request)
  return json({})
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const { code } = parseForm(z.object({ code: ZInviteCode }), await request.formData())
    await acceptInvite(db, viewer, code, clientIp(context))
    return redirect('/org')
  })
}

export default function JoinPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card form-narrow" aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title')}</h1>
      <p className="muted">{t('join.lead')}</p>
      <Form method="post" noValidate>
        <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />
        <Honeypot />
        <InputField
          id="code"
          name="code"
          label={t('join.code')}
          required
          maxLength={8}
          autoCapitalize="characters"
          className="code"
          error={actionData && 'fieldErrors' in actionData ? actionData.fieldErrors.code : undefined}
        />
        <button type="submit">{t('join.submit')}</button>
      </Form>
    </section>
  )
}
