import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, SelectField, useFormFailure } from '~/components/form.js'
import {
  appointExpert,
  publishReviewResults,
  removeAppointedExpert,
  reviewBoard,
  setReviewSheet,
  ZExpertChoice,
  ZReviewIntent,
  ZReviewSheetInput,
  type RankedProposal,
} from '~/domain/events/review.server.js'
import { MAX_CRITERIA } from '~/domain/events/review-score.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 方案评选 (issue 15 §1), the organiser's screen: the scoring sheet (criteria, weights
 * summing to 100, a maximum score each) and the experts appointed from the 专家库 while
 * the review is being prepared; then the progress per need (sheets in / expected, experts
 * excluded for a tie) and the ranked results with each criterion's aggregated points;
 * publishing them closes scoring and shows each bidder its scores.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.review.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await reviewBoard(db, actor, id))
  })
}

const FLASH: Record<string, MessageKey> = {
  sheet: 'eventReview.review.sheetSaved',
  appoint: 'eventReview.review.appointed',
  remove: 'eventReview.review.removed',
  publish: 'eventReview.review.publishedFlash',
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZReviewIntent, form)
    if (intent === 'sheet') await setReviewSheet(db, actor, id, parseForm(ZReviewSheetInput, form))
    else if (intent === 'appoint') await appointExpert(db, actor, id, parseForm(ZExpertChoice, form).expertId)
    else if (intent === 'remove') await removeAppointedExpert(db, actor, id, parseForm(ZExpertChoice, form).expertId)
    else await publishReviewResults(db, actor, id)
    return redirect(`/agency/events/${id}/review`, { headers: { 'Set-Cookie': await setFlash({ key: FLASH[intent]! }) } })
  })
}

