import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { expertNeed, scoreProposal, ZExpertNeedParams, ZScoreInput } from '~/domain/events/review.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * An appointed expert scores the proposals (bids) of one listed need (issue 15 §1): every
 * criterion of the event's scoring sheet 0 … its maximum, and a comment, per proposal;
 * saved again replaces the expert's earlier scores until the results are published. An
 * expert excluded from the need (a tie) sees no proposal.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.score.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id, needId } = parseParams(ZExpertNeedParams, args.params)
    return json(await expertNeed(db, actor, id, needId))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id, needId } = parseParams(ZExpertNeedParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      await scoreProposal(db, actor, id, needId, parseForm(ZScoreInput, form))
      return redirect(`/expert/events/${id}/needs/${needId}`, {
        headers: { 'Set-Cookie': await setFlash({ key: 'eventReview.score.saved' }) },
      })
    })
  })
}

function echoedBid(actionData: unknown): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values.bidId
  return Array.isArray(v) ? v[0] : v
}

export default function ExpertScorePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const failedBid = echoedBid(actionData)
  const t = useT()
  return (
    <>
      <p>
        <Link to="/expert">← {t('eventReview.score.back')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('eventReview.score.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {data.need.title} · {data.need.enterprise}
        </p>
      </header>
      <section className="section" aria-labelledby="criteria-title">
        <h2 id="criteria-title">{t('eventReview.review.sheetTitle')}</h2>
        {data.criteria.length === 0 ? (
          <p className="muted">{t('eventReview.review.noSheet')}</p>
        ) : (
          <ul>
            {data.criteria.map((c) => (
              <li key={c.id} data-i18n-data>
                {t('eventReview.score.criterionLine', { name: c.name, weight: c.weight, max: c.maxScore })}
                {c.description ? ` — ${c.description}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
      {data.excluded ? (
        <p className="notice">{t('eventReview.score.excluded', { reason: t(`eventReview.excluded.${data.excluded}`) })}</p>
      ) : data.published ? (
        <p className="notice">{t('eventReview.score.publishedNote')}</p>
      ) : !data.mayScore ? (
        <p className="notice">{t('eventReview.score.closed')}</p>
      ) : null}
      {!data.excluded && data.proposals.length === 0 ? (
        <div className="empty-state">
          <p>{t('eventReview.review.noProposals')}</p>
        </div>
      ) : null}
      {data.proposals.map((p, index) => {
        const mine = failedBid === String(p.bidId) ? failure : undefined
        return (
          <section key={p.bidId} className="card section" aria-labelledby={`bid-${p.bidId}`}>
            <h2 id={`bid-${p.bidId}`}>
              {t('eventReview.score.proposalN', { n: index + 1 })} · <span data-i18n-data>{p.providerName}</span>
            </h2>
            <p className="muted">
              {t('eventReview.wan', { amount: p.priceText })} · {t('eventReview.score.days', { days: p.durationDays })} ·{' '}
              {t(p.scored ? 'eventReview.score.scoredYes' : 'eventReview.score.scoredNo')}
            </p>
            <p data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {p.plan}
            </p>
            {data.mayScore ? (
              <Form method="post" noValidate>
                <ErrorSummary
                  failure={mine}
                  fieldIds={Object.fromEntries(data.criteria.map((c) => [`s${c.id}`, `s${c.id}-b${p.bidId}`]))}
                />
                <input type="hidden" name="bidId" value={p.bidId} />
                {data.criteria.map((c) => (
                  <div className="field" key={c.id}>
                    <label htmlFor={`s${c.id}-b${p.bidId}`}>
                      {t('eventReview.score.scoreLabel', { name: c.name, max: c.maxScore })}
                    </label>
                    <input
                      id={`s${c.id}-b${p.bidId}`}
                      name={`s${c.id}`}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={c.maxScore}
                      step={1}
                      required
                      defaultValue={p.scores[c.id] ?? ''}
                      aria-invalid={mine?.fieldErrors[`s${c.id}`] ? true : undefined}
                    />
                  </div>
                ))}
                <TextareaField
                  id={`comment-b${p.bidId}`}
                  name="comment"
                  label={t('eventReview.score.comment')}
                  rows={3}
                  maxLength={2000}
                  defaultValue={p.comment}
                  error={mine?.fieldErrors.comment}
                />
                <button type="submit" className="button primary">
                  {t('eventReview.score.save', { provider: p.providerName })}
                </button>
              </Form>
            ) : p.scored ? (
              <ul>
                {data.criteria.map((c) => (
                  <li key={c.id} data-i18n-data>
                    {c.name}: {p.scores[c.id] ?? '—'} / {c.maxScore}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        )
      })}
    </>
  )
}
