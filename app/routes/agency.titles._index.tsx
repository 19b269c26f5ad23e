import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { SelectField } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { GRADIENT_TITLES } from '../../db/enums.js'
import { TITLE_STATES, ZTitlesQuery } from '~/domain/titles/schema.js'
import { getTitlesPage } from '~/domain/titles/titles.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 称号管理 (issue 16 §7): the 智能工厂梯度 titles held by enterprises of the agency's
 * jurisdiction — counts per title and state, the list (reviews due within the rule set's
 * window first, filterable by title and state, Excel of the filter), the review record.
 * One title's history and the review form: /agency/titles/:id.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'titles.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const locale = await getLocale(args.request)
    return json(await getTitlesPage(db, actor, parseQuery(ZTitlesQuery, args.request), { locale }))
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Row = Data['rows'][number]
type Count = Data['counts'][number]
type Review = Data['reviews'][number]

export default function TitlesPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const location = useLocation()
  const search = new URLSearchParams(location.search)
  search.delete('page')
  search.delete('rpage')
  const exportHref = `/agency/titles.xlsx${search.toString() ? `?${search.toString()}` : ''}`
  const stateLink = (title: string, state: string) => `/agency/titles?title=${title}&state=${state}`

  const countColumns: Column<Count>[] = [
    { id: 'title', header: t('titles.col.title'), role: 'primary', cell: (c) => t(`policy.level.${c.title}`) },
    {
      id: 'valid',
      header: t('titles.state.valid'),
      cell: (c) => <Link to={stateLink(c.title, 'valid')}>{c.valid}</Link>,
    },
    {
      id: 'review_due',
      header: t('titles.state.review_due'),
      cell: (c) => <Link to={stateLink(c.title, 'review_due')}>{c.reviewDue}</Link>,
    },
    {
      id: 'expired',
      header: t('titles.state.expired'),
      cell: (c) => <Link to={stateLink(c.title, 'expired')}>{c.expired}</Link>,
    },
    {
      id: 'downgraded',
      header: t('titles.state.downgraded'),
      cell: (c) => <Link to={stateLink(c.title, 'downgraded')}>{c.downgraded}</Link>,
    },
    {
      id: 'revoked',
      header: t('titles.state.revoked'),
      cell: (c) => <Link to={stateLink(c.title, 'revoked')}>{c.revoked}</Link>,
    },
  ]

  const columns: Column<Row>[] = [
    {
      id: 'enterprise',
      header: t('titles.col.enterprise'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/enterprises/${r.enterpriseId}`}>
          <span data-i18n-data>{r.enterpriseName}</span>
        </Link>
      ),
    },
    { id: 'region', header: t('titles.col.region'), cell: (r) => <span data-i18n-data>{r.region}</span> },
    {
      id: 'title',
      header: t('titles.col.title'),
      cell: (r) => (
        <>
          {t(`policy.level.${r.title}`)}
          {r.scene ? (
            <>
              {' · '}
              <span data-i18n-data>{r.scene}</span>
            </>
          ) : null}
        </>
      ),
    },
    { id: 'awarded', header: t('titles.col.awarded'), cell: (r) => r.awardedOn },
    {
      id: 'expires',
      header: t('titles.col.expires'),
      cell: (r) => (
        <>
          {r.expiresOn}
          {r.expiryDerived ? <span className="muted">{t('titles.list.derived')}</span> : null}
        </>
      ),
    },
    { id: 'reviewFrom', header: t('titles.col.reviewFrom'), cell: (r) => r.reviewFrom },
    {
      id: 'state',
      header: t('titles.col.state'),
      cell: (r) => <span className={`badge badge-title-${r.state}`}>{t(`titles.state.${r.state}`)}</span>,
    },
    {
      id: 'open',
      header: t('titles.col.open'),
      role: 'action',
      cell: (r) => (
        <Link to={`/agency/titles/${r.id}`} className="button button-small button-secondary">
          {t('titles.open')}
          <span className="visually-hidden">
            {' '}
            <span data-i18n-data>{r.enterpriseName}</span> {t(`policy.level.${r.title}`)}
          </span>
        </Link>
      ),
    },
  ]

  const reviewColumns: Column<Review>[] = [
    { id: 'decidedOn', header: t('titles.reviews.decidedOn'), cell: (r) => r.decidedOn },
    {
      id: 'enterprise',
      header: t('titles.col.enterprise'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/agency/titles/${r.titleId}`}>
          <span data-i18n-data>{r.enterpriseName}</span> · {t(`policy.level.${r.title}`)}
        </Link>
      ),
    },
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

  const defaults = data.rules.filter((r) => r.ruleSetId === null)
  const sets = data.rules.filter((r) => r.ruleSetId !== null)
  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('titles.index.title')}</h1>
        <p className="muted">{t('titles.index.lead')}</p>
      </header>
      <ul className="notice">
        {sets.map((r) => (
          <li key={r.ruleSetId}>
            {t('titles.rules.set', {
              region: t(data.rules.length > 1 ? 'titles.rules.someRegions' : 'titles.rules.allRegions'),
              id: r.ruleSetId ?? '',
              years: r.years,
              months: r.reviewMonths,
            })}{' '}
            <Link to={`/policies/${r.ruleSetId}`}>{r.ruleSetId}</Link>
          </li>
        ))}
        {defaults.map((r) => (
          <li key="default">{t('titles.rules.default', { years: r.years, months: r.reviewMonths })}</li>
        ))}
      </ul>

      <section className="section" aria-labelledby="counts-title">
        <h2 id="counts-title">{t('titles.counts.title')}</h2>
        <DataTable caption={t('titles.counts.caption')} columns={countColumns} rows={data.counts} rowKey={(c) => c.title} />
      </section>

      <section className="section" aria-labelledby="list-title">
        <h2 id="list-title">{t('titles.list.title')}</h2>
        <Form method="get" className="filters" aria-label={t('titles.filter.legend')}>
          <SelectField id="title" name="title" label={t('titles.filter.title')} defaultValue={data.query.title ?? ''}>
            <option value="">{t('titles.filter.all')}</option>
            {GRADIENT_TITLES.map((g) => (
              <option key={g} value={g}>
                {t(`policy.level.${g}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="state" name="state" label={t('titles.filter.state')} defaultValue={data.query.state ?? ''}>
            <option value="">{t('titles.filter.all')}</option>
            {TITLE_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`titles.state.${s}`)}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button type="submit" className="button-secondary">
              {t('titles.filter.apply')}
            </button>
            <a href={exportHref} className="button button-secondary" download>
              {t('titles.export')}
            </a>
          </div>
        </Form>
        <p className="muted">{t('titles.list.count', { n: data.total })}</p>
        <DataTable
          caption={t('titles.list.caption')}
          columns={columns}
          rows={data.rows}
          rowKey={(r) => r.id}
          empty={<p className="empty">{t('titles.list.empty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>

      <section className="section" aria-labelledby="reviews-title">
        <h2 id="reviews-title">{t('titles.reviews.title')}</h2>
        <p className="muted">{t('titles.reviews.lead')}</p>
        <DataTable
          caption={t('titles.reviews.caption')}
          columns={reviewColumns}
          rows={data.reviews}
          rowKey={(r) => r.id}
          empty={<p className="empty">{t('titles.reviews.empty')}</p>}
        />
        <Pagination page={data.reviewsPage} pageCount={data.reviewsPageCount} param="rpage" />
      </section>
    </>
  )
}
