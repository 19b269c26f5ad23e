import type { LoaderFunctionArgs } from '@remix-run/node'
import { meetingAgendaCalendar } from '~/domain/events/meetings.server.js'
import { translator } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/**
 * The reader's meeting agenda of an event as an iCalendar file (RFC 5545): a
 * participant's own scheduled meetings, the whole event's for the organiser and
 * reading agencies. Texts in the reader's language.
 */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const t = translator(await getLocale(args.request))
    const { text } = await meetingAgendaCalendar(db, actor, id, {
      summary: (counterpart) => t('meetings.ics.summary', { with: counterpart }),
      table: (table) => t('meetings.tableText', { table }),
    })
    return new Response(text, {
      status: 200,
      headers: {
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="event-${id}-agenda.ics"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  })
}
