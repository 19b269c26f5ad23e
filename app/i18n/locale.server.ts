import { createCookie } from '@remix-run/node'
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Translate } from './index.js'

export const localeCookie = createCookie('lang', {
  path: '/',
  httpOnly: true,
  sameSite: 'lax',
  maxAge: 60 * 60 * 24 * 365,
})

export async function getLocale(request: Request): Promise<Locale> {
  const value: unknown = await localeCookie.parse(request.headers.get('Cookie'))
  return isLocale(value) ? value : DEFAULT_LOCALE
}

export async function getTranslator(request: Request): Promise<Translate> {
  return translator(await getLocale(request))
}
