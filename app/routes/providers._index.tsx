import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { DidYouMean } from '~/components/did-you-mean.js'
import { useFocusOnQueryChange } from '~/components/focus.js'
import { HighlightedText } from '~/components/highlighted-text.js'
import { Pagination } from '~/components/pagination.js'
import { FiltersDisclosure, SearchBar } from '~/components/search-layout.js'
import { DIRECTORY_SORTS } from '~/domain/providers/enums.js'
import {
  browseProviders,
  effectiveSort,
  ZProviderSearchParams,
  type ProviderListItem,
} from '~/domain/providers/directory.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import directoryStyles from '~/styles/directory.css'
import { formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { clientIp, optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.title')
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: directoryStyles }]

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const
/** A card names this many industries, scenarios or regions, then "and more". */
const CARD_LIST = 3

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const actor = await optionalActor(args)
    const params = parseQuery(ZProviderSearchParams, args.request)
    const locale = await getLocale(args.request)
    const directory = await browseProviders(db, search, actor, params, clientIp(args.context), locale)
    return json({ params, sort: effectiveSort(params), ...directory })
  })
}

export default function ProvidersPage() {
  const { params, result, sort, suggestion } = useLoaderData<typeof loader>()
  const t = useT()
  const navigation = useNavigation()
  const busy = navigation.state === 'loading' && navigation.location.pathname === '/providers'
  const filterCount = [params.kind, params.industry, params.scenario, params.region, params.qualification, params.proven].filter(
    (v) => v !== undefined,
  ).length
  const hasFilters = Boolean(params.q) || filterCount > 0
  useFocusOnQueryChange('results-title')

  return (
    <>
      <header className="page-head">
        <h1>{t('directory.title')}</h1>
        <p className="muted">{t('directory.lead')}</p>
        <p>
          <Link to="/providers/map">{t('directory.toMap')}</Link>
        </p>
      </header>
      {/* One GET form: the URL holds the whole query. Phone order: search, folded filters, results. */}
      <Form method="get" className="search-layout" role="search" key={JSON.stringify(params)}>
        <SearchBar
          label={t('directory.search.label')}
          placeholder={t('directory.search.placeholder')}
          submit={t('directory.search.submit')}
          defaultValue={params.q ?? ''}
        />

        <FiltersPanel filterCount={filterCount} hasFilters={hasFilters} />

        <section className="results" aria-labelledby="results-title" aria-busy={busy}>
          <div className="results-meta">
            <h2 id="results-title" className="results-count" tabIndex={-1}>
              <span role="status">{t('directory.total', { count: formatNumber(result.total) })}</span>
            </h2>
            <div className="field">
              <label htmlFor="f-sort">{t('directory.sort')}</label>
              <select id="f-sort" name="sort" defaultValue={sort}>
                {DIRECTORY_SORTS.filter((s) => s !== 'relevance' || params.q).map((s) => (
                  <option key={s} value={s}>
                    {t(`directory.sort.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {result.items.length === 0 ? <DidYouMean suggestion={suggestion} countKey="searchUx.didYouMean.providers" /> : null}
          {result.items.length === 0 ? (
            <div className="empty-state">
              <h3>{t('directory.empty.title')}</h3>
              {hasFilters ? (
                <>
                  <p className="muted">{t('directory.empty.hint')}</p>
                  <p className="empty-actions">
                    <Link to="/providers">{t('directory.filter.clear')}</Link>
                    <Link to="/providers/map">{t('directory.toMap')}</Link>
                  </p>
                </>
              ) : (
                <>
                  <p className="muted">{t('directory.empty.none')}</p>
                  <p className="empty-actions">
                    <Link to="/orgs/new">{t('directory.empty.join')}</Link>
                  </p>
                </>
              )}
            </div>
          ) : (
            <ul className="need-list provider-list">
              {result.items.map((provider) => (
                <li key={provider.id}>
                  <ProviderCard provider={provider} terms={result.terms} />
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

function shortList(items: readonly string[], separator: string, more: string): string {
  return items.length > CARD_LIST ? `${items.slice(0, CARD_LIST).join(separator)}${separator}${more}` : items.join(separator)
}

/** `data-i18n-data` marks text from the database: it stays as entered, in whatever language. */
function ProviderCard({ provider: p, terms }: { provider: ProviderListItem; terms: readonly string[] }) {
  const t = useT()
  const sep = t('list.separator')
  const more = t('directory.card.more')
  return (
    <article className="card need-card provider-card" aria-labelledby={`provider-${p.id}-name`}>
      <h3 id={`provider-${p.id}-name`} data-i18n-data>
        <Link to={`/providers/${p.id}`}>
          <HighlightedText text={p.name} terms={terms} />
        </Link>
      </h3>
      <div className="badges">
        {p.kinds.map((kind) => (
          <span key={kind} className="badge">
            {t(`providerKind.${kind}`)}
          </span>
        ))}
        {p.verifiedCaseCount > 0 ? (
          <span className="badge badge-verified">{t('directory.card.verifiedCases', { count: p.verifiedCaseCount })}</span>
        ) : null}
      </div>
      <p className="need-meta">
        <span data-i18n-data>{p.regionName}</span>
        <span>{t('directory.card.cases', { count: p.caseCount })}</span>
        {p.teamSize !== null ? <span>{t('directory.card.team', { count: formatNumber(p.teamSize) })}</span> : null}
        {p.foundedYear !== null ? <span>{t('directory.card.founded', { year: p.foundedYear })}</span> : null}
      </p>
      <p className="need-meta">
        {p.nationwide ? (
          <span>{t('directory.card.nationwide')}</span>
        ) : p.servedRegions.length > 0 ? (
          <span data-i18n-data>{t('directory.card.serves', { regions: shortList(p.servedRegions, sep, more) })}</span>
        ) : null}
        {p.industryNames.length > 0 ? (
          <span data-i18n-data>{t('directory.card.industries', { industries: shortList(p.industryNames, sep, more) })}</span>
        ) : null}
        {p.scenarioNames.length > 0 ? (
          <span data-i18n-data>{t('directory.card.scenarios', { scenarios: shortList(p.scenarioNames, sep, more) })}</span>
        ) : null}
      </p>
      {p.qualifications ? (
        <p className="need-meta" data-i18n-data>
          {t('directory.card.qualifications', { qualifications: p.qualifications })}
        </p>
      ) : null}
      {p.excerpt ? (
        <p className="need-excerpt" data-i18n-data>
          <HighlightedText text={p.excerpt} terms={terms} />
        </p>
      ) : null}
    </article>
  )
}

/**
 * The filters as a disclosure panel (<details>: keyboard and screen reader support
 * built in, works before the scripts load), folded on phones, opened beside the
 * results on a wide screen.
 */
function FiltersPanel({ filterCount, hasFilters }: { filterCount: number; hasFilters: boolean }) {
  const { params, kinds, industries, scenarios, regionOptions, qualifications, provenCount } = useLoaderData<typeof loader>()
  const t = useT()
  const withCount = (label: string, count: number | null | undefined) =>
    count == null ? label : t('directory.withCount', { label, count })

  return (
    <FiltersDisclosure title={filterCount > 0 ? t('directory.filters.active', { count: filterCount }) : t('directory.filters')}>
      <div className="filters-body">
        <div className="field">
          <label htmlFor="f-kind">{t('directory.filter.kind')}</label>
          <select id="f-kind" name="kind" defaultValue={params.kind ?? ''}>
            <option value="">{t('directory.filter.any')}</option>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {withCount(t(`providerKind.${k.value}`), k.count)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-industry">{t('directory.filter.industry')}</label>
          <select id="f-industry" name="industry" defaultValue={params.industry ?? ''}>
            <option value="">{t('directory.filter.any')}</option>
            {industries.map((i) => (
              <option key={i.code} value={i.code} data-i18n-data>
                {withCount(i.name, i.count)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-scenario">{t('directory.filter.scenario')}</label>
          <select id="f-scenario" name="scenario" defaultValue={params.scenario ?? ''}>
            <option value="">{t('directory.filter.any')}</option>
            {LINKS.map((link) => (
              <optgroup key={link} label={t(`link.${link}`)}>
                {scenarios
                  .filter((s) => s.link === link)
                  .map((s) => (
                    <option key={s.code} value={s.code} data-i18n-data>
                      {withCount(s.name, s.count)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-region">{t('directory.filter.region')}</label>
          <select id="f-region" name="region" defaultValue={params.region ?? ''}>
            <option value="">{t('directory.filter.any')}</option>
            {regionOptions.map((r) => (
              <option key={r.code} value={r.code} data-i18n-data>
                {'\u00a0\u00a0'.repeat(r.depth) + withCount(r.name, r.count)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-qualification">{t('directory.filter.qualification')}</label>
          <select id="f-qualification" name="qualification" defaultValue={params.qualification ?? ''}>
            <option value="">{t('directory.filter.any')}</option>
            {qualifications.map((q) => (
              <option key={q.name} value={q.name} data-i18n-data>
                {withCount(q.name, q.count)}
              </option>
            ))}
          </select>
        </div>
        <div className="field checkbox-field">
          <label htmlFor="f-proven">
            <input id="f-proven" type="checkbox" name="proven" value="1" defaultChecked={params.proven === true} />{' '}
            {t('directory.filter.proven', { count: provenCount })}
          </label>
        </div>
        <div className="actions">
          <button type="submit">{t('directory.filter.apply')}</button>
          {hasFilters ? <Link to="/providers">{t('directory.filter.clear')}</Link> : null}
        </div>
      </div>
    </FiltersDisclosure>
  )
}