export default function AgencyEventReviewPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const weightSum = data.criteria.reduce((n, c) => n + c.weight, 0)
  const blankRows = Math.max(0, Math.min(3, MAX_CRITERIA - data.criteria.length))
  const rows = [
    ...data.criteria.map((c) => ({
      key: `c${c.id}`,
      name: c.name,
      weight: String(c.weight),
      maxScore: String(c.maxScore),
      description: c.description,
    })),
    ...Array.from({ length: data.criteria.length === 0 ? Math.max(blankRows, 3) : blankRows }, (_, i) => ({
      key: `blank${i}`,
      name: '',
      weight: '',
      maxScore: '10',
      description: '',
    })),
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to={`/agency/events/${data.event.id}`}>← {t('eventReview.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('eventReview.review.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {t(`events.stage.${data.event.stage}`)}
        </p>
        <p className="muted">{t('eventReview.review.lead')}</p>
      </header>
      <ErrorSummary
        failure={failure}
        fieldIds={{ name: 'crit-name-0', weight: 'crit-weight-0', maxScore: 'crit-max-0', expertId: 'expertId' }}
      />

      {data.publishedAt ? (
        <p className="notice">{t('eventReview.review.published', { at: data.publishedAt.slice(0, 10) })}</p>
      ) : data.mayPublish ? (
        <Form method="post" className="card section">
          <input type="hidden" name="intent" value="publish" />
          <p>{t('eventReview.review.publishLead')}</p>
          <button type="submit" className="button primary">
            {t('eventReview.review.publish')}
          </button>
        </Form>
      ) : null}

      <section className="section" aria-labelledby="sheet-title">
        <h2 id="sheet-title">{t('eventReview.review.sheetTitle')}</h2>
        {data.mayPrepare ? (
          <Form method="post" noValidate className="card">
            <input type="hidden" name="intent" value="sheet" />
            <p className="muted">{t('eventReview.review.sheetHint', { max: MAX_CRITERIA })}</p>
            <table className="sheet-form">
              <caption className="visually-hidden">{t('eventReview.review.sheetTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('eventReview.review.criterion')}</th>
                  <th scope="col">{t('eventReview.review.weight')}</th>
                  <th scope="col">{t('eventReview.review.maxScore')}</th>
                  <th scope="col">{t('eventReview.review.description')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={r.key}>
                    <td>
                      <input
                        id={`crit-name-${i}`}
                        name="name[]"
                        defaultValue={r.name}
                        maxLength={60}
                        aria-label={t('eventReview.review.criterionN', { n: i + 1 })}
                        aria-invalid={failure?.fieldErrors.name ? true : undefined}
                      />
                    </td>
                    <td>
                      <input
                        id={`crit-weight-${i}`}
                        name="weight[]"
                        defaultValue={r.weight}
                        inputMode="numeric"
                        size={4}
                        aria-label={t('eventReview.review.weightN', { n: i + 1 })}
                        aria-invalid={failure?.fieldErrors.weight ? true : undefined}
                      />
                    </td>
                    <td>
                      <input
                        id={`crit-max-${i}`}
                        name="maxScore[]"
                        defaultValue={r.maxScore}
                        inputMode="numeric"
                        size={4}
                        aria-label={t('eventReview.review.maxScoreN', { n: i + 1 })}
                        aria-invalid={failure?.fieldErrors.maxScore ? true : undefined}
                      />
                    </td>
                    <td>
                      <input
                        name="description[]"
                        defaultValue={r.description}
                        maxLength={300}
                        aria-label={t('eventReview.review.descriptionN', { n: i + 1 })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <button type="submit" className="button primary">
                {t('eventReview.review.saveSheet')}
              </button>
            </p>
          </Form>
        ) : data.criteria.length === 0 ? (
          <div className="empty-state">
            <p>{t('eventReview.review.noSheet')}</p>
          </div>
        ) : null}
        {data.criteria.length > 0 ? (
          <DataTable
            caption={t('eventReview.review.sheetCaption', { sum: weightSum })}
            rows={data.criteria}
            rowKey={(c) => c.id}
            empty={null}
            columns={[
              {
                id: 'name',
                header: t('eventReview.review.criterion'),
                role: 'primary',
                cell: (c) => <span data-i18n-data>{c.name}</span>,
              },
              { id: 'weight', header: t('eventReview.review.weight'), cell: (c) => `${c.weight}%` },
              { id: 'max', header: t('eventReview.review.maxScore'), cell: (c) => c.maxScore },
              {
                id: 'desc',
                header: t('eventReview.review.description'),
                cell: (c) => <span data-i18n-data>{c.description || '—'}</span>,
              },
            ]}
          />
        ) : null}
      </section>

      <section className="section" aria-labelledby="experts-title">
        <h2 id="experts-title">{t('eventReview.review.expertsTitle', { count: data.experts.length })}</h2>
        <DataTable
          caption={t('eventReview.review.expertsCaption')}
          rows={data.experts}
          rowKey={(e) => e.expertId}
          empty={
            <div className="empty-state">
              <p>{t('eventReview.review.noExperts')}</p>
              {data.mayPrepare ? <p className="muted">{t('eventReview.review.noExpertsNext')}</p> : null}
            </div>
          }
          columns={[
            {
              id: 'name',
              header: t('eventReview.experts.name'),
              role: 'primary',
              cell: (e) => (
                <span data-i18n-data>
                  {e.name}
                  {e.title ? ` · ${e.title}` : ''}
                </span>
              ),
            },
            {
              id: 'employer',
              header: t('eventReview.experts.employer'),
              cell: (e) => <span data-i18n-data>{e.employer || '—'}</span>,
            },
            {
              id: 'action',
              header: t('eventReview.visits.action'),
              role: 'action',
              cell: (e) =>
                data.mayPrepare ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="expertId" value={e.expertId} />
                    <button type="submit" className="button button-small button-secondary">
                      {t('eventReview.review.removeExpert', { name: e.name })}
                    </button>
                  </Form>
                ) : (
                  '—'
                ),
            },
          ]}
        />
        {data.mayPrepare ? (
          data.library.length > 0 ? (
            <Form method="post" noValidate className="card section">
              <input type="hidden" name="intent" value="appoint" />
              <SelectField
                id="expertId"
                name="expertId"
                label={t('eventReview.review.appointLabel')}
                error={failure?.fieldErrors.expertId}
              >
                {data.library.map((e) => (
                  <option key={e.expertId} value={e.expertId}>
                    {e.name}
                    {e.title ? ` · ${e.title}` : ''}
                    {e.employer ? ` · ${e.employer}` : ''}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="button">
                {t('eventReview.review.appoint')}
              </button>
            </Form>
          ) : (
            <p className="muted">
              {t('eventReview.review.libraryEmpty')} <Link to="/agency/experts">{t('eventReview.review.toLibrary')}</Link>
            </p>
          )
        ) : null}
      </section>

      <section className="section" aria-labelledby="results-title">
        <h2 id="results-title">{t('eventReview.review.resultsTitle')}</h2>
        {data.needs.length === 0 ? (
          <div className="empty-state">
            <p>{t('eventReview.visits.noNeeds')}</p>
          </div>
        ) : (
          data.needs.map((need) => (
            <section key={need.needId} className="section" aria-labelledby={`rneed-${need.needId}`}>
              <h3 id={`rneed-${need.needId}`} data-i18n-data>
                {need.title} · {need.enterprise}
              </h3>
              <p className="muted">
                {t('eventReview.review.progress', {
                  done: need.sheetsDone,
                  expected: need.sheetsExpected,
                  experts: need.experts,
                  proposals: need.proposals,
                })}
                {need.excludedExperts > 0 ? ` ${t('eventReview.review.excludedCount', { count: need.excludedExperts })}` : ''}
              </p>
              <DataTable<RankedProposal>
                caption={t('eventReview.review.resultsCaption', { need: need.title })}
                rows={need.results}
                rowKey={(r) => r.bidId}
                empty={
                  <div className="empty-state">
                    <p>{t('eventReview.review.noProposals')}</p>
                  </div>
                }
                columns={[
                  { id: 'rank', header: t('eventReview.review.rank'), cell: (r) => (r.rank === null ? '—' : r.rank) },
                  {
                    id: 'provider',
                    header: t('eventReview.review.provider'),
                    role: 'primary',
                    cell: (r) => <span data-i18n-data>{r.providerName}</span>,
                  },
                  {
                    id: 'price',
                    header: t('eventReview.review.price'),
                    cell: (r) => t('eventReview.wan', { amount: r.priceText }),
                  },
                  ...data.criteria.map((c) => ({
                    id: `c${c.id}`,
                    header: `${c.name} (${c.weight})`,
                    label: `${c.name} (${c.weight})`,
                    cell: (r: RankedProposal) => {
                      const cr = r.criteria.find((x) => x.criterionId === c.id)
                      return r.experts === 0 || !cr
                        ? '—'
                        : t('eventReview.review.criterionCell', { points: cr.points, mean: cr.mean, max: c.maxScore })
                    },
                  })),
                  { id: 'total', header: t('eventReview.review.total'), cell: (r) => (r.experts === 0 ? '—' : r.total) },
                  { id: 'experts', header: t('eventReview.review.expertsScored'), cell: (r) => r.experts },
                ]}
              />
            </section>
          ))
        )}
        <p className="muted small">{t('eventReview.review.rule')}</p>
      </section>
    </>
  )
}
