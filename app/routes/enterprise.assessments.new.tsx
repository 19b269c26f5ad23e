import { randomUUID } from 'node:crypto'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, Honeypot, useFormFailure } from '~/components/form.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { assessmentForm, submitAssessment } from '~/domain/assessment/assessments.server.js'
import { answersFromForm, ZAssessmentKindQuery, ZAssessmentSubmit } from '~/domain/assessment/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * A new self-assessment (自评估): every question a fieldset (legend: number, dimension and
 * question) of radio options; one submission per opened form (the token).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { kind } = parseQuery(ZAssessmentKindQuery, args.request)
    const q = await assessmentForm(db, actor, kind)
    return json({ kind, questionnaire: q, token: randomUUID() })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const input = parseForm(ZAssessmentSubmit, form)
    const { id } = await submitAssessment(db, actor, { ...input, answers: answersFromForm(form) })
    return redirect(`/enterprise/assessments/${id}`, {
      headers: { 'Set-Cookie': await setFlash({ key: 'assessment.submitted' }) },
    })
  })
}

export default function NewAssessmentPage() {
  const { kind, questionnaire: q, token } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state !== 'idle'
  const t = useT()
  const locale = useLocale()
  const text = (x: { zh: string; en: string } | string) => (typeof x === 'string' ? x : locale === 'en' ? x.en : x.zh)
  const dimensionTitle = new Map(q.dimensions.map((d) => [d.id, text(d.title)]))
  const errors = failure?.fieldErrors ?? {}
  return (
    <>
      <EnterpriseWorkspaceNav />
      <p>
        <Link to="/enterprise/assessments">← {t('assessment.new.back')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('assessment.new.title', { kind: t(`assessment.kind.${kind}`) })}</h1>
        <p className="muted">{t('assessment.new.lead')}</p>
      </header>
      <details className="section">
        <summary>{t('assessment.new.source')}</summary>
        <p>{text(q.title)}</p>
        <p className="small">{text(q.source)}</p>
      </details>
      <Form method="post" noValidate className="form-wide">
        <ErrorSummary
          failure={failure}
          fieldLabels={Object.fromEntries(
            q.questions.map((question, i) => [
              `q_${question.id}`,
              t('assessment.new.questionShort', { n: i + 1, title: text(question.title) }),
            ]),
          )}
        />
        <Honeypot />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="token" value={token} />
        <p className="muted small">{t('assessment.new.count', { count: q.questions.length })}</p>
        {q.questions.map((question, i) => {
          const field = `q_${question.id}`
          const error = errors[field]
          return (
            <fieldset
              key={question.id}
              className="field"
              id={field}
              aria-describedby={error ? `${field}-error` : undefined}
              aria-invalid={error ? true : undefined}
            >
              <legend>
                {t('assessment.new.question', {
                  n: i + 1,
                  dimension: dimensionTitle.get(question.dimension) ?? '',
                  title: text(question.title),
                })}
              </legend>
              {error ? (
                <p className="field-error" id={`${field}-error`}>
                  {t(error === 'assessment.v.option' ? 'assessment.v.option' : 'assessment.v.answer')}
                </p>
              ) : null}
              {question.options.map((o) => (
                <label className="choice" key={o.id}>
                  <input type="radio" name={field} value={o.id} required /> {text(o.label)}
                </label>
              ))}
            </fieldset>
          )
        })}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('assessment.new.submit')}
          </button>
        </div>
      </Form>
    </>
  )
}
