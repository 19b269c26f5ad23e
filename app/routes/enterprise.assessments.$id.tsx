import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { levelLabelKey } from '~/components/assessment-history.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { getAssessment } from '~/domain/assessment/assessments.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One self-assessment's result: total, level, score per dimension (and the change since
 * the previous one of the kind), what to improve first, and where the result went in
 * 一企一档. Read-only for the enterprise's agencies and its diagnoser.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const view = await getAssessment(db, actor, id)
    const q = view.questionnaire
    return json({
      row: view.row,
      orgId: view.orgId,
      orgName: view.orgName,
      own: view.own,
      previous: view.previous,
      dimensions: q ? q.dimensions.map((d) => ({ id: d.id, title: d.title })) : [],
      passScore: q?.kind === 'maturity' ? (q.passScore ?? null) : null,
      improvements: (view.result?.improvements ?? []).map((imp) => {
        const question = q!.questions.find((x) => x.id === imp.questionId)!
        const option = question.options.find((o) => o.id === view.answers[question.id])
        return { id: question.id, title: question.title, advice: question.advice, answer: option?.label ?? null }
      }),
      unavailable: !q,
    })
  })
}

export default function AssessmentResultPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const text = (x: { zh: string; en: string }) => (locale === 'en' ? x.en : x.zh)
  const { row, previous } = data
  const kind = t(`assessment.kind.${row.kind}`)
  const levelText = t(levelLabelKey(row.kind, row.level, row.reached))
  const dimensionRows = data.dimensions.length
    ? data.dimensions.map((d) => ({ id: d.id, title: text(d.title) }))
    : Object.keys(row.dimensions).map((id) => ({ id, title: id }))
  return (
    <>
      {data.own ? <EnterpriseWorkspaceNav /> : null}
      <p>
        <Link to={data.own ? '/enterprise/assessments' : `/enterprises/${data.orgId}/assessments`}>
          ← {t('assessment.result.history')}
        </Link>
      </p>
      <header className="page-head">
        <h1>{t('assessment.result.title', { kind })}</h1>
        {!data.own ? (
          <p className="notice">
            <span data-i18n-data>{t('assessment.index.readOnly', { name: data.orgName })}</span>
          </p>
        ) : null}
        <p className="muted">{t('assessment.result.date', { date: row.date })}</p>
      </header>
      {data.unavailable ? <p className="notice">{t('assessment.result.unavailable')}</p> : null}
      <section className="card section" aria-labelledby="result-summary">
        <h2 id="result-summary" className="visually-hidden">
          {t('assessment.result.total')}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('assessment.result.total')}</dt>
            <dd>{t('assessment.score', { score: row.score })}</dd>
          </div>
          <div>
            <dt>{t('assessment.result.level')}</dt>
            <dd>{levelText}</dd>
          </div>
        </dl>
        {data.passScore !== null ? (
          <p className="small muted">{t('assessment.result.passNote', { pass: data.passScore })}</p>
        ) : null}
        <p className="notice">
          {row.kind === 'sme_digital'
            ? t('assessment.result.archived')
            : row.reached >= 1
              ? t('assessment.result.archivedMaturity', { level: levelText })
              : t('assessment.result.notArchivedMaturity')}
        </p>
      </section>
      <section className="section" aria-labelledby="result-dimensions">
        <h2 id="result-dimensions">{t('assessment.result.dimensions')}</h2>
        <div className="table-wrap" role="region" aria-label={t('assessment.result.dimensions')} tabIndex={0}>
          <table className="data data-table">
            <caption className="visually-hidden">{t('assessment.result.dimensions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('assessment.result.dimension')}</th>
                <th scope="col">{t('assessment.result.dimScore')}</th>
                <th scope="col">{t('assessment.result.change')}</th>
              </tr>
            </thead>
            <tbody>
              {dimensionRows.map((d) => {
                const now = row.dimensions[d.id] ?? 0
                const before = previous?.dimensions[d.id]
                const diff = before === undefined ? null : Math.round((now - before) * 10) / 10
                return (
                  <tr key={d.id}>
                    <th scope="row" className="cell-primary">
                      {d.title}
                    </th>
                    <td data-label={t('assessment.result.dimScore')}>{t('assessment.score', { score: now })}</td>
                    <td data-label={t('assessment.result.change')}>
                      {diff === null ? t('assessment.result.noPrevious') : diff > 0 ? `+${diff}` : String(diff)}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </section>
      {!data.unavailable ? (
        <section className="section" aria-labelledby="result-improve">
          <h2 id="result-improve">{t('assessment.result.improve')}</h2>
          {data.improvements.length === 0 ? (
            <p className="empty-state">{t('assessment.result.improveNone')}</p>
          ) : (
            <ol>
              {data.improvements.map((imp) => (
                <li key={imp.id}>
                  <strong>{text(imp.title)}</strong>
                  <br />
                  {text(imp.advice)}
                  {imp.answer ? (
                    <>
                      <br />
                      <span className="small muted">{t('assessment.result.answered', { answer: text(imp.answer) })}</span>
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </>
  )
}
