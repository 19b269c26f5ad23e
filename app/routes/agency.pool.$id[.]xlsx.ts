import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRound } from '~/domain/pool/export.server.js'
import { xlsxDownload } from '~/domain/spreadsheets/workbook.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** A pool round's applications, reviews and quotas as an Excel workbook (the agency's members). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { bytes, fileName, asciiFallback } = await exportRound(db, actor, id, await getLocale(args.request))
    return xlsxDownload(bytes, fileName, asciiFallback)
  })
}
