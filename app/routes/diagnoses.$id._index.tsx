import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ProgressLines, ReportBody } from '~/components/diagnosis-report.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { cancelDiagnosis, getProjectPage, respondToProposal, ZProjectIntent } from '~/domain/diagnosis/projects.server.js'
import { amendReport, confirmReport, returnReport } from '~/domain/diagnosis/reports.server.js'
import type { VersionSummary } from '~/domain/diagnosis/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import diagnosisStyles from '~/styles/diagnosis.css'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: diagnosisStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageTitle(matches, 'diagnosis.page.titleOf', { enterprise: data.project.enterprise.name })
    : pageTitle(matches, 'diagnosis.page.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ project: await getProjectPage(db, actor, id, await getLocale(args.request)) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const input = parseForm(ZProjectIntent, form)
    const back = async (flash: Parameters<typeof setFlash>[0], to = `/diagnoses/${id}`) =>
      redirect(to, { headers: { 'Set-Cookie': await setFlash(flash) } })
    switch (input.intent) {
      case 'accept':
        await respondToProposal(db, actor, id, 'accept')
        return back({ key: 'diagnosis.page.accepted' })
      case 'decline':
        await respondToProposal(db, actor, id, 'decline', input.reason)
        return back({ key: 'diagnosis.page.declined' })
      case 'cancel': {
        const asked = confirmationAsked(form)
        if (asked) return json(asked)
        await cancelDiagnosis(db, actor, id, input.reason)
        return back({ key: 'diagnosis.page.cancelled' })
      }
      case 'confirm':
        await confirmReport(db, actor, id, input.version, input.revision)
        return back({ key: 'diagnosis.page.confirmed' })
      case 'return':
        await returnReport(db, actor, id, input.version, input.revision, input.reason)
        return back({ key: 'diagnosis.page.returnedDone' })
      case 'amend': {
        const { version } = await amendReport(db, actor, id)
        return back({ key: 'diagnosis.page.amended', params: { version } }, `/diagnoses/${id}/report`)
      }
    }
  })
}

