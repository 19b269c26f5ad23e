import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NewPasswordFields } from '~/components/credentials-fields.js'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { ErrorSummary, InputField, useFormFailure } from '~/components/form.js'
import { changePassword } from '~/domain/accounts/recovery.server.js'
import { ZChangePasswordInput } from '~/domain/accounts/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'password.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    await requireActor(args)
    return json({})
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { viewer, actor } = await requireActor(args)
    const input = parseForm(ZChangePasswordInput, await args.request.formData())
    const { endedSessions } = await changePassword(db, actor, viewer.session, input)
    return redirect('/account', {
      headers: { 'Set-Cookie': await setFlash({ key: 'password.done', params: { count: endedSessions } }) },
    })
  })
}

export default function ChangePasswordPage() {
  const t = useT()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="card form-narrow" aria-labelledby="password-title">
      <h1 id="password-title">{t('password.title')}</h1>
      <p className="muted">{t('password.lead')}</p>
      <Form method="post" noValidate>
        <ErrorSummary failure={failure} />
        <InputField
          id="currentPassword"
          name="currentPassword"
          type="password"
          label={t('password.current')}
          autoComplete="current-password"
          required
          maxLength={128}
          error={failure?.fieldErrors.currentPassword}
        />
        <NewPasswordFields errors={failure?.fieldErrors} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('password.submit')}
          </button>
          <Link className="button button-secondary" to="/account">
            {t('password.cancel')}
          </Link>
        </div>
      </Form>
      <p>
        <Link to="/forgot">{t('auth.login.forgot')}</Link>
      </p>
    </section>
  )
}
