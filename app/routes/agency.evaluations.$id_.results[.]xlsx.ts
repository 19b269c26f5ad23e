import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportResults } from '~/domain/evaluation/schemes.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** A scheme's results with every dimension's metric, judgement and score, as an Excel workbook (the agency's members). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { body, headers } = await exportResults(db, actor, id, await getLocale(args.request))
    return new Response(body, { status: 200, headers })
  })
}
