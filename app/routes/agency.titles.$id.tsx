import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { TITLE_REVIEW_OUTCOMES } from '../../db/enums.js'
import { REASON_MAX, ZReviewInput } from '~/domain/titles/schema.js'
import { getTitleDetail, reviewTitle } from '~/domain/titles/titles.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One title of an enterprise in the agency's jurisdiction (issue 16 §7): its dates under
 * the region's validity rule, its review record, and — for owners and reviewers while the
 * title is held — the review form (passed / downgraded / revoked).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'titles.detail.facts')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getTitleDetail(db, actor, id, { locale: await getLocale(args.request) }))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZReviewInput, await args.request.formData())
    await reviewTitle(db, actor, id, input)
    return redirect(`/agency/titles/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'titles.done' }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Review = Data['reviews'][number]

export default function TitlePage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const v = data.validity
  const columns: Column<Review>[] = [
    { id: 'decidedOn', header: t('titles.reviews.decidedOn'), role: 'primary', cell: (r) => r.decidedOn },
    {
      id: 'outcome',
      header: t('titles.reviews.outcome'),
      cell: (r) =>
        r.downgradedTo
          ? t('titles.outcome.downgradedTo', { level: t(`policy.level.${r.downgradedTo}`) })
          : t(`titles.outcome.${r.outcome}`),
    },
    { id: 'reason', header: t('titles.reviews.reason'), cell: (r) => (r.reason ? <span data-i18n-data>{r.reason}</span> : '—') },
    { id: 'agency', header: t('titles.reviews.agency'), cell: (r) => <span data-i18n-data>{r.agencyName}</span> },
  ]
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/titles">← {t('titles.detail.back')}</Link>
      </p>
      <header className="page-head">
        <h1>
          {t(`policy.level.${data.title}`)}
          {data.scene ? (
            <>
              {' · '}
              <span data-i18n-data>{data.scene}</span>
            </>
          ) : null}
        </h1>
        <p>
          <Link to={`/enterprises/${data.enterpriseId}`}>
            <span data-i18n-data>{data.enterpriseName}</span>
          </Link>{' '}
          · <span data-i18n-data>{data.region}</span>
        </p>
      </header>

      <section className="card section" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('titles.detail.facts')}</h2>
        <dl className="facts">
          <dt>{t('titles.col.state')}</dt>
          <dd>
            <span className={`badge badge-title-${data.state}`}>{t(`titles.state.${data.state}`)}</span>
          </dd>
          {data.issuer ? (
            <>
              <dt>{t('titles.detail.issuer')}</dt>
              <dd data-i18n-data>{data.issuer}</dd>
            </>
          ) : null}
          <dt>{t('titles.col.awarded')}</dt>
          <dd>{data.awardedOn}</dd>
          <dt>{t('titles.col.expires')}</dt>
          <dd>
            {data.expiresOn}
            {data.expiryDerived ? <span className="muted">{t('titles.list.derived')}</span> : null}
          </dd>
          <dt>{t('titles.col.reviewFrom')}</dt>
          <dd>{data.reviewFrom}</dd>
          <dt>{t('titles.detail.validityRule')}</dt>
          <dd>
            {v.ruleSetId ? (
              <>
                {t('titles.detail.ruleSet', { id: v.ruleSetId, years: v.years, months: v.reviewMonths })}{' '}
                <Link to={`/policies/${v.ruleSetId}`}>{v.ruleSetId}</Link>
              </>
            ) : (
              t('titles.detail.ruleDefault', { years: v.years, months: v.reviewMonths })
            )}
          </dd>
        </dl>
      </section>

      <section className="section" aria-labelledby="history-title">
        <h2 id="history-title">{t('titles.detail.history')}</h2>
        <DataTable
          caption={t('titles.detail.history')}
          columns={columns}
          rows={data.reviews}
          rowKey={(r) => r.id}
          empty={<p className="empty">{t('titles.reviews.empty')}</p>}
        />
      </section>

      <section className="card section" aria-labelledby="review-title">
        <h2 id="review-title">{t('titles.detail.review')}</h2>
        {data.status !== 'held' ? (
          <p className="notice">{t('titles.detail.closed', { state: t(`titles.state.${data.state}`) })}</p>
        ) : !data.mayReview ? (
          <p className="notice">{t('titles.detail.viewerNote')}</p>
        ) : (
          <Form method="post" noValidate className="form-wide">
            <p className="muted">{t('titles.detail.reviewLead', { years: v.years })}</p>
            {!data.mayPass ? <p className="notice">{t('titles.detail.notDueYet', { date: data.reviewFrom })}</p> : null}
            <ErrorSummary failure={failure} />
            <Honeypot />
            <input type="hidden" name="version" value={data.version} />
            <SelectField
              id="outcome"
              name="outcome"
              label={t('titles.form.outcome')}
              required
              defaultValue={data.mayPass ? 'passed' : ''}
              error={errors?.outcome}
            >
              <option value="">{t('titles.form.choose')}</option>
              {TITLE_REVIEW_OUTCOMES.filter((o) => o !== 'passed' || data.mayPass)
                .filter((o) => o !== 'downgraded' || data.downgradeTo.length > 0)
                .map((o) => (
                  <option key={o} value={o}>
                    {t(`titles.outcome.${o}`)}
                  </option>
                ))}
            </SelectField>
            <SelectField
              id="downgradedTo"
              name="downgradedTo"
              label={t('titles.form.downgradedTo')}
              hint={data.downgradeTo.length > 0 ? t('titles.form.downgradedToHint') : t('titles.form.noLower')}
              defaultValue=""
              error={errors?.downgradedTo}
            >
              <option value="">{t('titles.form.choose')}</option>
              {data.downgradeTo.map((l) => (
                <option key={l} value={l}>
                  {t(`policy.level.${l}`)}
                </option>
              ))}
            </SelectField>
            <TextareaField
              id="reason"
              name="reason"
              label={t('titles.form.reason')}
              hint={t('titles.form.reasonHint')}
              maxLength={REASON_MAX}
              rows={3}
              error={errors?.reason}
            />
            <InputField
              id="decidedOn"
              name="decidedOn"
              type="date"
              label={t('titles.form.decidedOn')}
              required
              defaultValue={data.today}
              max={data.today}
              error={errors?.decidedOn}
            />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('titles.form.submit')}
              </button>
            </div>
          </Form>
        )}
      </section>
    </>
  )
}
