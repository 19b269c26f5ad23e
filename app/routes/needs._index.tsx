import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { NeedCard } from '~/components/need-card.js'
import { Pagination } from '~/components/pagination.js'
import { browseNeeds } from '~/domain/needs/needs.server.js'
import { NEED_SORTS, PUBLIC_NEED_STATUSES, TARGET_LEVELS, ZNeedSearchParams } from '~/domain/needs/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needs.title')

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const actor = await optionalActor(args)
    const params = parseQuery(ZNeedSearchParams, args.request)
    return json({ params, ...(await browseNeeds(db, search, actor, params)) })
  })
}

export default function NeedsPage() {
  const { params, result, regionOptions, industries, scenarios } = useLoaderData<typeof loader>()
  const t = useT()
  const withCount = (label: string, count: number | null | undefined) =>
    count == null ? label : t('needs.withCount', { label, count })
  const navigation = useNavigation()
  const busy = navigation.state === 'loading' && navigation.location.pathname === '/needs'
  const facets = result.facets
  const hasFilters = Boolean(
    params.q ||
    params.industry ||
    params.region ||
    params.scenario ||
    params.level ||
    params.status ||
    params.budgetMin !== undefined ||
    params.budgetMax !== undefined,
  )

  return (
    <>
      <header className="page-head">
        <h1>{t('needs.title')}</h1>
        <p className="muted">{t('needs.lead')}</p>
      </header>
      {/* One GET form: the URL holds the whole query, so it can be shared and reloaded. */}
      <Form method="get" className="search-layout" role="search" key={JSON.stringify(params)}>
        <aside className="filters" aria-labelledby="filters-title">
          <h2 id="filters-title">{t('needs.filters')}</h2>
          <div className="field">
            <label htmlFor="f-industry">{t('needs.filter.industry')}</label>
            <select id="f-industry" name="industry" defaultValue={params.industry ?? ''}>
              <option value="">{t('needs.filter.any')}</option>
              {industries.map((i) => (
                <option key={i.code} value={i.code}>
                  {withCount(i.name, facets.industry?.[i.code] ?? 0)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-region">{t('needs.filter.region')}</label>
            <select id="f-region" name="region" defaultValue={params.region ?? ''}>
              <option value="">{t('needs.filter.any')}</option>
              {regionOptions.map((r) => (
                <option key={r.code} value={r.code}>
                  {'\u3000'.repeat(r.depth) + withCount(r.name, r.count)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-scenario">{t('needs.filter.scenario')}</label>
            <select id="f-scenario" name="scenario" defaultValue={params.scenario ?? ''}>
              <option value="">{t('needs.filter.any')}</option>
              {LINKS.map((link) => (
                <optgroup key={link} label={t(`link.${link}`)}>
                  {scenarios
                    .filter((s) => s.link === link)
                    .map((s) => (
                      <option key={s.code} value={s.code}>
                        {withCount(s.name, facets.scenarios?.[s.code] ?? 0)}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-level">{t('needs.filter.level')}</label>
            <select id="f-level" name="level" defaultValue={params.level ?? ''}>
              <option value="">{t('needs.filter.any')}</option>
              {TARGET_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {withCount(t(`level.${l}`), facets.level?.[l] ?? 0)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-status">{t('needs.filter.status')}</label>
            <select id="f-status" name="status" defaultValue={params.status ?? ''}>
              <option value="">{t('needs.filter.any')}</option>
              {PUBLIC_NEED_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {withCount(t(`needStatus.${s}`), facets.status?.[s] ?? 0)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{t('needs.filter.budget')}</legend>
            <label htmlFor="f-budget-min" className="visually-hidden">
              {t('needs.filter.budgetMin')}
            </label>
            <input
              id="f-budget-min"
              name="budgetMin"
              type="number"
              inputMode="numeric"
              min={0}
              max={9999999}
              placeholder={t('needs.filter.budgetMin')}
              defaultValue={params.budgetMin ?? ''}
            />
            <label htmlFor="f-budget-max" className="visually-hidden">
              {t('needs.filter.budgetMax')}
            </label>
            <input
              id="f-budget-max"
              name="budgetMax"
              type="number"
              inputMode="numeric"
              min={0}
              max={9999999}
              placeholder={t('needs.filter.budgetMax')}
              defaultValue={params.budgetMax ?? ''}
            />
          </fieldset>
          <div className="actions">
            <button type="submit">{t('needs.filter.apply')}</button>
            {hasFilters ? <Link to="/needs">{t('needs.filter.clear')}</Link> : null}
          </div>
        </aside>

        <section aria-labelledby="results-title" aria-busy={busy}>
          <h2 id="results-title" className="visually-hidden">
            {t('needs.results')}
          </h2>
          <div className="search-bar">
            <label htmlFor="f-q" className="visually-hidden">
              {t('needs.search.label')}
            </label>
            <input
              id="f-q"
              name="q"
              type="search"
              defaultValue={params.q ?? ''}
              placeholder={t('needs.search.placeholder')}
              maxLength={200}
            />
            <button type="submit">{t('needs.search.submit')}</button>
          </div>
          <div className="results-meta">
            <p role="status" aria-live="polite">
              {t('needs.total', { count: formatNumber(result.total) })}
            </p>
            <div className="field">
              <label htmlFor="f-sort">{t('needs.sort')}</label>
              <select id="f-sort" name="sort" defaultValue={params.sort ?? (params.q ? 'relevance' : 'newest')}>
                {NEED_SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`needs.sort.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {result.items.length === 0 ? (
            <div className="empty-state">
              <h3>{t('needs.empty.title')}</h3>
              <p className="muted">{t('needs.empty.hint')}</p>
              {hasFilters ? <Link to="/needs">{t('needs.filter.clear')}</Link> : null}
            </div>
          ) : (
            <ul className="need-list">
              {result.items.map((need) => (
                <li key={need.id}>
                  <NeedCard need={need} />
                </li>
              ))}
            </ul>
          )}
          <Pagination page={result.page} pageCount={result.pageCount} />
        </section>
      </Form>
    </>
  )
}
