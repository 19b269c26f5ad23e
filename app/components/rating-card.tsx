import type { ReactNode } from 'react'
import { ratingItemLabels, type RatingView } from '~/domain/contracts/ratings.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'

/*
 * One rating of a contract (issue 14 §6): its side, 平台验证 (it rests on a contract
 * completed on the platform), the five items with their grades, the overall verdict,
 * the comment and the rated side's reply. The contract's page names both parties
 * (`showParties`); the provider's public page names neither.
 */
export function RatingCard({
  rating: r,
  headingId,
  showParties = false,
  children,
}: {
  rating: RatingView
  headingId: string
  showParties?: boolean
  children?: ReactNode
}) {
  const t = useT()
  return (
    <article className="card rating-card" aria-labelledby={headingId} data-testid={`rating-${r.side}`}>
      <header className="rating-head">
        <h3 id={headingId}>{t(`ratings.side.${r.side}`)}</h3>
        <span className="badge badge-verified">{t('ratings.verified')}</span>
      </header>
      {showParties ? (
        <p>
          <span data-i18n-data>{r.raterName}</span> → <span data-i18n-data>{r.ratedName}</span>
        </p>
      ) : null}
      <p className="muted">{t('ratings.ratedAt', { date: formatDate(r.createdAt) })}</p>
      <dl className="rating-grades">
        {ratingItemLabels(r.side).map(({ item, short }, i) => (
          <div key={item}>
            <dt>{t(short)}</dt>
            <dd>{r.grades[i] ? t(`survey.grade.${r.grades[i]}`) : '—'}</dd>
          </div>
        ))}
      </dl>
      <p className="rating-overall">{t('ratings.overallLine', { overall: t(`survey.overall.${r.overall}`) })}</p>
      {r.comment ? (
        <blockquote className="rating-comment" data-i18n-data>
          {r.comment}
        </blockquote>
      ) : null}
      {r.repliedAt ? (
        <div className="rating-reply" data-testid="rating-reply">
          <p className="rating-reply-title">
            {t('ratings.reply.title')} <span className="muted">{formatDate(r.repliedAt)}</span>
          </p>
          <p data-i18n-data>{r.reply}</p>
        </div>
      ) : null}
      {children}
    </article>
  )
}
