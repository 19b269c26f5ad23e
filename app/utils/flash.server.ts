import { createCookie } from '@remix-run/node'
import type { MessageKey } from '../i18n/index.js'
import { hasMessage } from '../i18n/index.js'

/** A one-shot notice shown on the next page (after a redirect), then cleared. */
export interface Flash {
  key: MessageKey
  params?: Record<string, string | number>
}

const flashCookie = createCookie('duijie_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 })

export async function setFlash(flash: Flash): Promise<string> {
  return flashCookie.serialize(flash)
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; clear: string | null }> {
  const value: unknown = await flashCookie.parse(request.headers.get('Cookie'))
  if (!value || typeof value !== 'object' || !('key' in value) || typeof value.key !== 'string' || !hasMessage(value.key)) {
    return { flash: null, clear: null }
  }
  const params = 'params' in value && value.params && typeof value.params === 'object' ? value.params : undefined
  return {
    flash: { key: value.key, params: params as Flash['params'] },
    clear: await flashCookie.serialize('', { maxAge: 0, expires: new Date(0) }),
  }
}
