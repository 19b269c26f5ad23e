import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NewPasswordFields } from '~/components/credentials-fields.js'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { ErrorSummary, Honeypot, useFormFailure } from '~/components/form.js'
import { checkResetLink, resetPasswordWithLink } from '~/domain/accounts/recovery.server.js'
import { ZResetLinkQuery, ZResetWithLinkInput } from '~/domain/accounts/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { clientIp } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'reset.title')

// The link's token is in the address: it must not travel on in a Referer.
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'no-referrer' })

/** /reset?token=…: the one-time link an operator issued (npm run admin:reset-link). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const { token } = parseQuery(ZResetLinkQuery, request)
    return json(await checkResetLink(services().db, token), { headers: { 'Referrer-Policy': 'no-referrer' } })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }) => {
    const { db } = services()
    const input = parseForm(ZResetWithLinkInput, await request.formData())
    const { setCookie, deviceCookie } = await resetPasswordWithLink(db, request, input, clientIp(context))
    const headers = new Headers()
    headers.append('Set-Cookie', setCookie)
    headers.append('Set-Cookie', deviceCookie)
    headers.append('Set-Cookie', await setFlash({ key: 'reset.done' }))
    return redirect('/account', { headers })
  })
}

export default function ResetPage() {
  const t = useT()
  const { live } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="card form-narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {!live && !failure ? (
        <>
          <p className="notice notice-warn" role="status">
            {t('accounts.reset.linkInvalid')}
          </p>
          <p>
            <Link to="/forgot">{t('reset.toForgot')}</Link>
          </p>
        </>
      ) : (
        <>
          <p className="muted">{t('reset.lead')}</p>
          <Form method="post" noValidate>
            <ErrorSummary failure={failure} />
            <Honeypot />
            <input type="hidden" name="token" value={searchParams.get('token') ?? ''} />
            <NewPasswordFields errors={failure?.fieldErrors} />
            <button type="submit" disabled={busy}>
              {t('forgot.reset')}
            </button>
          </Form>
        </>
      )}
    </section>
  )
}
