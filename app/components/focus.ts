import { useLocation } from '@remix-run/react'
import { useEffect, useRef } from 'react'

/** Focuses an element that is not focusable by itself (a heading), without adding it to the tab order. */
export function focusElement(element: HTMLElement | null | undefined, options?: FocusOptions) {
  if (!element) return
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1')
  element.focus(options)
}

// Module state, not a ref: the shell remounts when an error page replaces the page, and
// that is still a navigation. Effects never run on the server.
let lastPathname: string | null = null

/**
 * After a client-side navigation to another page, focus moves to where a full page load
 * would put a screen reader: the flash message if there is one, else the new page's h1
 * (else the main region). Its name is read out, and Tab continues from there. Changes of
 * the query string alone (a search, a filter, a page of results) are left to the page,
 * see useFocusOnQueryChange; the document title follows each route's `meta`.
 */
export function useFocusOnNavigation() {
  const { pathname, hash } = useLocation()
  useEffect(() => {
    const before = lastPathname
    lastPathname = pathname
    if (before === null || before === pathname || hash) return
    const main = document.getElementById('main')
    const target =
      main?.querySelector<HTMLElement>(':scope > .notice[role="status"]') ?? main?.querySelector<HTMLElement>('h1') ?? main
    // The page was scrolled to the top (or restored) already; focusing must not move it.
    focusElement(target, { preventScroll: true })
  }, [pathname, hash])
}

/**
 * After the query string of the same page changes (a search, a filter, another page of
 * results), focus moves to the element `id` (the results heading, whose text gives the
 * count), so a keyboard or screen reader user lands on the new results.
 */
export function useFocusOnQueryChange(id: string) {
  const { pathname, search } = useLocation()
  const previous = useRef({ pathname, search })
  useEffect(() => {
    const before = previous.current
    previous.current = { pathname, search }
    if (before.pathname !== pathname || before.search === search) return
    focusElement(document.getElementById(id))
  }, [pathname, search, id])
}
