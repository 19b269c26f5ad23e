import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { Fact, OrgFacts, OrgHeader } from '~/components/org-summary.js'
import { decideApplication, getApplication } from '~/domain/orgs/onboarding.server.js'
import { ZApplicationParams, ZAuditDecision } from '~/domain/orgs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'audits.detail.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { orgId } = parseParams(ZApplicationParams, args.params)
    return json(await getApplication(db, actor, orgId, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { orgId } = parseParams(ZApplicationParams, args.params)
    const form = await args.request.formData()
    const input = parseForm(ZAuditDecision, form)
    // Without scripts the button asks first: the decision is checked, not made, and the confirm step answered.
    const asked = confirmationAsked(form)
    const { name } = await decideApplication(db, actor, orgId, input, { apply: !asked })
    if (asked) return json(asked)
    return redirect('/agency/audits', {
      headers: {
        'Set-Cookie': await setFlash({
          key: input.intent === 'approve' ? 'audits.approved' : 'audits.rejected',
          params: { name },
        }),
      },
    })
  })
}

type Competing = SerializeFrom<typeof loader>['competing'][number]

export default function AuditDetailPage() {
  const { org, competing } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const named = (key: 'audits.confirm.approve' | 'audits.confirm.reject') =>
    fillTemplate(t(key), { name: <span data-i18n-data>{org.name}</span> })
  const approveQuestion = {
    question: named('audits.confirm.approve'),
    consequence: t('audits.confirm.approveConsequence'),
    confirmLabel: t('audits.approve'),
  }
  const rejectQuestion = {
    question: named('audits.confirm.reject'),
    consequence: t('audits.confirm.rejectConsequence'),
    confirmLabel: t('audits.reject'),
    danger: true,
  }
  const competingColumns: Column<Competing>[] = [
    {
      id: 'name',
      header: t('audits.col.name'),
      role: 'primary',
      cell: (c) =>
        c.reviewable ? (
          <Link to={`/agency/audits/${c.id}`}>
            <span className="visually-hidden">{t('audits.review')} </span>
            <span data-i18n-data>{c.name}</span>
          </Link>
        ) : (
          <span data-i18n-data>{c.name}</span>
        ),
    },
    { id: 'kind', header: t('audits.col.kind'), cell: (c) => t(`org.kind.${c.kind}`) },
    {
      id: 'status',
      header: t('audits.col.status'),
      cell: (c) => <span className={`badge badge-${c.status}`}>{t(`org.status.${c.status}`)}</span>,
    },
    { id: 'region', header: t('audits.col.region'), cell: (c) => <span data-i18n-data>{c.regionName}</span> },
    { id: 'contact', header: t('audits.col.contact'), cell: (c) => <span data-i18n-data>{c.contactName || '—'}</span> },
    { id: 'submitted', header: t('audits.col.submittedAt'), cell: (c) => formatDateTime(c.submittedAt ?? '') },
  ]
  return (
    <>
      <p>
        <Link to="/agency/audits">← {t('audits.back')}</Link>
      </p>
      <OrgHeader org={org} />
      {confirming && org.status === 'pending' ? (
        <ConfirmStep request={confirming} {...(confirming.fields.intent === 'reject' ? rejectQuestion : approveQuestion)} />
      ) : null}
      <div className="detail-layout">
        <section className="card" aria-labelledby="app-title">
          <h2 id="app-title">{t('audits.detail.title')}</h2>
          <OrgFacts
            org={org}
            extra={
              <>
                <Fact label={t('audits.col.submittedAt')}>{formatDateTime(org.submittedAt ?? '')}</Fact>
                <Fact label={t('audits.revision')}>{org.revision}</Fact>
                {org.rejectionReason ? (
                  <Fact label={t('audits.reason')} data>
                    {org.rejectionReason}
                  </Fact>
                ) : null}
              </>
            }
          />
        </section>
        {org.status === 'pending' ? (
          <aside className="card" aria-labelledby="decide-title">
            <h2 id="decide-title">{t('audits.review')}</h2>
            {/* One summary for both forms: a refused approval or a rejection without a reason. */}
            <ErrorSummary failure={failure} fieldIds={{ intent: 'approve' }} />
            {/* Both decisions name the revision on screen: a resubmission meanwhile makes them stale (409). */}
            <ConfirmForm className="section" label={t('audits.approve')} buttonId="approve" disabled={busy} {...approveQuestion}>
              <input type="hidden" name="intent" value="approve" />
              <input type="hidden" name="revision" value={org.revision} />
            </ConfirmForm>
            <ConfirmForm
              noValidate
              label={t('audits.reject')}
              buttonClassName="button-danger"
              disabled={busy}
              {...rejectQuestion}
            >
              <input type="hidden" name="intent" value="reject" />
              <input type="hidden" name="revision" value={org.revision} />
              <TextareaField
                id="reason"
                name="reason"
                label={t('audits.reason')}
                hint={t('audits.reasonHint')}
                maxLength={500}
                required
                error={failure?.fieldErrors.reason}
              />
            </ConfirmForm>
          </aside>
        ) : (
          <aside className="card">
            <ErrorSummary failure={failure} />
            <p>{t('audits.decided')}</p>
          </aside>
        )}
      </div>
      {competing.length ? (
        <section className="section" aria-labelledby="competing-title">
          <h2 id="competing-title">{t('audits.competing.title')}</h2>
          <p className="notice notice-warn">{t('audits.competing.lead')}</p>
          <DataTable caption={t('audits.competing.caption')} columns={competingColumns} rows={competing} rowKey={(c) => c.id} />
        </section>
      ) : null}
    </>
  )
}
