import { useRouteLoaderData } from '@remix-run/react'
import {
  DEFAULT_LOCALE,
  hasMessage,
  localizedParams,
  parseMessageRef,
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
 * Server messages (AppError and zod messages arrive as catalogue keys, a field's as a
 * `messageRef` when its words take params) in the reader's language. Anything that is
 * not a key (it should not happen: a test scans for it) reads as the generic "invalid"
 * message rather than leaking an identifier.
 */
export function useMessage(): (ref: string, params?: MessageParams | null) => string {
  const t = useT()
  return (ref, params) => {
    const { key, params: carried } = parseMessageRef(ref)
    const all = carried || params ? { ...carried, ...params } : null
    // Params may name catalogue keys (`nextKey`): read in this reader's language too.
    return t(hasMessage(key) ? key : 'errors.invalid', all ? localizedParams(t, all) : undefined)
  }
}
