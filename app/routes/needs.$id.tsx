import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Budget } from '~/components/budget.js'
import { StatusBadge } from '~/components/status-badge.js'
import { getPublicNeed, visibleNeedVisibilities } from '~/domain/needs/needs.server.js'
import { useT } from '~/i18n/use-t.js'
import { services } from '~/web/services.server.js'
import { getViewer } from '~/utils/permissions.server.js'
import { formatDate } from '~/utils/format.js'
import { AppError } from '~/utils/errors.js'
import { runLoader } from '~/utils/route-errors.server.js'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.need.title} · 对接` : '需求不存在 · 对接' },
]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const id = Number(params.id)
    const { db } = services()
    const visibilities = await visibleNeedVisibilities(db, await getViewer(db, request))
    const need = Number.isSafeInteger(id) && id > 0 ? await getPublicNeed(db, id, visibilities) : null
    if (!need) throw new AppError('NOT_FOUND', '需求不存在或尚未公开')
    return json({ need })
  })
}

export default function NeedDetailPage() {
  const { need } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <article aria-labelledby="need-title">
      <p>
        <Link to="/needs">← {t('need.detail.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="need-title">{need.title}</h1>
        <div className="badges">
          <StatusBadge kind="needStatus" value={need.status} />
          <StatusBadge kind="level" value={need.level} />
        </div>
      </header>
      <div className="detail-layout">
        <div>
          <section className="card section prose" aria-labelledby="desc-title">
            <h2 id="desc-title">{t('need.detail.description')}</h2>
            <p>{need.description}</p>
          </section>
          {need.expectedResults ? (
            <section className="card section prose" aria-labelledby="results-title">
              <h2 id="results-title">{t('need.detail.expectedResults')}</h2>
              <p>{need.expectedResults}</p>
            </section>
          ) : null}
        </div>
        <aside className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('need.detail.facts')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('need.detail.enterprise')}</dt>
              <dd>{need.orgName}</dd>
            </div>
            <div>
              <dt>{t('need.detail.budget')}</dt>
              <dd className="budget">
                <Budget minWan={need.budgetMinWan} maxWan={need.budgetMaxWan} />
              </dd>
            </div>
            <div>
              <dt>{t('need.detail.industry')}</dt>
              <dd>{need.industryName}</dd>
            </div>
            <div>
              <dt>{t('need.detail.region')}</dt>
              <dd>{need.regionName}</dd>
            </div>
            <div>
              <dt>{t('need.detail.scenarios')}</dt>
              <dd>{need.scenarios.map((s) => s.name).join('、')}</dd>
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
