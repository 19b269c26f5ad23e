import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { recordAudit } from '~/domain/audit/audit-log.server.js'
import { services } from '~/web/services.server.js'
import { setFlash } from '~/utils/flash.server.js'
import { actorOf, getViewer } from '~/utils/permissions.server.js'
import { clientIp, endSession } from '~/utils/session.server.js'

export async function action({ request, context }: ActionFunctionArgs) {
  const { db } = services()
  const viewer = await getViewer(db, request)
  const cleared = await endSession(db, request)
  if (viewer) {
    await recordAudit(db, {
      action: 'auth.signed_out',
      ...actorOf(viewer, clientIp(context)),
      objectType: 'user',
      objectId: viewer.user.id,
    })
  }
  const headers = new Headers()
  headers.append('Set-Cookie', cleared)
  headers.append('Set-Cookie', await setFlash({ key: 'auth.loggedOut' }))
  return redirect('/', { headers })
}

/** Signing out changes state, so it is POST only; a GET just goes home. */
export function loader() {
  return redirect('/')
}
