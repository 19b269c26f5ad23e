import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, useFormFailure } from '~/components/form.js'
import { Fact, OrgFacts, OrgHeader } from '~/components/org-summary.js'
import { createInvite, revokeInvite } from '~/domain/orgs/invitations.server.js'
import { removeMember, setMemberRole } from '~/domain/orgs/members.server.js'
import { unreadInvitationsForActor } from '~/domain/matching/invitations.server.js'
import { getOrgOverview } from '~/domain/orgs/profile.server.js'
import { ZOrgPageAction } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate, formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'org.page.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const overview = await getOrgOverview(db, actor, await getLocale(args.request))
    // Invite links are shown whole, for copying: they start with this site's address.
    // The role and contact state choose the next steps the page offers (the server decides each one again).
    return json({
      ...overview,
      role: actor.org?.role ?? null,
      contactVerified: actor.contactVerified,
      origin: new URL(args.request.url).origin,
      // 邀请与推荐 (issue 13): a provider's invitations not opened yet.
      unreadInvitations: await unreadInvitationsForActor(db, actor),
    })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const input = parseForm(ZOrgPageAction, form)
    // Removing a member and revoking an invitation ask first when scripts do not (components/confirm.tsx).
    const asked = input.intent === 'removeMember' || input.intent === 'revokeInvite' ? confirmationAsked(form) : null
    if (asked) return json(asked)
    // A new invitation's link and code are answered this once: only their hashes are kept.
    if (input.intent === 'createInvite') return json({ ok: true as const, created: await createInvite(db, actor) })
    if (input.intent === 'revokeInvite') await revokeInvite(db, actor, input.inviteId)
    else if (input.intent === 'setMemberRole') await setMemberRole(db, actor, input.userId, input.role)
    else await removeMember(db, actor, input.userId)
    return json({ ok: true as const, created: null })
  })
}

type Overview = SerializeFrom<typeof loader>
type Member = Overview['members'][number]
type Invite = Overview['invites'][number]

