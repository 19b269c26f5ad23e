import type { LoaderFunctionArgs } from '@remix-run/node'
import { ZTaskParams } from '~/domain/spreadsheets/schema.js'
import { downloadExport } from '~/domain/spreadsheets/tasks.server.js'
import { parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** A finished export's .xlsx, for the member who started it (anyone else: 404). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZTaskParams, args.params)
    return downloadExport(db, actor, id)
  })
}
