import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FileList } from '~/components/file-list.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { DISPUTE_FAULT_CHOICES, DISPUTE_LIMITS } from '~/domain/contracts/dispute-limits.js'
import {
  getDispute,
  resolveDispute,
  withdrawDispute,
  ZDisputeIntent,
  ZResolveDispute,
} from '~/domain/contracts/disputes.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * A dispute's page (issue 14 §5): its facts and evidence for whoever reads the
 * contract; 撤回 for the side that opened it while open; the resolution form for the
 * contract's supervisor and the agency owners/reviewers over its region. Anyone else
 * gets 404. Both forms work without scripts.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'disputes.page.title', { subject: data?.dispute.subject ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ dispute: await getDispute(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { intent } = parseForm(ZDisputeIntent, form)
      if (intent === 'withdraw') {
        await withdrawDispute(db, actor, id)
        return redirect(`/disputes/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'disputes.withdrawnDone' }) } })
      }
      const input = parseForm(ZResolveDispute, form)
      const { terminated } = await resolveDispute(db, actor, id, input)
      return redirect(`/disputes/${id}`, {
        headers: { 'Set-Cookie': await setFlash({ key: terminated ? 'disputes.terminatedDone' : 'disputes.resolvedDone' }) },
      })
    })
  })
}

function echoed(actionData: unknown, name: string): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values[name]
  return Array.isArray(v) ? v[0] : v
}

export default function DisputePage() {
  const { dispute: d } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const outcome = echoed(actionData, 'outcome') ?? 'continue'
  const fault = echoed(actionData, 'fault') ?? ''
  return (
    <section aria-labelledby="dispute-title">
      <p>
        <Link to={`/contracts/${d.contract.id}/disputes`}>← {t('disputes.page.back')}</Link>
      </p>
      <h1 id="dispute-title">
        {t('disputes.page.title', { subject: '' })}
        <span data-i18n-data>{d.subject}</span>
      </h1>
      {!d.mayResolve ? <ErrorSummary failure={failure} /> : null}
      <dl className="card section facts">
        <dt>{t('disputes.page.contract')}</dt>
        <dd>
          <Link to={`/contracts/${d.contract.id}`} data-i18n-data>
            {d.contract.title}
          </Link>
        </dd>
        <dt>{t('disputes.page.status')}</dt>
        <dd>
          <span className={`badge badge-dispute-${d.status}`}>{t(`disputes.status.${d.status}`)}</span>
        </dd>
        <dt>{t('disputes.page.openedBy')}</dt>
        <dd data-i18n-data>
          {t('disputes.page.openedByValue', {
            org: d.openedOrgName,
            side: t(`disputes.side.${d.openedSide}`),
            person: d.openedByName,
          })}
        </dd>
        <dt>{t('disputes.page.milestone')}</dt>
        <dd>
          {d.milestoneId !== null && d.milestoneName ? (
            <Link to={`/contracts/${d.contract.id}/milestones/${d.milestoneId}`} data-i18n-data>
              {d.milestoneName}
            </Link>
          ) : (
            t('disputes.list.wholeContract')
          )}
        </dd>
        <dt>{t('disputes.page.created')}</dt>
        <dd>{formatDateTime(d.createdAt)}</dd>
        {d.status === 'withdrawn' ? (
          <>
            <dt>{t('disputes.page.withdrawnAt')}</dt>
            <dd>{formatDateTime(d.updatedAt)}</dd>
          </>
        ) : null}
      </dl>
      <section className="card section" aria-labelledby="description-title">
        <h2 id="description-title">{t('disputes.page.description')}</h2>
        <p data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {d.description}
        </p>
      </section>
      <section className="card section" aria-labelledby="files-title">
        <h2 id="files-title">{t('disputes.page.files')}</h2>
        <FileList files={d.files} empty={t('disputes.page.noFiles')} />
      </section>
      {d.status === 'resolved' ? (
        <section className="card section" aria-labelledby="result-title">
          <h2 id="result-title">{t('disputes.page.result')}</h2>
          <dl className="facts">
            <dt>{t('disputes.page.outcome')}</dt>
            <dd>{d.outcome ? t(`disputes.outcome.${d.outcome}`) : '—'}</dd>
            <dt>{t('disputes.page.fault')}</dt>
            <dd>{d.fault ? t(`disputes.fault.${d.fault}`) : '—'}</dd>
            <dt>{t('disputes.page.resolvedBy')}</dt>
            <dd data-i18n-data>
              {t('disputes.page.resolvedByValue', { org: d.resolvedOrgName ?? '—', person: d.resolvedByName ?? '—' })}
            </dd>
            <dt>{t('disputes.page.resolvedAt')}</dt>
            <dd>{d.resolvedAt ? formatDateTime(d.resolvedAt) : '—'}</dd>
          </dl>
          <h3>{t('disputes.page.resolution')}</h3>
          <p data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {d.resolution}
          </p>
        </section>
      ) : null}

      {d.mayResolve ? (
        <section className="card section" aria-labelledby="resolve-title">
          <h2 id="resolve-title">{t('disputes.resolve.title')}</h2>
          <p className="muted small">{t('disputes.resolve.lead')}</p>
          <Form method="post" noValidate>
            <ErrorSummary failure={failure} fieldIds={{ outcome: 'outcome-continue', fault: 'fault-enterprise' }} />
            <TextareaField
              id="resolution"
              name="resolution"
              label={t('disputes.resolve.resolution')}
              hint={t('disputes.resolve.resolutionHint')}
              rows={6}
              maxLength={DISPUTE_LIMITS.resolutionMax}
              required
              defaultValue={echoed(actionData, 'resolution') ?? ''}
              error={failure?.fieldErrors.resolution}
            />
            <fieldset className="field">
              <legend>{t('disputes.resolve.outcome')}</legend>
              {failure?.fieldErrors.outcome ? (
                <p className="field-error" role="alert">
                  {t('disputes.v.outcome')}
                </p>
              ) : null}
              <label className="choice">
                <input
                  type="radio"
                  id="outcome-continue"
                  name="outcome"
                  value="continue"
                  defaultChecked={outcome !== 'terminate' || !d.mayTerminate}
                />{' '}
                {t('disputes.outcome.continue')} <span className="muted small">{t('disputes.resolve.continueHint')}</span>
              </label>
              {d.mayTerminate ? (
                <label className="choice">
                  <input
                    type="radio"
                    id="outcome-terminate"
                    name="outcome"
                    value="terminate"
                    defaultChecked={outcome === 'terminate'}
                  />{' '}
                  {t('disputes.outcome.terminate')} <span className="muted small">{t('disputes.resolve.terminateHint')}</span>
                </label>
              ) : (
                <p className="muted small">{t('disputes.resolve.terminateUnavailable')}</p>
              )}
            </fieldset>
            <fieldset className="field">
              <legend>{t('disputes.resolve.fault')}</legend>
              {failure?.fieldErrors.fault ? (
                <p className="field-error" role="alert">
                  {t('disputes.v.fault')}
                </p>
              ) : null}
              {DISPUTE_FAULT_CHOICES.map((f) => (
                <label className="choice" key={f}>
                  <input type="radio" id={`fault-${f}`} name="fault" value={f} defaultChecked={fault === f} />{' '}
                  {t(`disputes.fault.${f}`)}
                </label>
              ))}
            </fieldset>
            <p>
              <button type="submit" name="intent" value="resolve" className="button primary">
                {t('disputes.resolve.submit')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}

      {d.mayWithdraw ? (
        <section className="card section" aria-labelledby="withdraw-title">
          <h2 id="withdraw-title">{t('disputes.withdraw.title')}</h2>
          <p className="muted small">{t('disputes.withdraw.lead')}</p>
          <Form method="post">
            <button type="submit" name="intent" value="withdraw" className="button">
              {t('disputes.withdraw.submit')}
            </button>
          </Form>
        </section>
      ) : null}
    </section>
  )
}
