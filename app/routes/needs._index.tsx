import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useBudgetFormat } from '~/components/budget.js'
import { DidYouMean } from '~/components/did-you-mean.js'
import { useFocusOnQueryChange } from '~/components/focus.js'
import { NeedCard } from '~/components/need-card.js'
import { Pagination } from '~/components/pagination.js'
import { FiltersDisclosure, SearchBar } from '~/components/search-layout.js'
import { NEED_SORTS, PUBLIC_NEED_STATUSES, TARGET_LEVELS } from '~/domain/needs/enums.js'
import { browseNeeds, ZNeedSearchParams } from '~/domain/needs/needs.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { clientIp, optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needs.title')

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const actor = await optionalActor(args)
    const params = parseQuery(ZNeedSearchParams, args.request)
    const locale = await getLocale(args.request)
    return json({ params, ...(await browseNeeds(db, search, actor, params, clientIp(args.context), locale)) })
  })
}

export default function NeedsPage() {
  const { params, result, suggestion, canSaveSearch } = useLoaderData<typeof loader>()
  const t = useT()
  const navigation = useNavigation()
  const busy = navigation.state === 'loading' && navigation.location.pathname === '/needs'
  const filterCount = [
    params.industry,
    params.region,
    params.scenario,
    params.level,
    params.status,
    params.budgetMin,
    params.budgetMax,
  ].filter((v) => v !== undefined).length
  const hasFilters = Boolean(params.q) || filterCount > 0
  // A new search or page: focus goes to the results heading, which reads the count.
  useFocusOnQueryChange('results-title')

  return (
    <>
      <header className="page-head">
        <h1>{t('needs.title')}</h1>
        <p className="muted">{t('needs.lead')}</p>
      </header>
      {/*
       * One GET form: the URL holds the whole query, so it can be shared and reloaded.
       * Source order is the phone's order: the search box, the folded filters, the results;
       * wide screens put the filters in a column beside them (app.css, .search-layout).
       */}
      <Form method="get" className="search-layout" role="search" key={JSON.stringify(params)}>
        <SearchBar
          label={t('needs.search.label')}
          placeholder={t('needs.search.placeholder')}
          submit={t('needs.search.submit')}
          defaultValue={params.q ?? ''}
        />

        <FiltersPanel filterCount={filterCount} hasFilters={hasFilters} />

        <section className="results" aria-labelledby="results-title" aria-busy={busy}>
          <div className="results-meta">
            <h2 id="results-title" className="results-count" tabIndex={-1}>
              <span role="status">{t('needs.total', { count: formatNumber(result.total) })}</span>
            </h2>
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
          {canSaveSearch && hasFilters ? <SaveSearchFields /> : null}
          {result.items.length === 0 ? <DidYouMean suggestion={suggestion} countKey="searchUx.didYouMean.needs" /> : null}
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
                  <NeedCard need={need} terms={result.terms} />
                </li>
              ))}
            </ul>
          )}
          <Pagination page={result.page} pageCount={result.pageCount} />
        </section>
      </Form>
      {canSaveSearch && hasFilters ? <SaveSearchForm /> : null}
    </>
  )
}

/** The hall's parameters a saved search keeps, under the hall's own names (page is not kept). */
const SAVED_PARAMS = ['q', 'industry', 'region', 'scenario', 'level', 'status', 'budgetMin', 'budgetMax', 'sort'] as const
const SAVE_FORM_ID = 'save-search'
const SAVE_NAME_MAX = 60

/**
 * 保存搜索 for a verified provider: the name field and the button sit with the results
 * (inside the GET search form on the page, so they name their own form with the `form`
 * attribute), the query travels in hidden fields of a POST form after it
 * (/provider/saved-searches, intent=create): forms cannot nest.
 */
