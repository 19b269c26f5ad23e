import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { signOut } from '~/domain/accounts/accounts.server.js'
import { setFlash } from '~/utils/flash.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/** Anyone may sign out: a visitor whose session already ended just gets the cookie cleared. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request }) => {
    const { db } = services()
    const cleared = await signOut(db, request, await optionalActor(args))
    const headers = new Headers()
    headers.append('Set-Cookie', cleared)
    headers.append('Set-Cookie', await setFlash({ key: 'auth.loggedOut' }))
    return redirect('/', { headers })
  })
}

/** Signing out changes state, so it is POST only; a GET just goes home. */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => redirect('/'))
}
