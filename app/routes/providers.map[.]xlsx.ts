import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportCapabilityMap, ZCapabilityMapParams } from '~/domain/providers/capability-map.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseQuery } from '~/web/input.server.js'
import { clientIp, optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** The capability map of /providers/map (same query) as an Excel workbook, named in the reader's language. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const actor = await optionalActor(args)
    const params = parseQuery(ZCapabilityMapParams, args.request)
    const locale = await getLocale(args.request)
    const { body, headers } = await exportCapabilityMap(db, search, actor, params, clientIp(args.context), locale)
    return new Response(body, { status: 200, headers })
  })
}
