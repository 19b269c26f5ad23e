import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportEventWorkbook } from '~/domain/events/intents.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** An event's batch and letters of intent (with follow-ups) as an Excel workbook, for the organiser and agencies over it. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { body, headers } = await exportEventWorkbook(db, actor, id, await getLocale(args.request))
    return new Response(body, { status: 200, headers })
  })
}
