import { createCookie, type Cookie } from '@remix-run/node'
import type { MessageKey } from '../i18n/index.js'
import { hasMessage } from '../i18n/index.js'
import { secureCookies } from './cookie-security.server.js'

/** A one-shot notice shown on the next page (after a redirect), then cleared. */
export interface Flash {
  key: MessageKey
  params?: Record<string, string | number>
}

let cookie: Cookie | undefined
/** Made on first use, so its Secure flag follows the validated environment. */
function flashCookie(): Cookie {
  cookie ??= createCookie('duijie_flash', { httpOnly: true, sameSite: 'lax', secure: secureCookies(), path: '/', maxAge: 60 })
  return cookie
}

export async function setFlash(flash: Flash): Promise<string> {
  return flashCookie().serialize(flash)
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; clear: string | null }> {
  const value: unknown = await flashCookie().parse(request.headers.get('Cookie'))
  if (!value || typeof value !== 'object' || !('key' in value) || typeof value.key !== 'string' || !hasMessage(value.key)) {
    return { flash: null, clear: null }
  }
  const params = 'params' in value && value.params && typeof value.params === 'object' ? value.params : undefined
  return {
    flash: { key: value.key, params: params as Flash['params'] },
    clear: await flashCookie().serialize('', { maxAge: 0, expires: new Date(0) }),
  }
}
