import { Link } from '@remix-run/react'
import type { NeedListItem } from '~/domain/needs/views.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'
import { Budget } from './budget.js'
import { HighlightedText } from './highlighted-text.js'
import { StatusBadge } from './status-badge.js'

/*
 * `data-i18n-data` marks text that comes from the database (titles, names, reference
 * data): it stays as entered, in whatever language, while the rest of the page follows
 * the reader's language (tests/e2e/english.spec.ts checks the rest).
 */
export function NeedCard({
  need,
  headingLevel = 3,
  terms,
}: {
  need: NeedListItem
  headingLevel?: 2 | 3
  /** Words a search matched: marked in the title and the excerpt (search/highlight.ts). */
  terms?: readonly string[]
}) {
  const t = useT()
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article className="card need-card" aria-labelledby={`need-${need.id}-title`}>
      <Heading id={`need-${need.id}-title`} data-i18n-data>
        <Link to={`/needs/${need.id}`}>
          <HighlightedText text={need.title} terms={terms} />
        </Link>
      </Heading>
      <div className="badges">
        <StatusBadge kind="needStatus" value={need.status} />
        <StatusBadge kind="level" value={need.level} />
      </div>
      <p className="need-meta" data-i18n-data>
        <span>{need.orgName}</span>
        <span>{need.regionName}</span>
        <span>{need.industryName}</span>
        {need.scenarioNames ? <span>{need.scenarioNames}</span> : null}
      </p>
      <p className="need-meta">
        <span className="budget">
          {t('needs.budgetLabel')}
          <Budget minWan={need.budgetMinWan} maxWan={need.budgetMaxWan} />
        </span>
        <span>{t('needs.publishedAt', { date: formatDate(need.publishedAt) })}</span>
      </p>
      {need.excerpt ? (
        <p className="need-excerpt" data-i18n-data>
          <HighlightedText text={need.excerpt} terms={terms} />
        </p>
      ) : null}
    </article>
  )
}
