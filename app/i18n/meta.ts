import type { MetaDescriptor } from '@remix-run/node'
import { DEFAULT_LOCALE, isLocale, translator, type MessageKey, type MessageParams } from './index.js'

interface MatchLike {
  id: string
  data?: unknown
}

/**
 * A page title from the catalogue in the reader's language, for a route's `meta`:
 * `export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'needs.title')`.
 * The language comes from the root loader's data.
 */
export function pageTitle(matches: readonly MatchLike[], key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const t = translator(isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE)
  return [{ title: `${t(key, params)} · ${t('app.name')}` }]
}

/** A page's description (search results, link previews) from the catalogue, in the reader's language. */
export function pageDescription(matches: readonly MatchLike[], key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const t = translator(isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE)
  return [{ name: 'description', content: t(key, params) }]
}
