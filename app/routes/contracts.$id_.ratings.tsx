import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { SURVEY_GRADES, SURVEY_OVERALLS } from '../../db/enums.js'
import { ErrorSummary, RequiredMark, TextareaField, useFormFailure } from '~/components/form.js'
import { RatingCard } from '~/components/rating-card.js'
import {
  getContractRatings,
  rateContract,
  replyToRating,
  ZRatingInput,
  ZRatingIntent,
  ZReplyInput,
} from '~/domain/contracts/ratings.server.js'
import { RATING_FIELDS, RATING_LIMITS, ratingItemLabels } from '~/domain/contracts/ratings.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/ratings.css'

/*
 * /contracts/:id/ratings (issue 14 §6): the ratings of a completed contract this reader
 * may see (ratings.ts), the form of its side while it has not rated, and the reply the
 * provider may give once. Readers of the contract only (anyone else 404).
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'ratings.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    return json(await getContractRatings(db, actor, id))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZRatingIntent, form)
    if (intent === 'reply') {
      const { ratingId, reply } = parseForm(ZReplyInput, form)
      await replyToRating(db, actor, ratingId, reply)
    } else {
      await rateContract(db, actor, id, parseForm(ZRatingInput, form))
    }
    const flash = await setFlash({ key: intent === 'reply' ? 'ratings.repliedDone' : 'ratings.ratedDone' })
    return redirect(`/contracts/${id}/ratings`, { headers: { 'Set-Cookie': flash } })
  })
}

export default function ContractRatingsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const message = useMessage()
  const { contract, rateAs } = data
  const replyable = data.ratings.filter((r) => r.canReply)
  // Which form the last failure belongs to: the one submitted (with JS), else guessed from its fields.
  const [submitted, setSubmitted] = useState<'rate' | number | null>(null)
  const failedForm: 'rate' | number | null = failure
    ? (submitted ?? ('reply' in failure.fieldErrors || !rateAs ? (replyable[0]?.id ?? null) : rateAs ? 'rate' : null))
    : null
  const ratedName = rateAs === 'provider' ? contract.enterpriseName : contract.providerName

  return (
    <section aria-labelledby="ratings-title">
      <p>
        <Link to={`/contracts/${contract.id}`}>← {t('ratings.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="ratings-title">{t('ratings.title')}</h1>
      </header>
      <p className="muted" data-i18n-data>
        {contract.title}
      </p>

      {rateAs ? (
        <section className="card section" aria-labelledby="rate-title">
          <h2 id="rate-title">{t(`ratings.form.title.${rateAs}`)}</h2>
          <p>
            {t('ratings.form.target')} <strong data-i18n-data>{ratedName}</strong>
          </p>
          <p className="muted">{t(`ratings.form.lead.${rateAs}`)}</p>
          <Form method="post" noValidate onSubmit={() => setSubmitted('rate')}>
            <ErrorSummary
              failure={failedForm === 'rate' ? failure : undefined}
              fieldIds={{
                ...Object.fromEntries(RATING_FIELDS.map((f) => [f, `r-${f}-very_good`])),
                overall: 'r-overall-satisfied',
                comment: 'r-comment',
              }}
            />
            <input type="hidden" name="intent" value="rate" />
            {RATING_FIELDS.map((field, i) => {
              const label = ratingItemLabels(rateAs)[i]!
              const error = failedForm === 'rate' ? failure?.fieldErrors[field] : undefined
              return (
                <fieldset key={field} className="rating-choice" aria-describedby={error ? `r-${field}-error` : undefined}>
                  <legend>
                    {t('ratings.form.itemLegend', {
                      no: i + 1,
                      item: t(label.full),
                    })}
                    <RequiredMark />
                  </legend>
                  <div className="options">
                    {SURVEY_GRADES.map((g) => (
                      <label key={g} htmlFor={`r-${field}-${g}`}>
                        <input type="radio" id={`r-${field}-${g}`} name={field} value={g} required />
                        {t(`survey.grade.${g}`)}
                      </label>
                    ))}
                  </div>
                  {error ? (
                    <p id={`r-${field}-error`} className="field-error" role="alert">
                      {message(error)}
                    </p>
                  ) : null}
                </fieldset>
              )
            })}
            <fieldset
              className="rating-choice"
              aria-describedby={failedForm === 'rate' && failure?.fieldErrors.overall ? 'r-overall-error' : undefined}
            >
              <legend>
                {t('ratings.form.overall')}
                <RequiredMark />
              </legend>
              <div className="options">
                {SURVEY_OVERALLS.map((o) => (
                  <label key={o} htmlFor={`r-overall-${o}`}>
                    <input type="radio" id={`r-overall-${o}`} name="overall" value={o} required />
                    {t(`survey.overall.${o}`)}
                  </label>
                ))}
              </div>
              {failedForm === 'rate' && failure?.fieldErrors.overall ? (
                <p id="r-overall-error" className="field-error" role="alert">
                  {message(failure.fieldErrors.overall)}
                </p>
              ) : null}
            </fieldset>
            <TextareaField
              id="r-comment"
              name="comment"
              label={t('ratings.form.comment')}
              rows={3}
              maxLength={RATING_LIMITS.comment}
              error={failedForm === 'rate' ? failure?.fieldErrors.comment : undefined}
            />
            <div className="actions">
              <button type="submit">{t('ratings.form.submit')}</button>
            </div>
          </Form>
        </section>
      ) : data.waiting === 'notCompleted' ? (
        <p className="notice" data-testid="ratings-waiting">
          {t('ratings.wait.notCompleted')}
        </p>
      ) : null}

      <section className="section" aria-labelledby="list-title">
        <h2 id="list-title">{t('ratings.list.title')}</h2>
        {data.ratings.length === 0 ? (
          <p className="muted" data-testid="ratings-empty">
            {contract.status === 'completed' ? t('ratings.list.emptyCompleted') : t('ratings.list.empty')}
          </p>
        ) : (
          <ul className="rating-list">
            {data.ratings.map((r) => (
              <li key={r.id}>
                <RatingCard rating={r} headingId={`rating-${r.id}`} showParties>
                  {r.canReply ? (
                    <Form method="post" noValidate className="rating-reply-form" onSubmit={() => setSubmitted(r.id)}>
                      <ErrorSummary failure={failedForm === r.id ? failure : undefined} fieldIds={{ reply: `reply-${r.id}` }} />
                      <input type="hidden" name="intent" value="reply" />
                      <input type="hidden" name="ratingId" value={r.id} />
                      <TextareaField
                        id={`reply-${r.id}`}
                        name="reply"
                        label={t('ratings.reply.field')}
                        hint={t('ratings.reply.hint')}
                        required
                        rows={3}
                        maxLength={RATING_LIMITS.reply}
                        error={failedForm === r.id ? failure?.fieldErrors.reply : undefined}
                      />
                      <div className="actions">
                        <button type="submit">{t('ratings.reply.submit')}</button>
                      </div>
                    </Form>
                  ) : null}
                </RatingCard>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  )
}
