import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Budget } from '~/components/budget.js'
import { Pagination } from '~/components/pagination.js'
import type { FactorScore } from '~/domain/matching/types.js'
import { getRecommendedNeeds } from '~/domain/matching/recommended-needs.server.js'
import { listSavedSearches, ZRecommendedQuery } from '~/domain/matching/saved-searches.server.js'
import { hasMessage, type MessageParams, type Translate } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate, formatDecimal, formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/recommended.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'recommended.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZRecommendedQuery, args.request)
    const locale = await getLocale(args.request)
    const recommended = await getRecommendedNeeds(db, search, actor, { page, locale })
    const saved = await listSavedSearches(db, search, actor, locale)
    return json({ recommended, saved: saved.items })
  })
}

/** A catalogue text by a key computed at run time (slice B's factor names and reasons), or a fallback. */
function dynamic(t: Translate, key: string, params: MessageParams | undefined, fallback: string): string {
  return hasMessage(key) ? t(key, params) : fallback
}

function FactorLines({ factors }: { factors: FactorScore[] }) {
  const t = useT()
  return (
    <ul className="factor-lines">
      {factors.map((f) => (
        <li key={f.factor}>
          <span className="factor-name">{dynamic(t, `matching.factor.${f.factor}`, undefined, f.factor)}</span>{' '}
          <span className="factor-points">
            {t('recommended.points', { points: formatDecimal(f.points, 1) })} / {formatNumber(f.weight)}
          </span>
          {t('recommended.colon')}
          <span className="factor-reason">{dynamic(t, f.reason.key, f.reason.params, '')}</span>
          {f.neutral ? <span className="muted"> {t('recommended.neutral')}</span> : null}
        </li>
      ))}
    </ul>
  )
}

export default function RecommendedNeedsPage() {
  const { recommended, saved } = useLoaderData<typeof loader>()
  const t = useT()
  const { items, profileIncomplete } = recommended
  return (
    <section aria-labelledby="recommended-title">
      <header className="page-head">
        <h1 id="recommended-title">{t('recommended.title')}</h1>
        <Link to="/provider/saved-searches">{t('recommended.saved.manage')}</Link>
      </header>
      <p className="muted">{t('recommended.lead')}</p>

      {profileIncomplete ? (
        <div className="empty-state card" role="note">
          <h2>{t('recommended.incomplete.title')}</h2>
          <p className="muted">{t('recommended.incomplete.hint')}</p>
          <Link className="button" to="/provider/profile">
            {t('recommended.incomplete.action')}
          </Link>
        </div>
      ) : null}

      <section className="results" aria-labelledby="recommended-count">
        <h2 id="recommended-count" className="results-count">
          {t('recommended.total', { count: formatNumber(recommended.total) })}
        </h2>
        {items.length === 0 ? (
          profileIncomplete ? null : (
            <div className="empty-state">
              <h3>{t('recommended.empty.title')}</h3>
              <p className="muted">{t('recommended.empty.hint')}</p>
              <Link to="/needs">{t('recommended.empty.browse')}</Link>
            </div>
          )
        ) : (
          <ol className="need-list" aria-label={t('recommended.caption')}>
            {items.map((need) => (
              <li key={need.id}>
                <article className="card need-card" aria-labelledby={`need-${need.id}-title`}>
                  <h3 id={`need-${need.id}-title`} data-i18n-data>
                    <Link to={`/needs/${need.id}`}>{need.title}</Link>
                  </h3>
                  <div className="badges">
                    <span className="badge badge-level">{t('recommended.score', { score: formatDecimal(need.score, 1) })}</span>
                    {need.invited ? <span className="badge badge-published">{t('recommended.invited')}</span> : null}
                    {need.recommended ? (
                      <span className="badge badge-published">{t('recommended.recommendedByAgency')}</span>
                    ) : null}
                  </div>
                  <p className="need-meta">
                    <span>
                      {t('recommended.region')} <span data-i18n-data>{need.regionName}</span>
                    </span>
                    <span>
                      {t('recommended.industry')} <span data-i18n-data>{need.industryName}</span>
                    </span>
                    {need.scenarioNames.length > 0 ? (
                      <span>
                        {t('recommended.scenarios')} <span data-i18n-data>{need.scenarioNames.join(t('list.separator'))}</span>
                      </span>
                    ) : null}
                  </p>
                  <p className="need-meta">
                    <span className="budget">
                      {t('recommended.budget')} <Budget minWan={need.budgetMinWan} maxWan={need.budgetMaxWan} />
                    </span>
                    <span>
                      {t('recommended.deadline')} {need.deadline ? formatDate(need.deadline) : t('recommended.deadlineNone')}
                    </span>
                  </p>
                  <details>
                    <summary>{t('recommended.why')}</summary>
                    <FactorLines factors={need.factors} />
                  </details>
                </article>
              </li>
            ))}
          </ol>
        )}
        <Pagination page={recommended.page} pageCount={recommended.pageCount} />
      </section>

      <section className="section" aria-labelledby="saved-title">
        <h2 id="saved-title">{t('recommended.saved.title')}</h2>
        <p className="muted">{t('recommended.saved.lead')}</p>
        {saved.length === 0 ? (
          <p className="empty-state">
            {t('recommended.saved.none')} <Link to="/needs">{t('savedSearch.toHall')}</Link>
          </p>
        ) : (
          <ul className="saved-search-list">
            {saved.map((s) => (
              <li key={s.id}>
                <Link to={s.hallHref} data-i18n-data>
                  {s.name}
                </Link>{' '}
                <span className={s.newCount > 0 ? 'badge badge-published' : 'muted'}>
                  {s.newCount > 0
                    ? t('recommended.saved.new', { count: formatNumber(s.newCount) })
                    : t('recommended.saved.noNew')}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/provider/saved-searches">{t('recommended.saved.manage')}</Link>
        </p>
      </section>
    </section>
  )
}