function SaveSearchFields() {
  const { params, industries, scenarios } = useLoaderData<typeof loader>()
  const t = useT()
  const named = [
    params.q,
    scenarios.find((s) => s.code === params.scenario)?.name,
    industries.find((i) => i.code === params.industry)?.name,
  ].filter((v): v is string => Boolean(v))
  const name = Array.from(named.join(' · ') || t('searchUx.save.defaultName'))
    .slice(0, SAVE_NAME_MAX)
    .join('')
  return (
    <div className="save-search" role="group" aria-labelledby="save-search-title">
      <p id="save-search-title" className="save-search-title">
        {t('searchUx.save.title')}
      </p>
      <p id="save-search-hint" className="muted">
        {t('searchUx.save.hint')} <Link to="/provider/saved-searches">{t('searchUx.save.manage')}</Link>
      </p>
      <div className="save-search-row">
        <label htmlFor="save-search-name" className="visually-hidden">
          {t('searchUx.save.name')}
        </label>
        <input
          id="save-search-name"
          form={SAVE_FORM_ID}
          name="name"
          type="text"
          required
          maxLength={SAVE_NAME_MAX}
          defaultValue={name}
          aria-describedby="save-search-hint"
        />
        <button type="submit" form={SAVE_FORM_ID} className="button-secondary">
          {t('searchUx.save.submit')}
        </button>
      </div>
    </div>
  )
}

function SaveSearchForm() {
  const { params } = useLoaderData<typeof loader>()
  return (
    <Form id={SAVE_FORM_ID} method="post" action="/provider/saved-searches" hidden>
      <input type="hidden" name="intent" value="create" />
      {SAVED_PARAMS.map((key) => {
        const value = params[key]
        return value === undefined || value === '' ? null : <input key={key} type="hidden" name={key} value={String(value)} />
      })}
    </Form>
  )
}

/**
 * The filters as a disclosure panel (<details>: keyboard and screen reader support
 * built in, works before the scripts load). It starts folded, so on a phone the search
 * box and the results come first; on a wide screen it opens once the page is live
 * (the Form is keyed by the query, so this runs again after every search).
 */
function FiltersPanel({ filterCount, hasFilters }: { filterCount: number; hasFilters: boolean }) {
  const { params, regionOptions, industries, scenarios, result } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const budget = useBudgetFormat()
  const facets = result.facets
  const withCount = (label: string, count: number | null | undefined) =>
    count == null ? label : t('needs.withCount', { label, count })
  // English asks in millions of yuan, Chinese in 万元 (the query accepts both; see ZNeedSearchParams).
  const inMillions = locale === 'en'
  const budgetField = (bound: 'Min' | 'Max') => {
    const wan = bound === 'Min' ? params.budgetMin : params.budgetMax
    const label = t(bound === 'Min' ? 'needs.filter.budgetMin' : 'needs.filter.budgetMax')
    const id = bound === 'Min' ? 'f-budget-min' : 'f-budget-max'
    return (
      <>
        <label htmlFor={id} className="visually-hidden">
          {label}
        </label>
        <input
          id={id}
          name={inMillions ? `budget${bound}M` : `budget${bound}`}
          type="number"
          inputMode={inMillions ? 'decimal' : 'numeric'}
          min={0}
          max={inMillions ? 99999.99 : 9999999}
          step={inMillions ? 0.01 : 1}
          placeholder={label}
          defaultValue={wan === undefined ? '' : inMillions ? budget.amount(wan).replaceAll(',', '') : wan}
        />
      </>
    )
  }

  return (
    <FiltersDisclosure title={filterCount > 0 ? t('needs.filters.active', { count: filterCount }) : t('needs.filters')}>
      <div className="filters-body">
        <div className="field">
          <label htmlFor="f-industry">{t('needs.filter.industry')}</label>
          <select id="f-industry" name="industry" defaultValue={params.industry ?? ''}>
            <option value="">{t('needs.filter.any')}</option>
            {industries.map((i) => (
              <option key={i.code} value={i.code} data-i18n-data>
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
              <option key={r.code} value={r.code} data-i18n-data>
                {'\u00a0\u00a0'.repeat(r.depth) + withCount(r.name, r.count)}
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
                    <option key={s.code} value={s.code} data-i18n-data>
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
        <fieldset className="field budget-range">
          <legend>{t('needs.filter.budget')}</legend>
          {budgetField('Min')}
          {budgetField('Max')}
        </fieldset>
        <div className="actions">
          <button type="submit">{t('needs.filter.apply')}</button>
          {hasFilters ? <Link to="/needs">{t('needs.filter.clear')}</Link> : null}
        </div>
      </div>
    </FiltersDisclosure>
  )
}
