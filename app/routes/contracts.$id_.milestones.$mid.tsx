import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { FileInput } from '~/components/file-input.js'
import { FileList } from '~/components/file-list.js'
import {
  getMilestonePage,
  reviewMilestone,
  submitMilestone,
  ZMilestoneIntent,
  ZMilestoneParams,
  ZReviewMilestone,
  ZSubmitMilestone,
} from '~/domain/contracts/milestones.server.js'
import { MILESTONE_LIMITS } from '~/domain/contracts/milestone-limits.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'

/*
 * A milestone of a contract (issue 14 §4): its terms, its submissions with evidence
 * files and each side's decision per round; 提交验收 for the provider (a multipart
 * form, no scripts needed), 通过 / 驳回 (with a reason) for the enterprise and the
 * appointed supervisor. Everyone who reads the contract reads it; anyone else 404.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'milestones.page.title', { seq: data?.page.milestone.seq ?? '', name: data?.page.milestone.name ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id, mid } = parseParams(ZMilestoneParams, args.params)
    return json({ page: await getMilestonePage(db, actor, id, mid) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { id, mid } = parseParams(ZMilestoneParams, args.params)
    const { form, files } = await readUploadForm(args.request, {
      purpose: 'milestone_evidence',
      maxFiles: MILESTONE_LIMITS.filesPerSubmission,
      maxFields: 20,
    })
    const here = `/contracts/${id}/milestones/${mid}`
    return echoingFormFailure(form, async () => {
      const { intent } = parseForm(ZMilestoneIntent, form)
      if (intent === 'submit') {
        const input = parseForm(ZSubmitMilestone, form)
        await submitMilestone(
          db,
          storage,
          actor,
          id,
          mid,
          input,
          files.filter((f) => f.field === 'evidenceFiles'),
        )
        return redirect(here, { headers: { 'Set-Cookie': await setFlash({ key: 'milestones.flash.submitted' }) } })
      }
      const input = parseForm(ZReviewMilestone, form)
      const outcome = await reviewMilestone(db, actor, id, mid, input)
      const key = !outcome.recorded
        ? 'milestones.flash.same'
        : outcome.completed
          ? 'milestones.flash.completed'
          : outcome.status === 'accepted'
            ? 'milestones.flash.accepted'
            : outcome.status === 'rejected'
              ? 'milestones.flash.rejected'
              : 'milestones.flash.waiting'
      return redirect(here, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    })
  })
}

function echoed(actionData: unknown, name: string): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values[name]
  return Array.isArray(v) ? v[0] : v
}

export default function MilestonePage() {
  const { page } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const { contract, milestone: m, may } = page
  const intent = echoed(actionData, 'intent')
  const submitFailure = intent === 'submit' ? failure : undefined
  const reviewFailure = intent === 'review' ? failure : undefined
  const sides = (list: readonly ('enterprise' | 'supervisor')[]) => list.map((s) => t(`milestones.side.${s}`)).join('、')
  return (
    <section aria-labelledby="milestone-title" className="milestone-page">
      <p>
        <Link to={`/contracts/${contract.id}`}>← {t('milestones.page.back')}</Link>
      </p>
      <h1 id="milestone-title" data-i18n-data>
        {t('milestones.page.title', { seq: m.seq, name: m.name })}
      </h1>
      <p className="muted" data-i18n-data>
        {contract.title} ·{' '}
        {t('milestones.page.parties', { enterprise: contract.enterpriseName, provider: contract.providerName })}
      </p>
      <dl className="card section facts">
        <dt>{t('milestones.page.status')}</dt>
        <dd>
          <span className={`badge badge-milestone-${m.status}`}>{t(`milestones.status.${m.status}`)}</span>
          {m.late ? (
            <>
              {' '}
              <span className="badge badge-late">{t('milestones.page.late')}</span>
            </>
          ) : null}
          {m.onTime !== null ? (
            <span className="muted small"> {t(m.onTime ? 'milestones.page.onTime' : 'milestones.page.acceptedLate')}</span>
          ) : null}
        </dd>
        <dt>{t('milestones.page.percent')}</dt>
        <dd>{t('milestones.page.percentValue', { percent: m.percent, amount: m.amountWan })}</dd>
        <dt>{t('milestones.page.due')}</dt>
        <dd>{m.dueDate}</dd>
        {m.acceptedAt ? (
          <>
            <dt>{t('milestones.page.acceptedAt')}</dt>
            <dd>{formatDateTime(m.acceptedAt)}</dd>
          </>
        ) : null}
        <dt>{t('milestones.page.round')}</dt>
        <dd>{m.round > 0 ? t('milestones.page.roundValue', { round: m.round }) : t('milestones.page.noRound')}</dd>
        <dt>{t('milestones.page.reviewers')}</dt>
        <dd>{sides(page.requiredSides)}</dd>
        <dt>{t('milestones.page.supervisor')}</dt>
        <dd data-i18n-data>{contract.supervisorName ?? t('milestones.page.noSupervisor')}</dd>
        <dt>{t('milestones.page.criteria')}</dt>
        <dd data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {m.criteria}
        </dd>
      </dl>

      {contract.status !== 'active' && contract.status !== 'completed' ? (
        <p className="muted">{t('milestones.page.contractClosed')}</p>
      ) : null}
      {page.waitingFor.length > 0 ? (
        <p className="notice">{t('milestones.page.waiting', { sides: sides(page.waitingFor) })}</p>
      ) : null}

      {may.submit ? (
        <Form method="post" encType="multipart/form-data" noValidate className="card section" aria-labelledby="submit-title">
          <h2 id="submit-title">{t(m.status === 'rejected' ? 'milestones.submit.titleAgain' : 'milestones.submit.title')}</h2>
          <p className="muted small">{t('milestones.submit.lead')}</p>
          <ErrorSummary failure={submitFailure} fieldIds={{ evidenceFiles: 'evidence-files' }} />
          <input type="hidden" name="intent" value="submit" />
          <TextareaField
            id="evidence"
            name="evidence"
            label={t('milestones.submit.evidence')}
            hint={t('milestones.submit.evidenceHint')}
            rows={8}
            maxLength={MILESTONE_LIMITS.evidenceMax}
            required
            defaultValue={intent === 'submit' ? (echoed(actionData, 'evidence') ?? '') : ''}
            error={submitFailure?.fieldErrors.evidence}
          />
          <FileInput
            id="evidence-files"
            name="evidenceFiles"
            label={t('milestones.submit.files')}
            hint={t('milestones.submit.filesHint', { max: may.filesLeft })}
            purpose="milestone_evidence"
            multiple
            maxFiles={may.filesLeft}
            error={submitFailure?.fieldErrors.evidenceFiles}
          />
          <p>
            <button type="submit" className="button primary">
              {t('milestones.submit.button')}
            </button>
          </p>
        </Form>
      ) : null}

      {may.review ? (
        <section className="card section" aria-labelledby="review-title">
          <h2 id="review-title">{t('milestones.review.title', { round: m.round })}</h2>
          <p className="muted small">{t('milestones.review.as', { side: t(`milestones.side.${may.review}`) })}</p>
          <ErrorSummary failure={reviewFailure} fieldIds={{ reason: 'reason' }} />
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="review" />
            <input type="hidden" name="round" value={m.round} />
            <input type="hidden" name="decision" value="accepted" />
            <p>
              <button type="submit" className="button primary">
                {t('milestones.review.accept')}
              </button>
            </p>
          </Form>
          <Form method="post" encType="multipart/form-data" noValidate aria-labelledby="reject-title">
            <h3 id="reject-title">{t('milestones.review.rejectTitle')}</h3>
            <input type="hidden" name="intent" value="review" />
            <input type="hidden" name="round" value={m.round} />
            <input type="hidden" name="decision" value="rejected" />
            <TextareaField
              id="reason"
              name="reason"
              label={t('milestones.review.reason')}
              hint={t('milestones.review.reasonHint')}
              rows={4}
              maxLength={MILESTONE_LIMITS.reasonMax}
              required
              defaultValue={intent === 'review' ? (echoed(actionData, 'reason') ?? '') : ''}
              error={reviewFailure?.fieldErrors.reason}
            />
            <p>
              <button type="submit" className="button">
                {t('milestones.review.reject')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="history-title" className="section">
        <h2 id="history-title">{t('milestones.history.title')}</h2>
        {page.submissions.length === 0 ? (
          <div className="empty-state">
            <p>{t('milestones.history.empty')}</p>
            {may.submit ? <p className="muted">{t('milestones.history.emptyProvider')}</p> : null}
          </div>
        ) : (
          <ol className="milestone-history" reversed style={{ listStyle: 'none', padding: 0 }}>
            {page.submissions.map((s) => (
              <li key={s.id} className="card section">
                <h3>{t('milestones.history.round', { round: s.round })}</h3>
                <p className="muted small" data-i18n-data>
                  {t('milestones.history.by', { person: s.submittedBy, time: formatDateTime(s.submittedAt) })}
                </p>
                <p data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {s.evidence}
                </p>
                <FileList files={s.files} empty={t('milestones.history.noFiles')} />
                {s.reviews.length === 0 ? (
                  <p className="muted small">{t('milestones.history.noReview')}</p>
                ) : (
                  <ul>
                    {s.reviews.map((r) => (
                      <li key={r.side}>
                        <strong>
                          {t('milestones.history.review', {
                            side: t(`milestones.side.${r.side}`),
                            decision: t(`milestones.decision.${r.decision}`),
                          })}
                        </strong>{' '}
                        <span className="muted small" data-i18n-data>
                          {t('milestones.history.reviewBy', {
                            org: r.orgName,
                            person: r.decidedBy,
                            time: formatDateTime(r.decidedAt),
                          })}
                        </span>
                        {r.reason ? (
                          <p data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                            {t('milestones.history.reason', { reason: r.reason })}
                          </p>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  )
}
