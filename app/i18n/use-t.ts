import { useRouteLoaderData } from '@remix-run/react'
import {
  DEFAULT_LOCALE,
  hasMessage,
  localizedParams,
  translator,
  type Locale,
  type MessageParams,
  type Translate,
} from './index.js'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? DEFAULT_LOCALE
}

export function useT(): Translate {
  return translator(useLocale())
}

/**
 * Server messages (AppError and zod messages arrive as catalogue keys) in the
 * reader's language. Anything that is not a key (it should not happen: a test scans
 * for it) reads as the generic "invalid" message rather than leaking an identifier.
 */
export function useMessage(): (ref: string, params?: MessageParams | null) => string {
  const t = useT()
  // Params may name catalogue keys (`nextKey`): read in this reader's language too.
  return (ref, params) => t(hasMessage(ref) ? ref : 'errors.invalid', params ? localizedParams(t, params) : undefined)
}
