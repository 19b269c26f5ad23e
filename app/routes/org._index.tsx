import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError, Honeypot } from '~/components/form.js'
import { OrgFacts, OrgHeader } from '~/components/org-summary.js'
import {
  createInvite,
  getOrgDetail,
  listActiveInvites,
  listMembers,
  removeMember,
  revokeInvite,
} from '~/domain/orgs/orgs.server.js'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { AppError } from '~/utils/errors.js'
import { formatDate, formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/utils/forms.server.js'
import { can, requirePermission, requireViewer } from '~/utils/permissions.server.js'
import { runAction, runLoader } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

export const meta: MetaFunction = () => [{ title: '我的组织 · 对接' }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }: LoaderFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    if (!viewer.activeOrg)
      return json({ org: null, members: [], invites: [], isOwner: false, origin: '', viewerId: viewer.user.id })
    const active = await requirePermission(db, viewer, 'read:org:own')
    const ref = await getReferenceData(db)
    const isOwner = can(viewer, 'manage:members:own', ref)
    const [org, members, invites] = await Promise.all([
      getOrgDetail(db, active.orgId),
      listMembers(db, active.orgId),
      isOwner ? listActiveInvites(db, active.orgId) : Promise.resolve([]),
    ])
    if (!org) throw new AppError('NOT_FOUND', '组织不存在')
    return json({ org, members, invites, isOwner, origin: new URL(request.url).origin, viewerId: viewer.user.id })
  })
}

const ZOrgAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('createInvite') }),
  z.object({ intent: z.literal('revokeInvite'), inviteId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal('removeMember'), userId: z.coerce.number().int().positive() }),
])

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const active = await requirePermission(db, viewer, 'manage:members:own')
    const input = parseForm(ZOrgAction, await request.formData())
    const ip = clientIp(context)
    if (input.intent === 'createInvite') await createInvite(db, viewer, active.orgId, ip)
    else if (input.intent === 'revokeInvite') await revokeInvite(db, viewer, active.orgId, input.inviteId, ip)
    else await removeMember(db, viewer, active.orgId, input.userId, ip)
    return json({ ok: true as const })
  })
}

export default function OrgPage() {
  const { org, members, invites, isOwner, origin, viewerId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  if (!org) {
    return (
      <section className="empty-state" aria-labelledby="org-title">
        <h1 id="org-title">{t('org.overview.title')}</h1>
        <p>{t('org.overview.none')}</p>
        <div className="actions" style={{ justifyContent: 'center' }}>
          <Link className="button" to="/orgs/new">
            {t('account.orgs.create')}
          </Link>
          <Link className="button button-secondary" to="/join">
            {t('account.orgs.join')}
          </Link>
        </div>
      </section>
    )
  }
  return (
    <>
      <OrgHeader org={org} />
      {org.status === 'pending' ? <p className="notice notice-warn">{t('org.overview.pending')}</p> : null}
      {org.status === 'verified' ? <p className="notice notice-success">{t('org.overview.verified')}</p> : null}
      {org.status === 'rejected' ? (
        <div className="notice notice-warn" role="alert">
          <p>
            {t('org.overview.rejected')} <strong>{org.rejectionReason}</strong>
          </p>
          {isOwner ? (
            <Link className="button" to="/org/edit">
              {t('org.overview.edit')}
            </Link>
          ) : null}
        </div>
      ) : null}
      {org.status === 'pending' && isOwner && org.kind !== 'agency' ? (
        <p>
          <Link to="/org/edit">{t('org.overview.edit')}</Link>
        </p>
      ) : null}
      <FormError message={actionData && 'formError' in actionData ? actionData.formError : null} />

      <section className="card section" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('org.overview.title')}</h2>
        <OrgFacts org={org} />
      </section>

      <section className="section" aria-labelledby="members-title">
        <h2 id="members-title">{t('org.members')}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('auth.field.name')}</th>
                <th scope="col">{t('org.members.contact')}</th>
                <th scope="col">{t('org.members.role')}</th>
                <th scope="col">{t('org.members.joinedAt')}</th>
                {isOwner ? <th scope="col">{t('audits.col.action')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId}>
                  <td>{m.name}</td>
                  <td>{m.contact}</td>
                  <td>{t(`org.role.${m.role}` as MessageKey)}</td>
                  <td>{formatDate(m.joinedAt)}</td>
                  {isOwner ? (
                    <td>
                      {m.userId === viewerId ? null : (
                        <Form
                          method="post"
                          onSubmit={(e) => {
                            if (!confirm(t('org.members.removeConfirm'))) e.preventDefault()
                          }}
                        >
                          <input type="hidden" name="intent" value="removeMember" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <button
                            type="submit"
                            className="button-small button-secondary"
                            aria-label={`${t('org.members.remove')} ${m.name}`}
                          >
                            {t('org.members.remove')}
                          </button>
                        </Form>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {isOwner ? (
        <section className="section" aria-labelledby="invites-title">
          <h2 id="invites-title">{t('org.invites')}</h2>
          <p className="muted">{t('org.invites.lead')}</p>
          <Form method="post" className="section">
            <Honeypot />
            <input type="hidden" name="intent" value="createInvite" />
            <button type="submit">{t('org.invites.create')}</button>
          </Form>
          {invites.length === 0 ? (
            <p className="muted">{t('org.invites.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('org.invites.code')}</th>
                    <th scope="col">{t('org.invites.link')}</th>
                    <th scope="col">{t('org.invites.expires')}</th>
                    <th scope="col">{t('org.invites.uses')}</th>
                    <th scope="col">{t('audits.col.action')}</th>
                  </tr>
                </thead>
                <tbody>
                  {invites.map((i) => (
                    <tr key={i.id}>
                      <td className="code" data-testid="invite-code">
                        {i.code}
                      </td>
                      <td>
                        <code>{`${origin}/join/${i.code}`}</code>
                      </td>
                      <td>{formatDateTime(i.expiresAt)}</td>
                      <td>{i.uses}</td>
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="revokeInvite" />
                          <input type="hidden" name="inviteId" value={i.id} />
                          <button type="submit" className="button-small button-secondary">
                            {t('org.invites.revoke')}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  )
}
