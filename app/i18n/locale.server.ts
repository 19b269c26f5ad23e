import { createCookie, type Cookie } from '@remix-run/node'
import { secureCookies } from '../utils/cookie-security.server.js'
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Translate } from './index.js'

let cookie: Cookie | undefined
/** Made on first use, so its Secure flag follows the validated environment. */
function langCookie(): Cookie {
  cookie ??= createCookie('lang', {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    maxAge: 60 * 60 * 24 * 365,
  })
  return cookie
}

export const localeCookie = {
  serialize: (locale: Locale): Promise<string> => langCookie().serialize(locale),
  parse: (cookieHeader: string | null): Promise<unknown> => langCookie().parse(cookieHeader),
}

export async function getLocale(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get('Cookie'))
  return isLocale(value) ? value : DEFAULT_LOCALE
}

export async function getTranslator(request: Request): Promise<Translate> {
  return translator(await getLocale(request))
}
