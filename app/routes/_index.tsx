import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useBudgetFormat } from '~/components/budget.js'
import { NeedCard } from '~/components/need-card.js'
import { getHomePage } from '~/domain/needs/needs.server.js'
import { pageDescription, pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatNumber } from '~/utils/format.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'home.title'),
  ...pageDescription(matches, 'home.description'),
]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    // The figures are kept current by the writes themselves (stats.server.ts): no scan of the needs table here.
    return json(await getHomePage(db, search, await getLocale(args.request)))
  })
}

export default function Home() {
  const { stats, latest } = useLoaderData<typeof loader>()
  const t = useT()
  const budget = useBudgetFormat()
  const statItems = [
    { label: t('home.stats.openNeeds'), value: formatNumber(stats.openNeeds) },
    { label: t('home.stats.publicNeeds'), value: formatNumber(stats.publicNeeds) },
    { label: t('home.stats.enterprises'), value: formatNumber(stats.enterprises) },
    { label: t('home.stats.providers'), value: formatNumber(stats.providers) },
    // In the unit the label names: 万元 in Chinese, millions of yuan in English.
    { label: t('home.stats.budget'), value: budget.amount(stats.openBudgetWan) },
  ]
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t('home.title')}</h1>
        <p>{t('app.tagline')}</p>
        <p>{t('home.lead')}</p>
        <Form method="get" action="/needs" className="hero-search" role="search">
          <label htmlFor="home-q" className="visually-hidden">
            {t('needs.search.label')}
          </label>
          <input id="home-q" name="q" type="search" placeholder={t('home.searchPlaceholder')} maxLength={200} />
          <button type="submit">{t('needs.search.submit')}</button>
        </Form>
      </section>

      <section className="section" aria-labelledby="stats-title">
        <h2 id="stats-title">{t('home.stats')}</h2>
        <ul className="stats">
          {statItems.map((s) => (
            <li key={s.label} className="stat">
              <span className="stat-value">{s.value}</span>
              <span className="stat-label">{s.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="section" aria-labelledby="latest-title">
        <div className="section-head">
          <h2 id="latest-title">{t('home.latest')}</h2>
          <Link to="/needs">{t('home.browse')} →</Link>
        </div>
        {latest.length === 0 ? (
          <p className="empty-state">{t('home.latest.empty')}</p>
        ) : (
          <ul className="need-list">
            {latest.map((need) => (
              <li key={need.id}>
                <NeedCard need={need} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="how-title">
        <h2 id="how-title">{t('home.how')}</h2>
        <ol className="steps">
          <li>{t('home.how.1')}</li>
          <li>{t('home.how.2')}</li>
          <li>{t('home.how.3')}</li>
          <li>{t('home.how.4')}</li>
          <li>{t('home.how.5')}</li>
        </ol>
      </section>
    </>
  )
}
