import type { LoaderFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { z } from 'zod'
import { listChildRegions } from '~/domain/reference/reference.server.js'
import { LOCALES } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseQuery } from '~/web/input.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/**
 * `?parent=<GB/T 2260 code>`, or nothing for the provinces. A malformed code is a 400.
 * `lang` names the regions' language: the answer is cached by its URL, so the picker
 * puts the reader's language in it (without it, the language cookie decides).
 */
const ZRegionsQuery = z.object({
  parent: z
    .string()
    .regex(/^([0-9A-Z]{6})?$/)
    .default(''),
  lang: z.enum(LOCALES).optional(),
})

/** Child regions of a GB/T 2260 code (or the provinces), for cascading pickers. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { parent, lang } = parseQuery(ZRegionsQuery, args.request)
    const regions = await listChildRegions(services().db, parent, lang ?? (await getLocale(args.request)))
    return json({ parent, regions }, { headers: { 'Cache-Control': 'public, max-age=3600' } })
  })
}
