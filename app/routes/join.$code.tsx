import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError, useFormFailure } from '~/components/form.js'
import { acceptInvite, previewInvite } from '~/domain/orgs/invitations.server.js'
import { ZJoinLinkParams } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'join.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    await requireActor(args)
    const { code } = parseParams(ZJoinLinkParams, args.params)
    return json({ invite: await previewInvite(db, code) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { viewer, actor } = await requireActor(args)
    const { code } = parseParams(ZJoinLinkParams, args.params)
    await acceptInvite(db, actor, viewer.session.idHash, { token: code })
    return redirect('/org')
  })
}

export default function JoinByLinkPage() {
  const { invite } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <section className="card form-narrow" aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title')}</h1>
      {invite ? (
        <Form method="post">
          {/* The link has no field to point at: its one message stands alone. */}
          <FormError message={failure ? (failure.fieldErrors.code ?? failure.formError) : null} />
          <p>
            {t('join.preview')} <strong>{invite.orgName}</strong>
            {t('join.previewKind', { kind: t(`org.kind.${invite.orgKind}`) })}
          </p>
          {invite.orgKind === 'agency' ? <p className="muted">{t('join.agencyPending')}</p> : null}
          <button type="submit">{t('join.submit')}</button>
        </Form>
      ) : (
        <>
          <p className="notice notice-warn">{t('join.invalid')}</p>
          <Link to="/join">{t('join.lead')}</Link>
        </>
      )}
    </section>
  )
}
