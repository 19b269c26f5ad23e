import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import { acceptInvite } from '~/domain/orgs/invitations.server.js'
import { ZJoinInput } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'join.title')

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
    const { code } = parseForm(ZJoinInput, await args.request.formData())
    await acceptInvite(db, actor, viewer.session.idHash, { code })
    return redirect('/org')
  })
}

export default function JoinPage() {
  const t = useT()
  const failure = useFormFailure(useActionData<typeof action>())
  return (
    <section className="card form-narrow" aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title')}</h1>
      <p className="muted">{t('join.lead')}</p>
      <Form method="post" noValidate>
        <ErrorSummary failure={failure} />
        <Honeypot />
        <InputField
          id="code"
          name="code"
          label={t('join.code')}
          required
          maxLength={20}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          className="code"
          error={failure?.fieldErrors.code}
        />
        <button type="submit">{t('join.submit')}</button>
      </Form>
    </section>
  )
}
