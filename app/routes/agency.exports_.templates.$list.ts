import type { LoaderFunctionArgs } from '@remix-run/node'
import { ZTemplateParams } from '~/domain/spreadsheets/schema.js'
import { importTemplate } from '~/domain/spreadsheets/tasks.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** An import's template (.xlsx) in the reader's language: the header row and a sheet of rules. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { list } = parseParams(ZTemplateParams, args.params)
    return importTemplate(db, actor, list, await getLocale(args.request))
  })
}
