import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { CredentialsFields } from '~/components/credentials-fields.js'
import { FormError, Honeypot } from '~/components/form.js'
import { authenticate } from '~/domain/accounts/accounts.server.js'
import { ZLoginInput } from '~/domain/accounts/schema.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { safeRedirectPath } from '~/utils/http.js'
import { getViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp, startSession } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '登录 · 对接' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(services().db, request)
  if (viewer) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'), '/org'))
  return json({})
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const input = parseForm(ZLoginInput, await request.formData())
    const ip = clientIp(context)
    const { userId, org } = await authenticate(db, input, ip)
    const cookie = await startSession(db, request, context, userId, org?.id ?? null)
    return redirect(safeRedirectPath(input.redirectTo, org ? '/org' : '/account'), { headers: { 'Set-Cookie': cookie } })
  })
}

export default function LoginPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined
  return (
    <section className="card form-narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.login.title')}</h1>
      <p className="muted">{t('auth.login.lead')}</p>
      <Form method="post" noValidate>
        <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <CredentialsFields errors={errors} newPassword={false} />
        <button type="submit" disabled={busy}>
          {t('auth.login.submit')}
        </button>
      </Form>
      <p>
        {t('auth.login.noAccount')} <Link to="/register">{t('auth.login.toRegister')}</Link>
      </p>
    </section>
  )
}
