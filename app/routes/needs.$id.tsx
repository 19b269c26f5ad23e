import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { isRouteErrorResponse, Link, useLoaderData, useParams, useRouteError } from '@remix-run/react'
import { Budget } from '~/components/budget.js'
import { ErrorView } from '~/components/error-view.js'
import { NeedHistoryList } from '~/components/need-history.js'
import { StatusBadge } from '~/components/status-badge.js'
import { bidLinkFor } from '~/domain/bids/bids.server.js'
import { enterpriseRatingSummary } from '~/domain/contracts/ratings.server.js'
import { matchesHrefFor } from '~/domain/matching/need-matches.server.js'
import { getNeed } from '~/domain/needs/needs.server.js'
import { hasMessage, type MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/need-authoring.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) => {
  if (data) return pageTitle(matches, 'need.detail.title', { title: data.need.title })
  const reason = restrictedReasonOf(error)
  return pageTitle(matches, reason ? restrictedTitle(reason) : 'error.404.title')
}

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const actor = await optionalActor(args)
    const need = await getNeed(db, actor, id, await getLocale(args.request))
    // 查看匹配服务商 (issue 13): for the need's enterprise and the agencies over it.
    // 投标 (issue 14): for providers that may bid on it while it is open.
    // 服务商对该企业的评价 (issue 14 §6): a summary, for provider viewers only.
    return json({
      need,
      matchesHref: await matchesHrefFor(db, actor, id),
      bidLink: await bidLinkFor(db, actor, id),
      enterpriseRatings: await enterpriseRatingSummary(db, actor, id),
    })
  })
}

