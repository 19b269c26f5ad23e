import { useRouteLoaderData } from '@remix-run/react'
import { DEFAULT_LOCALE, translator, type Locale, type Translate } from './index.js'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? DEFAULT_LOCALE
}

export function useT(): Translate {
  return translator(useLocale())
}
