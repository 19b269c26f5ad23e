import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  declareTie,
  expertPool,
  submitReview,
  ZPoolIntent,
  ZPoolQuery,
  ZReviewInput,
  ZTieInput,
} from '~/domain/pool/pool.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 入库评审 (issue 15 §4), the expert's side: the pool applications an agency asked this
 * person to review — score 0–100, opinion, recommend or not — and a tie to declare
 * (then they stand aside). An expert acts as themself, whatever organisation they act for.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'pool.expert.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZPoolQuery, args.request)
    return json(await expertPool(db, actor, { page }, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const intent = parseForm(ZPoolIntent, form)
    let done: MessageKey
    if (intent.intent === 'review') {
      await submitReview(db, actor, intent.reviewId, parseForm(ZReviewInput, form))
      done = 'pool.review.saved'
    } else if (intent.intent === 'tie') {
      await declareTie(db, actor, intent.reviewId, parseForm(ZTieInput, form).note)
      done = 'pool.tie.done'
    } else {
      return json({ error: 'errors.badRequest' }, { status: 400 })
    }
    return redirect('/expert/pool', { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

export default function ExpertPoolPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('pool.expert.title')}</h1>
        <p className="muted">{t('pool.expert.lead')}</p>
      </header>
      <ErrorSummary failure={failure} />
      {data.tasks.length === 0 ? (
        <div className="empty-state">
          <p>{t('pool.expert.empty')}</p>
        </div>
      ) : (
        <ul className="card-list">
          {data.tasks.map((task) => (
            <li key={task.id} className="card stack">
              <h2>
                <Link to={`/providers/${task.providerOrgId}`}>
                  <span data-i18n-data>{task.providerName}</span>
                </Link>
              </h2>
              <p className="muted">
                <span data-i18n-data>
                  {task.agencyName} · {task.roundTitle}
                </span>{' '}
                · {t(`providerKind.${task.category}`)} · <span data-i18n-data>{task.industryName}</span>
              </p>
              <p data-i18n-data className="prewrap">
                {task.statement}
              </p>
              <p>
                {task.tied
                  ? t('pool.expert.tied')
                  : task.reviewed
                    ? t('pool.expert.reviewed', {
                        score: task.score ?? '—',
                        recommend: t(task.recommend === 1 ? 'pool.review.yes' : 'pool.review.no'),
                      })
                    : t(task.open ? 'pool.expert.toReview' : 'pool.expert.closed')}
              </p>
              {task.open ? (
                <>
                  <Form method="post" className="stack" noValidate>
                    <input type="hidden" name="intent" value="review" />
                    <input type="hidden" name="reviewId" value={task.id} />
                    <InputField
                      id={`score-${task.id}`}
                      name="score"
                      type="number"
                      min={0}
                      max={100}
                      inputMode="numeric"
                      required
                      defaultValue={task.score ?? undefined}
                      label={t('pool.review.score')}
                      hint={t('pool.review.scoreHint')}
                    />
                    <fieldset>
                      <legend>{t('pool.review.recommend')}</legend>
                      <div className="radio">
                        <input
                          type="radio"
                          id={`recommend-yes-${task.id}`}
                          name="recommend"
                          value="yes"
                          defaultChecked={task.recommend === 1}
                        />
                        <label htmlFor={`recommend-yes-${task.id}`}>{t('pool.review.yes')}</label>
                      </div>
                      <div className="radio">
                        <input
                          type="radio"
                          id={`recommend-no-${task.id}`}
                          name="recommend"
                          value="no"
                          defaultChecked={task.recommend === 0}
                        />
                        <label htmlFor={`recommend-no-${task.id}`}>{t('pool.review.no')}</label>
                      </div>
                    </fieldset>
                    <TextareaField
                      id={`opinion-${task.id}`}
                      name="opinion"
                      rows={4}
                      maxLength={2000}
                      required
                      defaultValue={task.opinion}
                      label={t('pool.review.opinion')}
                    />
                    <button type="submit" className="button" disabled={busy}>
                      {t('pool.review.submit')}
                    </button>
                  </Form>
                  <Form method="post" className="stack" noValidate>
                    <input type="hidden" name="intent" value="tie" />
                    <input type="hidden" name="reviewId" value={task.id} />
                    <InputField id={`tie-${task.id}`} name="note" maxLength={500} label={t('pool.tie.note')} />
                    <button type="submit" className="button button-secondary" disabled={busy}>
                      {t('pool.tie.submit')}
                    </button>
                  </Form>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
