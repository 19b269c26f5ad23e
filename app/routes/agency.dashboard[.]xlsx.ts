import type { LoaderFunctionArgs } from '@remix-run/node'
import { ZDashboardQuery } from '~/domain/dashboard/schema.js'
import { exportDashboard } from '~/domain/dashboard/workbook.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** The tables of /agency/dashboard (same query) as an Excel workbook, headed in the reader's language. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZDashboardQuery, args.request)
    return exportDashboard(db, search, actor, query, await getLocale(args.request))
  })
}
