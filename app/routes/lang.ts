import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { LOCALES } from '~/i18n/index.js'
import { localeCookie } from '~/i18n/locale.server.js'
import { safeRedirectPath } from '~/utils/http.js'

const ZLangInput = z.object({ lang: z.enum(LOCALES), redirectTo: z.string().optional() })

export async function action({ request }: ActionFunctionArgs) {
  const parsed = ZLangInput.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('不支持的语言', { status: 400 })
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': await localeCookie.serialize(parsed.data.lang) },
  })
}

export function loader() {
  throw new Response('Not Found', { status: 404 })
}
