import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError } from '~/components/form.js'
import { acceptInvite, previewInvite } from '~/domain/orgs/orgs.server.js'
import { ZInviteCode } from '~/domain/orgs/schema.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { AppError } from '~/utils/errors.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '加入组织 · 对接' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = services()
  await requireViewer(db, request)
  const code = ZInviteCode.safeParse(params.code)
  return json({ invite: code.success ? await previewInvite(db, code.data) : null })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const code = ZInviteCode.safeParse(params.code)
    if (!code.success) throw new AppError('NOT_FOUND', '邀请码无效或已过期')
    await acceptInvite(db, viewer, code.data, clientIp(context))
    return redirect('/org')
  })
}

export default function JoinByLinkPage() {
  const { invite } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  return (
    <section className="card form-narrow" aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title')}</h1>
      {invite ? (
        <Form method="post">
          <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />
          <p>
            {t('join.preview')} <strong>{invite.orgName}</strong>（{t(`org.kind.${invite.orgKind}`)}）
          </p>
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
