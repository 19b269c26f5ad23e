import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { switchActiveOrg } from '~/domain/accounts/accounts.server.js'
import { ZSwitchOrgInput } from '~/domain/accounts/schema.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { viewer, actor } = await requireActor(args)
    const input = parseForm(ZSwitchOrgInput, await args.request.formData())
    await switchActiveOrg(db, actor, viewer.session, input)
    return redirect('/org')
  })
}

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => redirect('/org'))
}
