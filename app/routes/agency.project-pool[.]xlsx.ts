import type { LoaderFunctionArgs } from '@remix-run/node'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { ZProjectPoolQuery } from '~/domain/project-pool/schema.js'
import { exportProjectPool } from '~/domain/project-pool/workbook.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** The project pool of /agency/project-pool (same filters) as an Excel workbook, headed in the reader's language. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZProjectPoolQuery, args.request)
    return exportProjectPool(db, actor, query, todayInChina(), await getLocale(args.request))
  })
}