export default function DiagnosisProjectPage() {
  const { project } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const current = project.current
  const cancelQuestion = {
    question: t('diagnosis.page.cancelConfirm'),
    consequence: t('diagnosis.page.cancelConsequence'),
    confirmLabel: t('diagnosis.page.cancel'),
    danger: true,
  }
  const versionColumns: Column<VersionSummary>[] = [
    {
      id: 'version',
      header: t('diagnosis.page.col.version'),
      role: 'primary',
      cell: (v) => (
        <Link to={`/diagnoses/${project.id}/versions/${v.version}`}>{t('diagnosis.list.version', { version: v.version })}</Link>
      ),
    },
    {
      id: 'status',
      header: t('diagnosis.page.col.status'),
      cell: (v) => <span className={`badge badge-${v.status}`}>{t(`diagnosis.report.${v.status}`)}</span>,
    },
    {
      id: 'submitted',
      header: t('diagnosis.page.col.submitted'),
      cell: (v) => (v.submittedAt ? formatDateTime(v.submittedAt) : '—'),
    },
    {
      id: 'confirmed',
      header: t('diagnosis.page.col.confirmed'),
      cell: (v) => (v.confirmedAt ? formatDateTime(v.confirmedAt) : '—'),
    },
  ]
  const a = project.actions
  return (
    <section aria-labelledby="project-title">
      {project.side === 'enterprise' ? <EnterpriseWorkspaceNav /> : null}
      <p>
        <Link to="/diagnoses">← {t('diagnosis.page.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="project-title">
          <span data-i18n-data>{project.enterprise.name}</span> · {t('diagnosis.page.title')}
        </h1>
        <div className="badges">
          <span className={`badge badge-${project.status}`}>{t(`diagnosis.status.${project.status}`)}</span>
        </div>
      </header>
      {confirming ? <ConfirmStep request={confirming} {...cancelQuestion} /> : null}
      <ErrorSummary failure={failure} fieldIds={{ reason: 'return-reason' }} />

      <section className="card section" aria-labelledby="parties-title">
        <h2 id="parties-title">{t('diagnosis.page.parties')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('diagnosis.page.enterprise')}</dt>
            <dd>
              <span data-i18n-data>{project.enterprise.name}</span>
              {project.engaged ? (
                <>
                  {' '}
                  <Link to={`/enterprises/${project.enterprise.orgId}`}>{t('diagnosis.page.archive')}</Link>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{t('diagnosis.page.provider')}</dt>
            <dd>
              <Link to={`/providers/${project.provider.orgId}`} data-i18n-data>
                {project.provider.name}
              </Link>
            </dd>
          </div>
          {project.assignedByName ? (
            <div>
              <dt>{t('diagnosis.page.assignedBy')}</dt>
              <dd data-i18n-data>{project.assignedByName}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('diagnosis.page.kind')}</dt>
            <dd>{t(`diagnosis.kind.${project.kind}`)}</dd>
          </div>
          <div>
            <dt>{t('diagnosis.page.origin')}</dt>
            <dd>{t(`diagnosis.origin.${project.origin}`)}</dd>
          </div>
          <div>
            <dt>{t('diagnosis.page.created')}</dt>
            <dd>{formatDateTime(project.createdAt)}</dd>
          </div>
          {project.completedAt ? (
            <div>
              <dt>{t('diagnosis.page.completed')}</dt>
              <dd>{formatDateTime(project.completedAt)}</dd>
            </div>
          ) : null}
          {project.note ? (
            <div>
              <dt>{t('diagnosis.page.note')}</dt>
              <dd className="report-text" data-i18n-data>
                {project.note}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      {project.status === 'proposed' ? (
        <p className="notice">
          {project.side === 'enterprise'
            ? t('diagnosis.page.proposedLead', { provider: project.provider.name })
            : t('diagnosis.page.proposedProvider')}
        </p>
      ) : null}

      {a.accept || a.decline || a.cancel || a.edit || a.amend ? (
        <section className="card section" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('diagnosis.page.actions')}</h2>
          <div className="actions">
            {a.accept ? (
              <Form method="post">
                <input type="hidden" name="intent" value="accept" />
                <button type="submit">{t('diagnosis.page.accept')}</button>
              </Form>
            ) : null}
            {a.edit ? (
              <Link to={`/diagnoses/${project.id}/report`} className="button">
                {t('diagnosis.page.edit')}
              </Link>
            ) : null}
            {a.amend ? (
              <Form method="post">
                <input type="hidden" name="intent" value="amend" />
                <button type="submit">{t('diagnosis.page.amend')}</button>
              </Form>
            ) : null}
          </div>
          {a.decline ? (
            <Form method="post" className="section">
              <input type="hidden" name="intent" value="decline" />
              <TextareaField
                id="decline-reason"
                name="reason"
                label={t('diagnosis.page.declineReason')}
                rows={2}
                maxLength={500}
              />
              <button type="submit" className="button-secondary">
                {t('diagnosis.page.decline')}
              </button>
            </Form>
          ) : null}
          {a.cancel ? (
            <ConfirmForm
              className="section"
              label={t('diagnosis.page.cancel')}
              buttonClassName="button-danger"
              {...cancelQuestion}
            >
              <input type="hidden" name="intent" value="cancel" />
              <TextareaField id="cancel-reason" name="reason" label={t('diagnosis.page.cancelReason')} rows={2} maxLength={500} />
            </ConfirmForm>
          ) : null}
        </section>
      ) : null}

      {project.engaged ? (
        <section className="card section" aria-labelledby="service-title">
          <h2 id="service-title">{t('diagnosis.page.service')}</h2>
          <ProgressLines progress={project.progress} />
          <p className="actions">
            <Link to={`/diagnoses/${project.id}/records`}>{t('diagnosis.page.records')}</Link>
            <Link to={`/diagnoses/${project.id}/survey`}>{t('diagnosis.page.survey')}</Link>
          </p>
        </section>
      ) : null}

      {project.engaged ? (
        <section className="section" aria-labelledby="report-title">
          <h2 id="report-title">
            {t('diagnosis.page.report')}
            {current ? (
              <>
                {' '}
                · {t('diagnosis.list.version', { version: current.version })}{' '}
                <span className={`badge badge-${current.status}`}>{t(`diagnosis.report.${current.status}`)}</span>
              </>
            ) : null}
          </h2>
          {project.draftInProgress ? <p className="notice">{t('diagnosis.page.draftInProgress')}</p> : null}
          {current && current.status === 'draft' && current.returnReason ? (
            <p className="notice notice-warn">{t('diagnosis.page.returned', { reason: current.returnReason })}</p>
          ) : null}
          {a.confirm && current ? (
            <div className="card section" aria-labelledby="confirm-title">
              <h3 id="confirm-title">{t('diagnosis.page.confirmTitle')}</h3>
              <p>{t('diagnosis.page.confirmLead', { version: current.version })}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="version" value={current.version} />
                <input type="hidden" name="revision" value={current.revision} />
                <button type="submit">{t('diagnosis.page.confirm')}</button>
              </Form>
              <Form method="post" className="section">
                <input type="hidden" name="intent" value="return" />
                <input type="hidden" name="version" value={current.version} />
                <input type="hidden" name="revision" value={current.revision} />
                <TextareaField
                  id="return-reason"
                  name="reason"
                  label={t('diagnosis.page.returnReason')}
                  rows={3}
                  maxLength={1000}
                  required
                  error={failure?.fieldErrors.reason}
                />
                <button type="submit" className="button-secondary">
                  {t('diagnosis.page.return')}
                </button>
              </Form>
            </div>
          ) : null}
          {current ? (
            <div className="card">
              <ReportBody
                version={current}
                headingLevel={3}
                weaknessAction={
                  a.toNeed
                    ? (w) => (
                        <Link to={`/enterprise/needs/new?weakness=${w.id}`}>
                          {t('diagnosis.page.toNeed')}
                          <span className="visually-hidden" data-i18n-data>
                            {' '}
                            {w.title}
                          </span>
                        </Link>
                      )
                    : undefined
                }
              />
              <p className="no-print">
                <Link to={`/diagnoses/${project.id}/versions/${current.version}`}>{t('diagnosis.page.print')}</Link>
              </p>
            </div>
          ) : (
            <p className="empty-state">{t('diagnosis.page.noReport')}</p>
          )}
        </section>
      ) : null}

      {project.versions.length > 0 ? (
        <section className="section" aria-labelledby="versions-title">
          <h2 id="versions-title">{t('diagnosis.page.versions')}</h2>
          <DataTable
            caption={t('diagnosis.page.versionsCaption')}
            columns={versionColumns}
            rows={project.versions}
            rowKey={(v) => v.version}
          />
        </section>
      ) : null}
    </section>
  )
}
