import { useRouteLoaderData } from '@remix-run/react'
import { DEFAULT_LOCALE, translator, type Locale, type Translate } from './index.js'
import { messagesEn } from './messages-en.js'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? DEFAULT_LOCALE
}

export function useT(): Translate {
  return translator(useLocale())
}

/** Server messages (errors from use cases and forms) in the reader's language. */
export function useMessage(): (text: string) => string {
  const locale = useLocale()
  return (text) => (locale === 'en' ? (messagesEn[text] ?? text) : text)
}
