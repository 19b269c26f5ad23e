import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { CredentialsFields } from '~/components/credentials-fields.js'
import { FormError, Honeypot, InputField } from '~/components/form.js'
import { registerUser } from '~/domain/accounts/accounts.server.js'
import { ZRegisterInput } from '~/domain/accounts/schema.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { getViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp, startSession } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '注册 · 对接' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getViewer(services().db, request)) throw redirect('/account')
  return json({})
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const input = parseForm(ZRegisterInput, await request.formData())
    const { userId } = await registerUser(db, input, clientIp(context))
    const cookie = await startSession(db, request, context, userId, null)
    return redirect('/orgs/new', { headers: { 'Set-Cookie': cookie } })
  })
}

export default function RegisterPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined
  return (
    <section className="card form-narrow" aria-labelledby="register-title">
      <h1 id="register-title">{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.lead')}</p>
      <Form method="post" noValidate>
        <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />
        <Honeypot />
        <InputField id="name" name="name" label={t('auth.field.name')} autoComplete="name" required maxLength={40} error={errors?.name} />
        <CredentialsFields errors={errors} newPassword />
        <InputField
          id="passwordConfirm"
          name="passwordConfirm"
          type="password"
          label={t('auth.field.passwordConfirm')}
          autoComplete="new-password"
          required
          maxLength={128}
          error={errors?.passwordConfirm}
        />
        <button type="submit" disabled={busy}>
          {t('auth.register.submit')}
        </button>
      </Form>
      <p>
        {t('auth.register.hasAccount')} <Link to="/login">{t('auth.register.toLogin')}</Link>
      </p>
    </section>
  )
}
