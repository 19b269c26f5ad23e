import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NewPasswordFields } from '~/components/credentials-fields.js'
import { json, redirect } from '@remix-run/node'
import { useRef } from 'react'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import { requestPasswordReset, resetPasswordWithCode } from '~/domain/accounts/recovery.server.js'
import { ZForgotAction } from '~/domain/accounts/schema.js'
import { mailboxAvailable } from '~/domain/messaging/outbox.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { clientIp } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'forgot.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => json({ mailbox: mailboxAvailable() }))
}

/** Step 1 (`send`): a code to the account's phone or e-mail. Step 2 (`reset`): the code and a new password. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }) => {
    const { db } = services()
    const input = parseForm(ZForgotAction, await request.formData())
    const ip = clientIp(context)
    if (input.intent === 'send') {
      await requestPasswordReset(db, input, { ip, locale: await getLocale(request) })
      return json({ sent: true as const, login: input.login.value })
    }
    const { setCookie, deviceCookie } = await resetPasswordWithCode(db, request, input, ip)
    const headers = new Headers()
    headers.append('Set-Cookie', setCookie)
    headers.append('Set-Cookie', deviceCookie)
    headers.append('Set-Cookie', await setFlash({ key: 'reset.done' }))
    return redirect('/account', { headers })
  })
}

export default function ForgotPage() {
  const t = useT()
  const { mailbox } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const sent = actionData && 'sent' in actionData ? actionData : null
  const step = sent || searchParams.get('step') === 'code' ? 'code' : 'request'
  // The login the code went to stays in the field after a failed attempt (a changed
  // defaultValue would empty an input nobody typed into).
  const knownLogin = useRef('')
  if (sent?.login) knownLogin.current = sent.login
  return (
    <section className="card form-narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      {step === 'request' ? (
        <>
          <p className="muted">{t('forgot.lead')}</p>
          <Form method="post" noValidate>
            <ErrorSummary failure={failure} />
            <Honeypot />
            <input type="hidden" name="intent" value="send" />
            <InputField
              id="login"
              name="login"
              label={t('auth.field.login')}
              autoComplete="username"
              required
              maxLength={120}
              error={failure?.fieldErrors.login}
            />
            <button type="submit" disabled={busy}>
              {t('forgot.send')}
            </button>
          </Form>
          <p>
            <Link to="/forgot?step=code">{t('forgot.haveCode')}</Link>
          </p>
        </>
      ) : (
        <>
          {sent ? (
            <p className="notice notice-success" role="status">
              {t('forgot.sent')}
            </p>
          ) : (
            <p className="muted">{t('forgot.codeLead')}</p>
          )}
          {mailbox ? (
            <p className="notice notice-warn">
              {t('forgot.devMailbox')} <Link to="/dev/mailbox">{t('mailbox.title')}</Link>
            </p>
          ) : null}
          <Form method="post" action="/forgot?step=code" noValidate>
            <ErrorSummary failure={failure} />
            <Honeypot />
            <input type="hidden" name="intent" value="reset" />
            <InputField
              id="login"
              name="login"
              label={t('auth.field.login')}
              autoComplete="username"
              required
              maxLength={120}
              defaultValue={knownLogin.current}
              error={failure?.fieldErrors.login}
            />
            <InputField
              id="code"
              name="code"
              label={t('forgot.code')}
              hint={t('forgot.codeHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={12}
              error={failure?.fieldErrors.code}
            />
            <NewPasswordFields errors={failure?.fieldErrors} />
            <button type="submit" disabled={busy}>
              {t('forgot.reset')}
            </button>
          </Form>
          <p>
            <Link to="/forgot">{t('forgot.again')}</Link>
          </p>
        </>
      )}
    </section>
  )
}
