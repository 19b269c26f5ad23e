import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { declareTie, expertTasks, ZTieInput, type ExpertTaskNeed } from '~/domain/events/review.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * The expert's tasks (issue 15 §1, 方案评选): every published event whose organiser
 * appointed them, each listed need with its proposals and how many they scored; a need
 * they are excluded from (their employer or organisation bids, or a declared tie) says
 * so. Declaring a tie to a bidder excludes them from that need.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.expert.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await expertTasks(db, actor))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    await declareTie(db, actor, parseForm(ZTieInput, await args.request.formData()))
    return redirect('/expert', { headers: { 'Set-Cookie': await setFlash({ key: 'eventReview.expert.tieDeclared' }) } })
  })
}

export default function ExpertTasksPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('eventReview.expert.title')}</h1>
        <p className="muted">{t('eventReview.expert.lead')}</p>
      </header>
      <ErrorSummary failure={failure} />
      {data.tasks.length === 0 ? (
        <div className="empty-state">
          <p>{t(data.isExpert ? 'eventReview.expert.noTasks' : 'eventReview.expert.notExpert')}</p>
          <p className="muted">{t(data.isExpert ? 'eventReview.expert.noTasksNext' : 'eventReview.expert.notExpertNext')}</p>
        </div>
      ) : (
        data.tasks.map((task) => (
          <section key={task.eventId} className="card section" aria-labelledby={`task-${task.eventId}`}>
            <h2 id={`task-${task.eventId}`} data-i18n-data>
              {task.title}
            </h2>
            <p className="muted">
              <span data-i18n-data>{task.organiser}</span> · {t(`events.stage.${task.stage}`)} ·{' '}
              {t(
                task.published
                  ? 'eventReview.expert.published'
                  : task.open
                    ? 'eventReview.expert.open'
                    : 'eventReview.expert.notOpen',
              )}
            </p>
            <DataTable<ExpertTaskNeed>
              caption={t('eventReview.expert.caption', { event: task.title })}
              rows={task.needs}
              rowKey={(n) => n.needId}
              empty={
                <div className="empty-state">
                  <p>{t('eventReview.visits.noNeeds')}</p>
                </div>
              }
              columns={[
                {
                  id: 'need',
                  header: t('eventReview.visits.need'),
                  role: 'primary',
                  cell: (n) => (
                    <span data-i18n-data>
                      {n.title} · {n.enterprise}
                    </span>
                  ),
                },
                {
                  id: 'progress',
                  header: t('eventReview.expert.progress'),
                  cell: (n) => (n.excluded ? '—' : t('eventReview.expert.scored', { done: n.scored, total: n.proposals })),
                },
                {
                  id: 'action',
                  header: t('eventReview.visits.action'),
                  role: 'action',
                  cell: (n) =>
                    n.excluded ? (
                      t(`eventReview.excluded.${n.excluded}`)
                    ) : (
                      <Link to={`/expert/events/${task.eventId}/needs/${n.needId}`}>
                        {t(task.open && !task.published ? 'eventReview.expert.score' : 'eventReview.expert.view', {
                          need: n.title,
                        })}
                      </Link>
                    ),
                },
              ]}
            />
            {!task.published && task.needs.some((n) => !n.excluded && n.bidders.length > 0) ? (
              <details className="section">
                <summary>{t('eventReview.expert.tieTitle')}</summary>
                {task.needs
                  .filter((n) => !n.excluded && n.bidders.length > 0)
                  .map((n) => (
                    <Form key={n.needId} method="post" noValidate className="section">
                      <input type="hidden" name="eventId" value={task.eventId} />
                      <input type="hidden" name="needId" value={n.needId} />
                      <SelectField
                        id={`tie-${task.eventId}-${n.needId}`}
                        name="providerOrgId"
                        label={t('eventReview.expert.tieBidder', { need: n.title })}
                        error={failure?.fieldErrors.providerOrgId}
                      >
                        {n.bidders.map((b) => (
                          <option key={b.orgId} value={b.orgId}>
                            {b.name}
                          </option>
                        ))}
                      </SelectField>
                      <TextareaField
                        id={`tie-reason-${task.eventId}-${n.needId}`}
                        name="reason"
                        label={t('eventReview.expert.tieReason')}
                        rows={2}
                        maxLength={500}
                        required
                        error={failure?.fieldErrors.reason}
                      />
                      <button type="submit" className="button button-secondary">
                        {t('eventReview.expert.tieSubmit')}
                      </button>
                    </Form>
                  ))}
              </details>
            ) : null}
          </section>
        ))
      )}
    </>
  )
}
