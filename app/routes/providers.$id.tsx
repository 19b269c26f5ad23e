import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { CaseCard } from '~/components/provider-case-card.js'
import { CompletenessMeter, QualificationStatus, QualificationValidity } from '~/components/provider-fields.js'
import { Fact } from '~/components/org-summary.js'
import { RatingCard } from '~/components/rating-card.js'
import { providerRatingsSection, ZProviderRatingsQuery } from '~/domain/contracts/ratings.server.js'
import { getPublicProviderProfile } from '~/domain/providers/profile.server.js'
import { poolMembershipsOf } from '~/domain/pool/membership.server.js'
import { SURVEY_ITEMS } from '~/domain/diagnosis/survey-views.js'
import { providerSurveySummary } from '~/domain/diagnosis/survey.server.js'
import { ZProviderPageQuery } from '~/domain/providers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'
import { parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'
import ratingStyles from '~/styles/ratings.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'stylesheet', href: ratingStyles },
]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'providers.page.title', { name: data.provider.name }) : pageTitle(matches, 'error.404.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZProviderPageQuery, args.request)
    const actor = await optionalActor(args)
    const provider = await getPublicProviderProfile(db, actor, id, { page, locale: await getLocale(args.request) })
    const { ratingsPage } = parseQuery(ZProviderRatingsQuery, args.request)
    // 诊断服务满意度: the enterprises' surveys of its diagnoses, together (issue 12).
    // 合同评价: the enterprises' ratings of its completed contracts, 平台验证 (issue 14).
    const [surveys, ratings] = await Promise.all([providerSurveySummary(db, id), providerRatingsSection(db, id, ratingsPage)])
    // 入库: the agencies' provider pools it is in today (issue 15 §4).
    const pools = (await poolMembershipsOf(db, id))
      .filter((m) => m.current)
      .map((m) => ({ id: m.id, agency: m.agencyName, until: m.validUntil }))
    return json({ provider, surveys, ratings, pools })
  })
}

type Provider = ReturnType<typeof useLoaderData<typeof loader>>['provider']
type Qualification = Provider['qualifications'][number]

