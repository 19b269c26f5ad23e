import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportTargetsYear, ZPlanQuery, ZYearParams } from '~/domain/targets/targets.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** A year's 目标考核 (/agency/targets/:year, same ?plan=) as an Excel workbook: the rows the reader sees, the rules. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { year } = parseParams(ZYearParams, args.params)
    const { plan } = parseQuery(ZPlanQuery, args.request)
    return exportTargetsYear(db, actor, year, plan, await getLocale(args.request))
  })
}
