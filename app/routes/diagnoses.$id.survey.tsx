import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { SURVEY_GRADES, SURVEY_OVERALLS } from '../../db/enums.js'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ErrorSummary, RequiredMark, TextareaField, useFormFailure } from '~/components/form.js'
import { SurveyDocument } from '~/components/survey-document.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { ZSurveyInput, ZSurveyIntent, ZSurveyReview } from '~/domain/diagnosis/survey-schema.js'
import { SURVEY_ITEMS, SURVEY_LIMITS } from '~/domain/diagnosis/survey-views.js'
import { fillSurvey, getSurvey, reviewSurvey } from '~/domain/diagnosis/survey.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/diagnosis-service.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'survey.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    return json(await getSurvey(db, actor, id))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZSurveyIntent, form)
    if (intent === 'review') {
      await reviewSurvey(db, actor, id, parseForm(ZSurveyReview, form))
    } else {
      await fillSurvey(db, actor, id, parseForm(ZSurveyInput, form))
    }
    const flash = await setFlash({ key: intent === 'review' ? 'survey.reviewed' : 'survey.filled' })
    return redirect(`/diagnoses/${id}/survey`, { headers: { 'Set-Cookie': flash } })
  })
}

export default function SurveyPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const message = useMessage()
  const { diagnosis, survey } = data
  const name = (text: string | null) => <span data-i18n-data>{text ?? ''}</span>
  return (
    <section aria-labelledby="survey-title">
      {data.side === 'enterprise' ? <EnterpriseWorkspaceNav /> : null}
      <nav aria-label={t('survey.back')} className="no-print">
        <Link to={`/diagnoses/${diagnosis.id}`}>← {t('survey.back')}</Link>
        {' · '}
        <Link to={`/diagnoses/${diagnosis.id}/records`}>{t('records.nav')}</Link>
      </nav>
      <header className="page-head">
        <h1 id="survey-title">{t('survey.title')}</h1>
        {survey ? (
          <button type="button" className="button-secondary print-button no-print" onClick={() => window.print()}>
            {t('survey.print')}
          </button>
        ) : null}
      </header>

      {survey ? (
        <>
          <SurveyDocument
            enterpriseName={diagnosis.enterpriseName}
            providerName={diagnosis.providerName}
            kind={diagnosis.kind}
            survey={survey}
          />
          <p className="muted no-print">
            {fillTemplate(t('survey.filledBy'), {
              name: name(survey.filledByName),
              at: formatDateTime(survey.filledAt),
              version: String(survey.version ?? ''),
            })}
          </p>
          {survey.agencyAt ? (
            <p className="muted no-print">
              {fillTemplate(t('survey.reviewedBy'), {
                agency: name(survey.agencyName),
                name: name(survey.agencyByName),
                at: formatDateTime(survey.agencyAt),
              })}
            </p>
          ) : null}
        </>
      ) : data.canFill ? (
        <section className="card section" aria-labelledby="fill-title">
          <h2 id="fill-title" className="visually-hidden">
            {t('survey.title')}
          </h2>
          <p>{t('survey.intro', { direction: t(`survey.direction.${diagnosis.kind}`) })}</p>
          <p className="muted">{t('survey.form.lead')}</p>
          <Form method="post" noValidate>
            <ErrorSummary
              failure={failure}
              fieldIds={{
                ...Object.fromEntries(SURVEY_ITEMS.map((item) => [item, `s-${item}-very_good`])),
                overall: 's-overall-satisfied',
                comment: 's-comment',
              }}
            />
            <input type="hidden" name="intent" value="fill" />
            {SURVEY_ITEMS.map((item, i) => {
              const error = failure?.fieldErrors[item]
              return (
                <fieldset key={item} className="survey-choice" aria-describedby={error ? `s-${item}-error` : undefined}>
                  <legend>
                    {t('survey.form.itemLegend', {
                      no: t(`survey.no.${(i + 1) as 1 | 2 | 3 | 4 | 5}`),
                      item: t(`survey.item.${item}`),
                    })}
                    <RequiredMark />
                  </legend>
                  <div className="options">
                    {SURVEY_GRADES.map((g) => (
                      <label key={g} htmlFor={`s-${item}-${g}`}>
                        <input type="radio" id={`s-${item}-${g}`} name={item} value={g} required />
                        {t(`survey.grade.${g}`)}
                      </label>
                    ))}
                  </div>
                  {error ? (
                    <p id={`s-${item}-error`} className="field-error" role="alert">
                      {message(error)}
                    </p>
                  ) : null}
                </fieldset>
              )
            })}
            <fieldset className="survey-choice" aria-describedby={failure?.fieldErrors.overall ? 's-overall-error' : undefined}>
              <legend>
                {t('survey.form.overallLegend')}
                <RequiredMark />
              </legend>
              <div className="options">
                {SURVEY_OVERALLS.map((o) => (
                  <label key={o} htmlFor={`s-overall-${o}`}>
                    <input type="radio" id={`s-overall-${o}`} name="overall" value={o} required />
                    {t(`survey.overall.${o}`)}
                  </label>
                ))}
              </div>
              {failure?.fieldErrors.overall ? (
                <p id="s-overall-error" className="field-error" role="alert">
                  {message(failure.fieldErrors.overall)}
                </p>
              ) : null}
            </fieldset>
            <TextareaField
              id="s-comment"
              name="comment"
              label={t('survey.comment')}
              rows={3}
              maxLength={SURVEY_LIMITS.comment}
              error={failure?.fieldErrors.comment}
            />
            <div className="actions">
              <button type="submit">{t('survey.form.submit')}</button>
            </div>
          </Form>
        </section>
      ) : (
        <p className="notice" data-testid="survey-waiting">
          {data.waitingFor === 'notConfirmed'
            ? t('survey.wait.notConfirmed')
            : data.waitingFor === 'status'
              ? t('survey.wait.status')
              : t('survey.wait.enterprise')}
        </p>
      )}

      {data.canReview ? (
        <section className="card section no-print" aria-labelledby="review-title">
          <h2 id="review-title">{t('survey.review.title')}</h2>
          <p className="muted">{t('survey.review.lead')}</p>
          <Form method="post" noValidate>
            <ErrorSummary failure={failure} fieldIds={{ opinion: 's-opinion' }} />
            <input type="hidden" name="intent" value="review" />
            <TextareaField
              id="s-opinion"
              name="opinion"
              label={t('survey.review.field')}
              required
              rows={4}
              maxLength={SURVEY_LIMITS.opinion}
              error={failure?.fieldErrors.opinion}
            />
            <div className="actions">
              <button type="submit">{t('survey.review.submit')}</button>
            </div>
          </Form>
        </section>
      ) : null}
    </section>
  )
}