export default function NeedDetailPage() {
  const { need, matchesHref, bidLink, enterpriseRatings } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <article aria-labelledby="need-title">
      <p>
        <Link to="/needs">← {t('need.detail.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="need-title" data-i18n-data>
          {need.title}
        </h1>
        <div className="badges">
          <StatusBadge kind="needStatus" value={need.status} />
          <StatusBadge kind="level" value={need.level} />
        </div>
      </header>
      {need.source ? (
        <p className="need-source">
          <span className="badge">{t('needSource.label')}</span>{' '}
          {need.source.href ? (
            <Link to={need.source.href}>{t('needSource.detail', { version: need.source.version })}</Link>
          ) : (
            t('needSource.detail', { version: need.source.version })
          )}
        </p>
      ) : null}
      {bidLink ? (
        <p>
          <Link className="button primary" to={bidLink.href}>
            {t(bidLink.kind === 'bid' ? 'bids.link.bid' : bidLink.kind === 'revise' ? 'bids.link.revise' : 'bids.link.view')}
          </Link>
        </p>
      ) : null}
      {matchesHref ? (
        <p>
          <Link className="button button-secondary" to={matchesHref}>
            {t('matching.link.matches')}
          </Link>
        </p>
      ) : null}
      <div className="detail-layout">
        <div>
          <section className="card section prose" aria-labelledby="desc-title">
            <h2 id="desc-title">{t('need.detail.description')}</h2>
            <p data-i18n-data>{need.description}</p>
          </section>
          {need.expectedResults ? (
            <section className="card section prose" aria-labelledby="results-title">
              <h2 id="results-title">{t('need.detail.expectedResults')}</h2>
              <p data-i18n-data>{need.expectedResults}</p>
            </section>
          ) : null}
          {need.history.length > 0 ? (
            <section className="card section" aria-labelledby="history-title">
              <h2 id="history-title">{t('needHistory.title')}</h2>
              <p className="muted">{t('needHistory.lead')}</p>
              <NeedHistoryList entries={need.history} empty="" />
            </section>
          ) : null}
        </div>
        <aside className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('need.detail.facts')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('need.detail.enterprise')}</dt>
              <dd data-i18n-data>{need.orgName}</dd>
            </div>
            {enterpriseRatings ? (
              <div data-testid="enterprise-ratings">
                <dt>{t('ratings.enterprise.label')}</dt>
                <dd>
                  {enterpriseRatings.count > 0
                    ? t('ratings.enterprise.summary', {
                        count: enterpriseRatings.count,
                        percent: enterpriseRatings.satisfiedPercent,
                      })
                    : t('ratings.enterprise.none')}
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t('need.detail.budget')}</dt>
              <dd className="budget">
                <Budget minWan={need.budgetMinWan} maxWan={need.budgetMaxWan} />
              </dd>
            </div>
            <div>
              <dt>{t('need.detail.industry')}</dt>
              <dd data-i18n-data>{need.industryName}</dd>
            </div>
            <div>
              <dt>{t('need.detail.region')}</dt>
              <dd data-i18n-data>{need.regionName}</dd>
            </div>
            <div>
              <dt>{t('need.detail.scenarios')}</dt>
              <dd data-i18n-data>{need.scenarios.map((s) => s.name).join(t('list.separator'))}</dd>
            </div>
            <div>
              <dt>{t('need.detail.start')}</dt>
              <dd>{need.expectedStart}</dd>
            </div>
            <div>
              <dt>{t('need.detail.duration')}</dt>
              <dd>{t('need.detail.durationMonths', { months: need.durationMonths })}</dd>
            </div>
            <div>
              <dt>{t('need.detail.matching')}</dt>
              <dd>{need.acceptsMatching ? t('need.detail.matching.yes') : t('need.detail.matching.no')}</dd>
            </div>
            <div>
              <dt>{t('need.detail.publishedAt')}</dt>
              <dd>{formatDate(need.publishedAt)}</dd>
            </div>
          </dl>
        </aside>
      </div>
    </article>
  )
}

/**
 * The reason getNeed gave for refusing a need published to verified providers only
 * (app/domain/needs/restricted.server.ts), when that is what was thrown.
 */
function restrictedReasonOf(error: unknown): MessageKey | null {
  return isRouteErrorResponse(error) &&
    error.status === 403 &&
    typeof error.data === 'string' &&
    error.data.startsWith('need.e.restricted.') &&
    hasMessage(error.data)
    ? error.data
    : null
}

/** A visitor is asked to sign in; whoever is signed in learns the need is for verified providers only. */
function restrictedTitle(reason: MessageKey): MessageKey {
  return reason === 'need.e.restricted.signIn' ? 'need.restricted.title.signIn' : 'need.restricted.title.providersOnly'
}

/**
 * A need for verified providers only, opened by someone else (403): that it exists and
 * is restricted, why this person may not see it and the next step (sign in, or their
 * organisation's page), and nothing of the need itself. Any other error is shown as the
 * root's error page shows it (404 for drafts, withdrawn and unknown needs): rethrowing it
 * from here would fail the server render (a 500).
 */
export function ErrorBoundary() {
  const error = useRouteError()
  const { id } = useParams()
  const t = useT()
  const reason = restrictedReasonOf(error)
  if (!reason) return <ErrorView error={error} />
  const visitor = reason === 'need.e.restricted.signIn'
  const here = `/needs/${id ?? ''}`
  return (
    <section className="error-page" aria-labelledby="restricted-title">
      <h1 id="restricted-title">{t(restrictedTitle(reason))}</h1>
      <p>{t('need.restricted.lead')}</p>
      <p>{t(reason)}</p>
      <div className="actions" style={{ justifyContent: 'center' }}>
        {visitor ? (
          <>
            <Link className="button" to={`/login?redirectTo=${encodeURIComponent(here)}`}>
              {t('need.restricted.signIn')}
            </Link>
            <Link className="button button-secondary" to="/register">
              {t('need.restricted.register')}
            </Link>
          </>
        ) : (
          <Link className="button" to="/org">
            {t('need.restricted.toOrg')}
          </Link>
        )}
        <Link className="button button-secondary" to="/needs">
          {t('need.restricted.toNeeds')}
        </Link>
      </div>
    </section>
  )
}
