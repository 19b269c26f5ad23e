import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  addExpert,
  listExperts,
  setExpertActive,
  ZExpertActive,
  ZExpertIntent,
  ZExpertInput,
  ZExpertsQuery,
  type ExpertView,
} from '~/domain/events/experts.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 专家库 (issue 15 §1): an agency's owners and reviewers add experts — people with an
 * account, found by phone or e-mail — with title, employer (the platform organisation of
 * that name is a tie: the expert never judges it) and fields; deactivate or reactivate
 * one. 20 a page. Experts appointed to an event score its proposals on /expert.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.experts.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZExpertsQuery, args.request)
    return json(await listExperts(db, actor, page))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZExpertIntent, form)
    if (intent === 'add') {
      await addExpert(db, actor, parseForm(ZExpertInput, form))
      return redirect('/agency/experts', { headers: { 'Set-Cookie': await setFlash({ key: 'eventReview.experts.added' }) } })
    }
    const input = parseForm(ZExpertActive, form)
    await setExpertActive(db, actor, input)
    return redirect('/agency/experts', {
      headers: {
        'Set-Cookie': await setFlash({
          key: input.active ? 'eventReview.experts.reactivated' : 'eventReview.experts.deactivated',
        }),
      },
    })
  })
}

export default function AgencyExpertsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('eventReview.experts.title')}</h1>
        <p className="muted">{t('eventReview.experts.lead')}</p>
      </header>

      <Form method="post" noValidate className="card section" aria-labelledby="expert-add-title">
        <h2 id="expert-add-title">{t('eventReview.experts.addTitle')}</h2>
        <ErrorSummary failure={failure} />
        <input type="hidden" name="intent" value="add" />
        <InputField
          id="login"
          name="login"
          label={t('eventReview.experts.login')}
          hint={t('eventReview.experts.loginHint')}
          autoComplete="off"
          required
          maxLength={120}
          error={failure?.fieldErrors.login}
        />
        <InputField
          id="name"
          name="name"
          label={t('eventReview.experts.name')}
          required
          maxLength={60}
          error={failure?.fieldErrors.name}
        />
        <InputField
          id="title"
          name="title"
          label={t('eventReview.experts.titleField')}
          maxLength={60}
          error={failure?.fieldErrors.title}
        />
        <InputField
          id="employer"
          name="employer"
          label={t('eventReview.experts.employer')}
          maxLength={120}
          error={failure?.fieldErrors.employer}
        />
        <InputField
          id="employerOrg"
          name="employerOrg"
          label={t('eventReview.experts.employerOrg')}
          hint={t('eventReview.experts.employerOrgHint')}
          maxLength={120}
          error={failure?.fieldErrors.employerOrg}
        />
        <TextareaField
          id="fields"
          name="fields"
          label={t('eventReview.experts.fields')}
          hint={t('eventReview.experts.fieldsHint')}
          rows={2}
          maxLength={500}
          error={failure?.fieldErrors.fields}
        />
        <p>
          <button type="submit" className="button primary">
            {t('eventReview.experts.add')}
          </button>
        </p>
      </Form>

      <section className="section" aria-labelledby="expert-list-title">
        <h2 id="expert-list-title">{t('eventReview.experts.listTitle', { total: data.total })}</h2>
        <DataTable<ExpertView>
          caption={t('eventReview.experts.caption', { agency: data.agencyName })}
          rows={data.experts}
          rowKey={(e) => e.id}
          empty={
            <div className="empty-state">
              <p>{t('eventReview.experts.empty')}</p>
              <p className="muted">{t('eventReview.experts.emptyNext')}</p>
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
            { id: 'contact', header: t('eventReview.experts.contact'), cell: (e) => e.contact },
            {
              id: 'employer',
              header: t('eventReview.experts.employer'),
              cell: (e) => (
                <span data-i18n-data>
                  {e.employer || '—'}
                  {e.employerOrgName ? ` (${t('eventReview.experts.onPlatform')})` : ''}
                </span>
              ),
            },
            { id: 'fields', header: t('eventReview.experts.fields'), cell: (e) => <span data-i18n-data>{e.fields || '—'}</span> },
            { id: 'appointments', header: t('eventReview.experts.appointments'), cell: (e) => e.appointments },
            {
              id: 'status',
              header: t('eventReview.experts.status'),
              cell: (e) => t(e.active ? 'eventReview.experts.active' : 'eventReview.experts.inactive'),
            },
            {
              id: 'action',
              header: t('eventReview.experts.action'),
              role: 'action',
              cell: (e) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="active" />
                  <input type="hidden" name="expertId" value={e.id} />
                  <input type="hidden" name="active" value={e.active ? '0' : '1'} />
                  <button type="submit" className="button button-small button-secondary">
                    {t(e.active ? 'eventReview.experts.deactivate' : 'eventReview.experts.reactivate', { name: e.name })}
                  </button>
                </Form>
              ),
            },
          ]}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>
    </>
  )
}
