import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { CredentialsFields } from '~/components/credentials-fields.js'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import { signUp } from '~/domain/accounts/accounts.server.js'
import { ZRegisterInput } from '~/domain/accounts/schema.js'
import { getViewer } from '~/domain/accounts/viewer.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseForm } from '~/web/input.server.js'
import { clientIp } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.register.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    if (await getViewer(services().db, request)) return redirect('/account')
    return json({})
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }) => {
    const { db } = services()
    const input = parseForm(ZRegisterInput, await request.formData())
    const { setCookie } = await signUp(db, request, input, clientIp(context))
    return redirect('/orgs/new', { headers: { 'Set-Cookie': setCookie } })
  })
}

export default function RegisterPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const errors = failure?.fieldErrors
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="card form-narrow" aria-labelledby="register-title">
      <h1 id="register-title">{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.lead')}</p>
      <Form method="post" noValidate>
        <ErrorSummary failure={failure} />
        <Honeypot />
        <InputField
          id="name"
          name="name"
          label={t('auth.field.name')}
          autoComplete="name"
          required
          maxLength={40}
          error={errors?.name}
        />
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
