import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { LOCALES } from '~/i18n/index.js'
import { localeCookie } from '~/i18n/locale.server.js'
import { AppError } from '~/utils/errors.js'
import { safeRedirectPath } from '~/utils/http.js'
import { parseForm } from '~/web/input.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'

const ZLangInput = z.object({ lang: z.enum(LOCALES, { error: 'accounts.v.langUnsupported' }), redirectTo: z.string().optional() })

/** The reader's language, kept in a cookie; back to the page they were on. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request }) => {
    const input = parseForm(ZLangInput, await request.formData())
    return redirect(safeRedirectPath(input.redirectTo), {
      headers: { 'Set-Cookie': await localeCookie.serialize(input.lang) },
    })
  })
}

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    throw new AppError('NOT_FOUND', 'errors.notFound')
  })
}
