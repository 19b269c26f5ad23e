import { useRouteLoaderData } from '@remix-run/react'
import { DEFAULT_LOCALE, hasMessage, translator, type Locale, type MessageParams, type Translate } from './index.js'
import { messagesEn } from './messages-en.js'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? DEFAULT_LOCALE
}

export function useT(): Translate {
  return translator(useLocale())
}

/**
 * Server messages (AppError and zod messages arrive as catalogue keys) in the
 * reader's language. Text that is not a key is shown as it came.
 */
export function useMessage(): (ref: string, params?: MessageParams | null) => string {
  const locale = useLocale()
  const t = translator(locale)
  return (ref, params) => {
    if (hasMessage(ref)) return t(ref, params ?? undefined)
    return locale === 'en' ? (messagesEn[ref] ?? ref) : ref
  }
}
