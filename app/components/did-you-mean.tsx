import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/i18n/use-t.js'
import { formatNumber } from '~/utils/format.js'
import { fillTemplate } from './audit-sentence.js'

/**
 * 您是不是要找「…」？ above an empty result: a link to the same page with the corrected
 * words in `q` and every other filter kept (from the first page), and what it finds.
 */
export function DidYouMean({
  suggestion,
  countKey,
}: {
  suggestion: { q: string; total: number } | null
  countKey: 'searchUx.didYouMean.needs' | 'searchUx.didYouMean.providers'
}) {
  const t = useT()
  const location = useLocation()
  if (!suggestion) return null
  const search = new URLSearchParams(location.search)
  search.set('q', suggestion.q)
  search.delete('page')
  const link = (
    <Link to={{ pathname: location.pathname, search: `?${search.toString()}` }} data-i18n-data>
      {suggestion.q}
    </Link>
  )
  return (
    <p className="did-you-mean">
      {fillTemplate(t('searchUx.didYouMean'), { query: link })}{' '}
      <span className="muted">{t(countKey, { count: formatNumber(suggestion.total) })}</span>
    </p>
  )
}
