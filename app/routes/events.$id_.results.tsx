import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { bidderResults } from '~/domain/events/review.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 方案评选 results for a bidder (issue 15 §1): once the organiser published them, a
 * registered provider sees, for each of its proposals, every criterion's aggregated score
 * (mean of the experts and weighted points), the total and its rank among the need's
 * proposals. Before publishing: a note, nothing else.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'eventReview.results.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await bidderResults(db, actor, id))
  })
}

export default function EventResultsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <p>
        <Link to={`/events/${data.event.id}`}>← {t('eventReview.backToEvent')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('eventReview.results.title')}</h1>
        <p className="muted" data-i18n-data>
          {data.event.title} · {t(`events.stage.${data.event.stage}`)}
        </p>
      </header>
      {!data.published ? (
        <div className="empty-state">
          <p>{t('eventReview.results.notYet')}</p>
          <p className="muted">{t('eventReview.results.notYetNext')}</p>
        </div>
      ) : data.results.length === 0 ? (
        <div className="empty-state">
          <p>{t('eventReview.results.none')}</p>
        </div>
      ) : (
        data.results.map((r) => (
          <section key={r.bidId} className="card section" aria-labelledby={`res-${r.bidId}`}>
            <h2 id={`res-${r.bidId}`} data-i18n-data>
              {r.needTitle}
            </h2>
            <p>
              <strong>
                {r.rank === null
                  ? t('eventReview.results.unscored')
                  : t('eventReview.results.rankLine', { rank: r.rank, of: r.of, total: r.total })}
              </strong>
            </p>
            <DataTable
              caption={t('eventReview.results.caption', { need: r.needTitle })}
              rows={data.criteria}
              rowKey={(c) => c.id}
              empty={null}
              columns={[
                {
                  id: 'name',
                  header: t('eventReview.review.criterion'),
                  role: 'primary',
                  cell: (c) => <span data-i18n-data>{c.name}</span>,
                },
                { id: 'weight', header: t('eventReview.review.weight'), cell: (c) => `${c.weight}%` },
                {
                  id: 'mean',
                  header: t('eventReview.results.mean'),
                  cell: (c) => {
                    const cr = r.criteria.find((x) => x.criterionId === c.id)
                    return r.experts === 0 || !cr ? '—' : `${cr.mean} / ${c.maxScore}`
                  },
                },
                {
                  id: 'points',
                  header: t('eventReview.results.points'),
                  cell: (c) => {
                    const cr = r.criteria.find((x) => x.criterionId === c.id)
                    return r.experts === 0 || !cr ? '—' : cr.points
                  },
                },
              ]}
            />
            <p className="muted small">{t('eventReview.results.experts', { count: r.experts })}</p>
          </section>
        ))
      )}
      <p className="muted small">{t('eventReview.review.rule')}</p>
    </>
  )
}