export default function ProviderPage() {
  const { provider: p, surveys, ratings, pools } = useLoaderData<typeof loader>()
  const t = useT()
  const list = (items: { name?: string; label?: string; code: string }[]) => (
    <ul className="tag-list">
      {items.map((i) => (
        <li key={i.code} data-i18n-data>
          {i.name ?? i.label}
        </li>
      ))}
    </ul>
  )
  const qualificationColumns: Column<Qualification>[] = [
    {
      id: 'name',
      header: t('providers.qualification.name'),
      role: 'primary',
      cell: (q) => <span data-i18n-data>{q.name}</span>,
    },
    {
      id: 'issuer',
      header: t('providers.qualification.issuer'),
      cell: (q) => (q.issuer ? <span data-i18n-data>{q.issuer}</span> : '—'),
    },
    {
      id: 'certificateNo',
      header: t('providers.qualification.certificateNo'),
      cell: (q) => (q.certificateNo ? <span data-i18n-data>{q.certificateNo}</span> : '—'),
    },
    {
      id: 'validity',
      header: t('providers.qualification.validity'),
      cell: (q) => <QualificationValidity from={q.validFrom} until={q.validUntil} />,
    },
    { id: 'status', header: t('providers.qualification.status'), cell: (q) => <QualificationStatus expired={q.expired} /> },
  ]

  return (
    <article aria-labelledby="provider-title">
      <p>
        <Link to="/providers">← {t('providers.page.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="provider-title" data-i18n-data>
          {p.name}
        </h1>
        <div className="badges">
          <span className="badge badge-verified">{t('providers.page.verified')}</span>
          {p.kinds.map((k) => (
            <span key={k} className="badge">
              {t(`providerKind.${k}`)}
            </span>
          ))}
          {pools.map((m) => (
            <span key={m.id} className="badge badge-level" title={t('pool.badge.until', { date: m.until })}>
              {t('pool.badge', { agency: m.agency })}
            </span>
          ))}
        </div>
      </header>

      {p.own ? (
        <nav className="section actions" aria-label={t('providers.page.manage')}>
          <Link className="button button-small" to="/provider/profile">
            {t('providers.page.editProfile')}
          </Link>
          <Link className="button button-small button-secondary" to="/provider/qualifications">
            {t('providers.page.editQualifications')}
          </Link>
          <Link className="button button-small button-secondary" to="/provider/cases">
            {t('providers.page.editCases')}
          </Link>
        </nav>
      ) : null}
      {p.completeness ? <CompletenessMeter completeness={p.completeness} /> : null}

      <div className="detail-layout">
        <div>
          <section className="card section prose" aria-labelledby="about-title">
            <h2 id="about-title">{t('providers.page.description')}</h2>
            {p.description ? <p data-i18n-data>{p.description}</p> : <p className="muted">{t('providers.page.notFilled')}</p>}
          </section>

          <section className="card section provider-served" aria-labelledby="served-title">
            <h2 id="served-title">{t('providers.profile.served')}</h2>
            <h3>{t('providers.page.industries')}</h3>
            {p.industries.length ? list(p.industries) : <p className="muted">{t('providers.page.notFilled')}</p>}
            <h3>{t('providers.page.scenarios')}</h3>
            {p.scenarios.length ? list(p.scenarios) : <p className="muted">{t('providers.page.notFilled')}</p>}
            <h3>{t('providers.page.regions')}</h3>
            {p.nationwide ? (
              <ul className="tag-list">
                <li>{t('providers.page.nationwide')}</li>
              </ul>
            ) : p.regions.length ? (
              list(p.regions)
            ) : (
              <p className="muted">{t('providers.page.notFilled')}</p>
            )}
          </section>

          <section className="section" aria-labelledby="qualifications-title">
            <h2 id="qualifications-title">{t('providers.page.qualifications')}</h2>
            <DataTable
              caption={t('providers.page.qualifications')}
              columns={qualificationColumns}
              rows={p.qualifications}
              rowKey={(q) => q.id}
              empty={<p className="muted">{t('providers.page.qualificationsNone')}</p>}
            />
          </section>

          <section className="section" aria-labelledby="cases-title">
            <h2 id="cases-title">{t('providers.page.cases')}</h2>
            {p.caseCount ? (
              <>
                <p className="muted">{t('providers.page.casesCount', { count: p.caseCount, verified: p.verifiedCaseCount })}</p>
                <ul className="case-list">
                  {p.cases.map((c) => (
                    <li key={c.id}>
                      <CaseCard item={c} headingId={`case-${c.id}`} />
                    </li>
                  ))}
                </ul>
                <Pagination page={p.casesPage} pageCount={p.casesPageCount} />
              </>
            ) : (
              <p className="muted">{t('providers.page.casesNone')}</p>
            )}
          </section>

          <section className="card section" aria-labelledby="templates-title">
            <h2 id="templates-title">{t('providers.page.templates')}</h2>
            {p.templates.length ? (
              <ul>
                {p.templates.map((tpl) => (
                  <li key={tpl.id}>
                    <Link to={`/templates/${tpl.id}`} data-i18n-data>
                      {tpl.title}
                    </Link>{' '}
                    {tpl.isOfficial ? <span className="badge badge-level">{t('providers.page.templateOfficial')}</span> : null}{' '}
                    <span className="muted">
                      {tpl.industryName ? <span data-i18n-data>{tpl.industryName} · </span> : null}
                      {t('providers.page.templateVersion', { version: tpl.version })} · {formatDate(tpl.updatedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t('providers.page.templatesNone')}</p>
            )}
          </section>

          <section className="card section" aria-labelledby="ratings-title">
            <h2 id="ratings-title">{t('providers.page.ratings')}</h2>
            <div data-testid="contract-ratings">
              <h3>{t('ratings.public.title')}</h3>
              {ratings.count > 0 ? (
                <>
                  <p>
                    {ratings.score !== null ? (
                      <>
                        <span className="rating-summary-score">{t('ratings.public.score', { score: ratings.score })}</span>{' '}
                      </>
                    ) : null}
                    {t('ratings.public.count', { count: ratings.count, percent: ratings.satisfiedPercent })}
                  </p>
                  <p className="muted">{t('ratings.public.scoreLead', { count: ratings.basedOn })}</p>
                  <ul className="rating-list">
                    {ratings.items.map((r) => (
                      <li key={r.id}>
                        <RatingCard rating={r} headingId={`public-rating-${r.id}`} />
                      </li>
                    ))}
                  </ul>
                  <Pagination
                    page={ratings.page}
                    pageCount={ratings.pageCount}
                    param="ratingsPage"
                    label={t('ratings.public.pagination')}
                  />
                </>
              ) : (
                <p className="muted">{t('ratings.public.none')}</p>
              )}
            </div>
            {surveys.count > 0 ? (
              <div data-testid="survey-summary">
                <h3>{t('survey.summary.title')}</h3>
                <p>{t('survey.summary.count', { count: surveys.count })}</p>
                <ul className="tag-list">
                  {(['satisfied', 'fairly_satisfied', 'dissatisfied'] as const).map((o) => (
                    <li key={o}>{t('survey.summary.overall', { label: t(`survey.overall.${o}`), count: surveys.overall[o] })}</li>
                  ))}
                </ul>
                <ul>
                  {SURVEY_ITEMS.map((item) => (
                    <li key={item}>
                      {t('survey.summary.goodShare', { item: t(`survey.itemShort.${item}`), percent: surveys.goodShare[item] })}
                    </li>
                  ))}
                </ul>
              </div>
            ) : ratings.count === 0 ? (
              <p>
                <strong>{t('providers.page.ratingsNone')}</strong>
              </p>
            ) : null}
            <p className="muted">{t('providers.page.ratingsLead')}</p>
          </section>
        </div>

        <aside className="card provider-facts" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('providers.page.facts')}</h2>
          <dl className="facts">
            <Fact label={t('providers.page.region')} data>
              {p.regionLabel}
            </Fact>
            <Fact label={t('providers.page.kinds')}>{p.kinds.map((k) => t(`providerKind.${k}`)).join(t('list.separator'))}</Fact>
            <Fact label={t('providers.page.teamSize')}>
              {p.teamSize !== null ? t('providers.page.teamSizeValue', { count: p.teamSize }) : '—'}
            </Fact>
            <Fact label={t('providers.page.foundedYear')}>
              {p.foundedYear !== null ? t('providers.page.foundedYearValue', { year: p.foundedYear }) : '—'}
            </Fact>
            {p.website ? (
              <Fact label={t('providers.page.website')}>
                <a
                  href={p.website}
                  rel="nofollow noopener noreferrer"
                  target="_blank"
                  data-i18n-data
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {p.website.replace(/^https?:\/\//, '')}
                </a>
              </Fact>
            ) : null}
            <Fact label={t('providers.page.contact')}>
              {p.contact ? (
                p.contact.name || p.contact.phone ? (
                  <span data-i18n-data>
                    {p.contact.name} {p.contact.phone}
                  </span>
                ) : (
                  t('providers.page.contactNone')
                )
              ) : p.contactHidden === 'signIn' ? (
                <>
                  {t('providers.page.contactSignIn')}{' '}
                  <Link to={`/login?redirectTo=${encodeURIComponent(`/providers/${p.id}`)}`}>
                    {t('providers.page.contactSignInLink')}
                  </Link>
                </>
              ) : (
                t('providers.page.contactVerifiedOnly')
              )}
            </Fact>
          </dl>
        </aside>
      </div>
    </article>
  )
}
