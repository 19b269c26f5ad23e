import { useEffect, useRef, type ReactNode } from 'react'

/*
 * The pieces every search page shares (the needs hall, the provider directory): the
 * search box at the top of the one GET form, and the filters as a disclosure panel.
 * The layout itself is app.css's .search-layout.
 */

/** Wide screens show the filters beside the results; narrower ones fold them into a panel. */
const SIDE_BY_SIDE = '(min-width: 861px)'

/** The search box and its button; `q` is the query parameter every search page reads. */
export function SearchBar({
  label,
  placeholder,
  submit,
  defaultValue,
}: {
  label: string
  placeholder: string
  submit: string
  defaultValue: string
}) {
  return (
    <div className="search-bar">
      <label htmlFor="f-q" className="visually-hidden">
        {label}
      </label>
      <input id="f-q" name="q" type="search" defaultValue={defaultValue} placeholder={placeholder} maxLength={200} />
      <button type="submit">{submit}</button>
    </div>
  )
}

/**
 * The filters as a disclosure panel (<details>: keyboard and screen reader support
 * built in, works before the scripts load). It starts folded, so on a phone the search
 * box and the results come first; on a wide screen it opens once the page is live (a
 * search page keys its Form by the query, so this runs again after every search).
 */
export function FiltersDisclosure({ title, children }: { title: string; children: ReactNode }) {
  const panel = useRef<HTMLDetailsElement>(null)
  useEffect(() => {
    if (panel.current && window.matchMedia(SIDE_BY_SIDE).matches) panel.current.open = true
  }, [])
  return (
    <details className="filters" id="filters" ref={panel}>
      <summary id="filters-title">{title}</summary>
      {children}
    </details>
  )
}
