import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, isRouteErrorResponse, Link, useActionData, useNavigation, useRouteError, useSearchParams } from '@remix-run/react'
import { CredentialsFields } from '~/components/credentials-fields.js'
import { ErrorView } from '~/components/error-view.js'
import { ErrorSummary, Honeypot, useFormFailure } from '~/components/form.js'
import { signIn } from '~/domain/accounts/accounts.server.js'
import { ZLoginInput, ZLoginQuery } from '~/domain/accounts/schema.js'
import { getViewer } from '~/domain/accounts/viewer.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { safeRedirectPath } from '~/utils/http.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { clientIp } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.login.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const { redirectTo } = parseQuery(ZLoginQuery, request)
    if (await getViewer(services().db, request)) return redirect(safeRedirectPath(redirectTo, '/org'))
    return json({})
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }) => {
    const { db } = services()
    const input = parseForm(ZLoginInput, await request.formData())
    const { org, setCookie, deviceCookie } = await signIn(db, request, input, clientIp(context))
    const headers = new Headers()
    headers.append('Set-Cookie', setCookie)
    headers.append('Set-Cookie', deviceCookie)
    return redirect(safeRedirectPath(input.redirectTo, org ? '/org' : '/account'), { headers })
  })
}

export default function LoginPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="card form-narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.login.title')}</h1>
      <p className="muted">{t('auth.login.lead')}</p>
      <Form method="post" noValidate>
        <ErrorSummary failure={failure} />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <CredentialsFields errors={failure?.fieldErrors} newPassword={false} />
        <button type="submit" disabled={busy}>
          {t('auth.login.submit')}
        </button>
      </Form>
      <p>
        <Link to="/forgot">{t('auth.login.forgot')}</Link>
      </p>
      <p>
        {t('auth.login.noAccount')} <Link to="/register">{t('auth.login.toRegister')}</Link>
      </p>
    </section>
  )
}

/**
 * Too many attempts (429: this address, or the account's guard): said on the sign-in
 * page itself, with the way back that always works, the reset by code.
 */
export function ErrorBoundary() {
  const error = useRouteError()
  const t = useT()
  const message = useMessage()
  // Anything else: the common error page (rethrowing from a boundary breaks server rendering).
  if (!isRouteErrorResponse(error) || error.status !== 429) return <ErrorView error={error} />
  return (
    <section className="card form-narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.login.title')}</h1>
      <p className="notice notice-warn" role="alert">
        {message(typeof error.data === 'string' ? error.data : 'errors.rateLimited')}
      </p>
      <div className="actions">
        <Link className="button" to="/forgot">
          {t('auth.login.forgot')}
        </Link>
        <Link className="button button-secondary" to="/login">
          {t('auth.login.again')}
        </Link>
      </div>
    </section>
  )
}
