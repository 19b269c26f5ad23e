import type { LoaderFunctionArgs } from '@remix-run/node'
import { ZTitlesQuery } from '~/domain/titles/schema.js'
import { exportTitles } from '~/domain/titles/titles.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** The titles list of /agency/titles under the same ?title=&state= as an Excel workbook (capped). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return exportTitles(db, actor, parseQuery(ZTitlesQuery, args.request), await getLocale(args.request))
  })
}
