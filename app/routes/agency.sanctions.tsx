import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ConfirmForm } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { getSanctionsPage, imposeSanction, liftSanction } from '~/domain/evaluation/sanctions.server.js'
import { ZLiftInput, ZSanctionInput, ZSanctionsIntent, ZSanctionsQuery } from '~/domain/evaluation/schema.js'
import { SANCTION_LEVELS } from '~/domain/evaluation/values.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 处理与复核 (issue 15 §4): the sanctions ladder 警告 → 限期整改 (a deadline) → 移出
 * (ends the provider's membership of the agency's pool and makes it 不再推荐 in matching
 * while active), one step at a time; 解除 (lift) with a reason. What is due: 年度复核
 * (providers whose latest published result of this agency is older than this year),
 * rectifications past their deadline, qualifications the job found expired.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'evaluation.sanctions.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getSanctionsPage(db, actor, parseQuery(ZSanctionsQuery, args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZSanctionsIntent, form)
    if (intent === 'lift') {
      const input = parseForm(ZLiftInput, form)
      await liftSanction(db, actor, input.sanctionId, input.liftReason)
      return redirect('/agency/sanctions', {
        headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.sanctions.liftedDone' }) },
      })
    }
    const input = parseForm(ZSanctionInput, form)
    await imposeSanction(db, actor, input)
    return redirect(`/agency/sanctions?provider=${input.providerOrgId}`, {
      headers: { 'Set-Cookie': await setFlash({ key: 'evaluation.sanctions.imposedDone' }) },
    })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Sanction = Data['sanctions'][number]

