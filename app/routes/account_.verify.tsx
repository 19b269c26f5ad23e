import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, InputField, useFormFailure } from '~/components/form.js'
import { confirmContact, getVerificationOverview, sendVerificationCode } from '~/domain/accounts/recovery.server.js'
import { ZVerifyAction } from '~/domain/accounts/schema.js'
import { mailboxAvailable } from '~/domain/messaging/outbox.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'verify.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { actor } = await requireActor(args)
    return json({ ...(await getVerificationOverview(services().db, actor)), mailbox: mailboxAvailable() })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZVerifyAction, await args.request.formData())
    if (input.intent === 'send') {
      await sendVerificationCode(db, actor, input, await getLocale(args.request))
      return json({ sent: input.contact })
    }
    await confirmContact(db, actor, input)
    return json({ verified: input.contact })
  })
}

export default function VerifyPage() {
  const t = useT()
  const { contacts, allVerified, mailbox } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const sent = actionData && 'sent' in actionData ? actionData.sent : null
  const verified = actionData && 'verified' in actionData ? actionData.verified : null
  return (
    <>
      <h1>{t('verify.title')}</h1>
      <p className="muted">{t('verify.lead')}</p>
      {verified ? (
        <p className="notice notice-success" role="status">
          {t('verify.done')}
        </p>
      ) : null}
      {allVerified ? null : (
        <p className="notice notice-warn" role="status">
          {t('verify.needed')}
        </p>
      )}
      <ErrorSummary failure={failure} />
      {contacts.map((c) => (
        <section key={c.kind} className="card section form-narrow" aria-labelledby={`contact-${c.kind}`}>
          <h2 id={`contact-${c.kind}`}>{t(c.kind === 'phone' ? 'verify.phone' : 'verify.email')}</h2>
          <p>
            <span className="code">{c.value}</span>{' '}
            <span className={`badge ${c.verified ? 'badge-verified' : 'badge-pending'}`}>
              {t(c.verified ? 'verify.verified' : 'verify.unverified')}
            </span>
          </p>
          {c.verified ? null : (
            <>
              <Form method="post">
                <input type="hidden" name="intent" value="send" />
                <input type="hidden" name="contact" value={c.kind} />
                <button type="submit" className="button-secondary" disabled={busy}>
                  {t(sent === c.kind ? 'verify.resend' : 'verify.send')}
                </button>
              </Form>
              {sent === c.kind ? (
                <p className="notice notice-success" role="status">
                  {t('verify.sent')}
                  {mailbox ? (
                    <>
                      {' '}
                      <Link to="/dev/mailbox">{t('mailbox.title')}</Link>
                    </>
                  ) : null}
                </p>
              ) : null}
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="contact" value={c.kind} />
                <InputField
                  id={`code-${c.kind}`}
                  name="code"
                  label={t('forgot.code')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  maxLength={12}
                  error={failure?.fieldErrors.code}
                />
                <button type="submit" disabled={busy}>
                  {t('verify.confirm')}
                </button>
              </Form>
            </>
          )}
        </section>
      ))}
      <p>
        <Link to="/account">{t('verify.back')}</Link>
      </p>
    </>
  )
}