export default function OrgPage() {
  const {
    org,
    membership,
    members,
    invites,
    canManageMembers,
    canResubmit,
    canEditProfile,
    reviewingAgencies,
    role,
    contactVerified,
    origin,
    unreadInvitations,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const created = actionData && 'created' in actionData ? actionData.created : null
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  if (!org) {
    return (
      <section className="empty-state" aria-labelledby="org-title">
        <h1 id="org-title">{t('org.page.title')}</h1>
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

  const removeQuestion = (m: Pick<Member, 'name'>) => ({
    question: fillTemplate(t('org.members.removeConfirm'), { name: <span data-i18n-data>{m.name}</span> }),
    consequence: t('org.members.removeConsequence'),
    confirmLabel: t('org.members.remove'),
    danger: true,
  })
  const revokeQuestion = (i: Pick<Invite, 'createdAt'>) => ({
    question: t('org.invites.revokeConfirm', { date: formatDateTime(i.createdAt) }),
    consequence: t('org.invites.revokeConsequence'),
    confirmLabel: t('org.invites.revoke'),
    danger: true,
  })
  // Without scripts: the confirm step for the member or invitation the form named.
  const confirmingMember = confirming && members.find((m) => String(m.userId) === confirming.fields.userId)
  const confirmingInvite = confirming && invites.find((i) => String(i.id) === confirming.fields.inviteId)
  const isAgency = org.kind === 'agency'
  const hasPending = members.some((m) => m.status === 'pending')
  const memberColumns: Column<Member>[] = [
    { id: 'name', header: t('org.members.name'), cell: (m) => <span data-i18n-data>{m.name}</span>, role: 'primary' },
    { id: 'contact', header: t('org.members.contact'), cell: (m) => <span data-i18n-data>{m.contact}</span> },
    {
      id: 'role',
      header: t('org.members.role'),
      // Agencies' owners confirm a newcomer with a role, or change a member's role, here.
      cell: (m) =>
        m.roleOptions.length ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="setMemberRole" />
            <input type="hidden" name="userId" value={m.userId} />
            <label htmlFor={`role-${m.userId}`} className="visually-hidden">
              {fillTemplate(t('org.members.roleOf'), { name: <span data-i18n-data>{m.name}</span> })}
            </label>
            <select id={`role-${m.userId}`} name="role" defaultValue={m.status === 'pending' ? 'viewer' : m.role}>
              {m.roleOptions.map((r) => (
                <option key={r} value={r}>
                  {t(`org.role.${r}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="button-small">
              {m.status === 'pending' ? t('org.members.confirm') : t('org.members.setRole')}
            </button>
          </Form>
        ) : (
          t(`org.role.${m.role}`)
        ),
    },
    ...(isAgency || hasPending
      ? [
          {
            id: 'status',
            header: t('org.members.status'),
            cell: (m: Member) => (
              <span className={m.status === 'pending' ? 'badge badge-pending' : 'badge'}>
                {t(`org.memberStatus.${m.status}`)}
              </span>
            ),
          },
        ]
      : []),
    { id: 'joinedAt', header: t('org.members.joinedAt'), cell: (m) => formatDate(m.joinedAt) },
  ]
  if (canManageMembers) {
    memberColumns.push({
      id: 'action',
      header: t('org.members.action'),
      role: 'action',
      cell: (m) =>
        m.removable ? (
          <ConfirmForm
            label={t('org.members.remove')}
            buttonClassName="button-small button-secondary"
            buttonExtra={<span data-i18n-data>{m.name}</span>}
            {...removeQuestion(m)}
          >
            <input type="hidden" name="intent" value="removeMember" />
            <input type="hidden" name="userId" value={m.userId} />
          </ConfirmForm>
        ) : null,
    })
  }
  const inviteColumns: Column<Invite>[] = [
    { id: 'createdAt', header: t('org.invites.createdAt'), role: 'primary', cell: (i) => formatDateTime(i.createdAt) },
    { id: 'createdBy', header: t('org.invites.createdBy'), cell: (i) => <span data-i18n-data>{i.createdBy}</span> },
    { id: 'expires', header: t('org.invites.expires'), cell: (i) => formatDateTime(i.expiresAt) },
    { id: 'uses', header: t('org.invites.uses'), cell: (i) => i.uses },
    {
      id: 'action',
      header: t('org.invites.action'),
      role: 'action',
      cell: (i) => (
        <ConfirmForm
          label={t('org.invites.revoke')}
          buttonClassName="button-small button-secondary"
          buttonAriaLabel={t('org.invites.revokeOne', { date: formatDateTime(i.createdAt) })}
          {...revokeQuestion(i)}
        >
          <input type="hidden" name="intent" value="revokeInvite" />
          <input type="hidden" name="inviteId" value={i.id} />
        </ConfirmForm>
      ),
    },
  ]

  return (
    <>
      <OrgHeader org={org} />
      {confirming && confirmingMember ? <ConfirmStep request={confirming} {...removeQuestion(confirmingMember)} /> : null}
      {confirming && confirmingInvite ? <ConfirmStep request={confirming} {...revokeQuestion(confirmingInvite)} /> : null}
      {org.status === 'pending' ? (
        <div className="notice notice-warn">
          <p>{t('org.overview.pending')}</p>
          {reviewingAgencies.length ? (
            <p>
              {fillTemplate(t('org.overview.reviewedBy'), {
                agencies: <span data-i18n-data>{reviewingAgencies.join(t('list.separator'))}</span>,
              })}
            </p>
          ) : null}
        </div>
      ) : null}
      {org.status === 'verified' ? <p className="notice notice-success">{t('org.overview.verified')}</p> : null}
      {org.status === 'rejected' ? (
        <div className="notice notice-warn" role="alert">
          <p>
            {t('org.overview.rejected')} <strong data-i18n-data>{org.rejectionReason}</strong>
          </p>
          {canResubmit ? (
            <Link className="button" to="/org/edit">
              {t('org.overview.edit')}
            </Link>
          ) : null}
        </div>
      ) : null}
      {org.status === 'pending' && canResubmit ? (
        <p>
          <Link to="/org/edit">{t('org.overview.edit')}</Link>
        </p>
      ) : null}
      {membership === 'pending' ? (
        <p className="notice notice-warn" role="status">
          {t('org.overview.membershipPending')}
        </p>
      ) : null}
      <ErrorSummary failure={failure} />

      <NextSteps
        kind={org.kind}
        status={org.status}
        active={membership === 'active'}
        role={role}
        contactVerified={contactVerified}
        canManageMembers={canManageMembers}
        unreadInvitations={unreadInvitations}
        supervisor={org.kind === 'provider' && org.providerKinds.includes('supervisor')}
      />

      <section className="card section" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('org.overview.title')}</h2>
        <OrgFacts org={org} />
        {/* A verified organisation's owner keeps its contact current; its registration goes back to review. */}
        {canEditProfile ? (
          <p>
            <Link to="/org/edit">{t('org.overview.editProfile')}</Link>
          </p>
        ) : null}
      </section>

      {members.length ? (
        <section className="section" aria-labelledby="members-title">
          <h2 id="members-title">{t('org.members')}</h2>
          {isAgency ? <p className="muted">{t('org.members.roles')}</p> : null}
          {canManageMembers && hasPending ? (
            <p className="notice notice-warn" role="status">
              {t('org.members.pendingLead')}
            </p>
          ) : null}
          <DataTable caption={t('org.members')} columns={memberColumns} rows={members} rowKey={(m) => m.userId} />
        </section>
      ) : null}

      {canManageMembers ? (
        <section className="section" aria-labelledby="invites-title">
          <h2 id="invites-title">{t('org.invites')}</h2>
          <p className="muted">{t('org.invites.lead')}</p>
          {isAgency ? <p className="muted">{t('org.invites.leadAgency')}</p> : null}
          <Form method="post" className="section">
            <Honeypot />
            <input type="hidden" name="intent" value="createInvite" />
            <button type="submit">{t('org.invites.create')}</button>
          </Form>
          {created ? (
            <div className="notice notice-success" role="status">
              <p>{t('org.invites.created')}</p>
              <dl className="facts">
                <Fact label={t('org.invites.link')}>
                  <code data-testid="invite-link" style={{ overflowWrap: 'anywhere' }}>
                    {`${origin}/join/${created.token}`}
                  </code>
                </Fact>
                <Fact label={t('org.invites.code')} className="code">
                  <span data-testid="invite-code">{created.code}</span>
                </Fact>
                <Fact label={t('org.invites.expires')}>{formatDateTime(created.expiresAt)}</Fact>
              </dl>
            </div>
          ) : null}
          <DataTable
            caption={t('org.invites')}
            columns={inviteColumns}
            rows={invites}
            rowKey={(i) => i.id}
            empty={<p className="muted">{t('org.invites.none')}</p>}
          />
        </section>
      ) : null}
    </>
  )
}

/**
 * What each role would do next, as far as the product has pages for it: a provider
 * finds needs, an agency's reviewers review, its members read the log, an owner
 * invites; someone waiting for the audit may browse meanwhile.
 */
function NextSteps({
  kind,
  status,
  active,
  role,
  contactVerified,
  canManageMembers,
  unreadInvitations,
  supervisor,
}: {
  kind: string
  status: string
  active: boolean
  role: string | null
  contactVerified: boolean
  canManageMembers: boolean
  unreadInvitations: number
  /** A provider of kind 'supervisor' (监理机构): its 监理项目. */
  supervisor: boolean
}) {
  const t = useT()
  const links: { to: string; label: string }[] = []
  if (kind === 'agency') {
    if (active && status === 'verified') {
      if (role === 'owner' || role === 'reviewer') {
        links.push(
          contactVerified
            ? { to: '/agency/audits', label: t('org.next.audits') }
            : { to: '/account/verify', label: t('org.next.verifyContacts') },
        )
      }
      links.push({ to: '/agency/audit-log', label: t('org.next.auditLog') })
      // Official contract templates (官方范本): its owners and reviewers publish them.
      if (role === 'owner' || role === 'reviewer') links.push({ to: '/org/templates', label: t('template.next.official') })
      // Issue 12: the enterprises of its jurisdiction, their archives and diagnoses.
      links.push({ to: '/agency/enterprises', label: t('enterprises.next.agencyEnterprises') })
      // Issue 13: the matching weights of its region (owners and reviewers tune them).
      if (role === 'owner' || role === 'reviewer') links.push({ to: '/agency/matching', label: t('matching.next.weights') })
      // Issue 14: 合同监管 — the contracts of its jurisdiction (supervisors, late milestones, disputes).
      links.push({ to: '/agency/contracts', label: t('workspaces.nav.agency') })
    }
  } else if (status === 'verified') {
    links.push({ to: '/needs', label: t(kind === 'provider' ? 'org.next.providerNeeds' : 'org.next.enterpriseNeeds') })
    // The enterprise workspace (issue 12): its needs, diagnosis reports and archive.
    if (kind === 'enterprise' && active) {
      links.push({ to: '/enterprise/needs', label: t('enterprises.next.myNeeds') })
      // 我的项目 (issue 14): bids to decide, contracts to confirm, milestones to accept.
      links.push({ to: '/enterprise/projects', label: t('workspaces.nav.enterprise') })
      links.push({ to: '/diagnoses', label: t('enterprises.next.diagnoses') })
      links.push({ to: '/enterprise/archive', label: t('enterprises.next.archive') })
    }
    if (kind === 'provider' && active) links.push({ to: '/diagnoses', label: t('diagnosis.next.provider') })
    // A verified provider's members keep its capability profile and cases (issue 11).
    if (kind === 'provider' && active) {
      // 推荐需求 (issue 13): the needs that fit its profile, and its saved searches.
      links.push({ to: '/provider/recommended', label: t('recommended.next') })
      links.push({
        to: '/provider/invitations',
        label: unreadInvitations
          ? t('matching.next.invitationsUnread', { count: unreadInvitations })
          : t('matching.next.invitations'),
      })
      // 我的投标 (issue 14): its bids by status, with what to do next.
      links.push({ to: '/provider/bids', label: t('bids.link.mine') })
      // 我的合同 (issue 14); 监理项目 for a 监理机构.
      links.push({ to: '/provider/contracts', label: t('workspaces.nav.provider') })
      if (supervisor) links.push({ to: '/supervisor/projects', label: t('workspaces.nav.supervisor') })
      links.push({ to: '/provider/profile', label: t('providers.next.profile') })
      links.push({ to: '/provider/cases/new', label: t('providers.next.cases') })
    }
    if (kind === 'provider') {
      links.push({ to: '/org/templates', label: t('template.next.own') })
      links.push({ to: '/provider/consortia', label: t('consortium.next') })
    }
  } else if (status === 'pending') {
    links.push({ to: '/needs', label: t('org.next.browseNeeds') })
    // A pending enterprise may fill its archive while it waits for the audit.
    if (kind === 'enterprise' && active) links.push({ to: '/enterprise/archive', label: t('enterprises.next.archive') })
  }
  if (canManageMembers) links.push({ to: '#invites-title', label: t('org.next.invite') })
  if (links.length === 0) return null
  return (
    <nav className="section next-steps" aria-labelledby="next-title">
      <h2 id="next-title">{t('org.next.title')}</h2>
      <ul>
        {links.map((l) => (
          <li key={l.to}>{l.to.startsWith('#') ? <a href={l.to}>{l.label}</a> : <Link to={l.to}>{l.label}</Link>}</li>
        ))}
      </ul>
    </nav>
  )
}