export default function SanctionsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const chosen = data.chosen
  const columns: Column<Sanction>[] = [
    {
      id: 'provider',
      header: t('evaluation.results.provider'),
      role: 'primary',
      cell: (s) => (
        <Link to={`/providers/${s.providerOrgId}`}>
          <span data-i18n-data>{s.providerName}</span>
        </Link>
      ),
    },
    {
      id: 'level',
      header: t('evaluation.sanctions.level'),
      cell: (s) => (
        <>
          {t(`evaluation.level.${s.level}`)}
          {s.rectifyBy ? ` · ${t('evaluation.sanctions.until', { date: s.rectifyBy })}` : ''}
          {s.poolRemoved ? ` · ${t('evaluation.sanctions.poolRemoved')}` : ''}
        </>
      ),
    },
    { id: 'reason', header: t('evaluation.sanctions.reason'), cell: (s) => <span data-i18n-data>{s.reason}</span> },
    {
      id: 'status',
      header: t('evaluation.appeals.status'),
      cell: (s) => (
        <>
          {t(`evaluation.sanctionStatus.${s.status}`)}
          {s.overdue ? ` · ${t('evaluation.sanctions.overdue')}` : ''}
          {s.liftReason ? (
            <>
              {' · '}
              <span data-i18n-data>{s.liftReason}</span>
            </>
          ) : null}
        </>
      ),
    },
    ...(data.mayManage
      ? [
          {
            id: 'action',
            header: t('evaluation.dimension.action'),
            role: 'action' as const,
            cell: (s: Sanction) =>
              s.status === 'active' ? (
                <ConfirmForm
                  label={t('evaluation.sanctions.lift')}
                  buttonClassName="button-small button-secondary"
                  buttonExtra={<span data-i18n-data>{s.providerName}</span>}
                  question={t('evaluation.sanctions.liftQuestion', { name: s.providerName })}
                  confirmLabel={t('evaluation.sanctions.lift')}
                  noValidate
                >
                  <input type="hidden" name="intent" value="lift" />
                  <input type="hidden" name="sanctionId" value={s.id} />
                  <InputField
                    id={`liftReason-${s.id}`}
                    name="liftReason"
                    label={t('evaluation.sanctions.liftReason')}
                    required
                    maxLength={500}
                  />
                </ConfirmForm>
              ) : (
                '—'
              ),
          },
        ]
      : []),
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/evaluations">← {t('evaluation.index.title')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('evaluation.sanctions.title')}</h1>
        <p className="muted">{t('evaluation.sanctions.lead')}</p>
      </header>
      {!data.mayManage ? <p className="notice">{t('evaluation.viewerNote')}</p> : null}

      {data.mayManage ? (
        <section className="card section" aria-labelledby="impose-title">
          <h2 id="impose-title">{t('evaluation.sanctions.impose')}</h2>
          <Form method="get" className="form-wide">
            <SelectField id="provider" name="provider" label={t('evaluation.judge.provider')} defaultValue={chosen?.id ?? ''}>
              <option value="">{t('evaluation.judge.choose')}</option>
              {data.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <div className="actions">
              <button type="submit" className="button-secondary">
                {t('evaluation.sanctions.choose')}
              </button>
            </div>
          </Form>
          {chosen ? (
            <Form method="post" noValidate className="form-wide" key={chosen.id}>
              <h3>
                <span data-i18n-data>{chosen.name}</span>
              </h3>
              <p>
                {chosen.next
                  ? t('evaluation.sanctions.next', { level: t(`evaluation.level.${chosen.next}`) })
                  : t(chosen.why === 'removed' ? 'evaluation.e.alreadyRemoved' : 'evaluation.e.rectifying')}
              </p>
              <ErrorSummary failure={failure} />
              <Honeypot />
              <input type="hidden" name="intent" value="impose" />
              <input type="hidden" name="providerOrgId" value={chosen.id} />
              <SelectField
                id="level"
                name="level"
                label={t('evaluation.sanctions.level')}
                required
                defaultValue={chosen.next ?? 'warning'}
                error={errors?.level}
              >
                {SANCTION_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`evaluation.level.${l}`)}
                  </option>
                ))}
              </SelectField>
              <InputField
                id="rectifyBy"
                name="rectifyBy"
                type="date"
                label={t('evaluation.sanctions.rectifyBy')}
                hint={t('evaluation.sanctions.rectifyByHint')}
                error={errors?.rectifyBy}
              />
              <TextareaField
                id="reason"
                name="reason"
                label={t('evaluation.sanctions.reason')}
                required
                rows={3}
                maxLength={1000}
                error={errors?.reason}
              />
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('evaluation.sanctions.submit')}
                </button>
              </div>
            </Form>
          ) : (
            <ErrorSummary failure={failure} />
          )}
        </section>
      ) : null}

      <section className="section" aria-labelledby="sanctions-title">
        <h2 id="sanctions-title">{t('evaluation.sanctions.list')}</h2>
        <DataTable
          caption={t('evaluation.sanctions.list')}
          columns={columns}
          rows={data.sanctions}
          rowKey={(s) => s.id}
          empty={<p className="empty-state">{t('evaluation.sanctions.empty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>

      <section className="section" aria-labelledby="due-title">
        <h2 id="due-title">{t('evaluation.recheck.title')}</h2>
        <p className="field-hint">{t('evaluation.recheck.lead')}</p>
        {data.recheck.length === 0 && data.overdue.length === 0 ? (
          <p className="empty-state">{t('evaluation.recheck.empty')}</p>
        ) : (
          <ul>
            {data.recheck.map((r) => (
              <li key={`r${r.providerOrgId}`}>
                <span data-i18n-data>{r.providerName}</span>{' '}
                {t('evaluation.recheck.yearly', { year: r.year, tier: t(`evaluation.tier.${r.tier}`) })}
              </li>
            ))}
            {data.overdue.map((s) => (
              <li key={`s${s.id}`}>
                <Link to={`?provider=${s.providerOrgId}#impose-title`}>
                  <span data-i18n-data>{s.providerName}</span>
                </Link>{' '}
                {t('evaluation.recheck.rectification', { date: s.rectifyBy ?? '' })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="expired-title">
        <h2 id="expired-title">{t('evaluation.expired.title')}</h2>
        <p className="field-hint">{t('evaluation.expired.lead')}</p>
        {data.expired.length === 0 ? (
          <p className="empty-state">{t('evaluation.expired.empty')}</p>
        ) : (
          <ul>
            {data.expired.map((e) => (
              <li key={e.id}>
                <Link to={`/providers/${e.providerOrgId}`}>
                  <span data-i18n-data>{e.providerName}</span>
                </Link>
                {' · '}
                <span data-i18n-data>{e.name}</span> {t('evaluation.expired.until', { date: e.validUntil })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
