import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/i18n/use-t.js'

/** Prev/next links that keep every other query parameter. */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const t = useT()
  const location = useLocation()
  if (pageCount <= 1) return null
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search)
    if (p <= 1) params.delete('page')
    else params.set('page', String(p))
    const qs = params.toString()
    return qs ? `?${qs}` : location.pathname
  }
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
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
