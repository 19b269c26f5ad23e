import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { saveTargetPlan, targetsIndex, ZPlanForm, ZPlanQuery, type PlanListItem } from '~/domain/targets/targets.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 目标考核 (issue 15 §5): the yearly target plans an agency may read (its own, the one above it,
 * those below it) and, for a city agency's owners and reviewers, the form of a year's targets
 * per district (the 评分对象 below it) and metric.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'targets.title')

const METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark', 'coverage'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZPlanQuery, args.request)
    return json(await targetsIndex(db, actor, query.year, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZPlanForm, await args.request.formData())
    const { year } = await saveTargetPlan(db, actor, input)
    return redirect(`/agency/targets/${year}`, {
      headers: { 'Set-Cookie': await setFlash({ key: 'targets.form.saved' }) },
    })
  })
}

export default function AgencyTargetsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const form = data.form
  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('targets.title')}</h1>
        <p className="muted">{t('targets.lead')}</p>
      </header>

      <section className="section" aria-labelledby="plans-title">
        <h2 id="plans-title">{t('targets.plansTitle')}</h2>
        <DataTable<PlanListItem>
          caption={t('targets.plansTitle')}
          rows={data.plans}
          rowKey={(p) => p.id}
          empty={
            <div className="empty-state">
              <p>{t('targets.plansEmpty')}</p>
              <p>{t('targets.plansEmptyNext')}</p>
            </div>
          }
          columns={[
            {
              id: 'year',
              header: t('targets.col.year'),
              role: 'primary',
              cell: (p) => (
                <Link to={p.own ? `/agency/targets/${p.year}` : `/agency/targets/${p.year}?plan=${p.id}`}>{p.year}</Link>
              ),
            },
            {
              id: 'agency',
              header: t('targets.col.agency'),
              cell: (p) => (
                <span data-i18n-data>
                  {p.agencyName} · {p.regionName}
                  {p.own ? ` (${t('targets.own')})` : ''}
                </span>
              ),
            },
            { id: 'districts', header: t('targets.col.districts'), cell: (p) => p.districts },
            {
              id: 'open',
              header: t('targets.col.open'),
              role: 'action',
              cell: (p) => (
                <Link to={p.own ? `/agency/targets/${p.year}` : `/agency/targets/${p.year}?plan=${p.id}`}>
                  {t('targets.open')}
                </Link>
              ),
            },
          ]}
        />
      </section>

      {form ? (
        <section className="section card" aria-labelledby="plan-form-title">
          <h2 id="plan-form-title">{t('targets.form.title')}</h2>
          <Form method="get" className="inline-form">
            <InputField
              id="load-year"
              name="year"
              type="number"
              inputMode="numeric"
              min={2020}
              max={2035}
              label={t('targets.form.year')}
              defaultValue={form.year}
            />
            <p>
              <button type="submit" className="button">
                {t('targets.form.load')}
              </button>
            </p>
          </Form>
          <Form method="post" noValidate key={`${form.year}-${form.revision ?? 0}`}>
            <ErrorSummary failure={failure} />
            <p className="muted">{t('targets.form.lead')}</p>
            {form.revision !== null ? <p className="notice">{t('targets.form.existing')}</p> : null}
            <input type="hidden" name="year" value={form.year} />
            {form.revision !== null ? <input type="hidden" name="revision" value={form.revision} /> : null}
            <div className="table-wrap" role="region" aria-label={t('targets.form.caption', { year: form.year })} tabIndex={0}>
              <table className="data">
                <caption>{t('targets.form.caption', { year: form.year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('targets.form.district')}</th>
                    {METRICS.map((m) => (
                      <th scope="col" key={m}>
                        {t(`targets.metric.${m}`)}
                        {m === 'coverage' ? ' (%)' : ''}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {form.districts.map((d) => (
                    <tr key={d.code}>
                      <th scope="row" data-i18n-data>
                        {d.name}
                      </th>
                      {METRICS.map((m) => {
                        const field = `t_${d.code}_${m}`
                        const error = failure?.fieldErrors[field]
                        return (
                          <td key={m}>
                            <input
                              id={field}
                              name={field}
                              type="number"
                              inputMode="numeric"
                              min={0}
                              max={m === 'coverage' ? 100 : 100000}
                              defaultValue={form.targets[field] ?? 0}
                              aria-label={`${d.name} ${t(`targets.metric.${m}`)}`}
                              aria-invalid={error ? true : undefined}
                              style={{ width: '6rem' }}
                            />
                          </td>
                        )
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <TextareaField
              id="note"
              name="note"
              label={t('targets.form.note')}
              rows={2}
              maxLength={1000}
              defaultValue={form.note}
              error={failure?.fieldErrors.note}
            />
            <p>
              <button type="submit" className="button primary">
                {t('targets.form.save')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </>
  )
}
