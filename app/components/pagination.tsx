import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/i18n/use-t.js'

/**
 * Prev/next links that keep every other query parameter. `param`: the query parameter
 * holding the page (a second list on one page pages by its own); `label`: the
 * navigation's name when a page has two of them.
 */
export function Pagination({
  page,
  pageCount,
  param = 'page',
  label,
}: {
  page: number
  pageCount: number
  param?: string
  label?: string
}) {
  const t = useT()
  const location = useLocation()
  if (pageCount <= 1) return null
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search)
    if (p <= 1) params.delete(param)
    else params.set(param, String(p))
    const qs = params.toString()
    return qs ? `?${qs}` : location.pathname
  }
  return (
    <nav className="pagination" aria-label={label ?? t('pagination.label')}>
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} rel="prev" prefetch="intent">
          {t('pagination.prev')}
        </Link>
      ) : (
        <span className="disabled" aria-disabled="true">
          {t('pagination.prev')}
        </span>
      )}
      <span aria-current="page">{t('pagination.of', { page, pages: pageCount })}</span>
      {page < pageCount ? (
        <Link to={hrefFor(page + 1)} rel="next" prefetch="intent">
          {t('pagination.next')}
        </Link>
      ) : (
        <span className="disabled" aria-disabled="true">
          {t('pagination.next')}
        </span>
      )}
    </nav>
  )
}
